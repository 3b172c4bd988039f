//! The messages of the History and Inspect parts of the page (the revision graph, tables, the
//! SQL console, schema insight, exports), nested in [`super::Request::Inspect`] / [`super::Response::Inspected`] so that
//! they travel like every other message, typed with serde.

use crate::db::{ConsoleOutcome, PageRequest, TableDetail, TablePage, TableSummary};
use crate::revision::GraphLayout;
use crate::schema::DowngradeLoss;
use serde::{Deserialize, Serialize};

/// A read (or, for an unlocked console, a write) the page asks about the open database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op")]
pub enum InspectRequest {
    /// The revision graph with the open file's marks.
    History,
    /// Every table with its row count.
    Tables,
    /// One page of a table.
    Page(PageRequest),
    /// The schema of one table.
    Detail {
        /// The table.
        table: String,
    },
    /// One statement of the SQL console.
    Sql {
        /// The statement as typed.
        sql: String,
        /// True once the user has unlocked writing.
        write_unlocked: bool,
    },
    /// The drift check: the file's schema against the one its recorded revision should have,
    /// or, for a file with no known revision, the revision it matches (baseline inference).
    Drift,
    /// The ER diagram of the open file (laid out, and as an SVG document for the download).
    Erd,
    /// The schema at one state of the history against another, and the SQL between them.
    Diff {
        /// The starting state: `base`, or anything `upgrade` takes (an id, `head`, ...).
        from: String,
        /// The end state, as `from`.
        to: String,
    },
    /// The rows of a table or of a read-only statement as a CSV or JSON file.
    Export {
        /// Whose rows.
        source: ExportSource,
        /// In which format.
        format: ExportFormat,
    },
    /// The whole database as SQL, equivalent to `sqlite3 .dump`.
    Dump,
    /// One step of the schema evolution demo: the demo database migrated to the `step`-th
    /// state of the history (0: base, then each revision, oldest first).
    Evolution {
        /// Which state.
        step: usize,
    },
}

/// Whose rows an export holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportSource {
    /// Every row of this table or view.
    Table(String),
    /// The rows of this read-only statement (the console's last one).
    Query(String),
}

/// The format of an export: the library's one enum, which the CLI's `--format` takes too.
pub use crate::export::Format as ExportFormat;

/// The worker's answer to an [`InspectRequest`]. Failures of a read come back as
/// [`InspectResponse::Refused`] and are shown where the read was asked, not as the page error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op")]
pub enum InspectResponse {
    /// The revision graph.
    History(HistoryView),
    /// The tables.
    Tables {
        /// By name.
        tables: Vec<TableSummary>,
    },
    /// One page of a table.
    Page(TablePage),
    /// A table's schema.
    Detail(TableDetail),
    /// What a console statement did.
    Sql {
        /// The statement as typed.
        sql: String,
        /// The rows, or the reason it did not run / SQLite's message.
        result: Result<ConsoleOutcome, String>,
        /// After a write: the database as it is now (the page refreshes what it shows).
        snapshot: Option<Box<super::Snapshot>>,
    },
    /// The drift check.
    Drift(DriftView),
    /// The ER diagram.
    Erd(ErdView),
    /// The difference between two states.
    Diff(DiffView),
    /// One step of the schema evolution demo.
    Evolution(EvolutionView),
    /// A text file to download (an export or the dump).
    Text {
        /// The name to save it under.
        file_name: String,
        /// Its media type.
        media_type: String,
        /// Its contents.
        text: String,
    },
    /// A read failed (e.g. the table was dropped meanwhile).
    Refused {
        /// What failed, ready to show.
        message: String,
    },
}

/// Where a revision stands for the open file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevisionStatus {
    /// A row of `alembic_version`.
    Current,
    /// Below a current revision: already applied.
    Applied,
    /// Not applied yet.
    Pending,
}

/// One revision as the History shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The revision id.
    pub id: String,
    /// Its message.
    pub message: String,
    /// `Create Date` as Alembic wrote it.
    pub create_date: String,
    /// The ids it revises.
    pub down_revisions: Vec<String>,
    /// Current, applied or pending for the open file.
    pub status: RevisionStatus,
    /// A head of the history.
    pub is_head: bool,
    /// What its downgrade loses, when it loses anything.
    pub loss: Option<DowngradeLoss>,
    /// The upgrade SQL as written in the migration file.
    pub upgrade_sql: String,
    /// The downgrade SQL as written in the migration file.
    pub downgrade_sql: String,
}

/// The revision graph: its drawing and one entry per node, in the same (row) order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    /// Rows and lanes.
    pub layout: GraphLayout,
    /// `entries[i]` is drawn on row `i`.
    pub entries: Vec<HistoryEntry>,
}

impl HistoryView {
    /// The entry of revision `id`.
    pub fn entry(&self, id: &str) -> Option<&HistoryEntry> {
        self.entries.iter().find(|entry| entry.id == id)
    }
}

/// The drift check of the open file (see [`InspectRequest::Drift`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftView {
    /// The rows of `alembic_version` (empty: base or no table).
    pub recorded: Vec<String>,
    /// False when the file has no `alembic_version` table.
    pub versioned: bool,
    /// True when every recorded row is a revision of this history, so the schema was compared
    /// with the replayed one (`differences`).
    pub known: bool,
    /// How the file differs from its recorded revision's schema, one sentence each (empty:
    /// it matches). Only meaningful when `known`.
    pub differences: Vec<String>,
    /// For a file with no known revision (no `alembic_version`, an unknown row, or base with
    /// tables in it): the best states of the history, exact matches first.
    pub baseline: Vec<BaselineGuess>,
}

impl DriftView {
    /// True when the file's schema is exactly its recorded revision's.
    pub fn matches(&self) -> bool {
        self.known && self.differences.is_empty()
    }

    /// The exact baseline match, if there is one.
    pub fn exact_baseline(&self) -> Option<&BaselineGuess> {
        self.baseline
            .first()
            .filter(|guess| guess.differences.is_empty())
    }
}

/// One state of the history a file without a known revision may be at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineGuess {
    /// Its `alembic_version` rows (empty: base).
    pub revisions: Vec<String>,
    /// Its name for people: `c3e7a1d9f482 (add user ownership to posts)`, `base`, `A + B`.
    pub label: String,
    /// How the file differs from it, one sentence each (empty: an exact match).
    pub differences: Vec<String>,
}

/// The ER diagram of the open file: the layout the page draws, and the same diagram as the SVG
/// document `content-db erd` writes (for "Export SVG").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErdView {
    /// Boxes and edges with their coordinates.
    pub diagram: crate::schema::erd::Diagram,
    /// `schema::erd::render_svg` of it (every name escaped).
    pub svg: String,
}

// The coordinates are finite numbers computed from text lengths, so equality is total here.
impl Eq for ErdView {}

/// The `from` of a [`InspectRequest::Diff`] that starts at the open file, not a revision.
pub const FILE: &str = "file";

/// What changes from one state of the history to another ([`InspectRequest::Diff`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffView {
    /// The starting state as asked.
    pub from: String,
    /// The end state as asked.
    pub to: String,
    /// Tables, columns, indexes and constraints added, removed or changed, one sentence each.
    pub changes: Vec<String>,
    /// The SQL from one to the other: the migration sections along the path (down to the
    /// revisions both share, then up), as `upgrade --sql` prints them.
    pub sql: String,
    /// Why the difference could not be worked out (an unknown revision), when it could not.
    pub error: Option<String>,
}

/// One step of the schema evolution demo ([`InspectRequest::Evolution`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvolutionView {
    /// The step shown.
    pub step: usize,
    /// Every step's name (`base`, then `ID message` oldest first).
    pub steps: Vec<String>,
    /// What this step's migration changed (from its down revisions), in words.
    pub changes: Vec<String>,
    /// Tables (`posts`) and columns (`posts.user_id`) this step added: drawn highlighted.
    pub added: Vec<String>,
    /// Tables and columns this step removed (no longer in the diagram), listed in words.
    pub removed: Vec<String>,
    /// The demo database's tables with their row counts after the step.
    pub counts: Vec<crate::db::TableSummary>,
    /// The diagram after the step.
    pub diagram: crate::schema::erd::Diagram,
}

// The coordinates are finite numbers computed from text lengths, so equality is total here.
impl Eq for EvolutionView {}
