"""Test helpers every test module may import by name (``from support import ...``): the test configuration,
the databases the suite runs on, signing a client in, reading a page as HTML, and where the shared files are.

Kept apart from conftest.py, which pytest loads as a plugin and which cannot be imported reliably by name
(there are several conftest.py files), so no test reaches into pytest's plugin manager for a helper.
"""

from __future__ import annotations

import io
import os
import re
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from reportlab.pdfgen import canvas

from sar.audit import AuditEvent
from sar.auth.models import User
from sar.cases.models import CasePerson, PersonRole
from sar.extensions import db

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("SAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEST_PASSWORD = "correct horse battery staple"


def _postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


POSTGRES_AVAILABLE = _postgres_reachable()
if os.environ.get("CI") and not POSTGRES_AVAILABLE:
    raise RuntimeError("CI must run the suite against PostgreSQL too, but it is not reachable at " + POSTGRES_ADMIN_URL)

DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES_AVAILABLE else [])


# --- the shared folder (../shared: rules, eval corpus, samples) ------------------------------------------


def shared_dir() -> Path:
    """``SAR_SHARED_DIR``, by default ``../shared`` beside the project."""
    return Path(os.environ.get("SAR_SHARED_DIR") or PROJECT_ROOT.parent / "shared").resolve()


def eval_corpus() -> Path:
    """The shared labelled corpus. Missing is a failure with the reason, never a silent skip: a test that cannot
    see its data has not passed."""
    corpus = shared_dir() / "eval" / "corpus-dev"
    if not corpus.is_dir():
        raise AssertionError(
            f"The shared evaluation corpus is not at {corpus}. Set SAR_SHARED_DIR to the folder holding eval/."
        )
    return corpus


# --- apps, clients and pages -----------------------------------------------------------------------------


def fast_scratch_dir(tmp_path: Any) -> Any:
    """A folder in memory (tmpfs) when the machine has one: SQLite fsyncs every commit, and on
    this machine's disk that costs ~30 ms a commit, which made the suite spend minutes waiting."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="sar-test-", dir=shm))
        SCRATCH_DIRS.append(folder)
        return folder
    return tmp_path


SCRATCH_DIRS: list[Path] = []


def base_test_config(tmp_path: Any, database_url: str) -> dict[str, Any]:
    return {
        "ENV": "testing",
        "SECRET_KEY": "test-secret-key-" + uuid.uuid4().hex,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "FILE_ENCRYPTION_KEY": "kWs3xXt0pQdJ3Qdm5YgM2t1xM6m0R2rD7w7m9yWkq0s=",
        "FILE_STORE_PATH": str(tmp_path / "files"),
        "AUDIT_CHECKPOINT_PATH": str(tmp_path / "audit-checkpoints.log"),
        "WTF_CSRF_ENABLED": False,
        "COUNCIL_NAME": "Test Borough Council",
        "MAIL_HOST": "127.0.0.1",
        "MAIL_PORT": 1,  # nothing listens here unless a test starts a real SMTP server
    }


class FreshRequestClient(FlaskClient):
    """Each request starts with an empty ``g``, as it does in production.

    The ``app`` fixture keeps one app context pushed for the whole test, and Flask reuses it for
    every test-client request, so without this ``g`` (where Flask-Login caches the signed-in user)
    would carry the first request's user into every later request, from any client.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            for name in list(g):
                g.pop(name)
        return super().open(*args, **kwargs)


def sign_in_as(client: FlaskClient, user: User) -> FlaskClient:
    """Start a session for ``user`` as if they had passed password and MFA (sign-in itself is tested on its own)."""
    from flask_login.utils import _create_identifier

    from sar.auth import sessions
    from sar.extensions import db

    # Flask-Login's "strong" session protection binds the session to the browser's address and
    # user agent; compute that binding exactly as the test client will present it.
    with client.application.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
        # The server-side session row every request checks, as a completed sign-in creates it.
        token = sessions.create(user, method="test")
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session["_id"] = identifier
        session[sessions.TOKEN_KEY] = token
    return client


@contextmanager
def app_with_tables(config: dict[str, Any]) -> Iterator[Flask]:
    """An app on its own database with every table created, inside its app context; dropped afterwards."""
    from sar import create_app
    from sar.extensions import db

    application = create_app(config)
    application.test_client_class = FreshRequestClient
    with application.app_context():
        db.create_all()
        try:
            yield application
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def normalize_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page(response: Any, status: int = 200) -> BeautifulSoup:
    """A response as parsed HTML, after checking its status (Notify admin's ``client_request`` pattern): assert on
    what a reader sees (``page.select_one("h1")``), not on substrings of the markup."""
    assert response.status_code == status, f"expected {status}, got {response.status_code}"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def get_page(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    return page(client.get(url), status)


def post_page(client: FlaskClient, url: str, data: Any, status: int = 200) -> BeautifulSoup:
    return page(client.post(url, data=data), status)


def error_messages(html: BeautifulSoup) -> list[str]:
    """The error summary's messages, in order."""
    return [normalize_spaces(item.get_text()) for item in html.select(".govuk-error-summary__list li")]


# --- intake ----------------------------------------------------------------------------------------------


def form_token(client: FlaskClient) -> str:
    """A fresh one-time token from the intake form, as a browser would receive it."""
    page = client.get("/cases/new")
    assert page.status_code == 200, page.get_data(as_text=True)
    field = BeautifulSoup(page.data, "html.parser").find("input", {"name": "form_token"})
    assert field is not None
    return str(field["value"])


def intake_data(token: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid intake form: a parent asking for her son's records, received yesterday."""
    yesterday = datetime.now(UTC) - timedelta(days=1)
    data: dict[str, Any] = {
        "form_token": token,
        "channel": "email",
        "received_date": [str(yesterday.day), str(yesterday.month), str(yesterday.year)],
        "received_time": "10:15",
        "rights": ["access"],
        "description": "All records held by children's social care",
        "requester_type": "parent_pr",
        "requester_full_name": "Sharon Smith",
        "requester_relationship": "mother",
        "requester_address": "14 Elm Road, Netherfield, Calderbridge, hx3 5tt",
        "requester_phone": "07700900123",
        "requester_email": "sharon@example.com",
        "subject_full_name": "Kayla Marie Smith",
        "subject_aliases": "Kay\nKMS",
        "subject_date_of_birth": ["14", "3", "2014"],
        "subject_addresses": "14 Elm Road, Netherfield, Calderbridge HX3 5TT\n2 Mill Lane,  Calderbridge,hx41ab",
        "subject_nhs_number": "9434765919",
        "subject_ni_number": "",
    }
    data.update(overrides)
    return data


def add_people(case: Any) -> None:
    """A third party and a professional on the case's register."""
    from sar.audit import SYSTEM
    from sar.cases import service
    from sar.cases.models import PersonRole
    from sar.extensions import db

    service.add_person(
        case,
        PersonRole.THIRD_PARTY,
        service.PersonDetails(full_name="Christine Whitehead", relationship="mother", phones=("07418 245527",)),
        by=SYSTEM,
    )
    service.add_person(
        case,
        PersonRole.PROFESSIONAL,
        service.PersonDetails(
            full_name="Katy Cox",
            relationship="MASH social worker",
            job_title="MASH Social Worker",
            organisation="Eastholme MBC",
        ),
        by=SYSTEM,
    )
    db.session.commit()


# --- case data ----------------------------------------------------------------------------------------------


def register_person(role: PersonRole, name: str, position: int, relation: str = "", **fields: Any) -> CasePerson:
    """A person on a case's register with no aliases, addresses, phones or emails unless given."""
    lists: dict[str, Any] = {"aliases": [], "addresses": [], "phones": [], "emails": []}
    return CasePerson(role=role, full_name=name, relation=relation, position=position, **(lists | fields))


def pdf_of_pages(pages: list[list[str]]) -> bytes:
    """A born-digital PDF with a page for each list of lines, the same bytes every time (reportlab's invariant mode)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for lines in pages:
        y = 780
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- reading what a user sees ------------------------------------------------------------------------------


def text_of(element: Any) -> str:
    """An element's text as read on screen, spaces normalised ("" for a missing element)."""
    return normalize_spaces(element.get_text(" ")) if element is not None else ""


def response_text(response: Any) -> str:
    """All the text of a response's page, each piece stripped and joined by a space."""
    return BeautifulSoup(response.data, "html.parser").get_text(" ", strip=True)


def error_summary(response: Any) -> str:
    """The text of a response's error summary ("" when the page has none)."""
    summary = BeautifulSoup(response.data, "html.parser").select_one(".govuk-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def audit_events(action: str) -> list[AuditEvent]:
    """The audit events of one action, oldest first."""
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def heading(html: BeautifulSoup) -> str:
    """The page's main heading."""
    return text_of(html.select_one("h1"))


def field_error(html: BeautifulSoup, field_id: str) -> str:
    """The error message shown on one field (its GOV.UK form group), without the hidden "Error:" prefix."""
    target = html.find(id=field_id) or html.find(id=f"{field_id}-day")
    assert target is not None, f"no field {field_id} on the page"
    group = target.find_parent(class_="govuk-form-group")
    message = group.select_one(".govuk-error-message") if group is not None else None
    return text_of(message).removeprefix("Error:").strip()


def error_links(html: BeautifulSoup) -> dict[str, str]:
    """The error summary as message → the field it links to (``#id``)."""
    return {text_of(link): str(link.get("href")) for link in html.select(".govuk-error-summary__list a")}


def table_rows(html: BeautifulSoup, selector: str = "table") -> list[list[str]]:
    """The body rows of the first table matching ``selector``, as the text of each cell."""
    table = html.select_one(selector)
    assert table is not None, f"no table matching {selector!r}"
    body = table.select_one("tbody") or table
    return [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in body.find_all("tr")]


def table_headers(html: BeautifulSoup, selector: str = "table") -> list[str]:
    table = html.select_one(selector)
    assert table is not None, f"no table matching {selector!r}"
    return [text_of(cell) for cell in table.select("thead th")]


def pagination_links(html: BeautifulSoup) -> dict[str, str]:
    """The pagination's links as what a screen reader announces (its aria-label, or its text) → address."""
    return {
        str(link.get("aria-label") or text_of(link)): str(link["href"]) for link in html.select(".govuk-pagination a")
    }


def banners(html: BeautifulSoup) -> list[str]:
    """The messages in the page's notification banners (flashed messages), without their titles."""
    found = html.select(".govuk-notification-banner")
    return [text_of(banner.select_one(".govuk-notification-banner__content")) for banner in found]


def summary_rows(html: BeautifulSoup, selector: str = ".govuk-summary-list") -> dict[str, str]:
    """The GOV.UK summary lists matching ``selector`` as key → value, as read on screen (the first of a repeated
    key wins)."""
    rows: dict[str, str] = {}
    for row in html.select(f"{selector} .govuk-summary-list__row"):
        key = text_of(row.select_one(".govuk-summary-list__key"))
        rows.setdefault(key, text_of(row.select_one(".govuk-summary-list__value")))
    assert rows, f"no summary list rows matching {selector!r}"
    return rows


# --- a real SMTP server on loopback (aiosmtpd), for mail through the outbox: no mocks ----------------------


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        message = message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """An SMTP server the app's mail settings point at; started and stopped by the test (a server that is down
    is a case worth testing)."""

    def __init__(self, app: Flask) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None
        app.config.update(MAIL_HOST="127.0.0.1", MAIL_PORT=self.port, MAIL_FROM="sar@council.example")

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@contextmanager
def running_smtp(app: Flask) -> Iterator[Inbox]:
    """An SMTP server running for the ``with`` block; yields what it received."""
    server = SmtpServer(app)
    server.start()
    try:
        yield server.inbox
    finally:
        server.stop()
