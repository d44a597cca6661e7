"""Sign-up submissions: the one-time key of each sign-up form sent, so a double click signs up once

Revision ID: 62f882d05c0a
Revises: a7d3e5f1c9b2
Create Date: 2026-11-27 08:58:43.318135

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '62f882d05c0a'
down_revision = 'a7d3e5f1c9b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_up_submission',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_sign_up_submission_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_sign_up_submission'))
    )
    with op.batch_alter_table('sign_up_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_up_submission_participant_id'), ['participant_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sign_up_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_up_submission_participant_id'))

    op.drop_table('sign_up_submission')
