//! The text Alembic prints for `current [-v]`, `heads [-v]` and `history [-v] [-r RANGE]`,
//! after `command.py` and `Script.cmd_format` / `log_entry` in Alembic's `script/base.py`.
//! Pure: the caller passes the rows of `alembic_version` and prints the result as is.

use std::collections::HashSet;

use super::target::Spec;
use super::{History, RevisionError};

impl History {
    fn is_head_at(&self, r: usize) -> bool {
        self.children[r].is_empty()
    }

    /// Alembic's `Script.log_entry` (the verbose form).
    fn log_entry(&self, r: usize, current: bool) -> String {
        let revision = self.at(r);
        let branchpoint = self.children[r].len() > 1;
        let mergepoint = self.parents[r].len() > 1;
        let mut entry = format!(
            "Rev: {}{}{}{}{}\n",
            revision.id,
            if self.is_head_at(r) { " (head)" } else { "" },
            if branchpoint { " (branchpoint)" } else { "" },
            if mergepoint { " (mergepoint)" } else { "" },
            if current { " (current)" } else { "" },
        );
        let downs = self.down_text(r);
        if mergepoint {
            entry.push_str(&format!("Merges: {downs}\n"));
        } else {
            entry.push_str(&format!("Parent: {downs}\n"));
        }
        if branchpoint {
            let children: Vec<&str> = self.children[r].iter().map(|&c| self.id(c)).collect();
            entry.push_str(&format!("Branches into: {}\n", children.join(", ")));
        }
        entry.push_str(&format!("Path: {}\n", revision.path));
        let doc: Vec<String> = revision.longdoc().lines().map(|line| format!("    {line}")).collect();
        entry.push_str(&format!("\n{}\n", doc.join("\n")));
        entry
    }

    /// `<base>` or the down revisions joined by `, `.
    fn down_text(&self, r: usize) -> String {
        if self.parents[r].is_empty() {
            "<base>".to_string()
        } else {
            self.at(r).down_revisions.join(", ")
        }
    }

    /// Alembic's `Script._head_only` (the one-line form).
    fn head_only(&self, r: usize, parents_and_doc: bool, tree_indicators: bool, current: bool) -> String {
        let revision = self.at(r);
        let mut text = if parents_and_doc {
            format!("{} -> {}", self.down_text(r), revision.id)
        } else {
            revision.id.clone()
        };
        if self.is_head_at(r) {
            text.push_str(" (head)");
        }
        if current {
            text.push_str(" (current)");
        }
        if tree_indicators {
            if self.children[r].len() > 1 {
                text.push_str(" (branchpoint)");
            }
            if self.parents[r].len() > 1 {
                text.push_str(" (mergepoint)");
            }
        }
        if parents_and_doc {
            text.push_str(&format!(", {}", revision.doc()));
        }
        text
    }
}

/// `alembic current [-v]`: the applied branch heads among `rows` (rows implied by another row
/// are left out, as Alembic does), in table order. `source` is the database named in the
/// verbose header, e.g. `sqlite:///content.db`.
pub fn current(history: &History, rows: &[String], verbose: bool, source: &str) -> Result<String, RevisionError> {
    let resolved = history.resolve_rows(rows)?;
    let mut out = String::new();
    if verbose {
        out.push_str(&format!("Current revision(s) for {source}:\n"));
    }
    let mut shown = HashSet::new();
    for &r in &resolved {
        let implied = resolved
            .iter()
            .any(|&other| other != r && history.ancestors(&[other]).contains(&r));
        if implied || !shown.insert(r) {
            continue;
        }
        if verbose {
            out.push_str(&history.log_entry(r, false));
        } else {
            out.push_str(&history.head_only(r, false, true, false));
        }
        out.push('\n');
    }
    Ok(out)
}

/// `alembic heads [-v]`: every head, in file-name order.
pub fn heads(history: &History, verbose: bool) -> String {
    let mut out = String::new();
    for &head in &history.heads {
        if verbose {
            out.push_str(&history.log_entry(head, false));
        } else {
            out.push_str(&history.head_only(head, false, false, false));
        }
        out.push('\n');
    }
    out
}

/// `alembic history [-v] [-i] [-r RANGE]`: revisions newest first. `range` is `START:END` where
/// either side may be empty, an id or prefix, `base`, `head(s)`, `current` (the `rows`), or
/// relative (`-1:`, `:+2`, `REV-1:`). `indicate_current` marks the rows with `(current)`.
pub fn history(
    history: &History,
    range: Option<&str>,
    verbose: bool,
    rows: &[String],
    indicate_current: bool,
) -> Result<String, RevisionError> {
    let (base, head) = match range {
        None => (None, None),
        Some(text) => {
            let parts: Vec<&str> = text.trim().split(':').collect();
            match parts.as_slice() {
                [start, end] => (Some(*start).filter(|s| !s.is_empty()), Some(*end).filter(|s| !s.is_empty())),
                _ => return Err(RevisionError::BadRange { range: text.into() }),
            }
        }
    };
    let rows_or = |default: &str| {
        if rows.is_empty() {
            Spec::Str(default.into())
        } else {
            Spec::Rows(rows.to_vec())
        }
    };
    let lower = match base {
        Some("current") if head != Some("current") => rows_or("base"),
        other => Spec::Str(other.unwrap_or("base").into()),
    };
    let upper = match head {
        Some("current") => rows_or("heads"),
        other => Spec::Str(other.unwrap_or("heads").into()),
    };
    let (todo, targets) = history
        .collect_upgrade(&upper, &lower, true, false, false, "history -r")
        .map_err(|err| match err {
            RevisionError::RangeNotAncestor { .. } => RevisionError::RangeNotAncestor {
                start: lower.display(),
                end: upper.display(),
            },
            RevisionError::MultipleHeads { heads, .. } => RevisionError::MultipleHeads {
                argument: upper.display(),
                heads,
                stamp: false,
            },
            other => other,
        })?;
    let currents: HashSet<usize> = if indicate_current {
        history.resolve_rows(rows)?.into_iter().collect()
    } else {
        HashSet::new()
    };
    let mut out = String::new();
    for r in history.topological_sort(&todo, &targets) {
        let is_current = currents.contains(&r);
        if verbose {
            out.push_str(&history.log_entry(r, is_current));
        } else {
            out.push_str(&history.head_only(r, true, true, is_current));
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{contentengine, two_heads};
    use super::*;

    fn rows(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn history_matches_verified_transcript() {
        let text = history(&contentengine(), None, false, &[], false).expect("history");
        assert_eq!(
            text,
            "f17b8d2e4c90 -> 0a6c9e3f5b71 (head), add scheduled status\n\
             e9a4c6b1d358 -> f17b8d2e4c90, add chat messages\n\
             c3e7a1d9f482, d5f0b2c8e614 -> e9a4c6b1d358 (mergepoint), merge heads\n\
             b81d3e5f0a27 -> c3e7a1d9f482, add user ownership to posts\n\
             b81d3e5f0a27 -> d5f0b2c8e614, add oauth token owner\n\
             4f2a9c1e7b3d -> b81d3e5f0a27 (branchpoint), add users and sessions\n\
             <base> -> 4f2a9c1e7b3d, initial posts and oauth tokens\n"
        );
    }

    #[test]
    fn verbose_history_range_matches_verified_transcript() {
        let text = history(&contentengine(), Some("4f2a9c1e7b3d:b81d3e5f0a27"), true, &[], false).expect("history");
        let expected = "Rev: b81d3e5f0a27 (branchpoint)\nParent: 4f2a9c1e7b3d\n\
            Branches into: c3e7a1d9f482, d5f0b2c8e614\n\
            Path: migrations/b81d3e5f0a27_add_users_and_sessions.sql\n\n    add users and sessions\n    \n\
            \x20   Revision ID: b81d3e5f0a27\n    Revises: 4f2a9c1e7b3d\n    Create Date: 2025-02-11 16:40:02.551390\n\n\
            Rev: 4f2a9c1e7b3d\nParent: <base>\n\
            Path: migrations/4f2a9c1e7b3d_initial_posts_and_oauth_tokens.sql\n\n    initial posts and oauth tokens\n    \n\
            \x20   Revision ID: 4f2a9c1e7b3d\n    Revises:\n    Create Date: 2025-01-06 09:12:44.118203\n\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn history_ranges() {
        let h = contentengine();
        let lines = |range: &str, current: &[&str]| -> Vec<String> {
            history(&h, Some(range), false, &rows(current), false)
                .expect("range")
                .lines()
                .map(|line| {
                    let after = line.split(" -> ").nth(1).unwrap_or_default();
                    after.split([' ', ',']).next().unwrap_or_default().to_string()
                })
                .collect()
        };
        assert_eq!(lines("c3e7:", &[]), vec!["0a6c9e3f5b71", "f17b8d2e4c90", "e9a4c6b1d358", "c3e7a1d9f482"]);
        assert_eq!(lines(":b81d", &[]), vec!["b81d3e5f0a27", "4f2a9c1e7b3d"]);
        assert_eq!(lines("-1:", &[]), vec!["0a6c9e3f5b71", "f17b8d2e4c90"]);
        assert_eq!(lines("current:", &["f17b8d2e4c90"]), vec!["0a6c9e3f5b71", "f17b8d2e4c90"]);
        assert_eq!(lines(":current", &["b81d3e5f0a27"]), vec!["b81d3e5f0a27", "4f2a9c1e7b3d"]);
        let err = history(&h, Some("c3e7:d5f0"), false, &[], false).expect_err("siblings");
        insta::assert_snapshot!("history_range_not_ancestor", err.to_string());
        assert!(matches!(
            history(&h, Some("c3e7"), false, &[], false),
            Err(RevisionError::BadRange { .. })
        ));
    }

    #[test]
    fn current_and_heads() {
        let h = contentengine();
        assert_eq!(current(&h, &rows(&["0a6c9e3f5b71"]), false, "x").expect("current"), "0a6c9e3f5b71 (head)\n");
        assert_eq!(
            current(&h, &rows(&["b81d3e5f0a27"]), false, "x").expect("current"),
            "b81d3e5f0a27 (branchpoint)\n"
        );
        assert_eq!(
            current(&h, &rows(&["c3e7a1d9f482", "d5f0b2c8e614"]), false, "x").expect("current"),
            "c3e7a1d9f482\nd5f0b2c8e614\n"
        );
        assert_eq!(current(&h, &[], false, "x").expect("empty"), "");
        let verbose = current(&h, &rows(&["4f2a9c1e7b3d"]), true, "sqlite:///v.db").expect("verbose");
        assert!(verbose.starts_with("Current revision(s) for sqlite:///v.db:\nRev: 4f2a9c1e7b3d\n"));
        let unknown = current(&h, &rows(&["abc123abc123"]), false, "x").expect_err("unknown row");
        assert_eq!(
            unknown.alembic_message().as_deref(),
            Some("Can't locate revision identified by 'abc123abc123'")
        );
        assert_eq!(heads(&h, false), "0a6c9e3f5b71 (head)\n");
        assert_eq!(heads(&two_heads(), false), "c3e7a1d9f482 (head)\nd5f0b2c8e614 (head)\n");
        assert!(heads(&h, true).starts_with("Rev: 0a6c9e3f5b71 (head)\nParent: f17b8d2e4c90\n"));
    }
}
