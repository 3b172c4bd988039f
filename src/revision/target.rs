//! Target syntax (`head`, `heads`, `base`, ids, prefixes, `+N`, `-N`, `REV+N`, `REV-N`) →
//! resolved revisions, by the rules of Alembic's `RevisionMap` (`get_revisions`,
//! `_revision_for_ident`, `_walk`, `_parse_upgrade_target`, `_parse_downgrade_target`).

use super::{History, RevisionError};

/// What a symbol resolves to. Alembic mixes three kinds of value here and they behave
/// differently, so they are kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pos {
    /// Python's `None`: before every base (where `+1` starts), or a walk that went too far.
    Nothing,
    /// The string `"base"` that a walk down from a base revision produces.
    Base,
    /// A revision.
    Rev(usize),
}

/// A revision argument as Alembic receives it: one string (which may be relative, `+1`) or a
/// tuple of ids (the rows of `alembic_version`; never taken as relative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Spec {
    /// A single string as typed.
    Str(String),
    /// Several ids (rows), or none.
    Rows(Vec<String>),
}

impl Spec {
    /// The strings in it.
    pub(super) fn items(&self) -> Vec<&str> {
        match self {
            Spec::Str(text) => vec![text.as_str()],
            Spec::Rows(rows) => rows.iter().map(String::as_str).collect(),
        }
    }

    /// How Alembic's `%s` prints it in messages (a tuple as Python's repr).
    pub(super) fn display(&self) -> String {
        match self {
            Spec::Str(text) => text.clone(),
            Spec::Rows(rows) if rows.len() == 1 => format!("('{}',)", rows[0]),
            Spec::Rows(rows) => {
                let quoted: Vec<String> = rows.iter().map(|r| format!("'{r}'")).collect();
                format!("({})", quoted.join(", "))
            }
        }
    }
}

/// A relative target split as Alembic's `_relative_destination` pattern does:
/// `[symbol](+|-)digits`, matched at the start of the string.
pub(super) struct Relative<'a> {
    /// The revision it is anchored to, if any (`b81d` in `b81d+1`).
    pub symbol: Option<&'a str>,
    /// The signed number as typed (`+1`, `-02`).
    pub text: &'a str,
    /// Its value.
    pub steps: i64,
}

/// Splits `target` into a relative step when it is one.
pub(super) fn parse_relative(target: &str) -> Option<Relative<'_>> {
    let word_end = target
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(target.len(), |(at, _)| at);
    let rest = &target[word_end..];
    let sign = rest.chars().next().filter(|c| *c == '+' || *c == '-')?;
    let digits = rest[1..].chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let text = &rest[..1 + digits];
    let magnitude: i64 = text[1..].parse().unwrap_or(i64::MAX);
    Some(Relative {
        symbol: (word_end > 0).then(|| &target[..word_end]),
        text,
        steps: if sign == '-' { -magnitude } else { magnitude },
    })
}

/// Python's `int()` on a revision argument (only the negative case matters to Alembic).
fn as_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let magnitude: i64 = digits.parse().unwrap_or(i64::MAX);
    Some(if text.starts_with('-') { -magnitude } else { magnitude })
}

impl History {
    /// An exact id, else a unique prefix (Alembic's `_revision_for_ident`: any prefix length
    /// works as long as one id of more than three characters starts with it).
    pub(super) fn revision_for_ident(&self, ident: &str) -> Result<usize, RevisionError> {
        if let Some(&exact) = self.index.get(ident) {
            return Ok(exact);
        }
        let matches: Vec<usize> = (0..self.revisions.len())
            .filter(|&r| self.id(r).len() > 3 && self.id(r).starts_with(ident))
            .collect();
        match matches.as_slice() {
            [] => Err(RevisionError::UnknownRevision {
                target: ident.to_string(),
            }),
            [only] => Ok(*only),
            _ => Err(RevisionError::AmbiguousPrefix {
                prefix: ident.to_string(),
                matches: matches.iter().map(|&r| self.id(r).to_string()).collect(),
            }),
        }
    }

    /// The head ids, for messages.
    fn head_ids(&self) -> Vec<String> {
        self.heads.iter().map(|&h| self.id(h).to_string()).collect()
    }

    /// Alembic's `_resolve_revision_number`: `heads`, `head` and `base` as revisions; `None` for
    /// anything else (an id or prefix still to be looked up).
    fn symbolic(&self, id: &str) -> Result<Option<Vec<usize>>, RevisionError> {
        Ok(match id {
            "heads" => Some(self.heads.clone()),
            "head" if self.heads.len() > 1 => {
                return Err(RevisionError::MultipleHeads {
                    argument: "head".into(),
                    heads: self.head_ids(),
                    stamp: false,
                })
            }
            "head" => Some(self.heads.clone()),
            "base" => Some(Vec::new()),
            _ => None,
        })
    }

    /// Alembic's `get_revision`: one symbol → one position (`base` → [`Pos::Nothing`]).
    pub(super) fn get_revision(&self, id: &str) -> Result<Pos, RevisionError> {
        if id.contains('@') {
            return Err(RevisionError::BranchLabelsUnsupported { target: id.into() });
        }
        match self.symbolic(id)? {
            Some(found) if found.len() > 1 => Err(RevisionError::MultipleHeads {
                argument: id.into(),
                heads: self.head_ids(),
                stamp: false,
            }),
            Some(found) => Ok(found.first().map_or(Pos::Nothing, |&r| Pos::Rev(r))),
            None => self.revision_for_ident(id).map(Pos::Rev),
        }
    }

    /// Alembic's `get_revisions` for one string: `heads` → every head, a negative number →
    /// each head walked down that far, otherwise as [`History::get_revision`].
    fn get_revisions_str(&self, id: &str) -> Result<Vec<Pos>, RevisionError> {
        if id.contains('@') {
            return Err(RevisionError::BranchLabelsUnsupported { target: id.into() });
        }
        if let Some(found) = self.symbolic(id)? {
            return Ok(found.into_iter().map(Pos::Rev).collect());
        }
        if let Some(steps) = as_int(id).filter(|steps| *steps < 0) {
            return self
                .heads
                .iter()
                .map(|&head| self.walk(Pos::Rev(head), steps, true, "downgrade"))
                .collect();
        }
        self.revision_for_ident(id).map(|r| vec![Pos::Rev(r)])
    }

    /// Alembic's `get_revisions` for a string or a tuple.
    pub(super) fn get_revisions(&self, spec: &Spec) -> Result<Vec<Pos>, RevisionError> {
        let mut out = Vec::new();
        for item in spec.items() {
            out.extend(self.get_revisions_str(item)?);
        }
        Ok(out)
    }

    /// Like [`History::get_revisions`] on the rows of `alembic_version`: an unknown row is
    /// reported as such.
    pub(super) fn resolve_rows(&self, rows: &[String]) -> Result<Vec<usize>, RevisionError> {
        let mut out = Vec::new();
        for row in rows {
            match self.get_revisions_str(row) {
                Ok(found) => out.extend(found.into_iter().filter_map(|pos| match pos {
                    Pos::Rev(r) => Some(r),
                    _ => None,
                })),
                Err(RevisionError::UnknownRevision { .. } | RevisionError::AmbiguousPrefix { .. }) => {
                    return Err(RevisionError::UnknownCurrent { id: row.clone() })
                }
                Err(other) => return Err(other),
            }
        }
        Ok(out)
    }

    /// [`History::get_revision`] on a row of `alembic_version`.
    fn resolve_row(&self, row: &str) -> Result<Pos, RevisionError> {
        self.get_revision(row).map_err(|err| match err {
            RevisionError::UnknownRevision { .. } | RevisionError::AmbiguousPrefix { .. } => {
                RevisionError::UnknownCurrent { id: row.into() }
            }
            other => other,
        })
    }

    /// Alembic's `_walk`: `steps` up (positive, along children) or down (negative, along down
    /// revisions). A fork is refused; past either end gives [`Pos::Nothing`] when
    /// `no_overwalk`, else stops where it is.
    pub(super) fn walk(
        &self,
        start: Pos,
        steps: i64,
        no_overwalk: bool,
        verb: &str,
    ) -> Result<Pos, RevisionError> {
        let mut at = start;
        for _ in 0..steps.unsigned_abs() {
            let next: Vec<Pos> = if steps > 0 {
                let ups = match at {
                    Pos::Nothing | Pos::Base => &self.bases,
                    Pos::Rev(r) => &self.children[r],
                };
                ups.iter().map(|&r| Pos::Rev(r)).collect()
            } else {
                match at {
                    Pos::Base => Vec::new(),
                    Pos::Nothing if self.heads.is_empty() => vec![Pos::Base],
                    Pos::Nothing => self.heads.iter().map(|&r| Pos::Rev(r)).collect(),
                    Pos::Rev(r) if self.parents[r].is_empty() => vec![Pos::Base],
                    Pos::Rev(r) => self.parents[r].iter().map(|&p| Pos::Rev(p)).collect(),
                }
            };
            match next.as_slice() {
                [] => return Ok(if no_overwalk { Pos::Nothing } else { at }),
                [only] => at = *only,
                _ => {
                    return Err(RevisionError::AmbiguousWalk {
                        from: match at {
                            Pos::Rev(r) => Some(self.id(r).to_string()),
                            _ => None,
                        },
                        choices: next
                            .iter()
                            .filter_map(|pos| match pos {
                                Pos::Rev(r) => Some(self.id(*r).to_string()),
                                _ => None,
                            })
                            .collect(),
                        up: steps > 0,
                        verb: verb.to_string(),
                    })
                }
            }
        }
        Ok(at)
    }

    /// Alembic's `_parse_upgrade_target`: the revisions `target` means, relative to `current`.
    pub(super) fn parse_upgrade_target(
        &self,
        current: &Spec,
        target: &Spec,
        assert_relative_length: bool,
        verb: &str,
    ) -> Result<Vec<Pos>, RevisionError> {
        let relative = match target {
            Spec::Str(text) => parse_relative(text),
            Spec::Rows(_) => None,
        };
        let Some(relative) = relative else {
            return self.get_revisions(target);
        };
        if relative.steps > 0 {
            let Some(symbol) = relative.symbol else {
                let starts = current.items();
                if starts.len() > 1 {
                    return Err(RevisionError::AmbiguousUpgrade {
                        current: starts.iter().map(|s| s.to_string()).collect(),
                        target: relative.text.to_string(),
                    });
                }
                let start = match starts.first() {
                    None => Pos::Nothing,
                    Some(row) => self.resolve_row(row)?,
                };
                let reached = self.walk(start, relative.steps, assert_relative_length, verb)?;
                if reached == Pos::Nothing {
                    return Err(RevisionError::RelativeTooFar {
                        relative: relative.text.to_string(),
                        count: relative.steps.unsigned_abs(),
                    });
                }
                return Ok(vec![reached]);
            };
            let start = self.get_revision(symbol)?;
            Ok(vec![self.walk(start, relative.steps, assert_relative_length, verb)?])
        } else {
            let Some(symbol) = relative.symbol else {
                // Alembic formats the parsed number here, so `+0` and `-0` both read `0`.
                return Err(RevisionError::RelativeTooFar {
                    relative: relative.steps.to_string(),
                    count: relative.steps.unsigned_abs(),
                });
            };
            let start = self.get_revision(symbol)?;
            Ok(vec![self.walk(start, relative.steps, assert_relative_length, verb)?])
        }
    }

    /// Alembic's `_parse_downgrade_target`: the revision `target` means, and the branch a bare
    /// `-N` is restricted to (the first current row, as Alembic picks it).
    pub(super) fn parse_downgrade_target(
        &self,
        current: &Spec,
        target: &str,
        assert_relative_length: bool,
    ) -> Result<(Option<usize>, Pos), RevisionError> {
        let Some(relative) = parse_relative(target) else {
            return Ok((None, self.get_revision(target)?));
        };
        let too_far = || RevisionError::RelativeTooFar {
            relative: relative.text.to_string(),
            count: relative.steps.unsigned_abs(),
        };
        if relative.steps >= 0 {
            let Some(symbol) = relative.symbol else {
                return Err(too_far());
            };
            let start = self.get_revision(symbol)?;
            let reached = self.walk(start, relative.steps, assert_relative_length, "downgrade")?;
            if reached == Pos::Nothing {
                return Err(RevisionError::WalkedTooFar { target: target.into() });
            }
            return Ok((None, reached));
        }
        let (start, branch) = match relative.symbol {
            Some(symbol) => (self.get_revision(symbol)?, None),
            None => {
                // Alembic warns and walks from the first row when several are applied.
                let Some(first) = current.items().first().map(|s| s.to_string()) else {
                    return Err(too_far());
                };
                let start = self.resolve_row(&first)?;
                let branch = match start {
                    Pos::Rev(r) => Some(r),
                    _ => None,
                };
                (start, branch)
            }
        };
        let reached = self.walk(start, relative.steps, assert_relative_length, "downgrade")?;
        if reached == Pos::Nothing {
            return Err(if relative.symbol.is_none() {
                too_far()
            } else {
                RevisionError::WalkedTooFar { target: target.into() }
            });
        }
        Ok((branch, reached))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{contentengine, two_heads};
    use super::*;

    fn resolve(history: &History, current: &[&str], target: &str) -> Result<Vec<String>, RevisionError> {
        let rows = Spec::Rows(current.iter().map(|s| s.to_string()).collect());
        let found = history.parse_upgrade_target(&rows, &Spec::Str(target.into()), true, "upgrade")?;
        Ok(found
            .into_iter()
            .map(|pos| match pos {
                Pos::Rev(r) => history.id(r).to_string(),
                Pos::Base => "<base>".into(),
                Pos::Nothing => "<none>".into(),
            })
            .collect())
    }

    #[test]
    fn relative_syntax() {
        let plus = parse_relative("+2").expect("relative");
        assert_eq!((plus.symbol, plus.text, plus.steps), (None, "+2", 2));
        let anchored = parse_relative("b81d-1").expect("relative");
        assert_eq!((anchored.symbol, anchored.steps), (Some("b81d"), -1));
        assert!(parse_relative("b81d").is_none());
        assert!(parse_relative("head").is_none());
        assert!(parse_relative("-x").is_none());
    }

    #[test]
    fn symbols_ids_and_prefixes() {
        let history = contentengine();
        assert_eq!(resolve(&history, &[], "head").expect("head"), vec!["0a6c9e3f5b71"]);
        assert_eq!(resolve(&history, &[], "heads").expect("heads"), vec!["0a6c9e3f5b71"]);
        assert!(resolve(&history, &[], "base").expect("base").is_empty());
        assert_eq!(resolve(&history, &[], "b81d").expect("prefix"), vec!["b81d3e5f0a27"]);
        assert_eq!(resolve(&history, &[], "4f").expect("short prefix"), vec!["4f2a9c1e7b3d"]);
        assert_eq!(
            resolve(&history, &[], "zzzz").expect_err("unknown"),
            RevisionError::UnknownRevision { target: "zzzz".into() }
        );
        let two = two_heads();
        assert!(matches!(
            resolve(&two, &[], "head").expect_err("two heads"),
            RevisionError::MultipleHeads { .. }
        ));
        assert_eq!(resolve(&two, &[], "heads").expect("heads").len(), 2);
    }

    #[test]
    fn relative_walks() {
        let history = contentengine();
        assert_eq!(resolve(&history, &[], "+2").expect("+2"), vec!["b81d3e5f0a27"]);
        assert_eq!(resolve(&history, &["e9a4c6b1d358"], "+1").expect("+1"), vec!["f17b8d2e4c90"]);
        assert_eq!(resolve(&history, &[], "f17b+1").expect("anchored"), vec!["0a6c9e3f5b71"]);
        assert_eq!(resolve(&history, &[], "4f2a-1").expect("to base"), vec!["<base>"]);
        assert!(matches!(
            resolve(&history, &["b81d3e5f0a27"], "+1").expect_err("branchpoint"),
            RevisionError::AmbiguousWalk { up: true, .. }
        ));
        assert!(matches!(
            resolve(&history, &["e9a4c6b1d358"], "e9a4-1").expect_err("mergepoint"),
            RevisionError::AmbiguousWalk { up: false, .. }
        ));
        assert!(matches!(
            resolve(&history, &["0a6c9e3f5b71"], "+1").expect_err("past head"),
            RevisionError::RelativeTooFar { count: 1, .. }
        ));
    }
}
