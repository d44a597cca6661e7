"""The units board: one mark per unit of the target, filled by donations that count, each named
as its donor chose — pure arithmetic over plain rows."""

import pytest

from donation_drive.counting.board import BOARD_MARKS_MAX, GivenRow, board, given_by
from donation_drive.donations.models import LoggedBy
from donation_drive.participation.models import NameShownAs


def given(units: int = 1, name: str | None = "Amira Haddad", *, shown: bool = True,
          shown_as: NameShownAs | None = NameShownAs.FIRST_NAME,
          logged_by: LoggedBy = LoggedBy.PARTICIPANT) -> GivenRow:
    return GivenRow(units, name, shown, shown_as, logged_by)


def names(drawn) -> list[str | None]:
    return [mark.given_by for mark in drawn.marks]


def test_seven_for_jack_draws_seven_marks_filled_in_the_order_given():
    drawn = board(7, 3, [given(name="Amira Haddad"), given(2, name="Ben Cole")])
    assert drawn.drawn and len(drawn.marks) == 7
    assert names(drawn) == ["Amira", "Ben", "Ben", None, None, None, None]
    assert [mark.filled for mark in drawn.marks] == [True, True, True, False, False, False, False]
    assert drawn.units_not_drawn == 0


@pytest.mark.parametrize(("row", "label"), [
    (given(shown_as=NameShownAs.FULL_NAME), "Amira Haddad"),
    (given(shown_as=NameShownAs.INITIALS), "A. H."),
    (given(shown_as=NameShownAs.FIRST_NAME), "Amira"),
    (given(shown=False, shown_as=NameShownAs.FULL_NAME), "a friend"),
    (given(name=None, logged_by=LoggedBy.ORGANISER), "given together"),
    # A participant who was erased leaves their units, never their name.
    (given(name=None, logged_by=LoggedBy.PARTICIPANT), "a friend"),
])
def test_each_mark_is_named_as_its_donor_chose(row, label):
    assert given_by(row) == label
    assert board(7, 1, [row]).marks[0].given_by == label


def test_a_friend_who_chose_not_to_be_shown_never_appears_by_name():
    drawn = board(3, 2, [given(name="Quinn Hidden", shown=False), given(name="Quinn Hidden", shown=False)])
    assert names(drawn) == ["a friend", "a friend", None]


def test_units_past_the_target_are_drawn_too_and_marked_as_beyond_it():
    drawn = board(7, 9, [given(9, name=None, logged_by=LoggedBy.ORGANISER)])
    assert len(drawn.marks) == 9
    assert all(mark.filled for mark in drawn.marks)
    assert [mark.beyond_target for mark in drawn.marks] == [False] * 7 + [True] * 2


def test_a_board_grows_past_its_target_only_as_far_as_it_can_draw():
    drawn = board(7, BOARD_MARKS_MAX + 5, [given(BOARD_MARKS_MAX + 5)])
    assert len(drawn.marks) == BOARD_MARKS_MAX
    assert drawn.units_not_drawn == 5


def test_a_target_too_large_to_draw_is_a_compact_bar():
    drawn = board(BOARD_MARKS_MAX + 1, 50, [given(50)])
    assert not drawn.drawn and drawn.marks == ()
    assert drawn.bar_value == BOARD_MARKS_MAX + 1
    assert drawn.units_not_drawn == 0
    assert board(BOARD_MARKS_MAX, 0, []).drawn  # the largest target still drawn


def test_an_empty_board_is_all_still_to_give():
    drawn = board(1, 0, [])
    assert names(drawn) == [None]
    assert drawn.bar_value == 0
