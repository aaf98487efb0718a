"""one moderation digest per half-day, claimed before it is sent

Revision ID: b7d2e91c4a05
Revises: 6f4c4ddcf63f
Create Date: 2026-11-22 01:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7d2e91c4a05"
down_revision = "6f4c4ddcf63f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "moderation_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=13), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moderators", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_digests")),
        sa.UniqueConstraint("slot", name=op.f("uq_moderation_digests_slot")),
    )


def downgrade():
    op.drop_table("moderation_digests")
