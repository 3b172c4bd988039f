//! Where a [`PageStore`](super::PageStore) keeps its undo checkpoints' saved chunks out of memory
//! (in the page: files in the browser's private storage, `worker/spill_files.rs`), so undo
//! takes no memory, and a download after an undo can hand those bytes out as slices of the
//! files instead of copying them.
//!
//! A spill only ever adds bytes: what is stored at a [`SpillAt`] never changes, so a checkpoint,
//! the current file and a download may all refer to the same stored chunk.

/// Where a chunk is stored in a [`Spill`]: a file of it and an offset in that file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpillAt {
    /// Which of the spill's files.
    pub file: u32,
    /// The first byte's offset in that file.
    pub offset: u64,
}

impl SpillAt {
    /// Whether bytes stored at `next` directly follow `len` bytes stored here (one read or one
    /// slice can take both).
    pub fn followed_by(&self, len: u64, next: SpillAt) -> bool {
        self.file == next.file && self.offset.checked_add(len) == Some(next.offset)
    }
}

/// Why a spill could not store or give back bytes (the storage is full, or was cleared).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct SpillError {
    /// What the storage said.
    pub detail: String,
}

/// Storage for chunks a page store does not keep in memory: see the module doc.
pub trait Spill {
    /// Stores `bytes` and tells where they are; they are never changed afterwards.
    fn put(&mut self, bytes: &[u8]) -> Result<SpillAt, SpillError>;

    /// Fills `into` with bytes stored at `at` (the length of a [`put`](Spill::put) or less).
    fn get(&self, at: SpillAt, into: &mut [u8]) -> Result<(), SpillError>;

    /// For a caller to get its own type back (e.g. the worker's files, to slice a download).
    fn as_any(&self) -> &dyn std::any::Any;
}

/// A spill in memory, for tests: a list of byte vectors, the last one taking new bytes.
#[derive(Debug, Default)]
pub struct MemorySpill {
    /// The files, the last one taking new bytes.
    pub files: Vec<Vec<u8>>,
    /// A new file is started once the last one holds this many bytes (0: never).
    pub file_len: usize,
    /// Puts fail once this many have succeeded (as a full storage would); `None`: never.
    pub fail_after: Option<usize>,
    /// How many puts succeeded.
    pub puts: usize,
}

impl Spill for MemorySpill {
    fn put(&mut self, bytes: &[u8]) -> Result<SpillAt, SpillError> {
        if self.fail_after.is_some_and(|limit| self.puts >= limit) {
            return Err(SpillError {
                detail: "the storage is full".into(),
            });
        }
        if self
            .files
            .last()
            .is_none_or(|last| self.file_len > 0 && last.len() >= self.file_len)
        {
            self.files.push(Vec::new());
        }
        let file = self.files.len() - 1;
        let stored = &mut self.files[file];
        let at = SpillAt {
            file: file as u32,
            offset: stored.len() as u64,
        };
        stored.extend_from_slice(bytes);
        self.puts += 1;
        Ok(at)
    }

    fn get(&self, at: SpillAt, into: &mut [u8]) -> Result<(), SpillError> {
        let stored = self
            .files
            .get(at.file as usize)
            .and_then(|file| file.get(at.offset as usize..at.offset as usize + into.len()))
            .ok_or_else(|| SpillError {
                detail: format!("nothing stored at {at:?}"),
            })?;
        into.copy_from_slice(stored);
        Ok(())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
