//! SQL text for values and names in a dump, so that loading the dump into SQLite stores exactly
//! the same value with the same storage class.

use super::{float_text, hex, Value};

/// `value` as an SQL literal: `NULL`, `42`, `0.1`, `'it''s'`, `X'00ff'`. Text holding a NUL
/// (which cannot appear in a quoted literal) or bytes that are not UTF-8 is written as
/// `CAST(X'…' AS TEXT)`, which stores the very same bytes as text; text holding a CR as quoted
/// pieces joined by `char(13)` (see [`with_carriage_returns`]). Infinities are `1e999` /
/// `-1e999` (too big for a double, so SQLite reads them as infinity, as `sqlite3 .dump` does).
pub fn sql_literal(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_string(),
        Value::Integer(number) => number.to_string(),
        Value::Real(number) if number.is_infinite() => {
            if *number > 0.0 { "1e999" } else { "-1e999" }.to_string()
        }
        Value::Real(number) => float_text(*number),
        Value::Text(text) if text.contains('\0') => text_bytes(text.as_bytes()),
        Value::Text(text) if text.contains('\r') => with_carriage_returns(text),
        Value::Text(text) => quoted(text),
        Value::TextBytes(bytes) => text_bytes(bytes),
        Value::Blob(bytes) => format!("X'{}'", hex(bytes)),
    }
}

/// `text` as a quoted literal.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Text holding carriage returns, with each one written as `char(13)` between quoted pieces:
/// `('a'||char(13)||'b')`. The `sqlite3` shell reads a dump line by line and drops a
/// CR before a line end, so a CR inside a quoted literal would not survive `dump | sqlite3`.
fn with_carriage_returns(text: &str) -> String {
    let mut parts = Vec::new();
    for (index, piece) in text.split('\r').enumerate() {
        if index > 0 {
            parts.push("char(13)".to_string());
        }
        if !piece.is_empty() {
            parts.push(quoted(piece));
        }
    }
    format!("({})", parts.join("||"))
}

/// Text given by its bytes.
fn text_bytes(bytes: &[u8]) -> String {
    format!("CAST(X'{}' AS TEXT)", hex(bytes))
}

/// `name` as a quoted SQL identifier: `"posts"`, `"we""ird"`.
pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_keep_storage_class() {
        assert_eq!(sql_literal(&Value::Null), "NULL");
        assert_eq!(sql_literal(&Value::Integer(-7)), "-7");
        assert_eq!(sql_literal(&Value::Real(1.0)), "1.0");
        assert_eq!(sql_literal(&Value::Real(f64::NEG_INFINITY)), "-1e999");
        assert_eq!(sql_literal(&Value::Text("it's".into())), "'it''s'");
        assert_eq!(
            sql_literal(&Value::Text("a\0b".into())),
            "CAST(X'610062' AS TEXT)"
        );
        assert_eq!(sql_literal(&Value::Blob(vec![0, 255])), "X'00ff'");
        assert_eq!(
            sql_literal(&Value::Text("a\nb\r\nc'\r".into())),
            "('a\nb'||char(13)||'\nc'''||char(13))"
        );
        assert_eq!(sql_literal(&Value::Text("\r".into())), "(char(13))");
        assert_eq!(quote_identifier("we\"ird"), "\"we\"\"ird\"");
    }
}
