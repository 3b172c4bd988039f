//! Where a request's time goes, for the benchmark: spans named `sqlite:<what>` (time spent inside
//! SQLite: checks, the statements of a migration) and `copy:<what>` (moving the file image in and
//! out, posting), so the benchmark can tell SQLite's own work from the app's overhead.
//!
//! In the browser the spans of one name are summed between flushes (the start and the end of
//! each request of the worker) and become one `performance.measure` entry, from the first one's
//! start and as long as their total (the benchmark reads them with
//! `performance.getEntriesByType("measure")` in the worker; nothing shows in the page). An entry
//! per span cost a JavaScript object, a string and a timeline entry for each 64 KiB read: tens
//! of thousands in one upgrade of a large file, kept for the page's life. Natively the span
//! names are only counted per thread, so tests can tell whether some SQLite work ran (e.g. that
//! a download reuses a check already made).
//!
//! `Stopwatch` is the crate's one clock for the step times users see.

/// The prefix of spans that are SQLite's own work.
pub const SQLITE: &str = "sqlite:";

/// Runs `work` as a span named `name` (`sqlite:…` for SQLite's own work, `copy:…` else).
pub fn span<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let start = clock::now();
    let result = work();
    clock::record(name, start);
    result
}

/// The clock spans use (ms; 0 natively), to time work that is not one closure (an `await`).
pub fn now() -> f64 {
    clock::now()
}

/// Records a span named `name` from `start` (a [`now`]) until now.
pub fn record_since(name: &str, start: f64) {
    clock::record(name, start);
}

/// The prefix of the span of a whole request of the worker (`request:Open`, …): recording one
/// flushes the spans before it.
pub const REQUEST: &str = "request:";

/// Hands the spans recorded since the last flush to the browser (see the module doc); the
/// worker calls it as a request starts, and recording a [`REQUEST`] span does too.
pub fn flush() {
    clock::flush();
}

/// A point in time to measure a step from (the step times of a migration's log). The one clock
/// of the crate: `std::time::Instant` panics on wasm32-unknown-unknown (there is no clock there
/// without JavaScript), so the browser build reads `performance.now()`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stopwatch {
    #[cfg(not(target_arch = "wasm32"))]
    started: std::time::Instant,
    #[cfg(target_arch = "wasm32")]
    started_millis: f64,
}

impl Stopwatch {
    /// Starts measuring now.
    pub(crate) fn start() -> Stopwatch {
        Stopwatch {
            #[cfg(not(target_arch = "wasm32"))]
            started: std::time::Instant::now(),
            #[cfg(target_arch = "wasm32")]
            started_millis: clock::now(),
        }
    }

    /// Milliseconds since [`Stopwatch::start`].
    pub(crate) fn elapsed_millis(&self) -> f64 {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.started.elapsed().as_secs_f64() * 1000.0
        }
        #[cfg(target_arch = "wasm32")]
        {
            (clock::now() - self.started_millis).max(0.0)
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod clock {
    use std::cell::RefCell;

    use wasm_bindgen::prelude::*;

    thread_local! {
        /// The spans recorded since the last flush: name, first start, total duration.
        static PENDING: RefCell<Vec<(String, f64, f64)>> = const { RefCell::new(Vec::new()) };
    }

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = performance, js_name = now)]
        fn performance_now() -> f64;
        #[wasm_bindgen(js_namespace = performance, js_name = measure, catch)]
        fn performance_measure(name: &str, options: &JsValue) -> Result<JsValue, JsValue>;
    }

    pub fn now() -> f64 {
        performance_now()
    }

    pub fn record(name: &str, start: f64) {
        let end = performance_now();
        if name.starts_with(super::REQUEST) {
            flush();
            measure(name, start, end);
            return;
        }
        PENDING.with(|pending| {
            let mut pending = pending.borrow_mut();
            match pending.iter_mut().find(|(known, _, _)| known == name) {
                Some((_, _, total)) => *total += end - start,
                None => pending.push((name.to_string(), start, end - start)),
            }
        });
    }

    pub fn flush() {
        let spans = PENDING.with(|pending| std::mem::take(&mut *pending.borrow_mut()));
        for (name, start, total) in spans {
            measure(&name, start, start + total);
        }
    }

    fn measure(name: &str, start: f64, end: f64) {
        let options = js_sys::Object::new();
        // Setting plain properties on a new object cannot fail; a failed measure only loses a
        // benchmark figure.
        let _ = js_sys::Reflect::set(&options, &"start".into(), &start.into());
        let _ = js_sys::Reflect::set(&options, &"end".into(), &end.into());
        let _ = performance_measure(name, &options);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod clock {
    use std::cell::RefCell;

    thread_local! {
        static NAMES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    pub fn now() -> f64 {
        0.0
    }

    pub fn record(name: &str, _start: f64) {
        NAMES.with(|names| names.borrow_mut().push(name.to_string()));
    }

    pub fn flush() {}

    pub fn take() -> Vec<String> {
        NAMES.with(|names| std::mem::take(&mut *names.borrow_mut()))
    }
}

/// The names of the spans recorded on this thread since the last call (native only: tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn take_recorded() -> Vec<String> {
    clock::take()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn spans_return_their_result_and_are_recorded_in_order() {
        take_recorded();
        assert_eq!(span("sqlite:one", || 1 + 1), 2);
        span("copy:two", || ());
        assert_eq!(take_recorded(), ["sqlite:one", "copy:two"]);
        assert!(take_recorded().is_empty());
    }

    #[test]
    fn elapsed_time_is_not_negative_and_grows() {
        let stopwatch = Stopwatch::start();
        let first = stopwatch.elapsed_millis();
        std::thread::sleep(std::time::Duration::from_millis(5));
        let second = stopwatch.elapsed_millis();
        assert!(first >= 0.0);
        assert!(second >= first + 4.0, "{first} then {second}");
    }
}
