//! The `undo` button: goes back to the snapshot before the last operation, instantly.

use yew::prelude::*;

/// Props of [`UndoButton`].
#[derive(Properties, PartialEq)]
pub struct UndoButtonProps {
    /// The operations that can be undone, oldest first.
    pub labels: Vec<String>,
    /// Whether it can run now.
    pub enabled: bool,
    /// Undo was pressed.
    pub on_undo: Callback<()>,
}

/// The button, naming what it undoes (how many steps back it can go in its tooltip).
#[function_component(UndoButton)]
pub fn undo_button(props: &UndoButtonProps) -> Html {
    let on_undo = props.on_undo.reform(|_: MouseEvent| ());
    let text = match props.labels.last() {
        Some(label) => format!("Undo {label}"),
        None => "Undo (nothing to undo)".to_string(),
    };
    let title = (!props.labels.is_empty()).then(|| {
        format!(
            "{} operation(s) can be undone, back to the file as opened.",
            props.labels.len()
        )
    });
    html! {
        <button type="button" class="secondary undo-button" data-testid="undo" {title}
                disabled={!props.enabled} onclick={on_undo}>{ text }</button>
    }
}
