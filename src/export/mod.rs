//! Table and query results as plain data, and their renderings: CSV ([`to_csv`]), JSON
//! ([`to_json`]) and SQL literals for a dump ([`sql_literal`]). Pure Rust; the database layer
//! (`Database::query`, `Database::table_rows`, `Database::dump`) fills these in.

mod csv;
mod json;
mod literal;

pub use csv::to_csv;
pub use json::to_json;
pub use literal::{quote_identifier, sql_literal};

use serde::{Deserialize, Serialize};

/// The formats rows are exported in, by the CLI (`export`, `query`) and by the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// RFC 4180 CSV with a header row.
    Csv,
    /// A JSON array of row objects.
    Json,
}

impl Format {
    /// `result` in this format.
    pub fn render(self, result: &QueryResult) -> String {
        match self {
            Format::Csv => to_csv(result),
            Format::Json => to_json(result),
        }
    }

    /// The file name extension of an export (`csv`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The media type of an export (`text/csv`).
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Json => "application/json",
        }
    }
}

/// One SQLite value, as stored (SQLite's five storage classes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value")]
pub enum Value {
    /// NULL.
    Null,
    /// A 64-bit integer.
    Integer(i64),
    /// A 64-bit float.
    Real(f64),
    /// Text that is valid UTF-8.
    Text(String),
    /// Text whose bytes are not valid UTF-8 (SQLite does not enforce it); kept exactly, so a
    /// dump round-trips.
    TextBytes(Vec<u8>),
    /// A blob.
    Blob(Vec<u8>),
}

/// The rows of a table or a query.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QueryResult {
    /// Column names, in order (a query may repeat a name).
    pub columns: Vec<String>,
    /// Rows, each with one value per column.
    pub rows: Vec<Vec<Value>>,
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A float as the shortest text that reads back as the same number, always with a `.` or an
/// exponent so that it reads back as a float and not an integer (`1.0`, `0.1`, `1e300`).
/// Infinities (which SQLite can store) are `Inf` / `-Inf`; the SQL dump writes them differently.
pub(crate) fn float_text(value: f64) -> String {
    if value.is_infinite() {
        return if value > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    // `{:?}` is Rust's shortest round-trip form and keeps `.0` / uses `e` where needed.
    format!("{value:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_keep_their_kind_and_value() {
        for value in [0.1, 1.0, -0.5, 1e300, 2.5e-308, 1.0 / 3.0, 123456789.0] {
            let text = float_text(value);
            assert!(text.contains('.') || text.contains('e'), "{text}");
            assert_eq!(text.parse::<f64>().expect("parses"), value);
        }
        assert_eq!(float_text(f64::INFINITY), "Inf");
    }

    #[test]
    fn hex_is_lower_case_pairs() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
    }
}
