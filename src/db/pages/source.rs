//! Where a [`PageStore`](super::PageStore)'s original bytes come from: a read-only file of a
//! known length, read in ranges (in the page, a slice of the chosen `File`; in tests, bytes).

/// Why a source could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct SourceError {
    /// What went wrong, in the source's words.
    pub detail: String,
}

/// A read-only file of a known length.
pub trait Source {
    /// Its length in bytes; it never changes.
    fn len(&self) -> u64;

    /// Whether it has no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fills `buf` with the bytes at `offset`; the range lies within [`len`](Source::len).
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> Result<(), SourceError>;

    /// Fills `bufs`, in order, with the bytes from `offset` on (one after the other, as if one
    /// buffer): a source with a cost per read (a browser `File`) reads them in one go.
    fn read_pieces_at(&self, bufs: &mut [&mut [u8]], offset: u64) -> Result<(), SourceError> {
        let mut at = offset;
        for buf in bufs.iter_mut() {
            self.read_exact_at(buf, at)?;
            at += buf.len() as u64;
        }
        Ok(())
    }

    /// Whether reading the same bytes again costs little (they sit in a copy on local disk):
    /// a [`PageStore`](super::PageStore) then keeps only a few pieces of it in memory instead
    /// of every piece it read.
    fn rereads_cheaply(&self) -> bool {
        false
    }

    /// Before a pass over every byte (a check): fetches in order, in long reads, whatever the
    /// source has not fetched into its cheap copy yet, telling `progress` (bytes fetched, bytes
    /// to fetch). False when the source keeps no such copy (the store then reads ahead itself).
    fn fetch_all(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<bool, SourceError> {
        let _ = progress;
        Ok(false)
    }

    /// For a caller to get its own type back (e.g. the worker's Blob, to slice a download).
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<S: Source + ?Sized> Source for Box<S> {
    fn len(&self) -> u64 {
        (**self).len()
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> Result<(), SourceError> {
        (**self).read_exact_at(buf, offset)
    }

    fn read_pieces_at(&self, bufs: &mut [&mut [u8]], offset: u64) -> Result<(), SourceError> {
        (**self).read_pieces_at(bufs, offset)
    }

    fn rereads_cheaply(&self) -> bool {
        (**self).rereads_cheaply()
    }

    fn fetch_all(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<bool, SourceError> {
        (**self).fetch_all(progress)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        (**self).as_any()
    }
}

/// No bytes: a store over it is a new file holding only what is written.
#[derive(Debug, Default, Clone, Copy)]
pub struct EmptySource;

impl Source for EmptySource {
    fn len(&self) -> u64 {
        0
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> Result<(), SourceError> {
        Err(SourceError {
            detail: format!("{} bytes read at {offset} of an empty source", buf.len()),
        })
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Bytes in memory.
#[derive(Debug, Clone, Default)]
pub struct BytesSource(pub Vec<u8>);

impl Source for BytesSource {
    fn len(&self) -> u64 {
        self.0.len() as u64
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> Result<(), SourceError> {
        let range = usize::try_from(offset)
            .ok()
            .and_then(|start| Some(start..start.checked_add(buf.len())?))
            .filter(|range| range.end <= self.0.len())
            .ok_or_else(|| SourceError {
                detail: format!(
                    "{} bytes read at {offset} of {} bytes",
                    buf.len(),
                    self.0.len()
                ),
            })?;
        buf.copy_from_slice(&self.0[range]);
        Ok(())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
