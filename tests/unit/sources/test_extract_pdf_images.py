"""Born-digital PDFs, scans and images: pages, text, word boxes, OCR, children and refusals."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

import pypdf
import pypdfium2 as pdfium
from PIL import Image
from source_builders import (
    run_fixture,  # noqa: F401 - provides the "run" fixture
    scan_image,
    scan_pdf,
    text_pdf,
)

from sar.sources.extract import Extraction, Limits, PageText

Run = Callable[..., Extraction]


def word_box(page: PageText, word: str) -> tuple[float, float, float, float]:
    for start, end, x0, y0, x1, y1 in page.words:
        if page.text[start:end] == word:
            return (x0, y0, x1, y1)
    raise AssertionError(f"{word!r} not among the words of page {page.number}: {page.text!r}")


def test_born_digital_pdf_is_its_own_working_pdf_with_word_boxes_from_the_top_left(run: Run) -> None:
    data = text_pdf(["Kayla Smith was seen at home.", "Page {page} of the visit note"], pages=2, title="Visit note")
    result = run(data, "visit.pdf")
    assert result.refusal is None
    assert (result.kind, result.media_type, result.title) == ("pdf", "application/pdf", "Visit note")
    assert result.working_pdf is not None and result.working_pdf.read_bytes() == data
    assert [p.number for p in result.pages] == [1, 2]
    first = result.pages[0]
    assert "Kayla Smith was seen at home." in first.text and "Page 1 of the visit note" in first.text
    assert not first.ocr
    assert round(first.width) == 595 and round(first.height) == 842
    # drawn at x=72 pt, baseline 760 pt from the bottom: 82 pt from the top, the word box straddling that line.
    x0, y0, x1, y1 = word_box(first, "Kayla")
    assert 71 <= x0 <= 73 and x1 > x0
    assert 70 <= y0 < 82 < y1 <= 86
    assert word_box(first, "Page")[1] > y1  # the second line is lower on the page


def test_image_only_pdf_page_is_read_by_ocr_with_boxes_where_the_words_are(run: Run) -> None:
    result = run(scan_pdf("Kayla attended school"), "scan.pdf")
    assert result.refusal is None and result.kind == "pdf"
    page = result.pages[0]
    assert page.ocr
    assert "Kayla attended school" in page.text
    # printed at pixel (300, 400) of a 300 dpi page: 72 pt from the left, 96 pt from the top.
    x0, y0, x1, y1 = word_box(page, "Kayla")
    assert 70 <= x0 <= 76 and 94 <= y0 <= 104 and x1 > x0 + 20 and y1 > y0


def test_png_scan_is_ocred_and_kept_visible_in_the_working_pdf(run: Run) -> None:
    image = scan_image("Referral from the school nurse")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(300, 300))
    result = run(buffer.getvalue(), "photo.png")
    assert (result.kind, result.media_type) == ("image", "image/png")
    page = result.pages[0]
    assert page.ocr and "Referral from the school nurse" in page.text
    assert round(page.width) == 595 and round(page.height) == 842
    x0, y0, _x1, _y1 = word_box(page, "Referral")
    assert 70 <= x0 <= 76 and 94 <= y0 <= 104
    assert result.working_pdf is not None
    doc = pdfium.PdfDocument(str(result.working_pdf))
    objects = list(doc[0].get_objects())
    assert [o.type for o in objects] == [pdfium.raw.FPDF_PAGEOBJ_IMAGE]  # the scan itself, not a re-typeset copy
    doc.close()


def test_multi_page_ccitt_tiff_gives_one_ocr_page_per_frame(run: Run) -> None:
    frames = [
        scan_image("First page about contact").convert("1"),
        scan_image("Second page about placement").convert("1"),
    ]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", compression="group4", save_all=True, append_images=frames[1:], dpi=(300, 300))
    assert Image.open(io.BytesIO(buffer.getvalue())).info["compression"] == "group4"
    result = run(buffer.getvalue(), "scan.tif")
    assert (result.kind, result.media_type) == ("image", "image/tiff")
    assert [p.number for p in result.pages] == [1, 2]
    assert "First page about contact" in result.pages[0].text
    assert "Second page about placement" in result.pages[1].text
    assert result.working_pdf is not None and len(pypdf.PdfReader(result.working_pdf).pages) == 2


def test_jpeg_photo_is_read(run: Run) -> None:
    buffer = io.BytesIO()
    scan_image("Letter from the GP").convert("RGB").save(buffer, "JPEG", quality=90, dpi=(300, 300))
    result = run(buffer.getvalue(), "IMG_0001.JPG")
    assert result.media_type == "image/jpeg" and "Letter from the GP" in result.pages[0].text


def test_files_attached_inside_a_pdf_are_children(run: Run) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf(["Cover letter"]))))
    writer.add_attachment("minutes.txt", b"Minutes of the strategy meeting")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = run(buffer.getvalue(), "pack.pdf")
    assert [(c.name, c.relation) for c in result.children] == [("minutes.txt", "embedded file")]
    assert result.children[0].path.read_bytes() == b"Minutes of the strategy meeting"


def test_pdf_creation_date_is_the_document_date(run: Run) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf(["Dated letter"]))))
    writer.add_metadata({"/CreationDate": "D:20230214093000+01'00'", "/Author": "Jo Jones"})
    buffer = io.BytesIO()
    writer.write(buffer)
    result = run(buffer.getvalue(), "letter.pdf")
    assert result.document_date == datetime(2023, 2, 14, 8, 30, tzinfo=UTC)
    assert result.metadata["author"] == "Jo Jones"


def test_password_protected_pdf_is_refused_as_encrypted(run: Run) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf(["Secret"]))))
    writer.encrypt("letmein", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = run(buffer.getvalue(), "locked.pdf")
    assert result.refusal is not None and result.refusal.code == "encrypted"
    assert "password" in result.refusal.message
    assert result.working_pdf is None and result.pages == []


def test_damaged_pdf_and_damaged_picture_are_refused_as_corrupt(run: Run) -> None:
    pdf = run(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "broken.pdf")
    assert pdf.refusal is not None and pdf.refusal.code == "corrupt" and "damaged" in pdf.refusal.message
    buffer = io.BytesIO()
    scan_image("Half a photograph", size=(800, 800), at=(20, 20)).save(buffer, "PNG")
    picture = run(buffer.getvalue()[: len(buffer.getvalue()) // 2], "cut.png")
    assert picture.refusal is not None and picture.refusal.code == "corrupt"


def test_pdf_with_more_pages_than_allowed_is_refused_as_too_large(run: Run) -> None:
    result = run(text_pdf(["page {page}"], pages=4), "long.pdf", limits=Limits(max_pages=3))
    assert result.refusal is not None and result.refusal.code == "too_large" and "4 pages" in result.refusal.message


def test_picture_with_absurd_pixel_count_is_refused_not_decoded(run: Run) -> None:
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000), 1).save(buffer, "PNG")
    result = run(buffer.getvalue(), "huge.png")
    assert result.refusal is not None and result.refusal.code == "too_large"


def test_slow_ocr_is_stopped_and_refused_as_timeout(run: Run) -> None:
    buffer = io.BytesIO()
    scan_image("Some words to read").save(buffer, "PNG", dpi=(300, 300))
    result = run(buffer.getvalue(), "scan.png", limits=Limits(ocr_timeout_s=0.01))
    assert result.refusal is not None and result.refusal.code == "timeout"
    assert "too long" in result.refusal.message


def test_photo_taken_date_from_the_camera_is_the_document_date(run: Run) -> None:
    image = scan_image("Bedroom photograph").convert("RGB")
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2023:07:14 16:05:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, dpi=(300, 300))
    result = run(buffer.getvalue(), "photo.jpg")
    assert result.document_date == datetime(2023, 7, 14, 16, 5)


def test_word_boxes_follow_the_page_as_displayed_when_it_is_rotated_or_cropped(run: Run) -> None:
    source = pypdf.PdfReader(io.BytesIO(text_pdf(["Kayla Smith"])))
    writer = pypdf.PdfWriter()
    for rotation in (0, 90, 180, 270):
        writer.add_page(source.pages[0])
        writer.pages[-1].rotate(rotation)
    writer.add_page(source.pages[0])
    writer.pages[-1].cropbox = pypdf.generic.RectangleObject([50, 400, 400, 800])
    buffer = io.BytesIO()
    writer.write(buffer)
    result = run(buffer.getvalue(), "turned.pdf")
    doc = pdfium.PdfDocument(str(result.working_pdf))
    try:
        for page_text in result.pages:
            # Where the ink of "Kayla" is on the rendered page (1 pixel a point) is where its box must be.
            image = doc[page_text.number - 1].render(scale=1).to_pil().convert("L")
            assert abs(page_text.width - image.width) < 1 and abs(page_text.height - image.height) < 1
            x0, y0, x1, y1 = word_box(page_text, "Kayla")
            ink = image.crop((int(x0), int(y0), int(x1) + 1, int(y1) + 1))
            assert ink.getextrema()[0] < 128, f"no ink inside the box on page {page_text.number}"
            outside = image.copy()
            outside.paste(255, (int(x0) - 1, int(y0) - 1, int(x1) + 2, int(y1) + 2))
            word_smith = word_box(page_text, "Smith")
            outside.paste(
                255, (int(word_smith[0]) - 1, int(word_smith[1]) - 1, int(word_smith[2]) + 2, int(word_smith[3]) + 2)
            )
            assert outside.getextrema()[0] > 128, f"ink left outside the word boxes on page {page_text.number}"
    finally:
        doc.close()
