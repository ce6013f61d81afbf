"""Steps several browser tests take the same way: a GOV.UK date, the intake form's "when and how did it arrive",
and the requester opening their download link on a phone and opening the bundle with the password."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page
from pypdf import PdfReader

LONDON = ZoneInfo("Europe/London")
PHONE = {"width": 390, "height": 844}


def fill_date(page: Page, group: str, day: int, month: int, year: int) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day))
    fieldset.get_by_label("Month").fill(str(month))
    fieldset.get_by_label("Year").fill(str(year))


def received_today(page: Page, how: str, at: str) -> date:
    """On the intake form: the request arrived ``how`` ("Email", "Post") today at ``at`` (London time); returns
    today's date there."""
    today = datetime.now(LONDON).date()
    page.get_by_role("group", name="How did the request arrive?").get_by_label(how).check()
    fill_date(page, "Date received", today.day, today.month, today.year)
    page.get_by_label("Time received").fill(at)
    return today


def open_on_a_phone(browser_session: Any, url: str) -> Page:
    """The requester's link opened in a phone-sized window of its own (no staff session)."""
    phone = browser_session.new_context().new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(url)
    return phone


def download_records(phone: Page, folder: Path, password: str) -> PdfReader:
    """Press "Download your records", save the file and open it with the password, as the requester would."""
    with phone.expect_download() as waiting:
        phone.get_by_role("button", name="Download your records").click()
    saved = folder / "records.pdf"
    waiting.value.save_as(saved)
    reader = PdfReader(saved)
    assert reader.is_encrypted and reader.decrypt(password)
    return reader
