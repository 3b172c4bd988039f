-- revision: 0a6c9e3f5b71
-- down_revision: f17b8d2e4c90
-- message: add scheduled status
-- create_date: 2025-05-22 15:03:48.270945
--
-- SQLite cannot ALTER a CHECK constraint, so posts is rebuilt by hand:
-- create posts_new, copy the rows, drop posts, rename posts_new to posts.

-- migrate:up

-- op.create_table("posts_new", ...): status CHECK gains 'scheduled', scheduled_at is new.
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

-- op.execute(...): copy every post (scheduled_at starts NULL).
INSERT INTO posts_new (id, content, platform, status, user_id, is_demo, created_at, updated_at, posted_at, external_id, error_message)
SELECT id, content, platform, status, user_id, is_demo, created_at, updated_at, posted_at, external_id, error_message FROM posts;

-- op.drop_table("posts"), op.rename_table("posts_new", "posts")
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;

-- op.create_index(...) twice: dropping posts dropped its indexes.
CREATE INDEX ix_posts_status ON posts (status);
CREATE INDEX ix_posts_user_id ON posts (user_id);

-- migrate:down
-- Loses data: every post's scheduled_at; scheduled posts go back to 'draft'.
-- The column order matches what the batch rebuild of c3e7a1d9f482 left.

-- Data migration first: the old CHECK does not allow 'scheduled'.
UPDATE posts SET status = 'draft' WHERE status = 'scheduled';

-- op.create_table("posts_old", ...): the posts of f17b8d2e4c90, without scheduled_at.
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

-- op.execute(...): copy every post except its scheduled_at.
INSERT INTO posts_old (id, content, platform, status, created_at, updated_at, posted_at, external_id, error_message, user_id, is_demo)
SELECT id, content, platform, status, created_at, updated_at, posted_at, external_id, error_message, user_id, is_demo FROM posts;

-- op.drop_table("posts"), op.rename_table("posts_old", "posts")
DROP TABLE posts;
ALTER TABLE posts_old RENAME TO posts;

-- op.create_index(...) twice: dropping posts dropped its indexes.
CREATE INDEX ix_posts_status ON posts (status);
CREATE INDEX ix_posts_user_id ON posts (user_id);
