"""Fixtures for the intake tests: a client signed in as the officer who logs the cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sar.auth.models import User


@pytest.fixture
def officer_client(client_as: Callable[..., FlaskClient], officer: User) -> FlaskClient:
    return client_as(user=officer)


@pytest.fixture
def later_stages(app: Flask) -> Any:
    """Stand in for the gathering, review and bundle stages (not built yet) through the facts-provider interface:
    ``later_stages(review=ReviewFacts(...), bundle=BundleFacts(...))`` makes every case report those facts."""
    from sar.cases import facts as case_facts

    providers = app.extensions.setdefault("sar_case_facts_providers", {})
    saved = dict(providers)

    def report(**stages: Any) -> None:
        for stage in ("gathering", "review", "bundle"):
            providers.pop(stage, None)
        for stage, value in stages.items():
            case_facts.register_facts_provider(app, stage, lambda case, value=value: value)

    yield report
    providers.clear()
    providers.update(saved)
