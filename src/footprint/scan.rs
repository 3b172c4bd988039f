//! What one migration section's SQL writes, read from its statements' leading words: which
//! tables it copies rows from, which it changes in place, which indexes it builds, which tables
//! it renames or drops. A reading of the text, not a parser: a statement it does not know is
//! taken to write nothing (e.g. `CREATE TABLE … (…)`, `DROP`, `ALTER … ADD COLUMN`, which change
//! only the schema and a few pages).

/// What one statement does to the sizes the estimate tracks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// Rows copied into `into` from the tables `from` (`INSERT … SELECT`, `CREATE TABLE … AS`).
    Copy {
        /// The table written.
        into: String,
        /// The tables read.
        from: Vec<String>,
    },
    /// Rows of `table` changed or deleted where they are (`UPDATE`, `DELETE`, `REINDEX`).
    InPlace {
        /// The table changed.
        table: String,
    },
    /// An index `index` built over `table`.
    Index {
        /// The new index's name.
        index: String,
        /// The table it indexes.
        table: String,
    },
    /// `ALTER TABLE from RENAME TO to`.
    Rename {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// `CREATE TABLE table (…)`: a new, empty table.
    Create {
        /// The new table.
        table: String,
    },
    /// `DROP TABLE table`.
    Drop {
        /// The dropped table.
        table: String,
    },
    /// `VACUUM`: the whole database is written again.
    Vacuum,
}

/// The writes of `sql`'s statements, in order (names in lower case, schema prefixes dropped).
pub fn writes(sql: &str) -> Vec<Write> {
    statements(sql)
        .iter()
        .filter_map(|tokens| classify(tokens))
        .collect()
}

/// A token: a word or identifier (lower case, unquoted) or one punctuation character.
type Token = String;

/// The statements of `sql` as tokens, comments and string literals left out.
fn statements(sql: &str) -> Vec<Vec<Token>> {
    let mut statements = vec![Vec::new()];
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        let current = statements.last_mut().expect("never empty");
        match c {
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '\'' => skip_quoted(&mut chars, '\''),
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let mut name = String::new();
                while let Some(c) = chars.next() {
                    if c == close {
                        if close != ']' && chars.peek() == Some(&close) {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    name.push(c);
                }
                current.push(name.to_lowercase());
            }
            ';' => statements.push(Vec::new()),
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = c.to_lowercase().to_string();
                while let Some(&next) = chars.peek() {
                    if !(next.is_alphanumeric() || next == '_' || next == '$') {
                        break;
                    }
                    word.extend(next.to_lowercase());
                    chars.next();
                }
                current.push(word);
            }
            c if c.is_whitespace() => {}
            c => current.push(c.to_string()),
        }
    }
    statements.retain(|tokens| !tokens.is_empty());
    statements
}

/// Skips a literal up to its closing `quote` (a doubled one is part of it).
fn skip_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, quote: char) {
    while let Some(c) = chars.next() {
        if c == quote {
            if chars.peek() == Some(&quote) {
                chars.next();
            } else {
                return;
            }
        }
    }
}

/// The name at `tokens[at..]`: `name` or `schema.name`; returns it and the position after it.
fn name_at(tokens: &[Token], at: usize) -> Option<(String, usize)> {
    let first = tokens.get(at)?;
    if tokens.get(at + 1).map(String::as_str) == Some(".") {
        return Some((tokens.get(at + 2)?.clone(), at + 3));
    }
    Some((first.clone(), at + 1))
}

/// Skips `words` at `at` if they are there (e.g. `if not exists`).
fn skip(tokens: &[Token], at: usize, words: &[&str]) -> usize {
    let present = words
        .iter()
        .enumerate()
        .all(|(i, word)| tokens.get(at + i).map(String::as_str) == Some(word));
    if present {
        at + words.len()
    } else {
        at
    }
}

/// The tables a statement reads rows from: each name after `from` or `join`, and those listed
/// after it with commas.
fn read_tables(tokens: &[Token]) -> Vec<String> {
    let mut tables = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        if tokens[at] == "from" || tokens[at] == "join" {
            let mut next = at + 1;
            while let Some((name, after)) = name_at(tokens, next) {
                if name == "(" || name == "select" {
                    break;
                }
                tables.push(name);
                // An alias, with or without `as`, then a comma for another table.
                let mut after = skip(tokens, after, &["as"]);
                if tokens
                    .get(after)
                    .is_some_and(|t| is_word(t) && !is_keyword(t))
                {
                    after += 1;
                }
                if tokens.get(after).map(String::as_str) != Some(",") {
                    break;
                }
                next = after + 1;
            }
        }
        at += 1;
    }
    tables.sort();
    tables.dedup();
    tables
}

fn is_word(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Words that end a table list rather than name an alias.
fn is_keyword(token: &str) -> bool {
    matches!(
        token,
        "where"
            | "join"
            | "inner"
            | "left"
            | "right"
            | "full"
            | "cross"
            | "natural"
            | "on"
            | "using"
            | "group"
            | "order"
            | "limit"
            | "union"
            | "except"
            | "intersect"
            | "window"
            | "having"
            | "returning"
    )
}

/// What one statement's tokens write.
fn classify(tokens: &[Token]) -> Option<Write> {
    let word = |at: usize| tokens.get(at).map(String::as_str);
    match word(0)? {
        "insert" | "replace" => {
            let mut at = 1;
            if word(at) == Some("or") {
                at += 2;
            }
            at = skip(tokens, at, &["into"]);
            let (into, _) = name_at(tokens, at)?;
            let from = read_tables(tokens);
            (!from.is_empty()).then_some(Write::Copy { into, from })
        }
        "update" => {
            let at = if word(1) == Some("or") { 3 } else { 1 };
            let (table, _) = name_at(tokens, at)?;
            Some(Write::InPlace { table })
        }
        "delete" => {
            let (table, _) = name_at(tokens, skip(tokens, 1, &["from"]))?;
            Some(Write::InPlace { table })
        }
        "reindex" => name_at(tokens, 1).map(|(table, _)| Write::InPlace { table }),
        "vacuum" => Some(Write::Vacuum),
        "create" => {
            let mut at = skip(tokens, 1, &["unique"]);
            at = skip(tokens, at, &["temp"]);
            at = skip(tokens, at, &["temporary"]);
            match word(at)? {
                "index" => {
                    let at = skip(tokens, at + 1, &["if", "not", "exists"]);
                    let (index, after) = name_at(tokens, at)?;
                    if word(after) != Some("on") {
                        return None;
                    }
                    let (table, _) = name_at(tokens, after + 1)?;
                    Some(Write::Index { index, table })
                }
                "table" => {
                    let at = skip(tokens, at + 1, &["if", "not", "exists"]);
                    let (into, after) = name_at(tokens, at)?;
                    if word(after) != Some("as") {
                        return Some(Write::Create { table: into });
                    }
                    let from = read_tables(tokens);
                    (!from.is_empty()).then_some(Write::Copy { into, from })
                }
                _ => None,
            }
        }
        "alter" if word(1) == Some("table") => {
            let (from, after) = name_at(tokens, 2)?;
            if word(after) == Some("rename") && word(after + 1) == Some("to") {
                let (to, _) = name_at(tokens, after + 2)?;
                return Some(Write::Rename { from, to });
            }
            None
        }
        "drop" if word(1) == Some("table") => {
            let (table, _) = name_at(tokens, skip(tokens, 2, &["if", "exists"]))?;
            Some(Write::Drop { table })
        }
        _ => None,
    }
}
