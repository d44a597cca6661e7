"""Counting units against a target: pure functions over plain numbers and dates."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ..core.i18n import ngettext
from ..drives.models import UnitNoun
from .board import drawn_as_marks


def _units(noun: UnitNoun, count: int) -> str:
    """`count` in `noun`: "3 bags"."""
    if noun is UnitNoun.BAGS:
        return ngettext("%(num)s bag", "%(num)s bags", count)
    if noun is UnitNoun.DONATIONS:
        return ngettext("%(num)s donation", "%(num)s donations", count)
    return ngettext("%(num)s unit", "%(num)s units", count)


def _units_of(noun: UnitNoun, donated: int, target: int) -> str:
    """`donated` of the `target` in `noun`: "5 of 7 bags" (the noun agrees with the target)."""
    if noun is UnitNoun.BAGS:
        return ngettext("%(donated)s of %(num)s bag", "%(donated)s of %(num)s bags", target, donated=donated)
    if noun is UnitNoun.DONATIONS:
        return ngettext("%(donated)s of %(num)s donation", "%(donated)s of %(num)s donations", target,
                        donated=donated)
    return ngettext("%(donated)s of %(num)s unit", "%(donated)s of %(num)s units", target, donated=donated)


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
        return _units(self.unit_noun, count)

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
        text = self.units_of_target
        if self.target_exceeded:
            return _("%(count)s — target exceeded", count=text)
        if self.target_reached:
            return _("%(count)s — target reached", count=text)
        return text

    @property
    def units_of_target(self) -> str:
        """The count against the target, e.g. "5 of 7 bags"."""
        return _units_of(self.unit_noun, self.units_donated, self.target_units)


def people_not_listed(listed: int, people_shown: int, people_anonymous: int) -> str:
    """The sentence under "Who took part" for everyone its `listed` names leave out, e.g.
    "and 37 more, plus 2 people not named here." (being named is a choice each person makes;
    not being named is the default, so the sentence says no more); "" when it names everyone."""
    if people_shown + people_anonymous == 0:
        return _("Nobody has signed up yet.")
    more = people_shown - listed
    if more > 0 and people_anonymous > 0:
        anonymous = ngettext("%(num)s person not named here", "%(num)s people not named here", people_anonymous)
        return ngettext("and %(num)s more, plus %(anonymous)s.", "and %(num)s more, plus %(anonymous)s.", more,
                        anonymous=anonymous)
    if more > 0:
        return ngettext("and %(num)s more.", "and %(num)s more.", more)
    if people_anonymous > 0 and listed:
        return ngettext("and %(num)s person not named here.", "and %(num)s people not named here.",
                        people_anonymous)
    if people_anonymous > 0:
        return ngettext("%(num)s person not named here.", "%(num)s people not named here.", people_anonymous)
    return ""


def days_left(starts_on: date, ends_on: date, today: date) -> str:
    """A short phrase for the time left in a drive."""
    if today > ends_on:
        return _("ended")
    if today < starts_on:
        days = (starts_on - today).days
        return ngettext("starts in %(num)s day", "starts in %(num)s days", days)
    days = (ends_on - today).days
    if days == 0:
        return _("last day")
    return ngettext("%(num)s day left", "%(num)s days left", days)
