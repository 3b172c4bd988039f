-- revision: 0a6c9e3f5b71
-- down_revision: f17b8d2e4c90
-- message: add scheduled status
-- create_date: 2025-05-22 15:03:48.270945
--
-- SQLite cannot ALTER a CHECK constraint, so posts is rebuilt by hand:
-- create posts_new, copy the rows, drop posts, rename posts_new to posts.

-- migrate:up
-- Imported from Alembic (versions/0a6c9e3f5b71_add_scheduled_status.py) by `content-db import-alembic`: change the Python revision and import again, or mark this file hand-written.

CREATE TABLE posts_new (
    id INTEGER NOT NULL,
    content TEXT NOT NULL,
    platform VARCHAR(50) NOT NULL,
    status VARCHAR(20) DEFAULT 'draft' NOT NULL,
    user_id INTEGER,
    is_demo BOOLEAN DEFAULT 0 NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    scheduled_at DATETIME,
    posted_at DATETIME,
    external_id VARCHAR(255),
    error_message TEXT,
    PRIMARY KEY (id),
    CONSTRAINT ck_posts_status CHECK (status IN ('draft', 'scheduled', 'posted', 'failed')),
    CONSTRAINT fk_posts_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE SET NULL
);

INSERT INTO posts_new (id, content, platform, status, user_id, is_demo, created_at, updated_at, posted_at, external_id, error_message) SELECT id, content, platform, status, user_id, is_demo, created_at, updated_at, posted_at, external_id, error_message FROM posts;

DROP TABLE posts;

ALTER TABLE posts_new RENAME TO posts;

CREATE INDEX ix_posts_status ON posts (status);

CREATE INDEX ix_posts_user_id ON posts (user_id);

-- migrate:down

-- Loses data: every post's scheduled_at; scheduled posts go back to 'draft'.
-- The column order matches what the batch rebuild of c3e7a1d9f482 left.

UPDATE posts SET status = 'draft' WHERE status = 'scheduled';

CREATE TABLE posts_old (
    id INTEGER NOT NULL,
    content TEXT NOT NULL,
    platform VARCHAR(50) NOT NULL,
    status VARCHAR(20) DEFAULT 'draft' NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    posted_at DATETIME,
    external_id VARCHAR(255),
    error_message TEXT,
    user_id INTEGER,
    is_demo BOOLEAN DEFAULT 0 NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_posts_status CHECK (status IN ('draft', 'posted', 'failed')),
    CONSTRAINT fk_posts_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE SET NULL
);

INSERT INTO posts_old (id, content, platform, status, created_at, updated_at, posted_at, external_id, error_message, user_id, is_demo) SELECT id, content, platform, status, created_at, updated_at, posted_at, external_id, error_message, user_id, is_demo FROM posts;

DROP TABLE posts;

ALTER TABLE posts_old RENAME TO posts;

CREATE INDEX ix_posts_status ON posts (status);

CREATE INDEX ix_posts_user_id ON posts (user_id);
