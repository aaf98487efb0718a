"""module translations: each module's words in another language

Revision ID: d9b4f7a2c6e1
Revises: c3a8e5f1d2b7
Create Date: 2026-12-07 03:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d9b4f7a2c6e1"
down_revision = "c3a8e5f1d2b7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "module_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=True),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["modules.id"],
            name=op.f("fk_module_translations_module_id_modules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_module_translations")),
        sa.UniqueConstraint("module_id", "language", name=op.f("uq_module_translations_module_id_language")),
    )
    with op.batch_alter_table("module_translations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_module_translations_module_id"), ["module_id"], unique=False)


def downgrade():
    with op.batch_alter_table("module_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_module_translations_module_id"))
    op.drop_table("module_translations")
