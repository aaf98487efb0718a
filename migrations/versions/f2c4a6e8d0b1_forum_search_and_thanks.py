"""forum: a full-text index of posts kept by triggers, built for the posts there are; thanks on posts

Revision ID: f2c4a6e8d0b1
Revises: f4c2a9e7d1b5
Create Date: 2026-12-07 11:45:00.000000

The index is SQLite FTS5 or a PostgreSQL tsvector table with a GIN index. Triggers on
forum_posts write each post's words (and, for a thread's opening post, the thread's title)
in the same transaction as the post. Which posts a person may find is decided when searching.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f2c4a6e8d0b1"
down_revision = "f4c2a9e7d1b5"
branch_labels = None
depends_on = None

# The thread's title for its opening post, an empty string for the others.
TITLE_IF_FIRST = (
    "CASE WHEN NOT EXISTS (SELECT 1 FROM forum_posts earlier "
    "WHERE earlier.thread_id = {post}.thread_id AND earlier.id < {post}.id) "
    "THEN (SELECT title FROM forum_threads WHERE forum_threads.id = {post}.thread_id) ELSE '' END"
)
DOCUMENT = (
    "setweight(to_tsvector('english', coalesce({title}, '')), 'A') || "
    "setweight(to_tsvector('english', {body}), 'B')"
)


def _sqlite_upgrade():
    op.execute(
        "CREATE VIRTUAL TABLE forum_post_search USING fts5("
        "title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER forum_post_search_insert AFTER INSERT ON forum_posts BEGIN "
        "INSERT INTO forum_post_search (rowid, title, body) "
        f"VALUES (new.id, {TITLE_IF_FIRST.format(post='new')}, new.body); END"
    )
    op.execute(
        "CREATE TRIGGER forum_post_search_update AFTER UPDATE OF body ON forum_posts BEGIN "
        "UPDATE forum_post_search SET body = new.body WHERE rowid = new.id; END"
    )
    op.execute(
        "CREATE TRIGGER forum_post_search_delete AFTER DELETE ON forum_posts BEGIN "
        "DELETE FROM forum_post_search WHERE rowid = old.id; END"
    )
    op.execute(
        "INSERT INTO forum_post_search (rowid, title, body) "
        f"SELECT p.id, {TITLE_IF_FIRST.format(post='p')}, p.body FROM forum_posts p"
    )


def _postgresql_upgrade():
    op.execute(
        "CREATE TABLE forum_post_search ("
        "post_id integer PRIMARY KEY REFERENCES forum_posts (id) ON DELETE CASCADE, "
        "document tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX forum_post_search_document ON forum_post_search USING gin (document)")
    document = DOCUMENT.format(title=TITLE_IF_FIRST.format(post="NEW"), body="NEW.body")
    op.execute(
        "CREATE FUNCTION forum_post_search_index() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO forum_post_search (post_id, document) VALUES (NEW.id, {document}) "
        "ON CONFLICT (post_id) DO UPDATE SET document = EXCLUDED.document; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER forum_post_search_index AFTER INSERT OR UPDATE OF body ON forum_posts "
        "FOR EACH ROW EXECUTE FUNCTION forum_post_search_index()"
    )
    existing = DOCUMENT.format(title=TITLE_IF_FIRST.format(post="p"), body="p.body")
    op.execute(
        f"INSERT INTO forum_post_search (post_id, document) SELECT p.id, {existing} FROM forum_posts p"
    )


def upgrade():
    op.create_table(
        "forum_thanks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["forum_posts.id"],
            name=op.f("fk_forum_thanks_post_id_forum_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_forum_thanks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_thanks")),
        sa.UniqueConstraint("post_id", "user_id", name=op.f("uq_forum_thanks_post_id_user_id")),
    )
    with op.batch_alter_table("forum_thanks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_thanks_post_id"), ["post_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_forum_thanks_user_id"), ["user_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        _sqlite_upgrade()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER forum_post_search_index ON forum_posts")
        op.execute("DROP FUNCTION forum_post_search_index()")
        op.execute("DROP TABLE forum_post_search")
    else:
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER forum_post_search_{trigger}")
        op.execute("DROP TABLE forum_post_search")

    with op.batch_alter_table("forum_thanks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_thanks_user_id"))
        batch_op.drop_index(batch_op.f("ix_forum_thanks_post_id"))
    op.drop_table("forum_thanks")
