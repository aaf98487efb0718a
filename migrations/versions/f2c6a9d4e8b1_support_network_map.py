"""support network map: entries, versions, needs, suggestions; resources gain areas served and kinds of support

Revision ID: f2c6a9d4e8b1
Revises: f4a9c2e7d1b5
Create Date: 2026-12-07 11:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f2c6a9d4e8b1"
down_revision = "f4a9c2e7d1b5"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("areas", sa.String(length=300), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("support", sa.String(length=100), nullable=False, server_default=""))

    op.create_table(
        "network_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("circle", sa.Integer(), nullable=False),
        sa.Column("angle", sa.Integer(), nullable=False),
        sa.Column("gives", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_network_entries_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_entries")),
    )
    with op.batch_alter_table("network_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_network_entries_user_id"), ["user_id"], unique=False)

    op.create_table(
        "network_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_network_versions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_versions")),
    )
    with op.batch_alter_table("network_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_network_versions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "network_needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("helps_most", sa.JSON(), nullable=False),
        sa.Column("ways", sa.JSON(), nullable=False),
        sa.Column("times", sa.JSON(), nullable=False),
        sa.Column("travel", sa.String(length=20), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("place", sa.String(length=4), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_network_needs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_needs")),
        sa.UniqueConstraint("user_id", name=op.f("uq_network_needs_user_id")),
    )

    op.create_table(
        "network_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("followed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_network_suggestions_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_network_suggestions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_suggestions")),
        sa.UniqueConstraint(
            "user_id", "resource_id", name=op.f("uq_network_suggestions_user_id_resource_id")
        ),
    )
    with op.batch_alter_table("network_suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_network_suggestions_resource_id"), ["resource_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_network_suggestions_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("network_suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_suggestions_user_id"))
        batch_op.drop_index(batch_op.f("ix_network_suggestions_resource_id"))
    op.drop_table("network_suggestions")
    op.drop_table("network_needs")
    with op.batch_alter_table("network_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_versions_user_id"))
    op.drop_table("network_versions")
    with op.batch_alter_table("network_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_entries_user_id"))
    op.drop_table("network_entries")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("support")
        batch_op.drop_column("areas")
