"""Who calls the API (the bearer token), and bodies it cannot read at all; api/schemas.py checks the fields."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request
from flask_babel import gettext as _

from ..accounts import api_tokens
from ..accounts.models import User
from .errors import refuse

#: A JSON body is a few fields; anything bigger is a mistake or an attack.
JSON_BODY_MAX = 16 * 1024
AUTHENTICATE = 'Bearer realm="donation-drive"'
V = TypeVar("V", bound=Callable[..., Any])


def api_user() -> User:
    """The organiser behind the request's bearer token; a 401 JSON error for anything else.

    Cookies are never enough here: a page on another site could send them, not a token.
    """
    if "api_user" in g:
        return g.api_user
    header = request.headers.get("Authorization", "")
    if not header:
        refuse(401, _("Send your API token as 'Authorization: Bearer <token>'. "
                      "Create one on your account page."), code="token_missing",
               headers={"WWW-Authenticate": AUTHENTICATE})
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        refuse(401, _("The Authorization header must be 'Bearer <token>'."), code="token_malformed",
               headers={"WWW-Authenticate": AUTHENTICATE})
    user = api_tokens.user_for_token(secret.strip())
    if user is None:
        refuse(401, _("This API token is not valid or has been revoked. Create a new one on your account page."),
               code="token_invalid", headers={"WWW-Authenticate": AUTHENTICATE + ', error="invalid_token"'})
    g.api_user = user
    return user


def json_body(view: V) -> V:
    """Refuses a body that is not one JSON value of a sensible size, before its fields are read."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if request.mimetype != "application/json":
            refuse(415, _("Send the body as JSON with 'Content-Type: application/json'."))
        if request.content_length is not None and request.content_length > JSON_BODY_MAX:
            refuse(413, _("The JSON body may be at most %(size)s bytes.", size=JSON_BODY_MAX))
        if len(request.get_data(cache=True)) > JSON_BODY_MAX:
            refuse(413, _("The JSON body may be at most %(size)s bytes.", size=JSON_BODY_MAX))
        if request.get_json(silent=True) is None:
            refuse(400, _("The body is not valid JSON."), code="invalid_json")
        return view(*args, **kwargs)

    return cast(V, wrapper)


def token_required(view: V) -> V:
    """Asks who is calling before anything else: a stranger learns nothing from how a body is refused."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        api_user()
        return view(*args, **kwargs)

    return cast(V, wrapper)
