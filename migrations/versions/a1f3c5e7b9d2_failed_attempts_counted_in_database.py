"""failed sign-in and second-factor attempts, counted per account in the database

Revision ID: a1f3c5e7b9d2
Revises: e5a7c3d9b1f4
Create Date: 2026-12-07 08:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1f3c5e7b9d2"
down_revision = "e5a7c3d9b1f4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "failed_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failed_attempts")),
    )
    op.create_index(
        "ix_failed_attempts_account_kind_at", "failed_attempts", ["account_key", "kind", "at"], unique=False
    )


def downgrade():
    op.drop_index("ix_failed_attempts_account_kind_at", table_name="failed_attempts")
    op.drop_table("failed_attempts")
