//! How close the page's estimate of what a plan writes (`content_db::footprint`) comes to what
//! the page store then holds, for BENCHMARKS.md:
//! `cargo run --release --example footprint_accuracy -- FILE [TARGET]` opens FILE as the page
//! opens a chosen file (a page store over its bytes), estimates `upgrade TARGET` (default
//! `heads`) both ways (every table as large as the file; the named tables' `dbstat` sizes),
//! upgrades, and prints the bytes of changed chunks the store holds afterwards. A measuring
//! aid, not a test.

use content_db::db::pages::BytesSource;
use content_db::footprint::{self, Sizes, Write};
use content_db::revision::Direction;
use content_db::{Database, History};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: footprint_accuracy FILE [TARGET]")?;
    let target = args.get(2).map_or("heads", String::as_str);
    let history = History::embedded()?;
    let mut db = Database::open_source(Box::new(BytesSource(std::fs::read(path)?)))?;
    let plan = history.plan_upgrade(&db.current_versions()?, target)?;
    let steps: Vec<Vec<Write>> = plan
        .steps
        .iter()
        .map(|step| match (history.get(&step.revision), step.direction) {
            (Some(revision), Direction::Upgrade) if step.run_sql => {
                footprint::writes(&revision.upgrade_sql)
            }
            (Some(revision), Direction::Downgrade) if step.run_sql => {
                footprint::writes(&revision.downgrade_sql)
            }
            _ => Vec::new(),
        })
        .collect();
    let bound = footprint::estimate(&steps, &Sizes::all_whole(db.used_bytes()?));
    let start = Instant::now();
    let sizes = db.object_sizes(&footprint::objects_named(&steps))?;
    let dbstat_ms = start.elapsed().as_secs_f64() * 1e3;
    let estimate = footprint::estimate(&steps, &sizes);
    let start = Instant::now();
    db.apply(history, &plan, |_| {})?;
    let upgrade_ms = start.elapsed().as_secs_f64() * 1e3;
    let held = db.changed_bytes()? as u64;
    let mib = |bytes: u64| bytes as f64 / f64::from(1 << 20);
    println!(
        "{path}: {} steps; whole-file bound {:.1} MiB; estimate {:.1} MiB (dbstat {dbstat_ms:.0} ms), \
         needed with margin {:.1} MiB; held after the upgrade {:.1} MiB ({upgrade_ms:.0} ms); \
         estimate / held {:.2}",
        plan.steps.len(),
        mib(bound),
        mib(estimate),
        mib(footprint::needed(estimate, 0)),
        mib(held),
        estimate as f64 / held.max(1) as f64
    );
    Ok(())
}
