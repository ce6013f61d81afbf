"""Signing in: password, MFA enrolment on first sign-in, TOTP and recovery codes, replay, session rules."""

from __future__ import annotations

import time

import pyotp
from auth_helpers import TEST_PASSWORD, enrolment_step, manual_key, password_step, recovery_codes, totp_code
from sqlalchemy import select
from support import banners, error_links, error_messages, field_error, get_page, page, text_of

from sar.audit import AuditEvent
from sar.auth import pending, secrets
from sar.auth.models import Role, User
from sar.auth.passwords import needs_rehash
from sar.extensions import db


def actions(*names: str) -> list[str]:
    wanted = set(names)
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)) if e.action in wanted]


def _errors(response) -> str:
    """The error summary as read on screen ("" when there is none)."""
    return " ".join(error_messages(page(response, response.status_code)))


def test_sign_in_page_is_accessible_markup(client):
    html = get_page(client, "/sign-in")
    assert html.find("input", {"name": "email"})["autocomplete"] == "username"
    assert html.find("input", {"name": "password"})["autocomplete"] == "current-password"
    assert html.select_one("main form[method=post]").has_attr("novalidate")


def test_first_sign_in_enrols_mfa_then_shows_recovery_codes_once(app, client, make_user):
    user = make_user(Role.IG_OFFICER, mfa=False)
    response = enrolment_step(client, user)  # by the emailed link: the password alone is not enough
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in/set-up-authenticator")

    setup = client.get("/sign-in/set-up-authenticator")
    html = setup.get_data(as_text=True)
    assert "<svg" in html and "style=" not in html and "<script>" not in html
    secret = manual_key(setup)
    assert len(secret) == 32
    # The secret is stored encrypted, never in plain text.
    db.session.refresh(user)
    assert user.mfa_secret_encrypted and secret not in user.mfa_secret_encrypted
    assert secrets.decrypt(user.mfa_secret_encrypted) == secret

    wrong = client.post("/sign-in/set-up-authenticator", data={"code": "000000"})
    assert wrong.status_code == 200
    assert "Enter the 6-digit code shown in your authenticator app" in _errors(wrong)

    done = client.post("/sign-in/set-up-authenticator", data={"code": totp_code(secret)})
    assert done.status_code == 200
    codes = recovery_codes(done)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "I have saved these codes" in text_of(page(done).select_one("main"))
    db.session.refresh(user)
    assert user.mfa_enrolled
    # Only Argon2 hashes are stored.
    assert all(row.code_hash.startswith("$argon2id$") for row in user.recovery_codes)
    assert not any(code.replace("-", "") in row.code_hash for code in codes for row in user.recovery_codes)

    assert client.get("/").status_code == 200  # signed in
    # The codes are never shown again.
    assert client.get("/sign-in/set-up-authenticator").status_code == 302
    assert "mfa_enrolled" in actions("mfa_enrolled") and "signed_in" in actions("signed_in")


def test_returning_user_signs_in_with_totp(app, enrolled):
    user, secret, _ = enrolled()
    client = app.test_client()
    response = password_step(client, user.email)
    assert response.headers["Location"].endswith("/sign-in/security-code")
    assert client.get("/").status_code == 302  # not signed in until the second factor
    assert get_page(client, "/sign-in/security-code").find("input", {"name": "code"})["autocomplete"] == "one-time-code"
    response = client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(app, enrolled):
    user, secret, _ = enrolled()
    client = app.test_client()
    password_step(client, user.email, query_string={"next": "/account"})
    response = client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})
    assert response.headers["Location"] == "/account"

    other = app.test_client()
    password_step(other, user.email, query_string={"next": "//evil.example/phish"})
    user_row = db.session.get(User, user.id)
    user_row.mfa_last_timestep = None
    db.session.commit()
    response = other.post("/sign-in/security-code", data={"code": totp_code(secret)})
    assert response.headers["Location"] == "/"


def test_totp_code_cannot_be_replayed(app, enrolled):
    user, secret, _ = enrolled()
    code = totp_code(secret, steps_ahead=1)
    first = app.test_client()
    password_step(first, user.email)
    assert first.post("/sign-in/security-code", data={"code": code}).status_code == 302

    second = app.test_client()
    password_step(second, user.email)
    replay = second.post("/sign-in/security-code", data={"code": code})
    assert replay.status_code == 200
    assert "not correct or has already been used" in _errors(replay)
    assert second.get("/").status_code == 302


def test_wrong_and_malformed_codes_are_refused(app, enrolled):
    user, secret, _ = enrolled()
    client = app.test_client()
    password_step(client, user.email)
    good = pyotp.TOTP(secret)
    wrong = "000000" if good.now() != "000000" else "111111"
    for code in (wrong, "12ab56", "1" * 40):
        response = client.post("/sign-in/security-code", data={"code": code})
        assert response.status_code == 200
        assert _errors(response)
    empty = client.post("/sign-in/security-code", data={"code": ""})
    assert "Enter the 6-digit code from your authenticator app or a recovery code" in _errors(empty)
    overlong = client.post("/sign-in/security-code", data={"code": "1" * 41})
    assert overlong.status_code == 200
    assert client.get("/").status_code == 302
    assert db.session.get(User, user.id).failed_sign_ins == 3


def test_recovery_code_signs_in_once_and_warns_how_many_remain(app, enrolled):
    user, _, codes = enrolled()
    client = app.test_client()
    password_step(client, user.email)
    response = client.post("/sign-in/security-code", data={"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    home = page(client.get("/", follow_redirects=True))
    assert any("You have 9 recovery codes left" in message for message in banners(home))
    assert "mfa_recovery_code_used" in actions("mfa_recovery_code_used")

    again = app.test_client()
    password_step(again, user.email)
    reused = again.post("/sign-in/security-code", data={"code": codes[0]})
    assert reused.status_code == 200
    assert again.get("/").status_code == 302
    assert again.post("/sign-in/security-code", data={"code": codes[1]}).status_code == 302


def test_pending_mfa_session_cannot_reach_protected_pages(app, enrolled):
    user, _, _ = enrolled(Role.ADMIN)
    client = app.test_client()
    password_step(client, user.email)
    for path in ("/", "/account", "/admin/users"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]


def test_pending_mfa_expires_after_five_minutes(app, enrolled):
    user, secret, _ = enrolled()
    client = app.test_client()
    password_step(client, user.email)
    with client.session_transaction() as session:
        session[pending.PENDING_AT] = time.time() - pending.PENDING_LIFETIME_SECONDS - 1
    response = client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert client.get("/").status_code == 302
    assert "took too long" in client.get("/sign-in").get_data(as_text=True)


def test_mfa_pages_without_a_pending_sign_in_go_back_to_sign_in(client):
    for path in ("/sign-in/security-code", "/sign-in/set-up-authenticator"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")


def test_session_is_cleared_at_sign_in(app, make_user):
    """Session fixation: nothing an attacker planted in the cookie survives the password step."""
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by attacker"
    password_step(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session[pending.PENDING_USER] == user.id
        assert "_user_id" not in session


def test_wrong_password_and_unknown_email_get_the_same_generic_message(app, client, make_user):
    user = make_user()
    wrong = password_step(client, user.email, password="not the right password")
    unknown = password_step(client, "nobody@council.example")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Enter a correct email address and password" in _errors(response)
    assert actions("sign_in_failed") == ["sign_in_failed", "sign_in_failed"]


def test_deactivated_account_cannot_sign_in(app, client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    response = password_step(client, user.email)
    assert "Enter a correct email address and password" in _errors(response)


def test_email_is_matched_case_insensitively(client, make_user):
    user = make_user()
    assert password_step(client, "  " + user.email.upper() + " ").status_code == 302


def test_sign_in_form_errors(client):
    empty = client.post("/sign-in", data={"email": "", "password": ""})
    links = error_links(page(empty, empty.status_code))
    assert links == {"Enter your email address": "#email", "Enter your password": "#password"}
    overlong = client.post("/sign-in", data={"email": "a" * 250 + "@x.uk", "password": "x"})
    assert field_error(page(overlong, overlong.status_code), "email") == "Email address must be 254 characters or fewer"


def test_password_is_rehashed_when_parameters_change(app, client, make_user):
    from argon2 import PasswordHasher

    user = make_user()
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(TEST_PASSWORD)
    user.password_hash = weak
    db.session.commit()
    assert password_step(client, user.email).status_code == 302
    db.session.refresh(user)
    assert user.password_hash != weak
    assert not needs_rehash(user.password_hash)


def test_sign_out_is_a_post_and_ends_the_session(app, enrolled):
    user, secret, _ = enrolled()
    client = app.test_client()
    password_step(client, user.email)
    client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})
    assert client.get("/sign-out").status_code == 405
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert "signed_out" in actions("signed_out")


def test_after_secret_key_rotation_only_recovery_codes_work_and_no_self_enrolment(app, enrolled):
    user, secret, codes = enrolled()
    app.config["SECRET_KEY"] = "rotated-" + app.config["SECRET_KEY"]
    client = app.test_client()
    step = password_step(client, user.email)
    assert step.headers["Location"].endswith("/sign-in/security-code")
    assert "keys were changed" in text_of(get_page(client, "/sign-in/security-code").select_one("main"))
    assert client.get("/sign-in/set-up-authenticator").status_code == 302  # cannot enrol a new app
    assert client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)}).status_code == 200
    assert client.post("/sign-in/security-code", data={"code": codes[0]}).status_code == 302
