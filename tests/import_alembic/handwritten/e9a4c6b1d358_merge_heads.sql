-- revision: e9a4c6b1d358
-- down_revision: c3e7a1d9f482, d5f0b2c8e614
-- message: merge heads
-- create_date: 2025-03-05 08:47:56.030411
--

-- migrate:up
-- Nothing to run: this revision only joins the two branches (Alembic's upgrade() is `pass`).

-- migrate:down
-- Nothing to run: Alembic's downgrade() is `pass`; only alembic_version changes.
