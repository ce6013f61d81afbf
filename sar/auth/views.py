"""Sign-in, MFA enrolment and verification, sign-out."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import logout_user
from werkzeug.wrappers import Response

from sar.auth.access import public

bp = Blueprint("auth", __name__)


@bp.get("/sign-in")
@public
def sign_in() -> str:
    return "sign in"


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    logout_user()
    return redirect(url_for("auth.sign_in"))
