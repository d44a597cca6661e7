"""Every input limit in one place: forms, models and the README quote these."""

NAME_MAX = 80  # a participant's or organiser's name, the honoree's name
EMAIL_MAX = 254  # RFC 5321 path limit
PASSWORD_MIN = 12
PASSWORD_MAX = 256
TITLE_MAX = 120
STORY_MAX = 5000
PLACE_MAX = 120
SLUG_MAX = 80
#: The largest id an integer column holds on every database (PostgreSQL's INTEGER is 32-bit).
ID_MAX = 2**31 - 1

TARGET_UNITS_MAX = 10_000
#: One person gives one unit, two for double red cells; a pledge may cover a few visits.
PARTICIPANT_UNITS_MAX = 10
#: What an organiser may log at once for the group ("7 bags donated today").
GROUP_UNITS_MAX = 1_000

#: A drive runs at most this long; anniversaries are separate rounds.
DRIVE_DAYS_MAX = 3 * 366
