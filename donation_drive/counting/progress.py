"""Counting units against a target: pure functions over plain numbers and dates."""

from dataclasses import dataclass
from datetime import date

from ..core.wording import plural, quantity
from ..drives.models import UnitNoun
from .board import drawn_as_marks


@dataclass(frozen=True)
class Progress:
    """What the progress page, the dashboard and the JSON say about a drive's count."""

    target_units: int
    units_donated: int
    units_pledged: int
    participant_count: int
    #: People with an appointment booked who have not donated yet.
    people_booked: int = 0
    #: People who went but were deferred: thanked as an attempt, never counted as units.
    attempts_deferred: int = 0
    #: False when a reported donation counts only once an organiser confirms it.
    counts_reported: bool = True
    #: Participants who agreed to have their name shown; "Who took part" lists the first of them.
    people_shown: int = 0
    #: What the drive counts in, in its own words: "5 of 7 bags".
    unit_noun: UnitNoun = UnitNoun.UNITS

    def units(self, count: int) -> str:
        """`count` in the drive's own noun: "3 bags"."""
        return quantity(count, self.unit_noun.one, self.unit_noun.many)

    def noun(self, count: int) -> str:
        """The drive's own noun agreeing with `count`: "bag" or "bags"."""
        return plural(count, self.unit_noun.one, self.unit_noun.many)

    @property
    def shows_percent(self) -> bool:
        """A percentage of a target small enough to draw as marks says less than the marks do."""
        return not drawn_as_marks(self.target_units)

    @property
    def percent(self) -> int:
        """Whole percent of the target, not capped: 9 of 7 is 128 %."""
        return self.units_donated * 100 // self.target_units

    @property
    def bar_value(self) -> int:
        """What a <progress> element can show: it cannot draw past its max."""
        return min(self.units_donated, self.target_units)

    @property
    def target_reached(self) -> bool:
        return self.units_donated >= self.target_units

    @property
    def target_exceeded(self) -> bool:
        return self.units_donated > self.target_units

    @property
    def people_anonymous(self) -> int:
        """Participants not named here: only ever counted."""
        return self.participant_count - self.people_shown

    @property
    def summary(self) -> str:
        """The sentence everyone sees, e.g. "5 of 7 bags" or "9 of 7 units — target exceeded"."""
        text = f"{self.units_donated} of {self.units(self.target_units)}"
        if self.target_exceeded:
            return text + " — target exceeded"
        if self.target_reached:
            return text + " — target reached"
        return text


def people_not_listed(listed: int, people_shown: int, people_anonymous: int) -> str:
    """The sentence under "Who took part" for everyone its `listed` names leave out, e.g.
    "and 37 more, plus 2 people not named here." (being named is a choice each person makes;
    not being named is the default, so the sentence says no more); "" when it names everyone."""
    if people_shown + people_anonymous == 0:
        return "Nobody has signed up yet."
    more = people_shown - listed
    anonymous = f"{quantity(people_anonymous, 'person', 'people')} not named here"
    if more > 0 and people_anonymous > 0:
        return f"and {more} more, plus {anonymous}."
    if more > 0:
        return f"and {more} more."
    if people_anonymous > 0:
        return f"and {anonymous}." if listed else f"{anonymous}."
    return ""


def days_left(starts_on: date, ends_on: date, today: date) -> str:
    """A short phrase for the time left in a drive."""
    if today > ends_on:
        return "ended"
    if today < starts_on:
        days = (starts_on - today).days
        return f"starts in {quantity(days, 'day', 'days')}"
    days = (ends_on - today).days
    if days == 0:
        return "last day"
    return f"{quantity(days, 'day', 'days')} left"
