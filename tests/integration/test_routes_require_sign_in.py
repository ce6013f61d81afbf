"""Every route except a short list of public ones needs sign-in and declares the roles that may use it.

The test walks the real URL map, so a route added without ``roles_required`` or
``signed_in_any_role`` (sar/auth/access.py) fails here by name: an anonymous visitor must be sent
to sign in, and a signed-in member of staff without one of the route's roles must get 403.
"""

from __future__ import annotations

import fnmatch
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from flask_login import login_required
from support import base_test_config
from werkzeug.routing import IntegerConverter, Rule

from sar import create_app
from sar.auth.access import public, roles_required
from sar.auth.models import Role

# Views marked @public must match one of these: a route made public by mistake would expose
# children's records to anyone, so widening this list should be a deliberate, reviewed change.
ALLOWED_PUBLIC = (
    "static",
    "*.static",
    "web.healthz",
    "auth.*",  # sign-in, MFA enrolment and verification, sign-out
    "public_request.*",  # the public rights-request form, when it exists
    "upload_link.upload",  # a provider's one-time upload link for one search task (sar.sources.upload_views)
    # The requester's download page for a released bundle (sar.bundle.delivery.views.collect): the requester has no
    # account, so the 256-bit token in the emailed link is the credential (stored only as a hash, expiring, revocable,
    # limited downloads, rate-limited guesses); the file is AES-256 encrypted with a password sent on another channel,
    # and the page shows only the case reference and the link's expiry.
    "records.collect",
)
IGNORED_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    url: str
    view: Callable[..., Any]


def dummy_value(rule: Rule, argument: str) -> Any:
    """A value each URL converter accepts: the role check must fire before any lookup by id."""
    converter = rule._converters[argument]
    name = type(converter).__name__
    if isinstance(converter, IntegerConverter):  # also main's BoundedIntConverter (sar.urls), the app's <int:...>
        return 1
    if name == "FloatConverter":
        return 1.0
    if name == "UUIDConverter":
        return uuid.UUID(int=1)
    if name == "AnyConverter":
        return sorted(converter.items)[0]  # type: ignore[attr-defined]
    return "x"


def routes(app: Flask) -> Iterator[Route]:
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
            values = {argument: dummy_value(rule, argument) for argument in rule.arguments}
            for method in sorted((rule.methods or set()) - IGNORED_METHODS):
                url = url_for(rule.endpoint, **values)
                yield Route(rule.endpoint, method, url, app.view_functions[rule.endpoint])


def is_public(route: Route) -> bool:
    return route.endpoint == "static" or getattr(route.view, "is_public", False)


def sign_in_path(app: Flask) -> str:
    with app.test_request_context():
        return url_for("auth.sign_in")


def anonymous_problems(app: Flask) -> list[str]:
    """Routes that do not send an anonymous visitor to sign in, or that declare no roles."""
    problems = []
    client = app.test_client()
    expected = sign_in_path(app)
    for route in routes(app):
        if is_public(route):
            continue
        if not getattr(route.view, "required_roles", None):
            problems.append(f"{route.endpoint}: no roles declared (use roles_required or signed_in_any_role)")
        response = client.open(route.url, method=route.method)
        location = urlsplit(response.headers.get("Location", "")).path
        if response.status_code not in (302, 303) or location != expected:
            problems.append(
                f"{route.method} {route.url} ({route.endpoint}): anonymous visitor got {response.status_code}"
            )
    return problems


def public_problems(app: Flask) -> list[str]:
    return [
        f"{route.endpoint} is public but not in ALLOWED_PUBLIC"
        for route in routes(app)
        if is_public(route) and not any(fnmatch.fnmatch(route.endpoint, pattern) for pattern in ALLOWED_PUBLIC)
    ]


def test_every_route_sends_anonymous_visitors_to_sign_in_and_declares_roles(app: Flask) -> None:
    problems = anonymous_problems(app)

    assert not problems, "Routes not protected:\n" + "\n".join(problems)


def test_only_the_expected_routes_are_public(app: Flask) -> None:
    problems = public_problems(app)

    assert not problems, "\n".join(problems)


def test_staff_without_a_required_role_are_refused(app: Flask, client_as: Callable[..., FlaskClient]) -> None:
    clients: dict[frozenset[Role], FlaskClient] = {}
    problems = []
    checked = 0
    for route in routes(app):
        required = getattr(route.view, "required_roles", None)
        if is_public(route) or not required:
            continue  # reported by the anonymous test
        other_roles = frozenset(Role) - required
        if not other_roles:
            continue  # any member of staff may use it
        if other_roles not in clients:
            clients[other_roles] = client_as(*sorted(other_roles))
        response = clients[other_roles].open(route.url, method=route.method)
        checked += 1
        if response.status_code != 403:
            roles = ", ".join(sorted(other_roles))
            problems.append(
                f"{route.method} {route.url} ({route.endpoint}): user with {roles} got {response.status_code}"
            )

    assert not problems, "Routes that let in staff without the role:\n" + "\n".join(problems)
    assert checked > 0, "no role-restricted routes found: is the URL map empty?"


# The checks above must catch a careless new route; prove it on a throwaway app.


@pytest.fixture
def throwaway_app(request: pytest.FixtureRequest, tmp_path: Path) -> Flask:
    config = base_test_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}")
    return create_app(config)


def test_an_undecorated_route_is_caught(throwaway_app: Flask) -> None:
    @throwaway_app.get("/careless")
    def careless() -> str:
        return "children's records"

    problems = anonymous_problems(throwaway_app)

    assert "careless: no roles declared (use roles_required or signed_in_any_role)" in problems
    assert "GET /careless (careless): anonymous visitor got 200" in problems


def test_a_route_with_sign_in_but_no_roles_is_caught(throwaway_app: Flask) -> None:
    @throwaway_app.post("/half-done")
    @login_required
    def half_done() -> str:
        return "saved"

    problems = anonymous_problems(throwaway_app)

    assert problems == ["half_done: no roles declared (use roles_required or signed_in_any_role)"]


def test_an_unexpected_public_route_is_caught(throwaway_app: Flask) -> None:
    @throwaway_app.get("/open-door")
    @public
    def open_door() -> str:
        return "hello"

    assert public_problems(throwaway_app) == ["open_door is public but not in ALLOWED_PUBLIC"]


def test_a_properly_protected_route_passes(throwaway_app: Flask) -> None:
    @throwaway_app.get("/cases/<int:case_id>/secret")
    @roles_required(Role.DPO)
    def secret(case_id: int) -> str:
        return "ok"

    assert anonymous_problems(throwaway_app) == []
