"""auth: a private label, a record reference and the resend chain on invitations; the site's
setting for recording references

Revision ID: a7d3e9c1b5f2
Revises: f2c4a6e8d0b1
Create Date: 2026-12-07 15:00:00.000000

The label and the reference are seen only by the inviting team. The reference is kept only at
sites that turn `record_invitation_reference` on, which every existing site has off.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7d3e9c1b5f2"
down_revision = "f2c4a6e8d0b1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label", sa.String(length=60), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("record_reference", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("resent_from_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_invitations_resent_from_id"), ["resent_from_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_invitations_resent_from_id_invitations"), "invitations", ["resent_from_id"], ["id"]
        )
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("record_invitation_reference", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("record_invitation_reference")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_invitations_resent_from_id_invitations"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_invitations_resent_from_id"))
        batch_op.drop_column("resent_from_id")
        batch_op.drop_column("record_reference")
        batch_op.drop_column("label")
