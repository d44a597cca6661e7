"""Drives and what organisers do with them: create, edit, close, people, co-organisers, updates."""

from flask import Flask

from . import funnel
from .story import render_story


def init_app(app: Flask) -> None:
    """Count the funnel's page views, and let templates render a story (Markdown) as safe HTML."""
    funnel.init_app(app)
    app.jinja_env.filters["story_html"] = render_story
