//! The text of one statement Alembic executed: its bound parameters written in as exact SQLite
//! literals, its layout tidied, and what kind of statement it is. Pure: a small lexer that knows
//! SQLite's quoting (`'…'`, `"…"`, `` `…` ``, `[…]`) and comments, so a `?` or a word inside a
//! string is never taken for a parameter or a keyword.

use super::capture::{Bound, ParamSet};
use crate::export::{sql_literal, Value};

/// One lexical piece of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// Spaces, tabs, newlines.
    Space(String),
    /// `-- …` up to the line end, or `/* … */`.
    Comment(String),
    /// A string literal with its quotes.
    Text(String),
    /// A quoted identifier with its quotes.
    Quoted(String),
    /// A keyword, a bare identifier or a number.
    Word(String),
    /// A parameter placeholder.
    Param(Placeholder),
    /// Any other character (operators, punctuation).
    Other(char),
}

/// A placeholder as SQLite reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Placeholder {
    /// `?`: the parameter after the highest one numbered so far.
    Next,
    /// `?NNN`, 1-based.
    Numbered(usize),
    /// `:name`, `@name`, `$name`: the prefix and the name.
    Named(char, String),
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `sql` into tokens; unterminated quotes and comments run to the end.
fn lex(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    let take_while = |from: usize, keep: &dyn Fn(char) -> bool| {
        let mut end = from;
        while end < chars.len() && keep(chars[end]) {
            end += 1;
        }
        end
    };
    while at < chars.len() {
        let c = chars[at];
        let next = chars.get(at + 1).copied();
        let (token, end) = if c.is_whitespace() {
            let end = take_while(at, &|c: char| c.is_whitespace());
            (Token::Space(chars[at..end].iter().collect()), end)
        } else if c == '-' && next == Some('-') {
            let end = take_while(at, &|c: char| c != '\n');
            (Token::Comment(chars[at..end].iter().collect()), end)
        } else if c == '/' && next == Some('*') {
            let mut end = at + 2;
            while end < chars.len() && !(chars[end] == '*' && chars.get(end + 1) == Some(&'/')) {
                end += 1;
            }
            let end = (end + 2).min(chars.len());
            (Token::Comment(chars[at..end].iter().collect()), end)
        } else if matches!(c, '\'' | '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            let mut end = at + 1;
            loop {
                match chars.get(end) {
                    None => break,
                    // A doubled quote stands for itself inside the literal.
                    Some(&q)
                        if q == close && close != ']' && chars.get(end + 1) == Some(&close) =>
                    {
                        end += 2
                    }
                    Some(&q) if q == close => {
                        end += 1;
                        break;
                    }
                    Some(_) => end += 1,
                }
            }
            let text: String = chars[at..end].iter().collect();
            let token = if c == '\'' {
                Token::Text(text)
            } else {
                Token::Quoted(text)
            };
            (token, end)
        } else if c == '?' {
            let end = take_while(at + 1, &|c: char| c.is_ascii_digit());
            let token = match chars[at + 1..end].iter().collect::<String>().parse() {
                Ok(number) => Token::Param(Placeholder::Numbered(number)),
                Err(_) => Token::Param(Placeholder::Next),
            };
            (token, end)
        } else if matches!(c, ':' | '@' | '$') && next.is_some_and(is_word_char) {
            let end = take_while(at + 1, &is_word_char);
            let name = chars[at + 1..end].iter().collect();
            (Token::Param(Placeholder::Named(c, name)), end)
        } else if is_word_char(c) {
            let end = take_while(at, &is_word_char);
            (Token::Word(chars[at..end].iter().collect()), end)
        } else {
            (Token::Other(c), at + 1)
        };
        tokens.push(token);
        at = end;
    }
    tokens
}

/// Why a statement's parameters could not be written into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindProblem {
    /// The statement has a placeholder with no value.
    MissingValue(String),
    /// A value whose type SQLite's Python driver would not bind as it is.
    Unrenderable(String),
    /// Values that no placeholder used.
    UnusedValues(usize),
}

impl std::fmt::Display for BindProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BindProblem::MissingValue(which) => write!(f, "no value was bound for {which}"),
            BindProblem::Unrenderable(what) => write!(f, "a bound value of type {what}"),
            BindProblem::UnusedValues(count) => {
                write!(f, "{count} bound value(s) match no placeholder")
            }
        }
    }
}

/// The exact SQLite literal for a bound value: `NULL`, `42`, `0.1`, `'it''s'`, `X'00ff'`.
/// Floats are written in their shortest round-trip form (SQLite reads them back bit for bit),
/// NaN as `NULL` (SQLite stores a bound NaN as NULL), infinities as `±1e999`. Text holding a
/// carriage return or a NUL, or a line that reads as a section marker (`-- migrate:down`), is
/// written by its bytes, `CAST(X'…' AS TEXT)`: a migration file is read line by line, which would
/// drop a `\r` before a `\n` and end the section at such a line.
pub fn literal(value: &Bound) -> Result<String, BindProblem> {
    let value = match value {
        Bound::Null => Value::Null,
        Bound::Int(text) => Value::Integer(
            text.parse()
                .map_err(|_| BindProblem::Unrenderable(format!("integer {text}")))?,
        ),
        Bound::Real(text) => match text.as_str() {
            "nan" => Value::Null,
            "inf" => Value::Real(f64::INFINITY),
            "-inf" => Value::Real(f64::NEG_INFINITY),
            _ => Value::Real(
                text.parse()
                    .map_err(|_| BindProblem::Unrenderable(format!("float {text}")))?,
            ),
        },
        Bound::Text(text) if text.contains('\r') || has_marker_line(text) => {
            Value::TextBytes(text.as_bytes().to_vec())
        }
        Bound::Text(text) => Value::Text(text.clone()),
        Bound::Blob(hex) => Value::Blob(
            decode_hex(hex).ok_or_else(|| BindProblem::Unrenderable(format!("blob {hex}")))?,
        ),
        Bound::Unknown(what) => return Err(BindProblem::Unrenderable(what.clone())),
    };
    Ok(sql_literal(&value))
}

/// Whether a line of `text` would read as a migration file's section marker.
fn has_marker_line(text: &str) -> bool {
    text.lines()
        .any(|line| matches!(line.trim_end(), "-- migrate:up" | "-- migrate:down"))
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok())
        .collect()
}

/// `sql` with every placeholder replaced by the literal of its value, tidied (see [`tidy`]).
pub fn bind(sql: &str, params: &ParamSet) -> Result<String, BindProblem> {
    let mut out = String::new();
    let mut highest = 0;
    let mut used_positions = std::collections::BTreeSet::new();
    let mut used_names = std::collections::BTreeSet::new();
    for token in lex(sql) {
        let Token::Param(placeholder) = token else {
            push_token(&mut out, &token);
            continue;
        };
        let value = match (&placeholder, params) {
            (Placeholder::Named(_, name), ParamSet::Named(values)) => {
                used_names.insert(name.clone());
                values.get(name)
            }
            (Placeholder::Named(..), ParamSet::Positional(_)) | (_, ParamSet::Named(_)) => None,
            (position, ParamSet::Positional(values)) => {
                let index = match position {
                    Placeholder::Numbered(number) => *number,
                    _ => highest + 1,
                };
                highest = highest.max(index);
                used_positions.insert(index);
                index.checked_sub(1).and_then(|at| values.get(at))
            }
        };
        let value = value.ok_or_else(|| BindProblem::MissingValue(describe(&placeholder)))?;
        out.push_str(&literal(value)?);
    }
    let unused = match params {
        ParamSet::Positional(values) => values.len().saturating_sub(used_positions.len()),
        ParamSet::Named(values) => values.keys().filter(|k| !used_names.contains(*k)).count(),
    };
    if unused > 0 {
        return Err(BindProblem::UnusedValues(unused));
    }
    Ok(tidy(&out))
}

/// The placeholder as written: `?`, `?2`, `:name`.
fn placeholder_text(placeholder: &Placeholder) -> String {
    match placeholder {
        Placeholder::Next => "?".to_string(),
        Placeholder::Numbered(number) => format!("?{number}"),
        Placeholder::Named(prefix, name) => format!("{prefix}{name}"),
    }
}

fn describe(placeholder: &Placeholder) -> String {
    match placeholder {
        Placeholder::Next => "a `?`".to_string(),
        other => format!("`{}`", placeholder_text(other)),
    }
}

fn push_token(out: &mut String, token: &Token) {
    match token {
        Token::Space(text)
        | Token::Comment(text)
        | Token::Text(text)
        | Token::Quoted(text)
        | Token::Word(text) => out.push_str(text),
        Token::Param(placeholder) => out.push_str(&placeholder_text(placeholder)),
        Token::Other(c) => out.push(*c),
    }
}

/// The statement as a migration file shows it: no leading or trailing blank space, no `;` at
/// the end (the file adds one), no spaces at line ends and tabs at line starts as four spaces —
/// all outside literals and quoted names, which keep every character.
pub fn tidy(sql: &str) -> String {
    let mut tokens = lex(sql);
    while matches!(
        tokens.last(),
        Some(Token::Space(_)) | Some(Token::Other(';'))
    ) {
        tokens.pop();
    }
    while matches!(tokens.first(), Some(Token::Space(_))) {
        tokens.remove(0);
    }
    let mut out = String::new();
    for token in &tokens {
        match token {
            Token::Space(text) if text.contains(['\n', '\r']) => {
                let text = text.replace('\r', "");
                let lines: Vec<&str> = text.split('\n').collect();
                let last = lines.len() - 1;
                for (index, line) in lines.iter().enumerate() {
                    if index < last {
                        out.push('\n');
                    } else {
                        out.push_str(&line.replace('\t', "    "));
                    }
                }
            }
            other => push_token(&mut out, other),
        }
    }
    out
}

/// `CREATE TABLE` with its table constraints in a fixed order: primary key, CHECKs, UNIQUEs,
/// foreign keys, each kind sorted by its text; columns and everything else are untouched.
/// Alembic's batch mode emits the constraints of the table it rebuilds in an order that changes
/// from run to run (it keeps them in a set), which would make two imports of the same history
/// differ; the order has no effect on the table (SQLite numbers the automatic indexes of UNIQUE
/// constraints by it, and their names are not part of the schema content-db compares).
pub fn ordered_constraints(sql: &str) -> String {
    let tokens = lex(sql);
    let words: Vec<String> = upper_words(&tokens).take(4).collect();
    let is_create_table = words.first().is_some_and(|w| w == "CREATE")
        && words.iter().skip(1).take(2).any(|w| w == "TABLE");
    let Some(open) = tokens.iter().position(|t| *t == Token::Other('(')) else {
        return sql.to_string();
    };
    if !is_create_table {
        return sql.to_string();
    }
    // The body's items, split at commas outside any nested parentheses.
    let mut items: Vec<Vec<Token>> = vec![Vec::new()];
    let mut depth = 0;
    let mut close = None;
    for (at, token) in tokens.iter().enumerate().skip(open + 1) {
        match token {
            Token::Other('(') => depth += 1,
            Token::Other(')') if depth == 0 => {
                close = Some(at);
                break;
            }
            Token::Other(')') => depth -= 1,
            Token::Other(',') if depth == 0 => {
                items.push(Vec::new());
                continue;
            }
            _ => {}
        }
        items
            .last_mut()
            .expect("one item at least")
            .push(token.clone());
    }
    let Some(close) = close else {
        return sql.to_string();
    };
    let render = |item: &[Token]| {
        let mut out = String::new();
        item.iter().for_each(|token| push_token(&mut out, token));
        out.trim().to_string()
    };
    let rank = |item: &[Token]| {
        let mut words = upper_words(item);
        let mut first = words.next().unwrap_or_default();
        if first == "CONSTRAINT" {
            first = words.nth(1).unwrap_or_default();
        }
        ["PRIMARY", "CHECK", "UNIQUE", "FOREIGN"]
            .iter()
            .position(|kind| *kind == first)
    };
    let texts: Vec<(Option<usize>, String)> = items
        .iter()
        .map(|item| (rank(item), render(item)))
        .collect();
    let Some(first_constraint) = texts.iter().position(|(rank, _)| rank.is_some()) else {
        return sql.to_string();
    };
    if texts[first_constraint..]
        .iter()
        .any(|(rank, _)| rank.is_none())
    {
        return sql.to_string(); // a column after a constraint: not a layout to touch
    }
    let mut constraints = texts[first_constraint..].to_vec();
    constraints.sort();
    if constraints == texts[first_constraint..] {
        return sql.to_string();
    }
    let ordered: Vec<String> = texts[..first_constraint]
        .iter()
        .chain(&constraints)
        .map(|(_, text)| text.clone())
        .collect();
    let mut head = String::new();
    tokens[..=open]
        .iter()
        .for_each(|token| push_token(&mut head, token));
    let mut tail = String::new();
    tokens[close..]
        .iter()
        .for_each(|token| push_token(&mut tail, token));
    let multiline = tokens[open..close]
        .iter()
        .any(|token| matches!(token, Token::Space(text) if text.contains('\n')));
    if multiline {
        format!("{head}\n    {}\n{tail}", ordered.join(",\n    "))
    } else {
        format!("{head}{}{tail}", ordered.join(", "))
    }
}

/// The bare words (keywords, names, numbers) of `tokens`, upper-cased, in order.
fn upper_words(tokens: &[Token]) -> impl Iterator<Item = String> + '_ {
    tokens.iter().filter_map(|token| match token {
        Token::Word(word) => Some(word.to_ascii_uppercase()),
        _ => None,
    })
}

/// The statements with each run of consecutive `CREATE INDEX` (or `DROP INDEX`) statements
/// sorted: Alembic's batch mode recreates a table's indexes in an order that changes from run to
/// run, and the order of such a run has no effect.
pub fn ordered_index_runs(statements: Vec<String>) -> Vec<String> {
    let kind = |sql: &str| {
        let words: Vec<String> = upper_words(&lex(sql)).take(3).collect();
        match words
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["CREATE", "INDEX", ..] | ["CREATE", "UNIQUE", "INDEX"] => Some("create"),
            ["DROP", "INDEX", ..] => Some("drop"),
            _ => None,
        }
    };
    let mut out: Vec<String> = Vec::with_capacity(statements.len());
    let mut run_start = 0;
    for statement in statements {
        let this = kind(&statement);
        let continues = this.is_some() && out.last().is_some_and(|last| kind(last) == this);
        if !continues {
            out[run_start..].sort();
            run_start = out.len();
        }
        out.push(statement);
    }
    out[run_start..].sort();
    out
}

/// What a captured statement is, for the importer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// It changes the schema or the rows: it goes into the migration file.
    Effect,
    /// Reflection (SQLAlchemy reading the schema: a `PRAGMA` query, a read of `sqlite_master`):
    /// left out, it changes nothing.
    Reflection,
    /// `BEGIN`, `COMMIT`, `SAVEPOINT`…: left out, content-db runs each step in its own
    /// transaction.
    Transaction,
    /// A statement that returned rows from the user's tables: the revision's Python may decide
    /// on them, so its effect cannot be captured from an empty database.
    DataRead,
}

/// Classifies a statement by its text and whether it returned rows (a result set).
pub fn classify(sql: &str, returned_rows: bool) -> StatementKind {
    let tokens = lex(sql);
    let words: Vec<String> = tokens
        .iter()
        .filter_map(|token| match token {
            Token::Word(word) => Some(word.to_ascii_lowercase()),
            Token::Quoted(quoted) => Some(unquote(quoted).to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let first = words.first().map(String::as_str).unwrap_or("");
    if matches!(
        first,
        "begin" | "commit" | "end" | "rollback" | "savepoint" | "release"
    ) {
        return StatementKind::Transaction;
    }
    if first == "pragma" {
        // `PRAGMA x = y` sets something (kept); `PRAGMA x` and `PRAGMA x(arg)` read.
        let sets = tokens.contains(&Token::Other('='));
        return if sets {
            StatementKind::Effect
        } else {
            StatementKind::Reflection
        };
    }
    if !returned_rows {
        return StatementKind::Effect;
    }
    let reads_catalog = words.iter().any(|word| {
        matches!(
            word.as_str(),
            "sqlite_master" | "sqlite_temp_master" | "sqlite_schema" | "sqlite_temp_schema"
        ) || word.starts_with("pragma_")
    });
    let is_query = matches!(first, "select" | "with" | "values");
    if is_query && reads_catalog {
        StatementKind::Reflection
    } else {
        StatementKind::DataRead
    }
}

fn unquote(quoted: &str) -> &str {
    let inner = quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or("");
    inner
}

/// A parameter set given by name (tests build them by hand).
#[cfg(test)]
fn named(values: impl IntoIterator<Item = (&'static str, Bound)>) -> ParamSet {
    ParamSet::Named(
        values
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Bound {
        Bound::Text(value.to_string())
    }

    fn positional(values: Vec<Bound>) -> ParamSet {
        ParamSet::Positional(values)
    }

    #[test]
    fn placeholders_outside_literals_take_their_values() {
        let sql = "INSERT INTO t (a, \"b?\", c) VALUES (?, '?', ?) -- what?";
        let out =
            bind(sql, &positional(vec![Bound::Int("7".into()), text("it's")])).expect("binds");
        assert_eq!(
            out,
            "INSERT INTO t (a, \"b?\", c) VALUES (7, '?', 'it''s') -- what?"
        );
        let numbered = bind(
            "SELECT ?2, ?1, ?",
            &positional(vec![
                Bound::Int("1".into()),
                Bound::Int("2".into()),
                Bound::Int("3".into()),
            ]),
        )
        .expect("binds");
        assert_eq!(numbered, "SELECT 2, 1, 3");
        let by_name = bind(
            "UPDATE t SET a = :a WHERE b = :b AND c = ':a'",
            &named([("a", Bound::Null), ("b", Bound::Real("0.1".into()))]),
        )
        .expect("binds");
        assert_eq!(by_name, "UPDATE t SET a = NULL WHERE b = 0.1 AND c = ':a'");
    }

    #[test]
    fn a_missing_or_unused_value_is_refused() {
        assert_eq!(
            bind("SELECT ?, ?", &positional(vec![Bound::Null])),
            Err(BindProblem::MissingValue("a `?`".into()))
        );
        assert_eq!(
            bind("SELECT 1", &positional(vec![Bound::Null])),
            Err(BindProblem::UnusedValues(1))
        );
        assert_eq!(
            bind("SELECT :x", &named([("y", Bound::Null)])),
            Err(BindProblem::MissingValue("`:x`".into()))
        );
        assert!(matches!(
            bind(
                "SELECT ?",
                &positional(vec![Bound::Unknown("Decimal('1')".into())])
            ),
            Err(BindProblem::Unrenderable(_))
        ));
    }

    #[test]
    fn literals_are_exact() {
        assert_eq!(literal(&Bound::Null).as_deref(), Ok("NULL"));
        assert_eq!(
            literal(&Bound::Int("-9223372036854775808".into())).as_deref(),
            Ok("-9223372036854775808")
        );
        assert_eq!(literal(&Bound::Real("1e-05".into())).as_deref(), Ok("1e-5"));
        assert_eq!(literal(&Bound::Real("nan".into())).as_deref(), Ok("NULL"));
        assert_eq!(
            literal(&Bound::Real("-inf".into())).as_deref(),
            Ok("-1e999")
        );
        assert_eq!(
            literal(&text("a\nb 'ü' 🚀")).as_deref(),
            Ok("'a\nb ''ü'' 🚀'")
        );
        assert_eq!(
            literal(&text("a\r\nb")).as_deref(),
            Ok("CAST(X'610d0a62' AS TEXT)")
        );
        assert_eq!(
            literal(&text("a\0b")).as_deref(),
            Ok("CAST(X'610062' AS TEXT)")
        );
        assert_eq!(
            literal(&Bound::Blob("00ff".into())).as_deref(),
            Ok("X'00ff'")
        );
        assert!(literal(&Bound::Blob("0".into())).is_err());
    }

    /// SQLite reads every rendered literal back as the very value that was bound.
    #[test]
    fn sqlite_reads_the_literals_back_bit_for_bit() {
        let conn = rusqlite::Connection::open_in_memory().expect("open");
        let mut rng = fastrand::Rng::with_seed(15);
        let mut floats: Vec<f64> = (0..2000).map(|_| f64::from_bits(rng.u64(..))).collect();
        floats.extend([
            0.1,
            -0.0,
            1e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            1.0 / 3.0,
        ]);
        for value in floats.into_iter().filter(|v| v.is_finite()) {
            // Python's repr is the shortest round-trip form too; Rust's {:?} stands in for it.
            let sql = format!(
                "SELECT {}",
                literal(&Bound::Real(format!("{value:?}"))).expect("renders")
            );
            let back: f64 = conn.query_row(&sql, [], |row| row.get(0)).expect("reads");
            assert_eq!(back.to_bits(), value.to_bits(), "{sql}");
        }
        for sample in [
            "",
            "it's",
            "a\r\nb\u{0}c",
            "日本語\n\t🚀",
            "-- migrate:down",
        ] {
            let sql = format!(
                "SELECT {}, typeof({0})",
                literal(&text(sample)).expect("renders")
            );
            let (back, kind): (String, String) = conn
                .query_row(&sql, [], |row| Ok((row.get(0)?, row.get(1)?)))
                .expect("reads");
            assert_eq!((back.as_str(), kind.as_str()), (sample, "text"));
        }
    }

    #[test]
    fn tidy_keeps_placeholders_as_written() {
        assert_eq!(
            tidy("SELECT a FROM t WHERE b = ? AND c = :c AND d = ?2;"),
            "SELECT a FROM t WHERE b = ? AND c = :c AND d = ?2"
        );
    }

    #[test]
    fn tidy_trims_line_ends_outside_literals_only() {
        assert_eq!(
            tidy("\nCREATE TABLE t (\n\tid INTEGER, \n\tname TEXT\n);\n\n"),
            "CREATE TABLE t (\n    id INTEGER,\n    name TEXT\n)"
        );
        assert_eq!(tidy("SELECT 'a \n\tb' ;"), "SELECT 'a \n\tb'");
    }

    #[test]
    fn table_constraints_come_in_one_order() {
        let batch = "CREATE TABLE _alembic_tmp_posts (\n    id INTEGER NOT NULL,\n    status VARCHAR(20) DEFAULT 'a,b' NOT NULL,\n    \
                     PRIMARY KEY (id),\n    CONSTRAINT fk_x FOREIGN KEY(user_id) REFERENCES users (id),\n    \
                     CONSTRAINT ck_s CHECK (status IN ('a', 'b')),\n    UNIQUE (status)\n)";
        assert_eq!(
            ordered_constraints(batch),
            "CREATE TABLE _alembic_tmp_posts (\n    id INTEGER NOT NULL,\n    status VARCHAR(20) DEFAULT 'a,b' NOT NULL,\n    \
             PRIMARY KEY (id),\n    CONSTRAINT ck_s CHECK (status IN ('a', 'b')),\n    UNIQUE (status),\n    \
             CONSTRAINT fk_x FOREIGN KEY(user_id) REFERENCES users (id)\n)"
        );
        let in_order = "CREATE TABLE t (a INTEGER, PRIMARY KEY (a), CHECK (a > 0))";
        assert_eq!(ordered_constraints(in_order), in_order);
        assert_eq!(
            ordered_constraints("CREATE TABLE t (a, CHECK (a > 0), PRIMARY KEY (a))"),
            "CREATE TABLE t (a, PRIMARY KEY (a), CHECK (a > 0))"
        );
        let other = "INSERT INTO t (b, a) VALUES (1, 2)";
        assert_eq!(ordered_constraints(other), other);
    }

    #[test]
    fn runs_of_index_statements_are_sorted() {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            ordered_index_runs(list(&[
                "CREATE INDEX ix_b ON t (b)",
                "CREATE UNIQUE INDEX ix_a ON t (a)",
                "UPDATE t SET a = 1",
                "DROP INDEX ix_z",
                "DROP INDEX ix_y",
                "CREATE INDEX ix_d ON t (d)",
                "CREATE INDEX ix_c ON t (c)",
            ])),
            list(&[
                "CREATE INDEX ix_b ON t (b)",
                "CREATE UNIQUE INDEX ix_a ON t (a)",
                "UPDATE t SET a = 1",
                "DROP INDEX ix_y",
                "DROP INDEX ix_z",
                "CREATE INDEX ix_c ON t (c)",
                "CREATE INDEX ix_d ON t (d)",
            ])
        );
    }

    #[test]
    fn statements_are_classified() {
        use StatementKind::*;
        assert_eq!(
            classify("PRAGMA main.table_xinfo(\"posts\")", true),
            Reflection
        );
        assert_eq!(classify("PRAGMA foreign_keys = OFF", false), Effect);
        assert_eq!(
            classify("SELECT sql FROM (SELECT * FROM sqlite_master UNION ALL SELECT * FROM sqlite_temp_master) WHERE name = ?", true),
            Reflection
        );
        assert_eq!(classify("SELECT id, status FROM posts", true), DataRead);
        assert_eq!(
            classify("select 'sqlite_master' from posts", true),
            DataRead
        );
        assert_eq!(
            classify("UPDATE posts SET a = 1 RETURNING id", true),
            DataRead
        );
        assert_eq!(classify("UPDATE posts SET a = 1", false), Effect);
        assert_eq!(classify("SAVEPOINT sa_savepoint_1", false), Transaction);
        assert_eq!(classify("-- note\nCOMMIT", false), Transaction);
    }
}
