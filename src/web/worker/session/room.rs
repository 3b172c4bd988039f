//! The check before a plan changes a database opened from a chosen file: what its steps will
//! write ([`crate::footprint`]) against what WebAssembly memory can still grow to, refused
//! before anything runs, naming the CLI command that does it on disk.
//!
//! The estimate is made cheaply first, every table taken as large as the whole file (the
//! header's page counts, no read); only when that does not fit are the named tables and indexes
//! measured (`dbstat`, which reads their pages). A plan that writes nothing countable (a new
//! table, a stamp) is never refused.

use super::Session;
use crate::footprint::{self, Room, Sizes, Write};
use crate::web::worker::error::WebError;
use crate::Plan;

/// The most memory a wasm32 module can have: 65536 pages of 64 KiB. The worker's module
/// declares no maximum of its own (its memory section has none), so this is the browser's.
#[cfg(target_arch = "wasm32")]
const WASM32_LIMIT: u64 = 65536 * 65536;

/// A number of bytes set under this name on the worker's global scope before the app starts
/// is taken as all the memory left, whatever the module's size (the end-to-end tests make a
/// change not fit with a small one).
#[cfg(target_arch = "wasm32")]
const LEFT_OVERRIDE: &str = "CONTENT_DB_MEMORY_LEFT";

/// Where the memory a change may use is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryLimit {
    /// This process's own: the worker's WebAssembly memory in the browser; natively none.
    Process,
    /// A fixed room (tests).
    Fixed(Room),
}

impl MemoryLimit {
    /// The room now; `None` where there is no limit to keep to.
    fn room(self) -> Option<Room> {
        match self {
            MemoryLimit::Fixed(room) => Some(room),
            MemoryLimit::Process => process_room(),
        }
    }
}

/// The worker's WebAssembly memory: its size now (it never shrinks) against the limit.
#[cfg(target_arch = "wasm32")]
fn process_room() -> Option<Room> {
    let in_use = core::arch::wasm32::memory_size::<0>() as u64 * 65536;
    let limit =
        crate::web::worker::byte_setting(LEFT_OVERRIDE).map_or(WASM32_LIMIT, |left| in_use + left);
    Some(Room { limit, in_use })
}

/// Natively the database layer writes to disk or to the process's memory: nothing to keep to.
#[cfg(not(target_arch = "wasm32"))]
fn process_room() -> Option<Room> {
    None
}

impl Session {
    /// Makes later changes keep to `limit` (tests; the worker keeps to its own memory).
    pub fn limit_memory(&mut self, limit: MemoryLimit) {
        self.memory = limit;
    }

    /// `Ok` when `plan`, `action` (`upgrade`, `downgrade`, `stamp`) to `target`, fits in the
    /// memory left, or the open database is not a chosen file's; else
    /// [`WebError::WouldNotFit`], before anything ran.
    pub(super) fn ensure_room(
        &self,
        plan: &Plan,
        action: &str,
        target: &str,
    ) -> Result<(), WebError> {
        let (Some(room), Some(open)) = (self.memory.room(), self.open.as_ref()) else {
            return Ok(());
        };
        if !open.db.is_paged() || open.is_demo {
            return Ok(());
        }
        let history = &self.migrations.history;
        // The sections only: the `alembic_version` rows are one page.
        let steps: Vec<Vec<Write>> = plan
            .steps
            .iter()
            .map(|step| footprint::writes(history.section_sql(step).unwrap_or("")))
            .collect();
        let unreadable = |source: crate::db::DbError| open.unreadable(source);
        let changed = open.db.changed_bytes().map_err(unreadable)? as u64;
        let bound = footprint::estimate(
            &steps,
            &Sizes::all_whole(open.db.used_bytes().map_err(unreadable)?),
        );
        if bound == 0 || footprint::needed(bound, changed) <= room.available() {
            return Ok(());
        }
        let sizes = open
            .db
            .object_sizes(&footprint::objects_named(&steps))
            .map_err(unreadable)?;
        let estimate = footprint::estimate(&steps, &sizes);
        if estimate == 0 {
            return Ok(());
        }
        let (what, command) = self.change_words(action, target);
        footprint::check(footprint::needed(estimate, changed), room, &what, &command)?;
        Ok(())
    }

    /// The change in words (`upgrading content.db to head`) and the CLI command doing it.
    pub(super) fn change_words(&self, action: &str, target: &str) -> (String, String) {
        let file_name = self
            .open
            .as_ref()
            .map_or("content.db", |open| &open.file_name);
        let what = format!("{}ing {file_name} to {target}", action_stem(action));
        let loaded = self.migrations.source.loaded_from.is_some();
        let command = footprint::cli_command(file_name, action, target, loaded);
        (what, command)
    }
}

/// The error for a step that failed: [`WebError::OutOfMemory`] when SQLite ran out of memory
/// (the step was rolled back all the same), else `otherwise`'s.
pub(super) fn step_error(
    source: crate::db::DbError,
    words: (String, String),
    otherwise: impl FnOnce(Box<crate::Error>) -> WebError,
) -> WebError {
    if ran_out_of_memory(&source) {
        let (what, command) = words;
        return WebError::OutOfMemory {
            what,
            command,
            source: Box::new(source.into()),
        };
    }
    otherwise(Box::new(source.into()))
}

/// Whether SQLite said it ran out of memory (its message for `SQLITE_NOMEM`, which the page
/// store's failed allocations become too).
fn ran_out_of_memory(error: &crate::db::DbError) -> bool {
    match error {
        crate::db::DbError::StepFailed { message, .. } => message.contains("out of memory"),
        crate::db::DbError::Sqlite(error) => {
            error.sqlite_error_code() == Some(rusqlite::ErrorCode::OutOfMemory)
        }
        _ => false,
    }
}

/// `upgrade` → `upgrad` (for `upgrading`); other verbs as they are.
fn action_stem(action: &str) -> &str {
    action.strip_suffix('e').unwrap_or(action)
}
