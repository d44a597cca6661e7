"""Every address of outreach: invitations, unsubscribing, reports from an email, sharing, passing it on."""

from flask import Blueprint

from . import ripple_views, sharing_views, views

outreach = Blueprint("outreach", __name__)

outreach.add_url_rule("/d/<slug>/pass-it-on", view_func=ripple_views.start_inspired, methods=["GET", "POST"])
outreach.add_url_rule(
    "/drives/<slug>/qr/<any(invite, progress):target>.<any(svg, png):kind>",
    view_func=sharing_views.qr_image,
    methods=["GET"],
)
outreach.add_url_rule("/drives/<slug>/poster", view_func=sharing_views.poster, methods=["GET"])
outreach.add_url_rule("/d/<slug>/preview.png", view_func=sharing_views.preview_image, methods=["GET"])
outreach.add_url_rule("/drives/<slug>/invitations", view_func=views.invitations_page, methods=["GET"])
outreach.add_url_rule("/drives/<slug>/invitations", view_func=views.send_invitations, methods=["POST"])
outreach.add_url_rule(
    "/drives/<slug>/invitations/<int:invitation_id>/<any(resend, revoke):action>",
    view_func=views.change_invitation,
    methods=["POST"],
)
outreach.add_url_rule("/i/<token>", view_func=views.personal_invitation, methods=["GET", "POST"])
outreach.add_url_rule("/unsubscribe/<token>", view_func=views.unsubscribe, methods=["GET", "POST"])
outreach.add_url_rule("/drives/<slug>/region", view_func=views.change_region, methods=["POST"])
outreach.add_url_rule("/r/<token>", view_func=views.report_from_email, methods=["GET", "POST"])
