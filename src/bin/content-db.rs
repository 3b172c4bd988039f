//! `content-db`: the command-line tool. Argument parsing and printing only; every rule lives in
//! the library (`content_db::cli` and the layers below it).

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use content_db::cli::{
    export, import_alembic, insight, inspect, lifecycle, loss, migrate, scaffold, CliError, Event,
    Workspace,
};
use content_db::export::Format;

/// Open ContentEngine's SQLite database, show its Alembic revision, migrate it.
///
/// Output goes where Alembic puts it: what a command reports (revisions, history, SQL, the
/// generated file) on stdout; the log of what it does (`INFO  [alembic.runtime.migration]
/// Running upgrade ...`) and notices on stderr; errors on stderr as `FAILED: ...`. Exit status:
/// 0 on success, 1 on an error (or when `check` finds a difference), 2 on a usage error. On any
/// error the database file is left as it was: a writing command changes it in place as one SQLite
/// transaction, under SQLite's write lock.
#[derive(Debug, Parser)]
#[command(name = "content-db", version, max_term_width = 100)]
struct Args {
    /// The SQLite database file.
    #[arg(long, global = true, value_name = "PATH", default_value = "content.db")]
    db: PathBuf,
    /// Read migration files from DIR at run time instead of those built into the binary;
    /// `create` and `merge` write there (default for them: ./migrations).
    #[arg(long, global = true, value_name = "DIR")]
    migrations: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the revision(s) the database is at (as `alembic current`).
    Current {
        /// Show each revision in full.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show the heads of the migration history (as `alembic heads`).
    Heads {
        /// Show each head in full.
        #[arg(short, long)]
        verbose: bool,
    },
    /// List the migration history, newest first (as `alembic history`).
    History {
        /// Show each revision in full.
        #[arg(short, long)]
        verbose: bool,
        /// A range `[start]:[end]`, e.g. `b81d:head`, `current:`, `-2:`.
        #[arg(
            short = 'r',
            long = "rev-range",
            value_name = "RANGE",
            allow_hyphen_values = true
        )]
        rev_range: Option<String>,
        /// Mark the database's current revision(s) with `(current)`.
        #[arg(short, long)]
        indicate_current: bool,
    },
    /// Show one revision in full: an id, a prefix, `head`, `heads`, `current` (as `alembic show`).
    Show {
        /// The revision.
        #[arg(allow_negative_numbers = true)]
        rev: String,
    },
    /// Upgrade to TARGET: `head`, `heads`, an id or prefix, `+N`, `REV+N`. Creates the file if
    /// missing.
    Upgrade {
        /// Where to go.
        #[arg(allow_negative_numbers = true)]
        target: String,
        /// Print the SQL that would run from the file's current revision; change nothing.
        #[arg(long)]
        sql: bool,
    },
    /// Downgrade to TARGET: `base`, an id or prefix, `-N`, `REV-N`.
    Downgrade {
        /// Where to go.
        #[arg(allow_negative_numbers = true)]
        target: String,
        /// Print the SQL that would run from the file's current revision, after a comment block
        /// listing the data it would drop; change nothing.
        #[arg(long)]
        sql: bool,
        /// List the steps and the tables/columns each would drop, with how many rows and
        /// non-NULL values they hold now; change nothing.
        #[arg(long, conflicts_with = "sql")]
        dry_run: bool,
    },
    /// Set the recorded revision without running any migration (as `alembic stamp`). Creates the
    /// file if missing.
    Stamp {
        /// The revision(s) to record: ids or prefixes, `head`, `heads`, `base`.
        #[arg(required = true)]
        targets: Vec<String>,
        /// Empty alembic_version first, even if it holds revisions unknown to the history.
        #[arg(long)]
        purge: bool,
    },
    /// Create a new database at head; refuses an existing file.
    Init,
    /// Copy the file to <file>.backup-YYYYMMDD-HHMMSS, then recreate it at head (asks first).
    Reset {
        /// Do not ask; needed when stdin is not a terminal.
        #[arg(short, long)]
        yes: bool,
    },
    /// Write a new, empty migration file on top of the head (as `alembic revision -m`).
    Create {
        /// The migration's one-line message; also names the file.
        message: String,
    },
    /// Write a migration that merges heads (as `alembic merge heads -m`).
    Merge {
        /// `heads`, or the head revisions to merge.
        #[arg(required = true)]
        revisions: Vec<String>,
        /// The merge's message.
        #[arg(short, long, default_value = "empty message")]
        message: String,
    },
    /// Exit 1 with a diff if the file's schema is not what its recorded revision should have.
    Check,
    /// Find the revision whose schema the file has (for a file without alembic_version, or with
    /// an unknown revision); exit 1 when none matches exactly (the closest are listed).
    Baseline {
        /// Record the exactly matching revision(s) (as `stamp --purge`).
        #[arg(long)]
        stamp: bool,
    },
    /// Show what changes between two revisions (`base`, `head`, ids, prefixes, `current`), with
    /// the SQL that goes from the first to the second.
    Diff {
        /// The two revisions, from and to.
        #[arg(
            num_args = 2,
            value_names = ["FROM", "TO"],
            required_unless_present = "file",
            allow_negative_numbers = true
        )]
        revisions: Vec<String>,
        /// Compare the file itself with revision REV instead.
        #[arg(long, value_name = "REV", conflicts_with = "revisions")]
        file: Option<String>,
    },
    /// Draw the file's tables, columns and foreign keys as an SVG diagram.
    Erd {
        /// Write the SVG to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Export every row of a table (or view) as CSV or JSON.
    Export {
        /// The table or view.
        table: String,
        /// The output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Run one read-only statement (SELECT …) and print its rows as CSV or JSON.
    Query {
        /// The statement; refused if it would write.
        sql: String,
        /// The output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print the whole database as SQL, equivalent to `sqlite3 FILE .dump`.
    Dump {
        /// Write to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write an Alembic project's revisions as migration files: runs the project's own Alembic
    /// on a scratch SQLite database and records the SQL it executes, verified step by step.
    ImportAlembic {
        /// The Alembic project: the folder holding alembic.ini (or the .ini file).
        project: PathBuf,
        /// The folder of migration files to write (e.g. the one given to --migrations).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The Python that has the project's dependencies and Alembic.
        #[arg(long, value_name = "PATH", default_value = "python3")]
        python: PathBuf,
        /// SQL that makes the tables the application creates itself before its first revision
        /// runs (e.g. with `metadata.create_all`); run on every scratch database first.
        #[arg(long, value_name = "FILE")]
        base_schema: Option<PathBuf>,
        /// Write nothing; exit 1 naming every file of DIR that differs from what Alembic
        /// executes now.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    content_db::cli::files::report_file_size_limit();
    let workspace = Workspace {
        db_path: args.db,
        migrations_dir: args.migrations,
    };
    match run(&workspace, args.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("FAILED: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Prints an event on stderr: step lines exactly as Alembic's logger does, notices as they are.
fn print_event(event: Event) {
    match event {
        Event::Step(line) => eprintln!("INFO  [alembic.runtime.migration] {line}"),
        Event::Notice(text) => eprintln!("{text}"),
    }
}

/// Prints text meant for stdout, ending it with exactly one newline (nothing when empty).
fn print_out(text: &str) {
    if let Err(error) = write_out(&mut std::io::stdout().lock(), text) {
        std::process::exit(exit_status_after_write_error(&error));
    }
}

/// Prints data for stdout exactly as given (CSV and dumps end their own lines).
fn print_raw(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        std::process::exit(exit_status_after_write_error(&error));
    }
}

/// Writes `text` with exactly one trailing newline (nothing when empty) and flushes.
fn write_out(out: &mut impl std::io::Write, text: &str) -> std::io::Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", text.strip_suffix('\n').unwrap_or(text))?;
    out.flush()
}

/// The exit status after stdout failed: a closed pipe (`content-db history | head`) ends the
/// program quietly with 0, as it does for Alembic and other Unix tools; any other failure is
/// reported and exits 1.
fn exit_status_after_write_error(error: &std::io::Error) -> i32 {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        return 0;
    }
    eprintln!("FAILED: could not write to standard output: {error}");
    1
}

fn run(workspace: &Workspace, command: Command) -> Result<ExitCode, CliError> {
    let events = &mut print_event;
    let now = chrono::Local::now().naive_local();
    match command {
        Command::Current { verbose } => print_out(&inspect::current(workspace, verbose, events)?),
        Command::Heads { verbose } => print_out(&inspect::heads(workspace, verbose)?),
        Command::History {
            verbose,
            rev_range,
            indicate_current,
        } => print_out(&inspect::history(
            workspace,
            rev_range.as_deref(),
            verbose,
            indicate_current,
            events,
        )?),
        Command::Show { rev } => print_out(&inspect::show(workspace, &rev, events)?),
        Command::Upgrade { target, sql } => {
            migrate_or_sql(workspace, migrate::Command::Upgrade, &target, sql)?
        }
        Command::Downgrade {
            target,
            sql: _,
            dry_run: true,
        } => print_out(&loss::describe(&loss::report(workspace, &target, events)?)),
        Command::Downgrade {
            target, sql: true, ..
        } => {
            let report = loss::report(workspace, &target, &mut |_| {})?;
            let script = migrate::sql(
                workspace,
                migrate::Command::Downgrade,
                std::slice::from_ref(&target),
                events,
            )?;
            print_out(&format!("{}{script}", loss::as_sql_comment(&report)));
        }
        Command::Downgrade { target, .. } => {
            migrate_or_sql(workspace, migrate::Command::Downgrade, &target, false)?
        }
        Command::Stamp { targets, purge } => migrate::run(
            workspace,
            migrate::Command::Stamp { purge },
            &targets,
            events,
        )?,
        Command::Init => lifecycle::init(workspace, events)?,
        Command::Reset { yes } => {
            let mut ask = ask_on_terminal;
            let consent = if yes {
                lifecycle::Consent::Given
            } else if std::io::stdin().is_terminal() {
                lifecycle::Consent::Ask(&mut ask)
            } else {
                lifecycle::Consent::Unavailable
            };
            lifecycle::reset(workspace, consent, now, events)?;
        }
        Command::Create { message } => {
            let path = scaffold::create(workspace, &message, now, events)?;
            println!("Generating {} ...  done", path.display());
        }
        Command::Merge { revisions, message } => {
            let path = scaffold::merge(workspace, &revisions, &message, now, events)?;
            println!("Generating {} ...  done", path.display());
        }
        Command::Check => {
            let outcome = inspect::check(workspace, events)?;
            print_out(&outcome.text);
            if !outcome.clean {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Baseline { stamp } => {
            let outcome = insight::baseline(workspace, stamp, events)?;
            print_out(&outcome.text);
            if !outcome.exact {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Diff { revisions, file } => match (file, revisions.as_slice()) {
            (Some(rev), _) => print_out(&insight::diff_file(workspace, &rev, events)?),
            (None, [from, to]) => print_out(&insight::diff(workspace, from, to, events)?),
            _ => unreachable!("clap requires two revisions or --file"),
        },
        Command::Erd { output } => print_out(&insight::erd(workspace, output.as_deref(), events)?),
        Command::Export {
            table,
            format,
            output,
        } => print_raw(&export::export(
            workspace,
            &table,
            format,
            output.as_deref(),
            events,
        )?),
        Command::Query {
            sql,
            format,
            output,
        } => print_raw(&export::query(
            workspace,
            &sql,
            format,
            output.as_deref(),
            events,
        )?),
        Command::Dump { output } => print_raw(&export::dump(workspace, output.as_deref(), events)?),
        Command::ImportAlembic {
            project,
            out,
            python,
            base_schema,
            check,
        } => {
            let outcome = import_alembic::import_alembic(
                &project,
                &out,
                &python,
                base_schema.as_deref(),
                check,
            )?;
            print_out(&outcome.text);
            if !outcome.in_sync {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `upgrade`/`downgrade`, or with `--sql` only print what they would run.
fn migrate_or_sql(
    workspace: &Workspace,
    command: migrate::Command,
    target: &str,
    sql: bool,
) -> Result<(), CliError> {
    let events = &mut print_event;
    let targets = [target.to_string()];
    if sql {
        print_out(&migrate::sql(workspace, command, &targets, events)?);
        Ok(())
    } else {
        migrate::run(workspace, command, &targets, events)
    }
}

/// Shows `prompt` on stderr and reads one answer line from stdin.
fn ask_on_terminal(prompt: &str) -> Result<String, CliError> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(CliError::io("read the answer from", "stdin"))?;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn relative_targets_are_not_options() {
        let args = Args::try_parse_from(["content-db", "downgrade", "-1"]).expect("parses");
        assert!(matches!(args.command, Command::Downgrade { ref target, .. } if target == "-1"));
        let args = Args::try_parse_from(["content-db", "history", "-r", "-2:"]).expect("parses");
        assert!(
            matches!(args.command, Command::History { ref rev_range, .. } if rev_range.as_deref() == Some("-2:"))
        );
    }

    /// A writer whose reader has gone away, like stdout piped into `head` after it exits.
    struct ClosedPipe;

    impl std::io::Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_ends_quietly_and_other_write_errors_fail() {
        let error = write_out(&mut ClosedPipe, "0a6c9e3f5b71 (head)").expect_err("pipe is closed");
        assert_eq!(exit_status_after_write_error(&error), 0);
        let disk_full = std::io::Error::other("no space left on device");
        assert_eq!(exit_status_after_write_error(&disk_full), 1);
    }

    #[test]
    fn output_ends_with_exactly_one_newline() {
        let mut out = Vec::new();
        write_out(&mut out, "a\n").expect("writes");
        write_out(&mut out, "b").expect("writes");
        write_out(&mut out, "").expect("writes");
        assert_eq!(out, b"a\nb\n");
    }
}
