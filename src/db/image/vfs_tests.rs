//! Real SQLite on the page store VFS, natively: opening reads only what SQLite touches, undo
//! comes back byte for byte, and the pieces of a download make the database as changed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags};

use super::super::pages::{BytesSource, PageStore, Piece, Source, SourceError};
use super::super::Database;
use super::vfs::{self, MAIN_CHUNK};

/// How many chunks of a source the tests' stores keep after a read.
const CACHED_CHUNKS: usize = 4;

/// Bytes that count how many of them were read.
struct Counted {
    bytes: BytesSource,
    read: Arc<AtomicU64>,
}

impl Source for Counted {
    fn len(&self) -> u64 {
        self.bytes.len()
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> Result<(), SourceError> {
        self.read.fetch_add(buf.len() as u64, Ordering::Relaxed);
        self.bytes.read_exact_at(buf, offset)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A database of `rows` notes (about 130 bytes each) and a small `alembic_version`.
fn sample_image(rows: u32) -> Vec<u8> {
    let mut database = Database::new_empty().expect("new");
    database
        .execute_script(&format!(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
             INSERT INTO alembic_version VALUES ('abc123');
             CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
             INSERT INTO notes (body) SELECT printf('note %d %s', i, hex(randomblob(60))) FROM n;"
        ))
        .expect("fill");
    database.to_bytes().expect("bytes")
}

/// A file of the VFS over `image` (its reads counted), and a connection to it.
struct Opened {
    name: String,
    conn: Connection,
    read: Arc<AtomicU64>,
}

impl Opened {
    fn new(name: &str, image: &[u8]) -> Opened {
        let read = Arc::new(AtomicU64::new(0));
        let source = Counted {
            bytes: BytesSource(image.to_vec()),
            read: read.clone(),
        };
        let name = format!("vfs-test-{name}.db");
        let store = PageStore::new(
            Box::new(source) as vfs::FileSource,
            MAIN_CHUNK,
            CACHED_CHUNKS,
        );
        assert!(vfs::files().insert(&name, store), "a fresh name");
        let conn = Connection::open_with_flags_and_vfs(
            &name,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            vfs::NAME,
        )
        .expect("opens");
        conn.pragma_update(None, "journal_mode", "MEMORY")
            .expect("journal");
        Opened { name, conn, read }
    }

    fn with_store<R>(&self, action: impl FnOnce(&mut vfs::StoreFile) -> R) -> R {
        let file = vfs::files().get(&self.name).expect("still there");
        let mut store = vfs::lock(&file);
        action(&mut store)
    }

    /// The file as a download would make it: the pieces, original ranges taken from `image`.
    fn download(&self, image: &[u8]) -> Vec<u8> {
        self.with_store(|store| {
            let mut out = Vec::new();
            for piece in store.pieces() {
                match piece {
                    Piece::Original { start, end } => {
                        out.extend_from_slice(&image[start as usize..end as usize])
                    }
                    Piece::Written(bytes) => out.extend_from_slice(bytes),
                    Piece::Spilled { .. } => unreachable!("no spill here"),
                    Piece::Zeros(count) => out.resize(out.len() + count as usize, 0),
                }
            }
            out
        })
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        vfs::files().remove(&self.name);
    }
}

#[test]
fn opening_and_reading_the_version_reads_only_the_chunks_sqlite_touches() {
    let image = sample_image(60_000);
    assert!(image.len() > 8 * MAIN_CHUNK, "{} bytes", image.len());
    let opened = Opened::new("lazy", &image);
    let version: String = opened
        .conn
        .query_row("SELECT version_num FROM alembic_version", [], |row| {
            row.get(0)
        })
        .expect("version");
    assert_eq!(version, "abc123");
    let read = opened.read.load(Ordering::Relaxed);
    assert!(read <= 2 * MAIN_CHUNK as u64, "{read} bytes read to open");
    assert_eq!(
        opened.with_store(|store| store.held()),
        0,
        "nothing written"
    );
    let whole = [Piece::Original {
        start: 0,
        end: image.len() as u64,
    }];
    assert!(
        opened.with_store(|store| store.pieces() == whole),
        "an unchanged file downloads as the original"
    );
    assert_eq!(opened.download(&image), image);
}

#[test]
fn a_change_undone_comes_back_byte_for_byte_and_costs_only_what_it_wrote() {
    let image = sample_image(60_000);
    let opened = Opened::new("undo", &image);
    opened.with_store(|store| store.checkpoint());
    opened
        .conn
        .execute_batch(
            "UPDATE alembic_version SET version_num = 'def456';
             CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             INSERT INTO tags (name) VALUES ('one'), ('two');",
        )
        .expect("change");
    let held = opened.with_store(|store| store.held());
    assert!(
        held <= 3 * MAIN_CHUNK,
        "{held} bytes held for a small change"
    );
    let changed = opened.download(&image);
    assert_ne!(changed, image);
    opened.with_store(|store| store.checkpoint());
    opened
        .conn
        .execute_batch("DELETE FROM notes WHERE id % 3 = 0; VACUUM;")
        .expect("a larger change");
    assert!(
        opened.download(&image).len() < changed.len(),
        "vacuum shrank it"
    );
    assert!(opened.with_store(|store| store.undo()));
    assert_eq!(opened.download(&image), changed, "undo of the vacuum");
    assert!(opened.with_store(|store| store.undo()));
    assert_eq!(opened.download(&image), image, "undo of the first change");
    assert_eq!(opened.with_store(|store| store.held()), 0);
    // SQLite reads the undone file as it was (its cache is dropped by the changed counter).
    let tags: i64 = opened
        .conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'tags'",
            [],
            |row| row.get(0),
        )
        .expect("schema");
    assert_eq!(tags, 0);
}

#[test]
fn a_download_of_a_changed_file_has_the_same_rows_as_the_change_made_in_memory() {
    let image = sample_image(20_000);
    let change = "UPDATE alembic_version SET version_num = 'def456';
                  ALTER TABLE notes ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;
                  UPDATE notes SET seen = 1 WHERE id % 7 = 0;
                  CREATE INDEX notes_seen ON notes (seen);
                  DELETE FROM notes WHERE id > 15000;";
    let opened = Opened::new("download", &image);
    opened.conn.execute_batch(change).expect("change");
    let downloaded = opened.download(&image);
    let mut expected = Database::open_bytes(&image).expect("opens");
    expected.execute_script(change).expect("change");
    let reopened = Database::open_bytes(&downloaded).expect("the download opens");
    assert_eq!(
        reopened.dump().expect("dump"),
        expected.dump().expect("dump")
    );
}
