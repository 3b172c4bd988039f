//! What every section of the page reaches the page through: the state to read, and the one way
//! to change anything, a callback made by [`PageHandle::callback`] (or [`make_callback`] for a
//! single [`Action`]). A callback dispatches [`Action`]s to the reducer and sends [`Request`]s
//! to the worker; a request that is an operation marks the page busy by itself.

use web_sys::File;
use yew::prelude::*;

use super::hooks::WorkerHandle;
use crate::web::protocol::Request;
use super::state::{Action, AppState, View};

/// The page's state and its worker, given to every section by a context (see [`use_page`]).
#[derive(Clone)]
pub struct PageHandle {
    /// The state, read by the sections.
    pub state: UseReducerHandle<AppState>,
    worker: WorkerHandle,
}

impl PartialEq for PageHandle {
    /// The same worker for the page's lifetime: a new state is what makes the sections redraw.
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
    }
}

impl PageHandle {
    /// The handle of the app's reducer and worker.
    pub fn new(state: UseReducerHandle<AppState>, worker: WorkerHandle) -> PageHandle {
        PageHandle { state, worker }
    }

    /// Changes the state.
    pub fn dispatch(&self, action: Action) {
        self.state.dispatch(action);
    }

    /// Sends `request` to the worker; an operation (see [`Request::marks_busy`]) marks the page
    /// busy until its answer.
    pub fn request(&self, request: Request) {
        self.worker.request(request);
    }

    /// Opens a chosen or dropped file.
    pub fn open(&self, file: File) {
        self.worker.open(file);
    }

    /// Plans with the history of the chosen migration files (checked by the worker).
    pub fn use_migrations(&self, files: Vec<File>) {
        self.worker.use_migrations(files);
    }

    /// Shows `view` and names it in the URL fragment, a new entry of the tab's history (Back
    /// returns to the view before; the `hashchange` it fires shows the same view again).
    pub fn show(&self, view: View) {
        self.dispatch(Action::ShowView(view));
        if let Some(window) = web_sys::window() {
            // Only a sandboxed document refuses it; the view is shown all the same.
            let _ = window.location().set_hash(view.name());
        }
    }

    /// Shows a failure of the page itself (e.g. a download the browser refused).
    pub fn fail(&self, problem: String) {
        self.worker.fail(problem);
    }

    /// A callback that runs `act` with this handle and the event's value: the one pattern of
    /// every callback of the page.
    pub fn callback<E: 'static>(&self, act: impl Fn(&PageHandle, E) + 'static) -> Callback<E> {
        let page = self.clone();
        Callback::from(move |value: E| act(&page, value))
    }
}

/// A callback that dispatches the [`Action`] `make` builds from the event's value (the helper of
/// Yew's `function_todomvc`): `make_callback(&page, Action::SetMigrateTarget)`.
pub fn make_callback<E: 'static>(
    page: &PageHandle,
    make: impl Fn(E) -> Action + 'static,
) -> Callback<E> {
    page.callback(move |page, value| page.dispatch(make(value)))
}

/// The page's handle, inside [`super::app::App`].
#[hook]
pub fn use_page() -> PageHandle {
    use_context::<PageHandle>().expect("a section of the page is rendered inside App")
}
