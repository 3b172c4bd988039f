//! The worker's schema insight: the drift check of the open file (its schema against the one
//! the migrations give its recorded revision, replayed on an empty in-memory database) and,
//! for a file with no known revision, baseline inference and the stamp that records it.

use super::Session;
use crate::db::Baseline;
use crate::web::protocol::inspect::{BaselineGuess, DiffView, DriftView, FILE};
use crate::web::protocol::{LogEntry, Snapshot};
use crate::web::worker::error::WebError;
use crate::{Database, History};

/// How many baseline candidates the page shows when none matches exactly.
const CLOSEST: usize = 3;

/// A state's rows for people: `base`, `ID (message)`, `A + B`.
fn state_label(history: &History, rows: &[String]) -> String {
    match rows {
        [] => "base".to_string(),
        [one] => match history.get(one) {
            Some(revision) => format!("{one} ({})", revision.message),
            None => one.clone(),
        },
        _ => rows.join(" + "),
    }
}

/// The guesses the page shows: every exact match, else the closest few.
fn guesses(history: &History, baseline: &Baseline) -> Vec<BaselineGuess> {
    let exact = baseline.exact().len();
    let take = if exact > 0 { exact } else { CLOSEST };
    baseline
        .candidates
        .iter()
        .take(take)
        .map(|candidate| BaselineGuess {
            revisions: candidate.revisions.clone(),
            label: state_label(history, &candidate.revisions),
            differences: candidate
                .differences
                .iter()
                .map(ToString::to_string)
                .collect(),
        })
        .collect()
}

/// A worked-out difference (or why it could not be) as the page shows it.
fn diff_view_of(
    from: String,
    to: String,
    worked_out: Result<crate::db::RevisionDiff, String>,
) -> DiffView {
    match worked_out {
        Ok(diff) => DiffView {
            from,
            to,
            changes: diff
                .changes
                .iter()
                .map(crate::schema::describe_change)
                .collect(),
            sql: diff.sql,
            error: None,
        },
        Err(error) => DiffView {
            error: Some(format!("Cannot compare {from} with {to}: {error}")),
            from,
            to,
            ..DiffView::default()
        },
    }
}

impl Session {
    /// The drift check of the open file (baseline inference when it records no known revision).
    pub(super) fn drift_view(&self) -> Result<DriftView, String> {
        let open = self
            .open
            .as_ref()
            .ok_or(WebError::NothingOpen.to_string())?;
        let history = &*self.migrations.history;
        let read = |error: crate::Error| format!("could not check {}: {error}", open.file_name);
        let recorded = open.db.current_versions().map_err(|e| read(e.into()))?;
        let versioned = open.db.is_versioned().map_err(|e| read(e.into()))?;
        let known = versioned && recorded.iter().all(|id| history.get(id).is_some());
        let differences: Vec<String> = if known {
            let expected = Database::expected_schema_at(history, &recorded).map_err(read)?;
            let actual = open.db.schema().map_err(|e| read(e.into()))?;
            crate::schema::diff(&expected, &actual)
                .iter()
                .map(ToString::to_string)
                .collect()
        } else {
            Vec::new()
        };
        // Base with tables in it is as good as unversioned: say which revision it is at.
        let needs_baseline = !known || (recorded.is_empty() && !differences.is_empty());
        let baseline = if needs_baseline {
            guesses(history, &open.db.infer_baseline(history).map_err(read)?)
        } else {
            Vec::new()
        };
        Ok(DriftView {
            recorded,
            versioned,
            known,
            differences,
            baseline,
        })
    }

    /// The schema change and the SQL from state `from` to state `to` (names as `upgrade` takes
    /// them, or `base`), both replayed on empty databases: the open file plays no part.
    /// `from` may also be [`FILE`]: the open file's schema, with the SQL from its recorded
    /// revision (`Database::diff_file_with`).
    pub(super) fn diff_view(&self, from: String, to: String) -> DiffView {
        let history = &*self.migrations.history;
        if from == FILE {
            return self.file_diff_view(to);
        }
        let worked_out = history
            .state_of(&from)
            .and_then(|from_rows| Ok((from_rows, history.state_of(&to)?)))
            .map_err(crate::Error::from)
            .and_then(|(from_rows, to_rows)| Database::diff_states(history, &from_rows, &to_rows));
        diff_view_of(from, to, worked_out.map_err(|error| error.to_string()))
    }

    /// The open file against the state `to` (see [`Session::diff_view`]).
    fn file_diff_view(&self, to: String) -> DiffView {
        let worked_out = match &self.open {
            None => Err(WebError::NothingOpen.to_string()),
            Some(open) => self
                .migrations
                .history
                .state_of(&to)
                .map_err(crate::Error::from)
                .and_then(|to_rows| open.db.diff_file_with(&self.migrations.history, &to_rows))
                .map_err(|error| error.to_string()),
        };
        diff_view_of(FILE.to_string(), to, worked_out)
    }

    /// Records `revisions` as the file's revision, whatever it recorded before (Alembic's
    /// `stamp --purge`), after a checkpoint so Undo takes it back.
    pub fn stamp_baseline(
        &mut self,
        revisions: &[String],
    ) -> Result<(Snapshot, Vec<LogEntry>), WebError> {
        let history = self.history();
        let history = &*history;
        let open = self.open.as_ref().ok_or(WebError::NothingOpen)?;
        let name = state_label(history, revisions);
        let plan_error = |source: crate::Error| WebError::Plan {
            target: name.clone(),
            source: Box::new(source),
        };
        let current = open
            .db
            .current_versions()
            .map_err(|e| plan_error(e.into()))?;
        let targets: Vec<&str> = if revisions.is_empty() {
            vec!["base"]
        } else {
            revisions.iter().map(String::as_str).collect()
        };
        let plan = history
            .plan_stamp_many(&current, &targets, true)
            .map_err(|e| plan_error(e.into()))?;
        let label = format!("stamp {}", targets.join(" "));
        self.ensure_room(&plan, "stamp", &targets.join(" "))?;
        self.checkpoint(&label)?;
        let open = self.open.as_mut().ok_or(WebError::NothingOpen)?;
        let mut log = Vec::new();
        let result = open.db.apply(history, &plan, |report| {
            if !report.step.log_line.is_empty() {
                log.push(LogEntry {
                    line: report.step.log_line.clone(),
                    millis: report.millis,
                });
            }
        });
        if let Err(source) = result {
            let error = WebError::Migrate {
                file_name: open.file_name.clone(),
                target: targets.join(" "),
                source: Box::new(source.into()),
            };
            // A stamp is one transaction: nothing changed, nothing to undo.
            self.drop_checkpoint();
            return Err(error);
        }
        Ok((self.current_snapshot()?, log))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::protocol::inspect::{InspectRequest, InspectResponse};
    use crate::web::protocol::{Request, Response};

    const HEAD: &str = "0a6c9e3f5b71";

    fn open_image(session: &mut Session, db: &mut Database) {
        let bytes = db.to_bytes().expect("image");
        let reply = session.handle(
            Request::Open {
                file_name: "drift.db".into(),
            },
            Some(bytes),
        );
        assert!(
            matches!(reply.response, Response::Opened { .. }),
            "{:?}",
            reply.response
        );
    }

    fn drift(session: &mut Session) -> DriftView {
        match session
            .handle(
                Request::Inspect {
                    request: InspectRequest::Drift,
                },
                None,
            )
            .response
        {
            Response::Inspected { response } => match *response {
                InspectResponse::Drift(view) => view,
                other => panic!("not a drift answer: {other:?}"),
            },
            other => panic!("not an inspect answer: {other:?}"),
        }
    }

    fn at_head() -> Database {
        let history = History::embedded().expect("history");
        Database::replayed(history, &[HEAD.to_string()]).expect("replay")
    }

    #[test]
    fn a_clean_file_matches_and_drift_is_named() {
        let mut session = Session::new().expect("history");
        let mut db = at_head();
        open_image(&mut session, &mut db);
        let clean = drift(&mut session);
        assert!(clean.matches(), "{clean:?}");
        assert!(clean.baseline.is_empty());
        db.connection()
            .execute_batch("ALTER TABLE posts ADD COLUMN foo TEXT; DROP INDEX ix_posts_status;")
            .expect("drift");
        open_image(&mut session, &mut db);
        let view = drift(&mut session);
        assert!(!view.matches());
        assert!(
            view.differences
                .contains(&"posts has an extra column `foo TEXT`".to_string()),
            "{view:?}"
        );
        assert!(
            view.differences
                .iter()
                .any(|d| d.contains("ix_posts_status")),
            "{view:?}"
        );
    }

    #[test]
    fn an_unversioned_file_gets_its_revision_and_the_stamp_is_undoable() {
        let mut session = Session::new().expect("history");
        let mut db = at_head();
        db.connection()
            .execute_batch("DROP TABLE alembic_version")
            .expect("drop");
        open_image(&mut session, &mut db);
        let view = drift(&mut session);
        assert!(!view.versioned && !view.known);
        let exact = view.exact_baseline().expect("an exact match");
        assert_eq!(exact.revisions, vec![HEAD.to_string()]);
        let (snapshot, _) = session
            .stamp_baseline(&exact.revisions.clone())
            .expect("stamp");
        assert_eq!(snapshot.current_text(), HEAD);
        assert_eq!(snapshot.undo, vec![format!("stamp {HEAD}")]);
        assert!(drift(&mut session).matches());
        session.undo().expect("undo");
        assert!(!drift(&mut session).versioned);
    }

    #[test]
    fn two_sibling_revisions_differ_in_words_and_sql() {
        let session = Session::new().expect("history");
        let view = session.diff_view("c3e7a1d9f482".into(), "d5f0b2c8e614".into());
        assert_eq!(view.error, None);
        assert!(
            view.changes
                .contains(&"posts: column `user_id INTEGER` removed".to_string()),
            "{view:?}"
        );
        assert!(view
            .sql
            .contains("Running downgrade c3e7a1d9f482 -> b81d3e5f0a27"));
        assert!(view
            .sql
            .contains("Running upgrade b81d3e5f0a27 -> d5f0b2c8e614"));
        let bad = session.diff_view("base".into(), "ffffffffffff".into());
        assert!(bad.error.is_some_and(|e| e.contains("ffffffffffff")));
    }

    #[test]
    fn the_open_file_is_compared_with_a_revision_from_its_own_revision() {
        let mut session = Session::new().expect("history");
        let no_file = session.diff_view(FILE.into(), "head".into());
        assert!(no_file.error.is_some(), "{no_file:?}");
        let history = History::embedded().expect("history");
        let mut db = Database::replayed(history, &["c3e7a1d9f482".to_string()]).expect("replay");
        open_image(&mut session, &mut db);
        let view = session.diff_view(FILE.into(), "head".into());
        assert_eq!((view.from.as_str(), view.error), (FILE, None));
        assert!(
            view.changes
                .iter()
                .any(|c| c.contains("chat_messages") && c.contains("added")),
            "{:?}",
            view.changes
        );
        assert!(view.sql.contains("c3e7a1d9f482"), "{}", view.sql);
        let same = session.diff_view(FILE.into(), "c3e7a1d9f482".into());
        assert!(same.changes.is_empty(), "{same:?}");
    }

    #[test]
    fn an_unknown_revision_is_replaced_by_the_stamp() {
        let mut session = Session::new().expect("history");
        let mut db = at_head();
        db.connection()
            .execute_batch("UPDATE alembic_version SET version_num = 'fedcba987654'")
            .expect("unknown");
        open_image(&mut session, &mut db);
        let view = drift(&mut session);
        assert!(view.versioned && !view.known);
        let revisions = view.exact_baseline().expect("exact").revisions.clone();
        let (snapshot, _) = session.stamp_baseline(&revisions).expect("stamp");
        assert_eq!(snapshot.current_text(), HEAD);
        assert!(snapshot.problem.is_none());
    }
}
