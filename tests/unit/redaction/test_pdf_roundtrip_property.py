"""Whatever words are chosen for redaction, they are gone and every other word is still searchable."""

from __future__ import annotations

import pdf_fixtures as fx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redaction import Span, page_texts, redact_pdf, verify_pdf

# Distinct made-up words, none a part of another, so each can be searched for on its own.
WORDS = ["Zarnow", "Quillby", "Moxtead", "Fennick", "Orlaby", "Tusker", "Velmire", "Brackley", "Hollin", "Dunmore"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    order=st.permutations(WORDS),
    chosen=st.sets(st.integers(min_value=0, max_value=len(WORDS) - 1), min_size=1, max_size=5),
    font_size=st.sampled_from([8, 11, 16]),
)
def test_redacted_words_vanish_and_the_rest_stay(order: list[str], chosen: set[int], font_size: int) -> None:
    lines = [" ".join(order[:5]), " ".join(order[5:])]
    source = fx.text_pdf(lines, font_size=font_size)
    text = next(iter(page_texts(source))).text
    gone = [order[i] for i in sorted(chosen)]
    spans = [Span(s, e) for word in gone for s, e in fx.spans_of(text, word)]
    assert len(spans) == len(gone)

    out = redact_pdf(source, {0: spans})
    kept = [word for word in order if word not in gone]
    report = verify_pdf(out, gone, kept, use_ocr=False)
    assert report.clean, report.problems
