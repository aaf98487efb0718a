"""start here: when a person put the first-visit panel away

Revision ID: c7e1f3a9b2d4
Revises: 0abdba5b2c48
Create Date: 2026-12-07 14:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c7e1f3a9b2d4"
down_revision = "0abdba5b2c48"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "start_here_dismissals",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_start_here_dismissals_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_start_here_dismissals")),
    )


def downgrade():
    op.drop_table("start_here_dismissals")
