"""Moderated forum

Revision ID: 27f2e4458079
Revises: 513503ac8621
Create Date: 2026-11-21 21:52:50.740618

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "27f2e4458079"
down_revision = "513503ac8621"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "forum_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_forum_categories_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_forum_categories_slug")),
    )
    with op.batch_alter_table("forum_categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_categories_site_id"), ["site_id"], unique=False)

    op.create_table(
        "forum_restrictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_forum_restrictions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_forum_restrictions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_restrictions")),
    )
    with op.batch_alter_table("forum_restrictions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_restrictions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "forum_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=150), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_post_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reply_count", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("visible", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_forum_threads_author_id_users")),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["forum_categories.id"],
            name=op.f("fk_forum_threads_category_id_forum_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_threads")),
    )
    with op.batch_alter_table("forum_threads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_threads_author_id"), ["author_id"], unique=False)
        batch_op.create_index(
            "ix_forum_threads_category_id_last_post_at", ["category_id", "last_post_at"], unique=False
        )

    op.create_table(
        "forum_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("held_because", sa.String(length=20), nullable=False),
        sa.Column("risk_categories", sa.String(length=120), nullable=False),
        sa.Column("hidden_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_forum_posts_author_id_users")),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["forum_threads.id"],
            name=op.f("fk_forum_posts_thread_id_forum_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_posts")),
    )
    with op.batch_alter_table("forum_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_posts_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_forum_posts_status"), ["status"], unique=False)
        batch_op.create_index("ix_forum_posts_thread_id_id", ["thread_id", "id"], unique=False)

    op.create_table(
        "forum_thread_readers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("last_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["forum_threads.id"],
            name=op.f("fk_forum_thread_readers_thread_id_forum_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_forum_thread_readers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_thread_readers")),
        sa.UniqueConstraint("user_id", "thread_id", name=op.f("uq_forum_thread_readers_user_id_thread_id")),
    )
    with op.batch_alter_table("forum_thread_readers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_thread_readers_thread_id"), ["thread_id"], unique=False)

    op.create_table(
        "forum_post_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["editor_id"], ["users.id"], name=op.f("fk_forum_post_revisions_editor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["forum_posts.id"],
            name=op.f("fk_forum_post_revisions_post_id_forum_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_post_revisions")),
    )
    with op.batch_alter_table("forum_post_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_post_revisions_post_id"), ["post_id"], unique=False)

    op.create_table(
        "forum_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["forum_posts.id"],
            name=op.f("fk_forum_reports_post_id_forum_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"], ["users.id"], name=op.f("fk_forum_reports_reporter_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum_reports")),
    )
    with op.batch_alter_table("forum_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_forum_reports_post_id"), ["post_id"], unique=False)

    op.create_table(
        "moderation_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["users.id"], name=op.f("fk_moderation_actions_member_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"], ["users.id"], name=op.f("fk_moderation_actions_moderator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["forum_posts.id"],
            name=op.f("fk_moderation_actions_post_id_forum_posts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["forum_threads.id"],
            name=op.f("fk_moderation_actions_thread_id_forum_threads"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_actions")),
    )
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_actions_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_moderation_actions_moderator_id"), ["moderator_id"], unique=False
        )

    op.create_table(
        "moderation_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("risk", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["claimed_by_id"], ["users.id"], name=op.f("fk_moderation_queue_claimed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["forum_posts.id"],
            name=op.f("fk_moderation_queue_post_id_forum_posts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["users.id"], name=op.f("fk_moderation_queue_resolved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_queue")),
    )
    with op.batch_alter_table("moderation_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_queue_post_id"), ["post_id"], unique=False)
        batch_op.create_index(
            "ix_moderation_queue_resolved_at_severity", ["resolved_at", "severity"], unique=False
        )

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("staff_only", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("staff_only")

    with op.batch_alter_table("moderation_queue", schema=None) as batch_op:
        batch_op.drop_index("ix_moderation_queue_resolved_at_severity")
        batch_op.drop_index(batch_op.f("ix_moderation_queue_post_id"))

    op.drop_table("moderation_queue")
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_actions_moderator_id"))
        batch_op.drop_index(batch_op.f("ix_moderation_actions_created_at"))

    op.drop_table("moderation_actions")
    with op.batch_alter_table("forum_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_reports_post_id"))

    op.drop_table("forum_reports")
    with op.batch_alter_table("forum_post_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_post_revisions_post_id"))

    op.drop_table("forum_post_revisions")
    with op.batch_alter_table("forum_thread_readers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_thread_readers_thread_id"))

    op.drop_table("forum_thread_readers")
    with op.batch_alter_table("forum_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_forum_posts_thread_id_id")
        batch_op.drop_index(batch_op.f("ix_forum_posts_status"))
        batch_op.drop_index(batch_op.f("ix_forum_posts_author_id"))

    op.drop_table("forum_posts")
    with op.batch_alter_table("forum_threads", schema=None) as batch_op:
        batch_op.drop_index("ix_forum_threads_category_id_last_post_at")
        batch_op.drop_index(batch_op.f("ix_forum_threads_author_id"))

    op.drop_table("forum_threads")
    with op.batch_alter_table("forum_restrictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_restrictions_user_id"))

    op.drop_table("forum_restrictions")
    with op.batch_alter_table("forum_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forum_categories_site_id"))

    op.drop_table("forum_categories")
