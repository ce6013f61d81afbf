"""PDFs: page text with word boxes, and true redaction by render-and-burn.

Stages inside: open safely (``errors``), read page text (``text``, ``ocr``), apply reviewer
decisions (``decisions``), burn and rebuild pages (``burn``, ``redact``), write a sanitised file
(``sanitise``, ``writer``).
"""
