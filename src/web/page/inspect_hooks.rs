//! The page's glue for the History and Inspect sections: callbacks that dispatch an action and
//! send the worker the read that goes with it, and an effect that refreshes the graph and the
//! tables whenever the open database changes (opened, migrated, undone, written).

use yew::prelude::*;

use super::hooks::WorkerHandle;
use crate::web::protocol::inspect::{ExportFormat, ExportSource, InspectRequest, FILE};
use crate::web::protocol::Request;
use super::state::{next_sort, Action, AppState, InspectAction, PAGE_ROWS};
use crate::db::{PageRequest, SortBy};

/// The callbacks of the two sections.
#[derive(Clone)]
pub struct InspectCallbacks {
    /// A revision was clicked: select it and make it the migrate target.
    pub on_revision: Callback<String>,
    /// A table was chosen.
    pub on_table: Callback<String>,
    /// A column header was clicked.
    pub on_sort: Callback<String>,
    /// Go to the page at this offset.
    pub on_page: Callback<u64>,
    /// The console's input changed.
    pub on_sql_input: Callback<String>,
    /// Run the console's input.
    pub on_run_sql: Callback<()>,
    /// "Allow writing" changed.
    pub on_unlock: Callback<bool>,
    /// A revision was shift-clicked in the history: compare the selected one with it.
    pub on_compare: Callback<String>,
    /// The revision diff's start was picked.
    pub on_diff_from: Callback<String>,
    /// The revision diff's end was picked.
    pub on_diff_to: Callback<String>,
    /// Export these rows in this format.
    pub on_export: Callback<(ExportSource, ExportFormat)>,
    /// Download the SQL dump.
    pub on_dump: Callback<()>,
    /// Show this step of the evolution demo.
    pub on_evolution: Callback<usize>,
}

fn send(worker: &WorkerHandle, request: InspectRequest) {
    worker.send(Request::Inspect { request }, None);
}

fn page(table: String, sort: Option<SortBy>, offset: u64) -> InspectRequest {
    InspectRequest::Page(PageRequest {
        table,
        sort,
        offset,
        limit: PAGE_ROWS,
    })
}

/// Builds the callbacks and installs the refresh effect.
#[hook]
pub fn use_inspect(state: &UseReducerHandle<AppState>, worker: &WorkerHandle) -> InspectCallbacks {
    {
        // Whatever changed the database (open, migrate, undo, a console write), the graph's
        // marks, the row counts and the page on screen are read again.
        let worker = worker.clone();
        let table = state.inspect.selected_table.clone();
        let sort = state.inspect.sort.clone();
        let offset = state.inspect.offset();
        // A comparison with the open file is out of date as soon as the file changes.
        let (diff_from, diff_to) = state.inspect.diff_pick.clone();
        let file_diff = (!diff_from.is_empty() && !diff_to.is_empty())
            && (diff_from == FILE || diff_to == FILE);
        // The serial moves on a console write too, which may leave the snapshot as it was (row
        // counts are not in it).
        use_effect_with(
            (state.snapshot.clone(), state.overview_serial),
            move |(snapshot, _)| {
                if snapshot.is_some() {
                    send(&worker, InspectRequest::History);
                    send(&worker, InspectRequest::Tables);
                    send(&worker, InspectRequest::Drift);
                    send(&worker, InspectRequest::Erd);
                    if file_diff {
                        send(
                            &worker,
                            InspectRequest::Diff {
                                from: diff_from,
                                to: diff_to,
                            },
                        );
                    }
                    if let Some(table) = table {
                        send(&worker, page(table.clone(), sort, offset));
                        send(&worker, InspectRequest::Detail { table });
                    }
                }
            },
        );
    }
    let dispatch = state.dispatcher();
    let on_revision = {
        let dispatch = dispatch.clone();
        Callback::from(move |id: String| {
            dispatch.dispatch(Action::Inspect(InspectAction::SelectRevision(id.clone())));
            dispatch.dispatch(Action::SetMigrateTarget(id));
        })
    };
    let on_table = {
        let (dispatch, worker) = (dispatch.clone(), worker.clone());
        Callback::from(move |table: String| {
            dispatch.dispatch(Action::Inspect(InspectAction::SelectTable(table.clone())));
            send(&worker, page(table.clone(), None, 0));
            send(&worker, InspectRequest::Detail { table });
        })
    };
    let on_sort = {
        let (dispatch, worker) = (dispatch.clone(), worker.clone());
        let (table, sort) = (
            state.inspect.selected_table.clone(),
            state.inspect.sort.clone(),
        );
        Callback::from(move |column: String| {
            dispatch.dispatch(Action::Inspect(InspectAction::SortBy(column.clone())));
            if let Some(table) = table.clone() {
                send(
                    &worker,
                    page(table, Some(next_sort(sort.clone(), column)), 0),
                );
            }
        })
    };
    let on_page = {
        let worker = worker.clone();
        let (table, sort) = (
            state.inspect.selected_table.clone(),
            state.inspect.sort.clone(),
        );
        Callback::from(move |offset: u64| {
            if let Some(table) = table.clone() {
                send(&worker, page(table, sort.clone(), offset));
            }
        })
    };
    let on_sql_input = {
        let dispatch = dispatch.clone();
        Callback::from(move |text: String| {
            dispatch.dispatch(Action::Inspect(InspectAction::SetSqlInput(text)))
        })
    };
    let on_run_sql = {
        let worker = worker.clone();
        let (sql, write_unlocked) = (
            state.inspect.sql_input.clone(),
            state.inspect.write_unlocked,
        );
        Callback::from(move |()| {
            send(
                &worker,
                InspectRequest::Sql {
                    sql: sql.clone(),
                    write_unlocked,
                },
            )
        })
    };
    let on_diff = |from_side: bool| {
        let (dispatch, worker) = (dispatch.clone(), worker.clone());
        let (from, to) = state.inspect.diff_pick.clone();
        Callback::from(move |picked: String| {
            let (action, from, to) = if from_side {
                (
                    InspectAction::SetDiffFrom(picked.clone()),
                    picked,
                    to.clone(),
                )
            } else {
                (
                    InspectAction::SetDiffTo(picked.clone()),
                    from.clone(),
                    picked,
                )
            };
            dispatch.dispatch(Action::Inspect(action));
            if !from.is_empty() && !to.is_empty() {
                send(&worker, InspectRequest::Diff { from, to });
            }
        })
    };
    let on_export = {
        let worker = worker.clone();
        Callback::from(move |(source, format): (ExportSource, ExportFormat)| {
            send(&worker, InspectRequest::Export { source, format })
        })
    };
    let on_dump = {
        let worker = worker.clone();
        Callback::from(move |()| send(&worker, InspectRequest::Dump))
    };
    let on_evolution = {
        let worker = worker.clone();
        Callback::from(move |step: usize| send(&worker, InspectRequest::Evolution { step }))
    };
    let on_compare = {
        let (dispatch, worker) = (dispatch.clone(), worker.clone());
        let (selected, on_revision) =
            (state.inspect.selected_revision.clone(), on_revision.clone());
        Callback::from(move |to: String| match &selected {
            // Nothing selected yet: the shift-click selects, like a plain click.
            None => on_revision.emit(to),
            Some(from) => {
                dispatch.dispatch(Action::Inspect(InspectAction::SetDiffFrom(from.clone())));
                dispatch.dispatch(Action::Inspect(InspectAction::SetDiffTo(to.clone())));
                send(
                    &worker,
                    InspectRequest::Diff {
                        from: from.clone(),
                        to,
                    },
                );
            }
        })
    };
    let on_diff_from = on_diff(true);
    let on_diff_to = on_diff(false);
    let on_unlock = Callback::from(move |unlocked: bool| {
        dispatch.dispatch(Action::Inspect(InspectAction::SetWriteUnlocked(unlocked)))
    });
    InspectCallbacks {
        on_revision,
        on_table,
        on_sort,
        on_page,
        on_sql_input,
        on_run_sql,
        on_unlock,
        on_compare,
        on_diff_from,
        on_diff_to,
        on_export,
        on_dump,
        on_evolution,
    }
}
