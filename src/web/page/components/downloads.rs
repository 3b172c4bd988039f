//! The downloads beside the header's `download`: the name the database is saved under
//! (`download-name`), the checks the last download ran (`checks`: `integrity_check` and
//! `foreign_key_check`), the original file as a backup (`download-backup`) and the migration
//! log (`download-log`).

use yew::prelude::*;

use crate::web::protocol::Checks;

/// Props of [`Downloads`].
#[derive(Properties, PartialEq)]
pub struct DownloadsProps {
    /// The name the database is saved under.
    pub file_name: Option<String>,
    /// Whether a download can start now.
    pub enabled: bool,
    /// Whether there is a log to save.
    pub has_log: bool,
    /// The checks of the last download.
    pub checks: Option<Checks>,
    /// The backup button was pressed.
    pub on_backup: Callback<()>,
    /// The log button was pressed.
    pub on_log: Callback<()>,
}

/// The backup and log buttons, and the checks.
#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
    let on_backup = props.on_backup.reform(|_: MouseEvent| ());
    let on_log = props.on_log.reform(|_: MouseEvent| ());
    let checks = props.checks.as_ref().map(|checks| {
        let class = if checks.passed() {
            "checks ok"
        } else {
            "checks bad"
        };
        let fk = if checks.foreign_keys.is_empty() {
            "foreign_key_check: no broken reference".to_string()
        } else {
            format!("foreign_key_check: {}", checks.foreign_keys.join("; "))
        };
        html! {
            <ul class={class} data-testid="checks" data-passed={checks.passed().to_string()}>
                <li>{ format!("integrity_check: {}", checks.integrity.join("; ")) }</li>
                <li>{ fk }</li>
            </ul>
        }
    });
    html! {
        <div class="downloads">
            if let Some(name) = &props.file_name {
                <p class="hint" data-testid="download-name">{ format!("The database downloads as {name}.") }</p>
            }
            <div class="actions">
                <button type="button" class="secondary" data-testid="download-backup"
                        disabled={!props.enabled} onclick={on_backup}>{ "Download the original (backup)" }</button>
                <button type="button" class="secondary" data-testid="download-log"
                        disabled={!props.enabled || !props.has_log} onclick={on_log}>{ "Download the migration log" }</button>
            </div>
            { for checks }
        </div>
    }
}
