"""Outreach: invitations, sent messages, unsubscribes; a drive's region and the drive it was inspired by

Revision ID: e6b2c0a9d4f1
Revises: c4e1a9d2f7b3
Create Date: 2026-11-27 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6b2c0a9d4f1'
down_revision = 'c4e1a9d2f7b3'
branch_labels = None
depends_on = None

INVITATION_STATUS = sa.Enum('sent', 'opened', 'joined', 'failed', 'revoked', name='invitation_status',
                            native_enum=False, create_constraint=True, length=20)


def upgrade():
    with op.batch_alter_table('drive', schema=None) as batch_op:
        # Existing drives get the default region; nothing is lost.
        batch_op.add_column(sa.Column('region', sa.String(length=20), server_default='england', nullable=False))
        batch_op.add_column(sa.Column('inspired_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_drive_inspired_by_id'), ['inspired_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_drive_inspired_by_id_drive'), 'drive', ['inspired_by_id'], ['id'], ondelete='SET NULL')

    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drive_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('status', INVITATION_STATUS, nullable=False),
    sa.Column('failure', sa.String(length=300), nullable=False),
    sa.Column('times_sent', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['drive_id'], ['drive.id'], name=op.f('fk_invitation_drive_id_drive'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_invitation_participant_id_participant'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('drive_id', 'email', name=op.f('uq_invitation_drive_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitation_token_hash'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_drive_id'), ['drive_id'], unique=False)

    op.create_table('sent_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('drive_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['drive_id'], ['drive.id'], name=op.f('fk_sent_message_drive_id_drive'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_message')),
    sa.UniqueConstraint('key', name=op.f('uq_sent_message_key'))
    )
    with op.batch_alter_table('sent_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_message_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_message_drive_id'), ['drive_id'], unique=False)

    op.create_table('unsubscribe',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drive_id', sa.Integer(), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['drive_id'], ['drive.id'], name=op.f('fk_unsubscribe_drive_id_drive'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unsubscribe')),
    sa.UniqueConstraint('drive_id', 'email_hash', name=op.f('uq_unsubscribe_drive_id'))
    )
    with op.batch_alter_table('unsubscribe', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unsubscribe_drive_id'), ['drive_id'], unique=False)


def downgrade():
    with op.batch_alter_table('unsubscribe', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unsubscribe_drive_id'))
    op.drop_table('unsubscribe')
    with op.batch_alter_table('sent_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_message_drive_id'))
        batch_op.drop_index(batch_op.f('ix_sent_message_created_at'))
    op.drop_table('sent_message')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_drive_id'))
    op.drop_table('invitation')
    with op.batch_alter_table('drive', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_drive_inspired_by_id_drive'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_drive_inspired_by_id'))
        batch_op.drop_column('inspired_by_id')
        batch_op.drop_column('region')
