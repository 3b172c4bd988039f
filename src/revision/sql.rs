//! A [`Plan`] as one SQL script (`--sql`): for each step a comment with Alembic's log line, the
//! section's SQL and the step's `alembic_version` statements, each step in its own transaction
//! as ContentEngine's `env.py` runs them (`transaction_per_migration=True`).

use super::{History, Plan, VersionOp};

/// The `alembic_version` table as Alembic creates it.
const CREATE_VERSION_TABLE: &str = "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);";

/// Renders `plan` as SQL. `create_version_table`: start with `CREATE TABLE alembic_version`
/// (the plan starts from a file that has no such table).
pub fn render_sql(history: &History, plan: &Plan, create_version_table: bool) -> String {
    let mut out = String::new();
    if create_version_table {
        out.push_str(CREATE_VERSION_TABLE);
        out.push_str("\n\n");
    }
    for step in &plan.steps {
        if !step.log_line.is_empty() {
            out.push_str(&format!("-- {}\n", step.log_line));
        }
        out.push_str("BEGIN;\n");
        if let Some(sql) = history
            .section_sql(step)
            .filter(|sql| !sql.trim().is_empty())
        {
            out.push_str(sql.trim_end());
            out.push('\n');
        }
        for op in &step.version_ops {
            out.push_str(&version_statement(op));
            out.push('\n');
        }
        out.push_str("COMMIT;\n\n");
    }
    out
}

/// The statement Alembic emits for one version change (an id holding `'` doubles it).
pub fn version_statement(op: &VersionOp) -> String {
    let quoted = |id: &str| format!("'{}'", id.replace('\'', "''"));
    match op {
        VersionOp::Insert(id) => format!(
            "INSERT INTO alembic_version (version_num) VALUES ({});",
            quoted(id)
        ),
        VersionOp::Delete(id) => format!(
            "DELETE FROM alembic_version WHERE alembic_version.version_num = {};",
            quoted(id)
        ),
        VersionOp::Update { from, to } => format!(
            "UPDATE alembic_version SET version_num={} WHERE alembic_version.version_num = {};",
            quoted(to),
            quoted(from)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::contentengine;
    use super::*;

    #[test]
    fn renders_steps_in_order_with_version_statements() {
        let history = contentengine();
        let plan = history.plan_upgrade(&[], "b81d").expect("plan");
        insta::assert_snapshot!("upgrade_b81d_sql", render_sql(&history, &plan, true));
        let down = history
            .plan_downgrade(&["e9a4c6b1d358".to_string()], "b81d")
            .expect("plan");
        let sql = render_sql(&history, &down, false);
        assert!(!sql.contains("CREATE TABLE"));
        let merge = sql
            .find("-- Running downgrade e9a4c6b1d358")
            .expect("merge step first");
        let insert = sql
            .find("INSERT INTO alembic_version")
            .expect("unmerge inserts a row");
        assert!(merge < insert);
        assert!(sql.contains("SELECT 'down c3e7a1d9f482';"));
    }

    #[test]
    fn a_quote_in_an_id_is_doubled() {
        let statement = version_statement(&VersionOp::Update {
            from: "it's".into(),
            to: "v1.0".into(),
        });
        assert_eq!(
            statement,
            "UPDATE alembic_version SET version_num='v1.0' WHERE alembic_version.version_num = 'it''s';"
        );
        let conn = rusqlite::Connection::open_in_memory().expect("open");
        conn.execute_batch(&format!(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL); {}",
            version_statement(&VersionOp::Insert("it's".into()))
        ))
        .expect("the statement runs");
        let row: String = conn
            .query_row("SELECT version_num FROM alembic_version", [], |row| {
                row.get(0)
            })
            .expect("row");
        assert_eq!(row, "it's");
    }
}
