"""Drives and participants have a language

Every existing drive was written in English, so it keeps English for its mail. A participant
signed up before this has no language (NULL): their mail takes the drive's.

Revision ID: 0e06aa607737
Revises: 481f6b1eb8a3
Create Date: 2026-12-01 01:56:40.601448

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0e06aa607737'
down_revision = '481f6b1eb8a3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('drive', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), server_default='en', nullable=False))

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))



def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('language')

    with op.batch_alter_table('drive', schema=None) as batch_op:
        batch_op.drop_column('language')

