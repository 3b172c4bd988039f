//! Function components, one per file. The header (`header.rs`, with `view_tabs.rs`,
//! `open_bar.rs`) and one component per view (`*_view.rs`) read the page's state and make their
//! callbacks through `crate::web::page::handle`; the smaller parts they are built of get their data
//! and callbacks as props and never reach into another. A new part of a view goes in a file of
//! its own, drawn by that view's component.

mod data_view;
mod downloads;
mod drift_panel;
mod drop_target;
mod erd_svg;
mod erd_view;
mod error_banner;
mod evolution_panel;
mod export_bar;
mod header;
mod history_graph;
mod history_section;
mod migrate_form;
mod migrate_view;
mod migrations_panel;
mod open_bar;
mod operation_progress;
mod overview;
mod overview_view;
mod preview_view;
mod result_grid;
mod revision_detail;
mod revision_diff;
mod revision_panel;
mod schema_view;
mod sql_console;
mod status_line;
mod step_log;
mod table_browser;
mod table_list;
mod table_schema;
mod undo_button;
mod view_panel;
mod view_tabs;

pub use data_view::DataView;
pub use downloads::Downloads;
pub use drift_panel::DriftPanel;
pub use drop_target::DropTarget;
pub use erd_svg::ErdSvg;
pub use erd_view::ErdDiagram;
pub use error_banner::ErrorBanner;
pub use evolution_panel::EvolutionPanel;
pub use export_bar::ExportBar;
pub use header::Header;
pub use history_graph::HistoryGraph;
pub use history_section::HistorySection;
pub use migrate_form::MigrateForm;
pub use migrate_view::MigrateView;
pub use migrations_panel::{choose_migrations, MigrationsPanel};
pub use open_bar::OpenBar;
pub use operation_progress::OperationProgress;
pub use overview::OverviewPanel;
pub use overview_view::OverviewView;
pub use preview_view::PreviewView;
pub use result_grid::ResultGrid;
pub use revision_detail::RevisionDetail;
pub use revision_diff::RevisionDiff;
pub use revision_panel::RevisionPanel;
pub use schema_view::SchemaView;
pub use sql_console::SqlConsole;
pub use status_line::StatusLine;
pub use step_log::StepLog;
pub use table_browser::TableBrowser;
pub use table_list::TableList;
pub use table_schema::TableSchema;
pub use undo_button::UndoButton;
pub use view_panel::ViewPanel;
pub use view_tabs::ViewTabs;
