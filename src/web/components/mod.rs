//! Small function components, one per file; each gets its data and callbacks as props and
//! never reaches into another.

mod actions;
mod downloads;
mod error_banner;
mod file_picker;
mod migrate_form;
mod open_panel;
mod overview;
mod preview_view;
mod revision_panel;
mod status_line;
mod step_log;
mod undo_button;

pub use actions::Actions;
pub use downloads::Downloads;
pub use error_banner::ErrorBanner;
pub use file_picker::FilePicker;
pub use migrate_form::MigrateForm;
pub use open_panel::OpenPanel;
pub use overview::OverviewPanel;
pub use preview_view::PreviewView;
pub use revision_panel::RevisionPanel;
pub use status_line::StatusLine;
pub use step_log::StepLog;
pub use undo_button::UndoButton;
