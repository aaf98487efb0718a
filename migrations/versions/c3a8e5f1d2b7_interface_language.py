"""interface language: each person's choice, the language of each usage event, Welsh page views per month

Revision ID: c3a8e5f1d2b7
Revises: b7d2e91c4a05
Create Date: 2026-11-23 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c3a8e5f1d2b7"
down_revision = "b7d2e91c4a05"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("usage_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("usage_user_months", schema=None) as batch_op:
        batch_op.add_column(sa.Column("welsh_views", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("usage_user_months", schema=None) as batch_op:
        batch_op.drop_column("welsh_views")
    with op.batch_alter_table("usage_events", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
