"""The one shape of every API error: {"error": {"code", "reason", "message", "fields"}}.

The messages are for people: they come in the request's language (Accept-Language), the codes
and reasons never change.
"""

from typing import NoReturn

from flask import Response, jsonify

#: A stable, readable reason per status, for scripts to branch on.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


class ApiError(Exception):
    """Raised by API views; answered as a JSON error with its status."""

    def __init__(
        self,
        status: int,
        message: str,
        fields: dict[str, list[str]] | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}
        self.code = code or CODES.get(status, "error")
        self.headers = headers or {}


def error_payload(status: int, message: str, fields: dict[str, list[str]] | None = None,
                  code: str | None = None) -> dict:
    """`code` stays the HTTP status, as the first API answered; `reason` says which refusal it was.

    A message given lazily (a module's constant) is said here, in the request's language.
    """
    return {"error": {
        "code": status,
        "reason": code or CODES.get(status, "error"),
        "message": str(message),
        "fields": {name: [str(said) for said in messages] for name, messages in (fields or {}).items()},
    }}


def refuse(status: int, message: str, fields: dict[str, list[str]] | None = None,
           code: str | None = None, headers: dict[str, str] | None = None) -> NoReturn:
    raise ApiError(status, message, fields, code, headers)


def answer_api_error(error: ApiError) -> Response:
    response = jsonify(error_payload(error.status, error.message, error.fields, error.code))
    response.status_code = error.status
    response.headers.update(error.headers)
    return response
