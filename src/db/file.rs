//! Databases on files on disk (native only), for the command line: SQLite works on the file
//! through its own I/O instead of a copy of the whole image in memory.
//!
//! - [`Database::open_file_read_only`] opens the user's file where it lies, read-only. A file in
//!   rollback-journal mode is read under SQLite's locks, so a process writing it meanwhile can
//!   never show us half a commit; a hot journal left by a killed writer is rolled back first, as
//!   any SQLite connection would. A WAL-mode file is opened `immutable`: SQLite reads the main
//!   file only, as the in-memory copy always did, takes no lock and creates no `-wal`/`-shm`
//!   files beside the user's file (a read-only connection in WAL mode would, and could not
//!   remove them again).
//! - Writing commands change the file in place under SQLite's write lock: see `in_place.rs`.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{header, image, quick_check, Database, DbError};

/// How long a read waits for another process's write lock (ContentEngine committing) before
/// SQLite gives up with "database is locked". SQLite's own default is not to wait at all.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How much of a file SQLite may map into memory: SQLite's own ceiling (`SQLITE_MAX_MMAP_SIZE`,
/// just under 2 GiB), so a file of any size ContentEngine makes is read from the map. SQLite maps
/// nothing by default; reading from the map costs less CPU (BENCHMARKS.md, “Figures behind the code's constants”).
pub(super) const MMAP_SIZE: i64 = 0x7fff_0000;

impl Database {
    /// Opens the file at `path` read-only in place, after the same header checks and
    /// `quick_check` as [`Database::open_bytes`] (so a wrong or damaged file gets the same
    /// message). A 0-byte file opens as a new empty database in memory, with a notice, as in
    /// [`Database::open_path`]. Nothing is ever written to `path` or beside it.
    pub fn open_file_read_only(path: &Path) -> Result<Database, DbError> {
        open_read_only_waiting(path, BUSY_TIMEOUT)
    }

    /// Whether the database lives in memory only (a new one, or a copy of bytes) rather than
    /// in a file on disk.
    pub fn is_in_memory(&self) -> bool {
        self.conn.path().is_none_or(str::is_empty)
    }

    /// Closes the connection, reporting what SQLite says (dropping a database ignores it).
    pub fn close(self) -> Result<(), DbError> {
        self.conn.close().map_err(|(_, error)| DbError::from(error))
    }
}

/// [`Database::open_file_read_only`], waiting at most `wait` for another process's write lock.
fn open_read_only_waiting(path: &Path, wait: Duration) -> Result<Database, DbError> {
    if sidecar_len(path, "-journal") > 0 {
        roll_back_hot_journal(path, wait);
    }
    let (start, len) = read_start(path)?;
    if len == 0 {
        return empty_file_database(path);
    }
    let header = header::inspect_start(&start, len)?;
    // Immutable reads the main file as it is, ignoring `-wal` content (which the notice
    // below reports). A `-journal` that is still there belongs to a live writer (SQLite's
    // locks keep its half-done work out of the read) or could not be rolled back (read-only).
    let immutable = header.was_wal || (sidecar_len(path, "-journal") > 0 && !may_lock(path));
    let uri = file_uri(path, if immutable { "immutable=1" } else { "mode=ro" });
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let explain = image::explainer(start, len);
    let conn = Connection::open_with_flags(&uri, flags).map_err(|e| explain(e.to_string()))?;
    conn.busy_timeout(wait)?;
    if !immutable {
        // Pages are read from a memory map instead of one `pread` into SQLite's cache each.
        // Only under SQLite's locks: then no other process can shrink the file while it is
        // mapped (which would crash this one instead of failing a read).
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
    }
    // The check runs under one read lock, taken first, so a writer holding the file longer
    // than `wait` is reported as such and not as a damaged file.
    read_lock(&conn, path, wait, &|error| explain(error.to_string()))?;
    quick_check(&conn).map_err(explain)?;
    conn.execute_batch("COMMIT")?;
    let mut notices = image::wal_notices(header.was_wal);
    notices.extend(wal_sidecar_notice(path));
    Database::ready(conn, notices)
}

/// Lets SQLite roll back a hot journal (one left by a writer that was killed or crashed before
/// it committed) by opening `path` read-write and reading it, as any SQLite connection would on
/// its first read: the file then holds what was last committed. A journal that belongs to a live
/// writer is not hot and is left alone. Best effort: a file this process may not write keeps its
/// journal, and the read that follows reads the main file as it is.
fn roll_back_hot_journal(path: &Path, wait: Duration) {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(path, flags) else {
        return;
    };
    let _ = conn.busy_timeout(wait);
    let _ = conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()));
}

/// Whether this process could take SQLite's locks on `path` and roll back its journal.
fn may_lock(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// Starts a read transaction and takes SQLite's shared lock (a deferred `BEGIN` takes it at the
/// first read), reporting a lock held past the busy timeout as [`DbError::Locked`] and any
/// other failure of that first read through `explain` (a damaged file fails here already).
fn read_lock(
    conn: &Connection,
    path: &Path,
    wait: Duration,
    explain: &dyn Fn(rusqlite::Error) -> DbError,
) -> Result<(), DbError> {
    conn.execute_batch("BEGIN")?;
    let probe = conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()));
    let Err(error) = probe else {
        return Ok(());
    };
    // Ending the transaction cannot fail in a way worth reporting over the first error.
    let _ = conn.execute_batch("ROLLBACK");
    if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) {
        Err(DbError::Locked {
            path: path.display().to_string(),
            waited_secs: wait.as_secs(),
        })
    } else {
        Err(explain(error))
    }
}

/// The first [`header::START_LEN`] bytes of `path` (or all of a shorter file) and its length.
pub(super) fn read_start(path: &Path) -> Result<(Vec<u8>, u64), DbError> {
    let failed = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::NotFound => DbError::FileNotFound {
            path: path.display().to_string(),
        },
        _ => DbError::ReadFile {
            path: path.display().to_string(),
            source,
        },
    };
    let file = File::open(path).map_err(failed)?;
    let len = file.metadata().map_err(failed)?.len();
    let mut start = Vec::with_capacity(header::START_LEN);
    file.take(header::START_LEN as u64)
        .read_to_end(&mut start)
        .map_err(failed)?;
    Ok((start, len))
}

/// The new empty database a 0-byte file stands for, with the notice saying so.
pub(super) fn empty_file_database(path: &Path) -> Result<Database, DbError> {
    let mut database = Database::new_empty()?;
    database.notices.push(empty_file_notice(path));
    Ok(database)
}

/// What the user is told about a 0-byte file.
pub(super) fn empty_file_notice(path: &Path) -> String {
    // SQLite (and so Alembic) treats an existing 0-byte file as an empty database; the
    // command line does the same. Bytes from elsewhere (an upload) get `DbError::Empty`.
    format!(
        "{} is empty (0 bytes): treating it as a new database, as SQLite and Alembic do \
         (`upgrade head` would create the schema in it); if you meant ContentEngine's \
         database, check the path",
        path.display()
    )
}

/// The size of `<path><suffix>` (0 when there is none).
pub(super) fn sidecar_len(path: &Path, suffix: &str) -> u64 {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    std::fs::metadata(&name).map_or(0, |meta| meta.len())
}

/// The notice for a non-empty `-wal` beside the file: its changes are not what is read.
pub(super) fn wal_sidecar_notice(path: &Path) -> Option<String> {
    let wal_len = sidecar_len(path, "-wal");
    (wal_len > 0).then(|| {
        format!(
            "{}-wal exists beside the file ({wal_len} bytes): ContentEngine may be running or \
             did not checkpoint, and changes kept there are not in this copy; stop \
             ContentEngine and try again",
            path.display()
        )
    })
}

/// `path` as an SQLite URI filename with `query`: every byte but unreserved ones is
/// percent-encoded, so `?`, `#` and `%` in a name (or bytes that are not UTF-8) stay part of it.
fn file_uri(path: &Path, query: &str) -> String {
    let mut uri = String::from("file:");
    for &byte in path_bytes(path).iter() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    // A relative path must not look like an authority (`file://host/...`).
    if uri.starts_with("file://") {
        uri.replace_range(..7, "file:/%2F");
    }
    uri.push('?');
    uri.push_str(query);
    uri
}

/// The bytes of a path as the operating system has them.
#[cfg(unix)]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
}

/// The bytes of a path (UTF-8; SQLite's Windows VFS expects UTF-8 names).
#[cfg(not(unix))]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Owned(path.to_string_lossy().replace('\\', "/").into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file database at `path` with one table of `rows` rows, in `journal_mode`, closed.
    fn make(path: &Path, journal_mode: &str, rows: i64) {
        drop(crate::db::test_support::file_db(path, journal_mode, rows));
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("list")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    fn count(database: &Database) -> i64 {
        database
            .connection()
            .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .expect("count")
    }

    #[test]
    fn uris_keep_odd_names_whole() {
        assert_eq!(
            file_uri(Path::new("/a b/c?d#e%f.db"), "mode=ro"),
            "file:/a%20b/c%3Fd%23e%25f.db?mode=ro"
        );
        assert_eq!(
            file_uri(Path::new("rel/x.db"), "immutable=1"),
            "file:rel/x.db?immutable=1"
        );
        assert_eq!(file_uri(Path::new("//x.db"), "q"), "file:/%2Fx.db?q");
    }

    #[test]
    fn a_file_with_an_odd_name_opens_read_only_and_stays_as_it_was() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a ?#%.db");
        make(&path, "DELETE", 3);
        let before = std::fs::read(&path).expect("read");
        let database = Database::open_file_read_only(&path).expect("opens");
        assert!(!database.is_in_memory());
        assert_eq!(count(&database), 3);
        assert!(database.notices().is_empty(), "{:?}", database.notices());
        let error = database
            .connection()
            .execute_batch("INSERT INTO t VALUES (9)")
            .expect_err("read-only");
        assert!(error.to_string().contains("readonly"), "{error}");
        drop(database);
        assert_eq!(std::fs::read(&path).expect("read"), before);
        assert_eq!(names(dir.path()), vec!["a ?#%.db"]);
    }

    #[test]
    fn a_wal_file_is_read_without_its_wal_and_nothing_appears_beside_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("w.db");
        make(&path, "WAL", 2);
        // Rows a running writer keeps in its -wal: copied aside while its connection is open.
        let writer = Connection::open(&path).expect("writer");
        writer
            .execute_batch("PRAGMA wal_autocheckpoint=0; INSERT INTO t VALUES (7);")
            .expect("write to the wal");
        let wal = dir.path().join("w.db-wal");
        let (main, pending) = (std::fs::read(&path), std::fs::read(&wal));
        drop(writer); // the last connection checkpoints: put the files back as they were
        std::fs::write(&path, main.expect("the file")).expect("restore the file");
        std::fs::write(&wal, pending.expect("the wal")).expect("a wal left behind");
        let before = names(dir.path());
        let database = Database::open_file_read_only(&path).expect("opens");
        assert_eq!(
            count(&database),
            2,
            "the main file only, as the copy in memory"
        );
        assert_eq!(database.notices().len(), 2, "{:?}", database.notices());
        assert!(database.notices()[1].contains("w.db-wal exists beside the file"));
        drop(database);
        assert_eq!(names(dir.path()), before, "no -shm appeared");
    }

    #[test]
    fn a_file_a_writer_keeps_locked_is_reported_as_locked_not_damaged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("busy.db");
        make(&path, "DELETE", 1);
        let writer = Connection::open(&path).expect("writer");
        // The lock alone, before any write: a non-empty `-journal` would make the read immutable.
        writer
            .execute_batch("BEGIN EXCLUSIVE")
            .expect("an exclusive lock held");
        let error = open_read_only_waiting(&path, Duration::from_millis(50))
            .err()
            .expect("refused while locked");
        assert!(matches!(error, DbError::Locked { .. }), "{error}");
        assert!(error
            .to_string()
            .contains("busy.db is being written by another program"));
        writer
            .execute_batch("INSERT INTO t VALUES (2); COMMIT")
            .expect("the writer ends");
        let database = open_read_only_waiting(&path, Duration::from_millis(50)).expect("opens");
        assert_eq!(count(&database), 2);
    }

    #[test]
    fn wrong_files_get_the_messages_of_open_bytes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.db");
        for bytes in [&b"hello, this is text"[..], &[0u8; 100][..]] {
            std::fs::write(&path, bytes).expect("write");
            let from_file = Database::open_file_read_only(&path).err().expect("refused");
            let from_bytes = Database::open_bytes(bytes).err().expect("refused");
            assert_eq!(from_file.to_string(), from_bytes.to_string());
        }
        std::fs::write(&path, b"").expect("write");
        let empty = Database::open_file_read_only(&path).expect("a new database");
        assert!(empty.is_in_memory());
        assert!(empty.notices()[0].contains("is empty (0 bytes)"));
        let missing = Database::open_file_read_only(&dir.path().join("none.db"));
        assert!(matches!(missing, Err(DbError::FileNotFound { .. })));
    }
}
