//! The migration files of `migrations/`, embedded at compile time by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/embedded_migrations.rs"));
