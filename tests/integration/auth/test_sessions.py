"""Server-side sessions: revocation, absolute lifetime, the administrator's view; safe and atomic
completion of sign-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from auth_helpers import TEST_PASSWORD, password_step, totp_code
from sqlalchemy import select
from support import banners, error_messages, get_page, page, text_of

from sar.audit import AuditEvent
from sar.auth.models import Role, User, UserSession
from sar.extensions import db


def actions() -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def sign_in(app, user: User, secret: str, *, steps_ahead: int = 1, next_url: str | None = None, client=None):
    client = client or app.test_client()
    query = {"query_string": {"next": next_url}} if next_url is not None else {}
    assert password_step(client, user.email, **query).status_code == 302
    done = client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=steps_ahead)})
    return client, done


def copy_cookie(source, app):
    """A second browser holding a copy of ``source``'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = source.get_cookie("sar_session")
    thief.set_cookie("sar_session", cookie.value)
    return thief


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(app, enrolled):
    user, secret, _ = enrolled()
    client, _ = sign_in(app, user, secret)
    thief = copy_cookie(client, app)
    assert thief.get("/").status_code == 200

    client.post("/sign-out")

    assert client.get("/").status_code == 302
    assert thief.get("/").status_code == 302  # the server ended the session, not just the browser


def test_changing_password_signs_out_every_other_browser_but_this_one(app, enrolled, client_as):
    user, secret, _ = enrolled()
    mine, _ = sign_in(app, user, secret)
    other = client_as(user=user)
    assert other.get("/").status_code == 200

    changed = mine.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )

    assert changed.status_code == 302
    assert mine.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_an_mfa_reset_signs_the_user_out_everywhere(app, enrolled, client_as):
    user, secret, _ = enrolled()
    client, _ = sign_in(app, user, secret)
    admin = client_as(Role.ADMIN)

    assert admin.post(f"/admin/users/{user.id}/reset-mfa").status_code == 302

    assert client.get("/").status_code == 302


def test_administrator_sees_active_sessions_and_ends_one_or_all(app, enrolled, client_as):
    user, secret, _ = enrolled()
    first, _ = sign_in(app, user, secret)
    second = client_as(user=user)
    admin = client_as(Role.ADMIN)
    account = get_page(admin, f"/admin/users/{user.id}")
    assert "Signed-in sessions" in [text_of(h2) for h2 in account.select("h2")]
    assert account.find("button", string="Sign out everywhere") is not None
    live = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()
    assert len(live) >= 2
    newest = max(live, key=lambda row: row.id)

    assert admin.post(f"/admin/users/{user.id}/sessions/{newest.id}/end").status_code == 302
    assert second.get("/").status_code == 302
    assert first.get("/").status_code == 200

    assert admin.post(f"/admin/users/{user.id}/sessions/end-all").status_code == 302
    assert first.get("/").status_code == 302
    assert "sessions_ended" in actions()
    assert "is not signed in anywhere" in text_of(get_page(admin, f"/admin/users/{user.id}").select_one("main"))


def test_a_session_of_another_user_cannot_be_ended_through_someone_elses_page(app, enrolled, client_as, make_user):
    user, secret, _ = enrolled()
    sign_in(app, user, secret)
    bystander = make_user()
    record = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).first()
    admin = client_as(Role.ADMIN)

    assert admin.post(f"/admin/users/{bystander.id}/sessions/{record.id}/end").status_code == 404


def test_a_busy_session_still_ends_after_the_absolute_lifetime(app, enrolled):
    user, secret, _ = enrolled()
    client, _ = sign_in(app, user, secret)
    assert app.config["SESSION_ABSOLUTE_HOURS"] == 12
    for record in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        # Signed in 12 hours ago, used a moment ago: the idle timeout alone would keep it alive.
        record.created_at -= timedelta(hours=12, minutes=1)
        record.expires_at -= timedelta(hours=12, minutes=1)
    db.session.commit()

    response = client.get("/")

    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert any("more than 12 hours ago" in message for message in banners(get_page(client, "/sign-in")))
    assert "session_expired" in actions()


@pytest.mark.parametrize(
    "hostile",
    [
        "/%09/evil.example/",
        "/\t/evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "/%0D%0A/x",
        "/no-such-page",
    ],
)
def test_sign_in_never_redirects_off_site_or_to_a_broken_address(app, enrolled, hostile):
    user, secret, _ = enrolled()
    client = app.test_client()
    password_step(client, user.email, query_string={"next": hostile})

    done = client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})

    assert done.status_code == 302
    assert done.headers["Location"] == "/"


def test_next_with_a_newline_signs_in_completely_and_the_code_cannot_be_replayed(app, enrolled):
    user, secret, _ = enrolled()
    code = totp_code(secret, steps_ahead=1)
    client = app.test_client()
    password_step(client, user.email, query_string={"next": "/\n/x"})

    done = client.post("/sign-in/security-code", data={"code": code})

    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert "signed_in" in actions()
    replay = app.test_client()
    password_step(replay, user.email)
    again = replay.post("/sign-in/security-code", data={"code": code})
    assert "has already been used" in " ".join(error_messages(page(again)))


def test_a_same_site_next_is_followed(app, enrolled):
    user, secret, _ = enrolled(Role.IG_OFFICER)
    _, done = sign_in(app, user, secret, next_url="/cases?q=Smith")

    assert done.headers["Location"] == "/cases?q=Smith"


def test_sign_in_that_fails_after_the_cookie_is_set_leaves_nobody_signed_in(app, enrolled, monkeypatch):
    """Whatever goes wrong once the browser has been given its cookie, the request's transaction
    (audit event, TOTP step, session row) rolls back and the cookie names no session."""
    from sar.auth import pending

    user, secret, _ = enrolled()
    app.config["PROPAGATE_EXCEPTIONS"] = False
    real_finish = pending.finish

    def finish_then_fail(*args, **kwargs):
        real_finish(*args, **kwargs)
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(pending, "finish", finish_then_fail)
    client = app.test_client()
    password_step(client, user.email)
    sessions_before = db.session.scalar(select(sa.func.count()).select_from(UserSession))

    failed = client.post("/sign-in/security-code", data={"code": totp_code(secret, steps_ahead=1)})

    assert failed.status_code == 500
    assert "_user_id" in _session_of(app, client)  # the browser was told it is signed in
    assert client.get("/").status_code == 302  # the cookie it was given names no session
    assert db.session.scalar(select(sa.func.count()).select_from(UserSession)) == sessions_before


def _session_of(app, client) -> dict:
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(client.get_cookie("sar_session").value)
