//! The Migrate view: the target with its preview and apply, the stamp offer for a file that is
//! not versioned, the step log, the migrations in use (`migrations_panel.rs`); beside them the revision graph, whose revisions fill the target
//! (a click) or are compared in the Schema view (a shift-click).

use yew::prelude::*;

use super::{HistorySection, MigrateForm, MigrationsPanel, PreviewView, StepLog};
use crate::web::page::handle::{make_callback, use_page, PageHandle};
use crate::web::protocol::inspect::InspectRequest;
use crate::web::protocol::Request;
use crate::web::page::state::{Action, InspectAction, View};

/// What the stamp offer stamps: the revision whose replayed schema matches the file exactly (the
/// drift check's baseline), so a file whose tables are at an older revision is not recorded as
/// head; until that check has answered, or when the match is a set of branch heads, `head`.
fn stamp_offer_target(page: &PageHandle) -> String {
    page.state
        .inspect
        .drift
        .as_ref()
        .and_then(|drift| drift.exact_baseline())
        .and_then(|guess| match guess.revisions.as_slice() {
            [revision] => Some(revision.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "head".to_string())
}

/// The target, its preview and the history graph.
#[function_component(MigrateView)]
pub fn migrate_view() -> Html {
    let page = use_page();
    let on_target = make_callback(&page, Action::SetMigrateTarget);
    let on_stamp = make_callback(&page, Action::SetStampOnly);
    let on_preview = page.callback(|page, ()| {
        page.request(Request::Preview {
            target: page.state.migrate_target.trim().to_string(),
            stamp: page.state.stamp_only,
        })
    });
    let on_apply = page.callback(|page, ()| {
        page.request(Request::Migrate {
            target: page.state.migrate_target.trim().to_string(),
            stamp: page.state.stamp_only,
        })
    });
    let stamp_target = stamp_offer_target(&page);
    let on_offer_stamp = {
        let target = stamp_target.clone();
        page.callback(move |page, _: MouseEvent| {
            page.dispatch(Action::SetMigrateTarget(target.clone()));
            page.dispatch(Action::SetStampOnly(true));
        })
    };
    let on_revision = page.callback(|page, id: String| {
        page.dispatch(Action::Inspect(InspectAction::SelectRevision(id.clone())));
        page.dispatch(Action::SetMigrateTarget(id));
    });
    let on_compare = page.callback(|page, to: String| {
        match page.state.inspect.selected_revision.clone() {
            // Nothing selected yet: the shift-click selects, like a plain click.
            None => {
                page.dispatch(Action::Inspect(InspectAction::SelectRevision(to.clone())));
                page.dispatch(Action::SetMigrateTarget(to));
            }
            Some(from) => {
                page.dispatch(Action::Inspect(InspectAction::SetDiffFrom(from.clone())));
                page.dispatch(Action::Inspect(InspectAction::SetDiffTo(to.clone())));
                page.request(Request::Inspect {
                    request: InspectRequest::Diff { from, to },
                });
                page.show(View::Schema);
            }
        }
    });

    let state = &page.state;
    let offer_stamp = state
        .snapshot
        .as_ref()
        .is_some_and(|s| !s.overview.versioned && !s.overview.table_names.is_empty());
    html! {
        <>
            <div class="view-column">
                <section class="card" aria-labelledby="migrate-heading">
                    <h2 id="migrate-heading">{ "Migrate" }</h2>
                    if offer_stamp {
                        <div class="actions">
                            <button type="button" class="secondary" data-testid="offer-stamp" onclick={on_offer_stamp}>
                                { format!("Stamp as {stamp_target} instead (tables already there)…") }
                            </button>
                        </div>
                    }
                    <MigrateForm target={state.migrate_target.clone()} stamp_only={state.stamp_only}
                                 can_preview={state.can_migrate()} on_target={on_target}
                                 on_stamp={on_stamp} on_preview={on_preview} />
                    <PreviewView preview={state.preview.clone()} can_apply={state.can_migrate()}
                                 on_apply={on_apply} progress={state.progress} />
                    <StepLog outcome={state.upgrade.clone()} />
                </section>
                <MigrationsPanel />
            </div>
            <section class="card" aria-labelledby="history-heading">
                <h2 id="history-heading">{ "History" }</h2>
                <HistorySection
                    view={state.inspect.history.clone()}
                    selected={state.inspect.selected_revision.clone()}
                    on_select={on_revision}
                    on_compare={on_compare}
                />
            </section>
        </>
    }
}
