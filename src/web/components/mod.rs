//! Small function components, one per file; each gets its data and callbacks as props and
//! never reaches into another.

mod actions;
mod error_banner;
mod file_picker;
mod history_graph;
mod history_section;
mod inspect_section;
mod result_grid;
mod revision_detail;
mod revision_panel;
mod sql_console;
mod status_line;
mod step_log;
mod table_browser;
mod table_list;
mod table_schema;

pub use actions::Actions;
pub use error_banner::ErrorBanner;
pub use file_picker::FilePicker;
pub use history_graph::HistoryGraph;
pub use history_section::HistorySection;
pub use inspect_section::InspectSection;
pub use result_grid::ResultGrid;
pub use revision_detail::RevisionDetail;
pub use revision_panel::RevisionPanel;
pub use sql_console::SqlConsole;
pub use status_line::StatusLine;
pub use step_log::StepLog;
pub use table_browser::TableBrowser;
pub use table_list::TableList;
pub use table_schema::TableSchema;
