"""module reviews recorded, not claimed: front matter keeps only what the author can say;
reviews, law changes, page feedback, and when a resource's details were written

Revision ID: f4a9c2e7d1b5
Revises: c4d6e8f0a2b1
Create Date: 2026-12-07 11:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f4a9c2e7d1b5"
down_revision = "c4d6e8f0a2b1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_role", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("written", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("updated", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("law_applies", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("lived_experience", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("kinds", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("depends_on", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("sources", sa.JSON(), nullable=True))
    # Rows loaded before this change get placeholders and an empty hash, so the next sync reloads them.
    op.execute(
        "UPDATE modules SET author_role = '', written = last_reviewed, law_applies = 'not applicable', "
        "lived_experience = '', kinds = '[]', depends_on = '[]', sources = '[]', source_hash = ''"
    )
    with op.batch_alter_table("modules", schema=None) as batch_op:
        for name in (
            "author_role",
            "written",
            "law_applies",
            "lived_experience",
            "kinds",
            "depends_on",
            "sources",
        ):
            batch_op.alter_column(name, nullable=False)
        batch_op.drop_column("last_reviewed")
        batch_op.drop_column("reviewer_role")
        batch_op.drop_column("review_by")
    with op.batch_alter_table("module_translations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_role", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("lived_experience", sa.Text(), nullable=True))
    op.execute("UPDATE module_translations SET source_hash = ''")
    op.create_table(
        "module_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_name", sa.String(length=200), nullable=False),
        sa.Column("professional_role", sa.String(length=200), nullable=False),
        sa.Column("reviewer_kind", sa.String(length=30), nullable=False),
        sa.Column("registration_body", sa.String(length=20), nullable=False),
        sa.Column("registration_number", sa.String(length=40), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("module_hash", sa.String(length=64), nullable=False),
        sa.Column("checked", sa.Text(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["modules.id"],
            name=op.f("fk_module_reviews_module_id_modules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["users.id"],
            name=op.f("fk_module_reviews_reviewer_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_module_reviews")),
    )
    with op.batch_alter_table("module_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_module_reviews_module_id"), ["module_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_module_reviews_reviewer_id"), ["reviewer_id"], unique=False)
    op.create_table(
        "law_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=60), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_law_changes_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_law_changes")),
    )
    with op.batch_alter_table("law_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_law_changes_entry_key"), ["entry_key"], unique=False)
    op.create_table(
        "page_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("section_position", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["modules.id"], name=op.f("fk_page_feedback_module_id_modules"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_page_feedback_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_feedback")),
    )
    with op.batch_alter_table("page_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_page_feedback_module_id"), ["module_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_page_feedback_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details_written", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("details_written")
    with op.batch_alter_table("page_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_feedback_user_id"))
        batch_op.drop_index(batch_op.f("ix_page_feedback_module_id"))
    op.drop_table("page_feedback")
    with op.batch_alter_table("law_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_law_changes_entry_key"))
    op.drop_table("law_changes")
    with op.batch_alter_table("module_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_module_reviews_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_module_reviews_module_id"))
    op.drop_table("module_reviews")
    with op.batch_alter_table("module_translations", schema=None) as batch_op:
        batch_op.drop_column("lived_experience")
        batch_op.drop_column("author_role")
    with op.batch_alter_table("modules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_reviewed", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("reviewer_role", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("review_by", sa.Date(), nullable=True))
    # The old fields claimed a review; going back, they are filled with what is known and nothing more.
    op.execute(
        "UPDATE modules SET last_reviewed = written, reviewer_role = 'Not yet reviewed', "
        "review_by = written, source_hash = ''"
    )
    with op.batch_alter_table("modules", schema=None) as batch_op:
        for name in ("last_reviewed", "reviewer_role", "review_by"):
            batch_op.alter_column(name, nullable=False)
        for name in (
            "sources",
            "depends_on",
            "kinds",
            "lived_experience",
            "law_applies",
            "updated",
            "written",
            "author_role",
        ):
            batch_op.drop_column(name)
