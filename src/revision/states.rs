//! Every state a database can be in for a history (the candidates of baseline inference), how a
//! revision name resolves to one, and the path of plans from one state to another (for `diff`).
//! A state is the set of rows `alembic_version` holds: an antichain of the graph (no row is an
//! ancestor of another, which Alembic never records), or no rows at all (base).

use std::collections::HashSet;

use super::{History, Plan, RevisionError};

/// More candidate states than this are not listed (a wide history has exponentially many).
pub const MAX_STATES: usize = 512;

impl History {
    /// Every state of the history, at most [`MAX_STATES`]: base (no rows), each revision, and
    /// each set of revisions of which none is an ancestor of another (several branch heads
    /// applied). Listed furthest first (most revisions applied), so that of two states with the
    /// same schema (a merge and its parents) the one nearer the head comes first.
    pub fn states(&self) -> Vec<Vec<String>> {
        let ancestors: Vec<HashSet<usize>> = (0..self.revisions.len())
            .map(|position| self.ancestors(&[position]))
            .collect();
        let mut found: Vec<Vec<usize>> = vec![Vec::new()];
        let mut stack: Vec<Vec<usize>> = (0..self.revisions.len()).map(|r| vec![r]).collect();
        while let Some(state) = stack.pop() {
            if found.len() >= MAX_STATES {
                break;
            }
            let last = *state.last().expect("states on the stack are never empty");
            for next in last + 1..self.revisions.len() {
                let independent = state
                    .iter()
                    .all(|&r| !ancestors[r].contains(&next) && !ancestors[next].contains(&r));
                if independent {
                    let mut longer = state.clone();
                    longer.push(next);
                    stack.push(longer);
                }
            }
            found.push(state);
        }
        let applied = |state: &Vec<usize>| -> usize {
            let mut all = HashSet::new();
            for &r in state {
                all.extend(ancestors[r].iter().copied());
            }
            all.len()
        };
        // Stable: equal sizes keep file-name order.
        found.sort_by_key(|state| (std::cmp::Reverse(applied(state)), state.clone()));
        found
            .into_iter()
            .map(|state| state.iter().map(|&r| self.id(r).to_string()).collect())
            .collect()
    }

    /// The rows a database has after `alembic upgrade TARGET` from an empty one: `base` is no
    /// rows; `head`, `heads`, ids, prefixes and `REV+N` resolve as for `upgrade`.
    pub fn state_of(&self, target: &str) -> Result<Vec<String>, RevisionError> {
        if target.trim() == "base" {
            return Ok(Vec::new());
        }
        Ok(self.plan_upgrade(&[], target)?.versions_after)
    }

    /// The plans that take a database from the rows `from` to the rows `to`: a downgrade to the
    /// newest revisions both have in common (when `from` is not already there), then an upgrade
    /// to each row of `to`. When no downgrade leaves exactly the common revisions, the path goes
    /// through base, which is always possible. Plans with no steps are left out.
    pub fn plan_between(&self, from: &[String], to: &[String]) -> Result<Vec<Plan>, RevisionError> {
        let common = self.common_heads(from, to)?;
        let mut plans = Vec::new();
        let mut rows = from.to_vec();
        if !same_set(&rows, &common) {
            let mut down = None;
            for target in common.iter().map(String::as_str).chain(["base"]) {
                if let Ok(plan) = self.plan_downgrade(&rows, target) {
                    if same_set(&plan.versions_after, &common) || target == "base" {
                        down = Some(plan);
                        break;
                    }
                }
            }
            let down = match down {
                Some(plan) => plan,
                None => self.plan_downgrade(&rows, "base")?,
            };
            rows = down.versions_after.clone();
            plans.push(down);
        }
        for target in to {
            if rows.contains(target) {
                continue;
            }
            let up = self.plan_upgrade(&rows, target)?;
            rows = up.versions_after.clone();
            plans.push(up);
        }
        plans.retain(|plan| !plan.steps.is_empty());
        Ok(plans)
    }

    /// The newest revisions that are ancestors (or members) of both states, in file-name order.
    fn common_heads(&self, from: &[String], to: &[String]) -> Result<Vec<String>, RevisionError> {
        let positions = |rows: &[String]| -> Result<Vec<usize>, RevisionError> {
            rows.iter()
                .map(|id| {
                    self.index
                        .get(id)
                        .copied()
                        .ok_or_else(|| RevisionError::UnknownRevision { target: id.clone() })
                })
                .collect()
        };
        let below_from = self.ancestors(&positions(from)?);
        let below_to = self.ancestors(&positions(to)?);
        let common: HashSet<usize> = below_from.intersection(&below_to).copied().collect();
        let mut heads: Vec<usize> = common
            .iter()
            .copied()
            .filter(|&r| !self.children[r].iter().any(|c| common.contains(c)))
            .collect();
        heads.sort_unstable();
        Ok(heads.into_iter().map(|r| self.id(r).to_string()).collect())
    }
}

/// Whether two row lists hold the same revisions, in any order.
fn same_set(left: &[String], right: &[String]) -> bool {
    let left: HashSet<&String> = left.iter().collect();
    let right: HashSet<&String> = right.iter().collect();
    left == right
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::contentengine;
    use super::*;

    fn rows(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn states_are_antichains_furthest_first() {
        let history = contentengine();
        let states = history.states();
        // 7 single revisions, base, and the two branch heads together.
        assert_eq!(states.len(), 9, "{states:?}");
        assert_eq!(states[0], rows(&["0a6c9e3f5b71"]));
        assert_eq!(states.last(), Some(&Vec::new()));
        assert!(states.contains(&rows(&["c3e7a1d9f482", "d5f0b2c8e614"])));
        let merge = states.iter().position(|s| s == &rows(&["e9a4c6b1d358"]));
        let pair = states
            .iter()
            .position(|s| s == &rows(&["c3e7a1d9f482", "d5f0b2c8e614"]));
        assert!(merge < pair, "the merge comes before its two parents");
    }

    #[test]
    fn state_of_names() {
        let history = contentengine();
        assert_eq!(
            history.state_of("base").expect("base"),
            Vec::<String>::new()
        );
        assert_eq!(
            history.state_of("head").expect("head"),
            rows(&["0a6c9e3f5b71"])
        );
        assert_eq!(
            history.state_of("b81d").expect("prefix"),
            rows(&["b81d3e5f0a27"])
        );
        assert!(history.state_of("zzzz").is_err());
    }

    fn walk(history: &History, from: &[String], to: &[String]) -> Vec<String> {
        let plans = history.plan_between(from, to).expect("a path");
        let mut at = from.to_vec();
        for plan in &plans {
            assert_eq!(plan.versions_before, at);
            at = plan.versions_after.clone();
        }
        at.sort();
        at
    }

    #[test]
    fn paths_between_states_end_where_asked() {
        let history = contentengine();
        let all = history.states();
        for from in &all {
            for to in &all {
                let mut want = to.clone();
                want.sort();
                assert_eq!(walk(&history, from, to), want, "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn sibling_branches_go_through_the_branchpoint() {
        let history = contentengine();
        let plans = history
            .plan_between(&rows(&["c3e7a1d9f482"]), &rows(&["d5f0b2c8e614"]))
            .expect("path");
        assert_eq!(plans.len(), 2);
        assert_eq!(plans[0].versions_after, rows(&["b81d3e5f0a27"]));
        assert_eq!(plans[1].steps.len(), 1);
    }
}
