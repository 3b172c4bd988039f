//! Exports of the Inspect section: the rows of the table chosen last or of the console's last
//! read as CSV (`export-csv`) or JSON (`export-json`), and the whole database as a SQL dump
//! (`export-dump`), all made in the worker and saved as files.

use yew::prelude::*;

use crate::web::protocol::inspect::{ExportFormat, ExportSource};

/// Props of [`ExportBar`].
#[derive(Properties, PartialEq)]
pub struct ExportBarProps {
    /// What the CSV and JSON buttons export (none yet: they are off).
    pub source: Option<ExportSource>,
    /// Whether a database is open.
    pub enabled: bool,
    /// Export `source` in a format.
    pub on_export: Callback<(ExportSource, ExportFormat)>,
    /// Download the dump.
    pub on_dump: Callback<()>,
}

/// Three buttons and what they export.
#[function_component(ExportBar)]
pub fn export_bar(props: &ExportBarProps) -> Html {
    let what = match &props.source {
        Some(ExportSource::Table(table)) => format!("every row of {table}"),
        Some(ExportSource::Query(_)) => "the rows of the console's last statement".to_string(),
        None => "a table or a console result (choose one first)".to_string(),
    };
    let button = |format: ExportFormat, testid: &'static str, label: &'static str| {
        let source = props.source.clone();
        let on_export = props.on_export.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(source) = source.clone() {
                on_export.emit((source, format));
            }
        });
        html! {
            <button type="button" class="secondary" data-testid={testid}
                    disabled={!props.enabled || props.source.is_none()} {onclick}>{ label }</button>
        }
    };
    let on_dump = props.on_dump.reform(|_: MouseEvent| ());
    html! {
        <div class="export-bar">
            <h3>{ "Export" }</h3>
            <p class="hint" data-testid="export-source">{ format!("CSV and JSON hold {what}.") }</p>
            <div class="actions">
                { button(ExportFormat::Csv, "export-csv", "Export CSV") }
                { button(ExportFormat::Json, "export-json", "Export JSON") }
                <button type="button" class="secondary" data-testid="export-dump" disabled={!props.enabled}
                        onclick={on_dump}>{ "Whole database as SQL dump" }</button>
            </div>
        </div>
    }
}
