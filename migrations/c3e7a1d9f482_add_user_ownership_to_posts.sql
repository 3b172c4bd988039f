-- revision: c3e7a1d9f482
-- down_revision: b81d3e5f0a27
-- message: add user ownership to posts
-- create_date: 2025-03-03 10:05:31.902116

-- migrate:up
-- Imported from Alembic (versions/c3e7a1d9f482_add_user_ownership_to_posts.py) by `content-db import-alembic`: change the Python revision and import again, or mark this file hand-written.

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

INSERT INTO _alembic_tmp_posts (id, content, platform, status, created_at, updated_at, posted_at, external_id, error_message) SELECT posts.id, posts.content, posts.platform, posts.status, posts.created_at, posts.updated_at, posts.posted_at, posts.external_id, posts.error_message
FROM posts;

DROP TABLE posts;

ALTER TABLE _alembic_tmp_posts RENAME TO posts;

CREATE INDEX ix_posts_status ON posts (status);

CREATE INDEX ix_posts_user_id ON posts (user_id);

UPDATE posts SET is_demo = 1 WHERE external_id LIKE 'demo-%';

-- migrate:down

-- Loses data: the owner (user_id) and the is_demo flag of every post.

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

INSERT INTO _alembic_tmp_posts (id, content, platform, status, created_at, updated_at, posted_at, external_id, error_message) SELECT posts.id, posts.content, posts.platform, posts.status, posts.created_at, posts.updated_at, posts.posted_at, posts.external_id, posts.error_message
FROM posts;

DROP TABLE posts;

ALTER TABLE _alembic_tmp_posts RENAME TO posts;

CREATE INDEX ix_posts_status ON posts (status);
