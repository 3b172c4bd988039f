//! A database file changed where it lies, under SQLite's own locks, as one transaction (native
//! only; the command line's writing commands).
//!
//! [`Database::open_file_for_writing`] opens the user's file read-write with foreign keys off
//! (SQLite ignores that pragma inside a transaction) and takes the write lock at once with
//! `BEGIN IMMEDIATE`, waiting up to the busy timeout for a writer that holds it. Everything the
//! command reads (`alembic_version`) and changes happens inside that transaction: every step is
//! a savepoint in it (see `apply.rs`), and only [`Database::commit`] makes the change visible.
//! Dropping the database without committing rolls everything back, and a process killed at any
//! moment leaves SQLite's journal for the next opener to roll back. Other connections (the
//! application's) keep working on the same file throughout: their writes wait for the lock, and
//! after the commit they see the new schema. Their reads go on meanwhile in WAL mode; in
//! rollback-journal mode until the change outgrows SQLite's page cache (SQLite's default size,
//! as Alembic's connection has: a 256 MiB cache kept readers going longer but cost 15-20 % more
//! CPU at 100 MB, BENCHMARKS.md), then they wait for the commit as writes do. A WAL-mode file
//! stays in WAL mode; its `-wal` is part of the database, as it is for every SQLite connection.

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::file::{read_start, sidecar_len, BUSY_TIMEOUT, MMAP_SIZE};
use super::{header, image, quick_check, Database, DbError};

impl Database {
    /// Opens the file at `path` read-write in place and starts the command's transaction holding
    /// SQLite's write lock (see the module doc). Before anything runs: a file or folder this
    /// process may not write is [`DbError::ReadOnlyFile`] / [`DbError::ReadOnlyFolder`], a lock
    /// held by another writer past the busy timeout is [`DbError::Locked`], a file SQLite cannot
    /// lock at all is [`DbError::CannotLock`], and a wrong or damaged file gets the messages of
    /// [`Database::open_file_read_only`]. A hot journal left by a killed writer is rolled back
    /// by SQLite when the lock is taken. A 0-byte file is SQLite's empty database (with a notice).
    pub fn open_file_for_writing(path: &Path) -> Result<Database, DbError> {
        let (start, len) = read_start(path)?;
        refuse_read_only(path)?;
        let mut notices = Vec::new();
        if len == 0 {
            notices.push(super::file::empty_file_notice(path));
        } else if sidecar_len(path, "-journal") == 0 {
            // With a hot journal the file may be half-written until SQLite rolls it back.
            header::inspect_start(&start, len)?;
        }
        let explain = image::explainer(start, len);
        let identity = FileIdentity::of(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| explain(e.to_string()))?;
        let mut database = begin_immediate(conn, path).map_err(|error| match error {
            // Not about the lock: a file SQLite cannot read (damaged) fails here already.
            DbError::Sqlite(error) => explain(error.to_string()),
            other => other,
        })?;
        // The first read under the lock: a damaged file fails here or in the check.
        quick_check(&database.conn).map_err(&explain)?;
        identity.still_at(path)?;
        database.opened_file = Some(identity);
        database.notices = notices;
        Ok(database)
    }

    /// Commits the transaction [`Database::open_file_for_writing`] started. A commit that has to
    /// wait past the busy timeout for readers to let go is [`DbError::Locked`]; a full disk is
    /// [`DbError::DiskFull`]; a file replaced at its path since it was opened (moved away, or
    /// another file renamed over it) is [`DbError::Replaced`], and nothing is committed to the
    /// file that was opened either. On any error nothing is committed (dropping the database rolls
    /// the rest back).
    pub fn commit(&self) -> Result<(), DbError> {
        let path = self.conn.path().unwrap_or_default().to_string();
        if let Some(identity) = &self.opened_file {
            identity.still_at(Path::new(&path))?;
        }
        self.conn
            .execute_batch("COMMIT")
            .map_err(|error| self.explain_write_failure(lock_error(Path::new(&path), error)))
    }

    /// `error`, from a step or the commit of an in-place change, in the user's terms when its
    /// cause lies outside SQL: the file was replaced at its path ([`DbError::Replaced`]; SQLite
    /// refuses to write a file that was unlinked, as "attempt to write a readonly database"), or
    /// the disk or the file-size limit ran out ([`DbError::DiskFull`]; SQLite reports the
    /// latter as "disk I/O error").
    pub fn explain_write_failure(&self, error: DbError) -> DbError {
        let path = self.conn.path().unwrap_or_default().to_string();
        if let Some(identity) = &self.opened_file {
            if let Err(replaced) = identity.still_at(Path::new(&path)) {
                return replaced;
            }
        }
        // SAFETY: the handle is this open connection's; the call only reads its last errno.
        let errno = unsafe { rusqlite::ffi::sqlite3_system_errno(self.conn.handle()) };
        #[cfg(unix)]
        let out_of_space = [libc::ENOSPC, libc::EFBIG].contains(&errno);
        #[cfg(not(unix))]
        let out_of_space = false;
        if out_of_space || matches!(error, DbError::DiskFull { .. }) {
            return DbError::DiskFull { path };
        }
        error
    }

    /// Empties the schema inside the open transaction: every view, trigger and table (their
    /// indexes go with them) is dropped and AUTOINCREMENT counters are cleared, so a plan from
    /// base recreates the database in place (`reset`).
    pub fn clear_schema(&self) -> Result<(), DbError> {
        let objects: Vec<(String, String)> = {
            let mut statement = self.conn.prepare(
                "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger', 'table') \
                 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                 ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END",
            )?;
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (kind, name) in objects {
            let kind = kind.to_ascii_uppercase();
            let name = crate::export::quote_identifier(&name);
            self.conn
                .execute_batch(&format!("DROP {kind} IF EXISTS {name}"))?;
        }
        let has_sequence: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sqlite_sequence'",
            [],
            |row| row.get(0),
        )?;
        if has_sequence {
            self.conn.execute_batch("DELETE FROM sqlite_sequence")?;
        }
        Ok(())
    }

    /// Writes the database as last committed (what the file held when the transaction began, as
    /// long as it changed nothing yet) to `dest`, an empty or missing file, with `VACUUM INTO`
    /// from a second connection: it reads the `-wal` too, and the copy is one self-contained file.
    pub fn copy_committed_to(&self, dest: &Path) -> Result<(), DbError> {
        let path = self.conn.path().unwrap_or_default().to_string();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let reader = Connection::open_with_flags(&path, flags)?;
        reader.busy_timeout(BUSY_TIMEOUT)?;
        reader
            .execute("VACUUM INTO ?1", [dest.to_string_lossy()])
            .map_err(|error| lock_error(Path::new(&path), error))?;
        Ok(())
    }

    /// After [`Database::commit`], gives the file's free pages back to the file system
    /// (`VACUUM`, its own transaction under the same locks): `reset` leaves every page of the
    /// old tables free. A kill meanwhile leaves the committed state (SQLite's journal again).
    pub fn compact(&self) -> Result<(), DbError> {
        let path = self.conn.path().unwrap_or_default().to_string();
        self.conn
            .execute_batch("VACUUM")
            .map_err(|error| self.explain_write_failure(lock_error(Path::new(&path), error)))
    }

    /// Whether the file is in WAL mode (its `-wal` then holds part of the database).
    pub fn is_wal(&self) -> Result<bool, DbError> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
        Ok(mode.eq_ignore_ascii_case("wal"))
    }
}

/// Readies `conn` (busy timeout, memory map, foreign keys off, which SQLite only allows
/// outside a transaction) and starts the command's transaction with the write lock. SQLite reads
/// the schema for the pragmas already, so a busy file is [`DbError::Locked`] from either.
fn begin_immediate(conn: Connection, path: &Path) -> Result<Database, DbError> {
    let locked = |error| begin_error(path, error);
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "mmap_size", MMAP_SIZE)
        .map_err(locked)?;
    let database = Database::ready(conn, Vec::new())?;
    database
        .conn
        .pragma_update(None, "foreign_keys", false)
        .map_err(locked)?;
    database
        .conn
        .execute_batch("BEGIN IMMEDIATE")
        .map_err(locked)?;
    Ok(database)
}

/// Which file a path led to when it was opened: device and inode where the platform has them,
/// so a file renamed over the path (or the path moved away) is noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FileIdentity {
    /// `(device, inode)` on Unix; the length and modification time elsewhere.
    key: (u64, u64),
}

impl FileIdentity {
    /// The identity of the file at `path` now.
    fn of(path: &Path) -> Result<FileIdentity, DbError> {
        let meta = std::fs::metadata(path).map_err(|source| DbError::ReadFile {
            path: path.display().to_string(),
            source,
        })?;
        #[cfg(unix)]
        let key = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let key = (
            meta.len(),
            meta.modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |since| since.as_nanos() as u64),
        );
        Ok(FileIdentity { key })
    }

    /// Refuses to go on when `path` no longer leads to this file.
    fn still_at(&self, path: &Path) -> Result<(), DbError> {
        match FileIdentity::of(path) {
            Ok(now) if now == *self => Ok(()),
            _ => Err(DbError::Replaced {
                path: path.display().to_string(),
            }),
        }
    }
}

/// Refuses a file, or a folder, this process may not write: SQLite would open the file
/// read-only (and fail at the first write), or fail to create its journal beside it.
fn refuse_read_only(path: &Path) -> Result<(), DbError> {
    if !may_write(path) {
        return Err(DbError::ReadOnlyFile {
            path: path.display().to_string(),
        });
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !may_write(folder) {
        return Err(DbError::ReadOnlyFolder {
            path: path.display().to_string(),
            folder: folder.display().to_string(),
        });
    }
    Ok(())
}

/// Whether this process may write `path` (`access(2)`, which knows about the user, ACLs and
/// read-only mounts).
#[cfg(unix)]
fn may_write(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `name` is a NUL-terminated string that lives across the call.
    unsafe { libc::access(name.as_ptr(), libc::W_OK) == 0 }
}

/// Whether `path` is writable, as its permission bits say.
#[cfg(not(unix))]
fn may_write(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| !meta.permissions().readonly())
}

/// SQLite's error while taking or keeping the write lock, in the user's terms.
fn lock_error(path: &Path, error: rusqlite::Error) -> DbError {
    let path_text = path.display().to_string();
    let Some(code) = error.sqlite_error_code() else {
        return error.into();
    };
    let extended = match &error {
        rusqlite::Error::SqliteFailure(failure, _) => failure.extended_code,
        _ => 0,
    };
    match code {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => DbError::Locked {
            path: path_text,
            waited_secs: BUSY_TIMEOUT.as_secs(),
        },
        ErrorCode::DiskFull => DbError::DiskFull { path: path_text },
        ErrorCode::ReadOnly => DbError::ReadOnlyFile { path: path_text },
        ErrorCode::SystemIoFailure if is_lock_failure(extended) => DbError::CannotLock {
            path: path_text,
            message: error.to_string(),
        },
        _ => error.into(),
    }
}

/// [`lock_error`] at the start of a command, before this process holds any lock on the file. A
/// file system that refuses locks with `ENOLCK` (a network share without a lock service) looks
/// busy to SQLite, which waits out the busy timeout and reports it as locked by another program;
/// so a "locked" file is asked once more, with a lock query of our own, whether it can be locked
/// at all.
fn begin_error(path: &Path, error: rusqlite::Error) -> DbError {
    let mapped = lock_error(path, error);
    if let DbError::Locked { .. } = mapped {
        if let Err(refused) = query_lock(path) {
            return DbError::CannotLock {
                path: path.display().to_string(),
                message: refused.to_string(),
            };
        }
    }
    mapped
}

/// Asks the file system whether `path`'s lock bytes could be write-locked (`F_GETLK` on SQLite's
/// pending byte): an error means it does not do POSIX locks. Only safe while this process holds
/// no lock on the file, since closing any descriptor of a file drops the process's POSIX locks.
#[cfg(unix)]
fn query_lock(path: &Path) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    /// SQLite's `PENDING_BYTE`: the first of the bytes it locks.
    const PENDING_BYTE: libc::off_t = 0x4000_0000;
    let file = std::fs::File::open(path)?;
    // SAFETY: an all-zero `flock` is a valid value of the plain C struct.
    let mut query: libc::flock = unsafe { std::mem::zeroed() };
    query.l_type = libc::F_WRLCK as libc::c_short;
    query.l_whence = libc::SEEK_SET as libc::c_short;
    query.l_start = PENDING_BYTE;
    query.l_len = 1;
    // SAFETY: the descriptor is open for the call, and `query` is a valid `flock` it may write.
    if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut query) } == -1 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Without POSIX locks to ask about, SQLite's own answer stands.
#[cfg(not(unix))]
fn query_lock(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Whether an extended I/O error code is one of SQLite's lock failures (a file system without
/// working POSIX locks, such as some network shares).
fn is_lock_failure(extended: std::os::raw::c_int) -> bool {
    use rusqlite::ffi;
    [
        ffi::SQLITE_IOERR_LOCK,
        ffi::SQLITE_IOERR_RDLOCK,
        ffi::SQLITE_IOERR_UNLOCK,
        ffi::SQLITE_IOERR_CHECKRESERVEDLOCK,
    ]
    .contains(&extended)
}

#[cfg(test)]
mod tests;
