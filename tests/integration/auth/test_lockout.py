"""Failed sign-ins: identical answers whether or not an account exists, delays that grow, an email
to the account holder, and the change-password form limited the same way."""

from __future__ import annotations

import re
from datetime import timedelta

from auth_helpers import TEST_PASSWORD, password_step
from sqlalchemy import select
from support import error_messages, page

from sar.audit import AuditEvent
from sar.auth.models import User
from sar.db import utcnow
from sar.extensions import db
from sar.mail import OutboxMessage


def _errors(response) -> list[str]:
    return error_messages(page(response, response.status_code))


def _answer(response) -> tuple[int, str]:
    """What the person sees, with the email they typed taken out."""
    body = response.get_data(as_text=True)
    body = re.sub(r'value="[^"]*@[^"]*"', 'value=""', body)
    main = body[body.index("<main") :]
    return response.status_code, main


def test_unknown_and_delayed_accounts_get_exactly_the_same_answer(app, make_user):
    app.config["LOGIN_MAX_FAILURES"] = 5
    user = make_user()
    probe = app.test_client()
    for _ in range(6):
        password_step(probe, user.email, password="wrong password x")

    real = _answer(password_step(app.test_client(), user.email, password="wrong password y"))
    real_with_right_password = _answer(password_step(app.test_client(), user.email))
    unknown = _answer(password_step(app.test_client(), "nobody-here@council.example", password="wrong password y"))

    assert real == unknown == real_with_right_password
    assert "Enter a correct email address and password" in unknown[1]


def test_delays_grow_with_each_further_failure(app, make_user):
    app.config.update(LOGIN_MAX_FAILURES=3, LOGIN_DELAY_BASE_SECONDS=60, LOGIN_DELAY_MAX_SECONDS=600)
    user = make_user()
    client = app.test_client()
    waits = []
    for _ in range(8):
        before = utcnow()
        password_step(client, user.email, password="wrong password x")
        db.session.expire_all()
        current = db.session.get(User, user.id)
        if current.locked_until is None:
            waits.append(0)
            continue
        waits.append(round((current.locked_until - before).total_seconds() / 60))
        current.locked_until = utcnow() - timedelta(seconds=1)  # let the wait run out, then fail again
        db.session.commit()
    assert waits == [0, 0, 1, 2, 4, 8, 10, 10]


def test_attempts_during_a_delay_are_refused_without_making_it_longer(app, make_user):
    app.config.update(LOGIN_MAX_FAILURES=2)
    user = make_user()
    client = app.test_client()
    for _ in range(2):
        password_step(client, user.email, password="wrong password x")
    db.session.expire_all()
    until = db.session.get(User, user.id).locked_until

    for _ in range(3):
        password_step(client, user.email, password="wrong password x")

    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until == until
    assert db.session.get(User, user.id).failed_sign_ins == 2


def test_the_account_holder_is_emailed_once_an_hour_while_attacked(app, make_user):
    app.config.update(LOGIN_MAX_FAILURES=2, LOGIN_DELAY_BASE_SECONDS=1)
    user = make_user(full_name="Sam Target")
    client = app.test_client()
    for _ in range(5):
        password_step(client, user.email, password="wrong password x")
        db.session.expire_all()
        db.session.get(User, user.id).locked_until = None
        db.session.commit()

    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "sign_in_attack")).all()
    assert len(messages) == 1
    assert messages[0].to_address == user.email
    assert "failed attempts" in messages[0].subject
    assert "Sam Target" in messages[0].body and "If it was not you" in messages[0].body
    from sar.jobs import Job

    # Sent by the job worker at once, not at the next daily reminder run.
    assert db.session.scalars(select(Job).where(Job.name == "mail.deliver")).first() is not None


def _change(client, current: str):
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )


def test_change_password_failures_are_audited_and_slowed_like_sign_in(app, client_as, make_user):
    app.config["LOGIN_MAX_FAILURES"] = 3
    user = make_user()
    client = client_as(user=user)
    for _ in range(2):
        assert _errors(_change(client, "guess guess guess")) == ["Your current password is incorrect"]
    assert "too many wrong attempts" in " ".join(_errors(_change(client, "guess guess guess")))

    refused = _change(client, TEST_PASSWORD)  # the right password, but inside the delay

    assert "too many wrong attempts" in " ".join(_errors(refused))
    failures = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "password_change_failed")).all()
    assert len(failures) == 3 and all(event.actor_id == user.id for event in failures)
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "password_changed")).all()


def test_change_password_is_rate_limited_per_address(app, client_as, make_user):
    app.config["LOGIN_RATE_LIMIT"] = 2
    client = client_as(user=make_user())
    _change(client, "guess guess guess")
    _change(client, "guess guess guess")

    assert _change(client, TEST_PASSWORD).status_code == 429
