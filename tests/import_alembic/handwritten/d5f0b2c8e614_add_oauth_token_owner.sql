-- revision: d5f0b2c8e614
-- down_revision: b81d3e5f0a27
-- message: add oauth token owner
-- create_date: 2025-03-04 14:22:10.417733
--

-- migrate:up

-- op.batch_alter_table("oauth_tokens"): add user_sub, user_email and the unique constraint
-- uq_oauth_tokens_platform_user_sub by rebuilding the table the way Alembic's batch mode does
-- on SQLite (_alembic_tmp_oauth_tokens, copy, drop, rename).
CREATE TABLE _alembic_tmp_oauth_tokens (
    id INTEGER NOT NULL,
    platform VARCHAR(50) NOT NULL,
    access_token TEXT NOT NULL,
    refresh_token TEXT,
    expires_at DATETIME,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
    user_sub VARCHAR(255),
    user_email VARCHAR(255),
    PRIMARY KEY (id),
    CONSTRAINT uq_oauth_tokens_platform_user_sub UNIQUE (platform, user_sub)
);

INSERT INTO _alembic_tmp_oauth_tokens (id, platform, access_token, refresh_token, expires_at, created_at, updated_at)
SELECT oauth_tokens.id, oauth_tokens.platform, oauth_tokens.access_token, oauth_tokens.refresh_token, oauth_tokens.expires_at, oauth_tokens.created_at, oauth_tokens.updated_at
FROM oauth_tokens;

DROP TABLE oauth_tokens;

ALTER TABLE _alembic_tmp_oauth_tokens RENAME TO oauth_tokens;

-- migrate:down
-- Loses data: the user_sub and user_email of every token.

-- op.batch_alter_table("oauth_tokens"): drop the unique constraint, user_email and user_sub by
-- rebuilding the table the way Alembic's batch mode does on SQLite.
CREATE TABLE _alembic_tmp_oauth_tokens (
    id INTEGER NOT NULL,
    platform VARCHAR(50) NOT NULL,
    access_token TEXT NOT NULL,
    refresh_token TEXT,
    expires_at DATETIME,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
    PRIMARY KEY (id)
);

INSERT INTO _alembic_tmp_oauth_tokens (id, platform, access_token, refresh_token, expires_at, created_at, updated_at)
SELECT oauth_tokens.id, oauth_tokens.platform, oauth_tokens.access_token, oauth_tokens.refresh_token, oauth_tokens.expires_at, oauth_tokens.created_at, oauth_tokens.updated_at
FROM oauth_tokens;

DROP TABLE oauth_tokens;

ALTER TABLE _alembic_tmp_oauth_tokens RENAME TO oauth_tokens;
