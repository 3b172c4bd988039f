-- revision: b81d3e5f0a27
-- down_revision: 4f2a9c1e7b3d
-- message: add users and sessions
-- create_date: 2025-02-11 16:40:02.551390

-- migrate:up
-- Imported from Alembic (versions/b81d3e5f0a27_add_users_and_sessions.py) by `content-db import-alembic`: change the Python revision and import again, or mark this file hand-written.

CREATE TABLE users (
    id INTEGER NOT NULL,
    linkedin_sub VARCHAR(255) NOT NULL,
    email VARCHAR(255),
    name VARCHAR(255),
    profile_picture_url VARCHAR(1024),
    access_token TEXT,
    refresh_token TEXT,
    token_expires_at DATETIME,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_login_at DATETIME,
    PRIMARY KEY (id),
    CONSTRAINT uq_users_linkedin_sub UNIQUE (linkedin_sub)
);

CREATE TABLE sessions (
    id VARCHAR(36) NOT NULL,
    user_id INTEGER NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    expires_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX ix_sessions_user_id ON sessions (user_id);

-- migrate:down

DROP INDEX ix_sessions_user_id;

DROP TABLE sessions;

DROP TABLE users;
