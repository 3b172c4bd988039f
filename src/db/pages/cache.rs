//! The few chunks of a source kept in memory after a read, most recently used first: SQLite
//! reads a page at a time, a source is best read a chunk at a time.

use super::{zeroed, PageError, Source};

/// Chunks of a source by index, at most `capacity` of them.
pub(super) struct SourceCache {
    capacity: usize,
    /// Most recently used first.
    chunks: Vec<(u64, Box<[u8]>)>,
}

impl SourceCache {
    pub(super) fn new(capacity: usize) -> SourceCache {
        SourceCache {
            capacity,
            chunks: Vec::with_capacity(capacity),
        }
    }

    /// Chunk `index` of `source` (shorter than `chunk_len` at the source's end), read if it is
    /// not kept; the least recently used one makes room.
    pub(super) fn get(
        &mut self,
        source: &impl Source,
        index: u64,
        chunk_len: usize,
    ) -> Result<&[u8], PageError> {
        if let Some(at) = self.chunks.iter().position(|(kept, _)| *kept == index) {
            self.chunks[..=at].rotate_right(1);
        } else {
            let base = index * chunk_len as u64;
            let len = (source.len().saturating_sub(base)).min(chunk_len as u64) as usize;
            // The evicted chunk's memory serves again when it has the same length.
            let mut chunk = match self.chunks.len() == self.capacity {
                true => self.chunks.pop().map(|(_, chunk)| chunk),
                false => None,
            }
            .filter(|chunk| chunk.len() == len)
            .map_or_else(|| zeroed(len), Ok)?;
            source
                .read_exact_at(&mut chunk, base)
                .map_err(|source| PageError::Source {
                    offset: base,
                    source,
                })?;
            self.chunks.insert(0, (index, chunk));
        }
        Ok(&self.chunks[0].1)
    }
}
