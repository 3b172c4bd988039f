//! The migration file format → [`Revision`].
//!
//! One file per revision, named `<revision>_<slug>.sql` (the name must start with the header's id
//! as [`file_stem`] writes it), shaped like this:
//!
//! ```text
//! -- revision: c3e7a1d9f482
//! -- down_revision: b81d3e5f0a27
//! -- message: add user ownership to posts
//! -- create_date: 2025-03-03 10:05:31.902116
//! --
//! -- Optional further comment lines: the description.
//!
//! -- migrate:up
//! SQL ...;
//!
//! -- migrate:down
//! SQL ...;
//! ```
//!
//! - The header is the leading run of `-- key: value` lines. The keys `revision`,
//!   `down_revision`, `message` and `create_date` must each appear exactly once; any other key is
//!   an error. `down_revision` is empty for a base and lists ids separated by `, ` for a merge.
//! - Comment lines after the header and before `-- migrate:up` are the description (Alembic's
//!   docstring body beyond its `Revision ID` / `Revises` / `Create Date` lines), kept verbatim
//!   without the leading `-- ` (a bare `--` is an empty line). Start it with a bare `--` line so
//!   that a line such as `-- Note: …` is not taken for a header key.
//! - `-- migrate:up` and then `-- migrate:down` must both be present; either section may be empty
//!   (a merge revision runs no SQL). Blank lines around a section's SQL are dropped. A downgrade
//!   section holding a line `-- irreversible: <why>` cannot be run ([`Revision::irreversible`]).
//! - A revision id is any text Alembic takes (e.g. `4f2a9c1e7b3d`, Optuna's `v3.0.0.a`,
//!   `0001_initial`) except that it may not hold `@ - + :` (Alembic forbids them), a space,
//!   a comma (the header's separator) or a control character, nor be `head`, `heads`, `base` or
//!   `current`. The file name starts with the id, each character a file name cannot safely
//!   hold written as `_` ([`file_stem`]); the header keeps the id exactly.

use super::{Revision, RevisionError};

const KEYS: [&str; 4] = ["revision", "down_revision", "message", "create_date"];
const UP_MARKER: &str = "-- migrate:up";
const DOWN_MARKER: &str = "-- migrate:down";

/// Parses one migration file; `path` names it in errors and in `history --verbose`.
pub fn parse_migration(path: &str, text: &str) -> Result<Revision, RevisionError> {
    let bad = |reason: String| RevisionError::BadFile {
        file: path.to_string(),
        reason,
    };
    let lines: Vec<&str> = text.lines().collect();
    let up_at = find_marker(&lines, UP_MARKER).map_err(&bad)?;
    let down_at = find_marker(&lines, DOWN_MARKER).map_err(&bad)?;
    let (up_at, down_at) = match (up_at, down_at) {
        (None, _) => {
            return Err(bad(format!(
                "no `{UP_MARKER}` line; add it before the upgrade SQL (even when the section is empty)"
            )))
        }
        (_, None) => {
            return Err(bad(format!(
                "no `{DOWN_MARKER}` line; add it before the downgrade SQL (even when the section is empty)"
            )))
        }
        (Some(up), Some(down)) if down < up => {
            return Err(bad(format!(
                "`{DOWN_MARKER}` comes before `{UP_MARKER}`; put the upgrade section first"
            )))
        }
        (Some(up), Some(down)) => (up, down),
    };
    let header = parse_preamble(&lines[..up_at]).map_err(&bad)?;
    let id = header.values[0].clone();
    check_id(&id).map_err(&bad)?;
    check_file_name(path, &id).map_err(&bad)?;
    let down_revisions = parse_down_revisions(&header.values[1]).map_err(&bad)?;
    Ok(Revision {
        id,
        down_revisions,
        message: header.values[2].clone(),
        create_date: header.values[3].clone(),
        description: header.description,
        upgrade_sql: section(&lines[up_at + 1..down_at]),
        downgrade_sql: section(&lines[down_at + 1..]),
        path: path.to_string(),
    })
}

/// The header values (in [`KEYS`] order) and the description.
struct Preamble {
    values: Vec<String>,
    description: String,
}

fn find_marker(lines: &[&str], marker: &str) -> Result<Option<usize>, String> {
    let mut found = None;
    for (index, line) in lines.iter().enumerate() {
        if line.trim_end() == marker {
            if found.is_some() {
                return Err(format!(
                    "`{marker}` appears twice (lines {} and {}); keep one",
                    found.unwrap_or(0) + 1,
                    index + 1
                ));
            }
            found = Some(index);
        }
    }
    Ok(found)
}

/// Splits a header line `-- key: value` into key and value; `None` when it is not one.
fn header_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("-- ")?;
    let (key, value) = rest.split_once(':')?;
    let is_key = !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    is_key.then(|| (key, value.trim()))
}

fn parse_preamble(lines: &[&str]) -> Result<Preamble, String> {
    let mut values: Vec<Option<String>> = vec![None; KEYS.len()];
    let mut rest = lines;
    while let Some((line, tail)) = rest.split_first() {
        let Some((key, value)) = header_line(line) else {
            break;
        };
        let Some(slot) = KEYS.iter().position(|known| *known == key) else {
            return Err(format!(
                "unknown header key `{key}`; the keys are {}. For a description, put a bare `--` line after the header first",
                KEYS.join(", ")
            ));
        };
        if values[slot].is_some() {
            return Err(format!("header key `{key}` appears twice; keep one"));
        }
        values[slot] = Some(value.to_string());
        rest = tail;
    }
    let mut description = Vec::new();
    for line in rest {
        if let Some(comment) = line.strip_prefix("--") {
            description.push(comment.strip_prefix(' ').unwrap_or(comment));
        } else if !line.trim().is_empty() {
            return Err(format!(
                "`{}` stands before `{UP_MARKER}`; move SQL into a section, or start the line with `-- `",
                line.trim()
            ));
        }
    }
    let values = values
        .into_iter()
        .zip(KEYS)
        .map(|(value, key)| {
            value.ok_or_else(|| {
                format!("header key `{key}` is missing; add a `-- {key}: …` line at the top")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Preamble {
        values,
        description: trim_blank_lines(&description),
    })
}

fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err(
            "`-- revision:` is empty; give the revision an id such as `4f2a9c1e7b3d`".into(),
        );
    }
    if let Some(bad) = id.chars().find(|c| ALEMBIC_FORBIDS.contains(c)) {
        return Err(format!(
            "revision id `{id}` contains `{bad}`, which Alembic forbids in ids (@ - + :)"
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || *c == ',')
    {
        return Err(format!(
            "revision id `{id}` contains {}; an id may not hold spaces, commas or control characters",
            match bad {
                ',' => "a comma".to_string(),
                ' ' => "a space".to_string(),
                c => format!("the character U+{:04X}", u32::from(c)),
            }
        ));
    }
    if ["head", "heads", "base", "current"].contains(&id) {
        return Err(format!(
            "revision id `{id}` is a reserved word; pick another id"
        ));
    }
    Ok(())
}

/// The characters Alembic's `Revision.verify_rev_id` refuses in an id.
const ALEMBIC_FORBIDS: [char; 4] = ['@', '-', '+', ':'];

/// How a revision id starts its file name: the id itself, except that a character a file name
/// cannot safely hold (anything but letters, digits, `.` and `_`, and a leading `.`) is
/// written as `_`. `4f2a9c1e7b3d` and `v3.0.0.a` stay as they are.
pub fn file_stem(id: &str) -> String {
    id.chars()
        .enumerate()
        .map(|(at, c)| {
            let safe = c.is_alphanumeric() || c == '_' || (c == '.' && at > 0);
            if safe {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn check_file_name(path: &str, id: &str) -> Result<(), String> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let id_stem = file_stem(id);
    let expected = format!("name the file `{id_stem}_<slug>.sql`");
    let Some(stem) = name.strip_suffix(".sql") else {
        return Err(format!("the file name does not end in `.sql`; {expected}"));
    };
    if let Some(slug) = stem
        .strip_prefix(&id_stem)
        .and_then(|rest| rest.strip_prefix('_'))
    {
        if !slug.is_empty() {
            return Ok(());
        }
    }
    match stem.split_once('_') {
        Some((name_id, _))
            if !id_stem.starts_with(&format!("{name_id}_")) && name_id != id_stem =>
        {
            Err(format!(
                "the file name says revision `{name_id}` but the header says `{id}`; {expected}"
            ))
        }
        _ => Err(format!(
            "the file name has no `_<slug>` after the id; {expected}"
        )),
    }
}

fn parse_down_revisions(value: &str) -> Result<Vec<String>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = value.split(',').map(|id| id.trim().to_string()).collect();
    if ids.iter().any(|id| id.is_empty()) {
        return Err(format!(
            "`-- down_revision: {value}` has an empty id; separate ids with `, `"
        ));
    }
    for (index, id) in ids.iter().enumerate() {
        if ids[..index].contains(id) {
            return Err(format!("down_revision lists {id} twice; list it once"));
        }
    }
    Ok(ids)
}

fn section(lines: &[&str]) -> String {
    trim_blank_lines(lines)
}

/// Joins lines with `\n`, dropping leading and trailing blank lines.
fn trim_blank_lines(lines: &[&str]) -> String {
    let start = lines.iter().position(|line| !line.trim().is_empty());
    let end = lines.iter().rposition(|line| !line.trim().is_empty());
    match (start, end) {
        (Some(start), Some(end)) => lines[start..=end].join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "-- revision: c3e7a1d9f482
-- down_revision: b81d3e5f0a27
-- message: add user ownership to posts
-- create_date: 2025-03-03 10:05:31.902116
--
-- First line of the description.
--
-- Note: after a blank line.

-- migrate:up
ALTER TABLE posts ADD COLUMN user_id INTEGER;

-- migrate:down
ALTER TABLE posts DROP COLUMN user_id;
";
    const PATH: &str = "migrations/c3e7a1d9f482_add_user_ownership_to_posts.sql";

    /// The test file with another revision id.
    fn with_id(id: &str) -> String {
        FILE.replace("revision: c3e7a1d9f482", &format!("revision: {id}"))
    }

    fn err(path: &str, text: &str) -> String {
        parse_migration(path, text)
            .expect_err("must be refused")
            .to_string()
    }

    #[test]
    fn parses_every_part() {
        let revision = parse_migration(PATH, FILE).expect("valid file");
        assert_eq!(revision.id, "c3e7a1d9f482");
        assert_eq!(revision.down_revisions, vec!["b81d3e5f0a27"]);
        assert_eq!(revision.message, "add user ownership to posts");
        assert_eq!(revision.create_date, "2025-03-03 10:05:31.902116");
        assert_eq!(
            revision.description,
            "First line of the description.\n\nNote: after a blank line."
        );
        assert_eq!(
            revision.upgrade_sql,
            "ALTER TABLE posts ADD COLUMN user_id INTEGER;"
        );
        assert_eq!(
            revision.downgrade_sql,
            "ALTER TABLE posts DROP COLUMN user_id;"
        );
        assert_eq!(revision.path, PATH);
    }

    #[test]
    fn base_merge_and_empty_sections() {
        let text = "-- revision: e9a4c6b1d358\n-- down_revision: c3e7a1d9f482, d5f0b2c8e614\n\
                    -- message: merge heads\n-- create_date: 2025-03-05 08:47:56.030411\n\n\
                    -- migrate:up\n\n-- migrate:down\n";
        let merge = parse_migration("e9a4c6b1d358_merge_heads.sql", text).expect("valid merge");
        assert_eq!(merge.down_revisions, vec!["c3e7a1d9f482", "d5f0b2c8e614"]);
        assert_eq!(merge.upgrade_sql, "");
        assert_eq!(merge.downgrade_sql, "");
        assert_eq!(merge.description, "");
        let base = text.replace("c3e7a1d9f482, d5f0b2c8e614", "");
        let base = parse_migration("e9a4c6b1d358_merge_heads.sql", &base).expect("valid base");
        assert!(base.down_revisions.is_empty());
    }

    #[test]
    fn refusals_name_the_file_and_the_fix() {
        insta::assert_snapshot!(
            "missing_key",
            err(
                PATH,
                &FILE.replace("-- message: add user ownership to posts\n", "")
            )
        );
        insta::assert_snapshot!(
            "duplicate_key",
            err(
                PATH,
                &FILE.replace("-- message:", "-- message: x\n-- message:")
            )
        );
        insta::assert_snapshot!(
            "unknown_key",
            err(
                PATH,
                &FILE.replace("--\n-- First", "-- author: me\n-- First")
            )
        );
        insta::assert_snapshot!(
            "missing_up",
            err(PATH, &FILE.replace("-- migrate:up\n", ""))
        );
        insta::assert_snapshot!(
            "missing_down",
            err(PATH, &FILE.replace("-- migrate:down\n", ""))
        );
        insta::assert_snapshot!(
            "id_mismatch",
            err("migrations/b81d3e5f0a27_add_users.sql", FILE)
        );
        insta::assert_snapshot!(
            "bad_id",
            err(
                "migrations/c3e7-1_x.sql",
                &FILE.replace("revision: c3e7a1d9f482", "revision: c3e7-1")
            )
        );
        insta::assert_snapshot!(
            "sql_in_preamble",
            err(
                PATH,
                &FILE.replace("\n\n-- migrate:up", "\nDROP TABLE x;\n-- migrate:up")
            )
        );
    }

    #[test]
    fn any_id_alembic_takes_is_kept_exactly_and_names_its_file_safely() {
        for (id, name) in [
            ("v3.0.0.a", "migrations/v3.0.0.a_x.sql"),
            ("0001_initial", "0001_initial_create_posts.sql"),
            ("Überblick", "Überblick_x.sql"),
            ("a/b\\c*?'\"", "a_b_c_____x.sql"),
            (".hidden", "_hidden_x.sql"),
        ] {
            let parsed = parse_migration(name, &with_id(id)).expect(id);
            assert_eq!(parsed.id, id, "the header keeps the id exactly");
        }
        assert_eq!(file_stem("v3.0.0.a"), "v3.0.0.a");
        assert_eq!(file_stem("a/b\\c*?'\""), "a_b_c____");
        assert_eq!(file_stem(".hidden"), "_hidden");
        // The name must still start with the id (or its safe form) and have a slug.
        assert!(err("v3.0.0.b_x.sql", &with_id("v3.0.0.a"))
            .contains("name the file `v3.0.0.a_<slug>.sql`"));
        assert!(
            err("0001_initial.sql", &with_id("0001_initial")).contains("no `_<slug>` after the id")
        );
        assert!(err("a/b_x.sql", &with_id("a/b")).contains("`a_b_<slug>.sql`"));
    }

    #[test]
    fn ids_that_break_the_header_or_alembic_are_refused_by_character() {
        for (id, why) in [
            ("a,b", "contains a comma"),
            ("a b", "contains a space"),
            ("a\u{1}b", "the character U+0001"),
            ("a\tb", "the character U+0009"),
            ("a+b", "contains `+`, which Alembic forbids"),
            ("a:b", "contains `:`, which Alembic forbids"),
            ("a@b", "contains `@`, which Alembic forbids"),
            ("heads", "reserved word"),
        ] {
            let said = err(&format!("{}_x.sql", file_stem(id)), &with_id(id));
            assert!(said.contains(why), "{id}: {said}");
        }
    }

    #[test]
    fn errors_start_with_the_file() {
        assert!(err(PATH, "nothing").starts_with(PATH));
    }
}
