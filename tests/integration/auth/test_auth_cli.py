"""``flask --app sar create-user``: the first administrator."""

from __future__ import annotations

from sqlalchemy import select

from sar.audit import AuditEvent
from sar.auth.models import Role, User
from sar.extensions import db


def test_create_user_cli_makes_an_administrator(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "First.Admin@Council.example", "--name", "First Admin"],
        input="a long first password\na long first password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created first.admin@council.example" in result.output
    user = db.session.scalars(select(User).where(User.email == "first.admin@council.example")).one()
    assert user.roles == {Role.ADMIN} and not user.mfa_enrolled
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user_created")).one()
    assert event.actor_label == "create-user command"


def test_create_user_cli_refuses_bad_input_and_duplicates(app):
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["create-user", "--email", "a@council.example", "--name", "A", "--password", "short"],
    )
    assert short.exit_code != 0 and "12 characters or more" in short.output
    long_name = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@council.example",
            "--name",
            "N" * 201,
            "--password",
            "a long first password",
        ],
    )
    assert long_name.exit_code != 0 and "200 characters or fewer" in long_name.output
    ok = runner.invoke(
        args=["create-user", "--email", "a@council.example", "--name", "A", "--password", "a long first password"]
    )
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(
        args=["create-user", "--email", "A@council.example", "--name", "A", "--password", "a long first password"]
    )
    assert again.exit_code != 0 and "already exists" in again.output
    assert len(db.session.scalars(select(User)).all()) == 1


def test_create_user_cli_other_roles(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--email",
            "dpo@council.example",
            "--name",
            "D",
            "--role",
            "dpo",
            "--role",
            "auditor",
            "--password",
            "a long first password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User)).one()
    assert user.roles == {Role.DPO, Role.AUDITOR}
