"""Reading API input strictly: query parameters, JSON bodies and the bearer token."""

from datetime import date
from typing import Any

from flask import g, request

from ..accounts import api_tokens
from ..accounts.models import User
from .errors import refuse

#: A JSON body is a few fields; anything bigger is a mistake or an attack.
JSON_BODY_MAX = 16 * 1024
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100
#: Deep pages cost a large OFFSET and nobody reads them; cursors can come later if needed.
PAGE_MAX = 10_000
AUTHENTICATE = 'Bearer realm="donation-drive"'


def _whole_number(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        refuse(400, f"'{name}' must be a whole number from {low} to {high}.",
               {name: [f"Use a whole number from {low} to {high}."]}, "invalid_parameter")
    return int(raw)


def pagination() -> tuple[int, int]:
    """(page, per_page) from the query string, validated: 1-based page, at most 100 per page."""
    return (
        _whole_number("page", 1, 1, PAGE_MAX),
        _whole_number("per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX),
    )


def page_meta(page: int, per_page: int, total: int) -> dict[str, int]:
    return {"page": page, "per_page": per_page, "total": total, "pages": (total + per_page - 1) // per_page}


def api_user() -> User:
    """The organiser behind the request's bearer token; a 401 JSON error for anything else.

    Cookies are never enough here: a page on another site could send them, not a token.
    """
    if "api_user" in g:
        return g.api_user
    header = request.headers.get("Authorization", "")
    if not header:
        refuse(401, "Send your API token as 'Authorization: Bearer <token>'. "
               "Create one on your account page.", code="token_missing",
               headers={"WWW-Authenticate": AUTHENTICATE})
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        refuse(401, "The Authorization header must be 'Bearer <token>'.", code="token_malformed",
               headers={"WWW-Authenticate": AUTHENTICATE})
    user = api_tokens.user_for_token(secret.strip())
    if user is None:
        refuse(401, "This API token is not valid or has been revoked. Create a new one on your account page.",
               code="token_invalid", headers={"WWW-Authenticate": AUTHENTICATE + ', error="invalid_token"'})
    g.api_user = user
    return user


def json_object(allowed: set[str]) -> dict[str, Any]:
    """The request's JSON object, refused with a clear 4xx when it is not one we accept."""
    if request.mimetype != "application/json":
        refuse(415, "Send the body as JSON with 'Content-Type: application/json'.")
    if request.content_length is not None and request.content_length > JSON_BODY_MAX:
        refuse(413, f"The JSON body may be at most {JSON_BODY_MAX} bytes.")
    raw = request.get_data(cache=True)
    if len(raw) > JSON_BODY_MAX:
        refuse(413, f"The JSON body may be at most {JSON_BODY_MAX} bytes.")
    body = request.get_json(silent=True)
    if body is None:
        refuse(400, "The body is not valid JSON.", code="invalid_json")
    if not isinstance(body, dict):
        refuse(422, "The body must be a JSON object.")
    unknown = sorted(set(body) - allowed)
    if unknown:
        refuse(422, "The body has fields this endpoint does not take.",
               {name: ["Unknown field."] for name in unknown})
    return body


class FieldErrors:
    """Collects one message per bad field, then refuses them all at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            refuse(422, "Some fields are not valid.", self.fields)


def integer_field(body: dict, name: str, low: int, high: int, errors: FieldErrors,
                  required: bool = True) -> int | None:
    value = body.get(name)
    if value is None:
        if required:
            errors.add(name, "This field is required.")
        return None
    # bool is an int in Python; JSON true is not a number of units.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.add(name, f"Use a whole number from {low} to {high}.")
        return None
    return value


def flag_field(body: dict, name: str, errors: FieldErrors) -> bool:
    """An optional JSON true/false, false when left out."""
    value = body.get(name, False)
    if not isinstance(value, bool):
        errors.add(name, "Use true or false.")
        return False
    return value


def date_field(body: dict, name: str, errors: FieldErrors) -> date | None:
    value = body.get(name)
    if value is None:
        errors.add(name, "This field is required.")
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        errors.add(name, "Use a date like 2026-11-27.")
        return None


def choice_field(body: dict, name: str, choices: list[str], errors: FieldErrors) -> str | None:
    value = body.get(name)
    if value is None:
        errors.add(name, "This field is required.")
        return None
    if not isinstance(value, str) or value not in choices:
        errors.add(name, "Use one of: " + ", ".join(choices) + ".")
        return None
    return value
