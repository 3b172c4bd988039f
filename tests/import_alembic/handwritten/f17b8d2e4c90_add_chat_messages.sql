-- revision: f17b8d2e4c90
-- down_revision: e9a4c6b1d358
-- message: add chat messages
-- create_date: 2025-04-17 11:30:19.664052
--

-- migrate:up

-- op.create_table("chat_messages", ...): role CHECK ck_chat_messages_role; the foreign key
-- has no name, as in Alembic's twin.
CREATE TABLE chat_messages (
    id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    role VARCHAR(20) NOT NULL,
    content TEXT NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_chat_messages_role CHECK (role IN ('user', 'assistant', 'system')),
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- op.create_index("ix_chat_messages_user_id_created_at", "chat_messages", ["user_id", "created_at"])
CREATE INDEX ix_chat_messages_user_id_created_at ON chat_messages (user_id, created_at);

-- migrate:down
-- Loses data: the whole chat history.

-- op.drop_index(...), op.drop_table("chat_messages")
DROP INDEX ix_chat_messages_user_id_created_at;
DROP TABLE chat_messages;
