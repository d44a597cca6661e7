"""The app as bench/run.py serves it: everything as in production but the per-address limits.

All the benchmark's clients come from 127.0.0.1, so the per-address rate limits and the
sign-up form's minimum fill time would measure themselves rather than the app.
"""

from donation_drive import create_app

app = create_app({"RATELIMIT_ENABLED": False, "SIGN_UP_MIN_SECONDS": 0})
