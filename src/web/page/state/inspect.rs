//! The History and Inspect parts of the page state: the revision graph and the selected
//! revision, the table list, the table being browsed (page, sort, schema) and the SQL console
//! with its session history. Changed only by [`InspectAction`]s and the worker's
//! [`InspectResponse`]s, through [`super::AppState::next`].

use std::rc::Rc;

use crate::db::{ConsoleOutcome, SortBy, TableDetail, TablePage, TableSummary};
use crate::web::protocol::inspect::{
    DiffView, DriftView, ErdView, EvolutionView, ExportSource, HistoryView, InspectResponse,
};

/// Rows per page of the table browser.
pub const PAGE_ROWS: u32 = 50;

/// The last statement the console ran and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleRun {
    /// The statement.
    pub sql: String,
    /// Its rows, or the message shown inline.
    pub result: Result<ConsoleOutcome, String>,
}

/// What the History and Inspect sections show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InspectState {
    /// The revision graph with the open file's marks (once the worker sent it). Shared, not
    /// copied, by every render of the page (it carries every revision's SQL).
    pub history: Option<Rc<HistoryView>>,
    /// The revision whose SQL is shown.
    pub selected_revision: Option<String>,
    /// The tables of the open file with their row counts.
    pub tables: Vec<TableSummary>,
    /// The table being browsed.
    pub selected_table: Option<String>,
    /// Its sort.
    pub sort: Option<SortBy>,
    /// The page of it on screen.
    pub page: Option<TablePage>,
    /// Its schema.
    pub detail: Option<TableDetail>,
    /// The text of `sql-input`.
    pub sql_input: String,
    /// True once the user has ticked "Allow writing".
    pub write_unlocked: bool,
    /// The last console run.
    pub console: Option<ConsoleRun>,
    /// Every statement run in this session, newest last (no repeats in a row).
    pub sql_history: Vec<String>,
    /// Why the last read failed, shown in the Inspect section.
    pub notice: Option<String>,
    /// The drift check of the open file (re-read whenever the database changes).
    pub drift: Option<DriftView>,
    /// The ER diagram of the open file (re-read whenever the database changes).
    /// Shared like `history`: the page's renders compare it by pointer, not by its SVG text.
    pub erd: Option<Rc<ErdView>>,
    /// The two states picked for the revision diff (`from`, `to`; empty: not picked yet).
    pub diff_pick: (String, String),
    /// The difference between them, once the worker sent it.
    pub diff: Option<DiffView>,
    /// What `export-csv` / `export-json` export: the table chosen last, or the console's last
    /// read, whichever came later.
    pub export_source: Option<ExportSource>,
    /// The step of the schema evolution demo on screen (none until started).
    pub evolution: Option<EvolutionView>,
}

/// Everything that changes [`InspectState`] from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InspectAction {
    /// A revision was clicked in the graph.
    SelectRevision(String),
    /// A table was chosen in `table-list` (the page asks for its first page and schema).
    SelectTable(String),
    /// A column header was clicked: sort by it, or flip the direction when it is the sort.
    SortBy(String),
    /// The console's text changed.
    SetSqlInput(String),
    /// "Allow writing" was ticked or unticked.
    SetWriteUnlocked(bool),
    /// A state was picked as the revision diff's start.
    SetDiffFrom(String),
    /// A state was picked as the revision diff's end.
    SetDiffTo(String),
}

/// The sort after clicking `column`: by it ascending, or flipped when it is the sort already.
pub fn next_sort(current: Option<SortBy>, column: String) -> SortBy {
    match current {
        Some(sort) if sort.column == column => SortBy {
            column,
            descending: !sort.descending,
        },
        _ => SortBy {
            column,
            descending: false,
        },
    }
}

impl InspectState {
    /// Applies a page action.
    pub fn apply(&mut self, action: InspectAction) {
        match action {
            InspectAction::SelectRevision(id) => self.selected_revision = Some(id),
            InspectAction::SelectTable(table) => {
                if self.selected_table.as_deref() != Some(table.as_str()) {
                    self.sort = None;
                    self.page = None;
                    self.detail = None;
                }
                self.export_source = Some(ExportSource::Table(table.clone()));
                self.selected_table = Some(table);
            }
            InspectAction::SortBy(column) => self.sort = Some(next_sort(self.sort.take(), column)),
            InspectAction::SetSqlInput(text) => self.sql_input = text,
            InspectAction::SetWriteUnlocked(unlocked) => self.write_unlocked = unlocked,
            InspectAction::SetDiffFrom(from) => {
                self.diff_pick.0 = from;
                self.diff = None;
            }
            InspectAction::SetDiffTo(to) => {
                self.diff_pick.1 = to;
                self.diff = None;
            }
        }
    }

    /// Drops what was read from the history that was in use before another one (the graph's
    /// selection, the comparison and the evolution name its revisions).
    pub fn forget_history(&mut self) {
        self.selected_revision = None;
        self.diff_pick = Default::default();
        self.diff = None;
        self.evolution = None;
    }

    /// Takes in a worker answer.
    pub fn receive(&mut self, response: InspectResponse) {
        match response {
            InspectResponse::History(view) => self.history = Some(Rc::new(view)),
            InspectResponse::Tables { tables } => {
                if let Some(selected) = &self.selected_table {
                    if !tables.iter().any(|t| &t.name == selected) {
                        self.selected_table = None;
                        self.page = None;
                        self.detail = None;
                    }
                }
                self.tables = tables;
            }
            InspectResponse::Page(page) => {
                if self.selected_table.as_deref() == Some(page.request.table.as_str()) {
                    self.notice = None;
                    self.page = Some(page);
                }
            }
            InspectResponse::Detail(detail) => {
                if self.selected_table.as_deref() == Some(detail.name.as_str()) {
                    self.detail = Some(detail);
                }
            }
            InspectResponse::Sql { sql, result, .. } => {
                if matches!(&result, Ok(outcome) if !outcome.wrote) {
                    self.export_source = Some(ExportSource::Query(sql.clone()));
                }
                if self.sql_history.last() != Some(&sql) {
                    self.sql_history.push(sql.clone());
                }
                self.console = Some(ConsoleRun { sql, result });
            }
            InspectResponse::Drift(view) => self.drift = Some(view),
            InspectResponse::Erd(view) => self.erd = Some(Rc::new(view)),
            InspectResponse::Evolution(view) => self.evolution = Some(view),
            InspectResponse::Diff(view) => {
                // An answer for an earlier pick is stale.
                if (view.from.as_str(), view.to.as_str())
                    == (self.diff_pick.0.as_str(), self.diff_pick.1.as_str())
                {
                    self.diff = Some(view);
                }
            }
            // The hook has saved the file already.
            InspectResponse::Text { .. } => self.notice = None,
            InspectResponse::Refused { message } => self.notice = Some(message),
        }
    }

    /// The offset of the page on screen (0 before the first page arrives).
    pub fn offset(&self) -> u64 {
        self.page.as_ref().map_or(0, |page| page.request.offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Grid, PageRequest};

    fn page(table: &str, offset: u64) -> TablePage {
        TablePage {
            request: PageRequest {
                table: table.into(),
                sort: None,
                offset,
                limit: PAGE_ROWS,
            },
            total_rows: 500,
            grid: Grid::default(),
        }
    }

    #[test]
    fn sorting_the_same_column_twice_flips_the_direction() {
        let mut state = InspectState::default();
        state.apply(InspectAction::SelectTable("posts".into()));
        state.apply(InspectAction::SortBy("id".into()));
        assert_eq!(state.sort.as_ref().map(|s| s.descending), Some(false));
        state.apply(InspectAction::SortBy("id".into()));
        assert_eq!(state.sort.as_ref().map(|s| s.descending), Some(true));
        state.apply(InspectAction::SortBy("content".into()));
        assert_eq!(
            state.sort,
            Some(SortBy {
                column: "content".into(),
                descending: false
            })
        );
        state.apply(InspectAction::SelectTable("users".into()));
        assert_eq!(state.sort, None, "a new table starts unsorted");
    }

    #[test]
    fn a_page_of_another_table_is_ignored() {
        let mut state = InspectState::default();
        state.apply(InspectAction::SelectTable("posts".into()));
        state.receive(InspectResponse::Page(page("users", 0)));
        assert_eq!(state.page, None);
        state.receive(InspectResponse::Page(page("posts", 50)));
        assert_eq!(state.offset(), 50);
    }

    #[test]
    fn a_dropped_table_is_deselected() {
        let mut state = InspectState::default();
        state.apply(InspectAction::SelectTable("posts".into()));
        state.receive(InspectResponse::Page(page("posts", 0)));
        state.receive(InspectResponse::Tables { tables: vec![] });
        assert_eq!(state.selected_table, None);
        assert_eq!(state.page, None);
    }

    #[test]
    fn the_console_keeps_a_history_without_repeats() {
        let mut state = InspectState::default();
        for sql in ["SELECT 1", "SELECT 1", "SELECT 2"] {
            state.receive(InspectResponse::Sql {
                sql: sql.into(),
                result: Err("x".into()),
                snapshot: None,
            });
        }
        assert_eq!(state.sql_history, vec!["SELECT 1", "SELECT 2"]);
        assert_eq!(state.console.map(|c| c.sql), Some("SELECT 2".into()));
    }

    #[test]
    fn the_drift_check_is_kept_until_the_next_one() {
        let mut state = InspectState::default();
        let view = crate::web::protocol::inspect::DriftView {
            recorded: vec!["0a6c9e3f5b71".into()],
            versioned: true,
            known: true,
            differences: vec!["posts has an extra column `foo TEXT`".into()],
            baseline: vec![],
        };
        state.receive(InspectResponse::Drift(view.clone()));
        assert_eq!(state.drift.as_ref(), Some(&view));
        assert!(!view.matches());
        let clean = crate::web::protocol::inspect::DriftView {
            differences: vec![],
            ..view
        };
        state.receive(InspectResponse::Drift(clean));
        assert!(state.drift.is_some_and(|d| d.matches()));
    }

    #[test]
    fn a_diff_for_an_earlier_pick_is_ignored() {
        let mut state = InspectState::default();
        state.apply(InspectAction::SetDiffFrom("base".into()));
        state.apply(InspectAction::SetDiffTo("c3e7a1d9f482".into()));
        let view = |to: &str| DiffView {
            from: "base".into(),
            to: to.into(),
            ..DiffView::default()
        };
        state.receive(InspectResponse::Diff(view("head")));
        assert_eq!(state.diff, None);
        state.receive(InspectResponse::Diff(view("c3e7a1d9f482")));
        assert!(state.diff.is_some());
        state.apply(InspectAction::SetDiffTo("head".into()));
        assert_eq!(state.diff, None, "a new pick drops the old answer");
    }

    #[test]
    fn the_export_follows_the_last_table_or_console_read() {
        let mut state = InspectState::default();
        assert_eq!(state.export_source, None);
        state.apply(InspectAction::SelectTable("posts".into()));
        assert_eq!(
            state.export_source,
            Some(ExportSource::Table("posts".into()))
        );
        state.receive(InspectResponse::Sql {
            sql: "SELECT 1".into(),
            result: Err("no".into()),
            snapshot: None,
        });
        assert_eq!(
            state.export_source,
            Some(ExportSource::Table("posts".into())),
            "a failed statement has no rows to export"
        );
        state.receive(InspectResponse::Sql {
            sql: "SELECT 2".into(),
            result: Ok(crate::db::ConsoleOutcome {
                grid: Grid::default(),
                truncated: false,
                wrote: false,
                changes: 0,
            }),
            snapshot: None,
        });
        assert_eq!(
            state.export_source,
            Some(ExportSource::Query("SELECT 2".into()))
        );
    }
}
