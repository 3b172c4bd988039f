//! The `alembic_version` bookkeeping of each step, after Alembic's `HeadMaintainer.update_to_step`
//! and the `should_*` rules of its `RevisionStep` / `StampStep`: a step UPDATEs a row in place
//! where it can, INSERTs a row when it starts a branch, DELETEs one when it ends a branch (at a
//! merge, or down to base). Rows are kept in table order so the result matches Alembic's file.

use std::collections::HashSet;

use super::plan::VersionOp;
use super::{History, RevisionError};

/// What moves the version rows.
pub(super) enum Move {
    /// A migration: the upgrade or downgrade of one revision.
    Revision {
        /// The revision.
        position: usize,
        /// Upgrade (true) or downgrade.
        upgrade: bool,
    },
    /// A stamp from some rows to others (Alembic's `StampStep`).
    Stamp {
        /// The rows it replaces.
        from: Vec<String>,
        /// The rows it writes.
        to: Vec<String>,
        /// Moving up the history.
        upgrade: bool,
        /// Starts or ends a branch (INSERT / DELETE rather than UPDATE).
        branch_move: bool,
    },
}

/// The rows of `alembic_version` as a plan moves them.
pub(super) struct Maintainer<'h> {
    history: &'h History,
    /// Current rows, in table order.
    pub rows: Vec<String>,
}

fn table_error(reason: String) -> RevisionError {
    RevisionError::VersionTable { reason }
}

impl<'h> Maintainer<'h> {
    /// Starts from the rows of `alembic_version`.
    pub fn new(history: &'h History, rows: Vec<String>) -> Self {
        Maintainer { history, rows }
    }

    fn has(&self, id: &str) -> bool {
        self.rows.iter().any(|row| row == id)
    }

    fn insert(&mut self, id: &str, ops: &mut Vec<VersionOp>) -> Result<(), RevisionError> {
        if self.has(id) {
            return Err(table_error(format!("{id} is already a row")));
        }
        self.rows.push(id.to_string());
        ops.push(VersionOp::Insert(id.to_string()));
        Ok(())
    }

    fn delete(&mut self, id: &str, ops: &mut Vec<VersionOp>) -> Result<(), RevisionError> {
        let Some(at) = self.rows.iter().position(|row| row == id) else {
            return Err(table_error(format!("expected a row {id} to delete")));
        };
        self.rows.remove(at);
        ops.push(VersionOp::Delete(id.to_string()));
        Ok(())
    }

    fn update(&mut self, from: &str, to: &str, ops: &mut Vec<VersionOp>) -> Result<(), RevisionError> {
        if self.has(to) {
            return Err(table_error(format!("{to} is already a row")));
        }
        let Some(at) = self.rows.iter().position(|row| row == from) else {
            return Err(table_error(format!("expected a row {from} to update to {to}")));
        };
        self.rows[at] = to.to_string();
        ops.push(VersionOp::Update {
            from: from.to_string(),
            to: to.to_string(),
        });
        Ok(())
    }

    /// Ancestors (inclusive) of the rows other than `except`.
    fn ancestors_of_other_rows(&self, except: &[&str]) -> Option<HashSet<String>> {
        let others: Vec<usize> = self
            .rows
            .iter()
            .filter(|row| !except.contains(&row.as_str()))
            .filter_map(|row| self.history.index.get(row).copied())
            .collect();
        let any_other = self.rows.iter().any(|row| !except.contains(&row.as_str()));
        any_other.then(|| {
            self.history
                .ancestors(&others)
                .into_iter()
                .map(|r| self.history.id(r).to_string())
                .collect()
        })
    }

    /// Alembic's `_unmerge_to_revisions`: the down revisions a downgrade of `position` leaves as
    /// rows (those not already implied by another row). Alembic returns these from a set; they
    /// are kept in declared order here so the result is deterministic.
    fn unmerge_to(&self, position: usize) -> Vec<String> {
        let history = self.history;
        let id = history.id(position);
        let downs: Vec<String> = history.parents[position].iter().map(|&p| history.id(p).to_string()).collect();
        match self.ancestors_of_other_rows(&[id]) {
            Some(implied) => downs.into_iter().filter(|d| !implied.contains(d)).collect(),
            None => {
                let mut implied = HashSet::new();
                for &parent in &history.parents[position] {
                    for ancestor in history.ancestors(&[parent]) {
                        if ancestor != parent {
                            implied.insert(history.id(ancestor).to_string());
                        }
                    }
                }
                downs.into_iter().filter(|d| !implied.contains(d)).collect()
            }
        }
    }

    /// Applies one step's bookkeeping and returns the statements, in order.
    pub fn update_to_step(&mut self, step: &Move) -> Result<Vec<VersionOp>, RevisionError> {
        let mut ops = Vec::new();
        match step {
            Move::Revision { position, upgrade } => self.revision_step(*position, *upgrade, &mut ops)?,
            Move::Stamp {
                from,
                to,
                upgrade,
                branch_move,
            } => self.stamp_step(from, to, *upgrade, *branch_move, &mut ops)?,
        }
        Ok(ops)
    }

    fn revision_step(&mut self, position: usize, upgrade: bool, ops: &mut Vec<VersionOp>) -> Result<(), RevisionError> {
        let history = self.history;
        let id = history.id(position).to_string();
        let downs: Vec<String> = history.parents[position].iter().map(|&p| history.id(p).to_string()).collect();
        let present: Vec<&String> = downs.iter().filter(|d| self.has(d)).collect();
        if !upgrade && self.has(&id) && (downs.is_empty() || self.unmerge_to(position).is_empty()) {
            // Down to base, or to revisions another row already implies: the branch ends.
            return self.delete(&id, ops);
        }
        if upgrade && present.is_empty() {
            // A base, or none of its down revisions is a row: a new branch starts.
            return self.insert(&id, ops);
        }
        if upgrade && downs.len() > 1 && present.len() > 1 {
            // A merge: all merged rows but one are deleted, the last is updated.
            let from: Vec<String> = match self.ancestors_of_other_rows(&downs.iter().map(String::as_str).collect::<Vec<_>>()) {
                Some(implied) => downs.iter().filter(|d| !implied.contains(*d)).cloned().collect(),
                None => downs.clone(),
            };
            let Some((last, rest)) = from.split_last() else {
                return Err(table_error(format!("nothing to merge into {id}")));
            };
            for gone in rest {
                self.delete(gone, ops)?;
            }
            return self.update(last, &id, ops);
        }
        if !upgrade && self.has(&id) && downs.len() > 1 {
            // Downgrading a merge: the extra branches come back as inserted rows.
            let to = self.unmerge_to(position);
            let Some((last, rest)) = to.split_last() else {
                return Err(table_error(format!("nothing to unmerge {id} into")));
            };
            for back in rest {
                self.insert(back, ops)?;
            }
            return self.update(&id, last, ops);
        }
        let down = if downs.len() == 1 {
            downs[0].clone()
        } else if present.len() == 1 {
            present[0].clone()
        } else {
            return Err(table_error(format!(
                "cannot tell which row {id} replaces (Alembic: \"downrevision is ambiguous\")"
            )));
        };
        if upgrade {
            self.update(&down, &id, ops)
        } else {
            self.update(&id, &down, ops)
        }
    }

    fn stamp_step(
        &mut self,
        from: &[String],
        to: &[String],
        upgrade: bool,
        branch_move: bool,
        ops: &mut Vec<VersionOp>,
    ) -> Result<(), RevisionError> {
        let single = |list: &[String], what: &str| -> Result<String, RevisionError> {
            match list {
                [only] => Ok(only.clone()),
                _ => Err(table_error(format!("a stamp needs exactly one {what} revision here"))),
            }
        };
        if !upgrade && branch_move {
            return self.delete(&single(from, "source")?, ops);
        }
        let from_missing = from.iter().any(|f| !self.has(f));
        let to_missing = to.iter().any(|t| !self.has(t));
        if upgrade && (branch_move || from_missing) && to_missing {
            return self.insert(&single(to, "destination")?, ops);
        }
        if from.len() > 1 {
            let (last, rest) = from.split_last().expect("more than one source");
            for gone in rest {
                self.delete(gone, ops)?;
            }
            return self.update(last, &single(&to[..to.len().min(1)], "destination")?, ops);
        }
        if to.len() > 1 {
            let (last, rest) = to.split_last().expect("more than one destination");
            for back in rest {
                self.insert(back, ops)?;
            }
            return self.update(&single(from, "source")?, last, ops);
        }
        self.update(&single(from, "source")?, &single(to, "destination")?, ops)
    }
}
