//! The data-loss report of a planned downgrade: `downgrade TARGET --dry-run` prints it, and
//! `downgrade TARGET --sql` starts with it as a comment block. Nothing is written.

use super::{CliError, Events, Workspace};
use crate::db::StepLoss;

/// The steps `downgrade TARGET` would run from the file's revision and what each drops.
pub fn report(
    workspace: &Workspace,
    target: &str,
    events: Events,
) -> Result<Vec<StepLoss>, CliError> {
    let history = workspace.history()?;
    let database = workspace.open_existing(events)?;
    let versions = database.current_versions()?;
    let plan = history.plan_downgrade(&versions, target)?;
    Ok(database.data_loss(&history, &plan)?)
}

/// The report in words: one block per step, then a summary line.
pub fn describe(report: &[StepLoss]) -> String {
    if report.is_empty() {
        return "Nothing to downgrade: no step would run, no data would be lost.\n".to_string();
    }
    let mut text = String::new();
    let (mut rows, mut values, mut unknown) = (0u64, 0u64, false);
    for step in report {
        text.push_str(&step.log_line);
        text.push('\n');
        if step.dropped.is_empty() {
            text.push_str("    drops nothing\n");
            continue;
        }
        // `Dropped` lists a dropped table's columns indented below it.
        for line in step.dropped.to_string().lines() {
            match line.strip_prefix("  ") {
                Some(column) => text.push_str(&format!("        with {column}\n")),
                None => text.push_str(&format!("    drops {line}\n")),
            }
        }
        for table in &step.dropped.tables {
            rows += table.rows.unwrap_or(0);
            unknown |= table.rows.is_none();
        }
        for column in &step.dropped.columns {
            values += column.non_null.unwrap_or(0);
            unknown |= column.non_null.is_none();
        }
    }
    let loses = report.iter().any(|step| step.dropped.loses_data());
    if loses {
        text.push_str(&format!(
            "Data lost: {rows} row(s) of dropped tables and {values} non-NULL value(s) of dropped columns{}.\n",
            if unknown { " (some not counted: not in the file)" } else { "" }
        ));
    } else {
        text.push_str("No data lost: what is dropped is empty now.\n");
    }
    text
}

/// The report as an SQL comment block, for the top of `--sql` output.
pub fn as_sql_comment(report: &[StepLoss]) -> String {
    let mut text =
        String::from("-- Data-loss report (what this downgrade drops, counted in the file now):\n");
    for line in describe(report).lines() {
        text.push_str(&format!("--   {line}\n"));
    }
    text.push('\n');
    text
}
