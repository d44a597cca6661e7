"""Small helpers the thin views share: refusing clearly, and showing refused input by its field."""

from collections.abc import Callable, Collection
from typing import NoReturn, TypeVar

from flask import Flask, Response, abort, current_app, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter, ValidationError

from . import limits
from .extensions import db
from .rules import RuleBroken

T = TypeVar("T")
V = TypeVar("V", bound=Callable)

#: The status for a form sent back with errors: the request was understood but refused.
INVALID_FORM_STATUS = 422


def N_(message: str) -> str:
    """Marks `message` for translation and leaves it as it is: said later with `_(message)`."""
    return message


#: Said when a form arrives with a file where it has a text field. Kept as the English message id
#: (tests look for it in pages); said with `_(FILE_PART_MESSAGE)`.
FILE_PART_MESSAGE = N_("This form takes text, not files, in that field. Please type your answer and send it again.")


def show_rule_broken(form: FlaskForm, error: RuleBroken) -> None:
    """Put a domain refusal beside its field, or above the form when it has none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def refuse(status: int, message: str) -> NoReturn:
    """Stop with an error page that says `message` in plain words."""
    abort(status, description=message)


def or_404(found: T | None, message: str | None = None) -> T:
    if found is None:
        if message:
            refuse(404, message)
        abort(404)
    return found


class IdConverter(IntegerConverter):
    """`<int:...>` in a route is an id: one larger than any column holds matches no route."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = limits.ID_MAX,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


class TextConverter(UnicodeConverter):
    """A slug or token in a route: one holding NUL, which PostgreSQL can't even look up, matches no route."""

    def to_python(self, value: str) -> str:
        if "\x00" in value:
            raise ValidationError()
        return value


def use_lookup_safe_converters(app: Flask) -> None:
    """Route parts no database lookup can take (a 40-digit id, a NUL in a slug) then match no route: a 404."""
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)


def accepts_files(*names: str) -> Callable[[V], V]:
    """Mark a view whose form has file inputs with these names (as sent, prefix and all).

    The check before every view skips it: such a view raises the request size limit for its
    upload first, then calls `refuse_stray_files(names)` itself.
    """
    def mark(view: V) -> V:
        # A function attribute, in the function's __dict__: functools.wraps copies that dict, so
        # decorators stacked above (rate limits, csrf.exempt) keep the mark visible.
        view.__dict__["accepted_files"] = frozenset(names)
        return view
    return mark


def refuse_stray_files(accepted: Collection[str] = ()) -> None:
    """A 400 when a file arrives under any name but a file input's.

    WTForms hands a text field whatever arrives under its name, and a FileStorage where text is
    expected crashed the field filters and validators (a 500 on every form, login included).
    """
    if request.mimetype == "multipart/form-data" and not set(request.files) <= set(accepted):
        refuse(400, _(FILE_PART_MESSAGE))


def _refuse_stray_files_before_the_view() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if not hasattr(view, "accepted_files"):
        refuse_stray_files()


def commit_at_boundary(response: Response) -> Response:
    """The one commit of a request: kept when it succeeded, rolled back when it was refused."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def init_app(app: Flask) -> None:
    app.before_request(_refuse_stray_files_before_the_view)
    app.after_request(commit_at_boundary)
