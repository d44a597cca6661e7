"""Further private links a participant opens from an emailed sign-in link

Revision ID: 3c9d1e7a5b42
Revises: 0b7c3e5a9d21
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c9d1e7a5b42'
down_revision = '0b7c3e5a9d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('private_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_private_link_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_private_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_private_link_token_hash'))
    )
    with op.batch_alter_table('private_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_private_link_participant_id'), ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('private_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_private_link_participant_id'))
    op.drop_table('private_link')
