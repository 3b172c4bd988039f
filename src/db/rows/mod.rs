//! The rows of the open file: pages of a table and its schema for the page's browser
//! ([`Database::table_summaries`], [`Database::table_page`], [`Database::table_detail`]), the SQL
//! console ([`Database::run_console`]), exports of a table or a query
//! ([`Database::table_rows`], [`Database::query`]) and the whole file as SQL
//! ([`Database::dump`]). A new way to read or show rows goes here.
//!
//! [`Database::table_summaries`]: crate::db::Database::table_summaries
//! [`Database::table_page`]: crate::db::Database::table_page
//! [`Database::table_detail`]: crate::db::Database::table_detail
//! [`Database::run_console`]: crate::db::Database::run_console
//! [`Database::table_rows`]: crate::db::Database::table_rows
//! [`Database::query`]: crate::db::Database::query
//! [`Database::dump`]: crate::db::Database::dump

pub(super) mod browse;
pub(super) mod console;
mod dump;
mod export;
