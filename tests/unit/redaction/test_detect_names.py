"""Names of people on the case register, in the many ways a record writes them."""

from __future__ import annotations

from detect_cases import action_at, assert_marked, marked_cases, redacted

from redaction import Detector, load_register

# {phrase|mark}: what the detector must do with the phrase (the marks are explained in conftest.py)
REGISTER_NAMES = {
    "subject_kept_and_mother_redacted_in_the_same_sentence": (
        "{Kayla|kept} told me that her mum {Sharon|redacted} had been shouting."
    ),
    "bare_shared_surname_goes_to_review_not_keep": "{Smith|review} told officers she was at home.",
    "police_style_capital_surname_is_the_young_person": (
        "{SMITH|kept}, Kayla (DOB 14/03/2012) was interviewed. {SMITH|kept} gave a full account."
    ),
    "full_name_is_one_merged_span": "Present: {Sharon Smith|span} (mother) and {Robert Hughes|span} (father).",
    "possessive_and_all_caps_forms": (
        "MOTHER: {SHARON SMITH|redacted}\n{Sharon|span}'s flat was cold. {TYLER|span}'S room was tidy."
    ),
    "initials_defined_on_the_register": "{KS|kept} said {SS|redact} was cross. The {SW|alone} will visit.",
    "initial_letters_before_a_surname_pick_the_person": (
        "{K. M. Smith|kept} signed. Mrs {S. Smith|redacted} was informed. {J. Smith|redacted} also rang."
    ),
    "word_names_only_count_in_name_positions": (
        "{Will Baxter|redacted} was present. This {will|alone} need close monitoring. There is {hope|alone}."
        " {Hope|redacted} visited."
    ),
    "word_name_at_the_start_of_a_sentence_followed_by_a_verb": (
        "The plan was agreed; {Will|redacted} was asked to leave the room."
    ),
    "irish_names_with_fadas_and_without": "{Seán Ó Briain|redacted} came round. Later {Sean|redacted} rang again.",
    "apostrophe_surname_and_hyphenated_double_barrel": (
        "Nana {Hope O'Neill|redacted} helped. {Sharon Smith-Hughes|redacted} attended."
    ),
    "small_misspelling_of_a_register_surname": "{Robert Hughs|hidden} attended the meeting.",
    "lower_case_name_is_flagged_for_review": "spoke to {sharon|review} about school.",
    "clipped_forename_and_abbreviated_street_of_the_subject_are_kept": (
        "{Kayla|kept} (known as {Kay|kept}) lives at {14, Elm Rd|kept} with her mum. {Kay|kept} said she was happy."
    ),
    "word_names_before_numbers_and_weekday_abbreviations_are_words": (
        "Under {Art|alone} 15 Kayla may ask for her records. Visit booked for {Thu|alone} 4 {May 2024|alone}."
    ),
}


@marked_cases(REGISTER_NAMES)
def test_a_register_name_as_a_record_writes_it(detector: Detector, marked: str) -> None:
    assert_marked(detector, marked)


def test_title_and_shared_surname_resolve_to_the_adult_woman(detector: Detector) -> None:
    text = "Ms Smith denied this. Kayla Smith was upset."
    found = detector.detect(text)
    ms = next(f for f in found if f.text == "Smith" and f.start < 10)
    assert (ms.action, ms.person_id) == ("redact", "P1")
    assert action_at(found, text, "Kayla Smith") == {"keep"}


def test_name_broken_across_a_line_gives_one_span_per_line(detector: Detector) -> None:
    text = "The visit was attended by Robert\nHughes and the social worker."
    found = [f for f in detector.detect(text) if f.category == "person"]
    assert [(f.text, f.action) for f in found] == [("Robert", "redact"), ("Hughes", "redact")]


def test_nicknames_of_a_third_party_not_on_the_register(detector: Detector) -> None:
    text = "I spoke to Bobby on the phone; Rob said he would attend."
    found = detector.detect(text)
    assert {f.person_id for f in found if f.text in ("Bobby", "Rob")} == {"P2"}
    assert redacted(found, text, "Bobby") and redacted(found, text, "Rob")


def test_professionals_and_requester_are_kept(detector: Detector) -> None:
    text = "PC 1234 Mark Jones attended. Grace Patel (SW) and Amira Khan (advocate) were present."
    found = detector.detect(text)
    assert action_at(found, text, "Mark Jones") == {"keep"}
    assert action_at(found, text, "1234") == set()
    assert {f.reason for f in found if f.text == "Grace Patel"} == {"TP-PRO"}
    assert action_at(found, text, "Amira Khan") == {"keep"}


def test_the_same_person_gets_the_same_decision_in_every_document(detector: Detector) -> None:
    first = detector.detect("Robert Hughes called.")
    second = detector.detect("Later, Robert Hughes visited Kayla.")
    assert {(f.person_id, f.action) for f in first} <= {(f.person_id, f.action) for f in second}


def _one_person_register(subject: str, *people: tuple[str, str]) -> Detector:
    """A detector for a case whose register names only the subject and the given (name, relationship)s."""
    listed = [
        {"id": f"P{i}", "name": name, "role": "third_party", "relationship": relationship}
        for i, (name, relationship) in enumerate(people, 1)
    ]
    return Detector(load_register({"subject": {"id": "S", "name": subject}, "people": listed}))


def test_initials_the_register_does_not_define_are_still_hidden_for_a_third_party() -> None:
    detector = _one_person_register("Kayla Smith", ("Robert Jones", "father"))
    assert_marked(detector, "Saw {RJ|hidden}'s car outside. The {SW|alone} and {GP|alone} were told.")


def test_register_surname_that_is_also_a_title_word() -> None:
    detector = _one_person_register("Kayla Smith", ("Radha Master", "mother"))
    assert_marked(detector, "{Radha Master|redacted} - mother. Mrs {Master|redacted} has missed three sessions.")


def test_british_short_form_of_the_subjects_name_is_kept() -> None:
    detector = _one_person_register("Samantha Murray")
    assert_marked(detector, "Ms Johnston said that {Sammy|kept} has settled well.")
