//! Tests of the diagram's layout and SVG text on hand-built schemas.

use super::*;
use crate::schema::{Column, ForeignKey, Table};

fn column(name: &str, pk: i64) -> Column {
    Column {
        name: name.into(),
        declared_type: "INTEGER".into(),
        notnull: pk > 0,
        default: None,
        pk,
    }
}

fn fk(from: &str, table: &str) -> ForeignKey {
    ForeignKey {
        table: table.into(),
        from: from.into(),
        to: Some("id".into()),
        on_update: "NO ACTION".into(),
        on_delete: "NO ACTION".into(),
    }
}

fn table(columns: Vec<Column>, foreign_keys: Vec<ForeignKey>) -> Table {
    Table {
        columns,
        foreign_keys,
        ..Table::default()
    }
}

fn sample() -> Schema {
    let mut schema = Schema::default();
    schema
        .tables
        .insert("users".into(), table(vec![column("id", 1)], vec![]));
    schema.tables.insert(
        "posts".into(),
        table(
            vec![column("id", 1), column("user_id", 0)],
            vec![fk("user_id", "users")],
        ),
    );
    schema.tables.insert(
        "comments".into(),
        table(
            vec![
                column("id", 1),
                column("post_id", 0),
                column("parent_id", 0),
            ],
            vec![fk("post_id", "posts"), fk("parent_id", "comments")],
        ),
    );
    schema.tables.insert(
        "tags".into(),
        table(
            vec![column("id", 1), column("a_rather_long_column_name", 0)],
            vec![],
        ),
    );
    schema
}

#[test]
fn layers_follow_foreign_key_depth() {
    let diagram = layout(&sample());
    let layer = |name: &str| {
        diagram
            .boxes
            .iter()
            .find(|b| b.table == name)
            .map(|b| b.layer)
            .expect("every table has a box")
    };
    assert_eq!(layer("users"), 0);
    assert_eq!(layer("tags"), 0);
    assert_eq!(layer("posts"), 1);
    assert_eq!(layer("comments"), 2, "a self-reference does not deepen");
    assert_eq!(diagram.edges.len(), 3);
    let to_users = diagram
        .edges
        .iter()
        .find(|e| e.to_table == "users")
        .expect("posts → users");
    assert!(to_users.end.0 < to_users.start.0, "edges run right to left");
}

#[test]
fn boxes_do_not_overlap_and_fit_the_canvas() {
    let diagram = layout(&sample());
    for (i, a) in diagram.boxes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.y >= 0.0);
        assert!(a.x + a.width <= diagram.width && a.y + a.height <= diagram.height);
        for b in &diagram.boxes[i + 1..] {
            assert!(!a.overlaps(b), "{} overlaps {}", a.table, b.table);
        }
        let longest = a
            .rows
            .iter()
            .map(|r| row_text(r).chars().count())
            .max()
            .unwrap_or(0);
        assert!(
            a.width >= longest as f64 * CHAR_WIDTH,
            "{} text fits",
            a.table
        );
    }
}

#[test]
fn cycles_terminate() {
    let mut schema = Schema::default();
    schema.tables.insert(
        "a".into(),
        table(
            vec![column("id", 1), column("b_id", 0)],
            vec![fk("b_id", "b")],
        ),
    );
    schema.tables.insert(
        "b".into(),
        table(
            vec![column("id", 1), column("a_id", 0)],
            vec![fk("a_id", "a")],
        ),
    );
    let diagram = layout(&schema);
    assert_eq!(diagram.boxes.len(), 2);
    assert_eq!(diagram.edges.len(), 2);
}

#[test]
fn names_are_escaped() {
    let mut schema = Schema::default();
    schema.tables.insert(
        "a<b&\"c'".into(),
        table(vec![column("x>y\u{1}", 1)], vec![]),
    );
    let svg = render_svg(&layout(&schema));
    assert!(
        svg.contains("data-table=\"a&lt;b&amp;&quot;c&apos;\""),
        "{svg}"
    );
    assert!(svg.contains("x&gt;y\u{FFFD}"), "{svg}");
    assert!(!svg.contains("a<b"));
    assert!(!svg.contains('\u{1}'));
}

#[test]
fn empty_schema_is_a_small_valid_document() {
    let svg = render_svg(&layout(&Schema::default()));
    assert!(svg.starts_with("<?xml"));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("class=\"table\""));
}
