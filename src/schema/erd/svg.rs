//! Draws a laid-out [`Diagram`] as a standalone SVG document. Every name goes through
//! [`escape`], so a table called `a<b&"c"` still gives well-formed XML; characters XML 1.0 does
//! not allow at all (most control characters) become U+FFFD.

use super::{row_text, Diagram, Edge, TableBox, LAYER_GAP, MARGIN, ROW_HEIGHT};
use std::fmt::Write;

/// The SVG text of `diagram`: a `<g class="table" data-table="…">` per box (a `<rect>`, the
/// title, one `<text>` per column) and a `<path class="fk" data-from="t.c" data-to="t.c">` per
/// foreign key, with an arrow at the referenced end.
pub fn render_svg(diagram: &Diagram) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"monospace\" font-size=\"13\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
         markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
        w = number(diagram.width),
        h = number(diagram.height),
    );
    for edge in &diagram.edges {
        draw_edge(&mut out, edge);
    }
    for table_box in &diagram.boxes {
        draw_box(&mut out, table_box);
    }
    out.push_str("</svg>\n");
    out
}

/// One table: frame, title bar, column lines.
fn draw_box(out: &mut String, table_box: &TableBox) {
    let (x, y) = (table_box.x, table_box.y);
    let _ = writeln!(
        out,
        "<g class=\"table\" data-table=\"{name}\">\n\
         <rect class=\"box\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"#fdfdfd\" stroke=\"#333\"/>\n\
         <rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{rh}\" fill=\"#dde6f3\" stroke=\"#333\"/>\n\
         <text x=\"{tx}\" y=\"{ty}\" font-weight=\"bold\">{name}</text>",
        name = escape(&table_box.table),
        x = number(x),
        y = number(y),
        w = number(table_box.width),
        h = number(table_box.height),
        rh = number(ROW_HEIGHT),
        tx = number(x + MARGIN / 2.0),
        ty = number(y + ROW_HEIGHT * 0.7),
    );
    for (index, row) in table_box.rows.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{tx}\" y=\"{ty}\" xml:space=\"preserve\">{text}</text>",
            tx = number(x + MARGIN / 2.0),
            ty = number(y + ROW_HEIGHT * (index as f64 + 1.7)),
            text = escape(&row_text(row)),
        );
    }
    out.push_str("</g>\n");
}

/// One foreign key as a curve from the referencing column to the referenced one.
fn draw_edge(out: &mut String, edge: &Edge) {
    let to = match &edge.to_column {
        Some(column) => format!("{}.{column}", edge.to_table),
        None => edge.to_table.clone(),
    };
    let _ = writeln!(
        out,
        "<path class=\"fk\" data-from=\"{from}\" data-to=\"{to}\" d=\"{d}\" \
         fill=\"none\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>",
        from = escape(&format!("{}.{}", edge.from_table, edge.from_column)),
        to = escape(&to),
        d = edge_path(edge),
    );
}

/// The `d` of an edge's curve (numbers only, so safe in any attribute).
pub fn edge_path(edge: &Edge) -> String {
    let (sx, sy) = edge.start;
    let (ex, ey) = edge.end;
    // Control points pull the curve out horizontally from both boxes; when both ends are on
    // the right side (same layer, self-reference) both bulge to the right.
    let pull = LAYER_GAP / 2.0;
    let (c1, c2) = if ex < sx {
        (sx - pull, ex + pull)
    } else if ex > sx {
        (sx + pull, ex - pull)
    } else {
        (sx + pull, ex + pull)
    };
    format!(
        "M {} {} C {} {} {} {} {} {}",
        number(sx),
        number(sy),
        number(c1),
        number(sy),
        number(c2),
        number(ey),
        number(ex),
        number(ey)
    )
}

/// A coordinate with at most one decimal.
fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// `text` safe inside an XML element or a double- or single-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows tab, LF, CR and everything from U+0020 except the surrogates and
            // U+FFFE/U+FFFF (which a Rust `char` can hold only as the latter two).
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
