//! The worker's side of the History and Inspect parts of the page: the revision graph with the
//! open file's marks, table pages, table schemas and the SQL console. Reads never change the
//! database; a console write (only once unlocked) is checkpointed first so Undo can take it back.

use super::{Reply, Session};
use crate::web::protocol::inspect::{
    ExportSource, HistoryEntry, HistoryView, InspectRequest, InspectResponse, RevisionStatus,
};
use crate::web::protocol::Response;
use crate::web::worker::error::WebError;
use crate::Database;

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
            InspectRequest::Drift => self.drift_view().map(InspectResponse::Drift),
            InspectRequest::Export { source, format } => self.with_open(|db| {
                let (rows, stem) = match &source {
                    ExportSource::Table(table) => (db.table_rows(table), table.clone()),
                    ExportSource::Query(sql) => (db.query(sql), "query".to_string()),
                };
                let rows = rows.map_err(|error| error.to_string())?;
                Ok(InspectResponse::Text {
                    file_name: format!("{stem}.{}", format.extension()),
                    media_type: format.media_type().to_string(),
                    text: format.render(&rows),
                })
            }),
            InspectRequest::Evolution { step } => {
                self.evolution(step).map(InspectResponse::Evolution)
            }
            InspectRequest::Dump => match &self.open {
                Some(open) => open
                    .db
                    .dump()
                    .map(|text| InspectResponse::Text {
                        file_name: format!("{}.sql", open.file_name),
                        media_type: "application/sql".to_string(),
                        text,
                    })
                    .map_err(|error| error.to_string()),
                None => Err(WebError::NothingOpen.to_string()),
            },
            InspectRequest::Diff { from, to } => {
                Ok(InspectResponse::Diff(self.diff_view(from, to)))
            }
            InspectRequest::Erd => self.with_open(|db| {
                let schema = db.schema().map_err(|error| error.to_string())?;
                let diagram = crate::schema::erd::layout(&schema);
                let svg = crate::schema::erd::render_svg(&diagram);
                Ok(InspectResponse::Erd(
                    crate::web::protocol::inspect::ErdView { diagram, svg },
                ))
            }),
        };
        let response = response.unwrap_or_else(|message| InspectResponse::Refused { message });
        Reply {
            response: Response::Inspected {
                response: Box::new(response),
            },
            image: None,
        }
    }

    fn with_open(
        &self,
        read: impl FnOnce(&Database) -> Result<InspectResponse, String>,
    ) -> Result<InspectResponse, String> {
        match &self.open {
            Some(open) => read(&open.db),
            None => Err(WebError::NothingOpen.to_string()),
        }
    }

    fn run_sql(&mut self, sql: String, write_unlocked: bool) -> InspectResponse {
        let answer =
            |result: Result<crate::db::ConsoleOutcome, String>, snapshot| InspectResponse::Sql {
                sql: sql.clone(),
                result,
                snapshot,
            };
        // Unlocked, the statement may write: keep the image first, so Undo restores it exactly
        // like after a migration. The checkpoint is dropped again when nothing was written.
        if write_unlocked {
            let first_line = sql.trim().lines().next().unwrap_or_default();
            if let Err(error) = self.checkpoint(&format!("SQL: {first_line}")) {
                return answer(Err(error.to_string()), None);
            }
        }
        let Some(open) = self.open.as_mut() else {
            return answer(Err(WebError::NothingOpen.to_string()), None);
        };
        let result = open
            .db
            .run_console(&sql, write_unlocked)
            .map_err(|error| error.to_string());
        let wrote = matches!(&result, Ok(outcome) if outcome.wrote);
        if write_unlocked && !wrote {
            self.drop_checkpoint();
        }
        let snapshot = if wrote {
            self.current_snapshot().ok().map(Box::new)
        } else {
            None
        };
        answer(result, snapshot)
    }

    /// The graph with every revision marked for the open file (all pending with none open).
    fn history_view(&self) -> Result<HistoryView, String> {
        let history = &*self.migrations.history;
        let current = match &self.open {
            Some(open) => open
                .db
                .current_versions()
                .map_err(|error| format!("could not read {}: {error}", open.file_name))?,
            None => Vec::new(),
        };
        let applied = history.applied_set(&current);
        let heads: Vec<String> = history.heads().iter().map(|r| r.id.clone()).collect();
        let losses = self
            .migrations
            .downgrade_losses()
            .as_ref()
            .map_err(Clone::clone)?;
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
    use crate::web::protocol::inspect::ExportFormat;
    use crate::web::protocol::Request;

    fn inspect(session: &mut Session, request: InspectRequest) -> InspectResponse {
        match session.handle(Request::Inspect { request }, None).response {
            Response::Inspected { response } => *response,
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
        assert_eq!(current, vec![crate::web::worker::demo::DEMO_REVISION]);
        assert_eq!(status("4f2a9c1e7b3d"), Some(RevisionStatus::Applied));
        assert_eq!(status("0a6c9e3f5b71"), Some(RevisionStatus::Pending));
        assert!(view.entry("0a6c9e3f5b71").is_some_and(|e| e.is_head));
        assert!(view.entry("c3e7a1d9f482").is_some_and(|e| e.loss.is_some()));
        assert!(view.entry("e9a4c6b1d358").is_some_and(|e| e.loss.is_none()));
    }

    #[test]
    fn the_diagram_has_every_table_and_its_svg() {
        let mut session = demo();
        let InspectResponse::Erd(view) = inspect(&mut session, InspectRequest::Erd) else {
            panic!("no diagram");
        };
        let InspectResponse::Tables { tables } = inspect(&mut session, InspectRequest::Tables)
        else {
            panic!("no tables");
        };
        for table in &tables {
            assert!(
                view.diagram.boxes.iter().any(|b| b.table == table.name),
                "{} not drawn",
                table.name
            );
            assert!(view.svg.contains(&format!("data-table=\"{}\"", table.name)));
        }
        assert!(view.diagram.edges.iter().any(|e| e.to_table == "users"));
    }

    #[test]
    fn exports_name_their_file_and_refuse_a_write() {
        let mut session = demo();
        let export = |session: &mut Session, source, format| {
            inspect(session, InspectRequest::Export { source, format })
        };
        let csv = export(
            &mut session,
            ExportSource::Table("posts".into()),
            ExportFormat::Csv,
        );
        assert!(
            matches!(&csv, InspectResponse::Text { file_name, text, .. }
                if file_name == "posts.csv" && text.starts_with("id,")),
            "{csv:?}"
        );
        let json = export(
            &mut session,
            ExportSource::Query("SELECT 1 AS one".into()),
            ExportFormat::Json,
        );
        assert!(
            matches!(&json, InspectResponse::Text { file_name, text, .. }
                if file_name == "query.json" && text.contains("\"one\": 1")),
            "{json:?}"
        );
        let write = export(
            &mut session,
            ExportSource::Query("DELETE FROM posts".into()),
            ExportFormat::Csv,
        );
        assert!(
            matches!(write, InspectResponse::Refused { .. }),
            "{write:?}"
        );
        let dump = inspect(&mut session, InspectRequest::Dump);
        assert!(
            matches!(&dump, InspectResponse::Text { file_name, text, .. }
                if file_name.ends_with(".sql") && text.contains("CREATE TABLE users")),
            "{dump:?}"
        );
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

    fn count_posts(session: &mut Session) -> String {
        match inspect(
            session,
            InspectRequest::Sql {
                sql: "SELECT count(*) FROM posts".into(),
                write_unlocked: false,
            },
        ) {
            InspectResponse::Sql {
                result: Ok(outcome),
                ..
            } => outcome.grid.rows[0][0].clone().unwrap_or_default(),
            other => panic!("count failed: {other:?}"),
        }
    }

    #[test]
    fn an_unlocked_write_is_checkpointed_and_undone() {
        let mut session = demo();
        let before = count_posts(&mut session);
        let labels_before = session.undo_labels().len();
        // A read while unlocked leaves no checkpoint behind.
        count_posts(&mut session);
        let read = inspect(
            &mut session,
            InspectRequest::Sql {
                sql: "SELECT 1".into(),
                write_unlocked: true,
            },
        );
        assert!(matches!(
            read,
            InspectResponse::Sql {
                result: Ok(_),
                snapshot: None,
                ..
            }
        ));
        assert_eq!(session.undo_labels().len(), labels_before);
        let wrote = inspect(
            &mut session,
            InspectRequest::Sql {
                sql: "DELETE FROM posts".into(),
                write_unlocked: true,
            },
        );
        assert!(
            matches!(&wrote, InspectResponse::Sql { result: Ok(o), snapshot: Some(_), .. } if o.wrote),
            "{wrote:?}"
        );
        assert_eq!(count_posts(&mut session), "0");
        assert_eq!(
            session.undo_labels().last().map(String::as_str),
            Some("SQL: DELETE FROM posts")
        );
        session.undo().expect("undo");
        assert_eq!(count_posts(&mut session), before);
    }
}
