"""The signed cookie session between the two factors, at completion, and while idle.

After the password the browser holds only a *pending* user id and when it was set; Flask-Login
does not know the user until the second factor passes, so a pending session cannot reach any
page that needs sign-in.
"""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from sar.auth.models import User
from sar.extensions import db

PENDING_USER = "mfa_pending_user_id"
PENDING_AT = "mfa_pending_at"
PENDING_NEXT = "mfa_next"
LAST_ACTIVE = "last_active"
PENDING_LIFETIME_SECONDS = 5 * 60


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect after sign-in would be a phishing tool."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def start(user: User, next_url: str | None) -> None:
    # A fresh session at the moment credentials are accepted defeats session fixation.
    session.clear()
    session[PENDING_USER] = user.id
    session[PENDING_AT] = time.time()
    if safe_next(next_url):
        session[PENDING_NEXT] = next_url


def pending_user() -> User | None:
    user_id = session.get(PENDING_USER)
    started = session.get(PENDING_AT)
    if not isinstance(user_id, int) or not isinstance(started, int | float):
        return None
    if time.time() - started > PENDING_LIFETIME_SECONDS:
        clear()
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        clear()
        return None
    return user


def clear() -> None:
    for key in (PENDING_USER, PENDING_AT, PENDING_NEXT):
        session.pop(key, None)


def finish(user: User) -> str:
    """Both factors passed: sign in for real. Returns where to go next."""
    next_url = safe_next(session.get(PENDING_NEXT)) or url_for("web.home")
    session.clear()
    login_user(user)
    session[LAST_ACTIVE] = time.time()
    return next_url


def sign_out() -> None:
    logout_user()
    session.clear()


# Where someone who must replace a temporary password may still go.
_ALLOWED_BEFORE_PASSWORD_CHANGE = frozenset({"auth.change_password", "auth.sign_out", "static", "web.healthz"})


def require_password_change() -> Response | None:
    """``before_request``: an administrator's temporary password is known to two people, so it must
    be replaced before the account is used for anything."""
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.endpoint in _ALLOWED_BEFORE_PASSWORD_CHANGE:
        return None
    flash("Your password was set by an administrator. Choose a new password to continue.", "info")
    return redirect(url_for("auth.change_password"))


def enforce_idle_timeout() -> Response | None:
    """``before_request``: end a session nobody has used for IDLE_TIMEOUT_MINUTES."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    limit_minutes = current_app.config["IDLE_TIMEOUT_MINUTES"]
    now = time.time()
    last = session.get(LAST_ACTIVE)
    if isinstance(last, int | float) and now - last > limit_minutes * 60:
        from sar import audit

        audit.record(
            "signed_out_idle",
            object_type="user",
            object_id=current_user.id,
            summary=f"{current_user.email} signed out after {limit_minutes} minutes without activity",
            by=current_user,
        )
        sign_out()
        flash(f"You were signed out because you had not done anything for {limit_minutes} minutes.", "info")
        return redirect(url_for("auth.sign_in"))
    session[LAST_ACTIVE] = now
    return None
