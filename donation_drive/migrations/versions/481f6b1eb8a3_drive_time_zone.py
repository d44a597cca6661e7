"""Each drive has a time zone: its days, reminders and activity log follow it

Existing drives take their region's zone, the one their activity log already showed: england
Europe/London, us America/New_York. A drive of any other region, and a row written without a
zone, counts its days in UTC, as every drive did before (the server default).

Revision ID: 481f6b1eb8a3
Revises: 57342d7dca27
Create Date: 2026-12-01 00:11:16

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '481f6b1eb8a3'
down_revision = '57342d7dca27'
branch_labels = None
depends_on = None

#: The zone of each region as outreach/eligibility.py REGIONS had it when this ran.
REGION_ZONES = {'england': 'Europe/London', 'us': 'America/New_York'}


def upgrade():
    with op.batch_alter_table('drive', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), server_default='UTC', nullable=False))

    drive = sa.table('drive', sa.column('region', sa.String), sa.column('timezone', sa.String))
    for region, zone in REGION_ZONES.items():
        op.execute(drive.update().where(drive.c.region == region).values(timezone=zone))


def downgrade():
    with op.batch_alter_table('drive', schema=None) as batch_op:
        batch_op.drop_column('timezone')
