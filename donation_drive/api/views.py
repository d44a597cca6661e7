"""The JSON API under /api: the original read-only drive view, and the API's description.

Every error under /api/ is JSON shaped {"error": {"code" (the HTTP status), "reason", "message", "fields"}}.
"""

from typing import Any

from flask import Response, jsonify, make_response, render_template
from flask_babel import gettext as _

from ..counting.tallies import progress_of
from ..drives import operations as drives
from ..public.caching import cached_drive_view
from . import schemas
from .documented import Blueprint, rest_api
from .errors import refuse
from .v1 import CACHED_HEADERS, READ_PARAMETERS, described_read, public_read

JSON = "application/json"

api = Blueprint("api", __name__, url_prefix="/api")


@api.route("/drives/<slug>", methods=["GET"], parameters=READ_PARAMETERS)
@described_read("A drive's progress (the original API, kept as is)")
@public_read
@cached_drive_view("json")
@api.response(200, schemas.DriveProgress, description="The current state.", headers=CACHED_HEADERS)
def drive_progress(slug: str) -> dict[str, Any]:
    """The first API, kept as is for the scripts that use it; /api/v1/drives/<slug> adds to it."""
    drive = drives.public_drive(slug)
    if drive is None:
        refuse(404, _("There is no drive with that slug."))
    return {"drive": drive, "progress": progress_of(drive)}


@api.route("/openapi.json", methods=["GET"])
@api.doc(summary="This document", tags=["Docs"], security=[])
@api.response(200, {"type": "object"}, description="OpenAPI 3.1")
def openapi_json() -> Response:
    response = jsonify(rest_api.spec.to_dict())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@api.route("/docs", methods=["GET"])
@api.doc(summary="This document as a web page", tags=["Docs"], security=[])
@api.response(200, {"type": "string"}, content_type="text/html", description="HTML")
def docs_page() -> Response:
    """The same document, readable without JavaScript."""
    document = rest_api.spec.to_dict()
    return make_response(render_template("api/docs.html", doc=document, operations=_operations(document),
                                         schemas=document["components"]["schemas"]))


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation flattened for the page: method, path, summary, parameters, responses."""
    return [
        {
            "method": method.upper(), "path": path, "summary": operation["summary"],
            "token": bool(operation.get("security")),
            # flask-smorest declares the parameters every operation on a path shares beside them.
            "parameters": methods.get("parameters", []) + operation.get("parameters", []),
            "body": operation.get("requestBody", {}).get("content", {}).get(JSON, {}).get("schema"),
            "responses": {status: _resolved(document, answer) for status, answer in operation["responses"].items()},
        }
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if method != "parameters"
    ]


def _resolved(document: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """An answer written once under components/responses, as the page shows it in place."""
    if "$ref" not in answer:
        return answer
    return document["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
