//! The page store against a plain byte vector: whatever the reads, writes, truncations,
//! checkpoints and undos, both read the same, and the pieces make the same file.

use std::cell::Cell;
use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;

/// A source that counts the bytes read from it, and can be made to fail.
struct CountingSource {
    bytes: Vec<u8>,
    read: Cell<u64>,
    failing: Cell<bool>,
}

impl CountingSource {
    fn new(bytes: Vec<u8>) -> CountingSource {
        CountingSource {
            bytes,
            read: Cell::new(0),
            failing: Cell::new(false),
        }
    }
}

impl Source for CountingSource {
    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> Result<(), SourceError> {
        if self.failing.get() {
            return Err(SourceError {
                detail: "the file changed".into(),
            });
        }
        self.read.set(self.read.get() + buf.len() as u64);
        BytesSource(self.bytes.clone()).read_exact_at(buf, offset)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The whole file read back through `read`.
fn contents<S: Source>(store: &mut PageStore<S>) -> Vec<u8> {
    let mut all = vec![0xEE; store.len() as usize + 3];
    let count = store.read(&mut all, 0).expect("reads");
    assert_eq!(count as u64, store.len(), "a read stops at the end");
    assert_eq!(all[count..], [0xEE; 3], "the rest of the buffer untouched");
    all.truncate(count);
    all
}

/// The file made of its pieces, the source's ranges taken from `original`.
fn assembled<S: Source>(store: &PageStore<S>, original: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let pieces = store.pieces();
    for (at, piece) in pieces.iter().enumerate() {
        assert!(!piece.is_empty(), "no empty piece");
        match *piece {
            Piece::Original { start, end } => {
                out.extend_from_slice(&original[start as usize..end as usize]);
                assert!(
                    !matches!(pieces.get(at + 1), Some(Piece::Original { start, .. }) if *start == end),
                    "adjacent ranges are joined"
                );
            }
            Piece::Written(bytes) => out.extend_from_slice(bytes),
            Piece::Spilled { at, len } => out.extend_from_slice(&stored(store, at, len)),
            Piece::Zeros(count) => out.resize(out.len() + count as usize, 0),
        }
    }
    out
}

/// `len` bytes stored at `at` in the store's spill.
fn stored<S: Source>(store: &PageStore<S>, at: SpillAt, len: u64) -> Vec<u8> {
    let mut bytes = vec![0; len as usize];
    let spill = store.spill().expect("a spilled piece has a spill");
    spill.get(at, &mut bytes).expect("stored");
    bytes
}

/// The file made of its layout with ranges of at least `min_len` from the source, the source's
/// ranges taken from `original`, the others read from the store.
fn laid_out<S: Source>(store: &mut PageStore<S>, original: &[u8], min_len: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let layout = store.layout(min_len);
    for (at, segment) in layout.iter().enumerate() {
        match *segment {
            Segment::Source { start, end } => {
                assert!(end - start >= min_len, "{segment:?} is long");
                out.extend_from_slice(&original[start as usize..end as usize]);
            }
            Segment::Spilled { start, end, at } => {
                assert!(end - start >= min_len, "{segment:?} is long");
                out.extend_from_slice(&stored(store, at, end - start));
            }
            Segment::Copy { start, end } => {
                assert!(
                    !matches!(layout.get(at + 1), Some(Segment::Copy { .. })),
                    "copies in a row are joined"
                );
                let mut bytes = vec![0; (end - start) as usize];
                assert_eq!(store.read(&mut bytes, start).expect("reads"), bytes.len());
                out.extend_from_slice(&bytes);
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Op {
    Read { offset: u64, count: usize },
    Write { offset: u64, count: usize, seed: u8 },
    Truncate { len: u64 },
    Checkpoint,
    Undo,
    ForgetCheckpoint,
    ForgetOldest,
    ReadAhead { run_len: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0u64..80, 0usize..40).prop_map(|(offset, count)| Op::Read { offset, count }),
        4 => (0u64..80, 0usize..30, any::<u8>())
            .prop_map(|(offset, count, seed)| Op::Write { offset, count, seed }),
        1 => (0u64..80).prop_map(|len| Op::Truncate { len }),
        2 => Just(Op::Checkpoint),
        2 => Just(Op::Undo),
        1 => Just(Op::ForgetCheckpoint),
        1 => Just(Op::ForgetOldest),
        1 => (1usize..20).prop_map(|run_len| Op::ReadAhead { run_len }),
    ]
}

/// How a test store spills: a new file every `file_len` bytes (0: one file), puts failing
/// after `fail_after` of them.
#[derive(Debug, Clone, Copy)]
struct Spilling {
    file_len: usize,
    fail_after: Option<usize>,
}

/// Runs `ops` on a store (spilling as `spilling` says, if at all) and on a byte vector (with a
/// stack of copies for checkpoints) and compares them after every step.
fn check(
    original: Vec<u8>,
    chunk_len: usize,
    read_len: usize,
    cached: usize,
    spilling: Option<Spilling>,
    ops: &[Op],
) {
    let mut store = PageStore::new(CountingSource::new(original.clone()), chunk_len, 1)
        .with_read_len(read_len, cached);
    if let Some(spilling) = spilling {
        let spill = MemorySpill {
            file_len: spilling.file_len,
            fail_after: spilling.fail_after,
            ..MemorySpill::default()
        };
        store = store.with_spill(Box::new(spill));
    }
    let mut model = original.clone();
    let mut saved: Vec<Vec<u8>> = Vec::new();
    // The chunks written at each checkpoint (the others were the source's then).
    let mut written_then: Vec<BTreeSet<u64>> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        let (changes_before, model_before) = (store.changes(), model.clone());
        match *op {
            Op::Read { offset, count } => {
                let mut buf = vec![0xAB; count];
                let read = store.read(&mut buf, offset).expect("reads");
                let from = (offset as usize).min(model.len());
                let expected = &model[from..(from + count).min(model.len())];
                assert_eq!(&buf[..read], expected, "step {step}: {op:?}");
                assert!(buf[read..].iter().all(|&byte| byte == 0xAB));
            }
            Op::Write {
                offset,
                count,
                seed,
            } => {
                let bytes: Vec<u8> = (0..count)
                    .map(|i| seed.wrapping_add(i as u8 * 7) | 1)
                    .collect();
                store.write(&bytes, offset).expect("writes");
                if count > 0 {
                    let end = offset as usize + count;
                    if model.len() < end {
                        model.resize(end, 0);
                    }
                    model[offset as usize..end].copy_from_slice(&bytes);
                }
            }
            Op::Truncate { len } => {
                store.truncate(len).expect("truncates");
                model.resize(len as usize, 0);
            }
            Op::Checkpoint => {
                store.checkpoint();
                saved.push(model.clone());
                written_then.push(store.written.keys().copied().collect());
            }
            Op::Undo => {
                let undone = store.undo();
                assert_eq!(undone, !saved.is_empty(), "step {step}");
                if let Some(before) = saved.pop() {
                    model = before;
                }
                if let Some(written) = written_then.pop() {
                    // A chunk that was the source's then is dropped again, not kept as a copy.
                    let now: BTreeSet<u64> = store.written.keys().copied().collect();
                    assert_eq!(now, written, "step {step}: the chunks written then");
                }
            }
            Op::ForgetCheckpoint => {
                assert_eq!(store.forget_checkpoint(), saved.pop().is_some());
                written_then.pop();
            }
            Op::ReadAhead { run_len } => {
                let mut last = None;
                let fits = store
                    .read_ahead(run_len, &mut |done, total| last = Some((done, total)))
                    .expect("reads ahead");
                let pieces = store.visible.div_ceil(read_len as u64);
                assert_eq!(fits, pieces <= cached.max(1) as u64, "step {step}");
                if let Some((done, total)) = last {
                    assert!(fits && done == total, "step {step}: {done} of {total}");
                }
                if fits {
                    // Every visible piece is kept now: reading the file reads no more.
                    let before = store.source().read.get();
                    contents(&mut store);
                    assert_eq!(store.source().read.get(), before, "step {step}");
                }
            }
            Op::ForgetOldest => {
                let had = !saved.is_empty();
                assert_eq!(store.forget_oldest(), had);
                if had {
                    saved.remove(0);
                    written_then.remove(0);
                }
            }
        }
        // The change count: the same count, the same bytes; reading, checkpoints and
        // forgetting them never count.
        if store.changes() == changes_before {
            assert_eq!(
                model, model_before,
                "step {step}: {op:?} changed bytes uncounted"
            );
        }
        if !matches!(op, Op::Write { .. } | Op::Truncate { .. } | Op::Undo) {
            assert_eq!(store.changes(), changes_before, "step {step}: {op:?}");
        }
        assert_eq!(store.len(), model.len() as u64, "step {step}: {op:?}");
        assert_eq!(contents(&mut store), model, "step {step}: {op:?}");
        assert_eq!(assembled(&store, &original), model, "step {step}: {op:?}");
        assert_eq!(
            laid_out(&mut store, &original, 5),
            model,
            "step {step}: {op:?}"
        );
        let any_original = store
            .pieces()
            .iter()
            .any(|piece| matches!(piece, Piece::Original { .. } | Piece::Spilled { .. }));
        match store.written_parts(0, model.len() + 1) {
            Some(parts) => assert_eq!(parts.concat(), model, "step {step}: {op:?}"),
            None => assert!(
                any_original,
                "step {step}: views refused only over the source or the spill"
            ),
        }
        assert_eq!(store.checkpoints(), saved.len());
        check_saved(&store, &saved, &written_then, step);
        for piece in store.cache.kept() {
            assert!(
                !store.covered(piece),
                "step {step}: piece {piece} is written over"
            );
        }
        let held = store
            .written
            .values()
            .filter(|chunk| matches!(chunk, Chunk::Held(_)))
            .count();
        assert_eq!(store.held_chunks, held, "step {step}: held chunks counted");
        assert_eq!(store.spilled(), (store.written.len() - held) * chunk_len);
        assert!(store.held() >= held * chunk_len, "step {step}");
        if spilling.is_some() && !spill_failed(&store, spilling) {
            // Undo costs no memory: no saved chunk of a checkpoint is held.
            assert_eq!(
                store.held(),
                held * chunk_len,
                "step {step}: saved chunks spilled"
            );
        }
    }
    // Undoing everything comes back to the state of the oldest checkpoint still kept.
    if let Some(first) = saved.first().cloned() {
        while store.undo() {}
        assert_eq!(contents(&mut store), first);
    }
}

/// Whether the store's spill (as `spilling` made it) has failed a put.
fn spill_failed<S: Source>(store: &PageStore<S>, spilling: Option<Spilling>) -> bool {
    let Some(spilling) = spilling else {
        return false;
    };
    let spill = store
        .spill()
        .and_then(|spill| spill.as_any().downcast_ref::<MemorySpill>())
        .expect("a memory spill");
    spilling.fail_after.is_some_and(|limit| spill.puts >= limit)
}

/// Each checkpoint holds a copy of a chunk only where that chunk was written then, and that
/// copy is the chunk as it was (`saved`, zeros past its end); a chunk that was the source's
/// costs nothing.
fn check_saved<S: Source>(
    store: &PageStore<S>,
    saved: &[Vec<u8>],
    written_then: &[BTreeSet<u64>],
    step: usize,
) {
    let chunk_len = store.chunk_len;
    for (at, checkpoint) in store.checkpoints.iter().enumerate() {
        for (&index, copy) in &checkpoint.saved {
            let was_written = written_then[at].contains(&index);
            assert_eq!(copy.is_some(), was_written, "step {step}: chunk {index}");
            let copy = copy.as_ref().map(|chunk| match chunk {
                Chunk::Held(bytes) => bytes.to_vec(),
                &Chunk::Spilled(at) => stored(store, at, chunk_len as u64),
            });
            if let Some(copy) = copy {
                let mut then = vec![0; chunk_len];
                let start = (index as usize * chunk_len).min(saved[at].len());
                let end = (start + chunk_len).min(saved[at].len());
                then[..end - start].copy_from_slice(&saved[at][start..end]);
                assert_eq!(copy[..], then[..], "step {step}: chunk {index} as it was");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_store_reads_like_a_byte_vector_whatever_is_done_to_it(
        original in proptest::collection::vec(any::<u8>(), 0..70),
        chunk_len in 1usize..17,
        read_len in 1usize..9,
        cached in prop_oneof![0usize..3, 60usize..80],
        spilling in prop_oneof![
            Just(None),
            (prop_oneof![Just(0usize), 1usize..40], proptest::option::of(0usize..12))
                .prop_map(|(file_len, fail_after)| Some(Spilling { file_len, fail_after })),
        ],
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        check(original, chunk_len, read_len, cached, spilling, &ops);
    }
}

#[test]
fn an_unchanged_file_is_one_range_of_the_original_and_reading_it_holds_nothing() {
    let original: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let mut store = PageStore::new(BytesSource(original.clone()), 1024, 2);
    assert!(store.is_original());
    assert_eq!(contents(&mut store), original);
    assert_eq!(
        store.pieces(),
        [Piece::Original {
            start: 0,
            end: 10_000
        }]
    );
    assert_eq!(store.held(), 0);
    // Writing the same bytes still makes the chunk written.
    store.write(&original[..1], 0).expect("writes");
    assert!(!store.is_original());
    assert_eq!(store.held(), 1024);
}

#[test]
fn reading_the_start_reads_only_the_chunks_it_touches() {
    let original = vec![7; 64 << 10];
    let mut store = PageStore::new(CountingSource::new(original), 4096, 4);
    let mut header = [0; 100];
    store.read(&mut header, 0).expect("reads");
    store.read(&mut [0; 4096], 8192).expect("reads");
    store.read(&mut [0; 10], 50).expect("reads");
    assert_eq!(
        store.source().read.get(),
        2 * 4096,
        "two chunks, the first kept"
    );
}

#[test]
fn reading_ahead_reads_the_file_once_in_long_reads_then_reads_come_from_memory() {
    let original: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let mut store =
        PageStore::new(CountingSource::new(original.clone()), 64, 1).with_read_len(100, 100);
    let mut reported = Vec::new();
    assert!(store
        .read_ahead(2_500, &mut |done, total| reported.push((done, total)))
        .expect("reads"));
    assert_eq!(
        reported,
        [
            (2_500, 10_000),
            (5_000, 10_000),
            (7_500, 10_000),
            (10_000, 10_000)
        ]
    );
    assert_eq!(store.source().read.get(), 10_000, "each byte read once");
    assert_eq!(contents(&mut store), original);
    assert_eq!(store.source().read.get(), 10_000, "nothing read again");
    // Too large for the cache: nothing is read ahead, reads go on as they come.
    let mut small = PageStore::new(CountingSource::new(original), 64, 1).with_read_len(100, 99);
    assert!(!small
        .read_ahead(2_500, &mut |_, _| panic!("no progress"))
        .expect("reads"));
    assert_eq!(small.source().read.get(), 0);
}

#[test]
fn a_checkpoint_holds_only_the_chunks_changed_after_it() {
    let original = vec![1; 100 * 1024];
    let mut store = PageStore::new(BytesSource(original.clone()), 1024, 1);
    store.checkpoint();
    assert_eq!(store.held(), 0, "a checkpoint costs nothing");
    store.write(&[2; 10], 5000).expect("writes");
    assert_eq!(
        store.held(),
        1024,
        "one chunk written, nothing saved (it was original)"
    );
    store.checkpoint();
    store.write(&[3; 10], 5000).expect("writes");
    store.write(&[3; 10], 9000).expect("writes");
    assert_eq!(store.held(), 3 * 1024, "two written, one saved copy");
    assert!(store.undo());
    assert_eq!(store.held(), 1024);
    assert!(store.undo());
    assert_eq!(store.held(), 0);
    assert!(store.is_original());
    assert_eq!(contents(&mut store), original);
}

#[test]
fn a_truncated_file_grown_again_shows_zeros_and_undo_brings_the_bytes_back() {
    let original: Vec<u8> = (1..=100).collect();
    let mut store = PageStore::new(BytesSource(original.clone()), 16, 1);
    store.checkpoint();
    store.truncate(30).expect("cuts");
    store.write(&[9], 59).expect("writes");
    let mut expected = original[..30].to_vec();
    expected.resize(59, 0);
    expected.push(9);
    assert_eq!(contents(&mut store), expected);
    assert_eq!(
        store.pieces()[..2],
        [Piece::Original { start: 0, end: 30 }, Piece::Zeros(18)]
    );
    store.truncate(200).expect("extends");
    assert_eq!(store.len(), 200);
    assert!(store.undo());
    assert_eq!(contents(&mut store), original);
    assert!(store.is_original());
}

#[test]
fn a_source_that_fails_is_an_error_and_the_file_reads_as_before_once_it_reads_again() {
    let original: Vec<u8> = (0..200).collect();
    let mut store = PageStore::new(CountingSource::new(original.clone()), 32, 1);
    store.source().failing.set(true);
    let error = store.read(&mut [0; 10], 100).expect_err("fails");
    assert!(
        matches!(error, PageError::Source { offset: 96, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("the file changed"), "{error}");
    assert!(store.write(&[5; 40], 50).is_err());
    store.source().failing.set(false);
    assert_eq!(contents(&mut store), original);
}

#[test]
fn writes_beyond_the_largest_length_are_refused() {
    assert!(EmptySource.is_empty());
    let mut store = PageStore::new(EmptySource, 8, 1);
    let error = store.write(&[1], u64::MAX).expect_err("too large");
    assert!(matches!(error, PageError::TooLarge { .. }), "{error}");
    assert!(store.truncate(u64::MAX).is_err());
    assert!(store.is_empty());
    store.write(&[1, 2, 3], 10).expect("writes");
    let parts = store.written_parts(9, 100).expect("nothing original");
    assert_eq!(parts.concat(), [0, 1, 2, 3]);
    assert_eq!(
        store.written_parts(13, 5),
        Some(Vec::new()),
        "nothing at the end"
    );
}
