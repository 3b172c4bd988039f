//! A growable file of bytes kept in equal chunks (pure logic, no SQLite): the storage behind the
//! page's in-memory SQLite file (see `vfs.rs`).
//!
//! Why chunks and not one `Vec`: a `Vec` that grows reallocates, and old and new buffers live at
//! once (twice the file for a moment, the copy on top). Chunks never move, so growing costs one
//! allocation per chunk and nothing else. Why large chunks: every chunk is an allocation, and the
//! first touch of newly grown memory; with page-sized chunks an upgrade spends much of its time
//! in the allocator.
//!
//! Invariant: the bytes of the allocated chunks beyond the file's length are zero, so a write
//! past the end leaves a gap that reads as zeros (as in a real file), and a truncated and
//! re-grown file never shows its old bytes. At most one chunk is allocated beyond the length
//! (the last, partly used), so memory stays within one chunk of the file's size.

/// Why a write could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkError {
    /// The memory for more chunks could not be allocated.
    #[error("no memory for {needed} more bytes of the in-memory file")]
    NoMemory {
        /// How many bytes were asked for.
        needed: usize,
    },
    /// The end of the write lies beyond the address space.
    #[error("the in-memory file cannot grow beyond the address space")]
    TooLarge,
}

/// A file of bytes in chunks of one fixed length.
pub struct ChunkedFile {
    chunks: Vec<Box<[u8]>>,
    chunk_len: usize,
    len: usize,
}

impl ChunkedFile {
    /// An empty file whose chunks will be `chunk_len` bytes long.
    pub fn new(chunk_len: usize) -> ChunkedFile {
        assert!(chunk_len > 0, "a chunk must hold at least one byte");
        ChunkedFile {
            chunks: Vec::new(),
            chunk_len,
            len: 0,
        }
    }

    /// The file's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Bytes allocated for the file (its length rounded up to whole chunks).
    #[cfg(test)]
    pub fn allocated(&self) -> usize {
        self.chunks.len() * self.chunk_len
    }

    /// The file's bytes from `offset`, at most `count` of them, as slices of its chunks in
    /// order: what a read copies, without a copy. Empty at or beyond the end.
    pub fn parts(&self, offset: u64, count: usize) -> impl Iterator<Item = &[u8]> + '_ {
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(self.len);
        let end = start + count.min(self.len - start);
        let chunk_len = self.chunk_len;
        let first = start / chunk_len;
        // An empty range takes no chunk (not an empty slice of one).
        let last = if end == start {
            first
        } else {
            end.div_ceil(chunk_len)
        };
        self.chunks[first..last]
            .iter()
            .enumerate()
            .map(move |(index, chunk)| {
                let base = (first + index) * chunk_len;
                let from = start.max(base) - base;
                let to = end.min(base + chunk_len) - base;
                &chunk[from..to]
            })
    }

    /// Copies the bytes at `offset` into `buf`; returns how many (fewer than `buf.len()` only
    /// at the end of the file). The rest of `buf` is left as it was.
    pub fn read(&self, buf: &mut [u8], offset: u64) -> usize {
        let mut filled = 0;
        for part in self.parts(offset, buf.len()) {
            buf[filled..filled + part.len()].copy_from_slice(part);
            filled += part.len();
        }
        filled
    }

    /// Writes `buf` at `offset`, growing the file (a gap reads as zeros). On failure the file
    /// is unchanged.
    pub fn write(&mut self, buf: &[u8], offset: u64) -> Result<(), ChunkError> {
        if buf.is_empty() {
            return Ok(());
        }
        let start = usize::try_from(offset).map_err(|_| ChunkError::TooLarge)?;
        let end = start.checked_add(buf.len()).ok_or(ChunkError::TooLarge)?;
        self.grow_to(end)?;
        let mut written = 0;
        let mut position = start;
        while written < buf.len() {
            let chunk = &mut self.chunks[position / self.chunk_len];
            let within = position % self.chunk_len;
            let count = (self.chunk_len - within).min(buf.len() - written);
            chunk[within..within + count].copy_from_slice(&buf[written..written + count]);
            written += count;
            position += count;
        }
        self.len = self.len.max(end);
        Ok(())
    }

    /// Appends `buf` at the end of the file.
    pub fn append(&mut self, buf: &[u8]) -> Result<(), ChunkError> {
        self.write(buf, self.len as u64)
    }

    /// Allocates the chunks for `len` bytes (zeroed); all or none.
    fn grow_to(&mut self, len: usize) -> Result<(), ChunkError> {
        let wanted = len.div_ceil(self.chunk_len);
        let more = wanted.saturating_sub(self.chunks.len());
        if more == 0 {
            return Ok(());
        }
        let no_memory = ChunkError::NoMemory {
            needed: more.saturating_mul(self.chunk_len),
        };
        self.chunks
            .try_reserve(more)
            .map_err(|_| no_memory.clone())?;
        let before = self.chunks.len();
        for _ in 0..more {
            let mut chunk = Vec::new();
            if chunk.try_reserve_exact(self.chunk_len).is_err() {
                // Free what this write allocated: the file stays as it was.
                self.chunks.truncate(before);
                return Err(no_memory);
            }
            // Zero: the invariant, and no uninitialized memory behind a slice.
            chunk.resize(self.chunk_len, 0);
            self.chunks.push(chunk.into_boxed_slice());
        }
        Ok(())
    }

    /// Shrinks the file to `len` bytes (a larger `len` is refused with `false`): frees the
    /// chunks beyond it and zeroes the cut bytes of the last one.
    pub fn truncate(&mut self, len: u64) -> bool {
        let Ok(len) = usize::try_from(len) else {
            return false;
        };
        if len > self.len {
            return false;
        }
        self.chunks.truncate(len.div_ceil(self.chunk_len));
        let within = len % self.chunk_len;
        if within != 0 {
            if let Some(last) = self.chunks.last_mut() {
                last[within..].fill(0);
            }
        }
        self.len = len;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file and a plain `Vec` given the same writes must read the same.
    fn model_check(chunk_len: usize, writes: &[(usize, usize)]) {
        let mut file = ChunkedFile::new(chunk_len);
        let mut model: Vec<u8> = Vec::new();
        for (step, &(offset, count)) in writes.iter().enumerate() {
            let bytes: Vec<u8> = (0..count).map(|i| (i * 7 + step * 13 + 1) as u8).collect();
            file.write(&bytes, offset as u64).expect("write");
            if model.len() < offset + count {
                model.resize(offset + count, 0);
            }
            model[offset..offset + count].copy_from_slice(&bytes);
            assert_eq!(file.len(), model.len());
            assert!(file.allocated() >= file.len());
            assert!(
                file.allocated() - file.len() < chunk_len,
                "slack under one chunk"
            );
            let mut all = vec![0xEE; model.len() + 5];
            assert_eq!(file.read(&mut all, 0), model.len());
            assert_eq!(&all[..model.len()], &model[..]);
            assert_eq!(
                &all[model.len()..],
                &[0xEE; 5],
                "the rest of the buffer untouched"
            );
        }
    }

    #[test]
    fn writes_within_across_and_beyond_chunks_read_back_like_a_vec() {
        for chunk_len in [1, 3, 8, 4096] {
            model_check(
                chunk_len,
                &[(0, 5), (3, 10), (20, 1), (0, 0), (9, 30), (2, 1)],
            );
            model_check(chunk_len, &[(100, 7), (0, 3), (50, 60)]);
        }
    }

    #[test]
    fn a_write_past_the_end_leaves_a_gap_of_zeros() {
        let mut file = ChunkedFile::new(8);
        file.write(&[1, 2, 3], 0).expect("write");
        file.write(&[9], 20).expect("write");
        let mut all = [0xAA; 21];
        assert_eq!(file.read(&mut all, 0), 21);
        assert_eq!(all[..3], [1, 2, 3]);
        assert!(all[3..20].iter().all(|&byte| byte == 0), "{all:?}");
        assert_eq!(all[20], 9);
    }

    #[test]
    fn reads_at_and_past_the_end_are_short_and_leave_the_rest_alone() {
        let mut file = ChunkedFile::new(4);
        file.write(&[1, 2, 3, 4, 5, 6], 0).expect("write");
        let mut buf = [0xAA; 4];
        assert_eq!(file.read(&mut buf, 4), 2);
        assert_eq!(buf, [5, 6, 0xAA, 0xAA]);
        for offset in [6, 7, 1 << 40, u64::MAX] {
            let mut buf = [0xAA; 3];
            assert_eq!(file.read(&mut buf, offset), 0, "at {offset}");
            assert_eq!(buf, [0xAA; 3]);
        }
        assert_eq!(file.read(&mut [], 2), 0);
        let empty = ChunkedFile::new(4);
        assert_eq!(empty.read(&mut [0; 4], 0), 0);
        assert_eq!(empty.len(), 0);
    }

    #[test]
    fn parts_are_views_of_whole_chunks_cut_at_the_range() {
        let mut file = ChunkedFile::new(4);
        file.append(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
            .expect("append");
        let lens: Vec<usize> = file.parts(0, usize::MAX).map(<[u8]>::len).collect();
        assert_eq!(lens, [4, 4, 2]);
        let parts: Vec<&[u8]> = file.parts(3, 6).collect();
        assert_eq!(parts, [&[3][..], &[4, 5, 6, 7][..], &[8][..]]);
        assert_eq!(file.parts(10, 4).count(), 0);
        assert_eq!(file.parts(4, 0).count(), 0);
    }

    #[test]
    fn truncate_frees_whole_chunks_and_a_regrown_file_shows_zeros() {
        let mut file = ChunkedFile::new(4);
        file.append(&[7; 11]).expect("append");
        assert_eq!(file.allocated(), 12);
        assert!(!file.truncate(12), "truncate does not extend");
        assert_eq!(file.len(), 11);
        assert!(file.truncate(5));
        assert_eq!((file.len(), file.allocated()), (5, 8));
        file.write(&[1], 9).expect("write");
        let mut all = [0xAA; 10];
        assert_eq!(file.read(&mut all, 0), 10);
        assert_eq!(all, [7, 7, 7, 7, 7, 0, 0, 0, 0, 1]);
        assert!(file.truncate(0));
        assert_eq!((file.len(), file.allocated()), (0, 0));
        assert!(file.truncate(0));
        assert!(!file.truncate(u64::MAX));
    }

    #[test]
    fn a_write_beyond_memory_fails_and_leaves_the_file_as_it_was() {
        let mut file = ChunkedFile::new(1 << 20);
        file.append(&[5; 10]).expect("append");
        let error = file
            .write(&[1], (usize::MAX / 2) as u64)
            .expect_err("no memory");
        assert!(matches!(error, ChunkError::NoMemory { .. }), "{error}");
        assert_eq!(
            file.write(&[1, 2], usize::MAX as u64),
            Err(ChunkError::TooLarge)
        );
        assert_eq!((file.len(), file.allocated()), (10, 1 << 20));
        let mut all = [0; 10];
        assert_eq!(file.read(&mut all, 0), 10);
        assert_eq!(all, [5; 10]);
    }
}
