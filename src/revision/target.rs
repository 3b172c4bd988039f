//! Target syntax (`head`, `heads`, `base`, ids, prefixes, `+N`, `-N`, `REV+N`, `REV-N`) →
//! resolved revisions, by Alembic's rules.
