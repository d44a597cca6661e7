"""Which donations count: the one rule, written once in Python and once in SQL.

A donation counts towards a drive unless an organiser rejected it; on a drive that counts
only confirmed donations (DriveSettings.counts_reported is False), a reported one waits for
its confirmation. Every total (tallies, ripple, people, eligibility) uses these two, and
tests/counting/test_counting.py checks they pick the same rows.
"""

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import aliased

from ..donations.models import Donation, DonationStatus
from ..drives.models import DriveSettings


def stands(status: DonationStatus) -> bool:
    """The donor's word stands until an organiser rejects it (whether or not it counts yet)."""
    return status is not DonationStatus.REJECTED


def counts(status: DonationStatus, counts_reported: bool) -> bool:
    """Whether a donation in `status` counts on a drive whose reports count at once or not."""
    return stands(status) and (counts_reported or status is DonationStatus.CONFIRMED)


def standing() -> ColumnElement[bool]:
    """`stands` as a condition on Donation."""
    return Donation.status != DonationStatus.REJECTED


def counted() -> ColumnElement[bool]:
    """`counts` as a condition on Donation, looking up its own drive's setting.

    Self-contained (a correlated EXISTS on the settings row, by primary key), so any query
    over Donation can use it without joining the drive. No settings row: reports count at once.
    """
    settings = aliased(DriveSettings)
    confirmed_only = exists(
        select(settings.drive_id).where(settings.drive_id == Donation.drive_id, settings.counts_reported.is_(False))
    )
    return and_(standing(), or_(Donation.status == DonationStatus.CONFIRMED, ~confirmed_only))
