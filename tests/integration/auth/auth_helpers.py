"""Helpers for driving the real sign-in flow through the test client (imported by the auth tests)."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

# The password tests/conftest.py gives every account made by make_user.
TEST_PASSWORD = "correct horse battery staple"


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    """The code for the current 30-second step, or one step later (still accepted: clock drift)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def manual_key(response: TestResponse) -> str:
    match = re.search(r'id="manual-key">([A-Z2-7 ]+)<', response.get_data(as_text=True))
    assert match, "the enrolment page shows the key for manual entry"
    return match.group(1).replace(" ", "")


def recovery_codes(response: TestResponse) -> list[str]:
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.get_data(as_text=True))


def password_step(client: FlaskClient, email: str, password: str = TEST_PASSWORD, **kwargs: str) -> TestResponse:
    return client.post("/sign-in", data={"email": email, "password": password}, **kwargs)


def enrolment_step(client: FlaskClient, user: Any, password: str = TEST_PASSWORD) -> TestResponse:
    """Follow a fresh one-time set-up link (as emailed to the user) and enter the password there."""
    from urllib.parse import urlsplit

    from sar.audit import SYSTEM
    from sar.auth import enrolment
    from sar.extensions import db

    url = enrolment.issue(user, by=SYSTEM)
    db.session.commit()
    return client.post(urlsplit(url).path, data={"email": user.email, "password": password})
