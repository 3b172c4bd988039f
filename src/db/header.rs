//! Checks a file image before SQLite sees it, so a wrong or damaged file gets a message that
//! says what is wrong (SQLite itself only says "file is not a database"). Reads the 100-byte
//! header described in <https://www.sqlite.org/fileformat.html#the_database_header>.

use super::DbError;

/// The 16 bytes every SQLite 3 file starts with.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Size of the database header.
pub(crate) const HEADER_LEN: usize = 100;

/// What the header says, and the header to hand to SQLite (possibly patched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// The first 100 bytes, with WAL mode switched off when it was on.
    pub bytes: [u8; HEADER_LEN],
    /// The file was in WAL mode (header bytes 18/19 were 2).
    pub was_wal: bool,
}

/// How many leading bytes [`inspect_start`] and the notes on a failed open need to say all they
/// can (the header, and the sample the checks for foreign or encrypted bytes look at).
pub(crate) const START_LEN: usize = 8192;

/// Validates `image` as a whole SQLite file and returns its header ready for deserializing.
pub(crate) fn inspect(image: &[u8]) -> Result<Header, DbError> {
    inspect_start(image, image.len() as u64)
}

/// [`inspect`] for a file of `len` bytes of which only the first ones, `image` (at least
/// [`START_LEN`] of them, or all), are at hand: a file read in slices is judged before the rest
/// is read.
pub(crate) fn inspect_start(image: &[u8], len: u64) -> Result<Header, DbError> {
    if len == 0 {
        return Err(DbError::Empty);
    }
    let prefix_len = image.len().min(MAGIC.len());
    if image[..prefix_len] != MAGIC[..prefix_len] {
        return Err(DbError::NotSqlite {
            detail: super::sniff::describe_foreign_bytes(image),
        });
    }
    if len < HEADER_LEN as u64 || image.len() < HEADER_LEN {
        return Err(DbError::Truncated {
            expected: HEADER_LEN as u64,
            found: len,
        });
    }
    let page_size = page_size(image)?;
    check_length(image, page_size, len)?;
    let mut bytes = [0u8; HEADER_LEN];
    bytes.copy_from_slice(&image[..HEADER_LEN]);
    let (write_version, read_version) = (bytes[18], bytes[19]);
    if !matches!(write_version, 1 | 2) || !matches!(read_version, 1 | 2) {
        return Err(DbError::NotSqlite {
            detail: format!(
                "its header gives file format versions {write_version}/{read_version}; \
                 SQLite 3 writes 1 (rollback journal) or 2 (WAL)"
            ),
        });
    }
    // SQLite cannot deserialize a WAL-mode image (SQLITE_CANTOPEN): an in-memory database has
    // no -wal file. Marking the copy as rollback-journal mode is what `PRAGMA journal_mode=DELETE`
    // would do to the header.
    let was_wal = write_version == 2 || read_version == 2;
    if was_wal {
        bytes[18] = 1;
        bytes[19] = 1;
    }
    Ok(Header { bytes, was_wal })
}

/// Header bytes 16–17: a power of two from 512 to 32768, or 1 meaning 65536.
fn page_size(image: &[u8]) -> Result<u64, DbError> {
    let raw = u32::from(u16::from_be_bytes([image[16], image[17]]));
    let size = if raw == 1 { 65_536 } else { raw };
    if (512..=65_536).contains(&size) && size.is_power_of_two() {
        Ok(u64::from(size))
    } else {
        Err(DbError::BadPageSize { page_size: raw })
    }
}

/// The image must hold every page the header counts. The header's page count (bytes 28–31) is
/// only valid when the change counter (24–27) equals "version-valid-for" (92–95); otherwise
/// SQLite goes by the file size, which must then be whole pages.
fn check_length(image: &[u8], page_size: u64, found: u64) -> Result<(), DbError> {
    let be_u32 =
        |at: usize| u32::from_be_bytes([image[at], image[at + 1], image[at + 2], image[at + 3]]);
    let header_pages = u64::from(be_u32(28));
    let count_is_valid = header_pages > 0 && be_u32(24) == be_u32(92);
    let expected = if count_is_valid {
        header_pages * page_size
    } else {
        found.div_ceil(page_size) * page_size
    };
    if found < expected {
        return Err(DbError::Truncated { expected, found });
    }
    Ok(())
}

/// When the header's page count is in force and disagrees with the file's length, says so:
/// SQLite then reads pages where there are none or ignores some, which is what makes such a
/// file look damaged. Used to explain a failed quick check; `None` when the two agree.
/// `image` is the file's start (at least [`HEADER_LEN`] bytes to say anything), `len` its length.
pub(crate) fn length_mismatch_start(image: &[u8], len: u64) -> Option<String> {
    if image.len() < HEADER_LEN || image[..MAGIC.len()] != MAGIC[..] {
        return None;
    }
    let page_size = page_size(image).ok()?;
    let be_u32 =
        |at: usize| u32::from_be_bytes([image[at], image[at + 1], image[at + 2], image[at + 3]]);
    let header_pages = u64::from(be_u32(28));
    let count_is_valid = header_pages > 0 && be_u32(24) == be_u32(92);
    let promised = header_pages * page_size;
    let found = len;
    (count_is_valid && promised != found).then(|| {
        format!(
            "the header says {header_pages} pages of {page_size} bytes ({promised} bytes) but the \
             file has {found} bytes, so its page size or page count is wrong"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header for `pages` pages of `page_size`, with a valid in-header page count.
    fn image(page_size: u16, pages: u32) -> Vec<u8> {
        let size = if page_size == 1 {
            65_536
        } else {
            usize::from(page_size)
        };
        let mut bytes = vec![0u8; size * pages as usize];
        bytes[..16].copy_from_slice(MAGIC);
        bytes[16..18].copy_from_slice(&page_size.to_be_bytes());
        bytes[18] = 1;
        bytes[19] = 1;
        bytes[24..28].copy_from_slice(&7u32.to_be_bytes());
        bytes[28..32].copy_from_slice(&pages.to_be_bytes());
        bytes[92..96].copy_from_slice(&7u32.to_be_bytes());
        bytes
    }

    #[test]
    fn accepts_a_well_formed_header() {
        let header = inspect(&image(4096, 2)).expect("valid");
        assert!(!header.was_wal);
        assert_eq!(&header.bytes[..16], MAGIC);
    }

    #[test]
    fn empty_input() {
        assert!(matches!(inspect(&[]), Err(DbError::Empty)));
    }

    #[test]
    fn text_file_is_named_as_text() {
        let error = inspect(b"id,content\n1,hello\n").expect_err("not sqlite");
        assert_eq!(
            error.to_string(),
            "this is not a SQLite database (it looks like a text file starting with \"id,content\"); \
             choose ContentEngine's content.db file"
        );
    }

    #[test]
    fn binary_garbage_shows_its_first_bytes() {
        let error = inspect(&[0u8, 1, 2, 3, 250, 251, 252, 253, 9, 9]).expect_err("not sqlite");
        assert!(
            error.to_string().contains("00 01 02 03 fa fb fc fd"),
            "{error}"
        );
    }

    #[test]
    fn zip_archive_is_recognised() {
        let error = inspect(b"PK\x03\x04rest").expect_err("zip");
        assert!(error.to_string().contains("ZIP archive"));
    }

    #[test]
    fn a_cut_header_is_truncated() {
        let error = inspect(&MAGIC[..10]).expect_err("short");
        assert!(matches!(
            error,
            DbError::Truncated {
                expected: 100,
                found: 10
            }
        ));
    }

    #[test]
    fn missing_pages_are_truncated() {
        let mut bytes = image(4096, 3);
        bytes.truncate(4096 * 2 + 10);
        let error = inspect(&bytes).expect_err("short");
        assert!(matches!(
            error,
            DbError::Truncated {
                expected: 12288,
                found: 8202
            }
        ));
    }

    #[test]
    fn without_a_valid_page_count_the_size_must_be_whole_pages() {
        let mut bytes = image(1024, 2);
        bytes[92..96].copy_from_slice(&8u32.to_be_bytes()); // count no longer valid
        assert!(inspect(&bytes).is_ok());
        bytes.truncate(1500);
        assert!(matches!(
            inspect(&bytes),
            Err(DbError::Truncated {
                expected: 2048,
                found: 1500
            })
        ));
    }

    #[test]
    fn impossible_page_sizes() {
        for raw in [0u16, 100, 513, 3000] {
            let mut bytes = image(512, 1);
            bytes[16..18].copy_from_slice(&raw.to_be_bytes());
            assert!(
                matches!(inspect(&bytes), Err(DbError::BadPageSize { page_size }) if page_size == u32::from(raw)),
                "page size {raw}"
            );
        }
        assert!(inspect(&image(1, 1)).is_ok(), "1 means 65536");
    }

    #[test]
    fn wal_mode_is_switched_off_in_the_copy_only() {
        let mut bytes = image(4096, 1);
        bytes[18] = 2;
        bytes[19] = 2;
        let header = inspect(&bytes).expect("valid");
        assert!(header.was_wal);
        assert_eq!((header.bytes[18], header.bytes[19]), (1, 1));
        assert_eq!(
            (bytes[18], bytes[19]),
            (2, 2),
            "the caller's bytes never change"
        );
    }

    #[test]
    fn a_header_that_disagrees_with_the_length_is_described() {
        let mut bytes = image(4096, 2);
        assert_eq!(length_mismatch_start(&bytes, bytes.len() as u64), None);
        bytes[16..18].copy_from_slice(&1024u16.to_be_bytes());
        assert_eq!(
            length_mismatch_start(&bytes, bytes.len() as u64).as_deref(),
            Some(
                "the header says 2 pages of 1024 bytes (2048 bytes) but the file has 8192 bytes, \
                 so its page size or page count is wrong"
            )
        );
        assert_eq!(length_mismatch_start(b"not sqlite", 10), None);
    }

    #[test]
    fn unknown_format_versions_are_refused() {
        let mut bytes = image(4096, 1);
        bytes[19] = 3;
        assert!(matches!(inspect(&bytes), Err(DbError::NotSqlite { .. })));
    }
}
