//! Progress within one step of a plan, so a page can move a bar while a single statement (the
//! copy of a large table) runs for seconds.
//!
//! SQLite calls a progress handler every [`VM_OPS_PER_CALL`] virtual-machine instructions of
//! whatever statement runs. At each call the handler reads how many pages the connection has
//! fetched so far (`SQLITE_DBSTATUS_CACHE_HIT` + `CACHE_MISS`: every page a b-tree touched,
//! whether it was in the page cache or read from the in-memory file) and turns that into a
//! fraction of the step's estimated work ([`Meter`], pure and unit-tested). The estimate is
//! [`FETCHES_PER_PAGE`] fetches per page in use at the start of the step: measured on the
//! benchmark's `posts` rebuild, the heaviest kind of step (a copy of the largest table plus the
//! checks `apply` runs), so lighter steps end early and jump to done rather than crawl near the
//! end. Sizing the tables a step's SQL names would be closer, but SQLite only tells a table's
//! pages by walking it (`dbstat`), which costs more than a bar may.
//! The fraction never goes backwards and never reaches 1 while the step runs; the callback gets
//! it at most every [`REPORT_INTERVAL_MS`].
//!
//! rusqlite's safe `Connection::progress_handler` takes only `Send + 'static` closures, and the
//! callback here posts to the page from a Web Worker (JavaScript values are neither), so the
//! handler is installed through `rusqlite::ffi` for the duration of one closure call ([`watch`]),
//! the one place of this crate that needs `unsafe`.

use std::ffi::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

use rusqlite::{ffi, Connection};

use crate::revision::Step;
use crate::timing::Stopwatch;

/// VM instructions between two calls of the handler: often enough for a smooth bar, rarely
/// enough that reading two counters and the clock per call costs nothing measurable.
pub const VM_OPS_PER_CALL: c_int = 10_000;

/// The least time between two reports, so a worker posts at most ~10 messages a second.
pub const REPORT_INTERVAL_MS: f64 = 100.0;

/// Page fetches a step costs per page in use at its start, measured with
/// `examples/progress_costs` on the benchmark's `posts` rebuild with the checks `apply.rs` runs
/// (BENCHMARKS.md, “Figures behind the code's constants”). A little above the measured value, so the bar ends a step short of full
/// rather than waiting near the top; a change to those checks changes it.
pub const FETCHES_PER_PAGE: f64 = 5.5;

/// The fraction reached when the work done equals the estimate; beyond it the fraction only
/// creeps towards [`CEILING`], so an underestimated step slows down instead of stopping.
const AT_ESTIMATE: f64 = 0.9;

/// What the fraction approaches but never reaches while a step runs.
const CEILING: f64 = 0.99;

/// Where a running plan is, as [`super::Database::apply_with_progress`] reports it.
#[derive(Debug, Clone, Copy)]
pub struct PlanProgress<'a> {
    /// The step running now.
    pub step: &'a Step,
    /// Its position in the plan, from 0 (= the number of steps completed).
    pub index: usize,
    /// The number of steps in the plan.
    pub steps: usize,
    /// How much of this step is done, from 0 up to (never reaching) 1.
    pub step_fraction: f64,
}

impl PlanProgress<'_> {
    /// How much of the whole plan is done: completed steps plus the running step's fraction,
    /// over the number of steps.
    pub fn overall(&self) -> f64 {
        if self.steps == 0 {
            return 1.0;
        }
        ((self.index as f64 + self.step_fraction) / self.steps as f64).clamp(0.0, 1.0)
    }
}

/// Turns work done into a fraction and decides when to report it (no SQLite here).
#[derive(Debug, Clone)]
pub(crate) struct Meter {
    /// The expected work of the step (page fetches), at least 1.
    estimate: f64,
    /// The largest fraction reported so far.
    reported: f64,
    /// When the last report went out (ms since the step started); the step's start at first.
    last_report_ms: f64,
    /// The least time between two reports, in ms.
    interval_ms: f64,
}

impl Meter {
    /// A meter for a step expected to cost `estimate` units of work, reporting at most every
    /// `interval_ms`.
    pub(crate) fn new(estimate: f64, interval_ms: f64) -> Meter {
        Meter {
            estimate: estimate.max(1.0),
            reported: 0.0,
            last_report_ms: 0.0,
            interval_ms,
        }
    }

    /// The fraction for `work` units done: linear up to [`AT_ESTIMATE`] at the estimate, then
    /// approaching [`CEILING`] exponentially (each further estimate's worth of work halves
    /// the distance roughly three times over).
    pub(crate) fn fraction(&self, work: f64) -> f64 {
        let x = (work / self.estimate).max(0.0);
        if x <= 1.0 {
            AT_ESTIMATE * x
        } else {
            CEILING - (CEILING - AT_ESTIMATE) * (-2.0 * (x - 1.0)).exp()
        }
    }

    /// The fraction to report at `now_ms` after `work` units, or `None` when the last report
    /// was less than the interval ago or the fraction has not grown since.
    pub(crate) fn observe(&mut self, work: f64, now_ms: f64) -> Option<f64> {
        if now_ms - self.last_report_ms < self.interval_ms {
            return None;
        }
        let fraction = self.fraction(work);
        if fraction <= self.reported {
            return None;
        }
        self.reported = fraction;
        self.last_report_ms = now_ms;
        Some(fraction)
    }
}

/// The expected page fetches of a step on `conn`'s database as it is now.
pub(crate) fn estimate_work(conn: &Connection) -> rusqlite::Result<f64> {
    let pages: i64 = conn.pragma_query_value(None, "page_count", |row| row.get(0))?;
    let free: i64 = conn.pragma_query_value(None, "freelist_count", |row| row.get(0))?;
    Ok(FETCHES_PER_PAGE * (pages - free).max(1) as f64)
}

/// What the handler needs while it is installed.
struct Watch<'a> {
    db: *mut ffi::sqlite3,
    stopwatch: Stopwatch,
    /// Page fetches before the step started.
    baseline: i64,
    meter: Meter,
    on_fraction: &'a mut dyn FnMut(f64),
}

/// Pages fetched by the connection so far (hits and misses of every attached database).
fn fetches(db: *mut ffi::sqlite3) -> i64 {
    let mut total = 0_i64;
    for op in [
        ffi::SQLITE_DBSTATUS_CACHE_HIT,
        ffi::SQLITE_DBSTATUS_CACHE_MISS,
    ] {
        let (mut current, mut highwater): (c_int, c_int) = (0, 0);
        // SAFETY: `db` is the open connection `watch` was given (it outlives the watch); the two
        // out-pointers are valid locals. The call only reads counters.
        let status = unsafe { ffi::sqlite3_db_status(db, op, &mut current, &mut highwater, 0) };
        if status == ffi::SQLITE_OK {
            total += i64::from(current);
        }
    }
    total
}

/// The progress handler: reports when due; always lets the statement go on (returns 0).
extern "C" fn on_vm_ops(context: *mut c_void) -> c_int {
    // SAFETY: `watch` installs this handler with a pointer to its `Watch`, which lives (and is
    // not otherwise touched) until the handler is removed again before `watch` returns.
    let watch = unsafe { &mut *context.cast::<Watch<'_>>() };
    // A panic must not unwind into SQLite's C frames; the step's own result tells what failed.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let work = (fetches(watch.db) - watch.baseline) as f64;
        if let Some(fraction) = watch.meter.observe(work, watch.stopwatch.elapsed_millis()) {
            (watch.on_fraction)(fraction);
        }
    }));
    0
}

/// Removes the handler when dropped (also when `body` panics).
struct Installed(*mut ffi::sqlite3);

impl Drop for Installed {
    fn drop(&mut self) {
        // SAFETY: the connection is still open (it outlives `watch`); a null handler removes it.
        unsafe { ffi::sqlite3_progress_handler(self.0, 0, None, std::ptr::null_mut()) };
    }
}

/// Runs `body` (one step's statements on `conn`) with `on_fraction` told, at most every
/// [`REPORT_INTERVAL_MS`], how much of the step is done. `on_fraction` must not use the
/// connection. Nothing is reported for a step shorter than the interval.
pub(crate) fn watch<T>(
    conn: &Connection,
    on_fraction: &mut dyn FnMut(f64),
    body: impl FnOnce() -> T,
) -> T {
    watch_every(conn, REPORT_INTERVAL_MS, on_fraction, body)
}

impl super::Database {
    /// Runs `body` (a statement on this database's connection other than a migration step, e.g.
    /// a check) telling `on_fraction`, as [`watch`] does, how much of it is done: its work
    /// estimated at `fetches_per_page` page fetches per page in use.
    pub fn watch_statement<T>(
        &self,
        fetches_per_page: f64,
        on_fraction: &mut dyn FnMut(f64),
        body: impl FnOnce(&Connection) -> T,
    ) -> T {
        let conn = self.connection();
        let per_page = fetches_per_page / FETCHES_PER_PAGE;
        watch_scaled(conn, REPORT_INTERVAL_MS, per_page, on_fraction, || {
            body(conn)
        })
    }
}

/// [`watch`] with reports at most every `interval_ms` (tests report at every chance).
fn watch_every<T>(
    conn: &Connection,
    interval_ms: f64,
    on_fraction: &mut dyn FnMut(f64),
    body: impl FnOnce() -> T,
) -> T {
    watch_scaled(conn, interval_ms, 1.0, on_fraction, body)
}

/// [`watch_every`] with the step's estimate scaled by `scale`.
fn watch_scaled<T>(
    conn: &Connection,
    interval_ms: f64,
    scale: f64,
    on_fraction: &mut dyn FnMut(f64),
    body: impl FnOnce() -> T,
) -> T {
    // Without an estimate there is no fraction to report; the step itself must still run.
    let Ok(estimate) = estimate_work(conn).map(|work| work * scale) else {
        return body();
    };
    // SAFETY: the raw handle is only used while `conn` is alive (within this call).
    let db = unsafe { conn.handle() };
    let mut watch = Watch {
        db,
        stopwatch: Stopwatch::start(),
        baseline: fetches(db),
        meter: Meter::new(estimate, interval_ms),
        on_fraction,
    };
    let context: *mut Watch<'_> = &mut watch;
    // SAFETY: `context` stays valid until `_installed` is dropped at the end of this function
    // (before `watch`), which removes the handler; nothing else uses `watch` meanwhile.
    unsafe { ffi::sqlite3_progress_handler(db, VM_OPS_PER_CALL, Some(on_vm_ops), context.cast()) };
    let _installed = Installed(db);
    body()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fraction_is_linear_up_to_the_estimate() {
        let meter = Meter::new(1000.0, 100.0);
        assert_eq!(meter.fraction(0.0), 0.0);
        assert!((meter.fraction(500.0) - 0.45).abs() < 1e-12);
        assert!((meter.fraction(1000.0) - AT_ESTIMATE).abs() < 1e-12);
    }

    #[test]
    fn beyond_the_estimate_the_fraction_grows_but_stays_below_one() {
        let meter = Meter::new(1000.0, 100.0);
        let mut last = meter.fraction(1000.0);
        for work in [1001.0, 1500.0, 2000.0, 5000.0, 1e6, 1e12] {
            let fraction = meter.fraction(work);
            assert!(fraction >= last, "{work}: {fraction} < {last}");
            assert!(fraction < 1.0, "{work}: {fraction}");
            last = fraction;
        }
        assert!(meter.fraction(1500.0) > meter.fraction(1000.0));
    }

    #[test]
    fn reports_are_spaced_by_the_interval_and_never_go_back() {
        let mut meter = Meter::new(100.0, 100.0);
        assert_eq!(meter.observe(10.0, 50.0), None, "too early");
        let near = |got: Option<f64>, want: f64| got.is_some_and(|got| (got - want).abs() < 1e-12);
        assert!(near(meter.observe(20.0, 100.0), 0.18));
        assert_eq!(
            meter.observe(60.0, 150.0),
            None,
            "50 ms after the last report"
        );
        // Counters of a closed temporary database can make the work appear to shrink.
        assert_eq!(meter.observe(5.0, 250.0), None, "less work than reported");
        assert!(near(meter.observe(60.0, 260.0), 0.54));
        assert_eq!(meter.observe(60.0, 400.0), None, "no new work");
    }

    #[test]
    fn a_zero_estimate_does_not_divide_by_zero() {
        let meter = Meter::new(0.0, 100.0);
        assert!(meter.fraction(3.0).is_finite());
        assert!(meter.fraction(3.0) < 1.0);
    }

    /// A database of `rows` rows of 1 KB each.
    fn filled(rows: u32) -> Connection {
        let conn = Connection::open_in_memory().expect("in-memory database");
        conn.execute_batch(&format!(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
             INSERT INTO t SELECT i, randomblob(1000) FROM n;"
        ))
        .expect("fill");
        conn
    }

    #[test]
    fn a_table_copy_reports_a_growing_fraction_below_one_and_stops_afterwards() {
        let conn = filled(20_000);
        let mut seen = Vec::new();
        watch_every(&conn, 0.0, &mut |fraction| seen.push(fraction), || {
            conn.execute_batch(
                "CREATE TABLE copy AS SELECT * FROM t; CREATE INDEX ix ON copy (body);",
            )
        })
        .expect("copy");
        assert!(seen.len() >= 3, "reports: {seen:?}");
        assert!(seen.windows(2).all(|pair| pair[0] < pair[1]), "{seen:?}");
        assert!(seen.iter().all(|f| *f > 0.0 && *f < 1.0), "{seen:?}");
        let count = seen.len();
        conn.execute_batch("CREATE TABLE again AS SELECT * FROM t")
            .expect("copy again");
        assert_eq!(seen.len(), count, "the handler is gone after watch returns");
    }

    #[test]
    fn the_body_runs_and_its_result_comes_back() {
        let conn = filled(10);
        let mut reports = 0;
        let rows: i64 = watch(&conn, &mut |_| reports += 1, || {
            conn.query_row("SELECT count(*) FROM t", [], |row| row.get(0))
        })
        .expect("count");
        assert_eq!(rows, 10);
        assert_eq!(
            reports, 0,
            "a step shorter than the interval reports nothing"
        );
    }

    fn plan_progress(index: usize, steps: usize, step_fraction: f64) -> f64 {
        let step = crate::revision::Step {
            revision: "a".into(),
            direction: crate::revision::Direction::Upgrade,
            log_line: String::new(),
            version_ops: vec![],
            run_sql: true,
        };
        PlanProgress {
            step: &step,
            index,
            steps,
            step_fraction,
        }
        .overall()
    }

    #[test]
    fn the_overall_fraction_counts_completed_steps() {
        assert!((plan_progress(0, 2, 0.5) - 0.25).abs() < 1e-12);
        assert!((plan_progress(1, 2, 0.5) - 0.75).abs() < 1e-12);
        assert_eq!(plan_progress(0, 0, 0.0), 1.0);
    }
}
