//! Whether the browser's private storage (OPFS) is on disk, judged from how long a few small
//! reads of it take (pure: the worker times the reads, `opfs_vault.rs`).
//!
//! A private (Incognito) window of Chromium keeps the private storage in the browser
//! process's memory, and each call of a sync access handle is then a round trip there: a 4 KiB
//! read took 0.55–2.3 ms against 2.6–3.4 µs in an ordinary window (`node
//! benches/private_storage.mjs`; BENCHMARKS.md, “The private storage in a private window”). Every use the worker makes of
//! the storage (a large file's copy, undo's pages, downloads' written pages) is slower there
//! than memory and Blobs by one or two orders of magnitude: the 500 MB file's overview took
//! 61 s instead of 9 s, its upgrade 30 s instead of 2.5 s. So the worker does not use it then.

/// How many reads the probe times, each on its own: the median of single reads is not moved by
/// a few the scheduler delays, as the total of a batch would be. The browser's clock is coarse
/// (100 µs steps in a page that is not cross-origin isolated), so an on-disk read mostly times
/// as 0 and a private window's as several steps.
pub const PROBE_READS: usize = 9;

/// How long each probe read is (a SQLite page of the default size).
pub const PROBE_READ_LEN: usize = 4096;

/// A median read slower than this (µs) means the storage is not on disk: 15–20× an ordinary
/// window's reads here, 1/11–1/46 of a private window's (the line sits near the geometric
/// middle, so a slower disk or a faster round trip elsewhere still falls on its side).
pub const SLOW_READ_MICROS: f64 = 50.0;

/// The median of the probe's read times (µs) when it says the storage is too slow to use;
/// `None` when it is fast enough, or when nothing was timed.
pub fn too_slow(read_micros: &[f64]) -> Option<f64> {
    let mut sorted = read_micros.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = *sorted.get(sorted.len() / 2)?;
    (median > SLOW_READ_MICROS).then_some(median)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ordinary_windows_reads_are_fast_enough() {
        assert_eq!(
            too_slow(&[3.4, 2.9, 4.1, 3.0, 3.3, 3.8, 2.7, 3.1, 3.5]),
            None
        );
    }

    #[test]
    fn a_private_windows_reads_are_too_slow_and_the_median_says_by_how_much() {
        let reads = [
            2312.0, 1980.0, 2400.0, 2100.0, 2250.0, 2050.0, 2600.0, 1900.0, 2200.0,
        ];
        assert_eq!(too_slow(&reads), Some(2200.0));
    }

    #[test]
    fn a_few_late_reads_of_a_busy_machine_do_not_count() {
        // Four of nine reads delayed by the scheduler: the median is still a fast one.
        let reads = [3.0, 4000.0, 3.2, 5200.0, 2.9, 3.1, 8000.0, 3.3, 900.0];
        assert_eq!(too_slow(&reads), None);
    }

    #[test]
    fn reads_just_over_the_line_are_slow_and_just_under_are_not() {
        assert_eq!(
            too_slow(&[SLOW_READ_MICROS + 1.0; 3]),
            Some(SLOW_READ_MICROS + 1.0)
        );
        assert_eq!(too_slow(&[SLOW_READ_MICROS; 3]), None);
    }

    #[test]
    fn nothing_timed_says_nothing() {
        assert_eq!(too_slow(&[]), None);
    }
}
