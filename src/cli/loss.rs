//! The data-loss report of a planned downgrade: `downgrade TARGET --dry-run` prints it, and
//! `downgrade TARGET --sql` starts with it as a comment block. Nothing is written.

use super::{CliError, Events, Workspace};
use crate::db::StepLoss;
use crate::schema::loss_total;

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
    for step in report {
        text.push_str(&step.log_line);
        text.push('\n');
        if step.dropped.is_empty() {
            text.push_str("    drops nothing\n");
        }
        for line in step.dropped.to_string().lines() {
            text.push_str(&format!("    {line}\n"));
        }
    }
    text.push_str(&loss_total(report.iter().map(|step| &step.dropped)));
    text.push('\n');
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ColumnLoss, Dropped, TableLoss};

    fn step(dropped: Dropped) -> StepLoss {
        StepLoss {
            revision: "f17b8d2e4c90".into(),
            log_line: "Running downgrade f17b8d2e4c90 -> e9a4c6b1d358, add chat messages".into(),
            dropped,
        }
    }

    #[test]
    fn describes_steps_counts_and_a_summary() {
        assert!(describe(&[]).starts_with("Nothing to downgrade"));
        let report = [
            step(Dropped {
                tables: vec![TableLoss {
                    table: "chat_messages".into(),
                    rows: Some(2),
                    columns: vec![ColumnLoss {
                        table: "chat_messages".into(),
                        column: "role".into(),
                        non_null: Some(2),
                    }],
                }],
                columns: vec![ColumnLoss {
                    table: "posts".into(),
                    column: "user_id".into(),
                    non_null: Some(5),
                }],
            }),
            step(Dropped::default()),
        ];
        let text = describe(&report);
        assert_eq!(
            text,
            "Running downgrade f17b8d2e4c90 -> e9a4c6b1d358, add chat messages\n\
             \x20   drops table chat_messages (2 rows)\n\
             \x20       with column chat_messages.role (2 non-NULL values)\n\
             \x20   drops column posts.user_id (5 non-NULL values)\n\
             Running downgrade f17b8d2e4c90 -> e9a4c6b1d358, add chat messages\n\
             \x20   drops nothing\n\
             Data lost: 2 rows of dropped tables and 5 non-NULL values of dropped columns.\n"
        );
        assert!(as_sql_comment(&report)
            .lines()
            .all(|line| line.is_empty() || line.starts_with("--")));
    }
}
