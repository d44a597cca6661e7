"""The API described in OpenAPI 3.1, served at /api/openapi.json and as a readable page.

tests/api/test_api_openapi.py validates this document and checks that every /api/ route in the
app is described here, and schemathesis checks the live API answers as it says.
"""

from typing import Any

from flask import Response, jsonify, render_template

from ..core.limits import GROUP_UNITS_MAX, ID_MAX, SLUG_MAX
from ..donations.models import DonationStatus, DonationType
from ..participation.operations import SHOWN_NAMES_MAX
from .requests import JSON_BODY_MAX, PAGE_MAX, PER_PAGE_DEFAULT, PER_PAGE_MAX

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


SLUG = {
    "name": "slug", "in": "path", "required": True,
    "description": "The drive's slug, as in its public address /d/{slug}.",
    "schema": {"type": "string", "maxLength": SLUG_MAX},
    "example": "7-for-jack",
}
DONATION_ID = {
    "name": "donation_id", "in": "path", "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
    "example": 1,
}
PAGE = {"name": "page", "in": "query", "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 1}}
PER_PAGE = {"name": "per_page", "in": "query", "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX, "default": PER_PAGE_DEFAULT}}
IF_NONE_MATCH = {
    "name": "If-None-Match", "in": "header", "required": False,
    "description": "An ETag from an earlier answer: unchanged, the answer is 304 with no body.",
    "schema": {"type": "string"},
}
BEARER: list[dict[str, list[str]]] = [{"bearerToken": []}]

CACHED_HEADERS = {
    "ETag": {"description": "Strong validator; changes with every change to the drive.", "schema": {"type": "string"}},
    "Last-Modified": {"description": "When the drive last changed.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public for anonymous readers, private otherwise.", "schema": {"type": "string"}},
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {
            "type": "object",
            "required": ["code", "reason", "message", "fields"],
            "properties": {
                "code": {"type": "integer", "description": "The HTTP status, as in the first API."},
                "reason": {"type": "string", "description": "Stable, e.g. not_found, invalid, token_invalid."},
                "message": {"type": "string", "description": "What went wrong, in plain words."},
                "fields": {
                    "type": "object",
                    "description": "Messages per input field, when the input was refused.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }},
    },
    "DriveProgress": {
        "type": "object",
        "required": ["slug", "title", "dedication", "honoree", "target_units", "units_donated",
                     "units_pledged", "participant_count", "percent", "target_reached", "summary",
                     "status", "starts_on", "ends_on", "place", "url"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "dedication": {"type": "string", "enum": ["in_memory", "in_honour", "cause"]},
            "honoree": {"type": "string"},
            "target_units": {"type": "integer", "minimum": 1},
            "units_donated": {"type": "integer", "minimum": 0,
                              "description": "Units of donations that count: not rejected, and confirmed "
                              "when the drive counts only confirmed donations."},
            "units_pledged": {"type": "integer", "minimum": 0},
            "participant_count": {"type": "integer", "minimum": 0},
            "percent": {"type": "integer", "minimum": 0, "description": "Not capped: 9 of 7 is 128."},
            "target_reached": {"type": "boolean"},
            "summary": {"type": "string", "examples": ["5 of 7 units"]},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": {"type": "string", "format": "date"},
            "place": {"type": "string"},
            "url": {"type": "string", "format": "uri", "description": "The public progress page."},
        },
    },
    "DriveProgressV1": {
        "allOf": [_ref("DriveProgress"), {
            "type": "object",
            "required": ["changed_at", "people_booked", "attempts_deferred", "shown_names", "people_shown",
                         "people_anonymous", "milestones", "ripple", "links"],
            "properties": {
                "changed_at": {"type": "string", "format": "date-time"},
                "people_booked": {"type": "integer", "minimum": 0,
                                  "description": "People with an appointment booked who have not donated yet."},
                "attempts_deferred": {"type": "integer", "minimum": 0,
                                      "description": "People who went to donate and were deferred (no units)."},
                "shown_names": {
                    "type": "array",
                    "maxItems": SHOWN_NAMES_MAX,
                    "items": {"type": "string"},
                    "description": (
                        "The names the progress page lists: participants who agreed to be shown, each as "
                        "they chose (first name, initials or full name), earliest first, at most "
                        f"{SHOWN_NAMES_MAX}. Anonymous participants are only counted; links.participants "
                        "pages through every shown name."
                    ),
                    "examples": [["Amira", "C. M.", "Erin Walsh"]],
                },
                "people_shown": {
                    "type": "integer", "minimum": 0,
                    "description": (
                        "Participants who agreed to be shown; beyond the first "
                        f"{SHOWN_NAMES_MAX} (shown_names) the page only counts them."
                    ),
                },
                "people_anonymous": {
                    "type": "integer", "minimum": 0,
                    "description": "Participants who chose not to be named: participant_count minus people_shown.",
                },
                "milestones": {
                    "type": "array", "maxItems": 5, "items": _ref("Milestone"),
                    "description": "The milestones reached so far, lowest first, as /milestones lists them.",
                },
                "ripple": {
                    "type": "object",
                    "required": ["inspired_count", "units_total"],
                    "description": "Drives started inspired by this one (at any depth), and the units given "
                                   "across this drive and all of them.",
                    "properties": {
                        "inspired_count": {"type": "integer", "minimum": 0},
                        "units_total": {"type": "integer", "minimum": 0},
                    },
                },
                "links": {
                    "type": "object",
                    "required": ["participants", "badge", "embed"],
                    "properties": {
                        "participants": {"type": "string", "format": "uri"},
                        "badge": {"type": "string", "format": "uri"},
                        "embed": {"type": "string", "format": "uri"},
                    },
                },
            },
        }],
    },
    "Pagination": {
        "type": "object",
        "required": ["page", "per_page", "total", "pages"],
        "properties": {
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
        },
    },
    "PublicParticipants": {
        "type": "object",
        "required": ["participants", "pagination"],
        "properties": {
            "participants": {"type": "array", "items": {
                "type": "object", "required": ["display_name"],
                "properties": {"display_name": {
                    "type": "string",
                    "description": "As its owner chose: first name (the default), initials or full name.",
                }},
            }},
            "pagination": _ref("Pagination"),
        },
    },
    "Updates": {
        "type": "object",
        "required": ["updates", "pagination"],
        "properties": {
            "updates": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "body", "created_at", "edited_at"],
                "properties": {
                    "id": {"type": "integer"},
                    "body": {"type": "string"},
                    "created_at": {"type": "string", "format": "date-time"},
                    "edited_at": {"type": ["string", "null"], "format": "date-time"},
                },
            }},
            "pagination": _ref("Pagination"),
        },
    },
    "Milestone": {
        "type": "object",
        "required": ["threshold", "percent", "target_exceeded", "reached_on"],
        "properties": {
            "threshold": {"type": "string", "enum": ["25", "50", "75", "100", "exceeded"]},
            "percent": {"type": "integer", "enum": [25, 50, 75, 100]},
            "target_exceeded": {"type": "boolean"},
            "reached_on": {"type": "string", "format": "date"},
        },
    },
    "Milestones": {
        "type": "object",
        "required": ["milestones"],
        "properties": {"milestones": {"type": "array", "items": _ref("Milestone")}},
    },
    "MyDrives": {
        "type": "object",
        "required": ["drives"],
        "properties": {"drives": {"type": "array", "items": _ref("DriveProgress")}},
    },
    "Donation": {
        "type": "object",
        "required": ["id", "units", "donation_type", "donated_on", "status", "logged_by", "participant"],
        "properties": {
            "id": {"type": "integer"},
            "units": {"type": "integer", "minimum": 1},
            "donation_type": {"type": "string", "enum": [kind.value for kind in DonationType]},
            "donated_on": {"type": "string", "format": "date"},
            "status": {"type": "string", "enum": [status.value for status in DonationStatus]},
            "logged_by": {"type": "string", "enum": ["participant", "organiser"]},
            "participant": {"oneOf": [
                {"type": "null"},
                {"type": "object", "required": ["id", "name"],
                 "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            ]},
        },
    },
    "Donations": {
        "type": "object",
        "required": ["donations", "pagination"],
        "properties": {"donations": {"type": "array", "items": _ref("Donation")}, "pagination": _ref("Pagination")},
    },
    "DonationDone": {
        "type": "object",
        "required": ["donation", "progress"],
        "properties": {"donation": _ref("Donation"), "progress": _ref("DriveProgress")},
    },
    "NewDonation": {
        "type": "object",
        "required": ["units", "donation_type", "donated_on"],
        "additionalProperties": False,
        "properties": {
            "units": {"type": "integer", "minimum": 1, "maximum": GROUP_UNITS_MAX},
            "donation_type": {"type": "string", "enum": [kind.value for kind in DonationType]},
            "donated_on": {"type": "string", "format": "date",
                           "description": "Not in the future, not before the drive started."},
            "participant_id": {"type": ["integer", "null"], "minimum": 1, "maximum": ID_MAX,
                               "description": "Leave out to log units for the group. Units for one "
                                              "participant are at most what one donation of the type gives: "
                                              "whole blood 1, double red cells 2, platelets 3, plasma 1."},
            "confirm": {"type": "boolean", "default": False,
                        "description": "Units beyond what is left of the target by more than a tenth of the "
                                       "target (at least 2) are refused with 422 unless this is true: a second "
                                       "look, as the organiser page asks, before everyone sees the count."},
        },
    },
}


def _cached_get(summary: str, schema: str, extra_params: list | None = None, tag: str = "Public") -> dict:
    return {"get": {
        "tags": [tag],
        "summary": summary,
        "security": [],
        "parameters": [SLUG, *(extra_params or []), IF_NONE_MATCH],
        "responses": {
            "200": {**_json(_ref(schema), "The current state."), "headers": CACHED_HEADERS},
            "304": {"description": "Not modified since the ETag you sent.", "headers": CACHED_HEADERS},
            "400": _error("A query parameter is not valid."),
            "404": _error("No drive has this slug."),
        },
    }}


AUTH_ERRORS = {
    "401": _error("The bearer token is missing, malformed, unknown or revoked."),
    "404": _error("You organise no drive with this slug (or it has no such donation)."),
}
WRITE_ERRORS = {
    **AUTH_ERRORS,
    "400": _error("The body is not valid JSON."),
    "413": _error(f"The body is larger than {JSON_BODY_MAX} bytes."),
    "415": _error("The body is not sent as application/json."),
    "422": _error("The body is JSON but its fields are refused; see error.fields."),
    "429": _error("Too many writes in a short time; wait and retry."),
}


def _decision(verb: str, outcome: str) -> dict:
    return {"post": {
        "tags": ["Organiser"],
        "summary": f"{verb} a donation ({outcome})",
        "security": BEARER,
        "parameters": [SLUG, DONATION_ID],
        "responses": {"200": _json(_ref("DonationDone"), "The donation and the drive's new progress."),
                      **AUTH_ERRORS, "429": WRITE_ERRORS["429"]},
    }}


PATHS: dict[str, Any] = {
    "/api/drives/{slug}": _cached_get("A drive's progress (the original API, kept as is)", "DriveProgress"),
    "/api/v1/drives/{slug}": _cached_get("A drive's progress", "DriveProgressV1"),
    "/api/v1/drives/{slug}/participants": _cached_get(
        "Participants who agreed to be shown, named as each chose, a page at a time",
        "PublicParticipants", [PAGE, PER_PAGE]),
    "/api/v1/drives/{slug}/updates": _cached_get(
        "The organisers' updates, newest first, a page at a time", "Updates", [PAGE, PER_PAGE]),
    "/api/v1/drives/{slug}/milestones": _cached_get(
        "The days the count first reached 25, 50, 75, 100 % of the target and passed it", "Milestones"),
    "/api/v1/me/drives": {"get": {
        "tags": ["Organiser"], "summary": "The drives you organise", "security": BEARER,
        "responses": {"200": _json(_ref("MyDrives"), "Your drives, newest first."), "401": AUTH_ERRORS["401"]},
    }},
    "/api/v1/drives/{slug}/donations": {
        "get": {
            "tags": ["Organiser"], "summary": "A drive's donations, newest first", "security": BEARER,
            "parameters": [SLUG, PAGE, PER_PAGE, {
                "name": "status", "in": "query", "required": False,
                "schema": {"type": "string", "enum": [status.value for status in DonationStatus]},
            }],
            "responses": {"200": _json(_ref("Donations"), "One page of donations."),
                          "400": _error("A query parameter is not valid."), **AUTH_ERRORS},
        },
        "post": {
            "tags": ["Organiser"], "summary": "Log donated units (they count as confirmed)", "security": BEARER,
            "parameters": [SLUG],
            "requestBody": {"required": True, "content": {JSON: {"schema": _ref("NewDonation")}}},
            "responses": {"201": _json(_ref("DonationDone"), "Logged."), **WRITE_ERRORS},
        },
    },
    "/api/v1/drives/{slug}/donations/{donation_id}/confirm": _decision("Confirm", "it counts"),
    "/api/v1/drives/{slug}/donations/{donation_id}/reject": _decision("Reject", "it stops counting"),
    "/api/openapi.json": {"get": {
        "tags": ["Docs"], "summary": "This document", "security": [],
        "responses": {"200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": {"type": "object"}}}}},
    }},
    "/api/docs": {"get": {
        "tags": ["Docs"], "summary": "This document as a web page", "security": [],
        "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}},
    }},
}


def document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Donation Drive API",
            "version": "1.0.0",
            "description": (
                "Read a blood-donation drive's progress and public participants; organisers feed in "
                "units with a personal API token (created on /account/tokens). Public reads carry a "
                "strong ETag: send it back in If-None-Match to get 304 while nothing changed. "
                "Every error is JSON shaped {\"error\": {\"code\", \"reason\", \"message\", \"fields\"}}. "
                "No answer ever contains an email address or a private link."
            ),
        },
        "tags": [
            {"name": "Public", "description": "Anyone may read these; no token needed."},
            {"name": "Organiser", "description": "Need 'Authorization: Bearer <token>'."},
            {"name": "Docs", "description": "This description."},
        ],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearerToken": {
                "type": "http", "scheme": "bearer",
                "description": "A personal API token from /account/tokens, starting with dd_.",
            }},
        },
    }


def openapi_json() -> Response:
    response = jsonify(document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _operations() -> list[dict[str, Any]]:
    """Each operation flattened for the page: method, path, summary, parameters, responses."""
    found = []
    for path, methods in PATHS.items():
        for method, operation in methods.items():
            found.append({
                "method": method.upper(), "path": path, "summary": operation["summary"],
                "tag": operation["tags"][0], "token": bool(operation.get("security")),
                "parameters": operation.get("parameters", []),
                "body": operation.get("requestBody", {}).get("content", {}).get(JSON, {}).get("schema"),
                "responses": operation["responses"],
            })
    return found


def docs_page() -> str:
    """The same document, readable without JavaScript."""
    return render_template("api/docs.html", doc=document(), operations=_operations(), schemas=SCHEMAS)
