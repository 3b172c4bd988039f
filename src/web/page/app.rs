//! The page: the reducer and the worker, the effects that keep the page's reads up to date, and
//! the layout — the header over one view at a time. Every section is a component of its own that
//! reads the state and makes its callbacks through [`PageHandle`] (see `handle.rs`).

use yew::prelude::*;

use super::components::{
    DataView, DropTarget, ErrorBanner, Header, MigrateView, OpenBar, OperationProgress,
    OverviewView, SchemaView, ViewPanel, ViewTabs,
};
use super::handle::{make_callback, PageHandle};
use super::hooks::{use_refresh, use_view_fragment, use_worker};
use super::state::{Action, AppState, View};

/// Mounts the page on `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let worker = use_worker(state.dispatcher());
    let page = PageHandle::new(state, worker);
    // Effects: the view named in the URL fragment, and the reads that follow every change of
    // the open database.
    use_view_fragment(&page);
    use_refresh(&page);
    // Callbacks.
    let on_dismiss = make_callback(&page, |()| Action::DismissError);
    // View.
    let state = &page.state;
    html! {
        <ContextProvider<PageHandle> context={page.clone()}>
            <DropTarget>
                <div class="topbar">
                    <Header />
                    // The open controls come first in the Tab order, so that Tab goes from
                    // the tabs into the view; they are drawn right of the tabs.
                    <div class="topbar-nav">
                        <OpenBar />
                        <ViewTabs />
                    </div>
                    <div class="topbar-notes">
                        <OperationProgress operation={state.operation.clone()} />
                        <ErrorBanner error={state.error.clone()} on_dismiss={on_dismiss} />
                    </div>
                </div>
                <main class="views">
                    <ViewPanel view={View::Overview}><OverviewView /></ViewPanel>
                    <ViewPanel view={View::Migrate}><MigrateView /></ViewPanel>
                    <ViewPanel view={View::Schema}><SchemaView /></ViewPanel>
                    <ViewPanel view={View::Data}><DataView /></ViewPanel>
                </main>
            </DropTarget>
        </ContextProvider<PageHandle>>
    }
}
