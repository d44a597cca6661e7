"""Every address of an organiser's drives, under /drives; all of them need a logged-in organiser."""

from flask import Blueprint

from . import anniversary_views, life_views, people_views, tools_views, views, visit_views

organiser = Blueprint("organiser", __name__, url_prefix="/drives")

organiser.before_request(views.require_login)

organiser.add_url_rule("/<slug>/anniversary", view_func=anniversary_views.repeat_yearly, methods=["POST"])
organiser.add_url_rule("/<slug>/anniversary/next", view_func=anniversary_views.start_next_round, methods=["POST"])
organiser.add_url_rule("/<slug>/anniversary/stop", view_func=anniversary_views.stop_repeating, methods=["POST"])
organiser.add_url_rule("/<slug>/photo", view_func=life_views.cover_photo, methods=["GET", "POST"])
organiser.add_url_rule("/<slug>/photo/remove", view_func=life_views.remove_cover_photo, methods=["POST"])
organiser.add_url_rule("/<slug>/counting", view_func=life_views.set_counting, methods=["POST"])
organiser.add_url_rule("/<slug>/extend", view_func=life_views.extend_drive, methods=["GET", "POST"])
organiser.add_url_rule("/<slug>/delete", view_func=life_views.delete_drive, methods=["GET", "POST"])
organiser.add_url_rule(
    "/<slug>/export/<any(participants, donations):what>.csv",
    view_func=life_views.export_csv,
    methods=["GET"],
)
organiser.add_url_rule("/<slug>/participants/new", view_func=people_views.add_participant, methods=["GET", "POST"])
organiser.add_url_rule(
    "/<slug>/participants/<int:participant_id>",
    view_func=people_views.edit_participant,
    methods=["GET", "POST"],
)
organiser.add_url_rule(
    "/<slug>/participants/<int:participant_id>/new-link",
    view_func=people_views.give_new_private_link,
    methods=["POST"],
)
organiser.add_url_rule(
    "/<slug>/participants/<int:participant_id>/stage",
    view_func=people_views.set_stage,
    methods=["POST"],
)
organiser.add_url_rule(
    "/<slug>/participants/<int:participant_id>/remove",
    view_func=people_views.remove_participant,
    methods=["GET", "POST"],
)
organiser.add_url_rule(
    "/<slug>/donations/<any(confirm, reject):decision>-all",
    view_func=people_views.decide_all,
    methods=["POST"],
)
organiser.add_url_rule("/<slug>/updates", view_func=tools_views.post_update, methods=["POST"])
organiser.add_url_rule(
    "/<slug>/updates/<int:update_id>/edit", view_func=tools_views.edit_update, methods=["GET", "POST"]
)
organiser.add_url_rule("/<slug>/updates/<int:update_id>/delete", view_func=tools_views.delete_update, methods=["POST"])
organiser.add_url_rule("/<slug>/co-organisers", view_func=tools_views.invite_co_organiser, methods=["POST"])
organiser.add_url_rule(
    "/<slug>/co-organisers/<int:organiser_id>/remove",
    view_func=tools_views.remove_co_organiser,
    methods=["POST"],
)
organiser.add_url_rule(
    "/<slug>/co-organisers/invitations/<int:invitation_id>/cancel",
    view_func=tools_views.cancel_co_organiser_invitation,
    methods=["POST"],
)
organiser.add_url_rule("/co-organise/<token>", view_func=tools_views.accept_co_organiser, methods=["GET", "POST"])
organiser.add_url_rule("/", view_func=views.dashboard, methods=["GET"])
organiser.add_url_rule("/new", view_func=views.new_drive, methods=["GET", "POST"])
organiser.add_url_rule("/<slug>/edit", view_func=views.edit_drive, methods=["GET", "POST"])
organiser.add_url_rule("/<slug>", view_func=views.drive_page, methods=["GET"])
# The overview's neighbours: each part of the drive on a page of its own, a tab away.
organiser.add_url_rule("/<slug>/donations", view_func=views.donations_page, methods=["GET"])
organiser.add_url_rule("/<slug>/people", view_func=people_views.people_page, methods=["GET"])
organiser.add_url_rule("/<slug>/updates", view_func=tools_views.updates_page, methods=["GET"])
organiser.add_url_rule("/<slug>/settings", view_func=life_views.settings_page, methods=["GET"])
organiser.add_url_rule("/<slug>/advanced", view_func=tools_views.advanced_page, methods=["GET"])
organiser.add_url_rule("/<slug>/donations", view_func=views.log_donation, methods=["POST"])
organiser.add_url_rule(
    "/<slug>/donations/<int:donation_id>/<any(confirm, reject):decision>",
    view_func=views.decide_donation,
    methods=["POST"],
)
organiser.add_url_rule("/<slug>/close", view_func=life_views.close_drive, methods=["GET", "POST"])
organiser.add_url_rule("/<slug>/reopen", view_func=life_views.reopen_drive, methods=["POST"])
organiser.add_url_rule("/<slug>/invite-link", view_func=views.rotate_invite_link, methods=["POST"])
organiser.add_url_rule("/<slug>/visits/new", view_func=visit_views.propose_visit, methods=["GET", "POST"])
organiser.add_url_rule("/<slug>/visits/<int:visit_id>/cancel", view_func=visit_views.cancel_visit, methods=["POST"])
