//! The Schema view: the open file's ER diagram (with Export SVG), the comparison of two
//! revisions (or the open file and a revision), and the schema's evolution through the history.

use yew::prelude::*;

use super::{ErdDiagram, EvolutionPanel, RevisionDiff};
use crate::web::page::download;
use crate::web::page::handle::use_page;
use crate::web::protocol::inspect::InspectRequest;
use crate::web::protocol::Request;
use crate::web::page::state::{Action, InspectAction};

/// The diagram, the comparison and the evolution.
#[function_component(SchemaView)]
pub fn schema_view() -> Html {
    let page = use_page();
    let on_erd_download = page.callback(|page, ()| {
        if let Some(view) = &page.state.inspect.erd {
            let name = format!("{}.erd.svg", page.state.file_name());
            if let Err(problem) = download::save_text_as(&view.svg, &name, "image/svg+xml") {
                page.fail(problem);
            }
        }
    });
    let on_diff = |from_side: bool| {
        page.callback(move |page, picked: String| {
            let (from, to) = page.state.inspect.diff_pick.clone();
            let (action, from, to) = if from_side {
                (InspectAction::SetDiffFrom(picked.clone()), picked, to)
            } else {
                (InspectAction::SetDiffTo(picked.clone()), from, picked)
            };
            page.dispatch(Action::Inspect(action));
            if !from.is_empty() && !to.is_empty() {
                page.request(Request::Inspect {
                    request: InspectRequest::Diff { from, to },
                });
            }
        })
    };
    let on_evolution = page.callback(|page, step: usize| {
        page.request(Request::Inspect {
            request: InspectRequest::Evolution { step },
        })
    });

    let inspect = &page.state.inspect;
    html! {
        <>
            <section class="card span-all" aria-labelledby="erd-heading">
                <h2 id="erd-heading">{ "Schema diagram" }</h2>
                <ErdDiagram view={inspect.erd.clone()} on_download={on_erd_download} />
            </section>
            <section class="card" aria-labelledby="diff-heading">
                <RevisionDiff
                    history={inspect.history.clone()}
                    pick={inspect.diff_pick.clone()}
                    diff={inspect.diff.clone()}
                    on_from={on_diff(true)}
                    on_to={on_diff(false)}
                />
            </section>
            <section class="card" aria-labelledby="evolution-heading">
                <EvolutionPanel view={inspect.evolution.clone()} on_step={on_evolution} />
            </section>
        </>
    }
}
