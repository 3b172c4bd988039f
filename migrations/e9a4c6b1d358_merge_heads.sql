-- revision: e9a4c6b1d358
-- down_revision: c3e7a1d9f482, d5f0b2c8e614
-- message: merge heads
-- create_date: 2025-03-05 08:47:56.030411

-- migrate:up
-- Imported from Alembic (versions/e9a4c6b1d358_merge_heads.py) by `content-db import-alembic`: change the Python revision and import again, or mark this file hand-written.

-- migrate:down
