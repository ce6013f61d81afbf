"""Every page of the service, opened in the browser by someone allowed to see it, passes axe-core.

The list of pages is the application's own URL map, so a page added later is checked here without
anyone remembering to add it. Ids in URLs come from the demo council the live server was seeded
with (sar.demo), so each page renders real content rather than an empty state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sar import create_app
from sar.auth.models import Role, Team, User

pytestmark = pytest.mark.browser

# GET endpoints that are not HTML pages, or that only make sense in the middle of a flow tested elsewhere.
NOT_PAGES = {
    "static": "files",
    "web.healthz": "JSON for the load balancer (test_errors_and_keyboard.py)",
    "cases.export_people": "people.json download",
    "audit.export_csv": "CSV download",
    "dashboard.request_log_csv": "CSV download",
    "letters.download_letter": "PDF download (tests/integration/letters)",
    "bundle.download_released": "the released, encrypted PDF (tests/integration/bundle/test_gate.py)",
    "bundle.schedule": "the redaction schedule PDF download (tests/integration/bundle/test_gate.py)",
    "sources.evidence_file": "an evidence file download (tests/integration/sources/test_evidence_files.py)",
    "auth.set_up_mfa": "only reachable between password and MFA (test_sign_in.py)",
    "auth.verify_mfa": "only reachable between password and MFA (test_sign_in.py)",
    "review.page_image": "PNG image of a page (test_review.py)",
    "delivery.password_letter": "PDF download (tests/integration/delivery)",
    "delivery.print_ready": "PDF download (tests/integration/delivery)",
}
NOT_PAGE_SUFFIXES = (".csv", ".json")
ROLE_PREFERENCE = (Role.IG_OFFICER, Role.DPO, Role.AUDITOR, Role.ADMIN, Role.RECORD_HOLDER)


def _get_endpoints() -> list[tuple[str, str]]:
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "collect"})
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES or rule.rule.endswith(NOT_PAGE_SUFFIXES):
            continue
        found.append((rule.endpoint, rule.rule))
    return sorted(found)


ENDPOINTS = _get_endpoints()


def _role_for(view: Any, endpoint: str) -> Role | None:
    """Who opens the page: nobody for public pages, else the most natural role the view accepts."""
    if getattr(view, "is_public", False):
        return None
    allowed: frozenset[Role] = getattr(view, "required_roles", frozenset())
    assert allowed, f"{endpoint} declares neither @public nor the roles that may use it"
    if endpoint.startswith("admin.") and Role.ADMIN in allowed:
        return Role.ADMIN
    if endpoint.startswith("audit.") and Role.AUDITOR in allowed:
        return Role.AUDITOR
    return next(role for role in ROLE_PREFERENCE if role in allowed)


@pytest.fixture(scope="module")
def ids(live_server: Any, staff: Any) -> dict[str, Any]:
    """Ids of a well-filled demo case and of the things around it, for the URLs' parameters."""
    from sar.audit import SYSTEM, AuditEvent
    from sar.auth import enrolment
    from sar.auth import service as accounts
    from sar.bundle.letters.models import Letter
    from sar.cases.models import Case, CaseStatus, PersonRole, RequesterType
    from sar.clock.models import ClockEvent
    from sar.jobs import Job, JobStatus

    with live_server.app.app_context():
        from sar.extensions import db

        cases = db.session.scalars(
            select(Case).where(Case.status != CaseStatus.CLOSED, Case.requester_type == RequesterType.PARENT_PR)
        ).all()
        from sar.sources.models import Document

        gathered = set(db.session.scalars(select(Document.case_id)))
        case = next(c for c in cases if c.competence is not None and c.evidence and c.id in gathered)
        person = next(p for p in case.people if p.role is PersonRole.THIRD_PARTY)
        found: dict[str, Any] = {
            "case_id": case.id,
            "person_id": person.id,
            "evidence_id": case.evidence[0].id,
            "user_id": db.session.scalars(select(User).where(User.email.like("priya.raman@%"))).one().id,
            "team_id": db.session.scalars(select(Team).order_by(Team.id)).first().id,  # type: ignore[union-attr]
            "audit_event_id": db.session.scalars(
                select(AuditEvent.id).where(AuditEvent.action == "case.created").order_by(AuditEvent.id.desc())
            ).first()
            or 0,
        }
        letter = db.session.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id)).first()
        assert letter is not None, "the demo writes an acknowledgement on every case past receipt"
        found["letter_id"] = letter.id
        found["template_id"] = letter.template_id
        event = db.session.scalars(
            select(ClockEvent).join(Case).where(Case.status != CaseStatus.CLOSED).order_by(ClockEvent.id)
        ).first()
        assert event is not None, "the demo council has clock events on open cases"
        found["clock_event_id"], found["clock_case_id"] = event.id, event.case_id
        # A job part-way through, so the progress page shows its bar.
        job = Job(
            name="clock.send_reminders",
            payload={},
            status=JobStatus.RUNNING,
            attempts=1,
            progress_done=3,
            progress_total=10,
            progress_message="Checking cases due this week",
        )
        db.session.add(job)
        # A new account's emailed set-up link, for the enrolment page.
        newcomer = accounts.create_user(
            email="sam.newcomer@council.example",
            full_name="Sam Newcomer",
            password="a long enough pass phrase for the test",
            roles=(Role.IG_OFFICER,),
            team=None,
            by=SYSTEM,
        )
        found["token"] = enrolment.issue(newcomer, by=SYSTEM).rsplit("/", 1)[1]
        db.session.commit()
        found["job_id"] = job.id
        # A one-time set-up link, for a new account of its own: issuing one revokes that account's older links.
        from sar.audit import SYSTEM
        from sar.auth import enrolment
        from sar.auth import service as accounts

        newcomer = accounts.create_user(
            email="every-page.newcomer@council.example",
            full_name="Every Page Newcomer",
            password=live_server.password,
            roles=(Role.IG_OFFICER,),
            team=None,
            by=SYSTEM,
        )
        found["enrolment_token"] = enrolment.issue(newcomer, by=SYSTEM).rstrip("/").rpartition("/")[2]
        db.session.commit()
        found.update(_gathering_ids(case, staff))
        # Review's document (read and detected, with decisions) stands in for the gathered one: it is a document of
        # the same case, so gathering's document pages show it too.
        found.update(_review_ids(live_server, case.id))
        found.update(_delivery_ids(live_server, case.id))
        return found


def _gathering_ids(case: Any, staff: Any) -> dict[str, Any]:
    """A document of the case (read into pages), an open search task given to the test record holder so that
    "My tasks" has real content, and a fresh upload link for the public upload page."""
    from sar.extensions import db
    from sar.sources import links
    from sar.sources.models import Document, DocumentStatus, SearchTask, TaskStatus

    document = db.session.scalars(
        select(Document).where(Document.case_id == case.id, Document.status == DocumentStatus.READY)
    ).first()
    task = db.session.scalars(
        select(SearchTask).where(SearchTask.case_id == case.id, SearchTask.status == TaskStatus.OPEN)
    ).first()
    assert document is not None and task is not None, "the demo gives the chosen case documents and open searches"
    holder_email = staff.account(Role.RECORD_HOLDER).email
    holder = db.session.scalars(select(User).where(User.email == holder_email)).one()
    holder.team_id = task.team_id  # the test record holder works in the team the search was sent to
    officer = db.session.scalars(select(User).where(User.email.like("priya.raman@%"))).one()
    _, token = links.create_link(task, recipient="Browser test provider", by=officer)
    db.session.commit()
    return {"document_id": document.id, "task_id": task.id, "token": token}


def _review_ids(live_server: Any, case_id: int) -> dict[str, Any]:
    """Documents read and detected in the case, an inconsistency and a consultation, so every review page
    (and every review form) has something to show."""
    from sar.extensions import db
    from sar.review import service
    from sar.review.models import Outcome, ReviewFinding
    from sar.sources.models import Document
    from tests.browser.review_data import add_documents

    data = add_documents(live_server.app, case_id)
    from sar.auth.models import User as Staff

    officer = db.session.scalars(select(Staff).where(Staff.email.like("priya.raman@%"))).one()
    for document_id, action in ((data.letter_id, "redact"), (data.note_id, "keep")):
        for finding in db.session.scalars(
            select(ReviewFinding).where(ReviewFinding.document_id == document_id, ReviewFinding.role == "third_party")
        ):
            service.decide(finding, action, by=officer, code="TP")
    note = db.session.get_one(Document, data.note_id)
    service.withhold_page(note, 1, by=officer, code="HEALTH-SH", reason="CAMHS report")
    db.session.commit()
    assert db.session.scalar(select(ReviewFinding.id).where(ReviewFinding.outcome != Outcome.PENDING).limit(1))
    return {"document_id": data.letter_id, "number": 1, "code": "TP"}


def _delivery_ids(live_server: Any, case_id: int) -> dict[str, Any]:
    """A released bundle on the case (so the send-a-link form shows) and a link to it, for the requester's page."""
    from tests.browser.delivery_data import delivery_link, released_bundle

    released = released_bundle(live_server.app, case_id)
    link_id, token = delivery_link(live_server.app, released)
    return {"bundle_id": released.bundle_id, "link_id": link_id, "records_token": token}


def _url(endpoint: str, rule: str, ids: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "event_id":
            name = "audit_event_id" if endpoint.startswith("audit.") else "clock_event_id"
        elif name == "token" and endpoint.startswith("auth."):
            name = "enrolment_token"  # the upload page's <token> is an upload link's
        elif name == "token" and endpoint.startswith("records."):
            name = "records_token"  # the requester's download link
        elif name == "case_id" and "<int:event_id>" in rule and endpoint.startswith("clock."):
            name = "clock_case_id"  # the case the clock event belongs to
        assert ids.get(name), f"no demo id for <{name}> in {rule} ({endpoint}): add one to the ids fixture"
        return str(ids[name])

    return re.sub(r"<(?:\w+:)?(\w+)>", fill, rule)


def _open(endpoint: str, rule: str, ids: dict[str, Any], live_server: Any, shared_pages: Any) -> tuple[Any, str, Any]:
    """Open the page as a role allowed to see it; it must answer 200. Returns the browser page, its address and
    the role."""
    role = _role_for(live_server.app.view_functions[endpoint], endpoint)
    browser_page = shared_pages.page_for(role)
    url = _url(endpoint, rule, ids)
    response = browser_page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    return browser_page, url, role


@pytest.mark.parametrize(("endpoint", "rule"), ENDPOINTS, ids=[e for e, _ in ENDPOINTS])
def test_page_renders_and_is_accessible(
    endpoint: str, rule: str, ids: dict[str, Any], live_server: Any, shared_pages: Any, axe: Callable[..., None]
) -> None:
    browser_page, url, role = _open(endpoint, rule, ids, live_server, shared_pages)
    assert browser_page.url.endswith(url), f"{url} redirected to {browser_page.url}"
    expect(browser_page.locator("h1")).to_have_count(1)
    expect(browser_page.locator("h1")).to_be_visible()
    title = browser_page.title()
    assert title and not title.startswith("Error"), f"{url} has title {title!r}"
    axe(browser_page, what=f"{endpoint} ({url}) as {role.label if role else 'a visitor'}")
    shared_pages.check_and_reset()


# Forms whose submission with empty fields is legitimately accepted, or would destroy demo data other tests use.
FORMS_NOT_REFUSING_EMPTY = {
    "cases.remove_person": "a confirmation: submitting it removes the person",
    "cases.assign_owner": "a select with a current value: there is nothing to leave empty",
    "audit.verify_form": "a button, not a form with fields",
    "dashboard.deadlines": "GET filters",
    "cases.list_cases": "GET filters",
    "audit.events": "GET filters",
    "review.apply": "a confirmation showing the count: submitting it applies the decision (test_review.py)",
    "records.collect": "a button: submitting it downloads the records (test_delivery_page.py)",
}


def _form_endpoints() -> list[tuple[str, str]]:
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "collect"})
    found = []
    for rule in app.url_map.iter_rules():
        methods = rule.methods or set()
        skipped = rule.endpoint in NOT_PAGES or rule.endpoint in FORMS_NOT_REFUSING_EMPTY
        if "GET" in methods and "POST" in methods and not skipped:
            found.append((rule.endpoint, rule.rule))
    return sorted(found)


FORM_ENDPOINTS = _form_endpoints()

_CLEAR_FIELDS = """() => {
  for (const field of document.querySelectorAll('main form[method=post] input, main form[method=post] textarea')) {
    if (['text', 'email', 'password', 'tel', 'number', 'search', 'url', ''].includes(field.type)
        || field.tagName === 'TEXTAREA') { field.value = ''; }
    if (['radio', 'checkbox'].includes(field.type)) { field.checked = false; }
  }
}"""
_BROKEN_SUMMARY_LINKS = """() => Array.from(document.querySelectorAll('.govuk-error-summary a[href^="#"]'))
  .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))"""


@pytest.mark.parametrize(("endpoint", "rule"), FORM_ENDPOINTS, ids=[e for e, _ in FORM_ENDPOINTS])
def test_form_left_empty_shows_a_govuk_error_summary(
    endpoint: str, rule: str, ids: dict[str, Any], live_server: Any, shared_pages: Any, axe: Callable[..., None]
) -> None:
    """Every form refuses empty required answers the GOV.UK way: an error summary, focused, whose links work."""
    browser_page, url, _ = _open(endpoint, rule, ids, live_server, shared_pages)
    browser_page.evaluate(_CLEAR_FIELDS)
    browser_page.locator(
        "main form[method=post] button[type=submit], main form[method=post] input[type=submit]"
    ).last.click()

    summary = browser_page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert browser_page.title().startswith("Error: "), f"{endpoint}: the title must start with 'Error: '"
    assert browser_page.evaluate(_BROKEN_SUMMARY_LINKS) == [], f"{endpoint}: error summary links to missing fields"
    messages = summary.locator("li")
    expect(messages.first).to_be_visible()
    axe(browser_page, what=f"{endpoint} ({url}) with errors")
    shared_pages.check_and_reset()


def test_every_page_is_covered() -> None:
    """Guards the exclusions: everything left out above is still a real endpoint."""
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "collect"})
    assert set(NOT_PAGES) <= set(app.view_functions), "remove exclusions for endpoints that no longer exist"
    assert len(ENDPOINTS) >= 10
