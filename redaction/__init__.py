"""Third-party detection and true PDF redaction for subject access disclosures.

A pure library: it knows nothing of the web application, Flask or the database, so it can be
run from the command line (``python -m redaction``) and tested on its own. What is listed in
``__all__`` is the supported API; import from ``redaction``, not from the subpackages, which are
free to change. The pipeline, and the subpackage for each step:

1. page text with word boxes of a working PDF: :func:`page_texts` (``redaction.pdf.text``);
2. findings from a text and the case register: :class:`Detector`, :func:`detect_text`
   (``redaction.detect``), with :class:`CaseKnowledge` gathered once per case;
3. reviewer decisions over findings: :func:`load_decisions`, :class:`ReviewerDecisions`
   (``redaction.pdf.decisions``);
4. redacted pages: :func:`redact_pdf_file`, :func:`redact_pdf_with_register`
   (``redaction.pdf.redact``);
5. an independent check of the result: :func:`verify_pdf` (``redaction.verify``);
6. the copy that leaves, password-encrypted: :func:`encrypt_pdf` (``redaction.pdf.encrypt``).
"""

from redaction.detect.detector import CaseKnowledge, Detector, clean_text, detect_text
from redaction.detect.identifiers import nhs_valid, ni_valid, upn_valid
from redaction.detect.policy import Outcome, Policy
from redaction.detect.register import Person, PersonRole, Register, RegisterError, load_register
from redaction.model import ACTIONS, CATEGORIES, ROLES, Action, Area, Category, Finding, PageItem, Rect, Role, Span
from redaction.pdf.decisions import DecisionsError, ReviewerDecision, ReviewerDecisions, load_decisions
from redaction.pdf.encrypt import encrypt_pdf
from redaction.pdf.errors import PdfReadProblem
from redaction.pdf.ocr import OcrUnavailable, tesseract_available
from redaction.pdf.redact import (
    BoxRecord,
    RedactionReport,
    page_texts,
    redact_pdf,
    redact_pdf_file,
    redact_pdf_with_register,
    sanitise,
)
from redaction.pdf.text import PageText, TextSource, Word
from redaction.verify.check import Problem, VerifyReport, verify_pdf

__all__ = [
    "ACTIONS",
    "CATEGORIES",
    "ROLES",
    "Action",
    "Area",
    "BoxRecord",
    "CaseKnowledge",
    "Category",
    "DecisionsError",
    "Detector",
    "Finding",
    "OcrUnavailable",
    "Outcome",
    "PageItem",
    "PageText",
    "PdfReadProblem",
    "Person",
    "PersonRole",
    "Policy",
    "Problem",
    "Rect",
    "RedactionReport",
    "Register",
    "RegisterError",
    "ReviewerDecision",
    "ReviewerDecisions",
    "Role",
    "Span",
    "TextSource",
    "VerifyReport",
    "Word",
    "clean_text",
    "detect_text",
    "encrypt_pdf",
    "load_decisions",
    "load_register",
    "nhs_valid",
    "ni_valid",
    "page_texts",
    "redact_pdf",
    "redact_pdf_file",
    "redact_pdf_with_register",
    "sanitise",
    "tesseract_available",
    "upn_valid",
    "verify_pdf",
]
