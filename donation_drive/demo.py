"""A living "7 for Jack" drive for newcomers to look at."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from .accounts import operations as accounts
from .accounts.models import User
from .accounts.passwords import hash_password
from .core.extensions import db
from .core.rules import today
from .donations import operations as donations
from .donations.models import DonationType
from .drives import operations as drives
from .drives.models import Dedication, Drive, Visibility
from .participation import operations as participation
from .participation.operations import Pledge

DEMO_EMAIL = "demo@example.org"
STORY = (
    "Jack was born too early and lived for nine days. His mum needed seven bags of blood "
    "to come through, and strangers gave every one of them. Seven of us gave seven bags "
    "back, one for each. Will you give one more?"
)
FRIENDS = [
    ("Amira Haddad", True, DonationType.WHOLE_BLOOD),
    ("Ben Okafor", True, DonationType.PLATELETS),
    ("Chloe Martin", False, DonationType.WHOLE_BLOOD),
    ("Dev Patel", True, DonationType.DOUBLE_RED_CELLS),
    ("Erin Walsh", False, DonationType.PLASMA),
]


@dataclass(frozen=True)
class Demo:
    drive: Drive
    email: str
    password: str
    private_link_token: str


def create_demo() -> Demo:
    """Create (or refresh) the demo organiser and a new "7 for Jack" drive with friends and units."""
    password = secrets.token_urlsafe(12)
    user = db.session.scalar(db.select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        user = User(email=DEMO_EMAIL, name="Sam (demo organiser)", password_hash="")
        db.session.add(user)
    user.password_hash = hash_password(password)
    accounts.confirm_email(user)
    start = today() - timedelta(days=3)
    drive = drives.create_drive(
        user,
        drives.DriveDetails(
            title="7 for Jack",
            dedication=Dedication.IN_MEMORY,
            honoree="Jack",
            story=STORY,
            target_units=7,
            starts_on=start,
            ends_on=start + timedelta(days=30),
            place="Leeds",
            visibility=Visibility.PUBLIC,
        ),
    )
    tokens = []
    for index, (name, shown, donation_type) in enumerate(FRIENDS):
        participant, token = participation.sign_up(
            drive, name, None, Pledge(1, donation_type, None, shown)
        )
        tokens.append(token)
        if index < 3:
            donations.report_donation(participant, 1, donation_type, today() - timedelta(days=index))
    donations.log_donation(drive, user, 1, DonationType.WHOLE_BLOOD, today())
    return Demo(drive=drive, email=DEMO_EMAIL, password=password, private_link_token=tokens[0])
