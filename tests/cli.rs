//! Integration tests of the `content-db` binary, with real Alembic as the oracle: the same file
//! is given to both tools (as copies) and their outputs, step lines and `alembic_version` rows are
//! compared. Also: errors leave the file byte-identical, `--sql` changes nothing, init/reset/
//! create/merge/check behave as documented.

mod common;

#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/export.rs"]
mod export;
#[path = "cli/fixture.rs"]
mod fixture;
#[path = "cli/insight.rs"]
mod insight;
#[path = "cli/inspect.rs"]
mod inspect;
#[path = "cli/lifecycle.rs"]
mod lifecycle;
#[path = "cli/migrate.rs"]
mod migrate;
#[path = "cli/scaffold.rs"]
mod scaffold;
#[path = "cli/values.rs"]
mod values;
