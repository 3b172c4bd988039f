//! JSON: an array with one object per row, keys in column order. NULL is `null`, integers and
//! floats are numbers (an infinity, which JSON cannot hold, is `null`), text is a string, a blob
//! is `{"blob_hex": "…"}` so it cannot be mistaken for text, and text whose bytes are not UTF-8
//! (which JSON cannot hold) is `{"text_hex": "…"}`. Integers are exact (beyond ±2^53 a JavaScript
//! reader rounds them; Python's does not), floats in their shortest exact form. A column name that repeats (as a
//! query may) gets `:2`, `:3`… so no value is lost.

use super::{hex, QueryResult, Value};

/// `result` as a JSON array of row objects, one row per line.
pub fn to_json(result: &QueryResult) -> String {
    let keys = unique_keys(&result.columns);
    let mut out = String::from("[");
    for (index, row) in result.rows.iter().enumerate() {
        out.push_str(if index == 0 { "\n  {" } else { ",\n  {" });
        for (position, (key, value)) in keys.iter().zip(row).enumerate() {
            if position > 0 {
                out.push_str(", ");
            }
            out.push_str(&serde_json::Value::String(key.clone()).to_string());
            out.push_str(": ");
            out.push_str(&json_value(value).to_string());
        }
        out.push('}');
    }
    out.push_str(if result.rows.is_empty() {
        "]\n"
    } else {
        "\n]\n"
    });
    out
}

/// One value as JSON.
fn json_value(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(number) => (*number).into(),
        Value::Real(number) => serde_json::Number::from_f64(*number)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Text(text) => text.clone().into(),
        Value::TextBytes(bytes) => serde_json::json!({ "text_hex": hex(bytes) }),
        Value::Blob(bytes) => serde_json::json!({ "blob_hex": hex(bytes) }),
    }
}

/// Column names made unique: a repeat of `a` becomes `a:2`, then `a:3`.
fn unique_keys(columns: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(columns.len());
    for name in columns {
        let mut key = name.clone();
        let mut count = 1;
        while keys.contains(&key) {
            count += 1;
            key = format!("{name}:{count}");
        }
        keys.push(key);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_objects_in_column_order() {
        let result = QueryResult {
            columns: vec!["z".into(), "a".into(), "a".into()],
            rows: vec![
                vec![Value::Integer(1), Value::Real(0.1), Value::Null],
                vec![
                    Value::Text("\"q\" ✓".into()),
                    Value::Blob(vec![1, 2]),
                    Value::Real(f64::INFINITY),
                ],
            ],
        };
        let text = to_json(&result);
        assert_eq!(
            text,
            "[\n  {\"z\": 1, \"a\": 0.1, \"a:2\": null},\n  {\"z\": \"\\\"q\\\" ✓\", \"a\": {\"blob_hex\":\"0102\"}, \"a:2\": null}\n]\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(parsed[0]["a"], serde_json::json!(0.1));
        assert_eq!(to_json(&QueryResult::default()), "[]\n");
    }
}
