"""Sign-in (password, then TOTP or a recovery code), MFA enrolment, sign-out and one's own account.

The MFA pages are ``@public`` because the visitor is not signed in yet; each checks for a
*pending* session itself (:mod:`sar.auth.pending`) and sends everyone else back to sign-in.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from sar import audit
from sar.auth import enrolment, mfa, pending, service, sessions, signin
from sar.auth.access import public, signed_in_any_role
from sar.auth.forms import ChangePasswordForm, SignInForm, TotpForm, VerifyForm
from sar.auth.models import User
from sar.forms import refused, show_error

bp = Blueprint("auth", __name__)

EXPIRED_MESSAGE = "Your sign-in took too long. Sign in again."
NOT_SET_UP_MESSAGE = (
    "Your account's authenticator app is not set up yet. Open the set-up link we emailed to you. "
    "If it has expired, ask an administrator to send a new one"
)


def _ip() -> str:
    # Behind a reverse proxy, deployers wrap the app in ProxyFix so this is the client address.
    return request.remote_addr or "unknown"


def _second_step_for(user: User) -> Response:
    return redirect(url_for("auth.verify_mfa" if mfa.is_enrolled(user) else "auth.set_up_mfa"))


def _pending_or_restart() -> User | Response:
    user = pending.pending_user()
    if user is None:
        flash(EXPIRED_MESSAGE, "info")
        return redirect(url_for("auth.sign_in"))
    if signin.is_locked(user):
        # Locked since the password step (wrong codes elsewhere): the second step is closed too.
        pending.clear()
        flash(signin.lock_message(user), "info")
        return redirect(url_for("auth.sign_in"))
    return user


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = SignInForm()
    if request.method == "POST" and signin.too_many_attempts(_ip()):
        abort(429)
    if form.validate_on_submit():
        result = signin.check_password(form.email.data or "", form.password.data or "", ip_address=_ip())
        if result.outcome is signin.Outcome.PASSED and result.user is not None:
            if not mfa.is_enrolled(result.user):
                # The password alone never sets up an authenticator: that needs the emailed link.
                form.email.errors = [NOT_SET_UP_MESSAGE]
                form.password.data = ""
                return render_template("auth/sign_in.html", form=form)
            pending.start(result.user, request.args.get("next"))
            return _second_step_for(result.user)
        # One message on the email field, linked from the error summary. Status 200 (not 4xx) so
        # the failure count, lock and audit event are committed (sar.web rolls back 4xx responses).
        form.email.errors = [result.message or signin.GENERIC_ERROR]
        form.password.data = ""
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-in/enrol/<token>", methods=["GET", "POST"])
@public
def enrol(token: str) -> str | Response | tuple[str, int]:
    """Arriving by the one-time link: the password, then the authenticator set-up."""
    link = enrolment.find_valid(token)
    if link is None:
        return render_template("auth/enrol_link_invalid.html"), 404
    if current_user.is_authenticated:
        pending.sign_out()
    form = SignInForm()
    if request.method == "POST" and signin.too_many_attempts(_ip()):
        abort(429)
    if form.validate_on_submit():
        result = signin.check_password(form.email.data or "", form.password.data or "", ip_address=_ip())
        user = result.user
        if result.outcome is signin.Outcome.PASSED and user is not None and user.id == link.user_id:
            if mfa.is_enrolled(user):
                pending.start(user, None)
                return redirect(url_for("auth.verify_mfa"))
            pending.start(user, None)
            session[pending.PENDING_ENROLMENT] = link.id
            return redirect(url_for("auth.set_up_mfa"))
        form.email.errors = [result.message or signin.GENERIC_ERROR]
        form.password.data = ""
    return render_template("auth/sign_in.html", form=form, enrolling=True)


@bp.route("/sign-in/set-up-authenticator", methods=["GET", "POST"])
@public
def set_up_mfa() -> str | Response:
    user = _pending_or_restart()
    if isinstance(user, Response):
        return user
    if mfa.is_enrolled(user):
        return redirect(url_for("auth.verify_mfa"))
    link = enrolment.usable_link_for(user, session.get(pending.PENDING_ENROLMENT))
    if link is None:
        pending.clear()
        flash(NOT_SET_UP_MESSAGE, "info")
        return redirect(url_for("auth.sign_in"))
    if request.method == "POST" and signin.too_many_attempts(_ip()):
        abort(429)
    form = TotpForm()
    secret = mfa.start_enrolment(user)
    if form.validate_on_submit():
        try:
            codes = mfa.confirm_enrolment(user, form.code.data or "")
        except mfa.MfaError as problem:
            show_error(form, problem)
            result = signin.mfa_failed(user, ip_address=_ip())
            if result.outcome is signin.Outcome.LOCKED:
                pending.clear()
                flash(result.message or "", "info")
                return redirect(url_for("auth.sign_in"))
        else:
            enrolment.consume(link)
            signin.completed(user, method="enrolment")
            next_url = pending.finish(user, method="enrolment")
            # Shown in this response only: the plain codes are never stored and never shown again.
            return render_template("auth/recovery_codes.html", codes=codes, next_url=next_url)
    uri = mfa.provisioning_uri(user, secret)
    return render_template(
        "auth/set_up_mfa.html",
        form=form,
        qr_svg=mfa.qr_code_svg(uri),
        grouped_secret=mfa.grouped_secret(secret),
        issuer=current_app.config["MFA_ISSUER"],
        account=user.email,
    )


@bp.route("/sign-in/security-code", methods=["GET", "POST"])
@public
def verify_mfa() -> str | Response:
    user = _pending_or_restart()
    if isinstance(user, Response):
        return user
    if not mfa.is_enrolled(user):
        return redirect(url_for("auth.set_up_mfa"))
    if request.method == "POST" and signin.too_many_attempts(_ip()):
        abort(429)
    form = VerifyForm()
    if form.validate_on_submit():
        code = form.code.data or ""
        if mfa.verify_totp(user, code):
            signin.completed(user, method="authenticator app")
            return redirect(pending.finish(user, method="authenticator app"))
        remaining = mfa.use_recovery_code(user, code)
        if remaining is not None:
            signin.completed(user, method="recovery code")
            next_url = pending.finish(user, method="recovery code")
            flash(_recovery_warning(remaining), "info")
            return redirect(next_url)
        result = signin.mfa_failed(user, ip_address=_ip())
        if result.outcome is signin.Outcome.LOCKED:
            pending.clear()
            flash(result.message or "", "info")
            return redirect(url_for("auth.sign_in"))
        form.code.errors = ["The code is not correct or has already been used. Enter the current code from your app"]
    return render_template("auth/verify_mfa.html", form=form, secret_unreadable=mfa.secret_unreadable(user))


def _recovery_warning(remaining: int) -> str:
    if remaining == 0:
        return (
            "You used your last recovery code. Ask an administrator to reset your authenticator "
            "so you get new recovery codes."
        )
    codes = "recovery code" if remaining == 1 else "recovery codes"
    return f"You signed in with a recovery code. You have {remaining} {codes} left. Each code works only once."


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    # Public so that a session which has already expired can still press "Sign out" harmlessly;
    # CSRFProtect still requires the token, so another site cannot sign staff out.
    if current_user.is_authenticated:
        audit.record_on(current_user, "signed_out", f"{current_user.email} signed out", by=current_user)
    pending.sign_out()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.get("/account")
@signed_in_any_role
def account() -> str:
    return render_template(
        "auth/account.html", user=current_user, recovery_left=len(mfa.unused_recovery_codes(current_user))
    )


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in_any_role
def change_password() -> str | Response | tuple[str, int]:
    form = ChangePasswordForm()
    if request.method == "POST" and signin.too_many_attempts(_ip()):
        abort(429)
    if form.validate_on_submit():
        if signin.is_locked(current_user):
            form.current_password.errors = [signin.lock_message(current_user)]
            return refused("auth/change_password.html", form=form)
        try:
            service.change_password(
                current_user,
                current_password=form.current_password.data or "",
                new_password=form.new_password.data or "",
                keep=sessions.current(),
            )
        except service.AccountError as problem:
            show_error(form, problem)
            if problem.field == "current_password":
                # Counted and audited like a failed sign-in; status 200 so the count is committed.
                if signin.password_change_failed(current_user, ip_address=_ip()):
                    form.current_password.errors = [signin.lock_message(current_user)]
                return render_template("auth/change_password.html", form=form)
            return refused("auth/change_password.html", form=form)
        flash("Your password has been changed. Any other browsers signed in as you have been signed out.", "success")
        return redirect(url_for("auth.account"))
    if form.errors:
        return refused("auth/change_password.html", form=form)
    return render_template("auth/change_password.html", form=form), 200
