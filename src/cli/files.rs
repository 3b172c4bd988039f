//! File handling shared by the writing commands. An existing database is changed in place by
//! SQLite, as one transaction under its write lock (`db/in_place.rs`); what is written whole (a
//! new database, `-o FILE` outputs, new migration files) is written atomically (temp file in the
//! same directory, fsync, rename, original permissions kept), so a crash or an error can never
//! leave a half-written file behind. Backups are copies made under the write lock.

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

/// The image of `database` to write to `path`, once [`check_integrity`] says it is sound.
pub fn checked_image(database: &mut Database, path: &Path) -> Result<Vec<u8>, CliError> {
    check_integrity(database, path)?;
    Ok(database.to_bytes()?)
}

/// Refuses a changed `database` that fails `integrity_check` before it is committed to (or
/// written as) `path`. Steps do not run that check (it is as slow as a step; see `db/apply.rs`):
/// it runs here, once per command, so a damaged database is never committed and the file keeps
/// its old content.
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

/// Has the operating system report a write past the file-size limit (`ulimit -f`) as an error
/// (EFBIG, which SQLite reports as a full disk and rolls back) instead of killing the process
/// with SIGXFSZ halfway through a write. Called once at start-up by the binary.
pub fn report_file_size_limit() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
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

/// Copies the database `database` has open at `path` to `<path>.backup-YYYYMMDD-HHMMSS` beside
/// it (never overwriting an older backup) and returns the backup's path. Called under the write
/// lock, before anything changed: a file in rollback-journal mode is then complete on its own and
/// copied byte for byte; a WAL-mode file, part of which lives in its `-wal`, is copied by SQLite
/// (`VACUUM INTO`, a file in rollback-journal mode). The copy is made under a temporary name and
/// given the backup's name once complete, so a backup is never half a file.
pub fn backup(database: &Database, path: &Path, now: NaiveDateTime) -> Result<PathBuf, CliError> {
    let backup = backup_path(path, now);
    let dir = parent_dir(path);
    let mut temp = tempfile::Builder::new()
        .prefix(".content-db-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(CliError::io("create a temporary file in", dir.clone()))?;
    if database.is_wal()? {
        database.copy_committed_to(temp.path())?;
    } else {
        let mut original = fs::File::open(path).map_err(CliError::io("read", path))?;
        std::io::copy(&mut original, temp.as_file_mut())
            .map_err(CliError::io("write the backup", backup.clone()))?;
    }
    temp.as_file()
        .sync_all()
        .map_err(CliError::io("write the backup", backup.clone()))?;
    if let Ok(meta) = fs::metadata(path) {
        fs::set_permissions(temp.path(), meta.permissions())
            .map_err(CliError::io("set the permissions of", backup.clone()))?;
    }
    temp.persist_noclobber(&backup)
        .map_err(|error| CliError::Io {
            action: "create the backup",
            path: backup.clone(),
            source: error.error,
        })?;
    sync_dir(&dir);
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
    fn atomic_write_must_be_new_refuses_existing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.db");
        fs::write(&path, b"old").expect("write");
        assert!(write_atomic(&path, b"new", true).is_err());
        assert_eq!(fs::read(&path).expect("read"), b"old");
    }
}
