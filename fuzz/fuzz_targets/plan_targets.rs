//! Arbitrary targets (`head`, ids, prefixes, `+N`, `REV-N`, ranges, labels) planned from every
//! state of ContentEngine's history: upgrade, downgrade, stamp, history ranges. The first byte
//! picks the `alembic_version` rows (one of the real states, or the first input line as rows);
//! the rest is the target. Refusals are fine; panics (overflow, slicing, unreachable) are bugs.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    harness::plan_targets(input);
});
