"""PDFs built on the fly for the redaction and verification tests (no binary fixtures)."""

from __future__ import annotations

import io

import pikepdf
import pypdf
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

NAME = "Kayla Smith"
KEEP = "Ms Jones the social worker"
LINE = f"On Monday {NAME} visited. {KEEP} attended the meeting."


def text_pdf(
    lines: list[str] | None = None, pages: int = 1, *, author: str | None = None, font_size: int = 12
) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    if author:
        c.setAuthor(author)
    for _ in range(pages):
        c.setFont("Helvetica", font_size)
        for row, line in enumerate(lines or [LINE]):
            c.drawString(72, 760 - 1.7 * font_size * row, line)
        c.showPage()
    c.save()
    return buffer.getvalue()


def box_over_text() -> bytes:
    """The classic failure: a black rectangle drawn over text that is still there."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    c.setFont("Helvetica", 12)
    c.drawString(72, 760, LINE)
    c.setFillColorRGB(0, 0, 0)
    c.rect(130, 755, 70, 18, fill=1, stroke=0)
    c.showPage()
    c.save()
    return buffer.getvalue()


def text_image(text: str, size: tuple[int, int] = (1654, 400), font_size: int = 48) -> Image.Image:
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    draw.text((80, 120), text, fill=0, font=ImageFont.load_default(size=font_size))
    return image


def hidden_ocr_layer() -> bytes:
    """A scan-like image with an invisible (render mode 3) text layer under it, as OCR tools make."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    c.drawImage(ImageReader(text_image("Meeting notes")), 0, 700, width=595, height=144)
    text = c.beginText(72, 650)
    text.setTextRenderMode(3)
    text.setFont("Helvetica", 12)
    text.textLine(LINE)
    c.drawText(text)
    c.showPage()
    c.save()
    return buffer.getvalue()


def scanned_page(text: str = f"Visit by {NAME} today") -> bytes:
    """An image-only page: the words exist only as pixels."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.drawImage(ImageReader(text_image(text)), 0, 600, width=595, height=144)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _edit(data: bytes, change: object) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    change(pdf)  # type: ignore[operator]
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def with_xmp(data: bytes, creator: str = NAME) -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = [creator]

    return _edit(data, change)


def with_annotation(data: bytes, contents: str = f"Check with {NAME}") -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[100, 100, 120, 120],
            Contents=pikepdf.String(contents),
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))

    return _edit(data, change)


def with_attachment(data: bytes) -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, f"Notes about {NAME}".encode())

    return _edit(data, change)


def with_javascript(data: bytes) -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')"))
        pdf.Root.OpenAction = pdf.make_indirect(action)

    return _edit(data, change)


def incremental_update(data: bytes) -> bytes:
    """A later revision that hides the name, appended so the first revision is still in the file."""
    writer = pypdf.PdfWriter(io.BytesIO(data), incremental=True)
    writer.pages[0].merge_page(pypdf.PdfReader(io.BytesIO(text_pdf(["Updated"]))).pages[0])
    writer.add_metadata({"/Title": "Updated"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted(data: bytes) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    return out.getvalue()


def zero_pages() -> bytes:
    out = io.BytesIO()
    pikepdf.new().save(out)
    return out.getvalue()


def spans_of(text: str, needle: str) -> list[tuple[int, int]]:
    found = []
    start = text.find(needle)
    while start >= 0:
        found.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return found


def _ccitt_g4(image: Image.Image) -> bytes:
    """The CCITT Group 4 data of a 1-bit image, as a fax machine sends it (via a TIFF strip)."""
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF", compression="group4")
    tiff = Image.open(io.BytesIO(buffer.getvalue()))
    offset, length = tiff.tag_v2[273][0], tiff.tag_v2[279][0]
    return buffer.getvalue()[offset : offset + length]


def faxed_referral(lines: list[str] | None = None) -> bytes:
    """Page 1: typed text above a faxed image drawn inline with CCITT data and no end marker,
    as old fax-to-PDF software writes it (qpdf reports the page as damaged; PDFium draws it).
    Page 2: an ordinary text page."""
    fax = Image.new("1", (800, 200), 1)
    draw = ImageDraw.Draw(fax)
    draw.rectangle((40, 40, 760, 160), outline=0, width=6)
    draw.line((80, 100, 720, 100), fill=0, width=8)
    base = text_pdf(lines, pages=2)
    with pikepdf.open(io.BytesIO(base)) as pdf:
        page = pdf.pages[0]
        inline = (
            b"q 400 0 0 100 72 450 cm BI /W 800 /H 200 /BPC 1 /CS /G /F /CCF "
            b"/DP << /K -1 /Columns 800 /Rows 200 >> ID " + _ccitt_g4(fax) + b" Q"
        )
        page.contents_add(pikepdf.Stream(pdf, inline), prepend=False)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def page_darkness(pdf: bytes, index: int, rect: tuple[float, float, float, float], scale: float = 2.0) -> float:
    """Share of dark pixels inside a rectangle (PDF points, origin bottom-left) of a rendered page."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        height = page.get_size()[1]
        image = page.render(scale=scale).to_pil().convert("L")
        page.close()
    finally:
        doc.close()
    left, bottom, right, top = rect
    box = (round(left * scale), round((height - top) * scale), round(right * scale), round((height - bottom) * scale))
    histogram = image.crop(box).histogram()
    return sum(histogram[:80]) / max(sum(histogram), 1)
