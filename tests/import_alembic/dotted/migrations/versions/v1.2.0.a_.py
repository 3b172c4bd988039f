"""drop pinned

Revision ID: v1.2.0.a
Revises: v1.1.0.a
Create Date: 2024-03-05 12:00:00.000000
"""
from alembic import op

revision = "v1.2.0.a"
down_revision = "v1.1.0.a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notes") as batch_op:
        batch_op.drop_column("pinned")


def downgrade():
    raise NotImplementedError("which notes were pinned is lost")
