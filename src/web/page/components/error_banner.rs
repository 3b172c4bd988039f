//! The `error` element: shown only while there is a message, announced to screen readers.

use yew::prelude::*;

/// Props of [`ErrorBanner`].
#[derive(Properties, PartialEq)]
pub struct ErrorBannerProps {
    /// The message, if something failed.
    pub error: Option<String>,
    /// The user closed it.
    pub on_dismiss: Callback<()>,
}

/// A dismissible alert.
#[function_component(ErrorBanner)]
pub fn error_banner(props: &ErrorBannerProps) -> Html {
    let Some(message) = &props.error else {
        return html! {};
    };
    let on_dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div class="error" role="alert" data-testid="error">
            <p>{ message }</p>
            <button type="button" class="link" onclick={on_dismiss} aria-label="Dismiss this message">
                { "Dismiss" }
            </button>
        </div>
    }
}
