"""Cross-cutting web behaviour: one commit per request, security headers, error pages, health and home."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import NoResultFound, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from sar import audit_anchor
from sar.auth.access import public, signed_in_any_role
from sar.extensions import db

bp = Blueprint("web", __name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

ERROR_PAGES = {
    400: (
        "Sorry, there is a problem with what was sent",
        "The page could not use what your browser sent. Go back and try again.",
    ),
    403: (
        "You do not have permission to see this page",
        "Your account does not have a role that allows this. Ask an administrator if you need access.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.",
    ),
    405: ("Sorry, there is a problem with what was sent", "That action is not available on this page."),
    413: (
        "The file is too large",
        "The file you chose is larger than this service accepts. Split it into smaller files and try again.",
    ),
    429: (
        "Too many attempts",
        "There have been too many attempts from your connection. Wait a few minutes and try again.",
    ),
    500: ("Sorry, there is a problem with the service", "Nothing you entered has been saved. Try again later."),
    503: ("Sorry, the service is unavailable", "The service cannot reach its database. Try again later."),
}


def init_app(app: Flask) -> None:
    from sar import audit_views, job_views

    app.register_blueprint(bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(job_views.bp)
    app.after_request(_commit_or_roll_back)
    app.after_request(_security_headers)
    app.context_processor(_layout_context)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(NoResultFound, lambda error: _render_error(404))
    app.register_error_handler(SQLAlchemyError, _database_error)


def _commit_or_roll_back(response: Response) -> Response:
    """Services only flush; the request commits once here, and only when it succeeded.

    The rule: a 2xx or 3xx response commits; any 4xx or 5xx rolls back. So a form the server refuses
    (``sar.forms.refused`` answers 422) keeps nothing a service flushed before it raised its DomainError, and a
    view never commits or rolls back itself. The one exception is a refusal whose record must be kept: a failed
    sign-in answers 200, so its failure count, lock and audit event are committed (sar.auth.views.sign_in).
    """
    if response.status_code < 400:
        db.session.commit()
        audit_anchor.maybe_write_checkpoint()
    else:
        db.session.rollback()
    return response


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if not request.path.startswith("/static/"):
        # Pages carry personal data about children: never keep them in a shared browser cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def _layout_context() -> dict[str, Any]:
    from sar.navigation import navigation_for

    return {
        "council_name": current_app.config["COUNCIL_NAME"],
        "service_name": current_app.config["COUNCIL_SERVICE_NAME"],
        "navigation": navigation_for(current_user) if current_user.is_authenticated else [],
    }


def _render_error(status: int) -> tuple[str, int]:
    title, body = ERROR_PAGES.get(status, ERROR_PAGES[500])
    return render_template("errors/error.html", title=title, body=body, status=status), status


def _http_error(error: HTTPException) -> Any:
    if error.code is None or error.code < 400:
        return error
    db.session.rollback()
    return _render_error(error.code)


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    db.session.rollback()
    return (
        render_template(
            "errors/error.html",
            title="Your page timed out or was opened twice",
            body="For your security we could not accept that form. Go back, reload the page and submit it again. "
            "Nothing was saved.",
            status=400,
        ),
        400,
    )


def _database_error(error: SQLAlchemyError) -> tuple[str, int]:
    db.session.rollback()
    current_app.logger.exception("database error", exc_info=error)
    return _render_error(500)


@bp.get("/healthz")
@public
def healthz() -> tuple[dict[str, str], int]:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200


@bp.get("/")
@signed_in_any_role
def home() -> str:
    # Each stage that shows people their work fills the home page (sar.dashboard.home); none installed, none shown.
    build = current_app.extensions.get("sar_home")
    sections = build(current_user) if build is not None else {}
    return render_template("home.html", **sections)
