"""Every address of words of support: leaving one from a drive's page (/d), reading them as its
organisers (/drives, which need a logged-in organiser of the drive)."""

from flask import Blueprint

from . import views

words = Blueprint("words", __name__)

words.add_url_rule("/d/<slug>/words/new", view_func=views.leave_message, methods=["GET", "POST"])
words.add_url_rule("/d/<slug>/words/thanks", view_func=views.message_left, methods=["GET"])
words.add_url_rule("/drives/<slug>/words", view_func=views.moderation_page, methods=["GET"])
words.add_url_rule(
    "/drives/<slug>/words/<int:message_id>/<any(show, hide):decision>", view_func=views.decide, methods=["POST"]
)
words.add_url_rule("/drives/<slug>/words/<int:message_id>/delete", view_func=views.delete, methods=["POST"])
