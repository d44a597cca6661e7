"""When a donor may be able to give again: published intervals per region, kept as data.

This app advises; the blood service decides. Every date shown from here is shown beside
"check with your blood service". To add a region, add an entry to REGIONS with its source.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from ..core.extensions import db
from ..counting.rule import counted
from ..donations.models import Donation, DonationType
from ..participation.models import Participant


@dataclass(frozen=True)
class Interval:
    """The minimum wait after one donation, for everyone or for one group (`who`)."""

    wait: relativedelta
    who: str = ""


@dataclass(frozen=True)
class Region:
    name: str
    service: str
    #: Where the service takes appointments: it books and screens donors; a friend's page only points there.
    booking_url: str
    #: The IANA time zone the drive's times are shown in. One per region for now: per-drive
    #: time zones come with issue 17.
    timezone: str
    #: Donation types the service publishes no interval for are left out: we then say nothing.
    intervals: dict[DonationType, tuple[Interval, ...]]


REGIONS: dict[str, Region] = {
    # NHS Blood and Transplant (England), as quoted in PRODUCT.md: whole blood every
    # 12 weeks for men and 16 weeks for women; platelets at least 2 weeks apart (up to 24 a year).
    # https://www.blood.co.uk/who-can-give-blood/ (eligibility: "how often can I give")
    "england": Region(
        name="England — NHS Blood and Transplant",
        service="NHS Blood and Transplant",
        # blood.co.uk's "Book an appointment" (also the GiveBloodNHS app, or 0300 123 23 23).
        # https://www.blood.co.uk/
        booking_url="https://www.blood.co.uk/",
        timezone="Europe/London",
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
        # redcrossblood.org's "Find a Blood Drive": search by ZIP code, then make an appointment.
        # https://www.redcrossblood.org/give.html/find-drive
        booking_url="https://www.redcrossblood.org/give.html/find-drive",
        # The Red Cross works across six time zones; until a drive has its own (issue 17), its
        # default is Eastern time, that of its headquarters in Washington, DC.
        timezone="America/New_York",
        intervals={
            DonationType.WHOLE_BLOOD: (Interval(relativedelta(days=56)),),
            DonationType.DOUBLE_RED_CELLS: (Interval(relativedelta(days=112)),),
            DonationType.PLATELETS: (Interval(relativedelta(days=7)),),
            DonationType.PLASMA: (Interval(relativedelta(days=28)),),
        },
    ),
}
DEFAULT_REGION = "england"

#: The most units one donation of each type can count for, wherever the donor lives.
#: Whole blood: one bag (about a pint) per donation. Power Red / double red cells: "nearly
#: twice the amount of red cells" of a whole-blood donation, i.e. two red-cell units.
#: Platelets: "some platelet donations yield enough platelets for two or three therapeutic
#: doses", each a unit. Plasma: counted as the one donation it is; the Red Cross publishes
#: no split. Sources (American Red Cross):
#: https://www.redcrossblood.org/donate-blood/how-to-donate/types-of-blood-donations.html
#: https://www.redcrossblood.org/donating-blood/types-donations/platelets
UNITS_PER_DONATION: dict[DonationType, int] = {
    DonationType.WHOLE_BLOOD: 1,
    DonationType.DOUBLE_RED_CELLS: 2,
    DonationType.PLATELETS: 3,
    DonationType.PLASMA: 1,
}


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


_SOME_DAY = date(2001, 1, 1)


def shortest_wait(region_key: str, donation_type: DonationType) -> relativedelta | None:
    """The shortest published wait after a donation of this type (men's, when it differs by sex)."""
    region = REGIONS.get(region_key)
    intervals = region.intervals.get(donation_type, ()) if region else ()
    # relativedeltas don't compare; the dates they reach from one fixed day do.
    return min((interval.wait for interval in intervals), key=lambda wait: _SOME_DAY + wait, default=None)


def within_wait(earlier_on: date, later_on: date, wait: relativedelta | None) -> bool:
    """Whether two donation dates are closer than one donor could give twice."""
    first, second = sorted((earlier_on, later_on))
    return wait is not None and second < first + wait


def last_donation(participant: Participant) -> Donation | None:
    """The participant's latest donation that counts (counting/rule.py)."""
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
