//! Small function components, one per file; each gets its data and callbacks as props and
//! never reaches into another.

mod actions;
mod error_banner;
mod file_picker;
mod revision_panel;
mod status_line;
mod step_log;

pub use actions::Actions;
pub use error_banner::ErrorBanner;
pub use file_picker::FilePicker;
pub use revision_panel::RevisionPanel;
pub use status_line::StatusLine;
pub use step_log::StepLog;
