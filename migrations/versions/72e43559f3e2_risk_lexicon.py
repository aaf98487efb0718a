"""Risk lexicon

Revision ID: 72e43559f3e2
Revises: dc62afc48f0e
Create Date: 2026-11-21 21:41:41.216212

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "72e43559f3e2"
down_revision = "dc62afc48f0e"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "risk_phrases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_risk_phrases_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_phrases")),
        sa.UniqueConstraint("phrase", name=op.f("uq_risk_phrases_phrase")),
    )


def downgrade():
    op.drop_table("risk_phrases")
