-- revision: 4f2a9c1e7b3d
-- down_revision:
-- message: initial posts and oauth tokens
-- create_date: 2025-01-06 09:12:44.118203

-- migrate:up
-- Imported from Alembic (versions/4f2a9c1e7b3d_initial_posts_and_oauth_tokens.py) by `content-db import-alembic`: change the Python revision and import again, or mark this file hand-written.

CREATE TABLE posts (
    id INTEGER NOT NULL,
    content TEXT NOT NULL,
    platform VARCHAR(50) NOT NULL,
    status VARCHAR(20) DEFAULT 'draft' NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    posted_at DATETIME,
    external_id VARCHAR(255),
    error_message TEXT,
    PRIMARY KEY (id),
    CONSTRAINT ck_posts_status CHECK (status IN ('draft', 'posted', 'failed'))
);

CREATE INDEX ix_posts_status ON posts (status);

CREATE TABLE oauth_tokens (
    id INTEGER NOT NULL,
    platform VARCHAR(50) NOT NULL,
    access_token TEXT NOT NULL,
    refresh_token TEXT,
    expires_at DATETIME,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (id)
);

-- migrate:down

DROP TABLE oauth_tokens;

DROP INDEX ix_posts_status;

DROP TABLE posts;
