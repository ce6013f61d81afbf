"""Extensions are created unbound here and bound to the app in ``create_app``."""

from __future__ import annotations

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from sar.db import Base

# Models subclass sar.db.Base directly (plain SQLAlchemy 2.0 declarative); Flask-SQLAlchemy only
# supplies the session and engine, bound to the same metadata.
db = SQLAlchemy(metadata=Base.metadata)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
