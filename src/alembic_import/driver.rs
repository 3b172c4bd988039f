//! Runs `driver.py` (embedded in the binary) with the project's Python and reads its report.
//! The only part of the importer that starts a process; everything it hands back is plain data.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::capture::{DriverFailure, Report};
use super::ImportError;

/// The driver script, written to a temporary folder at run time (nothing to install).
const DRIVER: &str = include_str!("driver.py");

/// An Alembic project: its `alembic.ini` and the folder `alembic` is run from.
#[derive(Debug, Clone)]
pub struct Project {
    /// The ini file.
    pub ini: PathBuf,
    /// Where `alembic` runs (the ini's folder): env.py imports the app's modules from there.
    pub folder: PathBuf,
}

impl Project {
    /// PROJECT as given: a folder holding `alembic.ini`, or an `.ini` file.
    pub fn locate(project: &Path) -> Result<Project, ImportError> {
        let ini = if project.is_dir() {
            project.join("alembic.ini")
        } else {
            project.to_path_buf()
        };
        if !ini.is_file() {
            return Err(ImportError::NoAlembicIni {
                project: project.to_path_buf(),
            });
        }
        let ini = std::path::absolute(&ini).map_err(|source| ImportError::Io {
            action: "find",
            path: ini.clone(),
            source,
        })?;
        let folder = ini.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(Project { ini, folder })
    }
}

/// The driver's report with the folder holding its snapshots (removed when this is dropped).
pub struct Captured {
    /// What the driver reported.
    pub report: Report,
    /// The temporary folder of the scratch databases and their snapshots.
    _scratch: tempfile::TempDir,
}

/// Runs the driver with `python` on `project` and returns its report, or the error it reported.
/// The scratch databases live in a temporary folder that goes when the [`Captured`] does; the
/// driver's own output (and env.py's) goes to stderr so stdout stays the command's.
pub fn run(project: &Project, python: &Path, base_sql: &str) -> Result<Captured, ImportError> {
    let temp = tempfile::Builder::new()
        .prefix("content-db-import-")
        .tempdir()
        .map_err(|source| io("create a temporary folder in", std::env::temp_dir(), source))?;
    let script = temp.path().join("content_db_alembic_driver.py");
    std::fs::write(&script, DRIVER).map_err(|source| io("write", script.clone(), source))?;
    let scratch = temp.path().join("scratch");
    std::fs::create_dir(&scratch).map_err(|source| io("create", scratch.clone(), source))?;
    let result = temp.path().join("report.json");
    let request = serde_json::json!({
        "ini": project.ini,
        "scratch": scratch,
        "result": result,
        "base_sql": base_sql,
    });
    // A relative path such as `.venv/bin/python` means from here, not from the project's folder
    // the child starts in; a bare name (`python3`) is looked up in PATH.
    let program = if python.components().count() > 1 {
        std::path::absolute(python).unwrap_or_else(|_| python.to_path_buf())
    } else {
        python.to_path_buf()
    };
    let mut child = Command::new(&program)
        .arg(&script)
        .current_dir(&project.folder)
        // No __pycache__ folders appear in the user's project.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        // The same hash order in every run, so that sets of names iterate alike.
        .env("PYTHONHASHSEED", "0")
        .stdin(Stdio::piped())
        .stdout(stdout_to_stderr())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|source| ImportError::PythonNotFound {
            python: python.to_path_buf(),
            source,
        })?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin
            .write_all(request.to_string().as_bytes())
            .map_err(|source| io("send the request to", python.to_path_buf(), source))?;
    }
    let status = child
        .wait()
        .map_err(|source| io("wait for", python.to_path_buf(), source))?;
    let text = std::fs::read_to_string(&result).map_err(|_| ImportError::Driver {
        detail: format!(
            "{} exited with {status} without a report (is it Python 3.8 or newer?)",
            python.display()
        ),
    })?;
    let report: Report = serde_json::from_str(&text).map_err(|error| ImportError::Driver {
        detail: format!("its report is not what content-db expects: {error}"),
    })?;
    match report.error {
        Some(failure) => Err(refusal(failure, &project.ini)),
        None => Ok(Captured {
            report,
            _scratch: temp,
        }),
    }
}

fn io(action: &'static str, path: PathBuf, source: std::io::Error) -> ImportError {
    ImportError::Io {
        action,
        path,
        source,
    }
}

/// The driver's failure as the error the user sees.
fn refusal(failure: DriverFailure, ini: &Path) -> ImportError {
    let traceback = failure.traceback.unwrap_or_default();
    match failure.kind.as_str() {
        "base_schema" => ImportError::BaseSchema {
            message: failure.message,
        },
        "no_alembic" => ImportError::NoAlembic {
            python: failure.python.unwrap_or_default(),
            detail: failure.message,
        },
        "history" => ImportError::HistoryRefused {
            message: failure.message,
        },
        "no_environment" => ImportError::NoEnvironment {
            ini: ini.to_path_buf(),
            what: failure.message,
        },
        "wrong_database" => ImportError::WrongDatabase {
            url: failure.url.unwrap_or(failure.message),
        },
        "step" => ImportError::EnvFailed {
            what: format!(
                "the {} of revision {} (or env.py while running it)",
                failure.direction.unwrap_or_default(),
                failure.revision.unwrap_or_default()
            ),
            message: failure.message,
            traceback,
        },
        _ => ImportError::EnvFailed {
            what: "env.py".to_string(),
            message: failure.message,
            traceback,
        },
    }
}

/// The child's stdout joined to our stderr (env.py may print; our stdout is the command's).
fn stdout_to_stderr() -> Stdio {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
            return Stdio::from(fd);
        }
    }
    Stdio::null()
}
