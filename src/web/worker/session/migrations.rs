//! The migration history the session plans with: the embedded one (ContentEngine's), or one the
//! user loaded for this tab from migration files ("Use other migrations…"). Everything the
//! session does — the status, plans, the graph, the drift check, baseline, compare, evolution —
//! reads it from here, so a switch takes effect at once; the open database is then read again
//! under the new history. Undo checkpoints are file images and stay valid across a switch.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::{Reply, Session};
use crate::revision::{load_history, MigrationText};
use crate::schema::DowngradeLoss;
use crate::web::protocol::{MigrationsSource, Response};
use crate::web::worker::error::WebError;
use crate::{Database, History};

/// What each revision's downgrade loses, by id, or why it could not be worked out.
pub(super) type Losses = Result<BTreeMap<String, DowngradeLoss>, String>;

/// The history in use, where it came from, and what is derived from it once.
pub(super) struct InUse {
    /// The history.
    pub history: Rc<History>,
    /// Where it came from, for the page.
    pub source: MigrationsSource,
    /// What each downgrade loses (replays; worked out at the first look at the graph).
    losses: OnceCell<Losses>,
}

impl InUse {
    /// The embedded history; fails only when the build's own migrations are broken.
    pub fn embedded() -> Result<InUse, WebError> {
        let history = History::embedded().map_err(WebError::History)?;
        Ok(InUse::new(history.clone(), None, 0))
    }

    fn new(history: History, loaded_from: Option<String>, ignored: usize) -> InUse {
        InUse {
            source: MigrationsSource::of(&history, loaded_from, ignored),
            history: Rc::new(history),
            losses: OnceCell::new(),
        }
    }

    /// What each revision's downgrade loses (replayed once per history, not at every request).
    pub fn downgrade_losses(&self) -> &Losses {
        self.losses.get_or_init(|| {
            Database::downgrade_losses(&self.history).map_err(|error| {
                format!("could not replay the migrations to see what each downgrade loses: {error}")
            })
        })
    }
}

impl Session {
    /// The history in use, to plan with while the session is borrowed mutably.
    pub(super) fn history(&self) -> Rc<History> {
        Rc::clone(&self.migrations.history)
    }

    /// Makes the history of `files` the one in use ([`crate::web::protocol::Request::UseMigrations`]);
    /// refused as a whole (the history in use stays) when a file breaks the rules.
    pub(super) fn use_migrations(
        &mut self,
        files: &[MigrationText],
        ignored: usize,
        label: String,
    ) -> Reply {
        match load_history(files, ignored) {
            Ok(loaded) => self.switch(InUse::new(loaded.history, Some(label), loaded.ignored)),
            Err(error) => self.failed(WebError::Migrations(error), Vec::new()),
        }
    }

    /// Makes the embedded history the one in use again.
    pub(super) fn use_embedded_migrations(&mut self) -> Reply {
        match InUse::embedded() {
            Ok(embedded) => self.switch(embedded),
            Err(error) => self.failed(error, Vec::new()),
        }
    }

    /// Plans with `in_use` from now on, and reads the open database again under it.
    fn switch(&mut self, in_use: InUse) -> Reply {
        self.migrations = in_use;
        Reply::message(Response::MigrationsChanged {
            source: self.migrations.source.clone(),
            snapshot: self.current_snapshot().ok(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::protocol::inspect::{InspectRequest, InspectResponse};
    use crate::web::protocol::{Request, Snapshot};

    /// Another application's history: notes, then tags, then a column on notes.
    fn other_app() -> Vec<MigrationText> {
        let file = |id: &str, down: &str, up: &str, back: &str| {
            MigrationText {
            name: format!("otherapp/{id}_step.sql"),
            text: Some(format!(
                "-- revision: {id}\n-- down_revision: {down}\n-- message: step {id}\n\
                 -- create_date: 2025-01-01 00:00:00\n\n-- migrate:up\n{up}\n\n-- migrate:down\n{back}\n"
            )),
        }
        };
        vec![
            file(
                "a1a1a1a1a1a1",
                "",
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);",
                "DROP TABLE notes;",
            ),
            file(
                "b2b2b2b2b2b2",
                "a1a1a1a1a1a1",
                "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);",
                "DROP TABLE tags;",
            ),
            file(
                "c3c3c3c3c3c3",
                "b2b2b2b2b2b2",
                "ALTER TABLE notes ADD COLUMN pinned INTEGER;",
                "ALTER TABLE notes DROP COLUMN pinned;",
            ),
        ]
    }

    /// The response to using `files` (labelled `otherapp`, `ignored` others left out).
    fn use_files(session: &mut Session, files: Vec<MigrationText>, ignored: usize) -> Response {
        let request = Request::UseMigrations {
            files,
            ignored,
            label: "otherapp".into(),
        };
        session.handle(request, None).response
    }

    fn use_other_app(session: &mut Session) -> (MigrationsSource, Option<Snapshot>) {
        match use_files(session, other_app(), 1) {
            Response::MigrationsChanged { source, snapshot } => (source, snapshot),
            other => panic!("not switched: {other:?}"),
        }
    }

    fn snapshot_of(reply: Reply) -> Snapshot {
        match reply.response {
            Response::Opened { snapshot }
            | Response::Upgraded { snapshot, .. }
            | Response::Migrated { snapshot, .. }
            | Response::Undone { snapshot } => snapshot,
            other => panic!("no snapshot: {other:?}"),
        }
    }

    #[test]
    fn loaded_migrations_replace_the_embedded_ones_for_everything() {
        let mut session = Session::new().expect("session");
        let demo = snapshot_of(session.handle(Request::OpenDemo, None));
        assert!(demo.migrations.is_embedded());
        assert_eq!(demo.unknown_revisions(), Vec::<&str>::new());

        let (source, snapshot) = use_other_app(&mut session);
        assert_eq!(
            source.text(),
            "loaded from otherapp: 3 revisions, head c3c3c3c3c3c3 (1 file that is not .sql left out)"
        );
        // The demo (ContentEngine's) is read again: its revision is unknown to this history.
        let snapshot = snapshot.expect("the demo stays open");
        assert_eq!(snapshot.migrations, source);
        assert_eq!(snapshot.unknown_revisions(), ["c3e7a1d9f482"]);
        assert!(snapshot
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("Can't locate revision identified by 'c3e7a1d9f482'")));
        assert!(snapshot
            .overview
            .status
            .starts_with("Unknown revision c3e7a1d9f482"));

        // A new database follows the loaded history: upgrade, graph, preview, compare.
        snapshot_of(session.handle(Request::NewEmpty, None));
        let upgraded = snapshot_of(session.handle(Request::UpgradeToHead, None));
        assert_eq!(upgraded.current_text(), "c3c3c3c3c3c3");
        assert!(upgraded.overview.table_names.contains(&"tags".to_string()));
        let Response::Inspected { response } = session
            .handle(
                Request::Inspect {
                    request: InspectRequest::History,
                },
                None,
            )
            .response
        else {
            panic!("no graph");
        };
        let InspectResponse::History(view) = *response else {
            panic!("not the graph");
        };
        let ids: Vec<&str> = view.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["c3c3c3c3c3c3", "b2b2b2b2b2b2", "a1a1a1a1a1a1"]);
        assert!(view.entries[0].loss.is_some(), "dropping pinned loses it");
        let preview = session.handle(
            Request::Preview {
                target: "-1".into(),
                stamp: false,
            },
            None,
        );
        let Response::Previewed { preview } = preview.response else {
            panic!("no preview: {:?}", preview.response);
        };
        assert_eq!(preview.versions_after, ["b2b2b2b2b2b2"]);
        let moved = snapshot_of(session.handle(
            Request::Migrate {
                target: "base".into(),
                stamp: false,
            },
            None,
        ));
        assert_eq!(moved.current_text(), "base");
        assert!(
            session.evolution(3).is_ok(),
            "the evolution steps an empty database"
        );

        // Back to the embedded history: the new file's tables are not ContentEngine's.
        let Response::MigrationsChanged { source, snapshot } = session
            .handle(Request::UseEmbeddedMigrations, None)
            .response
        else {
            panic!("not switched back");
        };
        assert!(source.is_embedded());
        assert_eq!(source.revisions, 7);
        assert_eq!(source.heads, ["0a6c9e3f5b71"]);
        assert!(snapshot.expect("open").migrations.is_embedded());
        // Undo checkpoints are images: they survive both switches.
        let undone = snapshot_of(session.handle(Request::Undo, None));
        assert_eq!(undone.current_text(), "c3c3c3c3c3c3");
        assert_eq!(undone.unknown_revisions(), ["c3c3c3c3c3c3"]);
    }

    #[test]
    fn a_broken_set_is_refused_by_file_and_the_history_in_use_stays() {
        let mut session = Session::new().expect("session");
        snapshot_of(session.handle(Request::OpenDemo, None));
        let mut files = other_app();
        let mut again = files[0].clone();
        again.name = "otherapp/copy/a1a1a1a1a1a1_step.sql".into();
        files.push(again);
        let Response::Failed {
            message, snapshot, ..
        } = use_files(&mut session, files, 0)
        else {
            panic!("a duplicate id is refused");
        };
        assert!(
            message.contains("revision a1a1a1a1a1a1 is declared twice")
                && message.contains("otherapp/copy/a1a1a1a1a1a1_step.sql")
                && message.ends_with("The migrations in use are unchanged."),
            "{message}"
        );
        let snapshot = snapshot.expect("the demo stays open");
        assert!(snapshot.migrations.is_embedded());
        assert_eq!(
            snapshot.problem, None,
            "still ContentEngine's demo at a known revision"
        );

        let mut files = other_app();
        files.remove(1);
        let Response::Failed { message, .. } = use_files(&mut session, files, 0) else {
            panic!("an unknown down revision is refused");
        };
        assert!(
            message.contains(
                "otherapp/c3c3c3c3c3c3_step.sql: down_revision b2b2b2b2b2b2 is not the id of any migration"
            ),
            "{message}"
        );
        assert!(session.migrations.source.is_embedded());
    }
    #[test]
    fn a_downgrade_marked_irreversible_is_refused_by_name_and_the_rest_works() {
        let mut session = Session::new().expect("session");
        let mut files = other_app();
        let tags = files[1].text.take().expect("text");
        let marked = "-- irreversible: its downgrade raises in Alembic (NotImplementedError)";
        files[1].text = Some(tags.replace("DROP TABLE tags;", marked));
        let Response::MigrationsChanged { .. } = use_files(&mut session, files, 0) else {
            panic!("a history with an irreversible downgrade loads");
        };
        snapshot_of(session.handle(Request::NewEmpty, None));
        let upgraded = snapshot_of(session.handle(Request::UpgradeToHead, None));
        assert_eq!(upgraded.current_text(), "c3c3c3c3c3c3");
        let graph = session.handle(
            Request::Inspect {
                request: InspectRequest::History,
            },
            None,
        );
        assert!(
            matches!(graph.response, Response::Inspected { .. }),
            "the graph is drawn: {:?}",
            graph.response
        );
        for request in [
            Request::Preview {
                target: "base".into(),
                stamp: false,
            },
            Request::Migrate {
                target: "base".into(),
                stamp: false,
            },
        ] {
            let Response::Failed { message, .. } = session.handle(request, None).response else {
                panic!("a downgrade through b2b2b2b2b2b2 is refused");
            };
            assert!(
                message.contains("cannot downgrade revision b2b2b2b2b2b2")
                    && message.contains(
                        "otherapp/b2b2b2b2b2b2_step.sql marks its downgrade irreversible"
                    ),
                "{message}"
            );
        }
        // Above it the downgrade runs.
        let moved = snapshot_of(session.handle(
            Request::Migrate {
                target: "-1".into(),
                stamp: false,
            },
            None,
        ));
        assert_eq!(moved.current_text(), "b2b2b2b2b2b2");
    }
}
