//! Random Alembic projects for `tests/import_alembic.rs`: Alembic's default env.py (the URL from
//! `sqlalchemy.url`) and 6–10 Python revisions forming branches and merges, each creating tables,
//! changing them in batch mode (add column, rename column, drop column), indexing them, inserting
//! awkward rows with `op.bulk_insert` and updating them with `op.execute`. A table is changed only
//! by revisions that descend from every revision that changed it before (changes on two branches
//! to one table give SQL that depends on which branch ran first, which the importer refuses).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ENV_PY: &str = r#"import os

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
# As twelve-factor apps do: the URL from the environment when it is set.
if os.environ.get("DATABASE_URL"):
    config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
"#;

const INI: &str =
    "[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite:///app.db\n";

/// A table as the revisions so far leave it.
#[derive(Debug, Clone)]
struct Table {
    name: String,
    /// `(name, SQLAlchemy type)`; `id` first.
    columns: Vec<(String, &'static str)>,
    /// The revisions that created or changed it.
    touched_by: Vec<usize>,
    next_id: i64,
}

/// Awkward values for a column of `kind`, as Python literals.
fn value(rng: &mut fastrand::Rng, kind: &str) -> String {
    let texts = [
        "\"it's\"",
        "\"line1\\nline2\\r\\n\"",
        "'日本語 🚀'",
        "''",
        "'-- migrate:down'",
        "'?:x @y $z'",
        "'\\x00nul'",
        "'tab\\there'",
    ];
    if rng.u8(..6) == 0 {
        return "None".to_string();
    }
    match kind {
        "sa.Integer()" => rng.i64(..).to_string(),
        "sa.Float()" => {
            let floats = [
                "0.1",
                "-2.5e-300",
                "1e300",
                "3.141592653589793",
                "-0.0",
                "123456789.125",
            ];
            floats[rng.usize(..floats.len())].to_string()
        }
        "sa.DateTime()" => format!(
            "datetime.datetime({}, {}, {}, {}, {}, {}, {})",
            rng.i32(1..=9999),
            rng.u8(1..=12),
            rng.u8(1..=28),
            rng.u8(..24),
            rng.u8(..60),
            rng.u8(..60),
            rng.u32(..1_000_000)
        ),
        "sa.Date()" => format!(
            "datetime.date({}, {}, {})",
            rng.i32(1..=9999),
            rng.u8(1..=12),
            rng.u8(1..=28)
        ),
        "sa.LargeBinary()" => format!(
            "bytes([{}])",
            (0..rng.usize(..5))
                .map(|_| rng.u8(..).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "sa.Boolean()" => ["True", "False"][rng.usize(..2)].to_string(),
        _ => texts[rng.usize(..texts.len())].to_string(),
    }
}

const KINDS: [&str; 7] = [
    "sa.Integer()",
    "sa.Text()",
    "sa.Float()",
    "sa.DateTime()",
    "sa.Date()",
    "sa.LargeBinary()",
    "sa.Boolean()",
];

/// Writes the project under `root` and returns its folder.
pub fn write(root: &Path, seed: u64) -> PathBuf {
    let mut rng = fastrand::Rng::with_seed(seed);
    let project = root.join("project");
    let versions = project.join("migrations/versions");
    std::fs::create_dir_all(&versions).expect("create versions/");
    std::fs::write(project.join("alembic.ini"), INI).expect("write alembic.ini");
    std::fs::write(project.join("migrations/env.py"), ENV_PY).expect("write env.py");
    let count = rng.usize(6..=10);
    let mut parents: Vec<Vec<usize>> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    for index in 0..count {
        let heads: Vec<usize> = (0..index)
            .filter(|candidate| !parents.iter().any(|p| p.contains(candidate)))
            .collect();
        let down: Vec<usize> = if index == 0 {
            vec![]
        } else if heads.len() >= 2 && rng.u8(..3) == 0 {
            heads[heads.len() - 2..].to_vec()
        } else if rng.u8(..3) == 0 {
            vec![rng.usize(..index)] // a new branch from any earlier revision
        } else {
            vec![heads[rng.usize(..heads.len())]]
        };
        parents.push(down.clone());
        let ancestors = ancestors_of(&parents, index);
        let (upgrade, downgrade) = revision_body(&mut rng, index, &ancestors, &mut tables);
        let id = format!("{:012x}", seed * 1000 + index as u64 + 0xabc000000000);
        let down_ids: Vec<String> = down
            .iter()
            .map(|d| format!("{:012x}", seed * 1000 + *d as u64 + 0xabc000000000))
            .collect();
        let down_value = match down_ids.as_slice() {
            [] => "None".to_string(),
            [one] => format!("{one:?}"),
            many => format!(
                "({})",
                many.iter()
                    .map(|d| format!("{d:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let text = format!(
            "\"\"\"step {index} of seed {seed}\n\nRevision ID: {id}\nRevises: {}\nCreate Date: 2025-01-{:02} 10:00:00.000000\n\n\"\"\"\n\
             import datetime\n\nfrom alembic import op\nimport sqlalchemy as sa\n\n\
             revision = {id:?}\ndown_revision = {down_value}\nbranch_labels = None\ndepends_on = None\n\n\n\
             def upgrade():\n{upgrade}\n\n\ndef downgrade():\n{downgrade}\n",
            down_ids.join(", "),
            index + 1
        );
        std::fs::write(versions.join(format!("{id}_step_{index}.py")), text)
            .expect("write revision");
    }
    project
}

fn ancestors_of(parents: &[Vec<usize>], index: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut todo = parents[index].clone();
    while let Some(next) = todo.pop() {
        if seen.insert(next) {
            todo.extend(parents[next].iter().copied());
        }
    }
    seen
}

/// The bodies of `upgrade()` and `downgrade()` (indented), updating `tables`.
fn revision_body(
    rng: &mut fastrand::Rng,
    index: usize,
    ancestors: &BTreeSet<usize>,
    tables: &mut Vec<Table>,
) -> (String, String) {
    let mut up = Vec::new();
    let mut down = Vec::new();
    let mut created = Table {
        name: format!("t{index}"),
        columns: vec![("id".into(), "sa.Integer()")],
        touched_by: vec![index],
        next_id: 1,
    };
    for at in 0..rng.usize(1..=3) {
        created
            .columns
            .push((format!("c{at}"), KINDS[rng.usize(..KINDS.len())]));
    }
    let columns: Vec<String> = created
        .columns
        .iter()
        .map(|(name, kind)| {
            let key = if name == "id" {
                ", primary_key=True"
            } else {
                ""
            };
            format!("sa.Column({name:?}, {kind}{key})")
        })
        .collect();
    up.push(format!(
        "op.create_table({:?}, {})",
        created.name,
        columns.join(", ")
    ));
    if created.columns.len() > 1 && rng.bool() {
        up.push(format!(
            "op.create_index(\"ix_{0}_c0\", {0:?}, [\"c0\"])",
            created.name
        ));
    }
    down.push(format!("op.drop_table({:?})", created.name));
    tables.push(created);
    // Change tables every earlier toucher of which is an ancestor.
    let owned: Vec<usize> = (0..tables.len())
        .filter(|&t| {
            tables[t]
                .touched_by
                .iter()
                .all(|r| ancestors.contains(r) || *r == index)
        })
        .collect();
    for &t in &owned {
        if rng.u8(..3) == 0 {
            continue;
        }
        let table = &mut tables[t];
        let name = table.name.clone();
        if !table.touched_by.contains(&index) {
            table.touched_by.push(index);
        }
        let mut batch_up = Vec::new();
        let mut batch_down = Vec::new();
        match rng.u8(..3) {
            0 => {
                let column = format!("a{index}");
                let kind = KINDS[rng.usize(..KINDS.len())];
                batch_up.push(format!(
                    "batch_op.add_column(sa.Column({column:?}, {kind}))"
                ));
                batch_down.push(format!("batch_op.drop_column({column:?})"));
                table.columns.push((column, kind));
            }
            1 if table.columns.len() > 1 => {
                let at = rng.usize(1..table.columns.len());
                let old = table.columns[at].0.clone();
                let new = format!("{old}_r{index}");
                batch_up.push(format!(
                    "batch_op.alter_column({old:?}, new_column_name={new:?})"
                ));
                batch_down.push(format!(
                    "batch_op.alter_column({new:?}, new_column_name={old:?})"
                ));
                table.columns[at].0 = new;
            }
            _ => {}
        }
        if !batch_up.is_empty() {
            up.push(format!(
                "with op.batch_alter_table({name:?}) as batch_op:\n        {}",
                batch_up.join("\n        ")
            ));
            batch_down.reverse();
            down.insert(
                0,
                format!(
                    "with op.batch_alter_table({name:?}) as batch_op:\n        {}",
                    batch_down.join("\n        ")
                ),
            );
        }
        // Rows, then an update of some of them.
        let first = table.next_id;
        let count = rng.i64(1..=3);
        table.next_id += count;
        let rows: Vec<String> = (first..first + count)
            .map(|id| {
                let mut fields = vec![format!("\"id\": {id}")];
                for (column, kind) in table.columns.iter().skip(1) {
                    fields.push(format!("{column:?}: {}", value(rng, kind)));
                }
                format!("{{{}}}", fields.join(", "))
            })
            .collect();
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|(column, kind)| format!("sa.column({column:?}, {kind})"))
            .collect();
        up.push(format!(
            "op.bulk_insert(sa.table({name:?}, {}), [{}])",
            columns.join(", "),
            rows.join(", ")
        ));
        down.insert(
            0,
            format!(
                "op.execute(\"DELETE FROM {name} WHERE id BETWEEN {first} AND {}\")",
                first + count - 1
            ),
        );
        if let Some((column, kind)) = table.columns.get(1) {
            if *kind == "sa.Text()" {
                up.push(format!("op.execute(\"UPDATE {name} SET {column} = 'upd ''{index}''' WHERE id % 2 = 0\")"));
            }
        }
    }
    let indent = |lines: Vec<String>| {
        lines
            .iter()
            .map(|line| format!("    {line}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    (indent(up), indent(down))
}
