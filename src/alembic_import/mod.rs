//! `content-db import-alembic`: turn an Alembic project's history into content-db migration
//! files by running the project's own Alembic and recording the SQL it executes.
//!
//! - `driver.py` (run by [`driver`], the only part that starts a process) runs env.py and the
//!   revision scripts on scratch SQLite files, one step at a time, up to the heads and down to
//!   base, again to see that each revision runs the same SQL twice, and on its own for a revision
//!   first run beside another branch; it reports every statement with its bound values
//!   ([`capture`]) and copies of the file after each step.
//! - [`sqltext`] writes the values in as exact SQLite literals and sorts out the statements that
//!   change nothing (reflection, transaction control) and those that read rows (a revision whose
//!   Python may decide on the data, refused by name).
//! - [`render`] makes the file text; [`verify`] replays the files with content-db along the same
//!   walk and compares every schema with Alembic's copy; [`sync`] compares them with the files
//!   already in the folder (what to write, or what `--check` reports).
//!
//! A file whose preamble has `-- hand-written` is the user's: it is kept as it is, stands in for
//! the revision (so a data-dependent revision can be imported), and is checked for its schema.

mod capture;
mod driver;
mod error;
pub mod render;
pub mod sqltext;
pub mod sync;
mod verify;

pub use capture::{AlembicRevision, Bound, ParamSet};
pub use driver::Project;
pub use error::{hand_written_hint, Culprit, ImportError};
pub use sync::{ExistingFile, FileChange, Plan as SyncPlan};

use std::collections::BTreeMap;
use std::path::Path;

use capture::{CapturedStep, Report, Run};
use sqltext::StatementKind;

/// One migration file of the imported history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    /// The revision id.
    pub revision: String,
    /// Its file name, `<id>_<slug>.sql`.
    pub name: String,
    /// Its text.
    pub text: String,
    /// Whether it is the user's hand-written file (kept as it is).
    pub hand_written: bool,
}

/// The imported history: one file per revision, verified against Alembic.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The files, in Alembic's order (newest first).
    pub files: Vec<ImportedFile>,
    /// Alembic's and SQLAlchemy's versions, for the summary line.
    pub versions: String,
    /// `(file name, why)` of each revision whose downgrade raises in Alembic: its file is marked
    /// irreversible and content-db refuses to downgrade past it.
    pub irreversible: Vec<(String, String)>,
}

/// Runs the project's Alembic with `python`, builds the files (taking the hand-written ones
/// among `existing`) and verifies them; writes nothing. `base_sql` (empty for none) makes the
/// tables the application creates itself before its first revision: every scratch database,
/// Alembic's and the replay's, starts from it.
pub fn import(
    project: &Path,
    python: &Path,
    base_sql: &str,
    existing: &[ExistingFile],
) -> Result<Imported, ImportError> {
    let project = Project::locate(project)?;
    let captured = driver::run(&project, python, base_sql)?;
    build(&captured.report, base_sql, existing)
}

/// The files for a driver report, verified (see [`import`]).
fn build(
    report: &Report,
    base_sql: &str,
    existing: &[ExistingFile],
) -> Result<Imported, ImportError> {
    for revision in &report.revisions {
        check_id(revision)?;
    }
    let hand_written = sync::hand_written(existing, &report.revisions)?;
    let walk = find_run(report, "walk")?;
    let sections = Sections::from_run(walk, report, &hand_written)?;
    if let Some(repeat) = report.runs.iter().find(|run| run.name == "repeat") {
        let again = Sections::from_run(repeat, report, &hand_written)?;
        sections.same_as(
            &again,
            report,
            &hand_written,
            "in two runs on new databases (does it use a random value or the clock?)",
        )?;
    }
    for run in report
        .runs
        .iter()
        .filter(|run| run.name.starts_with("isolated-"))
    {
        let alone = Sections::from_run(run, report, &hand_written)?;
        sections.same_as(
            &alone,
            report,
            &hand_written,
            "when another branch was applied than when it ran on its own",
        )?;
    }
    let mut files = Vec::new();
    for revision in &report.revisions {
        if let Some(file) = hand_written.get(&revision.id) {
            files.push(ImportedFile {
                revision: revision.id.clone(),
                name: file.name.clone(),
                text: file.text.clone(),
                hand_written: true,
            });
            continue;
        }
        files.push(sections.file(revision)?);
    }
    verify::replay_matches(&files, &report.runs, base_sql)?;
    let irreversible = files
        .iter()
        .filter(|file| !file.hand_written)
        .filter_map(|file| {
            let why = sections.irreversible.get(&file.revision)?;
            Some((file.name.clone(), why.clone()))
        })
        .collect();
    Ok(Imported {
        irreversible,
        files,
        versions: format!(
            "Alembic {}, SQLAlchemy {}",
            report.alembic, report.sqlalchemy
        ),
    })
}

fn find_run<'a>(report: &'a Report, name: &str) -> Result<&'a Run, ImportError> {
    report
        .runs
        .iter()
        .find(|run| run.name == name)
        .ok_or_else(|| ImportError::Driver {
            detail: format!("its report has no `{name}` run"),
        })
}

/// The statements of each revision's upgrade and downgrade, as they go into the files.
struct Sections {
    /// `(revision, is_upgrade)` → the statements.
    by_step: BTreeMap<(String, bool), Vec<String>>,
    /// Revision → the exception its downgrade raised in Alembic.
    irreversible: BTreeMap<String, String>,
}

impl Sections {
    fn from_run(
        run: &Run,
        report: &Report,
        hand_written: &BTreeMap<String, ExistingFile>,
    ) -> Result<Sections, ImportError> {
        let mut by_step = BTreeMap::new();
        let mut irreversible = BTreeMap::new();
        for step in &run.steps {
            if hand_written.contains_key(&step.revision) {
                continue;
            }
            if let Some(why) = &step.failed {
                irreversible.insert(step.revision.clone(), why.clone());
                continue;
            }
            let revision = revision_of(report, &step.revision)?;
            let statements = statements_of(step, revision)?;
            by_step.insert((step.revision.clone(), step.is_upgrade()), statements);
        }
        Ok(Sections {
            by_step,
            irreversible,
        })
    }

    /// Refuses a revision whose statements differ between this run and `other`.
    fn same_as(
        &self,
        other: &Sections,
        report: &Report,
        hand_written: &BTreeMap<String, ExistingFile>,
        why: &str,
    ) -> Result<(), ImportError> {
        for ((id, upgrade), theirs) in &other.by_step {
            let Some(ours) = self.by_step.get(&(id.clone(), *upgrade)) else {
                continue;
            };
            if ours == theirs || hand_written.contains_key(id) {
                continue;
            }
            let at = ours
                .iter()
                .zip(theirs)
                .position(|(a, b)| a != b)
                .unwrap_or(ours.len().min(theirs.len()));
            let shown = |list: &[String]| list.get(at).cloned().unwrap_or_else(|| "(none)".into());
            return Err(ImportError::Unstable {
                culprit: culprit(revision_of(report, id)?),
                direction: direction_word(*upgrade).to_string(),
                why: why.to_string(),
                first: shown(ours),
                second: shown(theirs),
            });
        }
        Ok(())
    }

    /// The generated file of `revision`.
    fn file(&self, revision: &AlembicRevision) -> Result<ImportedFile, ImportError> {
        let name = render::file_name(revision);
        if let Some(what) = unsupported(revision) {
            return Err(ImportError::Unsupported {
                culprit: culprit(revision),
                what,
            });
        }
        let statements = |upgrade: bool| {
            self.by_step
                .get(&(revision.id.clone(), upgrade))
                .cloned()
                .unwrap_or_default()
        };
        let up = render::section(&revision.upgrade_doc, &statements(true));
        let down = match self.irreversible.get(&revision.id) {
            Some(why) => render::irreversible_section(&revision.downgrade_doc, why),
            None => render::section(&revision.downgrade_doc, &statements(false)),
        };
        let text = render::render_file(revision, &up, &down);
        render::reads_back(&name, &text, revision, &up, &down).map_err(|detail| {
            ImportError::NotRepresentable {
                culprit: culprit(revision),
                detail,
            }
        })?;
        Ok(ImportedFile {
            revision: revision.id.clone(),
            name,
            text,
            hand_written: false,
        })
    }
}

/// Refuses an id the file format cannot carry (e.g. `v1.3.0.a`), with the parser's own reason.
fn check_id(revision: &AlembicRevision) -> Result<(), ImportError> {
    let probe = render::render_file(revision, "", "");
    match crate::revision::parse_migration(&render::file_name(revision), &probe) {
        Ok(_) => Ok(()),
        Err(crate::revision::RevisionError::BadFile { reason, .. })
            if reason.contains(&format!("`{}`", revision.id)) || revision.id.is_empty() =>
        {
            Err(ImportError::BadId {
                culprit: culprit(revision),
                reason,
            })
        }
        Err(_) => Ok(()), // anything else is found, and named, when the real file is rendered
    }
}

/// What in `revision` content-db's format cannot hold, if anything.
fn unsupported(revision: &AlembicRevision) -> Option<String> {
    (!revision.depends_on.is_empty()).then(|| {
        format!(
            "depends_on = {} (a dependency that is not a down revision)",
            revision.depends_on.join(", ")
        )
    })
}

/// Who a refusal is about.
fn culprit(revision: &AlembicRevision) -> Box<Culprit> {
    Box::new(Culprit {
        revision: revision.id.clone(),
        script: revision.path.clone(),
        file: render::file_name(revision),
    })
}

fn direction_word(upgrade: bool) -> &'static str {
    if upgrade {
        "upgrade"
    } else {
        "downgrade"
    }
}

fn revision_of<'a>(report: &'a Report, id: &str) -> Result<&'a AlembicRevision, ImportError> {
    report
        .revisions
        .iter()
        .find(|revision| revision.id == id)
        .ok_or_else(|| ImportError::Driver {
            detail: format!("it ran revision {id}, which it did not list"),
        })
}

/// The statements of one step as they go into a file: bound values written in, reflection and
/// transaction control left out; a read of rows refuses the revision.
fn statements_of(
    step: &CapturedStep,
    revision: &AlembicRevision,
) -> Result<Vec<String>, ImportError> {
    let mut out = Vec::new();
    for executed in &step.statements {
        match sqltext::classify(&executed.sql, executed.rows) {
            StatementKind::Reflection | StatementKind::Transaction => continue,
            StatementKind::DataRead => {
                return Err(ImportError::DataDependent {
                    culprit: culprit(revision),
                    direction: step.direction.clone(),
                    statement: sqltext::tidy(&executed.sql),
                })
            }
            StatementKind::Effect => {}
        }
        for params in executed.params.sets() {
            let statement = sqltext::bind(&executed.sql, params).map_err(|problem| {
                ImportError::Unbindable {
                    culprit: culprit(revision),
                    direction: step.direction.clone(),
                    statement: sqltext::tidy(&executed.sql),
                    problem: problem.to_string(),
                }
            })?;
            out.push(sqltext::ordered_constraints(&statement));
        }
    }
    Ok(sqltext::ordered_index_runs(out))
}

#[cfg(test)]
mod tests;
