//! Test helpers for the database layer: the embedded migration sections read with a minimal
//! splitter, and hand-built steps along ContentEngine's history with the `alembic_version`
//! changes real Alembic makes (as logged by its engine). This lets `apply` be tested without
//! the revision layer's planner.

use crate::revision::{Direction, Step, VersionOp};
use std::collections::BTreeMap;

/// ContentEngine's revisions in the order `alembic upgrade head` runs them.
pub(crate) const UPGRADE_ORDER: [&str; 7] = [
    "4f2a9c1e7b3d",
    "b81d3e5f0a27",
    "d5f0b2c8e614",
    "c3e7a1d9f482",
    "e9a4c6b1d358",
    "f17b8d2e4c90",
    "0a6c9e3f5b71",
];

/// `revision id → (upgrade SQL, downgrade SQL)` of the embedded migrations.
pub(crate) fn sections() -> BTreeMap<String, (String, String)> {
    crate::migrations::EMBEDDED_MIGRATIONS
        .iter()
        .map(|(name, text)| {
            let id = text
                .lines()
                .find_map(|line| line.strip_prefix("-- revision: "))
                .unwrap_or_else(|| panic!("{name} has a revision line"))
                .trim()
                .to_string();
            let (_, sections) = text.split_once("-- migrate:up").expect("up section");
            let (up, down) = sections
                .split_once("-- migrate:down")
                .expect("down section");
            (id, (up.to_string(), down.to_string()))
        })
        .collect()
}

/// The SQL of `step` from [`sections`].
pub(crate) fn section_of<'a>(
    sections: &'a BTreeMap<String, (String, String)>,
    step: &Step,
) -> &'a str {
    let (up, down) = &sections[&step.revision];
    match step.direction {
        Direction::Upgrade => up,
        Direction::Downgrade => down,
    }
}

/// A step that runs SQL.
pub(crate) fn step(revision: &str, direction: Direction, version_ops: Vec<VersionOp>) -> Step {
    Step {
        revision: revision.to_string(),
        direction,
        run_sql: true,
        version_ops,
        log_line: format!("{direction:?} {revision}"),
    }
}

fn update(from: &str, to: &str) -> VersionOp {
    VersionOp::Update {
        from: from.to_string(),
        to: to.to_string(),
    }
}

/// The steps of `alembic upgrade TARGET` from an empty database.
pub(crate) fn upgrade_from_empty(target: &str) -> Vec<Step> {
    use Direction::Upgrade;
    let all = [
        step(
            "4f2a9c1e7b3d",
            Upgrade,
            vec![VersionOp::Insert("4f2a9c1e7b3d".into())],
        ),
        step(
            "b81d3e5f0a27",
            Upgrade,
            vec![update("4f2a9c1e7b3d", "b81d3e5f0a27")],
        ),
        step(
            "d5f0b2c8e614",
            Upgrade,
            vec![update("b81d3e5f0a27", "d5f0b2c8e614")],
        ),
        step(
            "c3e7a1d9f482",
            Upgrade,
            vec![VersionOp::Insert("c3e7a1d9f482".into())],
        ),
        step(
            "e9a4c6b1d358",
            Upgrade,
            vec![
                VersionOp::Delete("c3e7a1d9f482".into()),
                update("d5f0b2c8e614", "e9a4c6b1d358"),
            ],
        ),
        step(
            "f17b8d2e4c90",
            Upgrade,
            vec![update("e9a4c6b1d358", "f17b8d2e4c90")],
        ),
        step(
            "0a6c9e3f5b71",
            Upgrade,
            vec![update("f17b8d2e4c90", "0a6c9e3f5b71")],
        ),
    ];
    if target == "c3e7a1d9f482" {
        // Only one branch: c3e7a1d9f482 replaces b81d3e5f0a27 in place.
        let mut steps = all[..2].to_vec();
        steps.push(step(
            "c3e7a1d9f482",
            Upgrade,
            vec![update("b81d3e5f0a27", "c3e7a1d9f482")],
        ));
        return steps;
    }
    let end = UPGRADE_ORDER
        .iter()
        .position(|id| *id == target)
        .unwrap_or_else(|| panic!("unknown target {target}"));
    all[..=end].to_vec()
}

/// The steps of `alembic downgrade base` from head.
pub(crate) fn downgrade_head_to_base() -> Vec<Step> {
    use Direction::Downgrade;
    vec![
        step(
            "0a6c9e3f5b71",
            Downgrade,
            vec![update("0a6c9e3f5b71", "f17b8d2e4c90")],
        ),
        step(
            "f17b8d2e4c90",
            Downgrade,
            vec![update("f17b8d2e4c90", "e9a4c6b1d358")],
        ),
        step(
            "e9a4c6b1d358",
            Downgrade,
            vec![
                VersionOp::Insert("d5f0b2c8e614".into()),
                update("e9a4c6b1d358", "c3e7a1d9f482"),
            ],
        ),
        step(
            "c3e7a1d9f482",
            Downgrade,
            vec![VersionOp::Delete("c3e7a1d9f482".into())],
        ),
        step(
            "d5f0b2c8e614",
            Downgrade,
            vec![update("d5f0b2c8e614", "b81d3e5f0a27")],
        ),
        step(
            "b81d3e5f0a27",
            Downgrade,
            vec![update("b81d3e5f0a27", "4f2a9c1e7b3d")],
        ),
        step(
            "4f2a9c1e7b3d",
            Downgrade,
            vec![VersionOp::Delete("4f2a9c1e7b3d".into())],
        ),
    ]
}

/// `reference/<rev>.json` of ContentEngine's project (`tests/contentengine/`), without its `"sql"` part.
pub(crate) fn reference(revision: &str) -> serde_json::Value {
    // Same lookup as tests/common: `$CONTENTENGINE_DIR`, else `tests/contentengine`.
    let contentengine = std::env::var_os("CONTENTENGINE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contentengine")
        });
    let path = contentengine
        .join("reference")
        .join(format!("{revision}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("read {}: {error}", path.display()));
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("reference is JSON");
    if let Some(object) = json.as_object_mut() {
        object.remove("sql");
    }
    json
}

/// A database file at `path` in `journal_mode` with one table `t (x INTEGER)` of `rows` rows,
/// and the connection that made it (still open: in WAL mode its `-wal` stays until it closes).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn file_db(
    path: &std::path::Path,
    journal_mode: &str,
    rows: i64,
) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("create");
    conn.query_row(&format!("PRAGMA journal_mode={journal_mode}"), [], |_| {
        Ok(())
    })
    .expect("journal mode");
    conn.execute_batch("CREATE TABLE t (x INTEGER)")
        .expect("table");
    for x in 0..rows {
        conn.execute("INSERT INTO t VALUES (?1)", [x]).expect("row");
    }
    conn
}
