"""Form submissions: every form that creates something is sent once; sign-up keys move into the new table

Revision ID: 3c1f9a7e5b20
Revises: 3c9d1e7a5b42
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c1f9a7e5b20'
down_revision = '3c9d1e7a5b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('form_submission',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('sender', sa.String(length=80), nullable=False),
    sa.Column('created_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'key_hash', name=op.f('pk_form_submission'))
    )
    # A sign-up sent before keeps its answer: the same form sent again still leads to the same
    # welcome page. Its sender is the drive, as participation.Submission.sent_to writes it.
    op.execute(
        "INSERT INTO form_submission (kind, key_hash, sender, created_id, created_at) "
        "SELECT 'sign up', s.key_hash, 'drive:' || CAST(p.drive_id AS VARCHAR(20)), s.participant_id, s.created_at "
        "FROM sign_up_submission s JOIN participant p ON p.id = s.participant_id"
    )
    with op.batch_alter_table('sign_up_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_up_submission_participant_id'))
    op.drop_table('sign_up_submission')


def downgrade():
    op.create_table('sign_up_submission',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_sign_up_submission_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_sign_up_submission'))
    )
    with op.batch_alter_table('sign_up_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_up_submission_participant_id'), ['participant_id'], unique=False)
    # Only sign-ups fit the old table, and only those whose participant is still there.
    op.execute(
        "INSERT INTO sign_up_submission (key_hash, participant_id, created_at) "
        "SELECT f.key_hash, f.created_id, f.created_at FROM form_submission f "
        "JOIN participant p ON p.id = f.created_id WHERE f.kind = 'sign up'"
    )
    op.drop_table('form_submission')
