//! A database over a page store through the migrations: lazy open, background quick check,
//! undo byte for byte, and a download equal to the same migration run on a copy in memory.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use super::super::super::pages::{BytesSource, MemorySpill, Piece, Source, SourceError};
use super::*;
use crate::History;

/// Bytes that count what is read of them and can be made to fail.
struct Watched {
    bytes: BytesSource,
    read: Arc<AtomicU64>,
    failing: Arc<AtomicBool>,
}

impl Source for Watched {
    fn len(&self) -> u64 {
        self.bytes.len()
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> Result<(), SourceError> {
        if self.failing.load(Ordering::Relaxed) {
            return Err(SourceError {
                detail: "NotReadableError: the file changed on disk".into(),
            });
        }
        self.read.fetch_add(buf.len() as u64, Ordering::Relaxed);
        self.bytes.read_exact_at(buf, offset)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

struct Opened {
    db: Database,
    read: Arc<AtomicU64>,
    failing: Arc<AtomicBool>,
}

fn open(image: &[u8]) -> Result<Opened, DbError> {
    let read = Arc::new(AtomicU64::new(0));
    let failing = Arc::new(AtomicBool::new(false));
    let source = Watched {
        bytes: BytesSource(image.to_vec()),
        read: read.clone(),
        failing: failing.clone(),
    };
    let db = Database::open_source(Box::new(source))?;
    Ok(Opened { db, read, failing })
}

/// The file a download of `db` would hold, the original's ranges taken from `image`.
fn download(db: &Database, image: &[u8]) -> Vec<u8> {
    db.with_store(|store| {
        let mut out = Vec::new();
        for piece in store.pieces() {
            match piece {
                Piece::Original { start, end } => {
                    out.extend_from_slice(&image[start as usize..end as usize])
                }
                Piece::Written(bytes) => out.extend_from_slice(bytes),
                Piece::Spilled { at, len } => {
                    let mut stored = vec![0; len as usize];
                    let spill = store.spill().expect("a spilled piece has a spill");
                    spill.get(at, &mut stored).expect("stored");
                    out.extend_from_slice(&stored);
                }
                Piece::Zeros(count) => out.resize(out.len() + count as usize, 0),
            }
        }
        out
    })
    .expect("on a page store")
}

/// A ContentEngine database three revisions before head, with some thousands of rows in a
/// table of its own so the file spans several chunks; and the revision it is at.
fn older_database() -> (Vec<u8>, String) {
    let history = History::embedded().expect("history");
    let all = history.plan_upgrade(&[], "heads").expect("plan");
    let target = all.steps[all.steps.len() - 3].revision.clone();
    let mut db = Database::new_empty().expect("new");
    let plan = history.plan_upgrade(&[], &target).expect("plan");
    db.apply(history, &plan, |_| {}).expect("upgrade");
    db.execute_script(
        "CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
         INSERT INTO filler (body) SELECT printf('row %d %s', i, hex(randomblob(50))) FROM n;",
    )
    .expect("rows");
    (db.to_bytes().expect("bytes"), target)
}

fn upgrade(db: &mut Database) {
    let history = History::embedded().expect("history");
    let current = db.current_versions().expect("versions");
    let plan = history.plan_upgrade(&current, "heads").expect("plan");
    assert!(!plan.steps.is_empty());
    db.apply(history, &plan, |_| {}).expect("upgrade");
}

#[test]
fn the_revision_shows_after_reading_only_the_first_chunks() {
    let (image, revision) = older_database();
    assert!(image.len() > 4 * READ_LEN, "{} bytes", image.len());
    let opened = open(&image).expect("opens");
    assert_eq!(opened.db.current_versions().expect("versions"), [revision]);
    let read = opened.read.load(Ordering::Relaxed);
    assert!(read <= 2 * READ_LEN as u64, "{read} bytes read");
    assert!(opened.db.is_unchanged().expect("store"));
    assert_eq!(opened.db.changed_bytes().expect("store"), 0);
    assert_eq!(
        download(&opened.db, &image),
        image,
        "unchanged: the original"
    );
    opened.db.quick_check(&mut |_, _| {}).expect("a sound file");
    assert!(opened.read.load(Ordering::Relaxed) >= image.len() as u64 - READ_LEN as u64);
}

#[test]
fn migrated_undone_migrated_again_and_downloaded_matches_the_migration_of_a_copy() {
    let (image, _) = older_database();
    let Opened { mut db, read, .. } = open(&image).expect("opens");
    db.ensure_checked(&mut |_, _| {}).expect("sound");
    let after_check = read.load(Ordering::Relaxed);
    db.ensure_checked(&mut |_, _| {}).expect("sound");
    assert_eq!(read.load(Ordering::Relaxed), after_check, "checked once");
    db.checkpoint().expect("checkpoint");
    upgrade(&mut db);
    let upgraded = download(&db, &image);
    assert!(
        db.changed_bytes().expect("store") < image.len(),
        "not a copy"
    );
    assert!(db.undo().expect("undo"));
    assert_eq!(
        download(&db, &image),
        image,
        "undo comes back byte for byte"
    );
    assert!(db.is_unchanged().expect("store"));
    assert!(!db.undo().expect("undo"), "nothing more to undo");
    db.checkpoint().expect("checkpoint");
    upgrade(&mut db);
    let downloaded = download(&db, &image);
    assert_eq!(downloaded, upgraded, "the same steps write the same bytes");
    let mut copy = Database::open_bytes(&image).expect("opens");
    upgrade(&mut copy);
    let reopened = Database::open_bytes(&downloaded).expect("the download opens");
    assert_eq!(reopened.dump().expect("dump"), copy.dump().expect("dump"));
    assert_eq!(
        reopened.current_versions().expect("versions"),
        copy.current_versions().expect("versions")
    );
}

#[test]
fn forgetting_a_checkpoint_keeps_the_change_and_undo_goes_further_back() {
    let (image, _) = older_database();
    let Opened { mut db, .. } = open(&image).expect("opens");
    db.checkpoint().expect("checkpoint");
    db.execute_script("DELETE FROM filler WHERE id % 2 = 0")
        .expect("delete");
    let after_delete = download(&db, &image);
    db.checkpoint().expect("checkpoint");
    db.execute_script("UPDATE filler SET body = 'x'")
        .expect("update");
    assert!(db.forget_checkpoint().expect("store"));
    assert_ne!(download(&db, &image), after_delete, "the update stays");
    assert!(db.undo().expect("undo"));
    assert_eq!(download(&db, &image), image, "back before both");
    db.checkpoint().expect("checkpoint");
    db.execute_script("DELETE FROM filler").expect("delete");
    assert!(db.forget_oldest_checkpoint().expect("store"));
    assert!(
        !db.undo().expect("undo"),
        "the only checkpoint was forgotten"
    );
    let rows: i64 = db
        .connection()
        .query_row("SELECT count(*) FROM filler", [], |row| row.get(0))
        .expect("count");
    assert_eq!(rows, 0);
}

#[test]
fn a_checkpoint_inside_a_transaction_is_refused() {
    let (image, _) = older_database();
    let Opened { mut db, .. } = open(&image).expect("opens");
    db.execute_script("BEGIN").expect("begin");
    let error = db.checkpoint().expect_err("refused");
    assert!(error.to_string().contains("transaction"), "{error}");
    db.execute_script("ROLLBACK").expect("rollback");
    db.checkpoint().expect("then it works");
}

#[test]
fn bad_files_are_refused_at_open_with_the_errors_of_open_bytes() {
    let (image, _) = older_database();
    assert!(matches!(open(&[]), Err(DbError::Empty)));
    let text = b"id,content\n1,hello\n".repeat(1000);
    let short = &image[..image.len() - 8192];
    for bad in [&text[..], short] {
        let error = open(bad).err().expect("refused");
        let expected = Database::open_bytes(bad).err().expect("refused");
        assert_eq!(error.to_string(), expected.to_string());
    }
}

#[test]
fn damage_past_the_schema_is_found_by_the_quick_check_not_at_open() {
    let (mut image, _) = older_database();
    let page = 4096;
    let at = image.len() / 2 / page * page;
    image[at..at + page].fill(0xA5);
    let mut opened = open(&image).expect("opens: the schema is sound");
    let error = opened.db.quick_check(&mut |_, _| {}).expect_err("damaged");
    let again = opened
        .db
        .ensure_checked(&mut |_, _| {})
        .expect_err("still damaged");
    assert_eq!(again.to_string(), error.to_string());
    let expected = Database::open_bytes(&image).err().expect("damaged");
    assert!(matches!(error, DbError::Corrupt { .. }), "{error}");
    assert_eq!(error.to_string(), expected.to_string());
}

#[test]
fn a_wal_file_is_switched_in_the_store_and_its_source_is_left_alone() {
    let (mut image, _) = older_database();
    image[18] = 2;
    image[19] = 2;
    let opened = open(&image).expect("opens");
    assert_eq!(
        opened.db.notices(),
        Database::open_bytes(&image).expect("opens").notices()
    );
    let out = download(&opened.db, &image);
    assert_eq!((out[18], out[19]), (1, 1));
    assert_eq!(out[20..], image[20..]);
    assert_eq!((image[18], image[19]), (2, 2));
}

#[test]
fn a_source_that_stops_reading_is_an_error_and_reads_again_once_it_can() {
    let (image, _) = older_database();
    let opened = open(&image).expect("opens");
    opened.failing.store(true, Ordering::Relaxed);
    let count = "SELECT count(*) FROM filler";
    let failed = opened
        .db
        .connection()
        .query_row(count, [], |row| row.get::<_, i64>(0));
    assert!(failed.is_err(), "{failed:?}");
    opened.failing.store(false, Ordering::Relaxed);
    let rows: i64 = opened
        .db
        .connection()
        .query_row(count, [], |row| row.get(0))
        .expect("reads again");
    assert_eq!(rows, 40_000);
}

/// A source with a cheap copy (as the page's `File` with its copy in the private storage):
/// records each read's length and the progress of [`Source::fetch_all`].
struct Cheap {
    bytes: BytesSource,
    reads: Arc<std::sync::Mutex<Vec<usize>>>,
    fetched: Arc<std::sync::Mutex<Vec<(u64, u64)>>>,
}

impl Source for Cheap {
    fn len(&self) -> u64 {
        self.bytes.len()
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> Result<(), SourceError> {
        self.reads.lock().expect("reads").push(buf.len());
        self.bytes.read_exact_at(buf, offset)
    }

    fn rereads_cheaply(&self) -> bool {
        true
    }

    fn fetch_all(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<bool, SourceError> {
        let len = self.len();
        self.fetched.lock().expect("fetched").push((len, len));
        progress(len, len);
        Ok(true)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[test]
fn a_source_with_a_cheap_copy_is_fetched_whole_before_the_check_and_read_in_small_pieces() {
    let (image, _) = older_database();
    let reads = Arc::new(std::sync::Mutex::new(Vec::new()));
    let fetched = Arc::new(std::sync::Mutex::new(Vec::new()));
    let source = Cheap {
        bytes: BytesSource(image.clone()),
        reads: reads.clone(),
        fetched: fetched.clone(),
    };
    let mut db = Database::open_source(Box::new(source)).expect("opens");
    let mut told = Vec::new();
    db.ensure_checked(&mut |done, total| told.push((done, total)))
        .expect("sound");
    let len = image.len() as u64;
    assert_eq!(
        *fetched.lock().expect("fetched"),
        [(len, len)],
        "fetched once, whole"
    );
    assert!(told.contains(&(len, len)), "progress told: {told:?}");
    let largest = reads.lock().expect("reads").iter().copied().max();
    assert_eq!(
        largest,
        Some(CHEAP_READ_LEN),
        "the store reads its own pieces, small ones, and never a long run ahead"
    );
    db.checkpoint().expect("checkpoint");
    upgrade(&mut db);
    let mut copy = Database::open_bytes(&image).expect("opens");
    upgrade(&mut copy);
    let downloaded = download(&db, &image);
    let reopened = Database::open_bytes(&downloaded).expect("the download opens");
    assert_eq!(reopened.dump().expect("dump"), copy.dump().expect("dump"));
    assert!(db.undo().expect("undo"));
    assert_eq!(
        download(&db, &image),
        image,
        "undo comes back byte for byte"
    );
}

#[test]
fn a_new_database_in_a_store_is_all_written_chunks_and_undoes_byte_for_byte() {
    let mut db = Database::new_in_store().expect("new");
    assert!(db.is_paged());
    assert!(!db.has_source().expect("store"), "no original file");
    db.checkpoint().expect("checkpoint");
    let before = db.changes().expect("store");
    upgrade(&mut db);
    assert!(
        db.changes().expect("store") > before,
        "the upgrade counted as changes"
    );
    let upgraded = db.to_bytes().expect("bytes");
    assert_eq!(
        u32::from(u16::from_be_bytes([upgraded[16], upgraded[17]])),
        crate::db::NEW_PAGE_SIZE,
        "the page size of a new database"
    );
    assert_eq!(
        download(&db, &[]),
        upgraded,
        "its pieces are only written bytes"
    );
    db.checkpoint().expect("checkpoint");
    db.execute_script("CREATE TABLE more (x);").expect("change");
    let read_only = db.changes().expect("store");
    db.current_versions().expect("versions");
    assert_eq!(
        db.changes().expect("store"),
        read_only,
        "reading changes nothing"
    );
    assert!(db.undo().expect("undo"));
    assert_eq!(
        db.to_bytes().expect("bytes"),
        upgraded,
        "undone, byte for byte"
    );
    assert!(db.undo().expect("undo"));
    assert!(db.to_bytes().expect("bytes").is_empty(), "empty again");
    assert!(db.current_versions().expect("versions").is_empty());
}

#[test]
fn undo_stored_in_a_spill_takes_no_memory_and_migrates_undoes_and_downloads_as_in_memory() {
    let (image, _) = older_database();
    let source = Box::new(BytesSource(image.clone()));
    let spill = Box::new(MemorySpill {
        file_len: 4 * MAIN_CHUNK,
        ..MemorySpill::default()
    });
    let mut db = Database::open_source_with_spill(source, Some(spill)).expect("opens");
    db.ensure_checked(&mut |_, _| {}).expect("sound");
    db.checkpoint().expect("checkpoint");
    upgrade_and_rewrite(&mut db);
    let written = db.changed_bytes().expect("store");
    assert!(written > 8 * MAIN_CHUNK, "{written} bytes written");
    assert_eq!(
        db.spilled_bytes().expect("store"),
        0,
        "nothing stored: the file was the original"
    );
    let upgraded = download(&db, &image);
    // The next change rewrites what the first wrote: the first's chunks are saved in the spill
    // for undo, none in memory.
    db.checkpoint().expect("checkpoint");
    db.conn
        .execute_batch("UPDATE filler SET body = body || '!'")
        .expect("update");
    let held = db.changed_bytes().expect("store");
    let chunks = db
        .with_store(|store| (store.len() as usize).div_ceil(MAIN_CHUNK))
        .expect("store");
    assert!(
        held <= chunks * MAIN_CHUNK,
        "undo holds no copies: {held} bytes held"
    );
    let rewritten = download(&db, &image);
    assert!(db.undo().expect("undo"));
    assert_eq!(
        download(&db, &image),
        upgraded,
        "undo comes back byte for byte"
    );
    let stored = db.spilled_bytes().expect("store");
    assert!(
        stored > 8 * MAIN_CHUNK,
        "the undone chunks read from the spill: {stored}"
    );
    // Written again over stored chunks: the same bytes as the first time.
    db.checkpoint().expect("checkpoint");
    db.conn
        .execute_batch("UPDATE filler SET body = body || '!'")
        .expect("update");
    assert_eq!(
        download(&db, &image),
        rewritten,
        "the same change writes the same bytes"
    );
    assert!(db.undo().expect("undo"));
    assert!(db.undo().expect("undo"));
    assert_eq!(download(&db, &image), image, "back to the file as chosen");
    let mut copy = Database::open_bytes(&image).expect("opens");
    upgrade_and_rewrite(&mut copy);
    let reopened = Database::open_bytes(&upgraded).expect("the download opens");
    assert_eq!(reopened.dump().expect("dump"), copy.dump().expect("dump"));
}

/// [`upgrade`], then every row of the filler table rewritten longer (most of the file changes).
fn upgrade_and_rewrite(db: &mut Database) {
    upgrade(db);
    db.conn
        .execute_batch("UPDATE filler SET body = body || ' rewritten'")
        .expect("rewrite");
}
