"""Participants choose how their name appears publicly: full name, first name or initials

Existing rows keep their choice: those who agreed to be shown (show_name) appear by first
name, as before; the others stay anonymous.

Revision ID: d5f2b8c1e9a4
Revises: 62f882d05c0a
Create Date: 2026-11-27 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5f2b8c1e9a4'
down_revision = '62f882d05c0a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'name_shown_as',
            sa.Enum('full_name', 'first_name', 'initials', name='name_shown_as', native_enum=False,
                    create_constraint=True, length=20),
            server_default='first_name',
            nullable=False,
        ))


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_constraint('ck_participant_name_shown_as', type_='check')
        batch_op.drop_column('name_shown_as')
