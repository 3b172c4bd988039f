//! Reads the schema back from SQLite in a normalized form (the same one as
//! `../shared/contentengine/dump_schema.py --no-sql`), so two files can be compared.
