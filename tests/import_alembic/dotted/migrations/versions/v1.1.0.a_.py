"""add notes and account email

Revision ID: v1.1.0.a
Revises: v1.0.0.a
Create Date: 2024-02-01 09:30:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = "v1.1.0.a"
down_revision = "v1.0.0.a"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("accounts", sa.Column("email", sa.String(120), nullable=True))
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False, server_default=sa.text("0")),
    )


def downgrade():
    op.drop_table("notes")
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_column("email")
