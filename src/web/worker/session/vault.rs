//! Where the session keeps whole files outside the open database: the file as opened (for the
//! backup download: the chosen `File`, or a copy of the demo or new database as built) and the
//! downloads. Undo keeps nothing here: its checkpoints are the page store's (`open.rs`).
//!
//! The session only sees the two traits, so it stays free of browser APIs and is tested natively
//! with [`MemoryVault`]. The worker keeps the chosen `File` itself (on disk, no memory) and makes
//! downloads as Blobs of its unchanged slices and the written chunks (`worker/blob_vault.rs`),
//! or, for a database without a source of 256 MiB and more, files in the origin-private file
//! system (`worker/opfs_vault.rs`).

use std::any::Any;
use std::rc::Rc;

use crate::db::pages::BytesSource;
use crate::db::DbError;
use crate::Database;

/// How many bytes move at a time between a database and a stored image (4 MiB): large enough
/// that the per-slice overhead (a message, a JS object) does not show, small enough that a
/// slice in flight costs little memory.
pub const SLICE_LEN: usize = 4 << 20;

/// A whole file image kept outside the open database.
pub trait StoredImage {
    /// Its length in bytes.
    fn len(&self) -> u64;

    /// Whether it has no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its first `count` bytes (fewer when it is shorter): the overview reads the header.
    fn start(&self, count: usize) -> Result<Vec<u8>, DbError>;

    /// Opens a new database from it; `progress` gets (bytes read, total) as it is read.
    fn open(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<Database, DbError>;

    /// For the worker, to get its own type (a Blob) back when it posts the image.
    fn as_any(&self) -> &dyn Any;
}

/// A shared handle on a stored image: the same original serves the backup and the background
/// checker.
pub type Image = Rc<dyn StoredImage>;

/// Makes stored images out of databases.
pub trait Vault {
    /// Copies `db`'s file as it is now out of it (a download, the demo's original).
    fn copy_out(&self, db: &mut Database) -> Result<Image, DbError>;
}

/// Images as byte vectors in memory: the vault of native tests (and the session's default).
#[derive(Debug, Default, Clone, Copy)]
pub struct MemoryVault;

/// An image held in a `Vec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryImage(pub Vec<u8>);

impl Vault for MemoryVault {
    fn copy_out(&self, db: &mut Database) -> Result<Image, DbError> {
        let mut reader = db.image_reader()?;
        let mut bytes = Vec::with_capacity(reader.len() as usize);
        let mut slice = vec![0; SLICE_LEN.min(reader.len() as usize)];
        loop {
            let count = reader.read_slice(&mut slice)?;
            if count == 0 {
                break;
            }
            bytes.extend_from_slice(&slice[..count]);
        }
        Ok(Rc::new(MemoryImage(bytes)))
    }
}

impl StoredImage for MemoryImage {
    fn len(&self) -> u64 {
        self.0.len() as u64
    }

    fn start(&self, count: usize) -> Result<Vec<u8>, DbError> {
        Ok(self.0[..count.min(self.0.len())].to_vec())
    }

    /// Opened as the worker opens a chosen file: lazily, its quick check owed.
    fn open(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<Database, DbError> {
        let db = Database::open_source(Box::new(BytesSource(self.0.clone())))?;
        progress(self.len(), self.len());
        Ok(db)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The bytes of an image the [`MemoryVault`] made (tests read what a download would hold).
pub fn memory_bytes(image: &Image) -> Option<&[u8]> {
    image
        .as_any()
        .downcast_ref::<MemoryImage>()
        .map(|image| image.0.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut db = Database::new_empty().expect("new");
        db.execute_script(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO t (body) SELECT printf('row %d %s', i, hex(randomblob(40))) FROM n;",
        )
        .expect("rows");
        db.to_bytes().expect("bytes")
    }

    #[test]
    fn a_copy_opens_again_byte_for_byte_with_progress() {
        let bytes = sample();
        let image = MemoryImage(bytes.clone());
        let mut seen = Vec::new();
        let mut db = image
            .open(&mut |read, total| seen.push((read, total)))
            .expect("opens");
        assert_eq!(seen.last(), Some(&(bytes.len() as u64, bytes.len() as u64)));
        let copied = MemoryVault.copy_out(&mut db).expect("copy");
        assert_eq!(memory_bytes(&copied), Some(bytes.as_slice()));
        assert_eq!(copied.start(100).expect("start"), bytes[..100].to_vec());
    }

    #[test]
    fn a_bad_image_does_not_open() {
        let image = MemoryImage(b"id,content\n1,hello\n".to_vec());
        let error = image.open(&mut |_, _| {}).err().expect("refused");
        assert!(matches!(error, DbError::NotSqlite { .. }), "{error}");
    }
}
