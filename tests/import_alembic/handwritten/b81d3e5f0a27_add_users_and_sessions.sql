-- revision: b81d3e5f0a27
-- down_revision: 4f2a9c1e7b3d
-- message: add users and sessions
-- create_date: 2025-02-11 16:40:02.551390
--

-- migrate:up

-- op.create_table("users", ...): linkedin_sub is unique (uq_users_linkedin_sub).
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

-- op.create_table("sessions", ...): the foreign key has no name, as in Alembic's twin.
CREATE TABLE sessions (
    id VARCHAR(36) NOT NULL,
    user_id INTEGER NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    expires_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
CREATE INDEX ix_sessions_user_id ON sessions (user_id);

-- migrate:down
-- Loses data: every user and every session.

-- op.drop_index("ix_sessions_user_id"), op.drop_table("sessions"), op.drop_table("users")
DROP INDEX ix_sessions_user_id;
DROP TABLE sessions;
DROP TABLE users;
