"""The first sign-in cannot claim MFA: only the one-time, expiring link emailed to the account
holder, together with the password, opens the authenticator set-up."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from auth_helpers import TEST_PASSWORD, enrolment_step, manual_key, password_step, totp_code
from sqlalchemy import select
from support import error_messages, get_page, heading, page

from sar.audit import SYSTEM
from sar.auth import enrolment
from sar.auth.models import Role
from sar.db import utcnow
from sar.extensions import db
from sar.mail import OutboxMessage


def link_path(user) -> str:
    url = enrolment.issue(user, by=SYSTEM)
    db.session.commit()
    return urlsplit(url).path


def test_the_password_alone_never_reaches_the_authenticator_set_up(app, client, make_user):
    user = make_user(Role.IG_OFFICER, mfa=False)

    step = password_step(client, user.email)

    assert "authenticator app is not set up yet" in " ".join(error_messages(page(step)))
    assert client.get("/sign-in/set-up-authenticator").status_code == 302
    db.session.refresh(user)
    assert user.mfa_secret_encrypted is None


def test_a_link_works_once_and_then_explains_itself(app, make_user):
    user = make_user(mfa=False)
    path = link_path(user)
    client = app.test_client()
    assert heading(get_page(client, path)) == "Set up your sign-in"
    assert client.post(path, data={"email": user.email, "password": TEST_PASSWORD}).status_code == 302
    secret = manual_key(client.get("/sign-in/set-up-authenticator"))
    assert client.post("/sign-in/set-up-authenticator", data={"code": totp_code(secret)}).status_code == 200

    again = app.test_client().get(path)

    assert heading(page(again, 404)) == "This set-up link cannot be used"


def test_an_expired_or_replaced_link_does_not_work(app, make_user):
    from sar.auth.models import EnrolmentLink

    user = make_user(mfa=False)
    first = link_path(user)
    second = link_path(user)  # a newer link replaces the first
    assert app.test_client().get(first).status_code == 404
    for link in db.session.scalars(select(EnrolmentLink)):
        link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    assert app.test_client().get(second).status_code == 404


def test_a_link_with_someone_elses_password_is_refused(app, make_user):
    owner = make_user(mfa=False)
    other = make_user(mfa=False)
    client = app.test_client()

    response = client.post(link_path(owner), data={"email": other.email, "password": TEST_PASSWORD})

    assert error_messages(page(response)) == ["Enter a correct email address and password"]
    assert client.get("/sign-in/set-up-authenticator").status_code == 302


def test_a_pending_sign_in_without_the_link_cannot_enrol(app, make_user):
    """Even a pending session that passed the password (by the link for another visit) must carry the link."""
    user = make_user(mfa=False)
    client = app.test_client()
    assert enrolment_step(client, user).status_code == 302
    db.session.rollback()
    enrolment.issue(user, by=SYSTEM)  # a newer link revokes the one this browser arrived by
    db.session.commit()

    assert client.get("/sign-in/set-up-authenticator").status_code == 302


def test_the_link_is_emailed_to_the_account_holder(app, make_user):
    user = make_user(mfa=False, full_name="Nia New")
    url = enrolment.issue(user, by=SYSTEM)
    db.session.commit()

    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "enrolment_link")).one()
    assert message.to_address == user.email and url in message.body and "works once" in message.body


def test_create_user_on_the_command_line_prints_the_set_up_link(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "first.admin@council.example", "--name", "First Admin"],
        input="a long enough passphrase\na long enough passphrase\n",
    )

    assert result.exit_code == 0, result.output
    assert re.search(r"Set-up link .*: http://127\.0\.0\.1:5000/sign-in/enrol/\S+", result.output)
