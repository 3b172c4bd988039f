//! The plan before it runs (`preview`): steps in order with their SQL (`preview-step`), the
//! data lost (`preview-loss`), the schema before → after (`preview-schema`), and `apply`.

use yew::prelude::*;

use crate::web::protocol::Preview;

/// Props of [`PreviewView`].
#[derive(Properties, PartialEq)]
pub struct PreviewViewProps {
    /// The plan to show.
    pub preview: Option<Preview>,
    /// Whether it can be applied now.
    pub can_apply: bool,
    /// Apply was pressed.
    pub on_apply: Callback<()>,
    /// Steps done / total while it runs.
    pub progress: Option<(usize, usize)>,
}

fn versions(ids: &[String]) -> String {
    if ids.is_empty() {
        "base".into()
    } else {
        ids.join(" ")
    }
}

/// The preview and its apply button.
#[function_component(PreviewView)]
pub fn preview_view(props: &PreviewViewProps) -> Html {
    let progress = props.progress.map(|(done, total)| {
        html! {
            <p class="progress-line">
                <progress data-testid="migrate-progress" max={total.max(1).to_string()}
                          value={done.to_string()} aria-label="Migration progress" />
                { format!(" step {done} of {total}") }
            </p>
        }
    });
    let Some(preview) = &props.preview else {
        return html! { <>{ for progress }</> };
    };
    let on_apply = props.on_apply.reform(|_: MouseEvent| ());
    let count = preview.steps.len();
    let summary = format!(
        "{} from {} to {}: {count} step{}.",
        preview.action,
        versions(&preview.versions_before),
        versions(&preview.versions_after),
        if count == 1 { "" } else { "s" }
    );
    html! {
        <div class="preview" data-testid="preview" data-action={preview.action.clone()}>
            <p data-testid="preview-summary"><strong>{ summary }</strong></p>
            if preview.losses.is_empty() {
                <p class="safe" data-testid="preview-no-loss">{ "No table or column with data is dropped." }</p>
            } else {
                <div class={if preview.loses_data { "loss" } else { "loss empty" }} role="note">
                    <strong>{ if preview.loses_data { "Data that will be lost:" } else { "Dropped, but empty now (no data lost):" } }</strong>
                    <ul>{ for preview.losses.iter().map(|loss| html! { <li data-testid="preview-loss">{ loss }</li> }) }</ul>
                </div>
            }
            <h3>{ "Steps" }</h3>
            <ol class="steps">
                { for preview.steps.iter().map(|step| html! {
                    <li data-testid="preview-step">
                        <span class="step-line">{ &step.line }</span>
                        <details>
                            <summary>{ "SQL" }</summary>
                            <pre><code>{ &step.sql }</code></pre>
                        </details>
                    </li>
                }) }
            </ol>
            <h3>{ "Schema before → after" }</h3>
            if preview.schema_changes.is_empty() {
                <p data-testid="preview-schema">{ "No schema change." }</p>
            } else {
                <ul data-testid="preview-schema">
                    { for preview.schema_changes.iter().map(|change| html! { <li>{ change }</li> }) }
                </ul>
            }
            <div class="actions">
                <button type="button" data-testid="apply" disabled={!props.can_apply || count == 0} onclick={on_apply}>
                    { if count == 0 { "Nothing to apply".to_string() } else { format!("Apply {count} step{}", if count == 1 { "" } else { "s" }) } }
                </button>
            </div>
            { for progress }
        </div>
    }
}
