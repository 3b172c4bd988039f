//! A page store: a database file made of the user's original file, read lazily, and the chunks
//! written since it was opened (pure logic, no SQLite, no browser). The page's SQLite VFS keeps
//! its files here, so only what SQLite touches ever moves: opening reads the header and schema
//! pages, a download is the original's unchanged ranges and the written chunks
//! ([`PageStore::pieces`]), and an undo checkpoint costs the chunks a step changed.
//!
//! The file is cut in chunks of one length. Each chunk is in one of these states:
//!
//! | state | bytes come from | memory held |
//! |---|---|---|
//! | original | the [`Source`] (within what truncations left of it), zeros past that | none, or a cached copy while useful |
//! | written, held | a chunk the store owns (zeros past the file's length) | the chunk |
//! | written, spilled | the chunk's bytes stored in the [`Spill`], if the store has one | none |
//!
//! And a checkpoint holds, for each chunk changed since it was taken, the chunk's state then:
//! original (nothing to keep) or written (the chunk's bytes then: held, or in the spill), with
//! the file's length.
//!
//! A store with a [`Spill`] ([`PageStore::with_spill`]) stores a checkpoint's saved chunks there
//! at once, so undo costs no memory; an undo makes those chunks written again where they are
//! stored, and a chunk read back from the spill to be written becomes held again (its stored
//! bytes stay for whatever refers to them). Written chunks stay held until then: within a
//! change SQLite rewrites the pages it just wrote, and storing them as it goes read them back
//! again and again (BENCHMARKS.md, issue 16). If the spill fails to store, the store keeps
//! everything in memory from then on.
//!
//! | operation | what it does |
//! |---|---|
//! | read | written chunks and the source, through a small cache of source chunks |
//! | write | makes the chunk written and held (copying its bytes once) after saving its state in the newest checkpoint, if that has none for it yet (an original chunk's state is "original": no copy; a spilled one's is where it is stored); drops the kept source pieces written chunks now cover whole |
//! | truncate | saves the chunks it cuts in the newest checkpoint, drops whole ones, zeroes the cut of the last, and hides the source past the new length |
//! | [`checkpoint`](PageStore::checkpoint) | starts an empty set of saved chunks (costs nothing) |
//! | [`undo`](PageStore::undo) | puts the newest checkpoint's saved chunks back (a chunk original then is dropped: reads go to the source again) and forgets it: the file is byte for byte as it was |
//! | [`forget_checkpoint`](PageStore::forget_checkpoint) | drops the newest checkpoint, keeping its changes (its saved chunks go to the one before, where that has none) |
//! | [`forget_oldest`](PageStore::forget_oldest) | drops the oldest checkpoint (it can no longer be undone to) |
//! | [`pieces`](PageStore::pieces) | the file as original ranges, held bytes, spilled ranges and zeros, in order |
//!
//! Write, truncate and undo each count one [`change`](PageStore::changes); nothing else does.
//!
//! A store without an original file (over [`EmptySource`]: the demo, a new database) has only
//! written chunks, and the same checkpoints and undo.

mod cache;
mod source;
mod spill;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use cache::SourceCache;
pub use source::{BytesSource, EmptySource, Source, SourceError};
pub use spill::{MemorySpill, Spill, SpillAt, SpillError};

/// Why a page store could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The original file could not be read (e.g. it changed on disk since it was chosen).
    #[error("the original file could not be read at byte {offset}: {source}")]
    Source {
        /// Where the read started.
        offset: u64,
        /// What the source said.
        source: SourceError,
    },
    /// The memory for a written chunk could not be allocated.
    #[error("no memory for {needed} more bytes of changed pages")]
    NoMemory {
        /// How many bytes were asked for.
        needed: usize,
    },
    /// Bytes stored in the spill could not be read back (e.g. the browser's storage was
    /// cleared meanwhile).
    #[error("changed pages kept in the browser's storage could not be read back: {0}")]
    Spill(SpillError),
    /// The end of a write lies beyond what the store can address.
    #[error("the file cannot grow beyond {max} bytes")]
    TooLarge {
        /// The largest length the store can hold.
        max: u64,
    },
}

/// One piece of the file, in order: see [`PageStore::pieces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Bytes `start..end` of the source, unchanged.
    Original {
        /// First byte.
        start: u64,
        /// One past the last byte.
        end: u64,
    },
    /// Bytes the store holds (part of a written chunk).
    Written(&'a [u8]),
    /// `len` bytes stored in the spill at `at` (written chunks, in order).
    Spilled {
        /// Where they start.
        at: SpillAt,
        /// How many.
        len: u64,
    },
    /// This many zero bytes (a gap the file grew over).
    Zeros(u64),
}

impl Piece<'_> {
    /// The piece's length in bytes.
    pub fn len(&self) -> u64 {
        match *self {
            Piece::Original { start, end } => end - start,
            Piece::Written(bytes) => bytes.len() as u64,
            Piece::Spilled { len, .. } => len,
            Piece::Zeros(count) => count,
        }
    }

    /// Whether the piece has no bytes (never returned by [`PageStore::pieces`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One part of a download's plan: see [`PageStore::layout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Bytes `start..end` of the source, unchanged: handed out as a slice of it.
    Source {
        /// First byte.
        start: u64,
        /// One past the last byte.
        end: u64,
    },
    /// Bytes `start..end` of the file, stored in the spill from `at` on, one after the other.
    Spilled {
        /// First byte.
        start: u64,
        /// One past the last byte.
        end: u64,
        /// Where they are stored.
        at: SpillAt,
    },
    /// Bytes `start..end` of the file to copy out (read them with [`PageStore::read`]).
    Copy {
        /// First byte.
        start: u64,
        /// One past the last byte.
        end: u64,
    },
}

/// A written chunk's bytes: held in memory, or stored in the spill.
#[derive(Debug)]
enum Chunk {
    Held(Box<[u8]>),
    Spilled(SpillAt),
}

/// A chunk's state saved by a checkpoint before its first change after it (`None`: original).
type Saved = Option<Chunk>;

/// What [`PageStore::undo`] goes back to.
struct Checkpoint {
    /// The file's length then.
    len: u64,
    /// How much of the source was visible then.
    visible: u64,
    /// Chunks changed since, as they were then (`None`: original then).
    saved: BTreeMap<u64, Saved>,
}

/// A file over a read-only [`Source`]: see the module's tables.
pub struct PageStore<S> {
    source: S,
    chunk_len: usize,
    /// How many bytes of the source are read at a time.
    read_len: usize,
    /// The file's length.
    len: u64,
    /// The source is visible below this (its length, less what truncations cut); `<= len`.
    visible: u64,
    /// Written chunks by index; each `chunk_len` long, zero past `len`.
    written: BTreeMap<u64, Chunk>,
    /// How many of `written` are held in memory.
    held_chunks: usize,
    /// Where checkpoints' saved chunks are stored (see the module doc).
    spill: Option<Box<dyn Spill + Send>>,
    /// Set once the spill failed to store: it is not asked to store again.
    spill_failed: bool,
    /// The last spilled chunk read back, and where it is stored.
    spill_read: Option<(SpillAt, Box<[u8]>)>,
    /// Recently read chunks of the source.
    cache: SourceCache,
    /// Undo checkpoints, oldest first.
    checkpoints: Vec<Checkpoint>,
    /// How many times the bytes changed: see [`PageStore::changes`].
    changes: u64,
}

/// The largest file length: SQLite's offsets are `i64`.
const MAX_LEN: u64 = i64::MAX as u64;

/// Zeros handed out for the parts of a read past the visible source.
static ZEROS: [u8; 4096] = [0; 4096];

impl<S: Source> PageStore<S> {
    /// A store showing `source` as it is, in chunks of `chunk_len` bytes, keeping at most
    /// `cached` chunks of the source in memory (at least one).
    pub fn new(source: S, chunk_len: usize, cached: usize) -> PageStore<S> {
        assert!(chunk_len > 0, "a chunk must hold at least one byte");
        let len = source.len();
        PageStore {
            source,
            chunk_len,
            len,
            visible: len,
            written: BTreeMap::new(),
            held_chunks: 0,
            spill: None,
            spill_failed: false,
            spill_read: None,
            read_len: chunk_len,
            cache: SourceCache::new(cached.max(1)),
            checkpoints: Vec::new(),
            changes: 0,
        }
    }

    /// The same store reading its source `read_len` bytes at a time (the chunk length by
    /// default), keeping at most `cached` such pieces. SQLite walks a b-tree's pages in key
    /// order, which is rarely file order: reading whole chunks for each page made a quick check
    /// of a 100 MB file read 1.3 GB with 4 to 64 chunks of 1 MiB kept.
    pub fn with_read_len(mut self, read_len: usize, cached: usize) -> PageStore<S> {
        assert!(read_len > 0, "a read must take at least one byte");
        self.read_len = read_len;
        self.cache = SourceCache::new(cached.max(1));
        self
    }

    /// The same store storing its checkpoints' saved chunks in `spill`: see the module doc.
    pub fn with_spill(mut self, spill: Box<dyn Spill + Send>) -> PageStore<S> {
        self.spill = Some(spill);
        self
    }

    /// The spill, if the store has one (even one that failed: what it stored is still read).
    pub fn spill(&self) -> Option<&(dyn Spill + Send)> {
        self.spill.as_deref()
    }

    /// The file's length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The source the store reads from.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// Bytes held in memory for written chunks and for the checkpoints' saved chunks (the
    /// cache and what is spilled aside).
    pub fn held(&self) -> usize {
        let saved = self
            .checkpoints
            .iter()
            .flat_map(|checkpoint| checkpoint.saved.values())
            .filter(|saved| matches!(saved, Some(Chunk::Held(_))))
            .count();
        (self.held_chunks + saved) * self.chunk_len
    }

    /// Bytes of written chunks (of the file as it is, not its checkpoints) kept in the spill.
    pub fn spilled(&self) -> usize {
        (self.written.len() - self.held_chunks) * self.chunk_len
    }

    /// Whether the file is byte for byte its source (nothing written, nothing cut).
    pub fn is_original(&self) -> bool {
        self.written.is_empty() && self.len == self.source.len() && self.visible == self.len
    }

    /// How many checkpoints can be undone to.
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// How many writes, truncations and undos the file had since the store was made: while
    /// this count stays the same, so do the file's bytes (what a result computed from them,
    /// e.g. a check, may be kept by).
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// Hands `each` views of the bytes at `offset`, at most `count` of them, in order; returns
    /// how many (fewer than `count` only at the end of the file).
    pub fn read_parts(
        &mut self,
        offset: u64,
        count: usize,
        mut each: impl FnMut(&[u8]),
    ) -> Result<usize, PageError> {
        let end = offset.saturating_add(count as u64).min(self.len);
        let mut position = offset;
        while position < end {
            let index = position / self.chunk_len as u64;
            let base = index * self.chunk_len as u64;
            let chunk_end = (base + self.chunk_len as u64).min(end);
            match self.written.get(&index) {
                Some(Chunk::Held(chunk)) => {
                    each(&chunk[(position - base) as usize..(chunk_end - base) as usize]);
                    position = chunk_end;
                    continue;
                }
                Some(&Chunk::Spilled(at)) => {
                    let chunk = self.read_spilled(at)?;
                    each(&chunk[(position - base) as usize..(chunk_end - base) as usize]);
                    position = chunk_end;
                    continue;
                }
                None => {}
            }
            let until = chunk_end.min(self.visible);
            while position < until {
                // The source is read in pieces of its own length (see `with_read_len`).
                let piece = position / self.read_len as u64;
                let piece_base = piece * self.read_len as u64;
                let stop = until.min(piece_base + self.read_len as u64);
                let bytes = self.cache.get(&self.source, piece, self.read_len)?;
                each(&bytes[(position - piece_base) as usize..(stop - piece_base) as usize]);
                position = stop;
            }
            while position < chunk_end {
                let count = (chunk_end - position).min(ZEROS.len() as u64);
                each(&ZEROS[..count as usize]);
                position += count;
            }
        }
        Ok((end.max(offset) - offset) as usize)
    }

    /// Reads every piece of the visible source not kept yet, in order, in reads of up to
    /// `run_len` bytes, telling `progress` (bytes read ahead so far, bytes to read): what a
    /// pass over the whole file (a check) wants first, since SQLite walks b-trees in key order
    /// rather than file order, and a cache too small for the file would read it many times
    /// over. Reads nothing and returns false when the source does not fit in the cache.
    pub fn read_ahead(
        &mut self,
        run_len: usize,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<bool, PageError> {
        let read_len = self.read_len as u64;
        let pieces = self.visible.div_ceil(read_len);
        if pieces > self.cache.capacity() as u64 {
            return Ok(false);
        }
        let missing: Vec<u64> = (0..pieces)
            .filter(|&piece| !self.cache.holds(piece) && !self.covered(piece))
            .collect();
        let total = missing.len() as u64 * read_len;
        let per_run = (run_len / self.read_len).max(1);
        let mut done = 0;
        let mut at = 0;
        while at < missing.len() {
            // A run: consecutive missing pieces, at most `per_run` of them.
            let first = missing[at];
            let mut count = 1;
            while count < per_run && missing.get(at + count) == Some(&(first + count as u64)) {
                count += 1;
            }
            self.cache
                .read_run(&self.source, first, count, self.read_len)?;
            at += count;
            done += count as u64 * read_len;
            progress(done.min(total), total);
        }
        Ok(true)
    }

    /// Copies the bytes at `offset` into `buf`; returns how many (fewer than `buf.len()` only
    /// at the end of the file). The rest of `buf` is left as it was.
    pub fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<usize, PageError> {
        let mut filled = 0;
        self.read_parts(offset, buf.len(), |part| {
            buf[filled..filled + part.len()].copy_from_slice(part);
            filled += part.len();
        })
    }

    /// Writes `buf` at `offset`, growing the file (a gap reads as zeros). On failure the file
    /// reads as before (chunks may have become written with their same bytes).
    pub fn write(&mut self, buf: &[u8], offset: u64) -> Result<(), PageError> {
        if buf.is_empty() {
            return Ok(());
        }
        self.changes += 1;
        let max = MAX_LEN;
        let end = offset
            .checked_add(buf.len() as u64)
            .filter(|&end| end <= max)
            .ok_or(PageError::TooLarge { max })?;
        let chunk_len = self.chunk_len as u64;
        // Every chunk made written first: a failure leaves the bytes as they were.
        for index in offset / chunk_len..end.div_ceil(chunk_len) {
            self.chunk_to_write(index)?;
        }
        // Making a chunk written may have read pieces beyond the bytes written.
        let first_byte = offset / chunk_len * chunk_len;
        self.drop_covered_pieces(first_byte, end.div_ceil(chunk_len) * chunk_len);
        let mut position = offset;
        let mut done = 0;
        while position < end {
            let index = position / chunk_len;
            let within = (position % chunk_len) as usize;
            let count = (self.chunk_len - within).min(buf.len() - done);
            let chunk = self.held_mut(index);
            chunk[within..within + count].copy_from_slice(&buf[done..done + count]);
            done += count;
            position += count as u64;
        }
        self.len = self.len.max(end);
        Ok(())
    }

    /// Sets the file's length: cuts it (the cut bytes read as zeros if it grows again) or
    /// extends it with zeros.
    pub fn truncate(&mut self, len: u64) -> Result<(), PageError> {
        let max = MAX_LEN;
        if len > max {
            return Err(PageError::TooLarge { max });
        }
        self.changes += 1;
        if len < self.len {
            let first_cut = len.div_ceil(self.chunk_len as u64);
            let cut: Vec<u64> = self.written.range(first_cut..).map(|(&i, _)| i).collect();
            for index in cut {
                if let Some(chunk) = self.take_chunk(index) {
                    self.save(index, Some(chunk));
                }
            }
            let within = (len % self.chunk_len as u64) as usize;
            if within != 0 && self.written.contains_key(&(len / self.chunk_len as u64)) {
                let chunk = self.chunk_to_write(len / self.chunk_len as u64)?;
                chunk[within..].fill(0);
            }
            self.visible = self.visible.min(len);
        }
        self.len = len;
        Ok(())
    }

    /// Starts a checkpoint: [`undo`](PageStore::undo) comes back to the file as it is now.
    pub fn checkpoint(&mut self) {
        self.checkpoints.push(Checkpoint {
            len: self.len,
            visible: self.visible,
            saved: BTreeMap::new(),
        });
    }

    /// Goes back to the newest checkpoint and forgets it; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(checkpoint) = self.checkpoints.pop() else {
            return false;
        };
        self.changes += 1;
        let chunk_len = self.chunk_len as u64;
        for (index, saved) in checkpoint.saved {
            match saved {
                Some(chunk) => {
                    self.put_chunk(index, chunk);
                    self.drop_covered_pieces(index * chunk_len, (index + 1) * chunk_len);
                }
                // Original then: reads go to the source again, nothing was kept for it.
                None => {
                    self.take_chunk(index);
                }
            };
        }
        self.len = checkpoint.len;
        self.visible = checkpoint.visible;
        true
    }

    /// Forgets the newest checkpoint and keeps the changes made since (e.g. the step it guarded
    /// failed before changing anything); false when there is none.
    pub fn forget_checkpoint(&mut self) -> bool {
        let Some(newest) = self.checkpoints.pop() else {
            return false;
        };
        if let Some(before) = self.checkpoints.last_mut() {
            for (index, saved) in newest.saved {
                before.saved.entry(index).or_insert(saved);
            }
        }
        true
    }

    /// Forgets the oldest checkpoint (to bound what undo keeps); false when there is none.
    pub fn forget_oldest(&mut self) -> bool {
        if self.checkpoints.is_empty() {
            return false;
        }
        self.checkpoints.remove(0);
        true
    }

    /// The whole file, in order, as ranges of the source, written bytes and zeros; adjacent
    /// source ranges are joined, and no piece is empty.
    pub fn pieces(&self) -> Vec<Piece<'_>> {
        let mut pieces = Vec::new();
        let chunks = self.len.div_ceil(self.chunk_len as u64);
        for index in 0..chunks {
            let base = index * self.chunk_len as u64;
            let end = (base + self.chunk_len as u64).min(self.len);
            if let Some(chunk) = self.written.get(&index) {
                let piece = match chunk {
                    Chunk::Held(bytes) => Piece::Written(&bytes[..(end - base) as usize]),
                    &Chunk::Spilled(at) => Piece::Spilled {
                        at,
                        len: end - base,
                    },
                };
                push(&mut pieces, piece);
            } else {
                let until = end.min(self.visible.max(base));
                push(
                    &mut pieces,
                    Piece::Original {
                        start: base,
                        end: until,
                    },
                );
                push(&mut pieces, Piece::Zeros(end - until));
            }
        }
        pieces
    }

    /// The whole file, in order, as unchanged ranges of the source and stored ranges of the
    /// spill at least `min_len` long, and ranges to copy (held bytes, zeros, and the shorter
    /// ranges between them): what a download is made of. Every part made costs the browser a
    /// round trip, so a file whose writes are scattered is better copied across its small
    /// unchanged gaps.
    pub fn layout(&self, min_len: u64) -> Vec<Segment> {
        let mut segments: Vec<Segment> = Vec::new();
        let mut position = 0;
        for piece in self.pieces() {
            let (start, end) = (position, position + piece.len());
            position = end;
            let segment = match piece {
                Piece::Original { .. } if end - start >= min_len => Segment::Source { start, end },
                Piece::Spilled { at, .. } if end - start >= min_len => {
                    Segment::Spilled { start, end, at }
                }
                _ => Segment::Copy { start, end },
            };
            match (segments.last_mut(), segment) {
                (Some(Segment::Copy { end: last, .. }), Segment::Copy { end, .. }) => *last = end,
                _ => segments.push(segment),
            }
        }
        segments
    }

    /// Views of the bytes at `offset`, at most `count` of them, in order, without reading the
    /// source: `None` when any of them is original (read those with [`read`](PageStore::read)).
    pub fn written_parts(&self, offset: u64, count: usize) -> Option<Vec<&[u8]>> {
        let end = offset.saturating_add(count as u64).min(self.len);
        let mut parts = Vec::new();
        let mut position = 0;
        for piece in self.pieces() {
            let (from, to) = (position.max(offset), (position + piece.len()).min(end));
            if from < to {
                let (start, stop) = ((from - position) as usize, (to - position) as usize);
                match piece {
                    Piece::Written(bytes) => parts.push(&bytes[start..stop]),
                    Piece::Zeros(_) => {
                        for zeros in (start..stop).step_by(ZEROS.len()) {
                            parts.push(&ZEROS[..(stop - zeros).min(ZEROS.len())]);
                        }
                    }
                    Piece::Original { .. } | Piece::Spilled { .. } => return None,
                }
            }
            position += piece.len();
        }
        Some(parts)
    }

    /// The written chunk `index`, made written and held first if it is not: saved in the
    /// newest checkpoint before its first change after it.
    fn chunk_to_write(&mut self, index: u64) -> Result<&mut Box<[u8]>, PageError> {
        let saved_already = self.saved_already(index);
        match self.written.get(&index) {
            None => {
                let chunk = self.current_chunk(index)?;
                self.save(index, None);
                self.put_chunk(index, Chunk::Held(chunk));
            }
            Some(&Chunk::Spilled(at)) => {
                let mut chunk = zeroed(self.chunk_len)?;
                self.spill_get(at, &mut chunk)?;
                // The stored bytes never change: the checkpoint refers to them as they are.
                self.save(index, Some(Chunk::Spilled(at)));
                self.put_chunk(index, Chunk::Held(chunk));
            }
            Some(Chunk::Held(bytes)) if !saved_already => {
                let copy = match store_in(&mut self.spill, &mut self.spill_failed, bytes) {
                    Some(at) => Chunk::Spilled(at),
                    None => Chunk::Held(copy_chunk(bytes)?),
                };
                self.save(index, Some(copy));
            }
            Some(Chunk::Held(_)) => {}
        }
        Ok(self.held_mut(index))
    }

    /// The held chunk `index` (made so by [`chunk_to_write`](PageStore::chunk_to_write)).
    fn held_mut(&mut self, index: u64) -> &mut Box<[u8]> {
        match self.written.get_mut(&index) {
            Some(Chunk::Held(chunk)) => chunk,
            _ => unreachable!("chunk {index} was made written and held"),
        }
    }

    /// Makes `chunk` written chunk `index`, counting it if held.
    fn put_chunk(&mut self, index: u64, chunk: Chunk) {
        if matches!(chunk, Chunk::Held(_)) {
            self.held_chunks += 1;
        }
        if let Some(Chunk::Held(_)) = self.written.insert(index, chunk) {
            self.held_chunks -= 1;
        }
    }

    /// Takes written chunk `index` out of the file (it reads as the source again).
    fn take_chunk(&mut self, index: u64) -> Option<Chunk> {
        let chunk = self.written.remove(&index);
        if let Some(Chunk::Held(_)) = chunk {
            self.held_chunks -= 1;
        }
        chunk
    }

    /// Fills `into` with the chunk stored at `at`.
    fn spill_get(&self, at: SpillAt, into: &mut [u8]) -> Result<(), PageError> {
        let spill = self.spill.as_ref().expect("a spilled chunk has a spill");
        spill.get(at, into).map_err(PageError::Spill)
    }

    /// The chunk stored at `at`, read back into the one buffer kept for that.
    fn read_spilled(&mut self, at: SpillAt) -> Result<&[u8], PageError> {
        if self.spill_read.as_ref().is_none_or(|(kept, _)| *kept != at) {
            let mut buf = match self.spill_read.take() {
                Some((_, buf)) => buf,
                None => zeroed(self.chunk_len)?,
            };
            // Forget the buffer's old place first: a failed read leaves it half filled.
            self.spill_get(at, &mut buf)?;
            self.spill_read = Some((at, buf));
        }
        Ok(&self.spill_read.as_ref().expect("filled above").1)
    }

    /// Drops the kept source pieces overlapping bytes `start..end` that written chunks now
    /// cover whole: reads of those bytes go to the chunks, so the pieces would only take memory
    /// (an undo that puts the source back there reads them again).
    fn drop_covered_pieces(&mut self, start: u64, end: u64) {
        let read_len = self.read_len as u64;
        for piece in start / read_len..end.min(self.source.len()).div_ceil(read_len) {
            if self.covered(piece) {
                self.cache.drop_piece(piece);
            }
        }
    }

    /// Whether written chunks cover all of source piece `piece` (no read would use it).
    fn covered(&self, piece: u64) -> bool {
        let (chunk_len, read_len) = (self.chunk_len as u64, self.read_len as u64);
        let start = piece * read_len;
        let end = (start + read_len).min(self.source.len());
        (start / chunk_len..end.div_ceil(chunk_len)).all(|index| self.written.contains_key(&index))
    }

    /// A new owned copy of chunk `index` as it reads now (an original one).
    fn current_chunk(&mut self, index: u64) -> Result<Box<[u8]>, PageError> {
        let mut chunk = zeroed(self.chunk_len)?;
        let base = index * self.chunk_len as u64;
        let mut filled = 0;
        self.read_parts(base, self.chunk_len, |part| {
            chunk[filled..filled + part.len()].copy_from_slice(part);
            filled += part.len();
        })?;
        Ok(chunk)
    }

    /// Whether chunk `index` needs no saving before a change: there is no checkpoint, or the
    /// newest has its state already.
    fn saved_already(&self, index: u64) -> bool {
        self.checkpoints
            .last()
            .is_none_or(|checkpoint| checkpoint.saved.contains_key(&index))
    }

    /// Keeps `saved` as chunk `index`'s state in the newest checkpoint, unless it has one (a
    /// held chunk is stored in the spill, if the store has one that works).
    fn save(&mut self, index: u64, saved: Saved) {
        if self.saved_already(index) {
            return;
        }
        let saved = match saved {
            Some(Chunk::Held(bytes)) => {
                match store_in(&mut self.spill, &mut self.spill_failed, &bytes) {
                    Some(at) => Some(Chunk::Spilled(at)),
                    None => Some(Chunk::Held(bytes)),
                }
            }
            other => other,
        };
        if let Some(checkpoint) = self.checkpoints.last_mut() {
            checkpoint.saved.insert(index, saved);
        }
    }
}

/// Adds `piece` to `pieces`, joined to the last one where both are source ranges that meet or
/// both zeros; an empty piece is left out.
fn push<'a>(pieces: &mut Vec<Piece<'a>>, piece: Piece<'a>) {
    if piece.is_empty() {
        return;
    }
    match (pieces.last_mut(), piece) {
        (Some(Piece::Original { end, .. }), Piece::Original { start, end: next })
            if *end == start =>
        {
            *end = next;
        }
        (Some(Piece::Zeros(count)), Piece::Zeros(more)) => *count += more,
        (
            Some(Piece::Spilled { at, len }),
            Piece::Spilled {
                at: next,
                len: more,
            },
        ) if at.followed_by(*len, next) => {
            *len += more;
        }
        _ => pieces.push(piece),
    }
}

/// Stores `bytes` in `spill`; `None` without one, or when it fails: `failed` (the store's) is
/// then set, so nothing more is stored there (what is stored is still read).
fn store_in(
    spill: &mut Option<Box<dyn Spill + Send>>,
    failed: &mut bool,
    bytes: &[u8],
) -> Option<SpillAt> {
    let spill = spill.as_mut()?;
    if *failed {
        return None;
    }
    match spill.put(bytes) {
        Ok(at) => Some(at),
        Err(_) => {
            *failed = true;
            None
        }
    }
}

/// A zeroed chunk, or [`PageError::NoMemory`].
fn zeroed(len: usize) -> Result<Box<[u8]>, PageError> {
    let mut chunk = Vec::new();
    chunk
        .try_reserve_exact(len)
        .map_err(|_| PageError::NoMemory { needed: len })?;
    chunk.resize(len, 0);
    Ok(chunk.into_boxed_slice())
}

/// A copy of `chunk`, or [`PageError::NoMemory`].
fn copy_chunk(chunk: &[u8]) -> Result<Box<[u8]>, PageError> {
    let mut copy = Vec::new();
    copy.try_reserve_exact(chunk.len())
        .map_err(|_| PageError::NoMemory {
            needed: chunk.len(),
        })?;
    copy.extend_from_slice(chunk);
    Ok(copy.into_boxed_slice())
}
