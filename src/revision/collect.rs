//! Which revisions a command touches, after Alembic's `RevisionMap._collect_upgrade_revisions`
//! and `_collect_downgrade_revisions`: the set to run and the heads its topological sort starts
//! from.

use std::collections::HashSet;

use super::target::{Pos, Spec};
use super::{History, RevisionError};

impl History {
    /// Alembic's `_collect_upgrade_revisions`: the revisions between `lower` and `upper`, and the
    /// targets (the heads of the sort).
    pub(super) fn collect_upgrade(
        &self,
        upper: &Spec,
        lower: &Spec,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
        verb: &str,
    ) -> Result<(HashSet<usize>, Vec<usize>), RevisionError> {
        let targets = only_revisions(
            self.parse_upgrade_target(lower, upper, assert_relative_length, verb)?,
            upper,
        )?;
        let mut required: HashSet<usize> =
            self.related(&targets, true, true)?.into_iter().collect();
        required.extend(targets.iter().copied());
        let (current, lower) = self.lower_bound(
            upper,
            lower,
            &required,
            implicit_base,
            assert_relative_length,
        )?;
        let mut current_nodes: HashSet<usize> =
            self.related(&current, true, true)?.into_iter().collect();
        current_nodes.extend(current.iter().copied());
        let mut needs: HashSet<usize> = required.difference(&current_nodes).copied().collect();
        if inclusive {
            needs.extend(only_revisions(self.get_revisions(&lower)?, upper)?);
        }
        if !current.is_empty() && !implicit_base {
            let below: HashSet<usize> = self.related(&current, false, true)?.into_iter().collect();
            needs.retain(|r| below.contains(r));
        }
        Ok((needs, targets))
    }

    /// The revisions the lower bound stands for (the current rows, or a `history` range's
    /// start), refused when one is not below `required` (unless `implicit_base`).
    fn lower_bound(
        &self,
        upper: &Spec,
        lower: &Spec,
        required: &HashSet<usize>,
        implicit_base: bool,
        assert_relative_length: bool,
    ) -> Result<(Vec<usize>, Spec), RevisionError> {
        let mut lower = lower.clone();
        let mut current = match &lower {
            Spec::Rows(rows) => self.resolve_rows(rows)?.into_iter().map(Pos::Rev).collect(),
            Spec::Str(_) => self.get_revisions(&lower)?,
        };
        let range_error = || RevisionError::RangeNotAncestor {
            start: String::new(),
            end: String::new(),
        };
        if !implicit_base
            && current.iter().any(|pos| match pos {
                Pos::Rev(r) => !required.contains(r),
                Pos::Base => true,
                Pos::Nothing => false,
            })
        {
            return Err(range_error());
        }
        if current.first() == Some(&Pos::Nothing) {
            // A relative lower bound that walked off the end: Alembic re-reads it as a
            // downgrade target relative to the upper bound.
            let Spec::Str(text) = &lower else {
                return Err(RevisionError::NotARevision {
                    target: upper.display(),
                });
            };
            let (_, reached) = self.parse_downgrade_target(upper, text, assert_relative_length)?;
            match reached {
                Pos::Rev(r) => {
                    current = vec![Pos::Rev(r)];
                    lower = Spec::Str(self.id(r).to_string());
                }
                _ => {
                    current = Vec::new();
                    lower = Spec::Rows(Vec::new());
                }
            }
        }
        Ok((only_revisions(current, upper)?, lower))
    }

    /// Alembic's `_collect_downgrade_revisions`: the applied revisions above `target`, and the
    /// current heads (the heads of the sort).
    pub(super) fn collect_downgrade(
        &self,
        current: &[String],
        target: &str,
    ) -> Result<(HashSet<usize>, Vec<usize>), RevisionError> {
        let rows = Spec::Rows(current.to_vec());
        let (branch, reached) = self.parse_downgrade_target(&rows, target, true)?;
        let target_rev = match reached {
            Pos::Rev(r) => Some(r),
            _ => None,
        };
        let mut roots: Vec<usize> = match target_rev {
            None => self.bases.clone(),
            Some(r) => self.children[r].clone(),
        };
        if let Some(branch) = branch {
            if roots.len() > 1 {
                // `-N` from several heads rolls back only the branch of the first row.
                let on_branch = self.ancestors(&[branch]);
                roots.retain(|r| on_branch.contains(r));
                if roots.is_empty() {
                    return Err(RevisionError::NotBranchDowngrade {
                        target: target.into(),
                        branch: self.id(branch).to_string(),
                    });
                }
            }
        }
        let heads = self.resolve_rows(current)?;
        let above = self.descendants(&roots);
        let applied = self.ancestors(&heads);
        let todo: HashSet<usize> = above.intersection(&applied).copied().collect();
        if let Some(r) = target_rev {
            if todo.is_empty() && !heads.contains(&r) {
                return Err(RevisionError::RangeNotAncestor {
                    start: String::new(),
                    end: String::new(),
                });
            }
        }
        Ok((todo, heads))
    }
}

/// Alembic asserts that these are revisions (`is_revision`); a walk to `base` or past the end is
/// refused here instead.
fn only_revisions(found: Vec<Pos>, asked: &Spec) -> Result<Vec<usize>, RevisionError> {
    found
        .into_iter()
        .map(|pos| match pos {
            Pos::Rev(r) => Ok(r),
            _ => Err(RevisionError::NotARevision {
                target: asked.display(),
            }),
        })
        .collect()
}
