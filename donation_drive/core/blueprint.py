"""The probes' addresses: is the process up, and can it serve?"""

from flask import Blueprint

from . import health

probes = Blueprint("health", __name__)

probes.add_url_rule("/healthz", view_func=health.healthz, methods=["GET"])
probes.add_url_rule("/readyz", view_func=health.readyz, methods=["GET"])
