"""The API's description: flask-smorest builds /api/openapi.json from the routes and api/schemas.py.

flask-smorest rather than APIFlask because it extends the plain Flask app we already have: APIFlask
replaces the app class and answers every error of the whole site in its own JSON. Both stand on
marshmallow and apispec. Two of flask-smorest's defaults are changed here: it would answer every
error of the site as JSON, and refuse input in its own shape; ours is api/errors.py's everywhere.
"""

from collections.abc import Mapping
from typing import Any, NoReturn

import flask_smorest
from flask import Flask, Request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from webargs.flaskparser import FlaskParser

from .errors import refuse
from .schemas import Error

DESCRIPTION = (
    "Read a blood-donation drive's progress and public participants; organisers feed in "
    "units with a personal API token (created on /account/tokens). Public reads carry a "
    "strong ETag: send it back in If-None-Match to get 304 while nothing changed. "
    "Every error is JSON shaped {\"error\": {\"code\", \"reason\", \"message\", \"fields\"}}. "
    "No answer ever contains an email address or a private link."
)
BEARER: list[dict[str, list[str]]] = [{"bearerToken": []}]


class InputParser(FlaskParser):
    """Refuses input in the API's error shape: a 422 for a body, a 400 where the view asks (query strings)."""

    def handle_error(self, error: ValidationError, req: Request, schema: Schema, *,
                     error_status_code: int | None, error_headers: Mapping[str, str] | None) -> NoReturn:
        by_location: dict[str, Any] = error.normalized_messages()
        fields = {name: _as_list(message) for messages in by_location.values() for name, message in messages.items()}
        if error_status_code == 400:
            refuse(400, _("Some query parameters are not valid."), fields, "invalid_parameter")
        refuse(422, _("Some fields are not valid."), fields)


def _as_list(message: Any) -> list[str]:
    return [str(part) for part in message] if isinstance(message, list) else [str(message)]


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = InputParser()


class DocumentedApi(flask_smorest.Api):
    ERROR_SCHEMA = Error
    #: Each operation lists the errors it answers; no catch-all "default" answer.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def init_app(self, app: Flask, *, spec_kwargs: dict[str, Any] | None = None) -> None:
        super().init_app(app, spec_kwargs=spec_kwargs)
        # flask-smorest's own pagination is not used: api/schemas.py's Pagination is.
        self.spec.components.schemas.pop("PaginationMetadata", None)
        self.spec.components.security_scheme("bearerToken", {
            "type": "http", "scheme": "bearer",
            "description": "A personal API token from /account/tokens, starting with dd_.",
        })

    def _register_error_handlers(self) -> None:
        """None: the API blueprint answers its own errors, the site's pages theirs (core/errors.py)."""


rest_api = DocumentedApi(spec_kwargs={
    "title": "Donation Drive API",
    "version": "1.0.0",
    "openapi_version": "3.1.0",
    "info": {"description": DESCRIPTION},
    # Replaces the one tag per blueprint flask-smorest would list.
    "tags": [
        {"name": "Public", "description": "Anyone may read these; no token needed."},
        {"name": "Organiser", "description": "Need 'Authorization: Bearer <token>'."},
        {"name": "Docs", "description": "This description."},
    ],
})

