"""trust sign-in: which identity at the trust's OpenID provider belongs to which staff account

Revision ID: c4d6e8f0a2b1
Revises: b8e2d4f6a1c3
Create Date: 2026-12-07 12:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4d6e8f0a2b1"
down_revision = "b8e2d4f6a1c3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trust_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_trust_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trust_identities')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_trust_identities_issuer_subject')),
    sa.UniqueConstraint('user_id', 'issuer', name=op.f('uq_trust_identities_user_id_issuer'))
    )
    with op.batch_alter_table('trust_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trust_identities_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('trust_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trust_identities_user_id'))

    op.drop_table('trust_identities')
