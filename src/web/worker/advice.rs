//! The page's side of a file's state: after the library's sentences ([`crate::diagnose`]) it
//! says what to click, as the CLI says what to type.

use crate::diagnose::RowsProblem;

/// How to record `revision` on the page.
fn stamp_it(revision: &str) -> String {
    format!("type {revision} in “Migrate to”, tick “stamp only”, preview and apply")
}

/// What gets a file with tables but no recorded revision going.
pub fn stamp_advice() -> String {
    format!(
        "If its schema is already at a revision (the Overview's baseline finds which), stamp it: \
         {}.",
        stamp_it("that revision")
    )
}

/// What gets a file out of `problem` on the page.
pub fn way_out(problem: &RowsProblem) -> String {
    let replace_every_row = format!(
        "If you know the revision the schema is at, {}: the stamp replaces every row.",
        stamp_it("it")
    );
    match problem {
        RowsProblem::Repeated { .. } => format!(
            "Nothing was changed. Run DROP TABLE alembic_version in the SQL console (writes \
             unlocked), then {} (which creates Alembic's table again).",
            stamp_it("the revision the schema is at")
        ),
        RowsProblem::Unknown { .. } => format!(
            "Nothing was changed. Load migrations that know it (“Use other migrations…”, in \
             Migrate), or open another file. {replace_every_row}"
        ),
        RowsProblem::Overlapping { descendant, .. } => format!(
            "Nothing was changed. If the schema is at {descendant}, {}: the stamp replaces both \
             rows. Then upgrade as usual.",
            stamp_it(descendant)
        ),
    }
}

/// What the bar says while a file opened without reading it whole is read and checked
/// (SQLite's `quick_check`) before its first change or download.
pub fn checking_before_change(file_name: &str) -> String {
    format!("checking {file_name} before changing it (SQLite's quick_check reads every page)")
}
