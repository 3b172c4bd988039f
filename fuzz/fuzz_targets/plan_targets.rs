//! Arbitrary targets (`head`, ids, prefixes, `+N`, `REV-N`, ranges, labels) planned from every
//! state of ContentEngine's history: upgrade, downgrade, stamp, history ranges. The first byte
//! picks the `alembic_version` rows (one of the real states, or the first input line as rows);
//! the rest is the target. Refusals are fine; panics (overflow, slicing, unreachable) are bugs.
#![no_main]

use content_db::revision::format;
use content_db::History;
use libfuzzer_sys::fuzz_target;

/// `alembic_version` rows of the states a real file can be in.
const STATES: &[&[&str]] = &[
    &[],
    &["4f2a9c1e7b3d"],
    &["b81d3e5f0a27"],
    &["c3e7a1d9f482"],
    &["d5f0b2c8e614"],
    &["c3e7a1d9f482", "d5f0b2c8e614"],
    &["e9a4c6b1d358"],
    &["0a6c9e3f5b71"],
];

fuzz_target!(|input: &[u8]| {
    let Some((&selector, rest)) = input.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let history = History::embedded().expect("the embedded history is valid");
    let (rows, target): (Vec<String>, &str) = match STATES.get(usize::from(selector) % 9) {
        Some(rows) => (rows.iter().map(|id| id.to_string()).collect(), text),
        None => {
            let (rows, target) = text.split_once('\n').unwrap_or((text, ""));
            (rows.split(',').map(str::to_string).collect(), target)
        }
    };
    let _ = history.plan_upgrade(&rows, target);
    let _ = history.plan_downgrade(&rows, target);
    let _ = history.downgrade_warning(&rows, target);
    let _ = history.plan_stamp(&rows, target, false);
    let _ = history.plan_stamp_many(&rows, &[target, "heads"], selector & 0x80 != 0);
    let _ = format::history(history, Some(target), false, &rows, true);
    let _ = format::current(history, &rows, true, "sqlite:///fuzz.db");
});
