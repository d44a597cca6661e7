"""Every address of a friend's side: the invite link (/join) and the private page (/p)."""

from flask import Blueprint

from . import join_views, views, visit_views

join = Blueprint("join", __name__, url_prefix="/join")
participant = Blueprint("participant", __name__, url_prefix="/p")

join.add_url_rule("/<code>", view_func=join_views.sign_up, methods=["GET", "POST"])

participant.add_url_rule("/<token>", view_func=views.private_page, methods=["GET"])
participant.add_url_rule("/<token>/welcome", view_func=views.welcome, methods=["GET"])
participant.add_url_rule("/<token>/pledge", view_func=views.change_pledge, methods=["POST"])
participant.add_url_rule("/<token>/withdraw", view_func=views.withdraw, methods=["POST"])
participant.add_url_rule("/<token>/donations", view_func=views.report_donation, methods=["POST"])
participant.add_url_rule("/<token>/delete", view_func=views.delete_my_data, methods=["GET", "POST"])
participant.add_url_rule("/<token>/replace-link", view_func=views.replace_link, methods=["POST"])
participant.add_url_rule("/<token>/pledge.ics", view_func=views.pledge_ics, methods=["GET"])
participant.add_url_rule("/<token>/visits/<int:visit_id>", view_func=visit_views.visit_page, methods=["GET"])
participant.add_url_rule(
    "/<token>/visits/<int:visit_id>/<any(join, leave):action>",
    view_func=visit_views.change_place,
    methods=["POST"],
)
participant.add_url_rule("/<token>/visits/<int:visit_id>/visit.ics", view_func=visit_views.visit_ics, methods=["GET"])
