-- revision: 4f2a9c1e7b3d
-- down_revision:
-- message: initial posts and oauth tokens
-- create_date: 2025-01-06 09:12:44.118203
--

-- migrate:up

-- op.create_table("posts", ...): the status CHECK is named ck_posts_status.
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

-- op.create_index("ix_posts_status", "posts", ["status"])
CREATE INDEX ix_posts_status ON posts (status);

-- op.create_table("oauth_tokens", ...)
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
-- Loses data: every post and every token.

-- op.drop_table("oauth_tokens")
DROP TABLE oauth_tokens;

-- op.drop_index("ix_posts_status"), op.drop_table("posts")
DROP INDEX ix_posts_status;
DROP TABLE posts;
