"""Every address of privacy: the privacy page, and the way back to a lost private link."""

from flask import Blueprint

from . import views

privacy = Blueprint("privacy", __name__)

privacy.add_url_rule("/privacy", view_func=views.privacy_page, methods=["GET"])
privacy.add_url_rule("/d/<slug>/lost-link", view_func=views.lost_link, methods=["GET", "POST"])
privacy.add_url_rule("/d/<slug>/lost-link/sent", view_func=views.lost_link_sent, methods=["GET"])
privacy.add_url_rule("/sign-in/<token>", view_func=views.sign_in, methods=["GET", "POST"])
