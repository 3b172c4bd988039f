//! The Overview view: what the open file is (its revision's meaning, the head, notices, size,
//! SQLite facts, integrity and row counts), the drift check with its baseline offer, and the
//! downloads beside the header's (the original as a backup, the migration log, the checks).

use yew::prelude::*;

use super::{Downloads, DriftPanel, OverviewPanel, RevisionPanel};
use crate::web::page::download;
use crate::web::page::handle::use_page;
use crate::web::page::state::Action;
use crate::web::protocol::Request;

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

/// The file's facts, the schema check, the other downloads.
#[function_component(OverviewView)]
pub fn overview_view() -> Html {
    let page = use_page();
    let on_stamp = page.callback(|page, revisions: Vec<String>| {
        page.request(Request::StampBaseline { revisions })
    });
    let on_backup = page.callback(|page, ()| {
        page.request(Request::ExportBackup {
            stamp: local_stamp(),
        })
    });
    let on_log = page.callback(|page, ()| {
        let name = format!("{}.migration-log.txt", page.state.file_name());
        if let Err(problem) = download::save_text(&page.state.log_text(), &name) {
            page.fail(problem);
        }
    });

    let on_stop_check = page.callback(|page, ()| {
        page.request(Request::StopOverview {
            serial: page.state.overview_serial,
        })
    });
    let on_check_again = page.callback(|page, ()| page.dispatch(Action::CheckAgain));

    let state = &page.state;
    html! {
        <>
            <section class="card" aria-labelledby="file-heading">
                <h2 id="file-heading">{ "The file" }</h2>
                <RevisionPanel snapshot={state.snapshot.clone()} />
                <OverviewPanel snapshot={state.snapshot.clone()} checks={state.overview_checks.clone()}
                               progress={state.overview_progress} stopped={state.overview_stopped}
                               on_stop={on_stop_check} on_check_again={on_check_again} />
            </section>
            <div class="view-column">
                <section class="card" aria-labelledby="drift-heading">
                    <DriftPanel drift={state.inspect.drift.clone()} enabled={state.can_download()}
                                on_stamp={on_stamp} />
                </section>
                <section class="card" aria-labelledby="download-heading">
                    <h2 id="download-heading">{ "Download" }</h2>
                    <Downloads file_name={state.snapshot.as_ref().map(|s| s.file_name.clone())}
                               enabled={state.can_download()} has_log={!state.log.is_empty()}
                               checks={state.checks.clone()} on_backup={on_backup} on_log={on_log} />
                </section>
            </div>
        </>
    }
}
