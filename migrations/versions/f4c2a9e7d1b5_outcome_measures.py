"""outcome measures: answer sets with their time point, choices at the first offer, reminders sent

Revision ID: f4c2a9e7d1b5
Revises: f2c6a9d4e8b1
Create Date: 2026-12-07 12:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f4c2a9e7d1b5"
down_revision = "f2c6a9d4e8b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "measure_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=40), nullable=False),
        sa.Column("time_point", sa.String(length=20), nullable=False),
        sa.Column("in_window", sa.Boolean(), nullable=False),
        sa.Column("days_since_registration", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=40), nullable=True),
        sa.Column("safety_answer", sa.Boolean(), nullable=False),
        sa.Column("team_told", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_measure_answers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_answers")),
    )
    with op.batch_alter_table("measure_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_answers_completed_at"), ["completed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_measure_answers_user_id"), ["user_id"], unique=False)

    op.create_table(
        "measure_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("tell_team", sa.Boolean(), nullable=False),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("baseline_declined_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_measure_preferences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_measure_preferences")),
    )

    op.create_table(
        "measure_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("time_point", sa.String(length=20), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_measure_reminders_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_reminders")),
        sa.UniqueConstraint("user_id", "time_point", name=op.f("uq_measure_reminders_user_id_time_point")),
    )
    with op.batch_alter_table("measure_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_reminders_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("measure_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_reminders_user_id"))
    op.drop_table("measure_reminders")
    op.drop_table("measure_preferences")
    with op.batch_alter_table("measure_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_answers_user_id"))
        batch_op.drop_index(batch_op.f("ix_measure_answers_completed_at"))
    op.drop_table("measure_answers")
