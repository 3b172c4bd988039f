//! The page: the worker hook, the reducer, and the sections the components draw. Every change
//! goes through an [`Action`]; every database operation is a [`Request`] to the worker.

use web_sys::File;
use yew::prelude::*;

use super::components::{
    Actions, Downloads, DriftPanel, ErdDiagram, ErrorBanner, EvolutionPanel, ExportBar,
    HistorySection, InspectSection, MigrateForm, OpenPanel, OperationProgress, OverviewPanel,
    PreviewView, RevisionDiff, RevisionPanel, StatusLine, StepLog, UndoButton,
};
use super::download;
use super::hooks::use_worker;
use super::inspect_hooks::use_inspect;
use super::limits::check_open_size;
use crate::web::protocol::Request;
use super::state::{Action, AppState, Busy};

/// Mounts the page on `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

/// Local time as `YYYYMMDD-HHMMSS`, for the backup's name.
fn local_stamp() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date(),
        now.get_hours(),
        now.get_minutes(),
        now.get_seconds()
    )
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let worker = use_worker(state.dispatcher());
    {
        // Before the History and Inspect refreshes (effects run in the order they are declared),
        // so the overview's integrity check and row counts are the first answer after a change.
        let worker = worker.clone();
        let has_snapshot = state.snapshot.is_some();
        use_effect_with(state.overview_serial, move |serial| {
            if has_snapshot {
                worker.send(Request::Overview { serial: *serial }, None);
            }
        });
    }
    let inspect = use_inspect(&state, &worker);
    let dispatch = state.dispatcher().to_callback();

    let on_file = {
        let worker = worker.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |file: File| {
            let file_name = file.name();
            // Refuse what the tab cannot hold before reading a byte of it.
            if let Err(problem) = check_open_size(&file_name, file.size() as u64) {
                dispatch.emit(Action::PageFailed(problem));
                return;
            }
            worker.start(Busy::Opening(file_name.clone()));
            // The worker reads the File itself, in slices, and reports how far it got; the bar
            // shows from the start.
            dispatch.emit(Action::ReadProgress(0, file.size() as u64));
            worker.send(Request::Open { file_name }, Some(&file));
        })
    };
    let request = |busy: Busy, request: Request| {
        let worker = worker.clone();
        Callback::from(move |_| {
            worker.start(busy.clone());
            worker.send(request.clone(), None);
        })
    };
    let on_demo = request(Busy::OpeningDemo, Request::OpenDemo);
    let on_new = request(Busy::CreatingEmpty, Request::NewEmpty);
    let on_upgrade = request(Busy::Upgrading, Request::UpgradeToHead);
    let on_download = request(Busy::Exporting, Request::Export);
    let on_undo = request(Busy::Undoing, Request::Undo);
    let target = state.migrate_target.trim().to_string();
    let on_preview = request(
        Busy::Previewing(target.clone()),
        Request::Preview {
            target: target.clone(),
            stamp: state.stamp_only,
        },
    );
    let on_apply = request(
        Busy::Migrating(target.clone()),
        Request::Migrate {
            target,
            stamp: state.stamp_only,
        },
    );
    let on_backup = {
        let worker = worker.clone();
        Callback::from(move |_| {
            worker.start(Busy::ExportingBackup);
            worker.send(
                Request::ExportBackup {
                    stamp: local_stamp(),
                },
                None,
            );
        })
    };
    let on_log = {
        let log = state.log_text();
        let name = state.file_name();
        let worker = worker.clone();
        Callback::from(move |_| {
            if let Err(problem) = download::save_text(&log, &format!("{name}.migration-log.txt")) {
                worker.fail(problem);
            }
        })
    };
    let on_baseline_stamp = {
        let worker = worker.clone();
        Callback::from(move |revisions: Vec<String>| {
            let label = if revisions.is_empty() {
                "base".to_string()
            } else {
                revisions.join(" ")
            };
            worker.start(Busy::StampingBaseline(label));
            worker.send(Request::StampBaseline { revisions }, None);
        })
    };
    let on_erd_download = {
        let svg = state.inspect.erd.as_ref().map(|view| view.svg.clone());
        let name = state.file_name();
        let worker = worker.clone();
        Callback::from(move |_| {
            if let Some(svg) = &svg {
                if let Err(problem) =
                    download::save_text_as(svg, &format!("{name}.erd.svg"), "image/svg+xml")
                {
                    worker.fail(problem);
                }
            }
        })
    };
    let on_target = dispatch.reform(Action::SetMigrateTarget);
    let on_stamp = dispatch.reform(Action::SetStampOnly);
    // Stamp the revision whose replayed schema matches the file exactly (the drift check's
    // baseline), so a file whose tables are at an older revision is not recorded as head; until
    // that check has answered, or when the match is a set of branch heads, offer `head`.
    let stamp_offer_target = state
        .inspect
        .drift
        .as_ref()
        .and_then(|drift| drift.exact_baseline())
        .and_then(|guess| match guess.revisions.as_slice() {
            [revision] => Some(revision.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "head".to_string());
    let on_offer_stamp = {
        let dispatch = dispatch.clone();
        let target = stamp_offer_target.clone();
        Callback::from(move |_: ()| {
            dispatch.emit(Action::SetMigrateTarget(target.clone()));
            dispatch.emit(Action::SetStampOnly(true));
        })
    };
    let offer_stamp = state
        .snapshot
        .as_ref()
        .is_some_and(|s| !s.overview.versioned && !s.overview.table_names.is_empty());
    let on_dismiss = dispatch.reform(|_: ()| Action::DismissError);
    let can_act = state.can_act();
    let undo_labels = state
        .snapshot
        .as_ref()
        .map(|s| s.undo.clone())
        .unwrap_or_default();

    html! {
        <main class="page">
            <header class="page-header">
                <h1>{ "content-db" }</h1>
                <p class="lede">
                    { "Open a ContentEngine database, see where it stands, migrate it to any \
                       revision with a preview, undo, and download the result. Everything runs \
                       in this tab: the file never leaves your computer." }
                </p>
            </header>
            <ErrorBanner error={state.error.clone()} on_dismiss={on_dismiss} />
            <OperationProgress operation={state.operation.clone()} />
            <section class="card" aria-labelledby="open-heading">
                <h2 id="open-heading">{ "1. Open" }</h2>
                <OpenPanel on_file={on_file} on_demo={on_demo} on_new={on_new}
                           reading={state.reading} enabled={can_act} />
            </section>
            <section class="card" aria-labelledby="revision-heading">
                <h2 id="revision-heading">{ "2. Overview" }</h2>
                <RevisionPanel snapshot={state.snapshot.clone()} />
                <OverviewPanel snapshot={state.snapshot.clone()} checks={state.overview_checks.clone()} />
                <DriftPanel drift={state.inspect.drift.clone()} enabled={state.can_download()}
                            on_stamp={on_baseline_stamp} />
            </section>
            <section class="card" aria-labelledby="migrate-heading">
                <h2 id="migrate-heading">{ "3. Migrate" }</h2>
                <Actions can_upgrade={state.can_upgrade()} on_upgrade={on_upgrade}
                         offer_stamp={offer_stamp} stamp_target={stamp_offer_target}
                         on_offer_stamp={on_offer_stamp} />
                <MigrateForm target={state.migrate_target.clone()} stamp_only={state.stamp_only}
                             can_preview={state.can_migrate()} on_target={on_target}
                             on_stamp={on_stamp} on_preview={on_preview} />
                <PreviewView preview={state.preview.clone()} can_apply={state.can_migrate()}
                             on_apply={on_apply} progress={state.progress} />
                <UndoButton labels={undo_labels} enabled={state.can_undo()} on_undo={on_undo} />
                <StatusLine busy={state.busy.clone()} worker={state.worker.clone()}
                            downloaded={state.downloaded.clone()} />
                <StepLog outcome={state.upgrade.clone()} />
            </section>
            <section class="card" aria-labelledby="download-heading">
                <h2 id="download-heading">{ "4. Download" }</h2>
                <Downloads file_name={state.snapshot.as_ref().map(|s| s.file_name.clone())}
                           enabled={state.can_download()} has_log={!state.log.is_empty()}
                           checks={state.checks.clone()} on_download={on_download} on_backup={on_backup} on_log={on_log} />
            </section>
            <section class="card wide" aria-labelledby="history-heading">
                <h2 id="history-heading">{ "History" }</h2>
                <HistorySection
                    view={state.inspect.history.clone()}
                    selected={state.inspect.selected_revision.clone()}
                    on_select={inspect.on_revision.clone()}
                    on_compare={inspect.on_compare.clone()}
                />
                <RevisionDiff
                    history={state.inspect.history.clone()}
                    pick={state.inspect.diff_pick.clone()}
                    diff={state.inspect.diff.clone()}
                    on_from={inspect.on_diff_from.clone()}
                    on_to={inspect.on_diff_to.clone()}
                />
            </section>
            <section class="card wide" aria-labelledby="erd-heading">
                <h2 id="erd-heading">{ "Schema diagram" }</h2>
                <ErdDiagram view={state.inspect.erd.clone()} on_download={on_erd_download} />
                <EvolutionPanel view={state.inspect.evolution.clone()} on_step={inspect.on_evolution.clone()} />
            </section>
            <section class="card wide" aria-labelledby="inspect-heading">
                <h2 id="inspect-heading">{ "Inspect" }</h2>
                <InspectSection
                    state={state.inspect.clone()}
                    enabled={state.can_download()}
                    on_table={inspect.on_table.clone()}
                    on_sort={inspect.on_sort.clone()}
                    on_page={inspect.on_page.clone()}
                    on_sql_input={inspect.on_sql_input.clone()}
                    on_run_sql={inspect.on_run_sql.clone()}
                    on_unlock={inspect.on_unlock.clone()}
                />
                <ExportBar source={state.inspect.export_source.clone()} enabled={state.can_download()}
                           on_export={inspect.on_export.clone()} on_dump={inspect.on_dump.clone()} />
            </section>
        </main>
    }
}
