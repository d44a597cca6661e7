"""When a donor may be able to give again: published intervals per region, kept as data.

This app advises; the blood service decides. Every date shown from here is shown beside
"check with your blood service". To add a region, add an entry to REGIONS with its source.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from .counting import counted
from .extensions import db
from .models import Donation, DonationType, Participant


@dataclass(frozen=True)
class Interval:
    """The minimum wait after one donation, for everyone or for one group (`who`)."""

    wait: relativedelta
    who: str = ""


@dataclass(frozen=True)
class Region:
    name: str
    service: str
    #: Donation types the service publishes no interval for are left out: we then say nothing.
    intervals: dict[DonationType, tuple[Interval, ...]]


REGIONS: dict[str, Region] = {
    # NHS Blood and Transplant (England), as quoted in PRODUCT.md: whole blood every
    # 12 weeks for men and 16 weeks for women; platelets at least 2 weeks apart (up to 24 a year).
    # https://www.blood.co.uk/who-can-give-blood/ (eligibility: "how often can I give")
    "england": Region(
        name="England — NHS Blood and Transplant",
        service="NHS Blood and Transplant",
        intervals={
            DonationType.WHOLE_BLOOD: (
                Interval(relativedelta(weeks=12), "men"),
                Interval(relativedelta(weeks=16), "women"),
            ),
            DonationType.PLATELETS: (Interval(relativedelta(weeks=2)),),
        },
    ),
    # American Red Cross, as quoted in PRODUCT.md: whole blood every 56 days (up to 6 times a
    # year); Power Red (double red cells) every 112 days; platelets every 7 days (up to 24 a
    # year); plasma every 28 days (up to 13 a year).
    # https://www.redcrossblood.org/donate-blood/how-to-donate/types-of-blood-donations.html
    "us": Region(
        name="United States — American Red Cross",
        service="the American Red Cross",
        intervals={
            DonationType.WHOLE_BLOOD: (Interval(relativedelta(days=56)),),
            DonationType.DOUBLE_RED_CELLS: (Interval(relativedelta(days=112)),),
            DonationType.PLATELETS: (Interval(relativedelta(days=7)),),
            DonationType.PLASMA: (Interval(relativedelta(days=28)),),
        },
    ),
}
DEFAULT_REGION = "england"


@dataclass(frozen=True)
class NextDonation:
    """"You may be able to donate again from <on>", for `who` (empty: everyone)."""

    on: date
    who: str = ""


def next_donation_dates(region_key: str, donation_type: DonationType, donated_on: date) -> list[NextDonation]:
    """The earliest dates a donor may give again after `donated_on`; empty when unpublished."""
    region = REGIONS.get(region_key)
    if region is None:
        return []
    return [NextDonation(donated_on + interval.wait, interval.who)
            for interval in region.intervals.get(donation_type, ())]


def last_donation(participant: Participant) -> Donation | None:
    """The participant's latest donation that counts (counting.py)."""
    return db.session.scalar(
        db.select(Donation)
        .where(Donation.participant_id == participant.id, counted())
        .order_by(Donation.donated_on.desc(), Donation.id.desc())
        .limit(1)
    )


def donate_again(participant: Participant) -> list[NextDonation]:
    """When this participant may give again, from their last reported donation and its type."""
    donation = last_donation(participant)
    if donation is None:
        return []
    return next_donation_dates(participant.drive.region, donation.donation_type, donation.donated_on)


def region_of(region_key: str) -> Region:
    return REGIONS.get(region_key) or REGIONS[DEFAULT_REGION]
