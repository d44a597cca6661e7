"""Participants' privacy: how their name appears, forgetting them, and replacing a lost link.

`names.py` is pure (what the public sees of a name); `operations.py` changes rows; `views.py`
serves /privacy and the lost-link pages.
"""
