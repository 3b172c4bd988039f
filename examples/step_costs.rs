//! Where the time of `upgrade head` goes natively, for BENCHMARKS.md:
//! `cargo run --release --example step_costs -- FILE ["PRAGMA …;"]` opens FILE the way the CLI
//! and the page do, applies the given pragmas, upgrades to head and prints the time of the open,
//! of the step, of one more `integrity_check`, `quick_check` and `foreign_key_check` (the checks
//! open and every step run) and of the export. A measuring aid, not a test.

use content_db::{Database, History};
use std::time::Instant;

/// Milliseconds since `start`.
fn millis(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

/// A pragma's current value as text.
fn pragma(db: &Database, name: &str) -> String {
    db.connection()
        .query_row(&format!("PRAGMA {name}"), [], |row| {
            row.get::<_, rusqlite::types::Value>(0)
        })
        .map(|value| format!("{value:?}"))
        .unwrap_or_else(|error| error.to_string())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: step_costs FILE [\"PRAGMA …;\"]")?;
    let pragmas = args.get(2).cloned().unwrap_or_default();
    let bytes = std::fs::read(path)?;

    let start = Instant::now();
    let mut db = Database::open_bytes(&bytes)?;
    let open = millis(start);
    db.connection().execute_batch(&pragmas)?;
    let settings = ["journal_mode", "temp_store", "cache_size", "mmap_size"]
        .map(|name| format!("{name}={}", pragma(&db, name)))
        .join(" ");

    let history = History::embedded()?;
    let plan = history.plan_upgrade(&db.current_versions()?, "head")?;
    let start = Instant::now();
    db.apply(history, &plan, |_| {})?;
    let upgrade = millis(start);

    let start = Instant::now();
    db.connection()
        .query_row("PRAGMA integrity_check", [], |row| row.get::<_, String>(0))?;
    let integrity = millis(start);
    let start = Instant::now();
    db.connection()
        .query_row("PRAGMA quick_check", [], |row| row.get::<_, String>(0))?;
    let quick = millis(start);
    let start = Instant::now();
    let mut statement = db.connection().prepare("PRAGMA foreign_key_check")?;
    let violations = statement.query_map([], |_| Ok(()))?.count();
    drop(statement);
    let foreign_keys = millis(start);

    let start = Instant::now();
    let out = db.to_bytes()?;
    let export = millis(start);
    println!(
        "{pragmas:?} {settings}: open {open:.0} ms (one quick_check {quick:.0} ms), upgrade {upgrade:.0} ms (of which one \
         integrity_check {integrity:.0} ms, one foreign_key_check {foreign_keys:.0} ms, \
         {violations} violations), export {export:.0} ms, {} bytes",
        out.len()
    );
    Ok(())
}
