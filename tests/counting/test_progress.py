"""Counting units and days: the numbers everyone sees."""

from datetime import date

import pytest

from donation_drive.counting.board import BOARD_MARKS_MAX
from donation_drive.counting.progress import Progress, days_left
from donation_drive.drives.models import UnitNoun


def progress(donated: int, target: int = 7) -> Progress:
    return Progress(target_units=target, units_donated=donated, units_pledged=0, participant_count=0)


@pytest.mark.parametrize(
    ("donated", "summary", "percent"),
    [
        (0, "0 of 7 units", 0),
        (5, "5 of 7 units", 71),
        (7, "7 of 7 units — target reached", 100),
        (9, "9 of 7 units — target exceeded", 128),
    ],
)
def test_summary_says_n_of_t_units_and_celebrates_going_over(donated, summary, percent):
    assert progress(donated).summary == summary
    assert progress(donated).percent == percent


def test_bar_is_full_when_over_target_but_the_count_is_not_capped():
    over = progress(9)
    assert over.bar_value == 7
    assert over.units_donated == 9
    assert over.target_exceeded and over.target_reached


def test_a_target_of_one_says_unit():
    assert progress(0, target=1).summary == "0 of 1 unit"


@pytest.mark.parametrize(
    ("today", "phrase"),
    [
        (date(2026, 11, 29), "starts in 2 days"),
        (date(2026, 12, 1), "30 days left"),
        (date(2026, 12, 30), "1 day left"),
        (date(2026, 12, 31), "last day"),
        (date(2027, 1, 1), "ended"),
    ],
)
def test_days_left(today, phrase):
    assert days_left(date(2026, 12, 1), date(2026, 12, 31), today) == phrase


@pytest.mark.parametrize(
    ("noun", "donated", "target", "summary"),
    [
        (UnitNoun.BAGS, 5, 7, "5 of 7 bags"),
        (UnitNoun.BAGS, 0, 1, "0 of 1 bag"),
        (UnitNoun.DONATIONS, 7, 7, "7 of 7 donations — target reached"),
        (UnitNoun.UNITS, 9, 7, "9 of 7 units — target exceeded"),
    ],
)
def test_the_summary_counts_in_the_drive_s_own_noun(noun, donated, target, summary):
    progress = Progress(target_units=target, units_donated=donated, units_pledged=0, participant_count=0,
                        unit_noun=noun)
    assert progress.summary == summary


def test_a_percentage_is_shown_only_for_targets_too_large_to_draw_unit_by_unit():
    assert not progress(5, target=7).shows_percent
    assert not progress(5, target=BOARD_MARKS_MAX).shows_percent
    assert progress(5, target=BOARD_MARKS_MAX + 1).shows_percent
