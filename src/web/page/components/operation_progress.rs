//! The bar of the running operation (`operation-progress`), shown at the top of the page while
//! the worker is busy: a moving value for migrations (steps done plus the running step's share),
//! a bar without a value (which the browser animates) for operations that cannot tell, and what
//! runs in words (`operation-label`).

use yew::prelude::*;

use crate::web::page::state::Operation;

/// Props of [`OperationProgress`].
#[derive(Properties, PartialEq)]
pub struct OperationProgressProps {
    /// The running operation, if any.
    pub operation: Option<Operation>,
}

/// The value of the bar, in percent with one decimal (what `value` and `aria-valuenow` say).
fn percent(fraction: f64) -> String {
    format!("{:.1}", (fraction * 100.0).clamp(0.0, 100.0))
}

/// Nothing when idle; else the bar and its label.
#[function_component(OperationProgress)]
pub fn operation_progress(props: &OperationProgressProps) -> Html {
    let Some(operation) = &props.operation else {
        return html! {};
    };
    let bar = match operation.fraction {
        Some(fraction) => {
            let value = percent(fraction.get());
            let valuenow = value.clone();
            html! {
                <progress data-testid="operation-progress" max="100" value={value}
                          aria-valuemin="0" aria-valuemax="100" aria-valuenow={valuenow}
                          aria-labelledby="operation-label" />
            }
        }
        // No `value`: an indeterminate bar, which moves by itself.
        None => html! {
            <progress data-testid="operation-progress" aria-labelledby="operation-label" />
        },
    };
    html! {
        <div class="operation" data-testid="operation">
            { bar }
            <span id="operation-label" data-testid="operation-label">{ &operation.label }</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percent_has_one_decimal_and_stays_in_range() {
        assert_eq!(percent(0.4567), "45.7");
        assert_eq!(percent(0.0), "0.0");
        assert_eq!(percent(1.2), "100.0");
    }
}
