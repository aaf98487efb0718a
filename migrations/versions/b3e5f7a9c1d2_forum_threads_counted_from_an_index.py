"""forum threads counted from an index: each category's visible threads, their authors and last posts

Revision ID: b3e5f7a9c1d2
Revises: a7d3e9c1b2f4
Create Date: 2026-12-07 18:00:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "b3e5f7a9c1d2"
down_revision = "a7d3e9c1b2f4"
branch_labels = None
depends_on = None

NAME = "ix_forum_threads_category_id_visible_author_id_last_post_at"


def upgrade():
    # The forum's front page and a category's page count threads from this index alone.
    op.create_index(NAME, "forum_threads", ["category_id", "visible", "author_id", "last_post_at"])


def downgrade():
    op.drop_index(NAME, table_name="forum_threads")
