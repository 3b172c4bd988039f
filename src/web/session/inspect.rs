//! The worker's side of the History and Inspect parts of the page: the revision graph with the
//! open file's marks, table pages, table schemas and the SQL console. Reads never change the
//! database; a console write (only once unlocked) is checkpointed first so Undo can take it back.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::{Reply, Session};
use crate::schema::DowngradeLoss;
use crate::web::inspect::{
    HistoryEntry, HistoryView, InspectRequest, InspectResponse, RevisionStatus,
};
use crate::web::protocol::Response;
use crate::{Database, History};

/// What each revision's downgrade loses. The embedded history never changes, so the replays
/// run once per worker (a few milliseconds), not at every request.
fn downgrade_losses(history: &History) -> &'static Result<BTreeMap<String, DowngradeLoss>, String> {
    static LOSSES: OnceLock<Result<BTreeMap<String, DowngradeLoss>, String>> = OnceLock::new();
    LOSSES.get_or_init(|| {
        history
            .revisions()
            .iter()
            .map(|revision| {
                Database::downgrade_loss(history, &revision.id)
                    .map(|loss| (revision.id.clone(), loss))
                    .map_err(|error| {
                        format!(
                            "could not replay revision {} to see what its downgrade loses: {error}",
                            revision.id
                        )
                    })
            })
            .collect()
    })
}

impl Session {
    /// Answers one [`InspectRequest`].
    pub(super) fn inspect(&mut self, request: InspectRequest) -> Reply {
        let response = match request {
            InspectRequest::History => self.history_view().map(InspectResponse::History),
            InspectRequest::Tables => self.with_open(|db| {
                db.table_summaries()
                    .map(|tables| InspectResponse::Tables { tables })
                    .map_err(|error| error.to_string())
            }),
            InspectRequest::Page(page) => self.with_open(|db| {
                db.table_page(&page)
                    .map(InspectResponse::Page)
                    .map_err(|error| error.to_string())
            }),
            InspectRequest::Detail { table } => self.with_open(|db| {
                db.table_detail(&table)
                    .map(InspectResponse::Detail)
                    .map_err(|error| error.to_string())
            }),
            InspectRequest::Sql {
                sql,
                write_unlocked,
            } => Ok(self.run_sql(sql, write_unlocked)),
        };
        let response = response.unwrap_or_else(|message| InspectResponse::Refused { message });
        Reply {
            response: Response::Inspected { response },
            bytes: None,
        }
    }

    fn with_open(
        &self,
        read: impl FnOnce(&Database) -> Result<InspectResponse, String>,
    ) -> Result<InspectResponse, String> {
        match &self.open {
            Some(open) => read(&open.db),
            None => Err(crate::web::error::WebError::NothingOpen.to_string()),
        }
    }

    fn run_sql(&mut self, sql: String, write_unlocked: bool) -> InspectResponse {
        let Some(open) = self.open.as_mut() else {
            return InspectResponse::Sql {
                sql,
                result: Err(crate::web::error::WebError::NothingOpen.to_string()),
                snapshot: None,
            };
        };
        let result = open
            .db
            .run_console(&sql, write_unlocked)
            .map_err(|error| error.to_string());
        let wrote = matches!(&result, Ok(outcome) if outcome.wrote);
        let snapshot = if wrote {
            self.current_snapshot().ok()
        } else {
            None
        };
        InspectResponse::Sql {
            sql,
            result,
            snapshot,
        }
    }

    /// The graph with every revision marked for the open file (all pending with none open).
    fn history_view(&self) -> Result<HistoryView, String> {
        let history = self.history;
        let current = match &self.open {
            Some(open) => open
                .db
                .current_versions()
                .map_err(|error| format!("could not read {}: {error}", open.file_name))?,
            None => Vec::new(),
        };
        let applied = history.applied_set(&current);
        let heads: Vec<String> = history.heads().iter().map(|r| r.id.clone()).collect();
        let losses = downgrade_losses(history).as_ref().map_err(Clone::clone)?;
        let layout = history.layout();
        let entries = layout
            .nodes
            .iter()
            .filter_map(|node| history.get(&node.id))
            .map(|revision| HistoryEntry {
                id: revision.id.clone(),
                message: revision.message.clone(),
                create_date: revision.create_date.clone(),
                down_revisions: revision.down_revisions.clone(),
                status: if current.contains(&revision.id) {
                    RevisionStatus::Current
                } else if applied.contains(&revision.id) {
                    RevisionStatus::Applied
                } else {
                    RevisionStatus::Pending
                },
                is_head: heads.contains(&revision.id),
                loss: losses
                    .get(&revision.id)
                    .filter(|loss| !loss.is_empty())
                    .cloned(),
                upgrade_sql: revision.upgrade_sql.clone(),
                downgrade_sql: revision.downgrade_sql.clone(),
            })
            .collect();
        Ok(HistoryView { layout, entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::protocol::Request;

    fn inspect(session: &mut Session, request: InspectRequest) -> InspectResponse {
        match session.handle(Request::Inspect { request }, None).response {
            Response::Inspected { response } => response,
            other => panic!("not an inspect answer: {other:?}"),
        }
    }

    fn demo() -> Session {
        let mut session = Session::new().expect("embedded history");
        session.handle(Request::OpenDemo, None);
        session
    }

    #[test]
    fn the_history_marks_the_demo_file() {
        let mut session = demo();
        let InspectResponse::History(view) = inspect(&mut session, InspectRequest::History) else {
            panic!("no history");
        };
        let status = |id: &str| view.entry(id).map(|e| e.status);
        assert_eq!(view.entries.len(), 7);
        assert_eq!(
            view.entries[0].id, view.layout.nodes[0].id,
            "same row order"
        );
        let current: Vec<&str> = view
            .entries
            .iter()
            .filter(|e| e.status == RevisionStatus::Current)
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(current, vec![crate::web::demo::DEMO_REVISION]);
        assert_eq!(status("4f2a9c1e7b3d"), Some(RevisionStatus::Applied));
        assert_eq!(status("0a6c9e3f5b71"), Some(RevisionStatus::Pending));
        assert!(view.entry("0a6c9e3f5b71").is_some_and(|e| e.is_head));
        assert!(view.entry("c3e7a1d9f482").is_some_and(|e| e.loss.is_some()));
        assert!(view.entry("e9a4c6b1d358").is_some_and(|e| e.loss.is_none()));
    }

    #[test]
    fn tables_pages_details_and_the_console() {
        let mut session = demo();
        let InspectResponse::Tables { tables } = inspect(&mut session, InspectRequest::Tables)
        else {
            panic!("no tables");
        };
        assert!(
            tables.iter().any(|t| t.name == "posts" && t.rows > 0),
            "{tables:?}"
        );
        let locked = inspect(
            &mut session,
            InspectRequest::Sql {
                sql: "DELETE FROM posts".into(),
                write_unlocked: false,
            },
        );
        assert!(
            matches!(&locked, InspectResponse::Sql { result: Err(m), snapshot: None, .. } if m.contains("read-only")),
            "{locked:?}"
        );
        let missing = inspect(
            &mut session,
            InspectRequest::Detail {
                table: "nope".into(),
            },
        );
        assert!(matches!(missing, InspectResponse::Refused { .. }));
    }
}
