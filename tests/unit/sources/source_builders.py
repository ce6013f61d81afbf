"""Files of every gathered format, built by the tests (no binary fixtures except the real Outlook samples)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from sar.sources.extract import Extraction, Limits, extract

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
REPO = Path(__file__).resolve().parents[3]


def shared_dir() -> Path:
    """The shared folder beside the repository (SAR_SHARED_DIR overrides); CI must have it."""
    folder = Path(os.environ.get("SAR_SHARED_DIR", REPO.parent / "shared"))
    if not (folder / "samples").is_dir():
        message = f"the shared samples folder is missing: {folder / 'samples'} (set SAR_SHARED_DIR)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


def text_pdf(lines: list[str], *, pages: int = 1, title: str = "", at: tuple[float, float] = (72, 760)) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    if title:
        c.setTitle(title)
    c.setCreator("tests")
    for page in range(pages):
        c.setFont("Helvetica", 12)
        for row, line in enumerate(lines):
            c.drawString(at[0], at[1] - 20 * row, line.replace("{page}", str(page + 1)))
        c.showPage()
    c.save()
    return buffer.getvalue()


def scan_image(words: str, *, size: tuple[int, int] = (2480, 3508), at: tuple[int, int] = (300, 400)) -> Image.Image:
    """An A4 page at 300 dpi with ``words`` printed in 48 px type (about 11.5 pt) at pixel ``at``."""
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).text(at, words, fill=0, font=ImageFont.truetype(FONT, 60))
    return image


def scan_pdf(words: str) -> bytes:
    """A PDF page that is only a picture of text, as a scanner makes."""
    buffer = io.BytesIO()
    scan_image(words).save(buffer, "PDF", resolution=300)
    return buffer.getvalue()


def email_message(
    *,
    subject: str = "Visit on Monday",
    body: str = "Dear Ms Jones,\nI visited Kayla on Monday.\nRegards, Sam",
    html: str | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Sam Patel <sam.patel@council.example>"
    message["To"] = "Jo Jones <jo.jones@council.example>"
    message["Cc"] = "Team Inbox <team@council.example>"
    message["Subject"] = subject
    message["Date"] = format_datetime(date or datetime(2024, 3, 5, 14, 30, tzinfo=UTC))
    message["Message-ID"] = message_id or make_msgid(domain="council.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, data, mime in attachments or []:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def docx_bytes(paragraphs: list[str], *, title: str = "", created: datetime | None = None) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if title:
        document.core_properties.title = title
    if created:
        document.core_properties.created = created
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pptx_bytes(slide_titles: list[str]) -> bytes:
    from pptx import Presentation

    deck = Presentation()
    for title in slide_titles:
        slide = deck.slides.add_slide(deck.slide_layouts[0])
        slide.shapes.title.text = title
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def rtf_bytes(text: str) -> bytes:
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24 " + text + "\\par}").encode("ascii")


def libreoffice_convert(source: Path, fmt: str) -> Path:
    """Let LibreOffice itself write an OpenDocument or PowerPoint file for the tests."""
    program = shutil.which("soffice")
    assert program, "LibreOffice is required for the Office tests (scripts/bootstrap.sh installs it)"
    profile = source.parent / "lo-profile"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return source.with_suffix("." + fmt.split(":")[0])


def zip_bytes(members: list[tuple[str, bytes]], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(name="run")
def run_fixture(tmp_path: Path) -> Callable[..., Extraction]:
    """Write ``data`` under ``name`` and extract it, as the gathering app would.

    Imported by each test module (not in a conftest.py: the redaction tests import their own
    ``conftest`` module by that name, and a second one in this folder would shadow it).
    """

    def _run(data: bytes, name: str = "file", *, limits: Limits | None = None, depth: int = 0) -> Extraction:
        source = tmp_path / "in" / name
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(data)
        return extract(source, original_name=name, workdir=tmp_path / "work", limits=limits or Limits(), depth=depth)

    return _run
