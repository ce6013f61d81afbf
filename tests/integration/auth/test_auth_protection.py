"""Rate limit, lockout, idle timeout, CSRF and security headers."""

from __future__ import annotations

import uuid

import pytest
from auth_helpers import TEST_PASSWORD, password_step, totp_code
from sqlalchemy import select
from support import app_with_tables, banners, error_messages, get_page, page, table_rows, text_of

from sar import create_app
from sar.audit import SYSTEM, AuditEvent
from sar.auth.models import Role, SignInAttempt, User
from sar.db import utcnow
from sar.extensions import db


def audit_actions() -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_rate_limit_per_address_answers_429(app, client, make_user):
    app.config["LOGIN_RATE_LIMIT"] = 3
    user = make_user()
    for _ in range(3):
        assert password_step(client, f"{uuid.uuid4().hex[:6]}@council.example").status_code == 200
    blocked = password_step(client, user.email)  # even the right password: the address is over its limit
    assert blocked.status_code == 429
    assert "Too many attempts" in text_of(page(blocked, 429).select_one("main"))
    # Another address is unaffected.
    other = app.test_client()
    assert password_step(other, user.email, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


def test_colleagues_signing_in_correctly_from_one_office_address_are_never_limited(app, make_user):
    app.config["LOGIN_RATE_LIMIT"] = 3
    colleagues = [make_user() for _ in range(5)]
    for colleague in colleagues:
        office = app.test_client()  # each on their own browser, all behind the council's one address
        assert password_step(office, colleague.email).status_code == 302


def test_rate_limit_window_slides(app, client, make_user):
    app.config["LOGIN_RATE_LIMIT"] = 2
    user = make_user()
    password_step(client, user.email, password="wrong password here")
    password_step(client, user.email, password="wrong password here")
    assert password_step(client, user.email).status_code == 429
    for attempt in db.session.scalars(select(SignInAttempt)):
        attempt.at = utcnow().replace(year=2000)
    db.session.commit()
    assert password_step(client, user.email).status_code == 302


def test_delay_after_consecutive_failures_answers_like_a_wrong_password_then_admin_unlock(
    app, client, make_user, client_as
):
    app.config["LOGIN_MAX_FAILURES"] = 3
    user = make_user()
    for _ in range(3):
        refused = page(password_step(client, user.email, password="wrong password x"))
        assert error_messages(refused) == ["Enter a correct email address and password"]
        assert "locked" not in text_of(refused.select_one("main"))
    # Inside the delay even the right password gets the answer an unknown email gets.
    right = password_step(client, user.email)
    assert error_messages(page(right)) == ["Enter a correct email address and password"]
    actions = audit_actions()
    assert actions.count("sign_in_failed") == 3
    assert "sign_in_delayed" in actions and "sign_in_refused_delayed" in actions

    admin = client_as(Role.ADMIN)
    [row] = [row for row in table_rows(get_page(admin, "/admin/users")) if user.email in row[0]]
    assert row[-1] == "Locked"
    assert admin.post(f"/admin/users/{user.id}/unlock").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user_unlocked")).one()
    assert event.before["failed_sign_ins"] == 3 and event.after == {"locked_until": None, "failed_sign_ins": 0}
    assert password_step(client, user.email).status_code == 302


def test_delay_runs_out_and_success_resets_the_count(app, client, make_user):
    app.config["LOGIN_MAX_FAILURES"] = 2
    user = make_user()
    password_step(client, user.email, password="wrong password x")
    password_step(client, user.email, password="wrong password x")
    db.session.expire_all()
    delayed = db.session.get(User, user.id)
    assert delayed.locked_until is not None
    delayed.locked_until = utcnow().replace(year=2000)
    db.session.commit()
    assert password_step(client, user.email).status_code == 302


def test_wrong_mfa_codes_count_towards_the_delay(app, enrolled):
    app.config["LOGIN_MAX_FAILURES"] = 2
    user, _, _ = enrolled()
    client = app.test_client()
    password_step(client, user.email)
    client.post("/sign-in/security-code", data={"code": "000001"})
    response = client.post("/sign-in/security-code", data={"code": "000002"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert any("too many wrong attempts" in message for message in banners(get_page(client, "/sign-in")))
    assert client.get("/sign-in/security-code").status_code == 302  # the pending sign-in was dropped


def _age_session(user: User, *, minutes: float = 0, hours: float = 0) -> None:
    from datetime import timedelta

    from sar.auth.models import UserSession

    for record in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        record.last_seen_at -= timedelta(minutes=minutes)
        record.created_at -= timedelta(hours=hours)
        record.expires_at -= timedelta(hours=hours)
    db.session.commit()


def test_idle_timeout_signs_out_with_a_message(app, enrolled):
    user, secret, _ = enrolled()
    client = app.test_client()
    password_step(client, user.email)
    client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})
    assert client.get("/").status_code == 200
    _age_session(user, minutes=31)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert any(
        "You were signed out because you had not done anything for 30 minutes" in message
        for message in banners(get_page(client, "/sign-in"))
    )
    assert client.get("/").status_code == 302
    assert "signed_out_idle" in audit_actions()


def test_activity_keeps_the_session_alive(app, enrolled):
    from sar.auth.models import UserSession

    user, secret, _ = enrolled()
    app.config["IDLE_TIMEOUT_MINUTES"] = 10
    client = app.test_client()
    password_step(client, user.email)
    client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})
    _age_session(user, minutes=9)
    assert client.get("/").status_code == 200
    db.session.expire_all()
    record = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id.desc())
    ).first()
    assert (utcnow() - record.last_seen_at).total_seconds() < 5


@pytest.fixture
def csrf_app(make_config):
    with app_with_tables(make_config(WTF_CSRF_ENABLED=True)) as application:
        yield application


def test_csrf_is_enforced_on_sign_in_and_sign_out(csrf_app):
    import pyotp

    from sar.auth import secrets, service

    user = service.create_user(
        email="csrf@council.example",
        full_name="C",
        password=TEST_PASSWORD,
        roles={Role.DPO},
        by=SYSTEM,
    )
    user.mfa_secret_encrypted = secrets.encrypt(pyotp.random_base32())  # set up, so the password step passes
    user.mfa_enrolled_at = utcnow()
    db.session.commit()
    client = csrf_app.test_client()
    refused = client.post("/sign-in", data={"email": "csrf@council.example", "password": TEST_PASSWORD})
    assert refused.status_code == 400
    assert "Nothing was saved" in text_of(page(refused, 400).select_one("main"))
    assert client.post("/sign-out").status_code == 400

    token = get_page(client, "/sign-in").find("input", {"name": "csrf_token"})["value"]
    accepted = client.post(
        "/sign-in",
        data={"email": "csrf@council.example", "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert accepted.status_code == 302


def test_security_headers(client):
    response = client.get("/sign-in")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert "<script>" not in body and "style=" not in body


def test_session_cookie_is_httponly_and_secure_outside_development(make_config):
    app = create_app(make_config(ENV="production", AUDIT_HMAC_KEY="a" * 64))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_old_sign_in_attempts_are_pruned_at_the_next_sign_in(app, enrolled):
    user, secret, _ = enrolled()
    db.session.add(
        SignInAttempt(ip_address="10.1.1.1", email="x@council.example", succeeded=False, at=utcnow().replace(year=2000))
    )
    db.session.commit()
    client = app.test_client()
    password_step(client, user.email)
    client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})
    assert db.session.scalars(select(SignInAttempt).where(SignInAttempt.ip_address == "10.1.1.1")).all() == []
    assert db.session.scalars(select(SignInAttempt)).all() != []


def test_a_lock_applied_after_the_password_step_closes_the_code_step(app, enrolled):
    user, secret, _ = enrolled()
    client = app.test_client()
    password_step(client, user.email)
    locked = db.session.get(User, user.id)
    locked.locked_until = utcnow().replace(year=utcnow().year + 1)
    db.session.commit()
    response = client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert client.get("/").status_code == 302
