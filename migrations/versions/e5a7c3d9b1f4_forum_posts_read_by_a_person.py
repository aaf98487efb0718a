"""forum posts read by a person: who reviewed each post and when, its risk score, escalated queue items

Revision ID: e5a7c3d9b1f4
Revises: 4e8b2f6a9c3d
Create Date: 2026-12-07 06:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e5a7c3d9b1f4"
down_revision = "4e8b2f6a9c3d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("forum_posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("risk_score", sa.Double(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_forum_posts_reviewed_at"), ["reviewed_at"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_forum_posts_reviewed_by_id_users"), "users", ["reviewed_by_id"], ["id"]
        )
    with op.batch_alter_table("moderation_queue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("moderation_queue", schema=None) as batch_op:
        batch_op.drop_column("escalated_at")
    with op.batch_alter_table("forum_posts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_forum_posts_reviewed_by_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_forum_posts_reviewed_at"))
        batch_op.drop_column("reviewed_by_id")
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("risk_score")
