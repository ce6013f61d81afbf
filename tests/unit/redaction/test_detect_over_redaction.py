"""Capitalised words that are not people, and the people beside them.

Each test names a general rule for a class of over-redaction (an ordinary word, abbreviation,
firm or address read as a person's), with new sentences written for the test, none taken from a
corpus, and checks the person next to it is still hidden, so no rule buys precision with a leak.
"""

from __future__ import annotations

from conftest import action_at, redacted

from redaction import Detector


def _shown(detector: Detector, text: str, phrase: str, occurrence: int = 0) -> bool:
    """Nothing hides or queries ``phrase``: it stays on the page as written."""
    return action_at(detector.detect(text), text, phrase, occurrence) <= {"keep"}


# ---------------------------------------------------------------- ordinary words that are forenames
def test_a_closing_formula_is_not_a_name_but_the_signature_is(detector: Detector) -> None:
    for closing in ("Many thanks,", "Warm wishes,", "Best regards,"):
        text = f"Please send the minutes.\n\n{closing}\nZofia Nowak"
        assert _shown(detector, text, closing.split()[0]), closing
        assert redacted(detector.detect(text), text, "Zofia Nowak")


def test_a_label_or_heading_opened_by_a_forename_word_is_not_a_name(detector: Detector) -> None:
    text = "ASHGROVE CHILDREN'S HOME\nYoung person: Dariusz Wojcik\nKey worker: Ann Bell"
    assert _shown(detector, text, "Young")
    assert redacted(detector.detect(text), text, "Dariusz Wojcik")
    text = "Foster carer's diary - week 3\nDariusz went to football."
    assert _shown(detector, text, "Foster")


def test_a_name_opening_a_line_with_its_own_verb_is_still_a_name(detector: Detector) -> None:
    text = "Notes of the visit\nRose said: I do not want to go back there."
    assert redacted(detector.detect(text), text, "Rose")


def test_a_word_name_opening_a_sentence_before_a_persons_verb_is_a_name(detector: Detector) -> None:
    for text, name in (("Faith told me she was frightened.", "Faith"), ("Rose shouted at the carer.", "Rose")):
        assert redacted(detector.detect(text), text, name), text
    # an ordinary sentence opened by the same word is left alone
    text = "Faith is important to the family."
    assert _shown(detector, text, "Faith")


def test_will_or_may_opening_a_question_is_the_verb_not_a_name(detector: Detector) -> None:
    text = "Will Oliwia settle with the new carers?"
    found = detector.detect(text)
    assert _shown(detector, text, "Will")
    assert redacted(found, text, "Oliwia")
    text = "May Oliwia stay overnight at her aunt's?"
    assert _shown(detector, text, "May")
    # an unknown surname after it may make it a person called Will: still hidden
    text = "Will Brannigan attend the meeting?"
    assert redacted(detector.detect(text), text, "Brannigan")
