use super::*;
use crate::db::test_support::file_db as make;
use std::time::Duration;

fn count(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM t", [], |row| row.get(0))
        .expect("count")
}

#[test]
fn the_write_lock_is_held_from_open_to_commit_and_other_writers_wait() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.db");
    drop(make(&path, "DELETE", 1));
    let database = Database::open_file_for_writing(&path).expect("opens");
    let other = Connection::open(&path).expect("another connection");
    other.busy_timeout(Duration::ZERO).expect("no waiting");
    let refused = other.execute_batch("INSERT INTO t VALUES (2)");
    assert!(refused.is_err(), "a second writer got in");
    // Readers are not held off until the commit.
    assert_eq!(count(&other), 1);
    database
        .connection()
        .execute_batch("INSERT INTO t VALUES (3)")
        .expect("write");
    assert_eq!(count(&other), 1, "uncommitted work is not visible");
    database.commit().expect("commit");
    drop(database);
    other
        .execute_batch("INSERT INTO t VALUES (2)")
        .expect("now");
    assert_eq!(count(&other), 3);
}

#[test]
fn dropping_without_commit_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.db");
    drop(make(&path, "DELETE", 2));
    let before = std::fs::read(&path).expect("read");
    let database = Database::open_file_for_writing(&path).expect("opens");
    database.clear_schema().expect("clear");
    drop(database);
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(!dir.path().join("a.db-journal").exists());
}

#[test]
fn a_second_writer_past_the_busy_timeout_is_locked_not_damaged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("busy.db");
    let writer = make(&path, "DELETE", 1);
    writer.execute_batch("BEGIN IMMEDIATE").expect("lock");
    let error = Database::open_file_for_writing(&path)
        .err()
        .expect("refused");
    assert!(matches!(error, DbError::Locked { .. }), "{error}");
}

#[test]
fn a_wal_file_is_written_in_wal_mode_with_its_wal_content() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.db");
    let app = make(&path, "WAL", 2);
    app.execute_batch("PRAGMA wal_autocheckpoint=0; INSERT INTO t VALUES (7);")
        .expect("a row kept in the -wal");
    let database = Database::open_file_for_writing(&path).expect("opens");
    assert!(database.is_wal().expect("mode"));
    assert_eq!(count(database.connection()), 3, "the -wal is read");
    let copy = dir.path().join("copy.db");
    database.copy_committed_to(&copy).expect("copy");
    database
        .connection()
        .execute_batch("INSERT INTO t VALUES (8)")
        .expect("write");
    database.commit().expect("commit");
    assert_eq!(
        count(&app),
        4,
        "the application's connection sees the commit"
    );
    let copied = Connection::open(&copy).expect("open the copy");
    assert_eq!(count(&copied), 3);
}

#[test]
fn clear_schema_leaves_no_table_view_trigger_or_counter() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("c.db");
    let conn = make(&path, "DELETE", 1);
    conn.execute_batch(
        "CREATE TABLE \"we\"\"ird\" (id INTEGER PRIMARY KEY AUTOINCREMENT, p INTEGER);\
         INSERT INTO \"we\"\"ird\" (p) VALUES (1);\
         CREATE INDEX ix ON t (x); CREATE VIEW v AS SELECT * FROM t;\
         CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;",
    )
    .expect("schema");
    drop(conn);
    let database = Database::open_file_for_writing(&path).expect("opens");
    database.clear_schema().expect("clear");
    database.commit().expect("commit");
    let left: Vec<String> = {
        let mut statement = database
            .connection()
            .prepare("SELECT name FROM sqlite_master ORDER BY name")
            .expect("prepare");
        let names = statement.query_map([], |row| row.get(0)).expect("query");
        names.map(|name| name.expect("name")).collect()
    };
    assert_eq!(left, vec!["sqlite_sequence".to_string()]);
    let counters: i64 = database
        .connection()
        .query_row("SELECT count(*) FROM sqlite_sequence", [], |row| row.get(0))
        .expect("count");
    assert_eq!(counters, 0);
}

#[cfg(unix)]
#[test]
fn a_read_only_file_or_folder_is_refused_before_anything_runs() {
    use std::os::unix::fs::PermissionsExt;
    if unsafe { libc::geteuid() } == 0 {
        return; // root may write anything; nothing to refuse
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("data");
    std::fs::create_dir(&folder).expect("folder");
    let path = folder.join("r.db");
    drop(make(&path, "DELETE", 1));
    let set = |p: &Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
    set(&path, 0o444).expect("chmod");
    let error = Database::open_file_for_writing(&path)
        .err()
        .expect("refused");
    assert!(matches!(error, DbError::ReadOnlyFile { .. }), "{error}");
    set(&path, 0o644).expect("chmod");
    set(&folder, 0o555).expect("chmod");
    let error = Database::open_file_for_writing(&path)
        .err()
        .expect("refused");
    set(&folder, 0o755).expect("chmod back");
    assert!(matches!(error, DbError::ReadOnlyFolder { .. }), "{error}");
    assert!(error.to_string().contains("r.db-journal"), "{error}");
}

#[test]
fn a_hot_journal_of_a_killed_writer_is_rolled_back_by_the_next_opener() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("h.db");
    drop(make(&path, "DELETE", 3));
    let original = std::fs::read(&path).expect("read");
    // A writer that changed the file and died before COMMIT: its journal and its pages.
    let writer = Connection::open(&path).expect("writer");
    writer
        .execute_batch("PRAGMA cache_size=1; BEGIN; DELETE FROM t; CREATE TABLE big AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5000) SELECT randomblob(100) AS b FROM n;")
        .expect("uncommitted work that spilled to the file");
    let journal = std::fs::read(dir.path().join("h.db-journal")).expect("a journal");
    let main = std::fs::read(&path).expect("the half-written file");
    assert_ne!(main, original, "the spill wrote to the file");
    drop(writer);
    // Put back what a kill -9 would have left.
    std::fs::write(dir.path().join("h.db-journal"), journal).expect("journal");
    std::fs::write(&path, main).expect("file");
    let read = Database::open_file_read_only(&path).expect("reads");
    assert_eq!(
        count(read.connection()),
        3,
        "the read-only opener rolled it back"
    );
    drop(read);
    assert_eq!(std::fs::read(&path).expect("read"), original);
}
