//! The built-in demo database the page opens when no file is chosen yet: ContentEngine's
//! schema at an older revision, built from empty by the embedded migrations (the same planner
//! and `apply` a real file goes through), then filled with the sample rows of `demo_seed.sql`.

use crate::{Database, History};

/// The revision the demo is left at: on one branch of the history, so upgrading it to head runs
/// the other branch, the merge and the later migrations.
pub const DEMO_REVISION: &str = "c3e7a1d9f482";

/// The name the demo is shown and downloaded under.
pub const DEMO_FILE_NAME: &str = "content-demo.db";

/// Sample users, sessions, posts (with non-ASCII text) and tokens, valid at [`DEMO_REVISION`].
pub const DEMO_SEED_SQL: &str = include_str!("demo_seed.sql");

/// Builds the demo: an empty database upgraded to [`DEMO_REVISION`], then seeded.
pub fn build_demo(history: &History) -> Result<Database, crate::Error> {
    let mut db = Database::new_in_store()?;
    let plan = history.plan_upgrade(&[], DEMO_REVISION)?;
    db.apply(history, &plan, |_| {})?;
    // The seed only inserts rows into tables the migrations just made (no schema change), so it
    // needs none of `apply`'s guarantees.
    db.execute_script(DEMO_SEED_SQL)?;
    Ok(db)
}
