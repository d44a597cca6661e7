"""Domain rules shared by the operations, and the error they raise."""

from datetime import UTC, date, datetime


class RuleBroken(ValueError):
    """A request the product refuses, with the form field it belongs beside (or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def today() -> date:
    """The server's idea of today, in UTC, so every worker agrees."""
    return datetime.now(UTC).date()


def check_donation_date(donated_on: date, drive_starts_on: date, field: str = "donated_on") -> None:
    if donated_on > today():
        raise RuleBroken("The date donated can't be in the future.", field)
    if donated_on < drive_starts_on:
        raise RuleBroken(
            f"This drive started on {drive_starts_on:%d %B %Y}; "
            "pick that day or a later one.",
            field,
        )
