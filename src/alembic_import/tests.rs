//! The importer's assembly on hand-made driver reports (the runs against real Alembic are in
//! `tests/import_alembic.rs`).

use super::*;

fn report(json: serde_json::Value) -> Report {
    serde_json::from_value(json).expect("a report")
}

fn revision(id: &str, down: &[&str]) -> serde_json::Value {
    serde_json::json!({"id": id, "down": down, "longdoc": format!("rev {id}"),
                       "path": format!("versions/{id}.py")})
}

fn step(id: &str, direction: &str, statements: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"revision": id, "direction": direction, "statements": statements})
}

fn statement(sql: &str, rows: bool) -> serde_json::Value {
    serde_json::json!({"sql": sql, "params": {"positional": []}, "many": false, "rows": rows})
}

#[test]
fn statements_keep_effects_and_values_and_drop_reflection() {
    let report = report(serde_json::json!({
        "revisions": [revision("a1", &[])],
        "runs": [{"name": "walk", "steps": [step("a1", "upgrade", serde_json::json!([
            statement("PRAGMA main.table_xinfo(\"t\")", true),
            statement("SELECT name FROM sqlite_master WHERE type='table'", true),
            {"sql": "INSERT INTO t (a, b) VALUES (?, ?)", "many": true, "rows": false,
             "params": [{"positional": [{"t": "int", "v": "1"}, {"t": "text", "v": "x'y"}]},
                        {"positional": [{"t": "null"}, {"t": "real", "v": "2.5"}]}]},
            statement("SAVEPOINT sa_1", false),
        ]))]}]
    }));
    let walk = &report.runs[0];
    let sections = Sections::from_run(walk, &report, &BTreeMap::new()).expect("captured");
    assert_eq!(
        sections.by_step[&("a1".to_string(), true)],
        vec![
            "INSERT INTO t (a, b) VALUES (1, 'x''y')".to_string(),
            "INSERT INTO t (a, b) VALUES (NULL, 2.5)".to_string()
        ]
    );
}

#[test]
fn a_revision_that_reads_rows_is_refused_by_name_unless_hand_written() {
    let report = report(serde_json::json!({
        "revisions": [revision("a1", &[])],
        "runs": [{"name": "walk", "steps": [step("a1", "upgrade", serde_json::json!([
            statement("SELECT id, status FROM posts", true),
        ]))]}]
    }));
    let error = Sections::from_run(&report.runs[0], &report, &BTreeMap::new())
        .err()
        .expect("refused")
        .to_string();
    assert!(error.starts_with("revision a1 (versions/a1.py) reads rows in its upgrade (`SELECT id, status FROM posts`)"), "{error}");
    assert!(error.contains("Write a1_rev_a1.sql by hand"), "{error}");
    assert!(error.contains("`-- hand-written: <why>`"), "{error}");
    let mut hand = BTreeMap::new();
    hand.insert(
        "a1".to_string(),
        ExistingFile {
            name: "a1_mine.sql".into(),
            text: String::new(),
        },
    );
    assert!(Sections::from_run(&report.runs[0], &report, &hand).is_ok());
}

#[test]
fn sql_that_changes_between_runs_is_refused() {
    let run = |name: &str, value: &str| {
        serde_json::json!({"name": name, "steps": [step("a1", "upgrade", serde_json::json!([
            {"sql": "INSERT INTO t VALUES (?)", "many": false, "rows": false,
             "params": {"positional": [{"t": "text", "v": value}]}}]))]})
    };
    let report = report(serde_json::json!({
        "revisions": [revision("a1", &[])],
        "runs": [run("walk", "2026-12-02 06:00:00.000001"), run("repeat", "2026-12-02 06:00:00.000002")]
    }));
    let walk = Sections::from_run(&report.runs[0], &report, &BTreeMap::new()).expect("walk");
    let repeat = Sections::from_run(&report.runs[1], &report, &BTreeMap::new()).expect("repeat");
    let error = walk
        .same_as(&repeat, &report, &BTreeMap::new(), "in two runs")
        .expect_err("unstable")
        .to_string();
    assert!(
        error.contains(
            "revision a1 (versions/a1.py) executed different SQL in its upgrade in two runs"
        ),
        "{error}"
    );
    assert!(error.contains("`INSERT INTO t VALUES ('2026-12-02 06:00:00.000001')` against `INSERT INTO t VALUES ('2026-12-02 06:00:00.000002')`"), "{error}");
}

#[test]
fn depends_on_is_refused() {
    let mut with_dependency: AlembicRevision =
        serde_json::from_value(revision("b2", &["a1"])).expect("revision");
    with_dependency.depends_on = vec!["c3".into()];
    let sections = Sections {
        by_step: BTreeMap::new(),
        irreversible: BTreeMap::new(),
    };
    let error = sections
        .file(&with_dependency)
        .expect_err("refused")
        .to_string();
    assert!(
        error.starts_with("revision b2 uses depends_on = c3"),
        "{error}"
    );
}

#[test]
fn any_id_alembic_takes_imports_but_one_the_header_cannot_carry_is_refused() {
    let dotted: AlembicRevision =
        serde_json::from_value(revision("v1.3.0.a", &[])).expect("revision");
    assert!(check_id(&dotted).is_ok());
    assert_eq!(render::file_name(&dotted), "v1.3.0.a_rev_v1_3_0_a.sql");
    let report = report(serde_json::json!({
        "revisions": [revision("v1 3,a", &[])],
        "runs": [{"name": "walk", "steps": []}]
    }));
    let error = build(&report, "", &[]).expect_err("refused").to_string();
    assert!(
        error.starts_with("revision v1 3,a (versions/v1 3,a.py) cannot be imported: revision id `v1 3,a` contains a space"),
        "{error}"
    );
}

#[test]
fn a_downgrade_that_raised_becomes_an_irreversible_section() {
    let report = report(serde_json::json!({
        "revisions": [revision("v2.0.a", &["v1.0.a"])],
        "runs": [{"name": "walk", "steps": [
            step("v2.0.a", "upgrade", serde_json::json!([statement("CREATE TABLE t (a)", false)])),
            {"revision": "v2.0.a", "direction": "downgrade", "statements": [],
             "failed": "NotImplementedError: gone\n[more lines]", "heads": ["v1.0.a"]}]}]
    }));
    let sections = Sections::from_run(&report.runs[0], &report, &BTreeMap::new()).expect("walk");
    assert_eq!(
        sections.irreversible.get("v2.0.a").map(String::as_str),
        Some("NotImplementedError: gone\n[more lines]")
    );
    let file = sections.file(&report.revisions[0]).expect("a file");
    assert!(
        file.text.ends_with(
            "-- migrate:down\n\n-- irreversible: its downgrade raises in Alembic (NotImplementedError: gone)\n"
        ),
        "{}",
        file.text
    );
    let parsed = crate::revision::parse_migration(&file.name, &file.text).expect("parses");
    assert_eq!(
        parsed.irreversible(),
        Some("its downgrade raises in Alembic (NotImplementedError: gone)")
    );
    assert_eq!(report.runs[0].steps[1].heads, vec!["v1.0.a"]);
}
