"""Privacy leftovers: activity entries know the participant they name; a memorial's honoree
is read from its rounds instead of kept as a copy

Entries written before this change name nobody by id: erasing a participant's data rewords
only the entries written from now on. The memorial's stored honoree goes: the rounds' drives
hold the name, so editing it can no longer leave a stale copy behind.

Revision ID: 9c4d2e7a1f30
Revises: 3c1f9a7e5b20
Create Date: 2026-11-30 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c4d2e7a1f30'
down_revision = '3c1f9a7e5b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_activity_entry_participant_id'), ['participant_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_activity_entry_participant_id_participant'),
                                    'participant', ['participant_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('memorial', schema=None) as batch_op:
        batch_op.drop_column('honoree')


def downgrade():
    with op.batch_alter_table('memorial', schema=None) as batch_op:
        batch_op.add_column(sa.Column('honoree', sa.String(length=80), nullable=False, server_default=''))
    # The name as the latest round gives it, as the app read it.
    op.execute(
        "UPDATE memorial SET honoree = COALESCE((SELECT drive.honoree FROM drive JOIN memorial_round "
        "ON memorial_round.drive_id = drive.id WHERE memorial_round.memorial_id = memorial.id "
        "ORDER BY memorial_round.number DESC LIMIT 1), '')"
    )
    with op.batch_alter_table('activity_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_activity_entry_participant_id_participant'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_activity_entry_participant_id'))
        batch_op.drop_column('participant_id')
