//! The migrate target (`migrate-target`), the "stamp only" choice (`stamp-only`) and the
//! Preview button (`preview-button`); Enter in the input previews as well.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`MigrateForm`].
#[derive(Properties, PartialEq)]
pub struct MigrateFormProps {
    /// The target text (from the state).
    pub target: String,
    /// The stamp-only choice (from the state).
    pub stamp_only: bool,
    /// Whether a preview can be asked for now.
    pub can_preview: bool,
    /// The target text changed.
    pub on_target: Callback<String>,
    /// The stamp choice changed.
    pub on_stamp: Callback<bool>,
    /// Preview was asked for.
    pub on_preview: Callback<()>,
}

/// The form.
#[function_component(MigrateForm)]
pub fn migrate_form(props: &MigrateFormProps) -> Html {
    let on_input = props.on_target.reform(|event: InputEvent| {
        let input: HtmlInputElement = event.target_unchecked_into();
        input.value()
    });
    let on_stamp = props.on_stamp.reform(|event: Event| {
        let input: HtmlInputElement = event.target_unchecked_into();
        input.checked()
    });
    let on_submit = {
        let on_preview = props.on_preview.clone();
        let can = props.can_preview;
        Callback::from(move |event: SubmitEvent| {
            // Enter in the input submits the form: preview instead of reloading the page.
            event.prevent_default();
            if can {
                on_preview.emit(());
            }
        })
    };
    html! {
        <form class="migrate-form" onsubmit={on_submit}>
            <label for="migrate-target">{ "Migrate to" }</label>
            <div class="migrate-row">
                <input id="migrate-target" type="text" data-testid="migrate-target"
                       value={props.target.clone()} oninput={on_input}
                       placeholder="head, base, an id, +1, -1…" autocomplete="off"
                       spellcheck="false" aria-describedby="migrate-help" />
                <button type="submit" data-testid="preview-button" disabled={!props.can_preview}>
                    { "Preview" }
                </button>
            </div>
            <label class="check">
                <input type="checkbox" data-testid="stamp-only" checked={props.stamp_only}
                       onchange={on_stamp} />
                { " Stamp only (rewrite alembic_version, run no migration)" }
            </label>
            <p id="migrate-help" class="hint">
                { "Targets as in Alembic: head, heads, base, a revision id or its prefix, +N or -N \
                   steps, REV+N, REV-N. Press Enter to see the plan; nothing changes until you apply." }
            </p>
        </form>
    }
}
