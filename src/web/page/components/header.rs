//! The header that stays in view: the open file's name (`file-name`, with `demo-badge`), its
//! revision (`current-revision`: only the id(s) or `base`) and its state in words
//! (`migration-status`; for a revision the migrations in use do not know, `offer-migrations`
//! opens "Use other migrations…"), the main actions (`upgrade-head`, `undo`, `download`) and the status
//! line.

use yew::prelude::*;

use super::{choose_migrations, StatusLine, UndoButton};
use crate::web::page::state::View;
use crate::web::page::handle::use_page;
use crate::web::protocol::Request;

/// The file, its revision and state, and what can be done with it from every view.
#[function_component(Header)]
pub fn header() -> Html {
    let page = use_page();
    let on_upgrade = page.callback(|page, _: MouseEvent| page.request(Request::UpgradeToHead));
    let on_undo = page.callback(|page, ()| page.request(Request::Undo));
    let on_download = page.callback(|page, _: MouseEvent| page.request(Request::Export));
    let on_offer = page.callback(|page, _: MouseEvent| {
        page.show(View::Migrate);
        choose_migrations();
    });

    let state = &page.state;
    let file = match &state.snapshot {
        None => html! {
            <p class="file-line"><span class="file-name" data-testid="file-name">{ "No database open yet." }</span></p>
        },
        Some(snapshot) => html! {
            <>
                <p class="file-line">
                    <span class="file-name" data-testid="file-name">{ &snapshot.file_name }</span>
                    if snapshot.is_demo {
                        <span class="badge" data-testid="demo-badge">{ "built-in demo" }</span>
                    }
                    <span class="at">{ "at revision" }</span>
                    <code class="revision" data-testid="current-revision">{ snapshot.current_text() }</code>
                </p>
                <p class="status-words" data-testid="migration-status">{ &snapshot.overview.status }</p>
                if !snapshot.unknown_revisions().is_empty() {
                    <button type="button" class="secondary offer" data-testid="offer-migrations"
                            disabled={!state.can_act()} onclick={on_offer.clone()}>
                        { "Load migrations that know it…" }
                    </button>
                }
            </>
        },
    };
    let undo_labels = state
        .snapshot
        .as_ref()
        .map(|snapshot| snapshot.undo.clone())
        .unwrap_or_default();
    html! {
        <header class="topbar-head">
            <div class="topbar-row">
                <h1 class="brand">{ "content-db" }</h1>
                <div class="file-facts">{ file }</div>
                <div class="header-actions">
                    <div class="actions">
                        <button type="button" data-testid="upgrade-head" disabled={!state.can_upgrade()} onclick={on_upgrade}>
                            { "Upgrade to head" }
                        </button>
                        <UndoButton labels={undo_labels} enabled={state.can_undo()} on_undo={on_undo} />
                        <button type="button" data-testid="download" disabled={!state.can_download()} onclick={on_download}>
                            { "Download" }
                        </button>
                    </div>
                    <StatusLine busy={state.busy.clone()} worker={state.worker.clone()}
                                downloaded={state.downloaded.clone()} />
                </div>
            </div>
        </header>
    }
}
