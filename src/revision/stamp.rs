//! `alembic stamp`'s moves, after Alembic's `ScriptDirectory._stamp_revs`: for each destination,
//! a move down from, up from, or beside the current heads that share its line.

use super::maintainer::Move;
use super::target::{Pos, Spec};
use super::{History, RevisionError};

impl History {
    /// Alembic's `ScriptDirectory._stamp_revs`: the stamp moves from `heads` to `targets`.
    pub(super) fn stamp_moves(
        &self,
        heads: &[String],
        targets: &[&str],
    ) -> Result<Vec<Move>, RevisionError> {
        let head_revs = self.resolve_rows(heads)?;
        let targets: Vec<String> = if targets.is_empty() {
            vec!["base".to_string()]
        } else {
            targets.iter().map(|t| t.to_string()).collect()
        };
        let filtered = self.stamp_filtered_heads(&head_revs, &targets)?;
        let mut dests = self.get_revisions(&Spec::Rows(targets.clone()))?;
        if dests.is_empty() {
            dests.push(Pos::Nothing);
        }
        let filtered_ids: Vec<String> = filtered.iter().map(|&r| self.id(r).to_string()).collect();
        let mut moves = Vec::new();
        for dest in dests {
            let dest = match dest {
                Pos::Nothing => {
                    // Stamping base: each affected head's row goes.
                    for id in &filtered_ids {
                        moves.push(Move::Stamp {
                            from: vec![id.clone()],
                            to: Vec::new(),
                            upgrade: false,
                            branch_move: true,
                        });
                    }
                    continue;
                }
                Pos::Base => {
                    return Err(RevisionError::NotARevision {
                        target: targets.join(" "),
                    })
                }
                Pos::Rev(r) => r,
            };
            moves.extend(self.stamp_move_to(dest, &filtered, &filtered_ids)?);
        }
        Ok(moves)
    }

    /// The current heads on a line through any of the targets, each once, in row order.
    fn stamp_filtered_heads(
        &self,
        head_revs: &[usize],
        targets: &[String],
    ) -> Result<Vec<usize>, RevisionError> {
        let mut filtered: Vec<usize> = Vec::new();
        for target in targets.iter().filter(|target| !target.is_empty()) {
            for head in self.filter_for_lineage(head_revs, target)? {
                if !filtered.contains(&head) {
                    filtered.push(head);
                }
            }
        }
        Ok(filtered)
    }

    /// The move to one destination: down from the filtered heads above it, up from those below
    /// it (both as one step, like a merge), or a new branch row when none is on its line.
    fn stamp_move_to(
        &self,
        dest: usize,
        filtered: &[usize],
        filtered_ids: &[String],
    ) -> Result<Option<Move>, RevisionError> {
        if filtered.contains(&dest) {
            return Ok(None); // already a row
        }
        let below = self.descendants(&[dest]);
        let above = self.ancestors(&[dest]);
        let heads_above = filtered.iter().any(|h| below.contains(h));
        let heads_below = filtered.iter().any(|h| above.contains(h));
        let to = vec![self.id(dest).to_string()];
        Ok(Some(match (heads_above, heads_below) {
            (true, true) => {
                // Alembic asserts this cannot happen; rows on both sides contradict each other.
                return Err(RevisionError::VersionTable {
                    reason: format!(
                        "rows {} lie both above and below {}",
                        filtered_ids.join(", "),
                        to[0]
                    ),
                });
            }
            (true, false) => Move::Stamp {
                from: filtered_ids.to_vec(),
                to,
                upgrade: false,
                branch_move: false,
            },
            (false, true) => Move::Stamp {
                from: filtered_ids.to_vec(),
                to,
                upgrade: true,
                branch_move: false,
            },
            (false, false) => Move::Stamp {
                from: Vec::new(),
                to,
                upgrade: true,
                branch_move: true,
            },
        }))
    }

    /// Alembic's `filter_for_lineage`: the revisions of `revisions` on a line through `target`.
    fn filter_for_lineage(
        &self,
        revisions: &[usize],
        target: &str,
    ) -> Result<Vec<usize>, RevisionError> {
        let shares: Vec<String> = match target {
            "heads" => self.heads.iter().map(|&h| self.id(h).to_string()).collect(),
            "head" => match self.get_revision("head")? {
                Pos::Rev(r) => vec![self.id(r).to_string()],
                _ => Vec::new(),
            },
            "base" => Vec::new(),
            other => vec![other.to_string()],
        };
        let mut out = Vec::new();
        for &revision in revisions {
            if shares.is_empty() {
                out.push(revision);
                continue;
            }
            let mut line = self.descendants(&[revision]);
            line.extend(self.ancestors(&[revision]));
            let mut shared = false;
            for id in &shares {
                shared |= line.contains(&self.revision_for_ident(id)?);
            }
            if shared {
                out.push(revision);
            }
        }
        Ok(out)
    }
}
