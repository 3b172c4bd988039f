//! What the progress bar of a step costs and how it moves, for BENCHMARKS.md:
//! `cargo run --release --example progress_costs -- FILE [ROUNDS]` opens FILE (at f17b8d2e4c90
//! for the benchmark files), then ROUNDS times (default 3) upgrades a fresh copy to head
//! without progress reports (`apply`) and another with them (`apply_with_progress`),
//! alternating, and prints the step times, the number of reports, the longest gap between two
//! of them and the last fraction reported. A measuring aid, not a test.

use content_db::{Database, History};
use std::time::Instant;

/// The time (ms since the start) and overall fraction of every progress report.
type Reports = Vec<(f64, f64)>;

/// One upgrade to head: its time in ms and, with `watch`, its progress reports.
fn upgrade(bytes: &[u8], watch: bool) -> Result<(f64, Reports), Box<dyn std::error::Error>> {
    let history = History::embedded()?;
    let mut db = Database::open_bytes(bytes)?;
    let plan = history.plan_upgrade(&db.current_versions()?, "head")?;
    let start = Instant::now();
    let mut reports = Vec::new();
    if watch {
        db.apply_with_progress(
            history,
            &plan,
            |_| {},
            |progress| reports.push((start.elapsed().as_secs_f64() * 1e3, progress.overall())),
        )?;
    } else {
        db.apply(history, &plan, |_| {})?;
    }
    Ok((start.elapsed().as_secs_f64() * 1e3, reports))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: progress_costs FILE [ROUNDS]")?;
    let rounds: usize = args.get(2).map_or(Ok(3), |n| n.parse())?;
    let bytes = std::fs::read(path)?;
    let (mut plain, mut watched) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which one goes first, so a warming cache favours neither.
        for watch in [round % 2 == 0, round % 2 != 0] {
            let (millis, reports) = upgrade(&bytes, watch)?;
            if watch {
                let mut gaps: Vec<f64> = reports.windows(2).map(|w| w[1].0 - w[0].0).collect();
                gaps.extend(reports.first().map(|first| first.0));
                gaps.push(millis - reports.last().map_or(0.0, |last| last.0));
                let longest = gaps.iter().cloned().fold(0.0, f64::max);
                let last = reports.last().map_or(0.0, |last| last.1);
                println!(
                    "with progress    {millis:7.1} ms: {} reports, longest gap {longest:.0} ms \
                     (start and end included), last fraction {last:.3}",
                    reports.len()
                );
                watched.push(millis);
            } else {
                println!("without progress {millis:7.1} ms");
                plain.push(millis);
            }
        }
    }
    let median = |xs: &mut Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    let (p, w) = (median(&mut plain), median(&mut watched));
    println!(
        "median without {p:.1} ms, with {w:.1} ms: {:+.1} %",
        (w / p - 1.0) * 100.0
    );
    Ok(())
}
