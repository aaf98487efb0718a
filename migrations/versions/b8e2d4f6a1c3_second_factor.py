"""second factor: authenticator apps, recovery codes, passkeys, remembered devices, resets; sessions record it

Revision ID: b8e2d4f6a1c3
Revises: a1f3c5e7b9d2
Create Date: 2026-12-07 09:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b8e2d4f6a1c3"
down_revision = "a1f3c5e7b9d2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('second_factor_devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_second_factor_devices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_second_factor_devices')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_second_factor_devices_token_hash'))
    )
    with op.batch_alter_table('second_factor_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_second_factor_devices_user_id'), ['user_id'], unique=False)

    op.create_table('second_factor_passkeys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.String(length=1400), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_second_factor_passkeys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_second_factor_passkeys')),
    sa.UniqueConstraint('credential_id', name=op.f('uq_second_factor_passkeys_credential_id'))
    )
    with op.batch_alter_table('second_factor_passkeys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_second_factor_passkeys_user_id'), ['user_id'], unique=False)

    op.create_table('second_factor_recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_second_factor_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_second_factor_recovery_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_second_factor_recovery_codes_code_hash'))
    )
    with op.batch_alter_table('second_factor_recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_second_factor_recovery_codes_user_id'), ['user_id'], unique=False)

    op.create_table('second_factor_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reset_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reset_by_id'], ['users.id'], name=op.f('fk_second_factor_resets_reset_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_second_factor_resets_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_second_factor_resets'))
    )
    with op.batch_alter_table('second_factor_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_second_factor_resets_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_second_factor_resets_user_id'), ['user_id'], unique=False)

    op.create_table('second_factors',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('totp_secret', sa.String(length=200), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_step', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_second_factors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_second_factors'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_factor_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('second_factor_at')

    op.drop_table('second_factors')
    with op.batch_alter_table('second_factor_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_second_factor_resets_user_id'))
        batch_op.drop_index(batch_op.f('ix_second_factor_resets_created_at'))

    op.drop_table('second_factor_resets')
    with op.batch_alter_table('second_factor_recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_second_factor_recovery_codes_user_id'))

    op.drop_table('second_factor_recovery_codes')
    with op.batch_alter_table('second_factor_passkeys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_second_factor_passkeys_user_id'))

    op.drop_table('second_factor_passkeys')
    with op.batch_alter_table('second_factor_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_second_factor_devices_user_id'))

    op.drop_table('second_factor_devices')
