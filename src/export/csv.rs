//! CSV as RFC 4180 writes it: a header row of column names, `,` between fields, `\r\n` after
//! every row, and a field quoted (with `"` doubled) when it holds `,`, `"`, CR or LF or starts
//! or ends with a space. NULL is an empty field, an empty text is `""` so the two stay apart;
//! blobs are `\x` followed by hex (PostgreSQL's notation), and so is text whose bytes are not
//! UTF-8 (a CSV file is UTF-8); floats in their shortest exact form (`-0.0`, `5e-324`, `Inf`).
//! Every other character of a text, CR, LF, NUL and control characters included, is written as
//! it is.

use super::{float_text, hex, QueryResult, Value};

/// `result` as CSV text.
pub fn to_csv(result: &QueryResult) -> String {
    let mut out = String::new();
    write_row(&mut out, result.columns.iter().map(|c| Some(c.clone())));
    for row in &result.rows {
        write_row(&mut out, row.iter().map(field));
    }
    out
}

/// One value as a field's text; `None` for NULL.
fn field(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Integer(number) => Some(number.to_string()),
        Value::Real(number) => Some(float_text(*number)),
        Value::Text(text) => Some(text.clone()),
        // A CSV file is UTF-8 text: bytes that are not UTF-8 are given in hex, as a blob's.
        Value::TextBytes(bytes) => Some(format!("\\x{}", hex(bytes))),
        Value::Blob(bytes) => Some(format!("\\x{}", hex(bytes))),
    }
}

/// Writes one record and its line end.
fn write_row(out: &mut String, fields: impl Iterator<Item = Option<String>>) {
    for (index, value) in fields.enumerate() {
        if index > 0 {
            out.push(',');
        }
        match value {
            None => {}
            Some(text) if text.is_empty() => out.push_str("\"\""),
            Some(text) => out.push_str(&quoted(&text)),
        }
    }
    out.push_str("\r\n");
}

/// The text, quoted when a CSV reader would otherwise misread it.
fn quoted(text: &str) -> String {
    let needs_quotes =
        text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        let result = QueryResult {
            columns: vec!["id".into(), "body, text".into()],
            rows: vec![
                vec![Value::Integer(1), Value::Text("say \"hi\"\nbye".into())],
                vec![Value::Null, Value::Text(String::new())],
                vec![Value::Real(1.0), Value::Blob(vec![0xde, 0xad])],
                vec![Value::Integer(-3), Value::Text("naïve ✓".into())],
            ],
        };
        assert_eq!(
            to_csv(&result),
            "id,\"body, text\"\r\n1,\"say \"\"hi\"\"\nbye\"\r\n,\"\"\r\n1.0,\\xdead\r\n-3,naïve ✓\r\n"
        );
    }
}
