//! A plan: the ordered steps from a database's current revisions to a target, with the exact
//! `alembic_version` changes Alembic makes at each step. The planning follows Alembic's
//! `_collect_upgrade_revisions`, `_collect_downgrade_revisions` and `_stamp_revs`.

/// Which way a step goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Direction {
    /// Runs the revision's upgrade section.
    Upgrade,
    /// Runs the revision's downgrade section.
    Downgrade,
}

/// One change to the rows of `alembic_version`, in Alembic's own terms (rows are updated in
/// place where Alembic updates them, so their order matches a file Alembic wrote).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum VersionOp {
    /// `INSERT INTO alembic_version (version_num) VALUES (id)`.
    Insert(String),
    /// `DELETE FROM alembic_version WHERE version_num = id`.
    Delete(String),
    /// `UPDATE alembic_version SET version_num = to WHERE version_num = from`.
    Update {
        /// The row that is replaced.
        from: String,
        /// Its new value.
        to: String,
    },
}

/// One migration to run (or, for a stamp, only version rows to change).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    /// The revision whose section runs.
    pub revision: String,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// Run the SQL of the section (false for a stamp: only `version_ops` apply).
    pub run_sql: bool,
    /// The `alembic_version` changes made in the same transaction as the SQL.
    pub version_ops: Vec<VersionOp>,
    /// Alembic's log line for it, e.g. `Running upgrade 4f2a9c1e7b3d -> b81d3e5f0a27, add users and sessions`.
    /// Empty only for the bookkeeping step of `stamp --purge` that Alembic does not log.
    pub log_line: String,
}

/// Ordered steps from `versions_before` to `versions_after`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    /// The steps, in the order Alembic runs them.
    pub steps: Vec<Step>,
    /// `alembic_version` rows before the first step.
    pub versions_before: Vec<String>,
    /// `alembic_version` rows after the last step.
    pub versions_after: Vec<String>,
}

use std::collections::HashSet;

use super::maintainer::{Maintainer, Move};
use super::target::{parse_relative, Spec};
use super::{History, RevisionError};

impl History {
    /// The steps of `alembic upgrade TARGET` from the `current` rows of `alembic_version`.
    pub fn plan_upgrade(&self, current: &[String], target: &str) -> Result<Plan, RevisionError> {
        check_plain_target(target)?;
        let (needs, targets) = self
            .collect_upgrade(
                &Spec::Str(target.into()),
                &Spec::Rows(current.to_vec()),
                false,
                true,
                true,
                "upgrade",
            )
            .map_err(|err| destination_error(err, target, true))?;
        let mut order = self.topological_sort(&needs, &targets);
        // Alembic sorts newest first and runs the list backwards for an upgrade.
        order.reverse();
        let moves = order.into_iter().map(|position| Move::Revision {
            position,
            upgrade: true,
        });
        self.run_moves(current, moves.collect(), Vec::new())
    }

    /// The steps of `alembic downgrade TARGET` from the `current` rows of `alembic_version`;
    /// refused when a step would run a downgrade its file marks irreversible.
    pub fn plan_downgrade(&self, current: &[String], target: &str) -> Result<Plan, RevisionError> {
        let plan = self.plan_downgrade_regardless(current, target)?;
        for step in plan.steps.iter().filter(|step| step.run_sql) {
            let Some(revision) = self.get(&step.revision) else {
                continue;
            };
            if let Some(reason) = revision.irreversible() {
                return Err(RevisionError::Irreversible {
                    revision: revision.id.clone(),
                    file: revision.path.clone(),
                    reason: reason.to_string(),
                });
            }
        }
        Ok(plan)
    }

    /// [`History::plan_downgrade`] without the irreversible check: the steps Alembic would take
    /// (the importer compares them with Alembic's own walk).
    pub(crate) fn plan_downgrade_regardless(
        &self,
        current: &[String],
        target: &str,
    ) -> Result<Plan, RevisionError> {
        check_plain_target(target)?;
        let (todo, heads) = self
            .collect_downgrade(current, target)
            .map_err(|err| destination_error(err, target, false))?;
        let order = self.topological_sort(&todo, &heads);
        let moves = order.into_iter().map(|position| Move::Revision {
            position,
            upgrade: false,
        });
        self.run_moves(current, moves.collect(), Vec::new())
    }

    /// Alembic's warning for `downgrade -N` while several revisions are applied (it proceeds
    /// from the first row); `None` when there is nothing to warn about.
    pub fn downgrade_warning(&self, current: &[String], target: &str) -> Option<String> {
        let distinct: HashSet<&String> = current.iter().collect();
        let bare_relative = parse_relative(target)
            .is_some_and(|relative| relative.symbol.is_none() && relative.steps < 0);
        (bare_relative && distinct.len() > 1).then(|| {
            format!(
                "downgrade {target} from multiple heads is ambiguous; this usage will be \
                 disallowed in a future release. (Alembic rolls back the branch of {}, the first \
                 row; type `downgrade <revision>` to choose.)",
                current[0]
            )
        })
    }

    /// `alembic stamp [--purge] TARGET`: version rows only, no SQL runs.
    pub fn plan_stamp(
        &self,
        current: &[String],
        target: &str,
        purge: bool,
    ) -> Result<Plan, RevisionError> {
        self.plan_stamp_many(current, &[target], purge)
    }

    /// `alembic stamp [--purge] TARGET...` with several targets (e.g. two branch heads).
    ///
    /// With `purge`, the first step's `version_ops` start by deleting every current row (Alembic
    /// empties the table before stamping); when the stamp itself has no steps, a bookkeeping
    /// step with an empty `log_line` (Alembic logs nothing for it) carries those deletes.
    pub fn plan_stamp_many(
        &self,
        current: &[String],
        targets: &[&str],
        purge: bool,
    ) -> Result<Plan, RevisionError> {
        for target in targets {
            if target.contains('@') {
                return Err(RevisionError::BranchLabelsUnsupported {
                    target: target.to_string(),
                });
            }
        }
        let heads: Vec<String> = if purge { Vec::new() } else { current.to_vec() };
        let moves = self.stamp_moves(&heads, targets).map_err(|err| match err {
            RevisionError::MultipleHeads {
                argument, heads, ..
            } => RevisionError::MultipleHeads {
                argument,
                heads,
                stamp: true,
            },
            other => other,
        })?;
        let purge_ops: Vec<VersionOp> = if purge {
            current
                .iter()
                .map(|row| VersionOp::Delete(row.clone()))
                .collect()
        } else {
            Vec::new()
        };
        let mut plan = self.run_moves(&heads, moves, purge_ops.clone())?;
        plan.versions_before = current.to_vec();
        if purge && plan.steps.is_empty() && !purge_ops.is_empty() {
            plan.steps.push(Step {
                revision: String::new(),
                direction: Direction::Downgrade,
                run_sql: false,
                version_ops: purge_ops,
                log_line: String::new(),
            });
        }
        Ok(plan)
    }

    /// Turns moves into steps, tracking the rows as Alembic's `HeadMaintainer` does.
    fn run_moves(
        &self,
        current: &[String],
        moves: Vec<Move>,
        mut first_ops: Vec<VersionOp>,
    ) -> Result<Plan, RevisionError> {
        // Alembic resolves every row before it plans; an unknown row is refused here too.
        self.resolve_rows(current)?;
        let mut maintainer = Maintainer::new(self, current.to_vec());
        let mut steps = Vec::new();
        for step in moves {
            let mut version_ops = std::mem::take(&mut first_ops);
            version_ops.extend(maintainer.update_to_step(&step)?);
            steps.push(self.step_for(&step, version_ops));
        }
        Ok(Plan {
            steps,
            versions_before: current.to_vec(),
            versions_after: maintainer.rows,
        })
    }

    /// The [`Step`] of a move, with Alembic's log line.
    fn step_for(&self, step: &Move, version_ops: Vec<VersionOp>) -> Step {
        match step {
            Move::Revision { position, upgrade } => {
                let revision = self.at(*position);
                let downs = revision.down_revisions.join(", ");
                let (name, from, to) = if *upgrade {
                    ("upgrade", downs, revision.id.clone())
                } else {
                    ("downgrade", revision.id.clone(), downs)
                };
                let doc = revision.doc();
                let log_line = if doc.is_empty() {
                    format!("Running {name} {from} -> {to}")
                } else {
                    format!("Running {name} {from} -> {to}, {doc}")
                };
                Step {
                    revision: revision.id.clone(),
                    direction: if *upgrade {
                        Direction::Upgrade
                    } else {
                        Direction::Downgrade
                    },
                    run_sql: true,
                    version_ops,
                    log_line,
                }
            }
            Move::Stamp {
                from, to, upgrade, ..
            } => Step {
                // A stamp runs no section; `revision` names where it goes (or, down to base,
                // the row it removes).
                revision: to.first().or(from.first()).cloned().unwrap_or_default(),
                direction: if *upgrade {
                    Direction::Upgrade
                } else {
                    Direction::Downgrade
                },
                run_sql: false,
                version_ops,
                log_line: format!(
                    "Running stamp_revision {} -> {}",
                    from.join(", "),
                    to.join(", ")
                ),
            },
        }
    }
}

/// Refuses ranges and branch labels, which only `--sql` / labelled histories use.
fn check_plain_target(target: &str) -> Result<(), RevisionError> {
    if target.contains(':') {
        return Err(RevisionError::RangeNotAllowed {
            target: target.into(),
        });
    }
    if target.contains('@') {
        return Err(RevisionError::BranchLabelsUnsupported {
            target: target.into(),
        });
    }
    Ok(())
}

/// Words errors as Alembic's `_upgrade_revs` / `_downgrade_revs` do: a range error names the
/// destination, and `head` errors name the argument as typed.
fn destination_error(err: RevisionError, target: &str, upgrade: bool) -> RevisionError {
    match err {
        RevisionError::RangeNotAncestor { .. } if upgrade => RevisionError::NotUpgradeTarget {
            target: target.into(),
        },
        RevisionError::RangeNotAncestor { .. } => RevisionError::NotDowngradeTarget {
            target: target.into(),
        },
        RevisionError::MultipleHeads { heads, stamp, .. } => RevisionError::MultipleHeads {
            argument: target.into(),
            heads,
            stamp,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{contentengine, rev, two_heads};
    use super::super::Revision;
    use super::*;
    use proptest::prelude::*;

    fn rows(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_downgrade_marked_irreversible_is_refused_by_name_and_only_past_it() {
        let mut middle = rev("v2.0.a", &["v1.0.a"]);
        middle.downgrade_sql =
            "-- irreversible: its downgrade raises in Alembic (NotImplementedError)".into();
        let history =
            History::from_revisions(vec![rev("v1.0.a", &[]), middle, rev("v3.0.a", &["v2.0.a"])])
                .expect("history");
        let at_head = rows(&["v3.0.a"]);
        let one = history
            .plan_downgrade(&at_head, "v2.0.a")
            .expect("above it is fine");
        assert_eq!(one.versions_after, rows(&["v2.0.a"]));
        for target in ["base", "v1.0.a", "-2"] {
            let error = history.plan_downgrade(&at_head, target).expect_err(target);
            assert_eq!(
                error.to_string(),
                "cannot downgrade revision v2.0.a: migrations/v2.0.a_rev.sql marks its downgrade \
                 irreversible (its downgrade raises in Alembic (NotImplementedError)). Downgrade \
                 no further than v2.0.a, or restore a copy of the database made before it was upgraded"
            );
        }
        let regardless = history
            .plan_downgrade_regardless(&at_head, "base")
            .expect("the steps Alembic takes");
        assert_eq!(regardless.steps.len(), 3);
        assert!(
            history.plan_between(&at_head, &[]).is_err(),
            "no way down past it"
        );
        assert_eq!(
            history.plan_upgrade(&[], "heads").expect("up").steps.len(),
            3,
            "upgrades are untouched"
        );
    }

    fn log(plan: &Plan) -> Vec<&str> {
        plan.steps.iter().map(|s| s.log_line.as_str()).collect()
    }

    const UPGRADE_HEAD: [&str; 7] = [
        "Running upgrade  -> 4f2a9c1e7b3d, initial posts and oauth tokens",
        "Running upgrade 4f2a9c1e7b3d -> b81d3e5f0a27, add users and sessions",
        "Running upgrade b81d3e5f0a27 -> d5f0b2c8e614, add oauth token owner",
        "Running upgrade b81d3e5f0a27 -> c3e7a1d9f482, add user ownership to posts",
        "Running upgrade c3e7a1d9f482, d5f0b2c8e614 -> e9a4c6b1d358, merge heads",
        "Running upgrade e9a4c6b1d358 -> f17b8d2e4c90, add chat messages",
        "Running upgrade f17b8d2e4c90 -> 0a6c9e3f5b71, add scheduled status",
    ];

    const DOWNGRADE_BASE: [&str; 7] = [
        "Running downgrade 0a6c9e3f5b71 -> f17b8d2e4c90, add scheduled status",
        "Running downgrade f17b8d2e4c90 -> e9a4c6b1d358, add chat messages",
        "Running downgrade e9a4c6b1d358 -> c3e7a1d9f482, d5f0b2c8e614, merge heads",
        "Running downgrade c3e7a1d9f482 -> b81d3e5f0a27, add user ownership to posts",
        "Running downgrade d5f0b2c8e614 -> b81d3e5f0a27, add oauth token owner",
        "Running downgrade b81d3e5f0a27 -> 4f2a9c1e7b3d, add users and sessions",
        "Running downgrade 4f2a9c1e7b3d -> , initial posts and oauth tokens",
    ];

    #[test]
    fn upgrade_head_from_empty_runs_d5f0_before_c3e7() {
        let plan = contentengine().plan_upgrade(&[], "head").expect("plan");
        assert_eq!(log(&plan), UPGRADE_HEAD);
        assert_eq!(plan.versions_after, rows(&["0a6c9e3f5b71"]));
        let ops: Vec<&Vec<VersionOp>> = plan.steps.iter().map(|s| &s.version_ops).collect();
        assert_eq!(ops[0], &vec![VersionOp::Insert("4f2a9c1e7b3d".into())]);
        // d5f0 updates the branchpoint row in place; c3e7 then starts a second row.
        assert_eq!(
            ops[2],
            &vec![VersionOp::Update {
                from: "b81d3e5f0a27".into(),
                to: "d5f0b2c8e614".into()
            }]
        );
        assert_eq!(ops[3], &vec![VersionOp::Insert("c3e7a1d9f482".into())]);
        assert_eq!(
            ops[4],
            &vec![
                VersionOp::Delete("c3e7a1d9f482".into()),
                VersionOp::Update {
                    from: "d5f0b2c8e614".into(),
                    to: "e9a4c6b1d358".into()
                }
            ]
        );
        assert!(plan
            .steps
            .iter()
            .all(|s| s.run_sql && s.direction == Direction::Upgrade));
    }

    #[test]
    fn downgrade_base_runs_c3e7_before_d5f0_and_empties_the_table() {
        let plan = contentengine()
            .plan_downgrade(&rows(&["0a6c9e3f5b71"]), "base")
            .expect("plan");
        assert_eq!(log(&plan), DOWNGRADE_BASE);
        assert!(plan.versions_after.is_empty());
        assert_eq!(
            plan.steps[2].version_ops,
            vec![
                VersionOp::Insert("c3e7a1d9f482".into()),
                VersionOp::Update {
                    from: "e9a4c6b1d358".into(),
                    to: "d5f0b2c8e614".into()
                }
            ]
        );
        assert_eq!(
            plan.steps[3].version_ops,
            vec![VersionOp::Delete("c3e7a1d9f482".into())]
        );
        assert_eq!(
            plan.steps[6].version_ops,
            vec![VersionOp::Delete("4f2a9c1e7b3d".into())]
        );
    }

    #[test]
    fn verified_sequence_with_two_branch_heads() {
        let h = contentengine();
        let plan = h.plan_upgrade(&[], "c3e7a1d9f482").expect("to c3e7");
        assert_eq!(plan.versions_after, rows(&["c3e7a1d9f482"]));
        let plan = h
            .plan_upgrade(&plan.versions_after, "d5f0b2c8e614")
            .expect("to d5f0");
        assert_eq!(
            log(&plan),
            vec!["Running upgrade b81d3e5f0a27 -> d5f0b2c8e614, add oauth token owner"]
        );
        let both = plan.versions_after.clone();
        assert_eq!(both, rows(&["c3e7a1d9f482", "d5f0b2c8e614"]));
        let err = h.plan_upgrade(&both, "+1").expect_err("ambiguous");
        assert_eq!(
            err.alembic_message().as_deref(),
            Some("Ambiguous upgrade from multiple current revisions")
        );
        let warning = h
            .downgrade_warning(&both, "-1")
            .expect("Alembic warns here");
        assert!(warning.starts_with(
            "downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release."
        ));
        assert!(h.downgrade_warning(&both, "c3e7-1").is_none());
        assert!(h.downgrade_warning(&both[..1], "-1").is_none());
        let plan = h.plan_downgrade(&both, "-1").expect("warns and proceeds");
        assert_eq!(
            log(&plan),
            vec!["Running downgrade c3e7a1d9f482 -> b81d3e5f0a27, add user ownership to posts"]
        );
        assert_eq!(plan.versions_after, rows(&["d5f0b2c8e614"]));
        let plan = h
            .plan_upgrade(&plan.versions_after, "heads")
            .expect("heads");
        assert_eq!(log(&plan), UPGRADE_HEAD[3..].to_vec());
        let plan = h.plan_upgrade(&[], "+2").expect("+2");
        assert_eq!(plan.versions_after, rows(&["b81d3e5f0a27"]));
        assert!(h
            .plan_upgrade(&plan.versions_after, "4f")
            .expect("no-op")
            .steps
            .is_empty());
    }

    #[test]
    fn stamps_log_like_alembic() {
        let h = contentengine();
        let plan = h
            .plan_stamp(&rows(&["b81d3e5f0a27"]), "head", false)
            .expect("stamp head");
        assert_eq!(
            log(&plan),
            vec!["Running stamp_revision b81d3e5f0a27 -> 0a6c9e3f5b71"]
        );
        assert!(!plan.steps[0].run_sql);
        let plan = h
            .plan_stamp(&rows(&["0a6c9e3f5b71"]), "f17b8d2e4c90", true)
            .expect("purge");
        assert_eq!(log(&plan), vec!["Running stamp_revision  -> f17b8d2e4c90"]);
        assert_eq!(
            plan.steps[0].version_ops,
            vec![
                VersionOp::Delete("0a6c9e3f5b71".into()),
                VersionOp::Insert("f17b8d2e4c90".into())
            ]
        );
        let plan = h
            .plan_stamp(&rows(&["f17b8d2e4c90"]), "base", false)
            .expect("base");
        assert_eq!(log(&plan), vec!["Running stamp_revision f17b8d2e4c90 -> "]);
        assert!(plan.versions_after.is_empty());
        let plan = h
            .plan_stamp(&rows(&["c3e7a1d9f482", "d5f0b2c8e614"]), "b81d", false)
            .expect("merge");
        assert_eq!(
            log(&plan),
            vec!["Running stamp_revision c3e7a1d9f482, d5f0b2c8e614 -> b81d3e5f0a27"]
        );
        assert_eq!(plan.versions_after, rows(&["b81d3e5f0a27"]));
        let plan = h
            .plan_stamp(&rows(&["zzzz"]), "base", true)
            .expect("purge an unknown row");
        assert_eq!(plan.steps.len(), 1);
        assert_eq!(
            plan.steps[0].version_ops,
            vec![VersionOp::Delete("zzzz".into())]
        );
        assert!(plan.versions_after.is_empty());
    }

    #[test]
    fn refusals_are_pinned() {
        let h = contentengine();
        let at = |ids: &[&str]| rows(ids);
        let cases: Vec<(&str, RevisionError)> = vec![
            (
                "ambiguous_walk",
                h.plan_upgrade(&at(&["b81d3e5f0a27"]), "+1")
                    .expect_err("walk"),
            ),
            (
                "ambiguous_walk_far",
                h.plan_upgrade(&at(&["b81d3e5f0a27"]), "+20")
                    .expect_err("walk"),
            ),
            (
                "ambiguous_upgrade",
                h.plan_upgrade(&at(&["c3e7a1d9f482", "d5f0b2c8e614"]), "+1")
                    .expect_err("multi"),
            ),
            (
                "relative_at_base",
                h.plan_downgrade(&[], "-1").expect_err("base"),
            ),
            (
                "relative_past_head",
                h.plan_upgrade(&at(&["0a6c9e3f5b71"]), "+1")
                    .expect_err("head"),
            ),
            (
                "unknown_target",
                h.plan_upgrade(&[], "zzzz").expect_err("zzzz"),
            ),
            (
                "unknown_row",
                h.plan_upgrade(&at(&["abc123abc123"]), "head")
                    .expect_err("row"),
            ),
            (
                "multiple_heads",
                two_heads().plan_upgrade(&[], "head").expect_err("head"),
            ),
            (
                "stamp_multiple_heads",
                two_heads()
                    .plan_stamp(&[], "head", false)
                    .expect_err("head"),
            ),
            (
                "not_downgrade_target",
                h.plan_downgrade(&at(&["b81d3e5f0a27"]), "0a6c")
                    .expect_err("ahead"),
            ),
            (
                "unknown_anchor",
                h.plan_upgrade(&at(&["0a6c9e3f5b71"]), "mystery-1")
                    .expect_err("x"),
            ),
            (
                "walked_too_far",
                h.plan_downgrade(&at(&["0a6c9e3f5b71"]), "4f2a-2")
                    .expect_err("far"),
            ),
            (
                "mergepoint_walk",
                h.plan_downgrade(&at(&["0a6c9e3f5b71"]), "e9a4-1")
                    .expect_err("merge"),
            ),
            (
                "range",
                h.plan_upgrade(&[], "base:head").expect_err("range"),
            ),
        ];
        let prefix = History::from_revisions(vec![rev("abcd1", &[]), rev("abcd2", &["abcd1"])])
            .expect("valid");
        let ambiguous = prefix.plan_upgrade(&[], "abc").expect_err("prefix");
        let mut text = String::new();
        for (name, err) in cases.iter().chain([("ambiguous_prefix", ambiguous)].iter()) {
            text.push_str(&format!(
                "{name}\n  alembic: {:?}\n  ours:    {err}\n",
                err.alembic_message()
            ));
        }
        insta::assert_snapshot!("plan_refusals", text);
    }

    /// A random well-formed history: each revision revises one or two earlier ones (or none).
    fn arb_history() -> impl Strategy<Value = History> {
        proptest::collection::vec((any::<bool>(), any::<u16>(), any::<u16>()), 1..14).prop_map(
            |shape| {
                let mut revisions: Vec<Revision> = Vec::new();
                for (index, (merge, a, b)) in shape.iter().enumerate() {
                    let id = format!("r{index:02}x{:04x}", a);
                    let downs: Vec<String> = if index == 0 || (*a % 7 == 0) {
                        Vec::new()
                    } else {
                        let first = revisions[*a as usize % index].id.clone();
                        let second: &Revision = &revisions[*b as usize % index];
                        if *merge && second.id != first {
                            vec![first, second.id.clone()]
                        } else {
                            vec![first]
                        }
                    };
                    let down_refs: Vec<&str> = downs.iter().map(String::as_str).collect();
                    revisions.push(rev(&id, &down_refs));
                }
                History::from_revisions(revisions).expect("earlier parents only: acyclic")
            },
        )
    }

    proptest! {
        #[test]
        fn upgrade_heads_then_downgrade_base_round_trips(history in arb_history(), targets in proptest::collection::vec(0usize..40, 0..6)) {
            let all = history.plan_upgrade(&[], "heads").expect("upgrade heads always works");
            let mut heads: Vec<String> = history.heads().iter().map(|r| r.id.clone()).collect();
            let mut after = all.versions_after.clone();
            heads.sort();
            after.sort();
            prop_assert_eq!(&after, &heads);
            prop_assert_eq!(all.steps.len(), history.revisions().len());
            let back = history.plan_downgrade(&all.versions_after, "base").expect("downgrade base always works");
            prop_assert!(back.versions_after.is_empty());
            prop_assert_eq!(back.steps.len(), history.revisions().len());
            // Random targets never panic, whatever they resolve to.
            let mut current = Vec::new();
            for pick in targets {
                let ids: Vec<String> = history.revisions().iter().map(|r| r.id.clone()).collect();
                let target = match pick % 8 {
                    0 => "heads".to_string(),
                    1 => "base".to_string(),
                    2 => "+1".to_string(),
                    3 => "-1".to_string(),
                    _ => ids[pick % ids.len()].clone(),
                };
                let result = match pick % 3 {
                    0 => history.plan_upgrade(&current, &target),
                    1 => history.plan_downgrade(&current, &target),
                    _ => history.plan_stamp(&current, &target, false),
                };
                if let Ok(plan) = result {
                    current = plan.versions_after;
                }
            }
        }
    }
}
