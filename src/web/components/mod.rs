//! Small function components, one per file; each gets its data and callbacks as props and
//! never reaches into another.

mod actions;
mod downloads;
mod drift_panel;
mod error_banner;
mod file_picker;
mod history_graph;
mod history_section;
mod inspect_section;
mod migrate_form;
mod open_panel;
mod overview;
mod preview_view;
mod result_grid;
mod revision_detail;
mod revision_panel;
mod sql_console;
mod status_line;
mod step_log;
mod table_browser;
mod table_list;
mod table_schema;
mod undo_button;

pub use actions::Actions;
pub use downloads::Downloads;
pub use drift_panel::DriftPanel;
pub use error_banner::ErrorBanner;
pub use file_picker::FilePicker;
pub use history_graph::HistoryGraph;
pub use history_section::HistorySection;
pub use inspect_section::InspectSection;
pub use migrate_form::MigrateForm;
pub use open_panel::OpenPanel;
pub use overview::OverviewPanel;
pub use preview_view::PreviewView;
pub use result_grid::ResultGrid;
pub use revision_detail::RevisionDetail;
pub use revision_panel::RevisionPanel;
pub use sql_console::SqlConsole;
pub use status_line::StatusLine;
pub use step_log::StepLog;
pub use table_browser::TableBrowser;
pub use table_list::TableList;
pub use table_schema::TableSchema;
pub use undo_button::UndoButton;
