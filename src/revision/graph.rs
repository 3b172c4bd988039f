//! Walks over the revision DAG, ported from the rules of Alembic's `RevisionMap`
//! (`_iterate_related_revisions`, `_topological_sort`, `_detect_cycles`): ancestors,
//! descendants, overlap checks and the order in which Alembic runs a set of revisions.

use std::collections::HashSet;

use super::{History, RevisionError};

impl History {
    /// Alembic's `_iterate_related_revisions`: a depth-first walk from each target along
    /// `parents` (ancestors) or `children` (descendants), each node once, targets included.
    /// With `check`, a target whose walk reaches another target is refused, as Alembic does.
    pub(super) fn related(
        &self,
        targets: &[usize],
        towards_parents: bool,
        check: bool,
    ) -> Result<Vec<usize>, RevisionError> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for &target in targets {
            let mut todo = vec![target];
            let mut per_target = HashSet::new();
            while let Some(node) = todo.pop() {
                per_target.insert(node);
                if !seen.insert(node) {
                    continue;
                }
                let next = if towards_parents {
                    &self.parents[node]
                } else {
                    &self.children[node]
                };
                todo.extend(next.iter().copied());
                out.push(node);
            }
            if check {
                // Alembic intersects sets here, so each other revision is named once.
                let mut others: Vec<String> = Vec::new();
                for &other in targets {
                    let id = self.id(other).to_string();
                    if other != target && per_target.contains(&other) && !others.contains(&id) {
                        others.push(id);
                    }
                }
                if !others.is_empty() {
                    return Err(RevisionError::Overlap {
                        revision: self.id(target).to_string(),
                        others,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Two rows of `alembic_version` of which one is an ancestor of the other, as
    /// `(ancestor, descendant)`; `None` when the rows are consistent. A database is at several
    /// revisions only while they are the heads of separate branches: an ancestor beside its
    /// descendant is left over from an interrupted or hand-made change. Rows unknown to the
    /// history and duplicate rows are not judged here.
    pub fn overlapping_rows(&self, rows: &[String]) -> Option<(String, String)> {
        let known: Vec<usize> = rows
            .iter()
            .filter_map(|row| self.index.get(row).copied())
            .collect();
        for &descendant in &known {
            let below = self.ancestors(&[descendant]);
            if let Some(&ancestor) = known
                .iter()
                .find(|&&other| other != descendant && below.contains(&other))
            {
                return Some((
                    self.id(ancestor).to_string(),
                    self.id(descendant).to_string(),
                ));
            }
        }
        None
    }

    /// The targets and all their ancestors.
    pub(super) fn ancestors(&self, targets: &[usize]) -> HashSet<usize> {
        self.related(targets, true, false)
            .expect("a walk without check cannot fail")
            .into_iter()
            .collect()
    }

    /// The targets and all their descendants.
    pub(super) fn descendants(&self, targets: &[usize]) -> HashSet<usize> {
        self.related(targets, false, false)
            .expect("a walk without check cannot fail")
            .into_iter()
            .collect()
    }

    /// Alembic's `_topological_sort`: the revisions of `todo`, newest first, walking down from
    /// `heads` one line at a time and switching to another head whenever that head still needs
    /// the candidate. This is why `upgrade head` on ContentEngine runs d5f0b2c8e614 before
    /// c3e7a1d9f482 (the list is reversed for upgrades).
    pub(super) fn topological_sort(&self, todo: &HashSet<usize>, heads: &[usize]) -> Vec<usize> {
        let mut todo = todo.clone();
        let mut current_heads: Vec<usize> =
            heads.iter().copied().filter(|h| todo.contains(h)).collect();
        current_heads.sort_unstable();
        current_heads.dedup();
        let mut ancestors_by_idx: Vec<HashSet<usize>> = current_heads
            .iter()
            .map(|&h| self.ancestors(&[h]))
            .collect();
        let mut output = Vec::new();
        let mut candidate_idx = 0;
        while !current_heads.is_empty() {
            let candidate = current_heads[candidate_idx];
            let needed_by = ancestors_by_idx
                .iter()
                .enumerate()
                .position(|(idx, ancestors)| {
                    idx != candidate_idx && ancestors.contains(&candidate)
                });
            if let Some(other) = needed_by {
                // Another head still depends on the candidate: walk that head down first.
                candidate_idx = other;
                continue;
            }
            if todo.remove(&candidate) {
                output.push(candidate);
            }
            let heads_to_add: Vec<usize> = self.parents[candidate]
                .iter()
                .copied()
                .filter(|p| todo.contains(p) && !current_heads.contains(p))
                .collect();
            if heads_to_add.is_empty() {
                current_heads.remove(candidate_idx);
                ancestors_by_idx.remove(candidate_idx);
                candidate_idx = candidate_idx.saturating_sub(1);
            } else if self.parents[candidate].len() == 1 {
                current_heads[candidate_idx] = heads_to_add[0];
                ancestors_by_idx[candidate_idx].remove(&candidate);
            } else {
                current_heads[candidate_idx] = heads_to_add[0];
                ancestors_by_idx[candidate_idx] = self.ancestors(&[heads_to_add[0]]);
                for &head in &heads_to_add[1..] {
                    current_heads.push(head);
                    ancestors_by_idx.push(self.ancestors(&[head]));
                }
            }
        }
        debug_assert!(todo.is_empty(), "every revision to run is below a head");
        output
    }

    /// Alembic's `_detect_cycles`: every revision must lie between a head and a base.
    pub(super) fn detect_cycles(&self) -> Result<(), RevisionError> {
        if self.revisions.is_empty() {
            return Ok(());
        }
        let all_ids = || {
            self.revisions
                .iter()
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        };
        if self.heads.is_empty() || self.bases.is_empty() {
            return Err(RevisionError::Cycle { ids: all_ids() });
        }
        let from_heads = self.ancestors(&self.heads);
        let from_bases = self.descendants(&self.bases);
        let mut stray: Vec<String> = (0..self.revisions.len())
            .filter(|r| !(from_heads.contains(r) && from_bases.contains(r)))
            .map(|r| self.id(r).to_string())
            .collect();
        if stray.is_empty() {
            return Ok(());
        }
        stray.sort();
        Err(RevisionError::Cycle { ids: stray })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::contentengine;
    use super::*;

    fn positions(history: &History, ids: &[&str]) -> Vec<usize> {
        ids.iter().map(|id| history.index[*id]).collect()
    }

    fn names(history: &History, order: Vec<usize>) -> Vec<String> {
        order
            .into_iter()
            .map(|r| history.id(r).to_string())
            .collect()
    }

    #[test]
    fn topological_sort_switches_branches_like_alembic() {
        let history = contentengine();
        let all: HashSet<usize> = (0..history.revisions.len()).collect();
        let heads = positions(&history, &["0a6c9e3f5b71"]);
        assert_eq!(
            names(&history, history.topological_sort(&all, &heads)),
            vec![
                "0a6c9e3f5b71",
                "f17b8d2e4c90",
                "e9a4c6b1d358",
                "c3e7a1d9f482",
                "d5f0b2c8e614",
                "b81d3e5f0a27",
                "4f2a9c1e7b3d"
            ]
        );
    }

    #[test]
    fn overlap_check_names_both_revisions() {
        let history = contentengine();
        let targets = positions(&history, &["b81d3e5f0a27", "e9a4c6b1d358"]);
        let err = history
            .related(&targets, true, true)
            .expect_err("e9a4 reaches b81d");
        assert_eq!(
            err,
            RevisionError::Overlap {
                revision: "e9a4c6b1d358".into(),
                others: vec!["b81d3e5f0a27".into()]
            }
        );
    }

    #[test]
    fn overlapping_rows_name_the_ancestor_and_the_descendant() {
        let history = contentengine();
        let rows = |ids: &[&str]| ids.iter().map(|id| id.to_string()).collect::<Vec<_>>();
        for consistent in [
            &[][..],
            &["0a6c9e3f5b71"],
            &["c3e7a1d9f482", "d5f0b2c8e614"],
            &["zzzz", "b81d3e5f0a27"],
        ] {
            assert_eq!(history.overlapping_rows(&rows(consistent)), None);
        }
        assert_eq!(
            history.overlapping_rows(&rows(&["0a6c9e3f5b71", "b81d3e5f0a27"])),
            Some(("b81d3e5f0a27".into(), "0a6c9e3f5b71".into()))
        );
        assert_eq!(
            history.overlapping_rows(&rows(&["4f2a9c1e7b3d", "d5f0b2c8e614"])),
            Some(("4f2a9c1e7b3d".into(), "d5f0b2c8e614".into()))
        );
    }

    #[test]
    fn ancestors_and_descendants_include_the_target() {
        let history = contentengine();
        let c3 = positions(&history, &["c3e7a1d9f482"]);
        let mut up = names(&history, history.descendants(&c3).into_iter().collect());
        up.sort();
        assert_eq!(
            up,
            vec![
                "0a6c9e3f5b71",
                "c3e7a1d9f482",
                "e9a4c6b1d358",
                "f17b8d2e4c90"
            ]
        );
        assert_eq!(history.ancestors(&c3).len(), 3);
    }
}
