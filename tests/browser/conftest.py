"""Browser tests: the real app served over HTTP in a background thread, driven by Debian's chromium.

Run them with ``.venv/bin/pytest tests/browser`` (or ``-m browser``; ``-m "not browser"`` skips them).
They need Debian's ``chromium`` on PATH and the built assets (``npm run build``; scripts/bootstrap.sh
does both). Playwright's own browsers are never downloaded.

The live server runs on a temporary SQLite database seeded with the demo council (``sar.demo``), so
pages have realistic content; tests sign in through the real sign-in and MFA pages.

One browser per test session, a new browser context (fresh cookies) per test. Every page a test
visits runs under the application's real Content-Security-Policy, and the ``page`` fixture fails
the test if the browser reports a CSP violation or an uncaught script error. The accessibility
check (:func:`assert_accessible`) loads axe-core from the page's own origin through Playwright's
request interception, so it needs no CSP bypass and checks exactly the page the test is on.
"""

from __future__ import annotations

import re
import shutil
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pyotp
import pytest
import support
from flask import Flask
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Route,
    expect,
    sync_playwright,
)
from werkzeug.serving import BaseWSGIServer, make_server

from sar import PROJECT_ROOT, calendar, create_app, demo
from sar.audit import SYSTEM
from sar.auth.models import Role
from sar.extensions import db

BUILT_CSS = PROJECT_ROOT / "sar" / "static" / "build" / "sar.css"
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe-core is served as if it were one of the app's own files, so script-src 'self' allows it.
AXE_PATH = "/__browser-tests__/axe.min.js"


# Generous waits: the suite runs beside other workers on busy CI machines, and a slow page is not a broken one.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in a container
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    """The running application and helpers to set up its data through the service layer."""

    app: Flask
    url: str
    password: str  # every test account's password

    def create_user(self, *roles: Role, full_name: str = "Browser Test Officer", team_name: str | None = None) -> str:
        """A new account (no MFA yet: it enrols at first sign-in); returns its email."""
        from sar.auth import service
        from sar.auth.teams import find_team_by_name

        email = f"{uuid.uuid4().hex[:10]}@council.example"
        with self.app.app_context():
            team = find_team_by_name(team_name) if team_name else None
            assert team_name is None or team is not None, f"no team called {team_name}"
            user = service.create_user(
                email=email,
                full_name=full_name,
                password=self.password,
                roles=roles or (Role.IG_OFFICER,),
                team=team,
                by=SYSTEM,
            )
            from sar.auth import enrolment

            enrolment.issue(user, by=SYSTEM)  # emailed, as for any new account; read back from the outbox
            db.session.commit()
        return email

    def enrolment_link(self, email: str) -> str | None:
        """The path of the newest one-time set-up link emailed to ``email`` (read from the outbox)."""
        from sqlalchemy import select

        from sar.mail import OutboxMessage

        with self.app.app_context():
            body = db.session.scalars(
                select(OutboxMessage.body)
                .where(OutboxMessage.to_address == email, OutboxMessage.kind == "enrolment_link")
                .order_by(OutboxMessage.id.desc())
            ).first()
        found = re.search(r"https?://[^/\s]+(/sign-in/enrol/\S+)", body or "")
        return found.group(1) if found else None


@pytest.fixture(scope="session")
def live_server(pytestconfig: pytest.Config) -> Iterator[LiveServer]:
    if not BUILT_CSS.exists():
        pytest.fail(
            f"{BUILT_CSS.relative_to(PROJECT_ROOT)} is missing: build the front-end assets first "
            "(`npm run build`, which scripts/bootstrap.sh runs).",
            pytrace=False,
        )
    with tempfile.TemporaryDirectory(prefix="sar-browser-") as tmp:
        tmp_path = Path(tmp)
        config = support.base_test_config(tmp_path, f"sqlite:///{tmp_path / 'browser.sqlite'}")
        config.update(
            {
                "WTF_CSRF_ENABLED": True,  # the browser posts real forms with real tokens
                # Every test signs in from 127.0.0.1; the per-address limit is tested elsewhere.
                "LOGIN_RATE_LIMIT": 10_000,
            }
        )
        app = create_app(config)
        with app.app_context():
            db.create_all()
            # The demo council (sar.demo), so every page has realistic content to render and check.
            seeded = demo.seed(calendar.today())
            demo._enrolment_links(seeded.users)  # emailed set-up links, as `make demo` prints them
            db.session.commit()
        port = _free_port()
        server: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="sar-live-server", daemon=True)
        thread.start()
        try:
            yield LiveServer(app=app, url=f"http://127.0.0.1:{port}", password=support.TEST_PASSWORD)
        finally:
            server.shutdown()
            thread.join(timeout=10)
            with app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not on PATH: run scripts/bootstrap.sh dev", pytrace=False)
    chromium = playwright_instance.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


_GOVUK_COMPONENT_ERROR = re.compile(
    r"\b(GOVUKFrontendError|SupportError|ElementError|InitError|ConfigError)\b|GOV\.UK Frontend"
)


@dataclass
class BrowserProblems:
    """What the browser complained about while a test ran."""

    csp_violations: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(message.text)
        elif _GOVUK_COMPONENT_ERROR.search(message.text):
            # GOV.UK Frontend catches a component that fails to start and only logs it.
            self.script_errors.append(message.text)

    def on_page_error(self, error: Exception) -> None:
        self.script_errors.append(str(error))


def _serve_axe(route: Route) -> None:
    route.fulfill(path=str(AXE_JS), content_type="text/javascript")


STATIC_DIR = PROJECT_ROOT / "sar" / "static"


def _serve_static(route: Route) -> None:
    """The built CSS and JavaScript, straight from disk.

    Werkzeug's development server occasionally leaves a static file open when the browser drops a
    request half-way (navigating on while a script downloads); the ResourceWarning that causes turns
    into a failure of whatever test happens to be running when it is garbage-collected. The pages
    themselves always come from the app, with its headers and Content-Security-Policy.
    """
    relative = urlparse(route.request.url).path.removeprefix("/static/")
    file = (STATIC_DIR / relative).resolve()
    if file.is_file() and STATIC_DIR.resolve() in file.parents:
        route.fulfill(path=str(file))
    else:
        route.continue_()


class BrowserSession:
    """The browser contexts one test opens; each has the app's base URL and reports problems."""

    def __init__(self, browser: Browser, server: LiveServer) -> None:
        self.browser = browser
        self.server = server
        self.problems = BrowserProblems()
        self.contexts: list[BrowserContext] = []

    def new_context(self, storage_state: Any = None) -> BrowserContext:
        new_context = self.browser.new_context(
            base_url=self.server.url, locale="en-GB", timezone_id="Europe/London", storage_state=storage_state
        )
        new_context.set_default_timeout(TIMEOUT_MS)
        new_context.route(f"{self.server.url}{AXE_PATH}", _serve_axe)
        new_context.route(f"{self.server.url}/static/**", _serve_static)
        new_context.on("console", self.problems.on_console)
        new_context.on("weberror", lambda web_error: self.problems.on_page_error(web_error.error))
        self.contexts.append(new_context)
        return new_context

    def close(self) -> None:
        for opened in self.contexts:
            opened.close()

    def assert_no_problems(self) -> None:
        assert not self.problems.csp_violations, "Content-Security-Policy violations:\n" + "\n".join(
            self.problems.csp_violations
        )
        assert not self.problems.script_errors, "Uncaught script errors:\n" + "\n".join(self.problems.script_errors)


@pytest.fixture
def browser_session(browser: Browser, live_server: LiveServer) -> Iterator[BrowserSession]:
    """Fails the test if any page it visited broke the Content-Security-Policy or threw a script error."""
    session = BrowserSession(browser, live_server)
    yield session
    session.close()
    session.assert_no_problems()


@pytest.fixture
def browser_problems(browser_session: BrowserSession) -> BrowserProblems:
    return browser_session.problems


@pytest.fixture
def page(browser_session: BrowserSession) -> Page:
    """A page in a fresh context (no cookies), under the app's real Content-Security-Policy."""
    return browser_session.new_context().new_page()


# --- accessibility ------------------------------------------------------------------------------

BLOCKING_IMPACTS = ("serious", "critical")


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(str(t) for t in node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page: Page, *, what: str = "") -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PATH)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"Accessibility problems on {what or page.url}:\n" + format_violations(blocking)


@pytest.fixture
def axe() -> Callable[..., None]:
    """``axe(page)`` runs the accessibility check on the page as it is now (see :func:`assert_accessible`)."""
    return assert_accessible


# --- signing in ----------------------------------------------------------------------------------

_RECOVERY_CODE = re.compile(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b")
_SECRET_GROUPS = re.compile(r"\b([A-Z2-7]{4}(?: [A-Z2-7]{1,4}){3,})\b")


@dataclass
class StaffAccount:
    """A test account and what its authenticator app would know."""

    email: str
    password: str
    roles: tuple[Role, ...]
    totp_secret: str | None = None
    enrolment_link: str | None = None  # the one-time set-up link emailed to a new account
    last_step: int = -1  # the server refuses a code from this 30-second step or any earlier one
    recovery_codes: list[str] = field(default_factory=list)

    def next_code(self) -> str:
        """A TOTP code the server will accept now: the current step, or the next if this one was used."""
        assert self.totp_secret, "this account has not set up MFA yet"
        totp = pyotp.TOTP(self.totp_secret)
        now_step = totp.timecode(datetime.now(UTC))
        step = max(now_step, self.last_step + 1)
        while step > now_step + 1:  # the server allows one step of drift ahead, no more
            time.sleep(1)
            now_step = totp.timecode(datetime.now(UTC))
        self.last_step = step
        return totp.generate_otp(step)


class Staff:
    """Accounts for the browser tests, each signed in through the real pages once per test session.

    Later tests reuse the signed-in cookies (Playwright's storage state), which keeps the run fast
    and avoids waiting for a fresh TOTP step on every sign-in.
    """

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.accounts: dict[tuple[Role, ...], StaffAccount] = {}
        self.states: dict[tuple[Role, ...], Any] = {}

    @staticmethod
    def secret_shown_on(page: Page) -> str:
        """The set-up key offered, for people whose app cannot scan the QR code, behind "I cannot scan"."""
        page.get_by_text(re.compile("cannot scan", re.IGNORECASE)).first.click()  # waits for the page to load
        main = page.locator("main")
        expect(main).to_contain_text(_SECRET_GROUPS)
        match = _SECRET_GROUPS.search(main.inner_text())
        assert match, "the enrolment page does not show the secret key as text"
        return match.group(1).replace(" ", "")

    @staticmethod
    def enter_password(page: Page, account: StaffAccount) -> None:
        """The password step; a new account takes it on the page its emailed set-up link opens."""
        page.goto(account.enrolment_link if account.enrolment_link and not account.totp_secret else "/sign-in")
        page.get_by_label("Email address").fill(account.email)
        page.get_by_label("Password", exact=True).fill(account.password)
        page.get_by_role("button", name="Continue").click()

    @staticmethod
    def complete_sign_in(page: Page, account: StaffAccount) -> None:
        """From the password step on: set up MFA the first time, or enter a code; ends on the landing page."""
        page.wait_for_url(re.compile(r"/sign-in/(set-up-authenticator|security-code)"))
        page.wait_for_load_state()
        if "/set-up-authenticator" in page.url:
            account.totp_secret = Staff.secret_shown_on(page)
            account.enrolment_link = None
            page.get_by_label("Code from your authenticator app").fill(account.next_code())
            page.get_by_role("button", name="Continue").click()
            account.recovery_codes = Staff.recovery_codes_on(page)
            page.get_by_role("button", name=re.compile("saved these codes|continue", re.IGNORECASE)).first.click()
        else:
            page.get_by_label("Security code").fill(account.next_code())
            page.get_by_role("button", name="Continue").click()

    @staticmethod
    def recovery_codes_on(page: Page) -> list[str]:
        expect(page.locator("main")).to_contain_text(_RECOVERY_CODE)
        return _RECOVERY_CODE.findall(page.locator("main").inner_text())

    def new_account(self, *roles: Role, full_name: str = "Browser Test Officer") -> StaffAccount:
        email = self.server.create_user(*roles, full_name=full_name)
        return StaffAccount(
            email=email, password=self.server.password, roles=roles, enrolment_link=self.server.enrolment_link(email)
        )

    def existing_account(self, email: str, password: str, *roles: Role) -> StaffAccount:
        """An account made some other way (an administrator's form), to sign in with."""
        link = self.server.enrolment_link(email)
        return StaffAccount(email=email, password=password, roles=roles, enrolment_link=link)

    def account(self, *roles: Role) -> StaffAccount:
        key = tuple(sorted(roles))
        if key not in self.accounts:
            label = " and ".join(role.label for role in key)
            self.accounts[key] = self.new_account(*key, full_name=f"Test {label}")
        return self.accounts[key]

    def page_as(self, session: BrowserSession, *roles: Role) -> Page:
        key = tuple(sorted(roles))
        account = self.account(*key)
        if key in self.states:
            reused = session.new_context(storage_state=self.states[key]).new_page()
            reused.goto("/")
            return reused
        context = session.new_context()
        signed_in = context.new_page()
        self.enter_password(signed_in, account)
        self.complete_sign_in(signed_in, account)
        expect(signed_in.get_by_role("button", name="Sign out")).to_be_visible()
        self.states[key] = context.storage_state()
        return signed_in


@pytest.fixture(scope="session")
def staff(live_server: LiveServer) -> Staff:
    return Staff(live_server)


class SharedPages:
    """One signed-in page per role, kept open across tests that only read (the every-page sweep).

    Reusing the context keeps the sweep fast (assets and axe are cached); each test still checks
    that nothing it did broke the CSP or threw a script error, via :meth:`check_and_reset`.
    """

    def __init__(self, session: BrowserSession, staff: Staff) -> None:
        self.session = session
        self.staff = staff
        self.pages: dict[Role | None, Page] = {}

    def page_for(self, role: Role | None) -> Page:
        if role not in self.pages:
            self.pages[role] = (
                self.session.new_context().new_page() if role is None else self.staff.page_as(self.session, role)
            )
        return self.pages[role]

    def check_and_reset(self) -> None:
        try:
            self.session.assert_no_problems()
        finally:
            self.session.problems.csp_violations.clear()
            self.session.problems.script_errors.clear()


@pytest.fixture(scope="module")
def shared_pages(browser: Browser, live_server: LiveServer, staff: Staff) -> Iterator[SharedPages]:
    session = BrowserSession(browser, live_server)
    yield SharedPages(session, staff)
    session.close()


@pytest.fixture
def page_as(staff: Staff, browser_session: BrowserSession) -> Callable[..., Page]:
    """``page_as(Role.IG_OFFICER)``: a page in a new context, signed in (with MFA) as a user with those roles."""

    def make(*roles: Role) -> Page:
        return staff.page_as(browser_session, *roles)

    return make
