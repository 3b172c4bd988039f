//! The whole window as a drop target: a file dropped anywhere on the page opens (migration
//! files, all `.sql`, are used as "Use other migrations…" instead), and while one is dragged
//! over it the page says so (the class `dragging`, drawn by `styles/layout.css`).

use web_sys::{DragEvent, File};
use yew::prelude::*;

use crate::revision::is_migration_file;
use crate::web::page::handle::use_page;

/// Props of [`DropTarget`].
#[derive(Properties, PartialEq)]
pub struct DropTargetProps {
    /// The whole page.
    pub children: Html,
}

/// The page's outermost box, as tall as the window at least.
#[function_component(DropTarget)]
pub fn drop_target(props: &DropTargetProps) -> Html {
    let page = use_page();
    let dragging = use_state_eq(|| false);
    // Entering a child fires `dragenter` on it before `dragleave` on the box left: the drag has
    // left the window when as many leaves as entries came.
    let inside = use_mut_ref(|| 0_i32);
    let on_drag_enter = {
        let inside = inside.clone();
        page.callback(move |_, _: DragEvent| *inside.borrow_mut() += 1)
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        page.callback(move |_, event: DragEvent| {
            // Without preventDefault the browser would open the dropped file itself.
            event.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let (dragging, inside) = (dragging.clone(), inside.clone());
        page.callback(move |_, _: DragEvent| {
            let mut count = inside.borrow_mut();
            *count -= 1;
            if *count <= 0 {
                *count = 0;
                dragging.set(false);
            }
        })
    };
    let on_drop = {
        let (dragging, inside) = (dragging.clone(), inside.clone());
        page.callback(move |page, event: DragEvent| {
            event.prevent_default();
            *inside.borrow_mut() = 0;
            dragging.set(false);
            let files: Vec<File> = event
                .data_transfer()
                .and_then(|transfer| transfer.files())
                .map(|list| (0..list.length()).filter_map(|at| list.get(at)).collect())
                .unwrap_or_default();
            if !files.is_empty() && files.iter().all(|file| is_migration_file(&file.name())) {
                page.use_migrations(files);
            } else if let Some(file) = files.into_iter().next() {
                page.open(file);
            }
        })
    };
    html! {
        <div class={classes!("app", dragging.then_some("dragging"))}
             ondragenter={on_drag_enter} ondragover={on_drag_over}
             ondragleave={on_drag_leave} ondrop={on_drop}>
            { props.children.clone() }
        </div>
    }
}
