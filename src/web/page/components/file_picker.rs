//! The file input (`data-testid="open-file"`): choosing a file opens it at once.

use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

/// Props of [`FilePicker`].
#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    /// Called with the chosen file.
    pub on_file: Callback<File>,
}

/// A labelled native file input (keyboard reachable as is).
#[function_component(FilePicker)]
pub fn file_picker(props: &FilePickerProps) -> Html {
    let on_change = {
        let on_file = props.on_file.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(file);
            }
            // Clear the input so choosing the same file again (e.g. after an error) fires again.
            input.set_value("");
        })
    };
    html! {
        <div class="file-picker">
            <label for="open-file">{ "Open a database file (.db)" }</label>
            <input
                id="open-file"
                type="file"
                accept=".db,.sqlite,.sqlite3,application/vnd.sqlite3,application/x-sqlite3"
                data-testid="open-file"
                aria-describedby="open-file-help"
                onchange={on_change}
            />
            <p id="open-file-help" class="hint">
                { "It is read into this tab only. Until you choose one, a demo database is shown." }
            </p>
        </div>
    }
}
