//! The overview of the open file (`overview`): size, SQLite version, page size, journal mode,
//! `integrity_check`, tables with row counts, and the migration status in words
//! (`migration-status`).

use yew::prelude::*;

use crate::web::protocol::Snapshot;

/// Props of [`OverviewPanel`].
#[derive(Properties, PartialEq)]
pub struct OverviewPanelProps {
    /// The open database.
    pub snapshot: Option<Snapshot>,
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
    let integrity = overview.integrity.join("; ");
    html! {
        <div class="overview" data-testid="overview">
            <p class="status-words" data-testid="migration-status">{ &overview.status }</p>
            <dl>
                <dt>{ "Size" }</dt><dd data-testid="file-size">{ human_size(overview.size) }</dd>
                <dt>{ "Written by SQLite" }</dt><dd data-testid="sqlite-version">{ &overview.sqlite_version }</dd>
                <dt>{ "Page size" }</dt><dd data-testid="page-size">{ format!("{} bytes", overview.page_size) }</dd>
                <dt>{ "Journal mode" }</dt><dd data-testid="journal-mode">{ journal }</dd>
                <dt>{ "Integrity check" }</dt><dd data-testid="integrity">{ integrity }</dd>
            </dl>
            <table class="counts" data-testid="table-counts">
                <caption>{ format!("{} tables", overview.tables.len()) }</caption>
                <thead><tr><th scope="col">{ "Table" }</th><th scope="col" class="num">{ "Rows" }</th></tr></thead>
                <tbody>
                    { for overview.tables.iter().map(|table| html! {
                        <tr data-table={table.name.clone()}>
                            <td><code>{ &table.name }</code></td>
                            <td class="num">{ table.rows }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
