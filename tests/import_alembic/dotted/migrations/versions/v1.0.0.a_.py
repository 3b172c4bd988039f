"""baseline

Revision ID: v1.0.0.a
Revises:
Create Date: 2024-01-10 08:00:00.000000

The application made its tables itself before it used Alembic: this revision only marks that.
"""

revision = "v1.0.0.a"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
