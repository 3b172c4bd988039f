//! File handling shared by the writing commands: a database file is only ever replaced whole and
//! atomically (temp file in the same directory, fsync, rename, original permissions kept), so a
//! crash or an error can never leave a half-written database behind. A change to an existing
//! file is made by SQLite on a [`WorkingCopy`] of it (the temp file), never on the file itself.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::CliError;
use crate::db::Database;

/// Whether `path` exists (an unreadable parent directory is an error, not "no").
pub fn exists(path: &Path) -> Result<bool, CliError> {
    path.try_exists()
        .map_err(CliError::io("look for", path.to_path_buf()))
}

/// Refuses to replace `path` while a non-empty `<path>-wal` or `<path>-journal` sits beside it:
/// their content is not in the file image that would be written, and SQLite would later try to
/// apply the stale log to the new file.
pub fn refuse_pending_journal(path: &Path) -> Result<(), CliError> {
    for suffix in ["-wal", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let sidecar = PathBuf::from(name);
        if fs::metadata(&sidecar).is_ok_and(|meta| meta.len() > 0) {
            return Err(CliError::PendingJournal {
                path: path.to_path_buf(),
                sidecar,
            });
        }
    }
    Ok(())
}

/// The image of `database` to write to `path`, once [`check_integrity`] says it is sound.
pub fn checked_image(database: &mut Database, path: &Path) -> Result<Vec<u8>, CliError> {
    check_integrity(database, path)?;
    Ok(database.to_bytes()?)
}

/// Refuses a changed `database` that fails `integrity_check` before it replaces `path`. Steps do
/// not run that check (it is as slow as a step; see `db/apply.rs`): it runs here, once per
/// command, so a damaged database is never written and the file keeps its old content.
pub fn check_integrity(database: &mut Database, path: &Path) -> Result<(), CliError> {
    let problems = database.integrity_problems()?;
    if !problems.is_empty() {
        return Err(CliError::DamagedResult {
            path: path.to_path_buf(),
            details: crate::diagnose::some_of(&problems, 3, "; "),
        });
    }
    Ok(())
}

/// A private copy of an existing database file, beside it, that a writing command changes with
/// SQLite and that replaces the file only when the command succeeded ([`WorkingCopy::replace`]).
/// Dropped without that, the copy is deleted and the file was never touched.
pub struct WorkingCopy {
    /// The database opened on the copy.
    database: Database,
    /// The copy (`.content-db-XXXXXX.tmp` in the file's folder), deleted when dropped.
    temp: tempfile::NamedTempFile,
    /// The file it will replace.
    original: PathBuf,
}

impl WorkingCopy {
    /// Copies `path` beside itself and opens the copy. `opened` is the file opened read-only
    /// (the plan was made from it): its shared lock is held while copying, so a process writing
    /// the file cannot commit halfway through the copy, and the copy is what the plan saw.
    pub fn create(path: &Path, opened: &Database) -> Result<WorkingCopy, CliError> {
        let dir = parent_dir(path);
        let temp = tempfile::Builder::new()
            .prefix(".content-db-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(CliError::io("create a temporary file in", dir.clone()))?;
        opened.begin_read()?;
        // `fs::copy` lets the kernel copy (copy_file_range on Linux, a clone where the file
        // system shares blocks) and gives the copy the original's permission bits.
        fs::copy(path, temp.path()).map_err(CliError::io("copy", path.to_path_buf()))?;
        opened.end_read()?;
        let database = Database::open_private_copy(temp.path())?;
        Ok(WorkingCopy {
            database,
            temp,
            original: path.to_path_buf(),
        })
    }

    /// The database on the copy.
    pub fn database(&mut self) -> &mut Database {
        &mut self.database
    }

    /// Checks the changed copy ([`check_integrity`]), flushes it to disk and renames it over the
    /// original, keeping the original's permissions. On any error the copy is deleted and the
    /// original is as it was.
    pub fn replace(mut self) -> Result<(), CliError> {
        check_integrity(&mut self.database, &self.original)?;
        // Closed first: every page the steps changed is then in the file (the journal is in
        // memory; only syncing was off), and one fsync makes the copy durable before the rename.
        self.database.close()?;
        self.temp.as_file().sync_all().map_err(CliError::io(
            "write a temporary file in",
            parent_dir(&self.original),
        ))?;
        // `fs::copy` gave the copy the original's mode; the original may have changed since.
        if let Ok(meta) = fs::metadata(&self.original) {
            fs::set_permissions(self.temp.path(), meta.permissions()).map_err(CliError::io(
                "set the permissions of",
                self.temp.path().to_path_buf(),
            ))?;
        }
        self.temp
            .persist(&self.original)
            .map_err(|error| CliError::Io {
                action: "replace",
                path: self.original.clone(),
                source: error.error,
            })?;
        sync_dir(&parent_dir(&self.original));
        Ok(())
    }
}

/// Replaces (or creates) `path` with `bytes` atomically: the new content is written to a temp
/// file beside it, flushed to disk, given the original file's permissions, and renamed over it.
/// With `must_be_new`, an existing file is never replaced (for `init`, even if one appeared
/// meanwhile).
pub fn write_atomic(path: &Path, bytes: &[u8], must_be_new: bool) -> Result<(), CliError> {
    let dir = parent_dir(path);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".content-db-").suffix(".tmp");
    // tempfile creates 0600 files; a new database gets what `open(2)` gives (0666 less the umask).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(&dir)
        .map_err(CliError::io("create a temporary file in", dir.clone()))?;
    let writing = CliError::io("write a temporary file in", dir.clone());
    if let Err(error) = temp
        .write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
    {
        return Err(writing(error));
    }
    // A replaced file keeps its mode (the umask would otherwise narrow a 0664 file, say).
    if let Ok(meta) = fs::metadata(path) {
        fs::set_permissions(temp.path(), meta.permissions()).map_err(CliError::io(
            "set the permissions of",
            temp.path().to_path_buf(),
        ))?;
    }
    let persisted = if must_be_new {
        temp.persist_noclobber(path)
    } else {
        temp.persist(path)
    };
    persisted.map_err(|error| CliError::Io {
        action: "replace",
        path: path.to_path_buf(),
        source: error.error,
    })?;
    sync_dir(&dir);
    Ok(())
}

/// Copies `path` to `<path>.backup-YYYYMMDD-HHMMSS` beside it (never overwriting an older
/// backup) and returns the backup's path.
pub fn backup(path: &Path, now: NaiveDateTime) -> Result<PathBuf, CliError> {
    let backup = backup_path(path, now);
    let bytes = fs::read(path).map_err(CliError::io("read", path.to_path_buf()))?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&backup)
        .map_err(CliError::io("create the backup", backup.clone()))?;
    file.write_all(&bytes)
        .and_then(|()| file.sync_all())
        .map_err(CliError::io("write the backup", backup.clone()))?;
    if let Ok(meta) = fs::metadata(path) {
        fs::set_permissions(&backup, meta.permissions())
            .map_err(CliError::io("set the permissions of", backup.clone()))?;
    }
    Ok(backup)
}

/// `content.db` → `content.db.backup-20250303-100531` (the name ContentEngine's scripts use).
pub fn backup_path(path: &Path, now: NaiveDateTime) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(now.format(".backup-%Y%m%d-%H%M%S").to_string());
    path.with_file_name(name)
}

/// The directory holding `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Flushes the rename itself to disk; best effort (not every platform can open a directory).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("valid test date")
    }

    #[test]
    fn backup_name_sits_beside_the_file() {
        let backup = backup_path(Path::new("/data/content.db"), at("2025-03-03 10:05:31"));
        assert_eq!(backup, Path::new("/data/content.db.backup-20250303-100531"));
        let bare = backup_path(Path::new("x.db"), at("2026-12-31 23:59:09"));
        assert_eq!(bare, Path::new("x.db.backup-20261231-235909"));
    }

    #[test]
    fn atomic_write_replaces_and_keeps_permissions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.db");
        fs::write(&path, b"old").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        write_atomic(&path, b"new", false).expect("replace");
        assert_eq!(fs::read(&path).expect("read"), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        let leftovers = fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_non_empty_wal_file_blocks_replacing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("content.db");
        fs::write(&path, b"db").expect("write");
        assert!(refuse_pending_journal(&path).is_ok());
        fs::write(dir.path().join("content.db-wal"), b"").expect("write");
        assert!(
            refuse_pending_journal(&path).is_ok(),
            "an empty -wal is harmless"
        );
        fs::write(dir.path().join("content.db-wal"), b"frames").expect("write");
        assert!(matches!(
            refuse_pending_journal(&path),
            Err(CliError::PendingJournal { .. })
        ));
    }

    #[test]
    fn atomic_write_must_be_new_refuses_existing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.db");
        fs::write(&path, b"old").expect("write");
        assert!(write_atomic(&path, b"new", true).is_err());
        assert_eq!(fs::read(&path).expect("read"), b"old");
    }

    #[test]
    fn backup_copies_bytes_and_never_overwrites() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("content.db");
        fs::write(&path, b"precious").expect("write");
        let now = at("2025-01-02 03:04:05");
        let backup = backup(&path, now).expect("backup");
        assert_eq!(fs::read(&backup).expect("read"), b"precious");
        assert!(
            super::backup(&path, now).is_err(),
            "a second backup in the same second"
        );
    }
}
