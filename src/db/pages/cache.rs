//! The pieces of a source kept in memory after a read, the least recently used one dropped
//! first once `capacity` are kept: SQLite reads a page at a time, a source is best read a
//! piece at a time, and a whole-file pass (a check) is best read ahead in long runs
//! ([`SourceCache::read_ahead`]).

use std::collections::HashMap;

use super::{zeroed, PageError, Source};

/// Pieces of a source by index, at most `capacity` of them.
pub(super) struct SourceCache {
    capacity: usize,
    /// Each kept piece with the tick of its last use.
    pieces: HashMap<u64, (u64, Box<[u8]>)>,
    /// Counts the uses, for the least recently used.
    tick: u64,
}

impl SourceCache {
    pub(super) fn new(capacity: usize) -> SourceCache {
        SourceCache {
            capacity,
            pieces: HashMap::new(),
            tick: 0,
        }
    }

    /// How many pieces it keeps at most.
    pub(super) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Whether piece `index` is kept.
    pub(super) fn holds(&self, index: u64) -> bool {
        self.pieces.contains_key(&index)
    }

    /// Piece `index` of `source` (shorter than `piece_len` at the source's end), read if it is
    /// not kept.
    pub(super) fn get(
        &mut self,
        source: &impl Source,
        index: u64,
        piece_len: usize,
    ) -> Result<&[u8], PageError> {
        if !self.pieces.contains_key(&index) {
            self.read_run(source, index, 1, piece_len)?;
        }
        self.tick += 1;
        let entry = self.pieces.get_mut(&index).expect("read above");
        entry.0 = self.tick;
        Ok(&entry.1)
    }

    /// Reads pieces `first..first + count` of `source` in one read of the source and keeps
    /// them (the least recently used ones make room; `count` is at most the capacity).
    pub(super) fn read_run(
        &mut self,
        source: &impl Source,
        first: u64,
        count: usize,
        piece_len: usize,
    ) -> Result<(), PageError> {
        let count = count.min(self.capacity);
        let base = first * piece_len as u64;
        let mut buffers = Vec::with_capacity(count);
        for index in first..first + count as u64 {
            let start = index * piece_len as u64;
            let len = source.len().saturating_sub(start).min(piece_len as u64) as usize;
            if len == 0 {
                break;
            }
            // An evicted piece's memory serves again when it has the same length.
            let reused = self.evict_for(count);
            buffers.push(
                reused
                    .filter(|piece| piece.len() == len)
                    .map_or_else(|| zeroed(len), Ok)?,
            );
        }
        let mut views: Vec<&mut [u8]> = buffers.iter_mut().map(|piece| &mut piece[..]).collect();
        source
            .read_pieces_at(&mut views, base)
            .map_err(|source| PageError::Source {
                offset: base,
                source,
            })?;
        self.tick += 1;
        for (index, piece) in (first..).zip(buffers) {
            self.pieces.insert(index, (self.tick, piece));
        }
        Ok(())
    }

    /// The indexes of the pieces kept, in no order (for tests).
    #[cfg(test)]
    pub(super) fn kept(&self) -> impl Iterator<Item = u64> + '_ {
        self.pieces.keys().copied()
    }

    /// Drops piece `index`, if kept (e.g. written chunks now cover it: it would never be read).
    pub(super) fn drop_piece(&mut self, index: u64) {
        self.pieces.remove(&index);
    }

    /// Drops the least recently used piece when `more` new ones would not fit beside those
    /// kept; returns its memory.
    fn evict_for(&mut self, more: usize) -> Option<Box<[u8]>> {
        if self.pieces.len() + more <= self.capacity {
            return None;
        }
        let (&oldest, _) = self.pieces.iter().min_by_key(|(_, (used, _))| *used)?;
        self.pieces.remove(&oldest).map(|(_, piece)| piece)
    }
}
