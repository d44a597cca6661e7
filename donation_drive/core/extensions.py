"""Unbound extension objects, bound to the app in create_app."""

from typing import TYPE_CHECKING

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .i18n import lazy_gettext as _l
from .security import SameOriginCSRFProtect

# Predictable constraint names, so migrations can find and change them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # mypy cannot take a base class from an attribute such as db.Model (python/mypy#8603). At run
    # time db.Model is Flask-SQLAlchemy's copy of Base with its table naming and binds added, so
    # Base is what the models are to a type checker.
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
csrf = SameOriginCSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see that page.")
# Flashed as plain text in the reader's language, as every other flash is.
login_manager.localize_callback = str
login_manager.login_message_category = "info"
