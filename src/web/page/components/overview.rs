//! The overview of the open file (`overview`): size, SQLite version, page size, journal mode,
//! `integrity_check`, tables with row counts (the migration status in words is in the header).
//! The integrity check and the row counts arrive after the rest (their own
//! request to the worker); until then `integrity` and `table-counts` are `aria-busy="true"`,
//! `integrity` says how far they are, and `stop-check` stops them (a large chosen file is
//! checked by a second worker, `worker/checker.rs`: the page stays usable meanwhile);
//! `check-again` asks for them again.

use yew::prelude::*;

use crate::web::protocol::{Fraction, OverviewChecks, Snapshot};

/// Props of [`OverviewPanel`].
#[derive(Properties, PartialEq)]
pub struct OverviewPanelProps {
    /// The open database.
    pub snapshot: Option<Snapshot>,
    /// Its integrity check and row counts once they came (or why they could not be had).
    pub checks: Option<Result<OverviewChecks, String>>,
    /// How far those checks are while they run, when the worker tells.
    #[prop_or_default]
    pub progress: Option<Fraction>,
    /// The user stopped them.
    #[prop_or_default]
    pub stopped: bool,
    /// Stops the running checks (`stop-check`).
    #[prop_or_default]
    pub on_stop: Callback<()>,
    /// Asks for them again after a stop (`check-again`).
    #[prop_or_default]
    pub on_check_again: Callback<()>,
}

/// Bytes in a unit a person reads.
fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let value = bytes as f64;
    if value < KIB {
        format!("{bytes} bytes")
    } else if value < KIB * KIB {
        format!("{:.1} KiB ({bytes} bytes)", value / KIB)
    } else {
        format!("{:.1} MiB ({bytes} bytes)", value / KIB / KIB)
    }
}

/// The facts and the table list.
#[function_component(OverviewPanel)]
pub fn overview_panel(props: &OverviewPanelProps) -> Html {
    let Some(snapshot) = &props.snapshot else {
        return html! {};
    };
    let overview = &snapshot.overview;
    let journal = if overview.journal_mode == "wal" {
        "WAL (converted to a rollback journal in memory; the download is a single file)"
    } else {
        "rollback journal (delete)"
    };
    let busy = props.checks.is_none() && !props.stopped;
    let (integrity, counts): (String, Option<&OverviewChecks>) = match &props.checks {
        None if props.stopped => ("not checked: stopped".to_string(), None),
        None => match props.progress {
            Some(fraction) => (
                format!("checking… {:.0} %", fraction.get() * 100.0),
                None,
            ),
            None => ("checking…".to_string(), None),
        },
        Some(Ok(checks)) => (checks.integrity.join("; "), Some(checks)),
        Some(Err(problem)) => (problem.clone(), None),
    };
    // The names are known at once; the counts follow with the checks.
    let rows: Vec<(String, String)> = match counts {
        Some(checks) => checks
            .tables
            .iter()
            .map(|table| (table.name.clone(), table.rows.to_string()))
            .collect(),
        None => overview
            .table_names
            .iter()
            .map(|name| (name.clone(), "…".to_string()))
            .collect(),
    };
    let busy_text = if busy { "true" } else { "false" };
    html! {
        <div class="overview" data-testid="overview">
            <dl>
                <dt>{ "Size" }</dt><dd data-testid="file-size">{ human_size(overview.size) }</dd>
                <dt>{ "Written by SQLite" }</dt><dd data-testid="sqlite-version">{ &overview.sqlite_version }</dd>
                <dt>{ "Page size" }</dt><dd data-testid="page-size">{ format!("{} bytes", overview.page_size) }</dd>
                <dt>{ "Journal mode" }</dt><dd data-testid="journal-mode">{ journal }</dd>
                <dt>{ "Integrity check" }</dt>
                <dd>
                    <span data-testid="integrity" aria-busy={busy_text}>{ integrity }</span>
                    if busy {
                        { " " }<button type="button" class="link" data-testid="stop-check"
                                       title="Stop reading the whole file; nothing is lost, and the check runs before any change or download"
                                       onclick={props.on_stop.reform(|_| ())}>{ "Stop" }</button>
                    }
                    if props.stopped {
                        { " " }<button type="button" class="link" data-testid="check-again"
                                       onclick={props.on_check_again.reform(|_| ())}>{ "Check now" }</button>
                    }
                </dd>
            </dl>
            <table class="counts" data-testid="table-counts" aria-busy={busy_text}>
                <caption>{ format!("{} tables", rows.len()) }</caption>
                <thead><tr><th scope="col">{ "Table" }</th><th scope="col" class="num">{ "Rows" }</th></tr></thead>
                <tbody>
                    { for rows.into_iter().map(|(name, count)| html! {
                        <tr data-table={name.clone()}>
                            <td><code>{ name }</code></td>
                            <td class="num">{ count }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
