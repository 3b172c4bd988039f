//! Opening: a drop zone around the file picker, a reading progress bar, the demo button
//! (`demo-db`) and "new empty database" (`new-db`).

use web_sys::{DragEvent, File};
use yew::prelude::*;

use super::FilePicker;

/// Props of [`OpenPanel`].
#[derive(Properties, PartialEq)]
pub struct OpenPanelProps {
    /// A file was chosen or dropped.
    pub on_file: Callback<File>,
    /// The demo button was pressed.
    pub on_demo: Callback<()>,
    /// The new-database button was pressed.
    pub on_new: Callback<()>,
    /// Bytes read / total while a file is being read.
    pub reading: Option<(u64, u64)>,
    /// Whether the buttons can start something now.
    pub enabled: bool,
}

/// The drop zone, picker, progress bar and the two buttons.
#[function_component(OpenPanel)]
pub fn open_panel(props: &OpenPanelProps) -> Html {
    let hovering = use_state(|| false);
    let on_drag_over = {
        let hovering = hovering.clone();
        Callback::from(move |event: DragEvent| {
            // Without preventDefault the browser would open the dropped file itself.
            event.prevent_default();
            hovering.set(true);
        })
    };
    let on_drag_leave = {
        let hovering = hovering.clone();
        Callback::from(move |_: DragEvent| hovering.set(false))
    };
    let on_drop = {
        let on_file = props.on_file.clone();
        let hovering = hovering.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            hovering.set(false);
            let file = event
                .data_transfer()
                .and_then(|transfer| transfer.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                on_file.emit(file);
            }
        })
    };
    let on_demo = props.on_demo.reform(|_: MouseEvent| ());
    let on_new = props.on_new.reform(|_: MouseEvent| ());
    let zone_class = if *hovering {
        "drop-zone hovering"
    } else {
        "drop-zone"
    };
    html! {
        <div class="open-panel">
            <div class={zone_class} data-testid="drop-zone"
                 ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop}>
                <FilePicker on_file={props.on_file.clone()} />
                <p class="hint">{ "…or drop the file here." }</p>
                if let Some((read, total)) = props.reading {
                    <progress data-testid="read-progress" max={total.max(1).to_string()}
                              value={read.to_string()} aria-label="Reading the file" />
                }
            </div>
            <div class="actions">
                <button type="button" class="secondary" data-testid="demo-db"
                        disabled={!props.enabled} onclick={on_demo}>
                    { "Demo database" }
                </button>
                <button type="button" class="secondary" data-testid="new-db"
                        disabled={!props.enabled} onclick={on_new}>
                    { "New empty database" }
                </button>
            </div>
        </div>
    }
}
