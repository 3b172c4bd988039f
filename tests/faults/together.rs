//! Two and three writing commands started at once on one file: they take SQLite's write lock one
//! after the other (or one is refused with the "being written by another program" message), and
//! the file ends exactly as some one-after-the-other order of the commands that ran would leave
//! it, with the same exit codes. The case: `upgrade head` and `stamp e9a4c6b1d358`
//! together, where the stamp's effect used to be lost while both exited 0.

use std::collections::HashSet;
use std::path::Path;

use crate::support::*;

/// The refusal a command waiting past the busy timeout gets.
const REFUSED: &str = "is being written by another program";

/// Every order of `items`.
fn orders(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for (at, first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(at);
        for mut order in orders(&rest) {
            order.insert(0, *first);
            all.push(order);
        }
    }
    all
}

/// The (exit codes in command order, fingerprint) of running `ran` of `commands` one after the
/// other in every order, each on a fresh copy of the generated file.
fn serial_outcomes(dir: &Path, commands: &[&[&str]], ran: &[usize]) -> HashSet<(Vec<i32>, u64)> {
    let mut outcomes = HashSet::new();
    for (n, order) in orders(ran).into_iter().enumerate() {
        let db = generated_db(dir, &format!("serial-{n}.db"));
        let mut codes = vec![0; commands.len()];
        for &index in &order {
            let (_, finished) = timed(&db, commands[index]);
            codes[index] = finished.code;
        }
        outcomes.insert((ran.iter().map(|&i| codes[i]).collect(), fingerprint(&db)));
    }
    outcomes
}

fn at_once(commands: &[&[&str]], trials: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let everyone: Vec<usize> = (0..commands.len()).collect();
    let all_ran = serial_outcomes(dir.path(), commands, &everyone);
    for trial in 0..trials {
        let db = generated_db(dir.path(), &format!("together-{trial}.db"));
        let children: Vec<_> = commands.iter().map(|args| spawn(&db, args)).collect();
        let finished: Vec<Finished> = children.into_iter().map(finish).collect();
        let ran: Vec<usize> = everyone
            .iter()
            .copied()
            .filter(|&i| !finished[i].stderr.contains(REFUSED))
            .collect();
        for (i, done) in finished.iter().enumerate() {
            if !ran.contains(&i) {
                assert_eq!(done.code, 1, "a refused command exits 1: {done:?}");
            }
        }
        let codes: Vec<i32> = ran.iter().map(|&i| finished[i].code).collect();
        let outcome = (codes, fingerprint(&db));
        let possible = if ran.len() == commands.len() {
            all_ran.clone()
        } else {
            serial_outcomes(dir.path(), commands, &ran)
        };
        assert!(
            possible.contains(&outcome),
            "trial {trial}: {commands:?} at once ended in a state no one-after-the-other order \
             gives: {finished:#?}"
        );
    }
}

#[test]
fn upgrade_and_stamp_at_once_end_as_one_after_the_other() {
    at_once(&[&["upgrade", "head"], &["stamp", "e9a4c6b1d358"]], 6);
}

#[test]
fn three_commands_at_once_end_as_one_after_the_other() {
    at_once(
        &[
            &["upgrade", "head"],
            &["stamp", "e9a4c6b1d358"],
            &["downgrade", "-1"],
        ],
        4,
    );
}
