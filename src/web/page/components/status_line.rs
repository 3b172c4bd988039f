//! One polite live line: what is running, or what just happened.

use yew::prelude::*;

use crate::web::protocol::Request;
use crate::web::page::state::{busy_words, WorkerStatus};

/// Props of [`StatusLine`].
#[derive(Properties, PartialEq)]
pub struct StatusLineProps {
    /// The running operation, if any.
    pub busy: Option<Request>,
    /// Whether the worker listens.
    pub worker: WorkerStatus,
    /// The name of the last download.
    pub downloaded: Option<String>,
}

/// The status line (`data-testid="status"`).
#[function_component(StatusLine)]
pub fn status_line(props: &StatusLineProps) -> Html {
    let state = props;
    let text = if let Some(busy) = &state.busy {
        busy_words(busy)
    } else if state.worker == WorkerStatus::Starting {
        "Starting…".to_string()
    } else if state.worker == WorkerStatus::Stopped {
        "Stopped: reload the page.".to_string()
    } else if let Some(file_name) = &state.downloaded {
        format!("Downloaded as {file_name}.")
    } else {
        "Ready.".to_string()
    };
    let busy = if state.busy.is_some() {
        "true"
    } else {
        "false"
    };
    html! { <p class="status" role="status" aria-busy={busy} data-testid="status">{ text }</p> }
}
