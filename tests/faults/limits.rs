//! Space running out mid-migration: the file-size limit (`prlimit --fsize`, as `ulimit -f`) and a
//! full file system (a small tmpfs, mounted where this machine lets the test mount one). The
//! command fails with the "disk … is full" message, the file is byte for byte as it was with no
//! journal left beside it, and the same command succeeds once there is room.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{content_db, folder_of};
use crate::support::*;

/// `content-db --db DB upgrade head`, run by `prlimit` with a file-size limit of `limit` bytes.
fn upgrade_with_size_limit(db: &Path, limit: u64) -> std::process::Output {
    let binary = content_db().get_program().to_owned();
    Command::new("prlimit")
        .arg(format!("--fsize={limit}"))
        .arg(binary)
        .arg("--db")
        .arg(db)
        .args(["upgrade", "head"])
        .output()
        .expect("run prlimit")
}

/// Checks a failed upgrade: the message, the file as it was, no journal beside it.
fn failed_and_unchanged(db: &Path, before: &[u8], code: Option<i32>, stderr: &str) {
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("is full"), "{stderr}");
    assert!(stderr.contains("is as it was"), "{stderr}");
    assert_eq!(std::fs::read(db).expect("read"), before, "the file changed");
    assert_eq!(folder_of(db), vec!["content.db".to_string()]);
}

#[test]
fn the_file_size_limit_reached_mid_migration_changes_nothing() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("SKIPPED: no prlimit on this machine");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = generated_db(dir.path(), "content.db");
    let before = std::fs::read(&db).expect("read");
    // Room for the journal but not for the rebuilt `posts` beside the old one.
    let out = upgrade_with_size_limit(&db, before.len() as u64 + 64 * 1024);
    let stderr = String::from_utf8_lossy(&out.stderr);
    failed_and_unchanged(&db, &before, out.status.code(), &stderr);
    ok(&db, &["upgrade", "head"]);
    assert_eq!(versions(&db), vec![HEAD.to_string()]);
}

/// A tmpfs of `bytes` mounted at a new folder, unmounted when dropped.
struct SmallDisk {
    at: PathBuf,
    _parent: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts one, or says why not (not root, no mount).
    fn mount(bytes: u64) -> Result<SmallDisk, String> {
        let parent = tempfile::tempdir().map_err(|e| e.to_string())?;
        let at = parent.path().join("disk");
        std::fs::create_dir(&at).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
            .arg("tmpfs")
            .arg(&at)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(SmallDisk {
            at,
            _parent: parent,
        })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.at).status();
    }
}

#[test]
fn a_disk_that_fills_up_mid_migration_changes_nothing() {
    let size = generated_bytes().len() as u64;
    // The file and its journal fit; the rebuilt `posts` does not.
    let disk = match SmallDisk::mount(size + size / 3) {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!("SKIPPED: cannot mount a small file system here ({why})");
            return;
        }
    };
    let db = disk.at.join("content.db");
    std::fs::write(&db, generated_bytes()).expect("write");
    let before = std::fs::read(&db).expect("read");
    let (_, finished) = timed(&db, &["upgrade", "head"]);
    failed_and_unchanged(&db, &before, Some(finished.code), &finished.stderr);
    // With room again (the file moved to a bigger folder) it succeeds.
    let roomy = tempfile::tempdir().expect("temp dir");
    let moved = roomy.path().join("content.db");
    std::fs::copy(&db, &moved).expect("copy");
    ok(&moved, &["upgrade", "head"]);
}
