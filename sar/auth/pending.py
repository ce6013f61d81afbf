"""The signed cookie session between the two factors, and at completion.

After the password the browser holds only a *pending* user id and when it was set; Flask-Login
does not know the user until the second factor passes, so a pending session cannot reach any
page that needs sign-in. Completion creates the server-side session (:mod:`sar.auth.sessions`).
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from sar.auth import sessions
from sar.auth.models import User
from sar.extensions import db

PENDING_USER = "mfa_pending_user_id"
PENDING_AT = "mfa_pending_at"
PENDING_NEXT = "mfa_next"
PENDING_ENROLMENT = "mfa_enrolment_link"
PENDING_LIFETIME_SECONDS = 5 * 60

# A path on this site, in plain URL characters only. Browsers and Werkzeug drop TAB, CR and LF
# from a Location header, so "/\t/evil.example/" would become "//evil.example/" (another site);
# anything outside this set, and any "//" or "/\\" start, is refused rather than cleaned up.
_SAFE_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*")
_MAX_NEXT = 2000


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path to a page of this application, else None.

    An open redirect after sign-in would be a phishing tool, so only a strictly parsed,
    same-site path that the URL map recognises is accepted.
    """
    if not target or len(target) > _MAX_NEXT or not _SAFE_PATH.fullmatch(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(parts.path, method="GET")
    except RequestRedirect:
        pass  # e.g. a missing trailing slash: still one of our pages
    except HTTPException:
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
    for key in (PENDING_USER, PENDING_AT, PENDING_NEXT, PENDING_ENROLMENT):
        session.pop(key, None)


def finish(user: User, *, method: str) -> str:
    """Both factors passed: sign in for real. Returns where to go next.

    The session row is added to the request's transaction, alongside the ``signed_in`` audit
    event and the consumed TOTP step: the cookie set here is worthless unless all of them commit.
    """
    next_url = safe_next(session.get(PENDING_NEXT)) or url_for("web.home")
    token = sessions.create(user, method=method)
    session.clear()
    login_user(user)
    session[sessions.TOKEN_KEY] = token
    return next_url


def sign_out() -> None:
    record = sessions.current()
    if record is not None:
        sessions.end(record, "signed out")
    sessions.sign_out_browser()


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
