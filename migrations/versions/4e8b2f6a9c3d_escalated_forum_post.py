"""escalated forum post: which forum post a moderator's escalation to a team is about

Revision ID: 4e8b2f6a9c3d
Revises: d9b4f7a2c6e1
Create Date: 2026-12-08 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "4e8b2f6a9c3d"
down_revision = "d9b4f7a2c6e1"
branch_labels = None
depends_on = None


# Plain ALTER TABLE both ways, never a batch rebuild: on SQLite (foreign keys on) dropping and
# making the conversations table again would cascade away its messages and access log.


def upgrade():
    op.add_column("conversations", sa.Column("forum_post_id", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("conversations", "forum_post_id")  # SQLite 3.35 or later
