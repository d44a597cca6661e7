"""Every address of the JSON API under /api: the original read-only drive view, version 1, and its docs.

The views declare their own routes with flask-smorest's decorators, which also describe them
(api/documented.py); this module puts the blueprints together.
"""

from ..core.extensions import csrf
from .errors import ApiError, answer_api_error
from .v1 import v1
from .views import api

# Writes here are authenticated by a bearer token only, which another site cannot send
# on a visitor's behalf, so the CSRF token (a cookie defence) has nothing to protect.
csrf.exempt(v1)
api.register_blueprint(v1)
api.register_error_handler(ApiError, answer_api_error)
