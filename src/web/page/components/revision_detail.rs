//! The selected revision (`data-testid="revision-detail"`): what it revises, what its downgrade
//! loses, and its upgrade and downgrade SQL as written in the migration file.

use yew::prelude::*;

use crate::web::protocol::inspect::HistoryEntry;

/// Props of [`RevisionDetail`].
#[derive(Properties, PartialEq)]
pub struct RevisionDetailProps {
    /// The selected revision.
    pub entry: HistoryEntry,
}

/// One revision in full.
#[function_component(RevisionDetail)]
pub fn revision_detail(props: &RevisionDetailProps) -> Html {
    let entry = &props.entry;
    let revises = if entry.down_revisions.is_empty() {
        "nothing (the base)".to_string()
    } else {
        entry.down_revisions.join(", ")
    };
    let sql = |text: &str| {
        if text.trim().is_empty() {
            "-- no SQL: only alembic_version changes".to_string()
        } else {
            text.trim().to_string()
        }
    };
    html! {
        <div class="revision-detail" data-testid="revision-detail" data-revision={entry.id.clone()}>
            <h3><code>{ &entry.id }</code>{ " " }{ &entry.message }</h3>
            <dl>
                <dt>{ "Created" }</dt><dd>{ &entry.create_date }</dd>
                <dt>{ "Revises" }</dt><dd>{ revises }</dd>
                <dt>{ "Downgrade" }</dt>
                <dd data-testid="revision-loss">
                    { entry.loss.as_ref().map_or("keeps every value".to_string(), |loss| loss.describe()) }
                </dd>
            </dl>
            <h4>{ "Upgrade SQL" }</h4>
            <pre class="sql" data-testid="upgrade-sql" tabindex="0">{ sql(&entry.upgrade_sql) }</pre>
            <h4>{ "Downgrade SQL" }</h4>
            <pre class="sql" data-testid="downgrade-sql" tabindex="0">{ sql(&entry.downgrade_sql) }</pre>
        </div>
    }
}
