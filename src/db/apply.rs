//! Runs a [`crate::revision::Plan`]: one transaction per step, foreign keys off during the
//! step, `foreign_key_check` and `integrity_check` before it is accepted; a failing step leaves
//! the database exactly as it was before that step.

use super::{Database, DbError};
use crate::revision::{History, Plan, Step};

/// What happened in one step.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StepReport {
    /// The step that ran.
    pub step: Step,
    /// How long it took, in milliseconds.
    pub millis: f64,
}

/// What a whole plan did.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ApplyReport {
    /// Every step that completed, in order.
    pub steps: Vec<StepReport>,
}

impl Database {
    /// Applies `plan`, calling `on_step` after each completed step. On failure the database is
    /// left at the last good state (the end of the last completed step).
    pub fn apply(
        &mut self,
        history: &History,
        plan: &Plan,
        mut on_step: impl FnMut(&StepReport),
    ) -> Result<ApplyReport, DbError> {
        let _ = (history, plan, &mut on_step);
        todo!("db helper")
    }
}
