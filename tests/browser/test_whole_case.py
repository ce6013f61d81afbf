"""One case from the request to the requester's download, through the pages: log the request, gather from a
connected system and an upload, review, sign off as a second person, build, release, send the link, download.

The background work (reading documents, detection, the connector's search, the build) runs in the job worker, which
the test runs between steps as the real worker would; everything a person does is done in the browser, except the
bulk "accept every sure proposal" which is the operator's command (`flask review accept-proposed`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from reportlab.pdfgen import canvas

from sar.auth.models import Role
from tests.browser.steps import download_records, fill_date, open_on_a_phone, received_today

pytestmark = pytest.mark.browser

SUBJECT = "Nadia Whitfield-Okoro"
THIRD_PARTY = "Declan Fairweather"
REQUESTER_EMAIL = "nadia.okoro@example.org"


def _run_jobs(live_server: Any) -> None:
    """Run the queued work to the end. A job that failed once (the live server held SQLite's write lock on a busy
    machine) waits for its retry: bring the retry forward rather than wait, up to a few rounds."""
    from sqlalchemy import select, update

    from sar.db import utcnow
    from sar.extensions import db
    from sar.jobs import Job, JobStatus, run_worker

    with live_server.app.app_context():
        for _ in range(5):
            run_worker(once=True)
            waiting = db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED)).all()
            if not waiting:
                break
            db.session.execute(update(Job).where(Job.id.in_(waiting)).values(run_after=utcnow()))
            db.session.commit()


def _record_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 780, f"Contact record: {SUBJECT} was seen at school by her social worker.")
    pdf.drawString(72, 764, f"{THIRD_PARTY} (a neighbour) told the school about the move to a new flat.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _log_request(page: Page) -> str:
    page.get_by_role("link", name="Log a request").first.click()
    received_today(page, "Email", "00:01")
    page.get_by_role("group", name="Which rights are being exercised?").get_by_label(
        "Access (a copy of their records)"
    ).check()
    page.get_by_label("What is the request for?").fill("All my records from when I was in care.")
    page.get_by_role("group", name="Which teams' records does it cover?").get_by_label("Children's Social Care").check()
    page.locator("input[name=requester_type][value=self]").check()  # the data subject, an adult
    page.get_by_label("Data subject's full name").fill(SUBJECT)
    fill_date(page, "Date of birth", 9, 7, 2004)
    page.locator("#subject_email").fill(REQUESTER_EMAIL)
    page.get_by_role("button", name="Log the request").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text(re.compile(r"Request logged as SAR-\d{4}-\d{5}"))
    found = re.search(r"SAR-\d{4}-\d{5}", banner.inner_text())
    assert found
    return found.group(0)


def test_a_whole_case_from_the_request_to_the_requesters_download(
    live_server: Any,
    page_as: Callable[..., Page],
    browser_session: Any,
    staff: Any,
    axe: Callable[..., None],
    tmp_path: Path,
) -> None:
    officer = page_as(Role.IG_OFFICER)

    # 1. Log the request.
    reference = _log_request(officer)
    case_url = officer.url
    case_id = int(re.search(r"/cases/(\d+)", case_url).group(1))  # type: ignore[union-attr]
    officer.get_by_role("link", name="Add a person to the register").click()
    officer.get_by_role("group", name="Role in the records").get_by_label("Third party").check()
    officer.get_by_label("Full name").fill(THIRD_PARTY)
    officer.get_by_label("Relationship to the data subject").fill("neighbour")
    officer.get_by_role("button", name="Save").click()
    expect(officer.get_by_role("table", name="People register")).to_contain_text(THIRD_PARTY)

    # 2. Gather: a connected system searched now, and a document uploaded.
    officer.goto(f"/cases/{case_id}/tasks")
    officer.get_by_role("button", name="Search it now").click()
    expect(officer.locator(".govuk-notification-banner")).to_contain_text("Searching")
    officer.goto(f"/cases/{case_id}/documents/add")
    officer.get_by_label("Files", exact=True).set_input_files(
        [{"name": "school-contact.pdf", "mimeType": "application/pdf", "buffer": _record_pdf()}]
    )
    officer.get_by_role("button", name="Add the files").click()
    expect(officer.locator("main")).to_contain_text("school-contact.pdf")
    _run_jobs(live_server)  # the connector's search, reading the files, detection
    officer.goto(f"/cases/{case_id}/tasks")
    expect(officer.locator("main")).not_to_contain_text("Searching")

    # 3. Review: the sure proposals accepted (the operator's bulk command), the case marked ready.
    result = live_server.app.test_cli_runner().invoke(
        args=["review", "accept-proposed", reference, "--as", staff.account(Role.IG_OFFICER).email]
    )
    assert result.exit_code == 0, result.output
    officer.goto(f"/cases/{case_id}/review")
    expect(officer.locator("main")).to_contain_text("school-contact.pdf")
    officer.get_by_role("button", name="Mark ready for sign-off").click()
    expect(officer.get_by_text("A second person (the DPO or another information governance officer)")).to_be_visible()

    # 4. Sign off as a second person.
    dpo = page_as(Role.DPO)
    dpo.goto(f"/cases/{case_id}/review")
    dpo.get_by_role("button", name="Sign off").click()
    expect(dpo.locator(".govuk-notification-banner")).to_contain_text("Signed off")

    # 5. Build, and release once the gate has passed.
    officer.goto(f"/cases/{case_id}/bundle")
    officer.get_by_role("button", name="Build the bundle").click()
    _run_jobs(live_server)
    officer.goto(f"/cases/{case_id}/bundle")
    expect(officer.locator("main")).to_contain_text("Checked: ready to release")
    axe(officer, what="the bundle, checked and ready to release")
    officer.get_by_role("button", name=re.compile("^Release")).first.click()
    password = officer.locator("#bundle-password").inner_text().strip()
    assert len(password) >= 12

    # 6. Send the link, with the password in a separate email.
    officer.goto(f"/cases/{case_id}")
    officer.get_by_role("region", name="Sending the records").get_by_role(
        "link", name=re.compile("Send a download link")
    ).click()
    officer.get_by_role("group", name="How should the requester get the password?").get_by_label(
        "A separate email"
    ).check()
    officer.get_by_label("The bundle's password").fill(password)
    officer.get_by_role("button", name="Send the link").click()
    expect(officer.get_by_role("heading", name="Download link sent")).to_be_visible()
    officer.get_by_text("The link, if the requester cannot find the email").click()
    url = officer.locator("#records-url").input_value()

    # 7. The requester downloads on a phone and opens the bundle with the password.
    phone = open_on_a_phone(browser_session, url)
    expect(phone.locator("main")).to_contain_text(reference)
    axe(phone, what="the requester's download page")
    reader = download_records(phone, tmp_path, password)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert reference in text and SUBJECT in text
    assert THIRD_PARTY not in text, "the third party's name is truly redacted from the requester's bundle"
