//! The results of `integrity_check` and `foreign_key_check` kept while the database stays as it
//! was checked, so a download right after the overview does not run the (slow) integrity check a
//! second time.
//!
//! Kept only as long as nothing can have changed the database: every request that is not known
//! to only read ([`only_reads`]) forgets them, and each result also carries the page store's
//! change count ([`Database::changes`](crate::Database::changes): writes, truncations and undos
//! of the file), so a change that came some other way still forces a new check.

use super::OpenDatabase;
use crate::timing::span;
use crate::web::protocol::inspect::{ExportSource, InspectRequest};
use crate::web::protocol::Request;

/// Check results of the open database, each with the change count it was made at.
#[derive(Debug, Default)]
pub(super) struct KeptChecks {
    integrity: Option<CheckedRows>,
    foreign_keys: Option<CheckedRows>,
}

/// A check's rows and the page store's change count they were taken at.
type CheckedRows = (u64, Vec<String>);

/// Whether `request` only reads the open database (so its checks stay valid). Anything new or
/// able to write (migrations, undo, typed SQL, even read-only in intent) is not listed here.
pub(super) fn only_reads(request: &Request) -> bool {
    match request {
        Request::Overview { .. }
        | Request::Export
        | Request::ExportBackup { .. }
        | Request::Preview { .. }
        | Request::UseMigrations { .. }
        | Request::UseEmbeddedMigrations => true,
        // The page asks for these views after every change; they read the schema and rows.
        Request::Inspect { request } => matches!(
            request,
            InspectRequest::History
                | InspectRequest::Tables
                | InspectRequest::Page(_)
                | InspectRequest::Detail { .. }
                | InspectRequest::Drift
                | InspectRequest::Erd
                | InspectRequest::Evolution { .. }
                | InspectRequest::Diff { .. }
                | InspectRequest::Dump
                | InspectRequest::Export {
                    source: ExportSource::Table(_),
                    ..
                }
        ),
        _ => false,
    }
}

impl OpenDatabase {
    /// Forgets the checks (the database may change).
    pub(super) fn forget_checks(&mut self) {
        self.checked = KeptChecks::default();
    }

    /// `integrity_check`'s rows, run again only when the database may have changed since.
    pub(super) fn integrity_checked(
        &mut self,
        read: &mut dyn FnMut(u64, u64),
        checking: &mut dyn FnMut(f64),
    ) -> Result<Vec<String>, rusqlite::Error> {
        let rows = self.checked_rows(
            |checked| &mut checked.integrity,
            "sqlite:integrity_check",
            |open| open.integrity(read, checking),
        )?;
        if rows == ["ok"] {
            // integrity_check does all that quick_check does, and more: none is owed now.
            self.db.note_checked();
        }
        Ok(rows)
    }

    /// Keeps what a migration's last `foreign_key_check` found as the check of the database as
    /// it is now (the state that check saw: the migration's commit changed no row), so a
    /// download right after it does not run the check again.
    pub(super) fn keep_foreign_keys(&mut self, report: &crate::db::ApplyReport) {
        if let (Some(violations), Ok(changes)) = (&report.violations_after, self.db.changes()) {
            let rows = violations.iter().map(|found| found.describe()).collect();
            self.checked.foreign_keys = Some((changes, rows));
        }
    }

    /// `foreign_key_check`'s rows in words, run again only when the database may have changed.
    pub(super) fn foreign_keys_checked(&mut self) -> Result<Vec<String>, rusqlite::Error> {
        self.checked_rows(
            |checked| &mut checked.foreign_keys,
            "sqlite:foreign_key_check",
            OpenDatabase::foreign_key_problems,
        )
    }

    /// The rows kept in the slot `pick` chooses while the database is unchanged since they were
    /// taken; otherwise `run` (timed as `measure`) and keep its rows (unless the change count
    /// cannot be read: then nothing is kept).
    fn checked_rows(
        &mut self,
        pick: fn(&mut KeptChecks) -> &mut Option<CheckedRows>,
        measure: &'static str,
        run: impl FnOnce(&OpenDatabase) -> Result<Vec<String>, rusqlite::Error>,
    ) -> Result<Vec<String>, rusqlite::Error> {
        let changes = self.db.changes().ok();
        if let (Some((at, rows)), Some(changes)) = (pick(&mut self.checked), changes) {
            if *at == changes {
                return Ok(rows.clone());
            }
        }
        let rows = span(measure, || run(self))?;
        *pick(&mut self.checked) = changes.map(|changes| (changes, rows.clone()));
        Ok(rows)
    }
}
