"""Names of people on the case register, in the many ways a record writes them."""

from __future__ import annotations

from conftest import action_at, hidden, redacted

from redaction import Detector


def test_subject_kept_and_mother_redacted_in_the_same_sentence(detector: Detector) -> None:
    text = "Kayla told me that her mum Sharon had been shouting."
    found = detector.detect(text)
    assert action_at(found, text, "Kayla") == {"keep"}
    assert redacted(found, text, "Sharon")


def test_title_and_shared_surname_resolve_to_the_adult_woman(detector: Detector) -> None:
    text = "Ms Smith denied this. Kayla Smith was upset."
    found = detector.detect(text)
    ms = next(f for f in found if f.text == "Smith" and f.start < 10)
    assert (ms.action, ms.person_id) == ("redact", "P1")
    assert action_at(found, text, "Kayla Smith") == {"keep"}


def test_bare_shared_surname_goes_to_review_not_keep(detector: Detector) -> None:
    text = "Smith told officers she was at home."
    assert action_at(detector.detect(text), text, "Smith") == {"review"}


def test_police_style_capital_surname_is_the_young_person(detector: Detector) -> None:
    text = "SMITH, Kayla (DOB 14/03/2012) was interviewed. SMITH gave a full account."
    found = detector.detect(text)
    assert action_at(found, text, "SMITH") == {"keep"}
    assert action_at(found, text, "SMITH", 1) == {"keep"}


def test_full_name_is_one_merged_span(detector: Detector) -> None:
    text = "Present: Sharon Smith (mother) and Robert Hughes (father)."
    found = detector.detect(text)
    assert any(f.text == "Sharon Smith" and f.action == "redact" for f in found)
    assert any(f.text == "Robert Hughes" and f.action == "redact" for f in found)


def test_possessive_and_all_caps_forms(detector: Detector) -> None:
    text = "MOTHER: SHARON SMITH\nSharon's flat was cold. TYLER'S room was tidy."
    found = detector.detect(text)
    assert redacted(found, text, "SHARON SMITH")
    assert any(f.text == "Sharon" and f.action == "redact" for f in found)
    assert any(f.text == "TYLER" and f.action == "redact" for f in found)


def test_name_broken_across_a_line_gives_one_span_per_line(detector: Detector) -> None:
    text = "The visit was attended by Robert\nHughes and the social worker."
    found = [f for f in detector.detect(text) if f.category == "person"]
    assert [(f.text, f.action) for f in found] == [("Robert", "redact"), ("Hughes", "redact")]


def test_nicknames_of_a_third_party_not_on_the_register(detector: Detector) -> None:
    text = "I spoke to Bobby on the phone; Rob said he would attend."
    found = detector.detect(text)
    assert {f.person_id for f in found if f.text in ("Bobby", "Rob")} == {"P2"}
    assert redacted(found, text, "Bobby") and redacted(found, text, "Rob")


def test_initials_defined_on_the_register(detector: Detector) -> None:
    text = "KS said SS was cross. The SW will visit."
    found = detector.detect(text)
    assert action_at(found, text, "KS") == {"keep"}
    assert action_at(found, text, "SS") == {"redact"}
    assert action_at(found, text, "SW") == set()


def test_initial_letters_before_a_surname_pick_the_person(detector: Detector) -> None:
    text = "K. M. Smith signed. Mrs S. Smith was informed. J. Smith also rang."
    found = detector.detect(text)
    assert action_at(found, text, "K. M. Smith") == {"keep"}
    assert redacted(found, text, "S. Smith")
    assert redacted(found, text, "J. Smith")


def test_word_names_only_count_in_name_positions(detector: Detector) -> None:
    text = "Will Baxter was present. This will need close monitoring. There is hope. Hope visited."
    found = detector.detect(text)
    assert redacted(found, text, "Will Baxter")
    assert action_at(found, text, "will") == set()
    assert action_at(found, text, "hope") == set()
    assert redacted(found, text, "Hope")


def test_word_name_at_the_start_of_a_sentence_followed_by_a_verb(detector: Detector) -> None:
    text = "The plan was agreed; Will was asked to leave the room."
    assert redacted(detector.detect(text), text, "Will")


def test_irish_names_with_fadas_and_without(detector: Detector) -> None:
    text = "Seán Ó Briain came round. Later Sean rang again."
    found = detector.detect(text)
    assert redacted(found, text, "Seán Ó Briain")
    assert redacted(found, text, "Sean")


def test_apostrophe_surname_and_hyphenated_double_barrel(detector: Detector) -> None:
    text = "Nana Hope O'Neill helped. Sharon Smith-Hughes attended."
    found = detector.detect(text)
    assert redacted(found, text, "Hope O'Neill")
    assert redacted(found, text, "Sharon Smith-Hughes")


def test_small_misspelling_of_a_register_surname(detector: Detector) -> None:
    text = "Robert Hughs attended the meeting."
    assert hidden(detector.detect(text), text, "Robert Hughs")


def test_lower_case_name_is_flagged_for_review(detector: Detector) -> None:
    text = "spoke to sharon about school."
    assert action_at(detector.detect(text), text, "sharon") == {"review"}


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


def test_clipped_forename_and_abbreviated_street_of_the_subject_are_kept(detector: Detector) -> None:
    text = "Kayla (known as Kay) lives at 14, Elm Rd with her mum. Kay said she was happy."
    found = detector.detect(text)
    assert action_at(found, text, "Kay") == {"keep"}
    assert action_at(found, text, "Kay", 1) == {"keep"}
    assert action_at(found, text, "14, Elm Rd") == {"keep"}


def test_initials_the_register_does_not_define_are_still_hidden_for_a_third_party() -> None:
    from redaction import load_register

    register = {
        "subject": {"id": "S", "name": "Kayla Smith"},
        "people": [{"id": "P1", "name": "Robert Jones", "role": "third_party", "relationship": "father"}],
    }
    text = "Saw RJ's car outside. The SW and GP were told."
    found = Detector(load_register(register)).detect(text)
    assert hidden(found, text, "RJ")
    assert action_at(found, text, "SW") == set() and action_at(found, text, "GP") == set()


def test_word_names_before_numbers_and_weekday_abbreviations_are_words(detector: Detector) -> None:
    text = "Under Art 15 Kayla may ask for her records. Visit booked for Thu 4 May 2024."
    found = detector.detect(text)
    assert action_at(found, text, "Art") == set()
    assert action_at(found, text, "Thu") == set()
    assert action_at(found, text, "May 2024") == set()


def test_register_surname_that_is_also_a_title_word() -> None:
    from redaction import load_register

    register = {
        "subject": {"id": "S", "name": "Kayla Smith"},
        "people": [{"id": "P1", "name": "Radha Master", "role": "third_party", "relationship": "mother"}],
    }
    text = "Radha Master - mother. Mrs Master has missed three sessions."
    found = Detector(load_register(register)).detect(text)
    assert redacted(found, text, "Radha Master")
    assert redacted(found, text, "Master", 1)


def test_british_short_form_of_the_subjects_name_is_kept() -> None:
    from redaction import load_register

    register = {"subject": {"id": "S", "name": "Samantha Murray"}, "people": []}
    text = "Ms Johnston said that Sammy has settled well."
    found = Detector(load_register(register)).detect(text)
    assert action_at(found, text, "Sammy") == {"keep"}
