//! An entity-relationship diagram of a [`Schema`]: tables as boxes listing their columns with
//! PK / FK markers, foreign keys as edges. [`layout`] places the boxes (pure geometry, also for
//! the page), [`render_svg`] draws them as a standalone SVG document.
//!
//! Layout: tables are layered by foreign-key depth (a table referencing nothing is in column 0,
//! one referencing a column-0 table in column 1, ...), so edges mostly run right to left; within
//! a column boxes are stacked by name with a gap. Boxes are sized from their text, so none
//! overlaps another by construction.

mod svg;

pub use svg::{edge_path, render_svg};

use super::Schema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The width of one character of the diagram's monospace font at its size, in pixels.
pub const CHAR_WIDTH: f64 = 7.8;
/// The height of a box's title bar and of each column row.
pub const ROW_HEIGHT: f64 = 20.0;
/// Space around the diagram and inside boxes.
pub const MARGIN: f64 = 20.0;
/// Horizontal gap between layers (room for the edges).
pub const LAYER_GAP: f64 = 80.0;
/// Vertical gap between boxes of the same layer.
pub const BOX_GAP: f64 = 24.0;

/// One table's box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableBox {
    /// The table name.
    pub table: String,
    /// The foreign-key depth (its layer).
    pub layer: usize,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// The rows below the title, in column order.
    pub rows: Vec<ColumnRow>,
}

/// One column line in a box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnRow {
    /// The column name.
    pub name: String,
    /// The declared type (may be empty).
    pub declared_type: String,
    /// `PK`, `FK`, `PK FK` or empty.
    pub marker: String,
}

/// One foreign key drawn as an edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// The referencing table.
    pub from_table: String,
    /// The referencing column.
    pub from_column: String,
    /// The referenced table.
    pub to_table: String,
    /// The referenced column (`None`: the table's primary key, unnamed).
    pub to_column: Option<String>,
    /// Start point (on the referencing box's edge, at the column's row).
    pub start: (f64, f64),
    /// End point (on the referenced box's edge).
    pub end: (f64, f64),
}

/// A laid-out diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagram {
    /// The boxes, layer by layer.
    pub boxes: Vec<TableBox>,
    /// The edges, in table and foreign-key order.
    pub edges: Vec<Edge>,
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
}

impl TableBox {
    /// The y of the middle of the row of `column` (the title bar's middle when not found).
    pub fn row_middle(&self, column: Option<&str>) -> f64 {
        let row = column.and_then(|name| self.rows.iter().position(|r| r.name == name));
        match row {
            Some(index) => self.y + ROW_HEIGHT * (index as f64 + 1.5),
            None => self.y + ROW_HEIGHT / 2.0,
        }
    }

    /// Whether this box and `other` share any area (touching edges do not count).
    pub fn overlaps(&self, other: &TableBox) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }
}

/// Lays out `schema`'s tables and foreign keys.
pub fn layout(schema: &Schema) -> Diagram {
    let depths = fk_depths(schema);
    let mut layers: BTreeMap<usize, Vec<TableBox>> = BTreeMap::new();
    for (name, table) in &schema.tables {
        let fk_columns: Vec<&str> = table
            .foreign_keys
            .iter()
            .map(|fk| fk.from.as_str())
            .collect();
        let rows: Vec<ColumnRow> = table
            .columns
            .iter()
            .map(|column| {
                let mut marker = Vec::new();
                if column.pk > 0 {
                    marker.push("PK");
                }
                if fk_columns.contains(&column.name.as_str()) {
                    marker.push("FK");
                }
                ColumnRow {
                    name: column.name.clone(),
                    declared_type: column.declared_type.clone(),
                    marker: marker.join(" "),
                }
            })
            .collect();
        let widest = rows
            .iter()
            .map(|row| text_width(&row_text(row)))
            .chain([text_width(name)])
            .fold(0.0, f64::max);
        let layer = depths.get(name).copied().unwrap_or(0);
        layers.entry(layer).or_default().push(TableBox {
            table: name.clone(),
            layer,
            x: 0.0,
            y: 0.0,
            width: widest + 2.0 * (MARGIN / 2.0),
            height: ROW_HEIGHT * (rows.len() as f64 + 1.0),
            rows,
        });
    }
    let mut boxes = Vec::new();
    let mut x = MARGIN;
    let mut height: f64 = 0.0;
    for (_, mut layer_boxes) in layers {
        let layer_width = layer_boxes.iter().map(|b| b.width).fold(0.0, f64::max);
        let mut y = MARGIN;
        for table_box in &mut layer_boxes {
            table_box.x = x;
            table_box.y = y;
            y += table_box.height + BOX_GAP;
        }
        height = height.max(y - BOX_GAP + MARGIN);
        x += layer_width + LAYER_GAP;
        boxes.extend(layer_boxes);
    }
    let width = if boxes.is_empty() {
        2.0 * MARGIN
    } else {
        x - LAYER_GAP + MARGIN
    };
    let edges = edges(schema, &boxes);
    Diagram {
        boxes,
        edges,
        width,
        height: height.max(2.0 * MARGIN),
    }
}

/// The text of a column row as drawn: marker, name, type.
pub fn row_text(row: &ColumnRow) -> String {
    format!("{:<6}{}  {}", row.marker, row.name, row.declared_type)
}

/// The drawn width of `text` in the monospace font.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH
}

/// Each table's layer: 0 when it references no other table, else one more than the deepest
/// table it references. A cycle of references is cut where the walk meets a table it is
/// still inside of (that table counts as depth 0 there).
fn fk_depths(schema: &Schema) -> BTreeMap<String, usize> {
    fn depth(
        schema: &Schema,
        name: &str,
        visiting: &mut Vec<String>,
        done: &mut BTreeMap<String, usize>,
    ) -> usize {
        if let Some(&known) = done.get(name) {
            return known;
        }
        if visiting.iter().any(|v| v == name) {
            return 0;
        }
        visiting.push(name.to_string());
        let mut deepest = 0;
        if let Some(table) = schema.tables.get(name) {
            for fk in &table.foreign_keys {
                if fk.table != name && schema.tables.contains_key(&fk.table) {
                    deepest = deepest.max(depth(schema, &fk.table, visiting, done) + 1);
                }
            }
        }
        visiting.pop();
        done.insert(name.to_string(), deepest);
        deepest
    }
    let mut done = BTreeMap::new();
    for name in schema.tables.keys() {
        depth(schema, name, &mut Vec::new(), &mut done);
    }
    done
}

/// The edges of every foreign key whose referenced table exists: from the side of the
/// referencing box that faces the referenced one.
fn edges(schema: &Schema, boxes: &[TableBox]) -> Vec<Edge> {
    let find = |name: &str| boxes.iter().find(|b| b.table == name);
    let mut out = Vec::new();
    for (name, table) in &schema.tables {
        let Some(from_box) = find(name) else { continue };
        for fk in &table.foreign_keys {
            let Some(to_box) = find(&fk.table) else {
                continue;
            };
            let start_y = from_box.row_middle(Some(&fk.from));
            let end_y = to_box.row_middle(fk.to.as_deref().or_else(|| {
                to_box
                    .rows
                    .iter()
                    .find(|row| row.marker.contains("PK"))
                    .map(|row| row.name.as_str())
            }));
            let (start_x, end_x) = if to_box.x + to_box.width <= from_box.x {
                (from_box.x, to_box.x + to_box.width)
            } else if from_box.x + from_box.width <= to_box.x {
                (from_box.x + from_box.width, to_box.x)
            } else {
                // Same layer (or itself): leave and enter on the right side.
                (from_box.x + from_box.width, to_box.x + to_box.width)
            };
            out.push(Edge {
                from_table: name.clone(),
                from_column: fk.from.clone(),
                to_table: fk.table.clone(),
                to_column: fk.to.clone(),
                start: (start_x, start_y),
                end: (end_x, end_y),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
