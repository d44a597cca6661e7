"""Which reported donations look like one donation reported twice: a pure rule over the drive's list."""

from datetime import date, timedelta

from donation_drive.drives.checking import suspected_repeats
from donation_drive.models import Donation, DonationStatus, DonationType

DAY = date(2026, 3, 2)


def donation(id_: int, participant: int | None, on: date, status: DonationStatus = DonationStatus.REPORTED,
             kind: DonationType = DonationType.WHOLE_BLOOD) -> Donation:
    return Donation(id=id_, participant_id=participant, donated_on=on, status=status, donation_type=kind, units=1)


def test_a_second_report_too_soon_after_the_first_is_a_suspected_repeat():
    first, second = donation(1, 7, DAY), donation(2, 7, DAY + timedelta(days=1))
    assert suspected_repeats([first, second], "england") == {2: first}


def test_reports_of_different_people_or_far_enough_apart_are_not():
    assert suspected_repeats([donation(1, 7, DAY), donation(2, 8, DAY)], "england") == {}
    twelve_weeks_on = DAY + timedelta(weeks=12)
    assert suspected_repeats([donation(1, 7, DAY), donation(2, 7, twelve_weeks_on)], "england") == {}


def test_a_rejected_twin_or_the_groups_units_make_no_repeat():
    rejected = donation(1, 7, DAY, DonationStatus.REJECTED)
    assert suspected_repeats([rejected, donation(2, 7, DAY)], "england") == {}
    assert suspected_repeats([donation(1, None, DAY), donation(2, None, DAY)], "england") == {}


def test_a_report_after_a_confirmed_donation_of_the_same_person_is_a_repeat_and_the_first_report_never_is():
    logged = donation(1, 7, DAY, DonationStatus.CONFIRMED)
    reported = donation(2, 7, DAY - timedelta(days=2))
    assert suspected_repeats([logged, reported], "england") == {2: logged}


def test_platelets_may_be_given_again_sooner():
    first = donation(1, 7, DAY, kind=DonationType.PLATELETS)
    fortnight_on = donation(2, 7, DAY + timedelta(days=14), kind=DonationType.PLATELETS)
    assert suspected_repeats([first, fortnight_on], "england") == {}
    assert suspected_repeats([first, donation(3, 7, DAY + timedelta(days=3), kind=DonationType.PLATELETS)],
                             "england") == {3: first}
