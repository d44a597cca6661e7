"""Every address anyone may open: the home and progress pages and their live parts, embeds and badges,
memorials, cover photos."""

from flask import Blueprint

from . import embed_views, live_views, memorial_views, views

public = Blueprint("public", __name__)

public.add_url_rule("/d/<slug>/badge.svg", view_func=embed_views.badge, methods=["GET"])
public.add_url_rule("/d/<slug>/embed", view_func=embed_views.embed_page, methods=["GET"])
public.add_url_rule("/d/<slug>/embed/live", view_func=live_views.embed_live_parts, methods=["GET"])
public.add_url_rule("/photos/<name>", view_func=memorial_views.photo, methods=["GET"])
public.add_url_rule("/memorial/<slug>", view_func=memorial_views.memorial_page, methods=["GET"])
public.add_url_rule("/", view_func=views.home, methods=["GET"])
public.add_url_rule("/d/<slug>", view_func=views.progress_page, methods=["GET"])
public.add_url_rule("/d/<slug>/live", view_func=live_views.live_parts, methods=["GET"])
public.add_url_rule("/d/<slug>/drive.ics", view_func=views.drive_ics, methods=["GET"])
