//! Differential tests of the revision layer against real Alembic (the oracle).
//!
//! - `random_histories_match_alembic`: random histories (branches, merges, several bases) are
//!   written as throwaway Alembic projects; the same random `upgrade` / `downgrade` / `stamp` /
//!   `history` / `current` / `heads` commands run on real Alembic (one Python process per history,
//!   `tests/oracle/alembic_driver.py`) and on our planner, from the same `alembic_version` rows.
//!   Compared: success vs refusal, Alembic's error text, the `Running ...` lines in order, the
//!   rows afterwards (as a set) and the printed text.
//!   `CONTENT_DB_SEED=N` reruns one history; `CONTENT_DB_HISTORIES` / `CONTENT_DB_COMMANDS` size
//!   the run (default 25 × 12).
//! - `contentengine_matches_alembic`: the same comparison on ContentEngine's real project
//!   (real DDL) with the command sequence of VERIFIED.txt.
//! - `verified_transcript_replays`: VERIFIED.txt's own lines, reproduced by our side alone.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use content_db::revision::{format, History, RevisionError};
use serde_json::{json, Value};

/// One revision of a generated history.
struct GenRevision {
    id: String,
    down: Vec<String>,
    message: String,
    slug: String,
}

const DATE: &str = "2025-03-03 10:05:31.902116";

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn random_history(rng: &mut fastrand::Rng) -> Vec<GenRevision> {
    let count = rng.usize(1..=15);
    let mut revisions: Vec<GenRevision> = Vec::new();
    for index in 0..count {
        let id: String = loop {
            let candidate: String = (0..12)
                .map(|_| char::from_digit(rng.u32(0..16), 16).expect("hex digit"))
                .collect();
            if !revisions.iter().any(|r| r.id == candidate) {
                break candidate;
            }
        };
        let down = if index == 0 || rng.u8(0..14) == 0 {
            Vec::new()
        } else if index >= 2 && rng.u8(0..4) == 0 {
            // A merge of two (rarely three) distinct earlier revisions.
            let mut parents: Vec<String> = Vec::new();
            let wanted = if index >= 3 && rng.u8(0..5) == 0 {
                3
            } else {
                2
            };
            while parents.len() < wanted {
                let pick = revisions[rng.usize(0..index)].id.clone();
                if !parents.contains(&pick) {
                    parents.push(pick);
                }
            }
            parents
        } else {
            // Mostly the previous revision, sometimes an older one (a branch).
            let pick = if rng.u8(0..3) == 0 {
                rng.usize(0..index)
            } else {
                index - 1
            };
            vec![revisions[pick].id.clone()]
        };
        revisions.push(GenRevision {
            id,
            down,
            message: format!("step {index} of the history"),
            slug: format!("r{index}"),
        });
    }
    revisions
}

fn migration_text(revision: &GenRevision) -> String {
    format!(
        "-- revision: {}\n-- down_revision: {}\n-- message: {}\n-- create_date: {DATE}\n\n-- migrate:up\n\n-- migrate:down\n",
        revision.id,
        revision.down.join(", "),
        revision.message
    )
}

fn our_history(revisions: &[GenRevision]) -> Result<History, RevisionError> {
    let files: Vec<(String, String)> = revisions
        .iter()
        .map(|r| {
            (
                format!("migrations/{}_{}.sql", r.id, r.slug),
                migration_text(r),
            )
        })
        .collect();
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    History::from_files(&pairs)
}

fn pick_rev(rng: &mut fastrand::Rng, ids: &[String]) -> String {
    let id = &ids[rng.usize(0..ids.len())];
    if rng.bool() {
        id.clone()
    } else {
        // Short prefixes are often ambiguous (a refusal worth testing), longer ones rarely.
        id[..rng.usize(1..=6)].to_string()
    }
}

fn random_target(rng: &mut fastrand::Rng, ids: &[String]) -> String {
    match rng.u8(0..16) {
        0 => "head".into(),
        1..=3 => "heads".into(),
        4 => "base".into(),
        5 => format!("+{}", rng.u8(1..4)),
        6 => format!("-{}", rng.u8(1..4)),
        7 => format!("{}+{}", pick_rev(rng, ids), rng.u8(1..3)),
        8 => format!("{}-{}", pick_rev(rng, ids), rng.u8(1..3)),
        9..=11 => ids[rng.usize(0..ids.len())].clone(),
        _ => pick_rev(rng, ids),
    }
}

fn random_range_side(rng: &mut fastrand::Rng, ids: &[String]) -> String {
    match rng.u8(0..10) {
        0 | 1 => String::new(),
        2 => "base".into(),
        3 => "heads".into(),
        4 => "head".into(),
        5 => "current".into(),
        6 => "-1".into(),
        7 => format!("{}-1", pick_rev(rng, ids)),
        _ => pick_rev(rng, ids),
    }
}

fn random_command(rng: &mut fastrand::Rng, ids: &[String]) -> Value {
    match rng.u8(0..20) {
        0..=6 => json!({"op": "upgrade", "target": random_target(rng, ids)}),
        7..=12 => json!({"op": "downgrade", "target": random_target(rng, ids)}),
        13..=15 => {
            json!({"op": "stamp", "target": random_target(rng, ids), "purge": rng.u8(0..4) == 0})
        }
        16 | 17 => {
            let range = format!(
                "{}:{}",
                random_range_side(rng, ids),
                random_range_side(rng, ids)
            );
            json!({"op": "history", "range": range, "verbose": rng.u8(0..3) == 0})
        }
        18 => json!({"op": "current"}),
        _ => json!({"op": "heads", "verbose": rng.bool()}),
    }
}

/// Runs the driver on one request; returns one answer per command.
fn run_driver(request: &Value, cwd: &Path) -> Vec<Value> {
    common::require_venv();
    let driver = common::crate_dir().join("tests/oracle/alembic_driver.py");
    let mut child = Command::new(common::python())
        .arg(driver)
        .current_dir(cwd)
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the Alembic driver");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(request.to_string().as_bytes())
        .expect("send the request");
    let out = child.wait_with_output().expect("driver finishes");
    assert!(
        out.status.success(),
        "alembic_driver.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("driver prints JSON")
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Makes printed text comparable: file paths differ (`.py` vs `.sql`), and Alembic prints
/// `Branches into:` and `current`'s rows in hash order.
fn normalize(text: &str, sort_lines: bool) -> String {
    let mut lines: Vec<String> = text
        .lines()
        .map(|line| {
            if let Some(path) = line.strip_prefix("Path: ") {
                let name = path.rsplit('/').next().unwrap_or(path);
                format!(
                    "Path: {}",
                    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
                )
            } else if let Some(list) = line.strip_prefix("Branches into: ") {
                let mut ids: Vec<&str> = list.split(", ").collect();
                ids.sort();
                format!("Branches into: {}", ids.join(", "))
            } else {
                line.to_string()
            }
        })
        .collect();
    if sort_lines {
        lines.sort();
    }
    lines.join("\n").trim_end().to_string()
}

/// Alembic lists the ids of an overlap from a Python set; compare that list unordered.
fn set_order(message: &str) -> String {
    match message.split_once("other requested revisions ") {
        Some((head, list)) => {
            let mut ids: Vec<&str> = list.split(", ").collect();
            ids.sort();
            format!("{head}other requested revisions {}", ids.join(", "))
        }
        None => message.to_string(),
    }
}

/// What our side did for one command.
enum Ours {
    Plan {
        log: Vec<String>,
        after: Vec<String>,
    },
    Text(String),
    Refused(RevisionError),
}

fn run_ours(history: &History, command: &Value, before: &[String], db_url: &str) -> Ours {
    let op = command["op"].as_str().expect("op");
    let target = command["target"].as_str().unwrap_or_default();
    let verbose = command["verbose"].as_bool().unwrap_or(false);
    let plan = match op {
        "upgrade" => history.plan_upgrade(before, target),
        "downgrade" => history.plan_downgrade(before, target),
        "stamp" => {
            let purge = command["purge"].as_bool().unwrap_or(false);
            match command["target"].as_array() {
                Some(targets) => {
                    let targets: Vec<&str> = targets.iter().filter_map(Value::as_str).collect();
                    history.plan_stamp_many(before, &targets, purge)
                }
                None => history.plan_stamp(before, target, purge),
            }
        }
        _ => {
            let text = match op {
                "history" => {
                    let indicate = command["indicate_current"].as_bool().unwrap_or(false);
                    format::history(
                        history,
                        command["range"].as_str(),
                        verbose,
                        before,
                        indicate,
                    )
                }
                "current" => format::current(history, before, verbose, db_url),
                "heads" => Ok(format::heads(history, verbose)),
                other => panic!("unknown op {other}"),
            };
            return match text {
                Ok(text) => Ours::Text(text),
                Err(err) => Ours::Refused(err),
            };
        }
    };
    match plan {
        Ok(plan) => Ours::Plan {
            log: plan
                .steps
                .iter()
                .filter(|s| !s.log_line.is_empty())
                .map(|s| s.log_line.clone())
                .collect(),
            after: plan.versions_after,
        },
        Err(err) => Ours::Refused(err),
    }
}

/// Compares one command; `None` when both sides agree, else what differs.
fn compare(history: &History, command: &Value, answer: &Value, db_url: &str) -> Option<String> {
    let before = strings(&answer["before"]);
    let alembic_error = answer["error"].as_str();
    let ours = run_ours(history, command, &before, db_url);
    match (&ours, alembic_error) {
        (Ours::Refused(err), Some(theirs)) => {
            let is_command_error = answer["error_kind"].as_str() == Some("CommandError");
            match err.alembic_message() {
                Some(text) if is_command_error && set_order(&text) != set_order(theirs) => Some(
                    format!("both refuse, but Alembic says {theirs:?} and we say {text:?} ({err})"),
                ),
                _ => None,
            }
        }
        (Ours::Refused(err), None) => Some(format!(
            "we refuse ({err}) but Alembic succeeds: log {:?}, rows {:?}, output {:?}",
            answer["log"], answer["after"], answer["output"]
        )),
        (_, Some(theirs)) => Some(format!("Alembic refuses ({theirs}) but we succeed")),
        (Ours::Plan { log, after }, None) => {
            let theirs_log = strings(&answer["log"]);
            let mut theirs_rows = strings(&answer["after"]);
            let mut our_rows = after.clone();
            theirs_rows.sort();
            our_rows.sort();
            if *log != theirs_log {
                Some(format!(
                    "log differs:\n  alembic: {theirs_log:?}\n  ours:    {log:?}"
                ))
            } else if our_rows != theirs_rows {
                Some(format!(
                    "rows differ: alembic {theirs_rows:?}, ours {our_rows:?}"
                ))
            } else {
                None
            }
        }
        (Ours::Text(text), None) => {
            let sort = command["op"] == "current";
            let theirs = normalize(answer["output"].as_str().unwrap_or_default(), sort);
            let ours = normalize(text, sort);
            (theirs != ours)
                .then(|| format!("output differs:\n--- alembic\n{theirs}\n--- ours\n{ours}"))
        }
    }
}

fn describe(revisions: &[GenRevision]) -> String {
    revisions
        .iter()
        .map(|r| format!("{} <- [{}]", r.id, r.down.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// How much a run exercised: commands that ran steps, that Alembic refused, that printed text.
#[derive(Default, Clone, Copy)]
struct Coverage {
    commands: usize,
    with_steps: usize,
    refused: usize,
    /// Refusals by a Python exception other than `CommandError` (an Alembic assertion): only
    /// the fact of refusing is compared for those.
    uncommon: usize,
    printed: usize,
}

/// Runs one seeded history; returns the failure messages and what it covered.
fn check_seed(seed: u64, commands: usize) -> (Vec<String>, Coverage) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let revisions = random_history(&mut rng);
    let history = match our_history(&revisions) {
        Ok(history) => history,
        Err(err) => {
            let problem = format!("seed {seed}: our parser refused a valid history: {err}");
            return (vec![problem], Coverage::default());
        }
    };
    let ids: Vec<String> = revisions.iter().map(|r| r.id.clone()).collect();
    let commands: Vec<Value> = (0..commands)
        .map(|_| random_command(&mut rng, &ids))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("test.db");
    let request = json!({
        "dir": dir.path().join("project"),
        "db": db,
        "revisions": revisions.iter().map(|r| json!({
            "id": r.id, "down": r.down, "message": r.message, "date": DATE, "slug": r.slug
        })).collect::<Vec<_>>(),
        "commands": commands,
    });
    let answers = run_driver(&request, dir.path());
    let db_url = format!("sqlite:///{}", db.display());
    let coverage = Coverage {
        commands: answers.len(),
        with_steps: answers
            .iter()
            .filter(|a| !strings(&a["log"]).is_empty())
            .count(),
        refused: answers.iter().filter(|a| a["error"].is_string()).count(),
        uncommon: answers
            .iter()
            .filter(|a| a["error"].is_string() && a["error_kind"] != "CommandError")
            .count(),
        printed: answers
            .iter()
            .filter(|a| a["output"].as_str().is_some_and(|o| !o.is_empty()))
            .count(),
    };
    let failures = commands
        .iter()
        .zip(&answers)
        .filter_map(|(command, answer)| {
            compare(&history, command, answer, &db_url).map(|problem| {
                format!(
                    "seed {seed} (rerun: CONTENT_DB_SEED={seed}), history [{}], command {command} from rows {}: {problem}",
                    describe(&revisions),
                    answer["before"]
                )
            })
        })
        .collect();
    (failures, coverage)
}

#[test]
fn random_histories_match_alembic() {
    let commands = env_number("CONTENT_DB_COMMANDS", 12) as usize;
    let seeds: Vec<u64> = match std::env::var("CONTENT_DB_SEED") {
        Ok(seed) => vec![seed.parse().expect("CONTENT_DB_SEED is a number")],
        Err(_) => {
            let base = env_number("CONTENT_DB_SEED_BASE", 20_251_125);
            (0..env_number("CONTENT_DB_HISTORIES", 25))
                .map(|i| base + i)
                .collect()
        }
    };
    // Two histories at a time: the driver processes are the slow part.
    let mut failures: Vec<String> = Vec::new();
    let mut total = Coverage::default();
    for pair in seeds.chunks(2) {
        let handles: Vec<_> = pair
            .iter()
            .map(|&seed| std::thread::spawn(move || check_seed(seed, commands)))
            .collect();
        for handle in handles {
            let (problems, coverage) = handle.join().expect("seed thread");
            failures.extend(problems);
            total.commands += coverage.commands;
            total.with_steps += coverage.with_steps;
            total.refused += coverage.refused;
            total.uncommon += coverage.uncommon;
            total.printed += coverage.printed;
        }
    }
    eprintln!(
        "{} histories, {} commands: {} ran steps, {} refused by Alembic ({} not as CommandError), {} printed text",
        seeds.len(),
        total.commands,
        total.with_steps,
        total.refused,
        total.uncommon,
        total.printed
    );
    if seeds.len() > 1 {
        // Guards against a generator that stops exercising the interesting cases.
        assert!(
            total.with_steps * 5 >= total.commands,
            "too few commands ran steps"
        );
        assert!(total.refused * 20 >= total.commands, "too few refusals");
    }
    assert!(
        failures.is_empty(),
        "{} command(s) differ from Alembic:\n{}",
        failures.len(),
        failures
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

/// ContentEngine's history as our migration files, read from its Alembic scripts' docstrings.
fn contentengine_history() -> History {
    let versions = common::contentengine_dir().join("alembic/versions");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&versions).expect("ContentEngine's versions folder") {
        let path = entry.expect("dir entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("py") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read script");
        let doc = text.split("\"\"\"").nth(1).expect("module docstring");
        let field = |key: &str| -> String {
            doc.lines()
                .find_map(|line| line.strip_prefix(key))
                .map(|value| value.trim().to_string())
                .unwrap_or_default()
        };
        let message = doc.lines().next().unwrap_or_default().to_string();
        let after_date = doc
            .split_once("Create Date:")
            .map(|(_, rest)| rest)
            .unwrap_or_default();
        let description: Vec<String> = after_date
            .lines()
            .skip(1)
            .map(|line| {
                if line.is_empty() {
                    "--".to_string()
                } else {
                    format!("-- {line}")
                }
            })
            .collect();
        let description = description.join("\n");
        let description = description.trim_matches(|c| c == '-' || c == '\n' || c == ' ');
        let description = if description.is_empty() {
            String::new()
        } else {
            format!("--\n-- {description}\n")
        };
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name")
            .to_string();
        let sql = format!(
            "-- revision: {}\n-- down_revision: {}\n-- message: {message}\n-- create_date: {}\n{description}\n-- migrate:up\n\n-- migrate:down\n",
            field("Revision ID:"),
            field("Revises:"),
            field("Create Date:")
        );
        files.push((format!("migrations/{stem}.sql"), sql));
    }
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    History::from_files(&pairs).expect("ContentEngine's history parses")
}

/// The `v.db` commands of VERIFIED.txt, as `(args, expected lines)`.
fn verified_blocks() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(common::contentengine_dir().join("VERIFIED.txt"))
        .expect("VERIFIED.txt");
    let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            open = command.starts_with("alembic -x db=v.db ");
            if open {
                blocks.push((
                    command["alembic -x db=v.db ".len()..].to_string(),
                    Vec::new(),
                ));
            }
        } else if line.starts_with("## ") {
            open = false;
            if line.contains("data survives") {
                break;
            }
        } else if open {
            blocks
                .last_mut()
                .expect("open block")
                .1
                .push(line.to_string());
        }
    }
    for block in &mut blocks {
        while block.1.last().is_some_and(|l| l.is_empty()) {
            block.1.pop();
        }
    }
    blocks
}

#[test]
fn verified_transcript_replays() {
    let history = contentengine_history();
    let mut rows: Vec<String> = Vec::new();
    let mut checked = 0;
    for (args, expected) in verified_blocks() {
        let words: Vec<&str> = args.split_whitespace().collect();
        let mut expected_log = Vec::new();
        let mut expected_error = None;
        for line in &expected {
            if let Some(info) = line.strip_prefix("INFO  [alembic.runtime.migration] ") {
                expected_log.push(info.to_string());
            } else if let Some(failed) = line.strip_prefix("FAILED: ") {
                expected_error = Some(failed.to_string());
            }
        }
        if expected
            .first()
            .is_some_and(|line| line.starts_with("usage:"))
        {
            continue; // argparse's own error, before Alembic runs
        }
        let plan = match words.as_slice() {
            ["upgrade", target] => history.plan_upgrade(&rows, target),
            ["downgrade", target] => history.plan_downgrade(&rows, target),
            ["stamp", "--purge", target] => history.plan_stamp(&rows, target, true),
            ["stamp", target] => history.plan_stamp(&rows, target, false),
            _ => {
                let printed = match words.as_slice() {
                    ["current"] => {
                        format::current(&history, &rows, false, "v.db").expect("current")
                    }
                    ["heads"] => format::heads(&history, false),
                    ["history"] => {
                        format::history(&history, None, false, &rows, false).expect("history")
                    }
                    ["history", "--verbose", "-r", range] => {
                        format::history(&history, Some(range), true, &rows, false)
                            .expect("history -v")
                    }
                    _ => continue, // `check`
                };
                assert_eq!(
                    normalize(&printed, false),
                    normalize(&expected.join("\n"), false),
                    "`{args}`"
                );
                checked += 1;
                continue;
            }
        };
        match (plan, expected_error) {
            (Ok(plan), None) => {
                let log: Vec<String> = plan.steps.iter().map(|s| s.log_line.clone()).collect();
                assert_eq!(log, expected_log, "`{args}` from {rows:?}");
                rows = plan.versions_after;
            }
            (Err(err), Some(text)) => {
                assert_eq!(err.alembic_message(), Some(text), "`{args}` from {rows:?}");
            }
            (Ok(plan), Some(text)) => {
                panic!("`{args}` from {rows:?}: Alembic refused ({text}), we planned {plan:?}")
            }
            (Err(err), None) => {
                panic!("`{args}` from {rows:?}: Alembic succeeded, we refused: {err}")
            }
        }
        checked += 1;
    }
    assert!(
        checked >= 30,
        "only {checked} transcript commands were replayed"
    );
    assert!(rows.is_empty(), "the transcript ends after `stamp base`");
}

#[test]
fn contentengine_matches_alembic() {
    let history = contentengine_history();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("v.db");
    let commands: Vec<Value> = verified_blocks()
        .into_iter()
        .filter_map(|(args, _)| {
            let words: Vec<&str> = args.split_whitespace().collect();
            Some(match words.as_slice() {
                ["upgrade", target] => json!({"op": "upgrade", "target": target}),
                ["downgrade", target] => json!({"op": "downgrade", "target": target}),
                ["stamp", "--purge", target] => {
                    json!({"op": "stamp", "target": target, "purge": true})
                }
                ["stamp", target] => json!({"op": "stamp", "target": target}),
                ["current"] => json!({"op": "current"}),
                ["heads"] => json!({"op": "heads"}),
                ["history"] => json!({"op": "history"}),
                ["history", "--verbose", "-r", range] if !range.starts_with('-') => {
                    json!({"op": "history", "range": range, "verbose": true})
                }
                _ => return None,
            })
        })
        .collect();
    let ce = common::contentengine_dir();
    let request = json!({
        "ini": ce.join("alembic.ini"),
        "x": [format!("db={}", db.display())],
        "db": db,
        "commands": commands,
    });
    let answers = run_driver(&request, &ce);
    let db_url = format!("sqlite:///{}", db.display());
    let failures: Vec<String> = commands
        .iter()
        .zip(&answers)
        .filter_map(|(command, answer)| {
            compare(&history, command, answer, &db_url).map(|problem| {
                format!(
                    "ContentEngine, {command} from rows {}: {problem}",
                    answer["before"]
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(answers.len() >= 30);
}

#[test]
fn embedded_history_matches_contentengine() {
    let embedded = History::embedded().expect("embedded migrations parse");
    let reference = contentengine_history();
    let ids = |history: &History| -> Vec<String> {
        history.revisions().iter().map(|r| r.id.clone()).collect()
    };
    assert_eq!(
        ids(embedded),
        ids(&reference),
        "same revisions, same file order"
    );
    for revision in reference.revisions() {
        let ours = embedded.get(&revision.id).expect("same ids");
        assert_eq!(
            ours.down_revisions, revision.down_revisions,
            "{}",
            revision.id
        );
        assert_eq!(ours.longdoc(), revision.longdoc(), "{}", revision.id);
    }
    let verbose =
        |history: &History| format::history(history, None, true, &[], false).expect("history -v");
    assert_eq!(
        normalize(&verbose(embedded), false),
        normalize(&verbose(&reference), false)
    );
}
