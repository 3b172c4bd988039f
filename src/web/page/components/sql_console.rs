//! The SQL console: `sql-input` (Ctrl+Enter runs it), `run-sql`, the "Allow writing" switch
//! (`unlock-write`), the result grid `sql-result` or the error inline (`sql-error`), and the
//! statements run in this session (`sql-history`, click one to put it back in the input).

use web_sys::HtmlInputElement;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::ResultGrid;
use crate::web::page::state::ConsoleRun;

/// Props of [`SqlConsole`].
#[derive(Properties, PartialEq)]
pub struct SqlConsoleProps {
    /// The text of the input.
    pub input: String,
    /// Whether writing is unlocked.
    pub write_unlocked: bool,
    /// The last run.
    pub last: Option<ConsoleRun>,
    /// Statements run in this session, oldest first.
    pub history: Vec<String>,
    /// Whether the worker can take the statement now.
    pub enabled: bool,
    /// The input changed.
    pub on_input: Callback<String>,
    /// Run the input.
    pub on_run: Callback<()>,
    /// The switch changed.
    pub on_unlock: Callback<bool>,
}

/// The console.
#[function_component(SqlConsole)]
pub fn sql_console(props: &SqlConsoleProps) -> Html {
    let oninput = props
        .on_input
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlTextAreaElement>().value());
    let onkeydown = {
        let on_run = props.on_run.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
                event.prevent_default();
                on_run.emit(());
            }
        })
    };
    let onclick = props.on_run.reform(|_: MouseEvent| ());
    let onchange = props
        .on_unlock
        .reform(|event: Event| event.target_unchecked_into::<HtmlInputElement>().checked());
    let result = match &props.last {
        None => html! {},
        Some(ConsoleRun {
            result: Err(message),
            ..
        }) => html! {
            <p class="sql-error" role="alert" data-testid="sql-error">{ message }</p>
        },
        Some(ConsoleRun {
            result: Ok(outcome),
            ..
        }) => {
            let summary = if outcome.wrote {
                format!(
                    "Done: {} row(s) changed. Undo takes it back.",
                    outcome.changes
                )
            } else if outcome.truncated {
                format!("First {} rows shown.", outcome.grid.rows.len())
            } else {
                format!("{} row(s).", outcome.grid.rows.len())
            };
            html! {
                <>
                    <p class="hint" data-testid="sql-summary">{ summary }</p>
                    <ResultGrid grid={outcome.grid.clone()} test_id="sql-result" />
                </>
            }
        }
    };
    let history = props.history.iter().rev().map(|sql| {
        let onclick = {
            let (on_input, sql) = (props.on_input.clone(), sql.clone());
            Callback::from(move |_: MouseEvent| on_input.emit(sql.clone()))
        };
        html! { <li><button type="button" class="link" {onclick}><code>{ sql }</code></button></li> }
    });
    html! {
        <div class="sql-console">
            <label for="sql-input">{ "SQL (one statement; Ctrl+Enter runs it)" }</label>
            <textarea id="sql-input" data-testid="sql-input" rows="4" spellcheck="false"
                value={props.input.clone()} {oninput} {onkeydown} />
            <div class="actions">
                <button type="button" data-testid="run-sql" disabled={!props.enabled} {onclick}>{ "Run" }</button>
                <label class="unlock">
                    <input type="checkbox" data-testid="unlock-write" checked={props.write_unlocked} {onchange} />
                    { " Allow writing (changes can be undone)" }
                </label>
            </div>
            if !props.write_unlocked {
                <p class="hint">{ "Read-only: statements that would change the database are refused." }</p>
            }
            { result }
            if !props.history.is_empty() {
                <details class="sql-history">
                    <summary>{ format!("History ({})", props.history.len()) }</summary>
                    <ul data-testid="sql-history">{ for history }</ul>
                </details>
            }
        </div>
    }
}
