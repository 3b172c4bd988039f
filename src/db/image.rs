//! A database image moved in and out in slices, so a large file never has to sit in memory
//! whole beside the database made from it.
//!
//! In: [`Database::import`] takes the file's length, then [`ImageImport::write`] its bytes slice
//! by slice; the header is judged (with the same errors as [`Database::open_bytes`]) as soon as
//! the first slice arrives, so a wrong file is refused before the rest is read. Out:
//! [`Database::image_reader`] hands the image out in slices ([`std::io::Read`]), or as views
//! without a copy ([`ImageReader::with_next_parts`]).
//!
//! Where the bytes live: in WebAssembly the database is a file of our own VFS (`image/vfs.rs`),
//! a page store (`db/pages.rs`) in large chunks into which the slices are written as they come; SQLite's own `memdb` (what `sqlite3_deserialize` uses) reallocates one block to
//! twice the needed size, old and new live at once. Natively that VFS is not used (it is
//! single-threaded and keeps no locks, while tests and the CLI may open databases on several
//! threads), so the slices are gathered and opened with [`Database::open_bytes`]: the same
//! checks, the same errors. The chunked file itself is pure logic, tested natively.

use super::{header, sniff, Database, DbError};

/// Reads a file image into a new [`Database`], slice by slice.
pub struct ImageImport {
    /// The length the caller announced.
    len: u64,
    /// Bytes received so far.
    received: u64,
    /// The first bytes, held back until the header has been judged.
    start: Vec<u8>,
    /// The header once judged (patched out of WAL mode).
    header: Option<header::Header>,
    /// Where the bytes go.
    sink: Sink,
}

impl Database {
    /// Starts reading a file image of `len` bytes; see [`ImageImport`].
    pub fn import(len: u64) -> Result<ImageImport, DbError> {
        if len == 0 {
            return Err(DbError::Empty);
        }
        Ok(ImageImport {
            len,
            received: 0,
            start: Vec::new(),
            header: None,
            sink: Sink::new(len)?,
        })
    }

    /// Opens a file image given as a sequence of slices (e.g. a file read piece by piece).
    pub fn open_slices<'s>(
        len: u64,
        slices: impl IntoIterator<Item = &'s [u8]>,
    ) -> Result<Database, DbError> {
        let mut import = Database::import(len)?;
        for slice in slices {
            import.write(slice)?;
        }
        import.finish()
    }

    /// The file image, to be read in slices. Do not change the database while reading.
    pub fn image_reader(&mut self) -> Result<ImageReader<'_>, DbError> {
        if let Some(file) = &self.file {
            return memfile::reader(file);
        }
        // `serialize` needs `&mut` because it may hand out SQLite's own buffer (no copy).
        let data = self.conn.serialize(rusqlite::MAIN_DB)?;
        Ok(ImageReader {
            len: data.len() as u64,
            offset: 0,
            source: Source::Serialized(data),
        })
    }
}

impl ImageImport {
    /// The next `slice` of the file. Fails as soon as the header shows the file is not one to
    /// open (then stop reading), or when more bytes come than announced.
    pub fn write(&mut self, mut slice: &[u8]) -> Result<(), DbError> {
        let end = self.received + slice.len() as u64;
        if end > self.len {
            return Err(DbError::Image {
                detail: format!(
                    "the file grew while it was read ({} bytes announced, {end} read); choose it \
                     again",
                    self.len
                ),
            });
        }
        self.received = end;
        if self.header.is_none() {
            let wanted = (header::START_LEN as u64).min(self.len) as usize;
            let take = (wanted - self.start.len()).min(slice.len());
            self.start.extend_from_slice(&slice[..take]);
            slice = &slice[take..];
            if self.start.len() < wanted {
                return Ok(());
            }
            let header = header::inspect_start(&self.start, self.len)?;
            let mut first = std::mem::take(&mut self.start);
            let patched = header::HEADER_LEN.min(first.len());
            first[..patched].copy_from_slice(&header.bytes[..patched]);
            self.sink.write(&first)?;
            // Kept (patched) to explain a failed quick check later.
            self.start = first;
            self.header = Some(header);
        }
        self.sink.write(slice)
    }

    /// Opens the database once every byte arrived: SQLite's quick check, and the notices of
    /// [`Database::open_bytes`] (e.g. a WAL file converted).
    pub fn finish(self) -> Result<Database, DbError> {
        if self.received < self.len {
            return Err(DbError::Truncated {
                expected: self.len,
                found: self.received,
            });
        }
        let Some(header) = self.header else {
            // Unreachable with a length above zero (the header is judged once `len` or
            // START_LEN bytes arrived), kept as an error rather than a panic.
            return Err(DbError::Empty);
        };
        let explain = explainer(self.start, self.len);
        self.sink.open(header.was_wal, explain)
    }
}

/// Turns what SQLite said about a file that would not open into [`DbError::Corrupt`], with what
/// the file's first bytes and length tell about why.
pub(super) fn explainer(start: Vec<u8>, len: u64) -> impl Fn(String) -> DbError {
    move |mut detail: String| {
        let notes = [
            header::length_mismatch_start(&start, len),
            sniff::encrypted_pages_note(&start),
        ];
        for note in notes.into_iter().flatten() {
            detail.push_str("; ");
            detail.push_str(&note);
        }
        DbError::Corrupt { detail }
    }
}

/// The notice for a file that was in WAL mode.
pub(super) fn wal_notices(was_wal: bool) -> Vec<String> {
    if was_wal {
        vec![
            "opened a WAL-mode file; the copy you download is in rollback-journal mode \
             (changes still in a separate content.db-wal file are not included)"
                .to_string(),
        ]
    } else {
        Vec::new()
    }
}

/// A database's file image, read in slices (see [`Database::image_reader`]).
pub struct ImageReader<'a> {
    len: u64,
    offset: u64,
    source: Source<'a>,
}

enum Source<'a> {
    /// SQLite's serialization of the database (its own buffer for a deserialized one).
    Serialized(rusqlite::serialize::Data<'a>),
    /// A file of the page store VFS.
    Chunks(memfile::Export),
}

impl ImageReader<'_> {
    /// The image's length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the image has no bytes (a new database never written to).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Fills `buf` with the next bytes; returns how many (0 at the end).
    pub fn read_slice(&mut self, buf: &mut [u8]) -> Result<usize, DbError> {
        let count = match &mut self.source {
            Source::Serialized(data) => {
                let from = self.offset as usize;
                let count = buf.len().min(data.len() - from);
                buf[..count].copy_from_slice(&data[from..from + count]);
                count
            }
            Source::Chunks(export) => export.read(buf, self.offset)?,
        };
        self.offset += count as u64;
        Ok(count)
    }

    /// Hands `use_parts` views of the next bytes, without a copy: at most `max` of them, in
    /// order, as one slice natively and as whole chunks of the in-memory file in WebAssembly
    /// (cut only at `max` and at the end). Returns `None` at the end. The views must not
    /// outlive the call (e.g. make a Blob of them inside).
    pub fn with_next_parts<R>(
        &mut self,
        max: usize,
        use_parts: impl FnOnce(&[&[u8]]) -> R,
    ) -> Option<R> {
        let (count, result) = match &self.source {
            Source::Serialized(data) => {
                let from = (self.offset as usize).min(data.len());
                let part = &data[from..from + max.min(data.len() - from)];
                if part.is_empty() {
                    return None;
                }
                (part.len(), use_parts(&[part]))
            }
            Source::Chunks(export) => {
                let mut count = 0;
                let result = export.with_parts(self.offset, max, |parts| {
                    count = parts.iter().map(|part| part.len()).sum();
                    use_parts(parts)
                })?;
                (count, result)
            }
        };
        self.offset += count as u64;
        Some(result)
    }

    /// The rest of the image in one `Vec`.
    pub fn read_all(mut self) -> Result<Vec<u8>, DbError> {
        let mut bytes = vec![0; (self.len - self.offset) as usize];
        let mut filled = 0;
        while filled < bytes.len() {
            let count = self.read_slice(&mut bytes[filled..])?;
            if count == 0 {
                break;
            }
            filled += count;
        }
        bytes.truncate(filled);
        Ok(bytes)
    }
}

impl std::io::Read for ImageReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.read_slice(buf).map_err(std::io::Error::other)
    }
}

#[cfg(target_arch = "wasm32")]
use memfile::Sink;
#[cfg(not(target_arch = "wasm32"))]
use native::Sink;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::super::{Database, DbError};

    /// The bytes gathered for [`Database::open_bytes`].
    pub(super) struct Sink(Vec<u8>);

    impl Sink {
        pub(super) fn new(len: u64) -> Result<Sink, DbError> {
            let len = usize::try_from(len).map_err(|_| DbError::Image {
                detail: format!("{len} bytes do not fit in memory"),
            })?;
            Ok(Sink(Vec::with_capacity(len)))
        }

        pub(super) fn write(&mut self, slice: &[u8]) -> Result<(), DbError> {
            self.0.extend_from_slice(slice);
            Ok(())
        }

        /// The header is already patched; `open_bytes` judges it again (it passes) and says
        /// the same about a WAL file.
        pub(super) fn open(
            self,
            was_wal: bool,
            _explain: impl Fn(String) -> DbError,
        ) -> Result<Database, DbError> {
            let mut database = Database::open_bytes(&self.0)?;
            database.notices = super::wal_notices(was_wal);
            Ok(database)
        }
    }
}

mod lazy;
mod memfile;
mod vfs;
#[cfg(test)]
mod vfs_tests;

pub use lazy::{PageSource, PageSpill, CHEAP_CACHE_BUDGET};
pub use memfile::MemFile;

#[cfg(test)]
mod tests {
    use super::*;

    /// A real database image of a few dozen pages.
    fn sample_image() -> Vec<u8> {
        let mut database = Database::new_empty().expect("new");
        database
            .execute_script(
                "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 800)
                 INSERT INTO notes (body) SELECT printf('note %d %s', i, hex(randomblob(40))) FROM n;",
            )
            .expect("fill");
        database.to_bytes().expect("bytes")
    }

    fn read_in_slices(database: &mut Database, slice_len: usize) -> Vec<u8> {
        let mut reader = database.image_reader().expect("reader");
        let mut out = Vec::new();
        let mut slice = vec![0; slice_len];
        loop {
            let count = reader.read_slice(&mut slice).expect("read");
            if count == 0 {
                break;
            }
            out.extend_from_slice(&slice[..count]);
        }
        out
    }

    #[test]
    fn any_slicing_opens_the_same_database_and_reads_back_byte_for_byte() {
        let image = sample_image();
        assert!(image.len() > 3 * header::START_LEN, "several slices");
        for slice_len in [1, 37, 100, 4096, 8191, 65_536, image.len()] {
            let mut database =
                Database::open_slices(image.len() as u64, image.chunks(slice_len)).expect("opens");
            let count: i64 = database
                .connection()
                .query_row("SELECT count(*) FROM notes", [], |row| row.get(0))
                .expect("count");
            assert_eq!(count, 800, "slices of {slice_len}");
            for out_len in [1000, 4096, 1 << 20] {
                assert_eq!(
                    read_in_slices(&mut database, out_len),
                    image,
                    "{slice_len}/{out_len}"
                );
            }
            assert_eq!(
                database.image_reader().expect("reader").len(),
                image.len() as u64
            );
        }
    }

    #[test]
    fn views_of_the_next_part_cover_the_image_once_in_order() {
        let image = sample_image();
        let mut database =
            Database::open_slices(image.len() as u64, image.chunks(7000)).expect("opens");
        for max in [1000, 4096, 1 << 20] {
            let mut reader = database.image_reader().expect("reader");
            let mut out = Vec::new();
            while let Some(len) = reader.with_next_parts(max, |parts| {
                assert!(parts.iter().all(|part| !part.is_empty()));
                parts.iter().for_each(|part| out.extend_from_slice(part));
                parts.iter().map(|part| part.len()).sum::<usize>()
            }) {
                assert!(len > 0 && len <= max, "{len} of at most {max}");
            }
            assert_eq!(out, image, "parts of at most {max}");
            assert_eq!(reader.with_next_parts(max, |parts| parts.len()), None);
        }
        // Views and copies mix: each continues where the other stopped.
        let mut reader = database.image_reader().expect("reader");
        let mut out = vec![0; 100];
        assert_eq!(reader.read_slice(&mut out).expect("read"), 100);
        reader
            .with_next_parts(50, |parts| out.extend_from_slice(parts[0]))
            .expect("a part");
        out.extend(reader.read_all().expect("rest"));
        assert_eq!(out, image);
    }

    #[test]
    fn a_changed_database_reads_out_as_it_is_now() {
        let image = sample_image();
        let mut database =
            Database::open_slices(image.len() as u64, image.chunks(5000)).expect("opens");
        database
            .execute_script("DELETE FROM notes WHERE id % 2 = 0; CREATE TABLE more (x);")
            .expect("change");
        let out = read_in_slices(&mut database, 3000);
        assert_ne!(out, image);
        let again = Database::open_bytes(&out).expect("reopens");
        let count: i64 = again
            .connection()
            .query_row("SELECT count(*) FROM notes", [], |row| row.get(0))
            .expect("count");
        assert_eq!(count, 400);
    }

    #[test]
    fn a_foreign_file_is_refused_at_its_first_slice_with_the_errors_of_open_bytes() {
        let text = b"id,content\n1,hello\n".repeat(1000);
        let mut import = Database::import(text.len() as u64).expect("starts");
        let error = import
            .write(&text[..header::START_LEN])
            .expect_err("refused");
        let expected = Database::open_bytes(&text).err().expect("refused");
        assert_eq!(error.to_string(), expected.to_string());
        assert!(matches!(error, DbError::NotSqlite { .. }));
        assert!(matches!(Database::import(0), Err(DbError::Empty)));
    }

    #[test]
    fn short_long_and_damaged_inputs_fail_like_open_bytes() {
        let image = sample_image();
        // Fewer bytes than announced: the header's page count is not met.
        let cut = &image[..image.len() - 4096];
        let error = Database::open_slices(image.len() as u64, [cut])
            .err()
            .expect("short");
        assert!(matches!(error, DbError::Truncated { .. }), "{error}");
        // A file announced short whose header promises more pages.
        let error = Database::open_slices(cut.len() as u64, [cut])
            .err()
            .expect("cut");
        let expected = Database::open_bytes(cut).err().expect("cut");
        assert_eq!(error.to_string(), expected.to_string());
        // More bytes than announced.
        let mut import = Database::import(10_000).expect("starts");
        let error = import.write(&image[..20_000]).expect_err("too long");
        assert!(matches!(error, DbError::Image { .. }), "{error}");
        // Damaged pages: the quick check's message, as from open_bytes.
        let mut damaged = image.clone();
        for byte in &mut damaged[4096 + 8..4096 + 200] {
            *byte = 0xff;
        }
        let error = Database::open_slices(damaged.len() as u64, damaged.chunks(999))
            .err()
            .expect("damaged");
        let expected = Database::open_bytes(&damaged).err().expect("damaged");
        assert!(matches!(error, DbError::Corrupt { .. }), "{error}");
        assert_eq!(error.to_string(), expected.to_string());
    }

    #[test]
    fn a_wal_file_opens_in_rollback_mode_with_the_notice() {
        let mut image = sample_image();
        image[18] = 2;
        image[19] = 2;
        let mut database =
            Database::open_slices(image.len() as u64, image.chunks(50)).expect("opens");
        assert_eq!(
            database.notices(),
            Database::open_bytes(&image).expect("opens").notices()
        );
        assert_eq!(database.notices().len(), 1);
        let out = read_in_slices(&mut database, 4096);
        assert_eq!((out[18], out[19]), (1, 1));
        assert_eq!(out[20..], image[20..]);
    }
}
