-- revision: c3e7a1d9f482
-- down_revision: b81d3e5f0a27
-- message: add user ownership to posts
-- create_date: 2025-03-03 10:05:31.902116
--

-- migrate:up

-- op.batch_alter_table("posts"): on SQLite Alembic rebuilds the table. It creates
-- _alembic_tmp_posts with the new columns appended and the reflected defaults written as
-- DEFAULT (expr), copies the old columns, drops posts, renames the copy, recreates indexes.
CREATE TABLE _alembic_tmp_posts (
    id INTEGER NOT NULL,
    content TEXT NOT NULL,
    platform VARCHAR(50) NOT NULL,
    status VARCHAR(20) DEFAULT 'draft' NOT NULL,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
    posted_at DATETIME,
    external_id VARCHAR(255),
    error_message TEXT,
    user_id INTEGER,
    is_demo BOOLEAN DEFAULT 0 NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_posts_status CHECK (status IN ('draft', 'posted', 'failed')),
    CONSTRAINT fk_posts_user_id_users FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE SET NULL
);

INSERT INTO _alembic_tmp_posts (id, content, platform, status, created_at, updated_at, posted_at, external_id, error_message)
SELECT posts.id, posts.content, posts.platform, posts.status, posts.created_at, posts.updated_at, posts.posted_at, posts.external_id, posts.error_message
FROM posts;

DROP TABLE posts;

ALTER TABLE _alembic_tmp_posts RENAME TO posts;

-- The batch recreates the table's old index, then creates the new one.
CREATE INDEX ix_posts_status ON posts (status);
CREATE INDEX ix_posts_user_id ON posts (user_id);

-- Data migration: posts seeded for demos carry an external id starting with 'demo-'.
UPDATE posts SET is_demo = 1 WHERE external_id LIKE 'demo-%';

-- migrate:down
-- Loses data: the owner (user_id) and the is_demo flag of every post.

-- op.batch_alter_table("posts"): drop ix_posts_user_id, fk_posts_user_id_users, is_demo and
-- user_id by rebuilding the table the way Alembic's batch mode does on SQLite.
CREATE TABLE _alembic_tmp_posts (
    id INTEGER NOT NULL,
    content TEXT NOT NULL,
    platform VARCHAR(50) NOT NULL,
    status VARCHAR(20) DEFAULT 'draft' NOT NULL,
    created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
    updated_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL,
    posted_at DATETIME,
    external_id VARCHAR(255),
    error_message TEXT,
    PRIMARY KEY (id),
    CONSTRAINT ck_posts_status CHECK (status IN ('draft', 'posted', 'failed'))
);

INSERT INTO _alembic_tmp_posts (id, content, platform, status, created_at, updated_at, posted_at, external_id, error_message)
SELECT posts.id, posts.content, posts.platform, posts.status, posts.created_at, posts.updated_at, posts.posted_at, posts.external_id, posts.error_message
FROM posts;

DROP TABLE posts;

ALTER TABLE _alembic_tmp_posts RENAME TO posts;

-- The batch recreates the index that remains.
CREATE INDEX ix_posts_status ON posts (status);
