"""module reviews recorded, not claimed: front matter keeps only what the author can say

Revision ID: f4a9c2e7d1b5
Revises: b8e2d4f6a1c3
Create Date: 2026-12-07 11:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f4a9c2e7d1b5"
down_revision = "b8e2d4f6a1c3"
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


def downgrade():
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
