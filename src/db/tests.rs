//! Tests of opening, serializing and reading `alembic_version`.

use super::*;

/// A small real database file image with a few pages of rows.
fn sample_image() -> Vec<u8> {
    let mut database = Database::new_empty().expect("new");
    database
        .connection()
        .execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)\
             INSERT INTO notes (body) SELECT printf('note %d %s', i, hex(randomblob(40))) FROM n;",
        )
        .expect("fill");
    database.to_bytes().expect("bytes")
}

#[test]
fn new_empty_database_is_unversioned_and_has_no_tables() {
    let database = Database::new_empty().expect("new");
    assert!(!database.is_versioned().expect("query"));
    assert!(database.current_versions().expect("rows").is_empty());
    assert!(database.schema().expect("schema").tables.is_empty());
    assert!(database.notices().is_empty());
}

#[test]
fn bytes_round_trip_unchanged() {
    let image = sample_image();
    assert_eq!(u16::from_be_bytes([image[16], image[17]]), 4096);
    let mut database = Database::open_bytes(&image).expect("opens");
    let count: i64 = database
        .connection()
        .query_row("SELECT count(*) FROM notes", [], |row| row.get(0))
        .expect("count");
    assert_eq!(count, 200);
    assert_eq!(database.to_bytes().expect("bytes"), image);
}

#[test]
fn opened_copy_is_writable_and_growable() {
    let image = sample_image();
    let mut database = Database::open_bytes(&image).expect("opens");
    database
        .connection()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)\
             INSERT INTO notes (body) SELECT hex(randomblob(100)) FROM n;",
        )
        .expect("grows");
    assert!(database.to_bytes().expect("bytes").len() > image.len());
}

#[test]
fn foreign_keys_are_on_after_opening_on_every_target() {
    for database in [
        Database::new_empty().expect("new"),
        Database::open_bytes(&sample_image()).expect("open"),
    ] {
        let on: bool = database
            .connection()
            .pragma_query_value(None, "foreign_keys", |row| row.get(0))
            .expect("read");
        assert!(on);
    }
}

#[test]
fn empty_input_is_refused() {
    assert!(matches!(Database::open_bytes(&[]), Err(DbError::Empty)));
}

#[test]
fn random_bytes_are_not_sqlite() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(matches!(
        Database::open_bytes(&bytes),
        Err(DbError::NotSqlite { .. })
    ));
}

#[test]
fn a_text_file_is_not_sqlite() {
    let error = Database::open_bytes(b"[alembic]\nscript_location = alembic\n")
        .err()
        .expect("refused");
    assert!(
        error
            .to_string()
            .contains("text file starting with \"[alembic]\""),
        "{error}"
    );
}

#[test]
fn a_truncated_file_says_how_much_is_missing() {
    let image = sample_image();
    let cut = &image[..image.len() - 1000];
    let error = Database::open_bytes(cut).err().expect("refused");
    let DbError::Truncated { expected, found } = error else {
        panic!("unexpected error {error}");
    };
    assert_eq!(expected, image.len() as u64);
    assert_eq!(found, cut.len() as u64);
}

#[test]
fn damaged_pages_are_reported_as_corrupt() {
    let mut image = sample_image();
    // Page 2 is the first page of `notes`: overwrite its b-tree header.
    for byte in &mut image[4096..4096 + 64] {
        *byte = 0xa5;
    }
    let error = Database::open_bytes(&image).err().expect("refused");
    assert!(matches!(error, DbError::Corrupt { .. }), "{error}");
}

#[test]
fn a_wal_file_opens_with_a_notice_and_the_callers_bytes_stay_as_they_are() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("content.db");
    {
        let conn = Connection::open(&path).expect("create");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        conn.execute_batch("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('kept');")
            .expect("write");
    } // closing checkpoints the WAL into the file
    let bytes = std::fs::read(&path).expect("read");
    assert_eq!(
        (bytes[18], bytes[19]),
        (2, 2),
        "the test file is in WAL mode"
    );
    let original = bytes.clone();
    let mut database = Database::open_bytes(&bytes).expect("opens");
    assert_eq!(bytes, original);
    assert_eq!(database.notices().len(), 1);
    assert!(database.notices()[0]
        .starts_with("opened a WAL-mode file; the copy you download is in rollback-journal mode"));
    let value: String = database
        .connection()
        .query_row("SELECT a FROM t", [], |row| row.get(0))
        .expect("row");
    assert_eq!(value, "kept");
    let out = database.to_bytes().expect("bytes");
    assert_eq!((out[18], out[19]), (1, 1));
}

#[test]
fn open_path_reads_a_file_and_reports_a_missing_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("content.db");
    std::fs::write(&path, sample_image()).expect("write");
    let database = Database::open_path(&path).expect("opens");
    assert!(database.notices().is_empty());
    let missing = dir.path().join("nope.db");
    let error = Database::open_path(&missing).err().expect("missing");
    assert!(matches!(error, DbError::FileNotFound { .. }));
    assert!(error
        .to_string()
        .starts_with(&format!("{} does not exist", missing.display())));
}

#[test]
fn open_path_warns_about_a_wal_file_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("content.db");
    std::fs::write(&path, sample_image()).expect("write");
    std::fs::write(dir.path().join("content.db-wal"), b"pending").expect("write wal");
    let database = Database::open_path(&path).expect("opens");
    assert_eq!(database.notices().len(), 1);
    assert!(database.notices()[0].contains("content.db-wal exists beside the file (7 bytes)"));
}

#[test]
fn current_versions_keep_table_order() {
    let database = Database::new_empty().expect("new");
    version_table::ensure(database.connection()).expect("create");
    database
        .connection()
        .execute_batch("INSERT INTO alembic_version VALUES ('d5f0b2c8e614'), ('c3e7a1d9f482');")
        .expect("rows");
    assert!(database.is_versioned().expect("query"));
    assert_eq!(
        database.current_versions().expect("rows"),
        vec!["d5f0b2c8e614", "c3e7a1d9f482"]
    );
    assert_eq!(
        database.schema().expect("schema").alembic_version,
        Some(vec!["c3e7a1d9f482".to_string(), "d5f0b2c8e614".to_string()]),
        "the schema lists them sorted, like dump_schema.py"
    );
}

#[test]
fn open_path_treats_a_zero_byte_file_as_a_new_database_like_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("content.db");
    std::fs::write(&path, b"").expect("write");
    let database = Database::open_path(&path).expect("opens");
    assert!(!database.is_versioned().expect("query"));
    assert_eq!(database.notices().len(), 1);
    assert!(database.notices()[0]
        .contains("is empty (0 bytes): treating it as a new database, as SQLite and Alembic do"));
}

#[test]
fn opened_image_may_grow_past_sqlites_one_gib_default() {
    let database = Database::open_bytes(&sample_image()).expect("opens");
    // A negative limit asks memdb for the current one without changing it.
    let mut limit: i64 = -1;
    database
        .conn
        .file_control(Some(MAIN_DB), FileControl::SizeLimit(&mut limit))
        .expect("memdb answers SQLITE_FCNTL_SIZE_LIMIT");
    assert!(limit > 1 << 30, "limit {limit} is SQLite's 1 GiB default");
    assert_eq!(limit, IMAGE_SIZE_LIMIT);
}
