"""Page images for the review page: rendered from the working PDF with pypdfium2 once, then kept.

The PNG goes into the encrypted file store (content-addressed) and ``review_page_images`` remembers its
key per document page, so a page is rendered the first time anyone opens it and read back after that.
Opening the working PDF is the slow part, so a request renders only the page it asks for.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sar.extensions import db
from sar.review.models import PageImage
from sar.sources.models import Document
from sar.storage import get_store

# 1.5 × 72 dpi: legible at the width of the review page, a 200-300 KB PNG for a typical letter page.
SCALE = 1.5


class NoImage(LookupError):
    """The document has no working PDF (or no such page): the text view is all there is."""


def page_png(document: Document, number: int) -> bytes:
    store = get_store()
    cached = db.session.scalars(
        select(PageImage).where(PageImage.document_id == document.id, PageImage.page_number == number)
    ).first()
    if cached is not None and store.exists(cached.file_key):
        return store.open(cached.file_key)
    if not document.working_key or not (1 <= number <= document.page_count):
        raise NoImage(f"document {document.id} has no page {number} to show")
    pdf = pdfium.PdfDocument(store.open(document.working_key))
    try:
        page = pdf[number - 1]
        bitmap = page.render(scale=SCALE)
        image = bitmap.to_pil()
        buffer = io.BytesIO()
        # Fast compression: level 1 is several times quicker than the default and the PNG only ~15% larger.
        image.save(buffer, format="PNG", compress_level=1)
        width, height = image.size
    finally:
        pdf.close()
    content = buffer.getvalue()
    stored = store.put(content)
    if cached is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    PageImage(
                        document_id=document.id, page_number=number, file_key=stored.key, width=width, height=height
                    )
                )
        except IntegrityError:
            pass  # another request rendered it at the same moment: the same image
    else:
        cached.file_key = stored.key
    return content
