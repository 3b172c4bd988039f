//! The imported files against the ones already in the output folder: which hand-written files
//! stand in for revisions, what to write or remove, and what `--check` reports. Pure: the folder
//! is handed in as `(name, text)` pairs.

use std::collections::BTreeMap;

use super::capture::AlembicRevision;
use super::render::is_hand_written;
use super::{ImportError, ImportedFile};
use crate::revision::parse_migration;

/// A `*.sql` file already in the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingFile {
    /// Its file name.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// The hand-written files of `existing`, by revision id; each must parse and stand for a
/// revision of the project with the same down revisions.
pub fn hand_written(
    existing: &[ExistingFile],
    revisions: &[AlembicRevision],
) -> Result<BTreeMap<String, ExistingFile>, ImportError> {
    let mut found = BTreeMap::new();
    for file in existing.iter().filter(|file| is_hand_written(&file.text)) {
        let bad = |problem: String| ImportError::HandWritten {
            file: file.name.clone(),
            problem,
        };
        let parsed = parse_migration(&file.name, &file.text)
            .map_err(|error| bad(format!("does not parse: {error}")))?;
        let Some(revision) = revisions.iter().find(|rev| rev.id == parsed.id) else {
            return Err(bad(format!(
                "is for revision {}, which the Alembic project does not have; remove the file or \
                 its `-- hand-written` line",
                parsed.id
            )));
        };
        if parsed.down_revisions != revision.down {
            return Err(bad(format!(
                "says down_revision {} but Alembic's {} revises {}; correct its header",
                show(&parsed.down_revisions),
                revision.path,
                show(&revision.down)
            )));
        }
        if let Some(other) = found.insert(parsed.id.clone(), file.clone()) {
            return Err(bad(format!(
                "and {} are both hand-written files for revision {}; keep one",
                other.name, parsed.id
            )));
        }
    }
    Ok(found)
}

fn show(ids: &[String]) -> String {
    if ids.is_empty() {
        "(none: a base)".to_string()
    } else {
        ids.join(", ")
    }
}

/// One difference between the folder and the imported history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// The file is missing: it is written.
    Missing {
        /// The file name.
        name: String,
    },
    /// The file's text is not what Alembic emits now: it is rewritten.
    Differs {
        /// The file name.
        name: String,
    },
    /// The revision's file has another name (its message changed): it is renamed.
    Renamed {
        /// The name in the folder.
        old: String,
        /// The new name.
        new: String,
    },
    /// A migration file for no revision of the project (or one that does not parse): left alone,
    /// reported.
    Stray {
        /// The file name.
        name: String,
        /// Why it matches no revision.
        why: String,
    },
}

impl std::fmt::Display for FileChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileChange::Missing { name } => write!(f, "{name} is missing"),
            FileChange::Differs { name } => {
                write!(f, "{name} differs from what Alembic executes now")
            }
            FileChange::Renamed { old, new } => {
                write!(
                    f,
                    "{old} should be named {new} (the revision's message changed)"
                )
            }
            FileChange::Stray { name, why } => write!(f, "{name} {why}"),
        }
    }
}

/// What syncing the folder with the imported history does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Every difference, in file-name order.
    pub changes: Vec<FileChange>,
    /// Files to (re)write: name and text.
    pub writes: Vec<(String, String)>,
    /// Files to remove (the old name of a renamed file).
    pub removals: Vec<String>,
}

impl Plan {
    /// Whether the folder already holds exactly the imported history.
    pub fn in_sync(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compares the folder's files with the imported ones. Hand-written files are never written or
/// removed; a file that matches no revision is reported and left alone.
pub fn plan(existing: &[ExistingFile], imported: &[ImportedFile]) -> Plan {
    let mut plan = Plan::default();
    let by_name: BTreeMap<&str, &ExistingFile> = existing
        .iter()
        .map(|file| (file.name.as_str(), file))
        .collect();
    let id_of = |file: &ExistingFile| {
        parse_migration(&file.name, &file.text)
            .map(|revision| revision.id)
            .map_err(|error| error.to_string())
    };
    for file in imported.iter().filter(|file| !file.hand_written) {
        match by_name.get(file.name.as_str()) {
            Some(current) if current.text == file.text => {}
            Some(_) => {
                plan.changes.push(FileChange::Differs {
                    name: file.name.clone(),
                });
                plan.writes.push((file.name.clone(), file.text.clone()));
            }
            None => {
                let old = existing.iter().find(|other| {
                    !is_hand_written(&other.text)
                        && id_of(other).is_ok_and(|id| id == file.revision)
                });
                plan.changes.push(match old {
                    Some(old) => {
                        plan.removals.push(old.name.clone());
                        FileChange::Renamed {
                            old: old.name.clone(),
                            new: file.name.clone(),
                        }
                    }
                    None => FileChange::Missing {
                        name: file.name.clone(),
                    },
                });
                plan.writes.push((file.name.clone(), file.text.clone()));
            }
        }
    }
    for file in existing {
        let known = imported.iter().any(|ours| ours.name == file.name)
            || plan.removals.contains(&file.name);
        if known {
            continue;
        }
        let why = match id_of(file) {
            Ok(id) if imported.iter().any(|ours| ours.revision == id) => {
                format!("is a second file for revision {id}; remove it")
            }
            Ok(id) => format!(
                "is for revision {id}, which the Alembic project does not have; remove it if the \
                 revision was deleted"
            ),
            Err(error) => format!("does not parse ({error})"),
        };
        plan.changes.push(FileChange::Stray {
            name: file.name.clone(),
            why,
        });
    }
    plan.changes.sort_by_key(|change| match change {
        FileChange::Missing { name }
        | FileChange::Differs { name }
        | FileChange::Stray { name, .. }
        | FileChange::Renamed { new: name, .. } => name.clone(),
    });
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> ExistingFile {
        ExistingFile {
            name: name.into(),
            text: text.into(),
        }
    }

    fn migration(id: &str, down: &str, extra: &str) -> String {
        format!(
            "-- revision: {id}\n-- down_revision: {down}\n-- message: m\n-- create_date: d\n{extra}\n-- migrate:up\n\n-- migrate:down\n"
        )
    }

    fn imported(id: &str, name: &str, text: &str) -> ImportedFile {
        ImportedFile {
            revision: id.into(),
            name: name.into(),
            text: text.into(),
            hand_written: false,
        }
    }

    fn revision(id: &str, down: &[&str]) -> AlembicRevision {
        AlembicRevision {
            id: id.into(),
            down: down.iter().map(|d| d.to_string()).collect(),
            depends_on: vec![],
            branch_labels: vec![],
            longdoc: "m".into(),
            path: format!("versions/{id}_m.py"),
            upgrade_doc: String::new(),
            downgrade_doc: String::new(),
        }
    }

    #[test]
    fn differences_are_listed_by_file() {
        let a = migration("a1", "", "");
        let b = migration("b2", "a1", "");
        let existing = vec![
            file("a1_m.sql", &a),
            file("b2_old_name.sql", &b),
            file("c3_gone.sql", &migration("c3", "b2", "")),
            file("d4_x.sql", "not a migration"),
        ];
        let ours = vec![
            imported("a1", "a1_m.sql", &a),
            imported("b2", "b2_m.sql", &b),
            imported("e5", "e5_m.sql", &migration("e5", "b2", "")),
        ];
        let plan = plan(&existing, &ours);
        let said: Vec<String> = plan.changes.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 4, "{said:#?}");
        assert_eq!(
            said[0],
            "b2_old_name.sql should be named b2_m.sql (the revision's message changed)"
        );
        assert!(said[1].starts_with(
            "c3_gone.sql is for revision c3, which the Alembic project does not have"
        ));
        assert!(said[2].starts_with("d4_x.sql does not parse"));
        assert_eq!(said[3], "e5_m.sql is missing");
        assert_eq!(plan.removals, vec!["b2_old_name.sql"]);
        assert_eq!(
            plan.writes
                .iter()
                .map(|(name, _)| name.as_str())
                .collect::<Vec<_>>(),
            vec!["b2_m.sql", "e5_m.sql"]
        );
        let same = super::plan(&[file("a1_m.sql", &a)], &ours[..1]);
        assert!(same.in_sync());
        let edited = super::plan(
            &[file(
                "a1_m.sql",
                &a.replace("\n\n-- migrate:down", "\nDROP TABLE x;\n\n-- migrate:down"),
            )],
            &ours[..1],
        );
        assert_eq!(
            edited.changes,
            vec![FileChange::Differs {
                name: "a1_m.sql".into()
            }]
        );
    }

    #[test]
    fn hand_written_files_are_kept_and_checked_against_the_project() {
        let mark = "-- hand-written: reads rows\n";
        let revisions = vec![revision("a1", &[]), revision("b2", &["a1"])];
        let ours = file("b2_m.sql", &migration("b2", "a1", mark));
        let found = hand_written(
            &[ours.clone(), file("a1_m.sql", &migration("a1", "", ""))],
            &revisions,
        )
        .expect("valid");
        assert_eq!(found.keys().collect::<Vec<_>>(), vec!["b2"]);
        let wrong_down = file("b2_m.sql", &migration("b2", "", mark));
        let error = hand_written(&[wrong_down], &revisions)
            .expect_err("down revision differs")
            .to_string();
        assert!(
            error.contains(
                "says down_revision (none: a base) but Alembic's versions/b2_m.py revises a1"
            ),
            "{error}"
        );
        let unknown = file("z9_m.sql", &migration("z9", "", mark));
        assert!(hand_written(&[unknown], &revisions).is_err());
        let mut kept = imported("b2", "b2_m.sql", &ours.text);
        kept.hand_written = true;
        assert!(
            plan(&[ours], &[kept]).in_sync(),
            "a hand-written file is never rewritten"
        );
    }
}
