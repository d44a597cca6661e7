"""memorial: closing message, unit noun, words of support

Two columns on drive with server defaults, so every existing drive keeps counting in "units" and
has no closing message until its organisers write one; and the new support_message table.

Revision ID: 57342d7dca27
Revises: a96860035635
Create Date: 2026-11-30 23:08:01

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '57342d7dca27'
down_revision = 'a96860035635'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('support_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drive_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('name_shown_as', sa.Enum('full_name', 'first_name', 'initials', name='name_shown_as', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('body', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('pending', 'shown', 'hidden', name='support_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_support_message_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['drive_id'], ['drive.id'], name=op.f('fk_support_message_drive_id_drive'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_support_message_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_message'))
    )
    with op.batch_alter_table('support_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_message_drive_id'), ['drive_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_message_participant_id'), ['participant_id'], unique=False)

    with op.batch_alter_table('drive', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_noun', sa.Enum('units', 'bags', 'donations', name='unit_noun', native_enum=False, create_constraint=True, length=20), server_default='units', nullable=False))
        batch_op.add_column(sa.Column('closing_message', sa.Text(), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('drive', schema=None) as batch_op:
        batch_op.drop_constraint('unit_noun', type_='check')
        batch_op.drop_column('closing_message')
        batch_op.drop_column('unit_noun')

    with op.batch_alter_table('support_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_message_participant_id'))
        batch_op.drop_index(batch_op.f('ix_support_message_drive_id'))

    op.drop_table('support_message')
