"""Forms that create something are sent once: a repeat of the same rendered form answers with the first result.

Pressing Back and submitting again, a double click or a retried request send the same form twice.
Each such form carries a random one-time key (OneTimeForm); `create_once` records its hash with
the id of what the form created, under a primary key that a second insert cannot pass, so two
identical submissions at once still create once.
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, overload

from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from .database import is_unique_violation
from .extensions import db
from .i18n import lazy_gettext as _l
from .models import FormSubmission
from .rules import RuleBroken
from .tokens import token_hash

#: What a form's one-time key looks like (see new_submission_key).
SUBMISSION_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")

ALREADY_SENT = _l("This form was already sent. Reload the page to send it again.")


class Created(Protocol):
    id: int


#: A model row a form creates.
M = TypeVar("M", bound=Created)
#: Whatever `create` returns: the row, or the row with more (see created_id).
R = TypeVar("R")

#: Told to the sender of a repeat, beside the first result.
REPEAT_NOTE = _l("This form was already sent, so nothing was added twice.")


def new_submission_key() -> str:
    """A one-time key for one rendered form."""
    return secrets.token_urlsafe(24)


class OneTimeForm(FlaskForm):
    """A form that creates something: it carries a one-time key, so sending it twice creates once."""

    #: A one-time key per rendered form (render it beside the CSRF token).
    submission_key = HiddenField(default=new_submission_key)


@dataclass(frozen=True)
class SentForm:
    """One rendered form as it arrives: which form, its one-time key, and who sends it where."""

    kind: str
    key: str
    #: Who sent it and where, e.g. "user:7 drive:3": the key is refused from anyone else.
    sender: str

    @property
    def key_hash(self) -> str:
        return token_hash(self.key)


def sent_form(kind: str, form: OneTimeForm, sender: str) -> SentForm | None:
    """The form's key as sent; None for a form without a well-formed key (rendered before keys existed)."""
    key = form.submission_key.data or ""
    return SentForm(kind, key, sender) if SUBMISSION_KEY_PATTERN.match(key) else None


class SentBefore(Exception, Generic[M]):
    """This very form was sent before: what it created then (a row of the model create_once was given)."""

    def __init__(self, created: M) -> None:
        super().__init__("this form was already sent")
        self.created = created


# A `create` that returns the row itself needs no `created_id`; one that returns more says where the row is.
@overload
def create_once(sent: SentForm | None, model: type[Created], create: Callable[[], M]) -> M: ...


@overload
def create_once(sent: SentForm | None, model: type[Created], create: Callable[[], R],
                created_id: Callable[[R], int]) -> R: ...


def create_once(sent: SentForm | None, model: type[Created], create: Callable[[], Any],
                created_id: Callable[[Any], int] = lambda created: created.id) -> Any:
    """Run `create` (which adds and flushes one `model` row) unless this form was sent before.

    Raises SentBefore with the row the first sending created; RuleBroken when the key was sent by
    someone else or elsewhere, or what it created is gone. A form without a key just creates.
    `created_id` finds the row's id in what `create` returns.
    """
    if sent is None:
        return create()
    _raise_if_sent_before(sent, model)
    try:
        with db.session.begin_nested():
            created = create()
            db.session.add(FormSubmission(kind=sent.kind, key_hash=sent.key_hash, sender=sent.sender,
                                          created_id=created_id(created)))
    except IntegrityError as error:
        # The same form, sent at the same moment, committed first: answer as a repeat.
        if not is_unique_violation(error):
            raise
        _raise_if_sent_before(sent, model)
        raise
    except RuleBroken:
        # The same form may have committed between our first look and `create`, whose own rules
        # then refuse because of it (a second report on one day): that too is a repeat.
        _raise_if_sent_before(sent, model)
        raise
    return created


def _raise_if_sent_before(sent: SentForm, model: type[M]) -> None:
    earlier = db.session.get(FormSubmission, (sent.kind, sent.key_hash))
    if earlier is None:
        return
    created = db.session.get(model, earlier.created_id) if earlier.sender == sent.sender else None
    if created is None:
        raise RuleBroken(str(ALREADY_SENT))  # said now, in the sender's language
    raise SentBefore(created)
