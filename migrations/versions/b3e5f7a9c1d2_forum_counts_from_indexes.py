"""forum counts from indexes: each category's visible threads, their authors and last posts; posts by author and time

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

THREADS = "ix_forum_threads_category_id_visible_author_id_last_post_at"
POSTS = "ix_forum_posts_author_id_created_at"


def upgrade():
    # The forum's front page and a category's page count threads from this index alone.
    op.create_index(THREADS, "forum_threads", ["category_id", "visible", "author_id", "last_post_at"])
    # The dashboard counts a period's posts by relatives from this one; it serves every lookup by
    # author the single-column index did.
    op.create_index(POSTS, "forum_posts", ["author_id", "created_at"])
    op.drop_index("ix_forum_posts_author_id", table_name="forum_posts")


def downgrade():
    op.create_index("ix_forum_posts_author_id", "forum_posts", ["author_id"])
    op.drop_index(POSTS, table_name="forum_posts")
    op.drop_index(THREADS, table_name="forum_threads")
