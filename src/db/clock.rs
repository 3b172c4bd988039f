//! Milliseconds for timing steps. `std::time::Instant` panics on wasm32-unknown-unknown (there
//! is no clock there without JavaScript), so the browser build asks `performance.now()` (or,
//! where it is missing, `Date.now()`) and the native build uses `Instant`.

/// A point in time to measure a step from.
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
            started_millis: browser_now_millis(),
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
            (browser_now_millis() - self.started_millis).max(0.0)
        }
    }
}

/// `performance.now()` of the page or worker global, else `Date.now()`.
#[cfg(target_arch = "wasm32")]
fn browser_now_millis() -> f64 {
    use wasm_bindgen::JsCast;
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok();
    let now = performance.as_ref().and_then(|performance| {
        let function = js_sys::Reflect::get(performance, &"now".into()).ok()?;
        let function = function.dyn_into::<js_sys::Function>().ok()?;
        function.call0(performance).ok()?.as_f64()
    });
    now.unwrap_or_else(js_sys::Date::now)
}

#[cfg(test)]
mod tests {
    use super::*;

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
