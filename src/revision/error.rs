//! Errors of the revision layer: each names the revision ids or the file involved and says what
//! the user can type instead. [`RevisionError::alembic_message`] gives the exact text real
//! Alembic prints for the same refusal (the differential tests compare it).

use thiserror::Error;

/// Why a migration file, the history or a target was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RevisionError {
    /// A migration file does not follow the format documented in `parse.rs`.
    #[error("{file}: {reason}")]
    BadFile {
        /// The file name.
        file: String,
        /// What is wrong, and how to fix it.
        reason: String,
    },
    /// Two files declare the same revision id.
    #[error(
        "revision {id} is declared twice, in {first} and in {second}; give one of them a new id"
    )]
    DuplicateRevision {
        /// The id.
        id: String,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
    /// A file's `down_revision` names a revision no file declares.
    #[error("{file}: down_revision {missing} is not the id of any migration; fix the `-- down_revision:` line or add the missing file")]
    UnknownDownRevision {
        /// The file that refers to it.
        file: String,
        /// The missing id.
        missing: String,
    },
    /// The down revisions form a cycle (or a revision revises itself).
    #[error("the migration history has a cycle through {}; each revision must revise only older ones", .ids.join(", "))]
    Cycle {
        /// The revisions on or behind the cycle.
        ids: Vec<String>,
    },
    /// No revision has an empty `down_revision`.
    #[error("the migration history has no base revision (one whose `-- down_revision:` is empty)")]
    NoBase,
    /// A target or id matches no revision.
    #[error("Can't locate revision identified by '{target}': no revision id starts with it; type `heads` or `history` to list the ids")]
    UnknownRevision {
        /// What the user typed.
        target: String,
    },
    /// A row of `alembic_version` names a revision this history does not have.
    /// Front ends check the rows first and explain them (`crate::diagnose::RowsProblem`); this
    /// is the planner's own refusal, in Alembic's words.
    #[error(
        "Can't locate revision identified by '{id}': the database's alembic_version holds {id}, \
         which is not in this migration history"
    )]
    UnknownCurrent {
        /// The row's value.
        id: String,
    },
    /// A prefix matches several revisions.
    #[error("'{prefix}' is ambiguous: several revision ids start with it ({}); type more characters of the id", .matches.join(", "))]
    AmbiguousPrefix {
        /// What the user typed.
        prefix: String,
        /// The ids that start with it.
        matches: Vec<String>,
    },
    /// `head` (or a stamp target) means several revisions.
    #[error("'{argument}' is ambiguous: the history has several heads ({}); type one of them, or `heads` for all", .heads.join(", "))]
    MultipleHeads {
        /// The target as typed (`head`, …).
        argument: String,
        /// The heads it could mean.
        heads: Vec<String>,
        /// Raised by `stamp` (Alembic words it differently there).
        stamp: bool,
    },
    /// A relative step (`+N`, `-N`) reached a branchpoint or mergepoint.
    #[error("Ambiguous walk: {}", ambiguous_walk_hint(.from, .choices, .up, .verb))]
    AmbiguousWalk {
        /// Where the walk stood (`None`: before the base).
        from: Option<String>,
        /// The revisions it could go to.
        choices: Vec<String>,
        /// Walking up (`+N`) rather than down.
        up: bool,
        /// The command, for the hint (`upgrade`, `downgrade`, …).
        verb: String,
    },
    /// `upgrade +N` while several branch heads are applied.
    #[error("Ambiguous upgrade from multiple current revisions: {} are all applied, so {target} has no single starting point; type `upgrade <revision>` with one of the ids above, or `upgrade heads`", .current.join(" and "))]
    AmbiguousUpgrade {
        /// The applied heads.
        current: Vec<String>,
        /// The relative target.
        target: String,
    },
    /// A relative target walks past the base or the heads.
    #[error("Relative revision {relative} didn't produce {count} migrations: {}", relative_hint(.relative))]
    RelativeTooFar {
        /// The relative part as typed (`-1`, `+3`).
        relative: String,
        /// How many steps it asked for.
        count: u64,
    },
    /// An anchored relative target (`REV+N`, `REV-N`) walks past the base or the heads.
    #[error("Walked too far: {target} goes past the end of the history; use a smaller number, `base` or `heads`")]
    WalkedTooFar {
        /// The target as typed.
        target: String,
    },
    /// A target resolves to no revision where one is needed (e.g. `upgrade REV-N` below base).
    #[error("{target} does not name a revision here (it walks past the base or the heads); type a revision id, `heads` or `base`")]
    NotARevision {
        /// The target as typed.
        target: String,
    },
    /// `upgrade TARGET` where TARGET is not above the applied revisions.
    #[error("Destination {target} is not a valid upgrade target from current head(s); to go back, type `downgrade {target}`")]
    NotUpgradeTarget {
        /// The target as typed.
        target: String,
    },
    /// `downgrade TARGET` where TARGET is not below the applied revisions.
    #[error("Destination {target} is not a valid downgrade target from current head(s): it is not below the applied revisions; to go forward, type `upgrade {target}`")]
    NotDowngradeTarget {
        /// The target as typed.
        target: String,
    },
    /// A downgrade relative to a branch found nothing to drop on that branch.
    #[error("Not a valid downgrade target from current heads: {target} drops nothing on the branch of {branch}")]
    NotBranchDowngrade {
        /// The target as typed.
        target: String,
        /// The branch it was restricted to.
        branch: String,
    },
    /// `history -r START:END` where START is not below END.
    #[error("Requested range {start}:{end} does not refer to ancestor/descendant revisions along the same branch; put the older revision first")]
    RangeNotAncestor {
        /// The start as typed (Python's rendering for a tuple of rows).
        start: String,
        /// The end as typed.
        end: String,
    },
    /// Two requested revisions lie on one line (one is an ancestor of the other).
    #[error("Requested revision {revision} overlaps with other requested revisions {}; name only the newest of them", .others.join(", "))]
    Overlap {
        /// The revision whose ancestry reached the others.
        revision: String,
        /// The others.
        others: Vec<String>,
    },
    /// `history -r` without exactly one `:`.
    #[error("History range requires [start]:[end], [start]:, or :[end] (got `{range}`)")]
    BadRange {
        /// The range as typed.
        range: String,
    },
    /// `upgrade A:B` / `downgrade A:B` outside `--sql` mode.
    #[error("Range revision not allowed: `{target}` is a range; type only the target revision (ranges are for --sql)")]
    RangeNotAllowed {
        /// The target as typed.
        target: String,
    },
    /// `branch@rev` syntax; ContentEngine's history has no branch labels.
    #[error("`{target}`: branch labels (`name@rev`) are not supported; type a revision id, `head`, `heads` or `base`")]
    BranchLabelsUnsupported {
        /// The target as typed.
        target: String,
    },
    /// The downgrade would run a revision whose file marks its downgrade irreversible.
    #[error("cannot downgrade revision {revision}: {file} marks its downgrade irreversible ({reason}). Downgrade no further than {revision}, or restore a copy of the database made before it was upgraded")]
    Irreversible {
        /// The revision.
        revision: String,
        /// Its migration file.
        file: String,
        /// Why, as the file says.
        reason: String,
    },
    /// `alembic_version` cannot be moved as Alembic would (its rows contradict the history).
    #[error("alembic_version cannot be updated: {reason}; the table's rows contradict the history, type `stamp --purge <revision>` to reset them")]
    VersionTable {
        /// What was inconsistent.
        reason: String,
    },
}

fn ambiguous_walk_hint(from: &Option<String>, choices: &[String], up: &bool, verb: &str) -> String {
    let sign = if *up { "+1" } else { "-1" };
    let place = match (from, up) {
        (Some(id), true) => format!("{id} is a branchpoint"),
        (Some(id), false) => format!("{id} is a mergepoint"),
        (None, _) => "the history has several bases".to_string(),
    };
    let options: Vec<String> = choices.iter().map(|id| format!("`{verb} {id}`")).collect();
    let options = if *up {
        format!("{}, or `{verb} heads` to apply both", options.join(", "))
    } else {
        options.join(" or ")
    };
    format!(
        "{place}: {sign} could mean {}. Type {options}.",
        choices.join(" or ")
    )
}

fn relative_hint(relative: &str) -> String {
    if relative.starts_with('-') {
        "there are not that many applied revisions below; type `downgrade base` to undo everything"
            .to_string()
    } else {
        "there are not that many revisions above; type `upgrade heads` to apply everything"
            .to_string()
    }
}

impl RevisionError {
    /// The exact text real Alembic prints (after `FAILED: `) for this refusal, or `None` when
    /// Alembic has no such check (file format, branch labels).
    pub fn alembic_message(&self) -> Option<String> {
        use RevisionError::*;
        Some(match self {
            BadFile { .. }
            | DuplicateRevision { .. }
            | UnknownDownRevision { .. }
            | NoBase
            | BranchLabelsUnsupported { .. }
            | VersionTable { .. }
            | Irreversible { .. }
            | NotARevision { .. } => return None,
            Cycle { ids } => format!("Cycle is detected in revisions ({})", ids.join(", ")),
            UnknownRevision { target } => format!("Can't locate revision identified by '{target}'"),
            UnknownCurrent { id } => format!("Can't locate revision identified by '{id}'"),
            AmbiguousPrefix { prefix, .. } => {
                format!("Can't locate revision identified by '{prefix}'")
            }
            MultipleHeads { stamp: true, .. } => {
                "Multiple heads are present; please specify a single target revision".to_string()
            }
            MultipleHeads { argument, .. } => format!(
                "Multiple head revisions are present for given argument '{argument}'; please \
                 specify a specific target revision, '<branchname>@{argument}' to narrow to a \
                 specific head, or 'heads' for all heads"
            ),
            AmbiguousWalk { .. } => "Ambiguous walk".to_string(),
            AmbiguousUpgrade { .. } => {
                "Ambiguous upgrade from multiple current revisions".to_string()
            }
            RelativeTooFar { relative, count } => {
                format!("Relative revision {relative} didn't produce {count} migrations")
            }
            WalkedTooFar { .. } => "Walked too far".to_string(),
            NotUpgradeTarget { target } => {
                format!("Destination {target} is not a valid upgrade target from current head(s)")
            }
            NotDowngradeTarget { target } => {
                format!("Destination {target} is not a valid downgrade target from current head(s)")
            }
            NotBranchDowngrade { .. } => {
                "Not a valid downgrade target from current heads".to_string()
            }
            RangeNotAncestor { start, end } => format!(
                "Requested range {start}:{end} does not refer to ancestor/descendant revisions \
                 along the same branch"
            ),
            Overlap { revision, others } => format!(
                "Requested revision {revision} overlaps with other requested revisions {}",
                others.join(", ")
            ),
            BadRange { .. } => {
                "History range requires [start]:[end], [start]:, or :[end]".to_string()
            }
            RangeNotAllowed { .. } => "Range revision not allowed".to_string(),
        })
    }
}
