"""Every address of the JSON API under /api: the original read-only drive view, version 1, and its docs."""

from flask import Blueprint

from ..core.extensions import csrf
from . import openapi, v1, views
from .errors import ApiError, answer_api_error

api = Blueprint("api", __name__, url_prefix="/api")
v1_api = Blueprint("v1", __name__, url_prefix="/v1")
docs = Blueprint("docs", __name__)

api.add_url_rule("/drives/<slug>", view_func=views.drive_progress, methods=["GET"])

v1_api.add_url_rule("/drives/<slug>", view_func=v1.drive_progress, methods=["GET"])
v1_api.add_url_rule("/drives/<slug>/participants", view_func=v1.drive_participants, methods=["GET"])
v1_api.add_url_rule("/me/drives", view_func=v1.my_drives, methods=["GET"])
v1_api.add_url_rule("/drives/<slug>/donations", view_func=v1.drive_donations, methods=["GET"])
v1_api.add_url_rule("/drives/<slug>/donations", view_func=v1.log_donation, methods=["POST"])
v1_api.add_url_rule(
    "/drives/<slug>/donations/<int:donation_id>/confirm",
    view_func=v1.confirm_donation,
    methods=["POST"],
)
v1_api.add_url_rule("/drives/<slug>/donations/<int:donation_id>/reject", view_func=v1.reject_donation, methods=["POST"])
v1_api.add_url_rule("/drives/<slug>/updates", view_func=v1.drive_updates, methods=["GET"])
v1_api.add_url_rule("/drives/<slug>/milestones", view_func=v1.drive_milestones, methods=["GET"])

docs.add_url_rule("/openapi.json", view_func=openapi.openapi_json, methods=["GET"])
docs.add_url_rule("/docs", view_func=openapi.docs_page, methods=["GET"])

# Writes here are authenticated by a bearer token only, which another site cannot send
# on a visitor's behalf, so the CSRF token (a cookie defence) has nothing to protect.
csrf.exempt(v1_api)
api.register_blueprint(v1_api)
api.register_blueprint(docs)
api.register_error_handler(ApiError, answer_api_error)
