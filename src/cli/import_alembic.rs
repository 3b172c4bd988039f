//! `import-alembic PROJECT --out DIR [--python PATH] [--check]`: the Alembic project's history as
//! content-db migration files (the work is `crate::alembic_import`'s; this reads and writes DIR).

use std::path::Path;

use super::files;
use super::CliError;
use crate::alembic_import::{self, ExistingFile, FileChange};

/// What the command prints, and whether DIR agreed with Alembic (for `--check`'s exit status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The report for stdout.
    pub text: String,
    /// False when `--check` found a difference.
    pub in_sync: bool,
}

/// Imports `project` with `python`, starting every scratch database from the SQL of
/// `base_schema` if given; writes the files into `out` (or with `check`, only compares).
/// Nothing is written unless the whole history imported and verified.
pub fn import_alembic(
    project: &Path,
    out: &Path,
    python: &Path,
    base_schema: Option<&Path>,
    check: bool,
) -> Result<Outcome, CliError> {
    let base_sql = match base_schema {
        Some(path) => std::fs::read_to_string(path).map_err(CliError::io("read", path))?,
        None => String::new(),
    };
    let existing = read_folder(out)?;
    let imported = alembic_import::import(project, python, &base_sql, &existing)?;
    let plan = alembic_import::sync::plan(&existing, &imported.files);
    let count = imported.files.len();
    let kept: Vec<&str> = imported
        .files
        .iter()
        .filter(|file| file.hand_written)
        .map(|file| file.name.as_str())
        .collect();
    let mut lines = Vec::new();
    if check {
        for change in &plan.changes {
            lines.push(format!("{}: {change}", out.display()));
        }
        if plan.in_sync() {
            lines.push(format!(
                "{} agrees with the Alembic history ({count} revisions; {})",
                out.display(),
                imported.versions
            ));
        } else {
            lines.push(format!(
                "{} differs from the Alembic history: run `content-db import-alembic {} --out {}`",
                out.display(),
                project.display(),
                out.display()
            ));
        }
        return Ok(Outcome {
            text: lines.join("\n"),
            in_sync: plan.in_sync(),
        });
    }
    std::fs::create_dir_all(out).map_err(CliError::io("create the folder", out))?;
    for (name, text) in &plan.writes {
        files::write_atomic(&out.join(name), text.as_bytes(), false)?;
    }
    for name in &plan.removals {
        let path = out.join(name);
        std::fs::remove_file(&path).map_err(CliError::io("remove", &path))?;
    }
    lines.push(format!(
        "Imported {count} revisions ({}); replaying the files gives Alembic's schema after every step.",
        imported.versions
    ));
    for change in &plan.changes {
        let line = match change {
            FileChange::Missing { name } => format!("  wrote    {}", out.join(name).display()),
            FileChange::Differs { name } => format!("  rewrote  {}", out.join(name).display()),
            FileChange::Renamed { old, new } => format!(
                "  renamed  {} -> {}",
                out.join(old).display(),
                out.join(new).display()
            ),
            FileChange::Stray { name, why } => {
                format!("  left     {} ({why})", out.join(name).display())
            }
        };
        lines.push(line);
    }
    for (name, why) in &imported.irreversible {
        lines.push(format!(
            "  irreversible {} (its downgrade raises in Alembic: {}); content-db refuses to downgrade past it",
            out.join(name).display(),
            why.lines().next().unwrap_or_default()
        ));
    }
    for name in kept {
        lines.push(format!(
            "  kept     {} (hand-written; its schema matches Alembic's)",
            out.join(name).display()
        ));
    }
    let unchanged = count - plan.writes.len() - lines_kept(&imported.files);
    if unchanged > 0 {
        lines.push(format!("  {unchanged} file(s) already up to date"));
    }
    Ok(Outcome {
        text: lines.join("\n"),
        in_sync: true,
    })
}

fn lines_kept(files: &[alembic_import::ImportedFile]) -> usize {
    files.iter().filter(|file| file.hand_written).count()
}

/// Every `*.sql` file of `dir` (none when it does not exist yet).
fn read_folder(dir: &Path) -> Result<Vec<ExistingFile>, CliError> {
    if !files::exists(dir)? {
        return Ok(Vec::new());
    }
    if !dir.is_dir() {
        return Err(CliError::Io {
            action: "write migration files into",
            path: dir.to_path_buf(),
            source: std::io::Error::other("it is a file, not a folder; give --out a folder"),
        });
    }
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(CliError::io("read the directory", dir))?;
    for entry in entries {
        let path = entry
            .map_err(CliError::io("read the directory", dir))?
            .path();
        if path.extension().is_some_and(|ext| ext == "sql") && path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(CliError::io("read", &path))?;
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.push(ExistingFile { name, text });
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}
