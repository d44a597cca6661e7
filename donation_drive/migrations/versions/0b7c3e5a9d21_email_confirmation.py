"""Accounts confirm their email address before the first login

Revision ID: 0b7c3e5a9d21
Revises: afbd88e737d1
Create Date: 2026-11-27 12:05:00

Accounts that existed before this change have been in use, so they count as confirmed from
the moment they were created; nobody is locked out by the upgrade.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b7c3e5a9d21'
down_revision = 'afbd88e737d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE "user" SET email_confirmed_at = created_at')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
