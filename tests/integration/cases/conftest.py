"""Fixtures for the intake tests: a client signed in as the officer who logs the cases."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from sar.auth.models import User


@pytest.fixture
def officer_client(client_as: Callable[..., FlaskClient], officer: User) -> FlaskClient:
    return client_as(user=officer)
