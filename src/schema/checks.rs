//! Named CHECK constraints from a CREATE TABLE text. SQLite has no PRAGMA for CHECK
//! constraints, so, like `dump_schema.py`, we find `CONSTRAINT name CHECK (` and take the text
//! up to the matching parenthesis, whitespace-normalized. The scan follows the script's regular
//! expression `CONSTRAINT\s+"?(\w+)"?\s+CHECK\s*\(` (case-insensitive) and its parenthesis
//! counting exactly, so both tools read the same constraints from the same text.

use super::Check;

/// The named CHECK constraints of `create_sql`, sorted by name.
pub fn named_checks(create_sql: &str) -> Vec<Check> {
    let chars: Vec<char> = create_sql.chars().collect();
    let mut found = Vec::new();
    let mut position = 0;
    while position < chars.len() {
        let Some((name, body_start)) = match_constraint_check(&chars, position) else {
            position += 1;
            continue;
        };
        let body_end = matching_parenthesis(&chars, body_start);
        let body: String = chars
            .get(body_start..body_end)
            .unwrap_or(&[])
            .iter()
            .collect();
        found.push(Check {
            name,
            expr: normalize_whitespace(&body),
        });
        // Like `re.finditer`, the next search starts where this match ended (after the `(`).
        position = body_start;
    }
    found.sort_by(|left, right| left.name.cmp(&right.name));
    found
}

/// Matches `CONSTRAINT\s+"?(\w+)"?\s+CHECK\s*\(` at `start`: the name and the index after `(`.
fn match_constraint_check(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut at = expect_keyword(chars, start, "CONSTRAINT")?;
    at = skip_spaces(chars, at, 1)?;
    if chars.get(at) == Some(&'"') {
        at += 1;
    }
    let name_start = at;
    while chars.get(at).is_some_and(|&c| is_word(c)) {
        at += 1;
    }
    if at == name_start {
        return None;
    }
    let name: String = chars[name_start..at].iter().collect();
    if chars.get(at) == Some(&'"') {
        at += 1;
    }
    at = skip_spaces(chars, at, 1)?;
    at = expect_keyword(chars, at, "CHECK")?;
    at = skip_spaces(chars, at, 0)?;
    (chars.get(at) == Some(&'(')).then_some((name, at + 1))
}

/// The index of the `)` closing the parenthesis opened just before `body_start`. Quotes are not
/// special (the script counts every parenthesis); an unbalanced text ends one before its end.
fn matching_parenthesis(chars: &[char], body_start: usize) -> usize {
    let mut depth = 1;
    let mut at = body_start;
    while depth > 0 && at < chars.len() {
        match chars[at] {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        at += 1;
    }
    at.saturating_sub(1)
}

/// `keyword` (ASCII, any case) at `at`: the index after it.
fn expect_keyword(chars: &[char], at: usize, keyword: &str) -> Option<usize> {
    let end = at + keyword.len();
    let candidate = chars.get(at..end)?;
    let matches = candidate
        .iter()
        .zip(keyword.chars())
        .all(|(found, wanted)| found.eq_ignore_ascii_case(&wanted));
    matches.then_some(end)
}

/// Skips whitespace, requiring at least `minimum` characters of it.
fn skip_spaces(chars: &[char], mut at: usize, minimum: usize) -> Option<usize> {
    let start = at;
    while chars.get(at).is_some_and(|&c| is_space(c)) {
        at += 1;
    }
    (at - start >= minimum).then_some(at)
}

/// Python's `\s` / `str.isspace`: Unicode whitespace plus the four ASCII separators.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `\w`: letters, digits and `_`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `" ".join(text.split())`.
fn normalize_whitespace(text: &str) -> String {
    text.split(is_space)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_and_exprs(sql: &str) -> Vec<(String, String)> {
        named_checks(sql)
            .into_iter()
            .map(|check| (check.name, check.expr))
            .collect()
    }

    #[test]
    fn finds_alembic_style_checks() {
        let sql = "CREATE TABLE posts (\n\tid INTEGER NOT NULL, \n\tstatus VARCHAR(20), \n\t\
                   PRIMARY KEY (id), \n\tCONSTRAINT ck_posts_status CHECK (status IN ('draft', 'posted', 'failed'))\n)";
        assert_eq!(
            names_and_exprs(sql),
            vec![(
                "ck_posts_status".to_string(),
                "status IN ('draft', 'posted', 'failed')".to_string()
            )]
        );
    }

    #[test]
    fn normalizes_whitespace_and_nesting() {
        let sql =
            "create table t (a int, constraint \"ck_a\"  check(\n  (a > 0)\tAND  (a < 10)\n))";
        assert_eq!(
            names_and_exprs(sql),
            vec![("ck_a".to_string(), "(a > 0) AND (a < 10)".to_string())]
        );
    }

    #[test]
    fn ignores_unnamed_checks_and_other_constraints() {
        let sql = "CREATE TABLE t (a INT CHECK (a > 0), CONSTRAINT uq_a UNIQUE (a), \
                   CONSTRAINT fk FOREIGN KEY(a) REFERENCES u (id))";
        assert!(named_checks(sql).is_empty());
    }

    #[test]
    fn sorts_by_name() {
        let sql = "CREATE TABLE t (a INT, b INT, CONSTRAINT zz CHECK (a > 0), CONSTRAINT aa CHECK (b > 0))";
        let names: Vec<String> = named_checks(sql).into_iter().map(|c| c.name).collect();
        assert_eq!(names, vec!["aa", "zz"]);
    }

    #[test]
    fn unbalanced_text_drops_the_last_character_like_the_script() {
        // `sql[m.end() : i - 1]` with i == len(sql) cuts the last character.
        assert_eq!(
            names_and_exprs("CONSTRAINT c CHECK (a > (1"),
            vec![("c".to_string(), "a > (".to_string())]
        );
        assert_eq!(
            names_and_exprs("CONSTRAINT c CHECK ("),
            vec![("c".to_string(), String::new())]
        );
    }

    #[test]
    fn quoted_name_with_a_space_is_not_matched() {
        assert!(named_checks("CONSTRAINT \"my check\" CHECK (a)").is_empty());
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        /// A balanced expression of words, operators and nested parentheses.
        fn expression() -> impl Strategy<Value = String> {
            let leaf = "[a-z_][a-z0-9_]{0,6}|[0-9]{1,3}|'[a-z]{0,5}'";
            leaf.prop_recursive(3, 16, 3, |inner| {
                prop_oneof![
                    (inner.clone(), inner.clone()).prop_map(|(l, r)| format!("{l} > {r}")),
                    (inner.clone(), inner.clone()).prop_map(|(l, r)| format!("{l} AND {r}")),
                    inner.prop_map(|e| format!("({e})")),
                ]
            })
        }

        proptest! {
            #[test]
            fn a_named_check_is_found_whatever_the_layout(
                name in "[A-Za-z_][A-Za-z0-9_]{0,12}",
                expr in expression(),
                quoted in any::<bool>(),
                gap in "[ \t\n]{1,3}",
                inner_gap in "[ \t\n]{0,3}",
            ) {
                let shown = if quoted { format!("\"{name}\"") } else { name.clone() };
                let spread = expr.replace(' ', &format!(" {inner_gap}"));
                let sql = format!(
                    "CREATE TABLE t (a INT,{gap}CONSTRAINT{gap}{shown}{gap}CHECK{inner_gap}({inner_gap}{spread}{inner_gap}))"
                );
                let found = named_checks(&sql);
                prop_assert_eq!(found.len(), 1);
                prop_assert_eq!(&found[0].name, &name);
                prop_assert_eq!(&found[0].expr, &expr);
            }
        }
    }
}
