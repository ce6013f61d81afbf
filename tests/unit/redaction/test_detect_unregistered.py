"""People the register does not know: found from names, titles and context, never silently kept."""

from __future__ import annotations

import random

from detect_cases import REGISTER, action_at, assert_marked, marked_cases, redacted

from redaction import Detector, Policy, load_register

# {phrase|mark}: what the detector must do with the phrase (the marks are explained in conftest.py)
UNREGISTERED_PEOPLE = {
    "forename_and_surname_off_the_register": "She was with her friend {Tobin Blake|redacted} at the time.",
    "title_and_surname_off_the_register": (
        "A neighbour, Mrs {Pauline Ashworth|redacted}, rang the duty line. Mrs {Ashworth|redacted} was worried."
    ),
    "street_name_known_only_by_context_and_every_later_mention": (
        'She was picked up by a man she knows only as "{Zed|redacted}". Later {Zed|redacted} rang her.'
        " {Zed|redacted}'s flat is nearby."
    ),
    "relationship_word_marks_an_unknown_name": (
        "The mother's boyfriend, {Dwayne|redacted}, shouted. A lad called {Kez|redacted} was there."
    ),
    "possessive_of_an_unknown_name_before_a_person_word": (
        "Kayla went to {Zuzanna|redacted}'s birthday party (a girl from class)."
    ),
    "other_child_described_in_brackets": (
        "Kayla was upset. {Tobiasz|redacted} (our other placement) stayed in his room."
    ),
    "capital_surname_then_forename_of_a_co_accused": (
        "SMITH and co-accused {OKAFOR|redacted}, {Tayvon|hidden} (DOB 01/02/2010) were stopped."
        " {OKAFOR|redacted} made no comment."
    ),
    "name_shaped_pair_with_unknown_forename_goes_to_review": "She met {Tayvon Okafor|hidden} at the park.",
    "particles_inside_a_surname": "The landlord, {Daniel van der Berg|redacted}, called.",
    "place_names_and_ordinary_capitalised_words_are_left_alone": (
        "The family live near {Victoria Road|alone}. {Universal Credit|alone} was paid. The summer holidays were hard."
    ),
    "names_listed_beside_a_known_name": (
        "OTHER YOUNG PEOPLE PRESENT: {JOANNE BRIGGS|redacted}, {XAVI TORRENTE|redacted}\n"
        "{REPORT COMPLETED|alone} BY: {GRACE PATEL|kept}"
    ),
    "words_after_a_naming_phrase_belong_to_the_name": (
        "Police attended after an incident with a male named as {Oskar Wendt|redacted}."
        " {Oskar|redacted} left before they arrived."
    ),
    "forename_and_surname_split_by_hard_wrapping": (
        "She was with her friend {Dmitri|redacted}\n{Kowalczyk|redacted} when it happened."
    ),
    "capital_heading_words_are_not_swallowed_into_names": (
        "AT 19:40 {KAYLA SMITH|kept} {ASSAULTED|alone} {JOANNE BRIGGS|redacted} WITH A CHAIR."
        " {WILL NEED|alone} TO REVIEW THE PLAN."
    ),
    "word_name_used_as_a_label_for_a_known_person": (
        "PRESENT: {HAZEL QUINN|redacted}, JOANNE BRIGGS\n{Hazel|redacted}: no injury."
    ),
    "modal_will_at_a_sentence_start_is_not_a_name": (
        "Agreed: Sharon to attend the course. {Will review|alone} in four weeks. {Will|redacted} said he was fine."
    ),
    "unknown_word_doing_what_people_do_is_flagged": "{Zorvan|review} shouted at her and {Kayla|kept} cried.",
    "a_title_makes_an_ordinary_word_a_surname": (
        "Mr {Church|redacted}, the {landlord|alone}, called. Mrs {Young|redacted} from next door complained."
    ),
    "a_known_word_name_at_a_sentence_start_is_still_that_person": (
        "{Frank Ostrowski|redacted} was arrested. {Frank|redacted} seen leaving in a car."
        " Discussions were {frank|alone}."
    ),
    "word_name_described_in_brackets_on_the_next_line": (
        "He said sorry on his own. {Joy|redacted}\n(our other placement) kept out of it."
    ),
    "capital_forename_with_a_surname_that_is_also_a_place_word": (
        "OTHER YOUNG PEOPLE PRESENT: JOANNE BRIGGS, {PADRAIG LITTLE|redacted}\n"
    ),
    "known_forename_carries_the_unknown_surname_after_it": (
        "{Ysolde Quarrington|redacted} was also in the chat; Ysolde's mother complained."
    ),
    "description_in_brackets_wrapped_over_a_line": (
        "He said sorry. {Zorvan|redacted} (our\nother placement) kept out of it."
    ),
}


@marked_cases(UNREGISTERED_PEOPLE)
def test_a_person_the_register_does_not_know_is_not_kept(detector: Detector, marked: str) -> None:
    assert_marked(detector, marked)


def test_unregistered_doctor_is_kept_as_a_professional_unless_policy_says_otherwise() -> None:
    # issue 10: professionals acting officially are kept by default even when not on the register
    text = "Dr Okonkwo (GP) attended."
    found = Detector(load_register(REGISTER)).detect(text)
    assert action_at(found, text, "Okonkwo") == {"keep"}
    okonkwo = next(f for f in found if f.text == "Okonkwo")
    assert okonkwo.reason == "TP-PRO" and okonkwo.role == "professional"
    assert okonkwo.explanation.startswith("professional not in the register")
    strict = Detector(load_register(REGISTER), Policy(professional_roles={"health": "review"}))
    assert action_at(strict.detect(text), text, "Okonkwo") == {"review"}


def test_an_off_register_name_learnt_in_one_document_is_hidden_in_the_next() -> None:
    detector = Detector(load_register(REGISTER))
    earlier = "She was picked up by a man called Zed."
    later = "Zed rang the placement twice."
    case = detector.case_knowledge([earlier, later])
    assert redacted(detector.detect(later, case), later, "Zed")
    # alone, the later note cannot know that Zed is a person: asked about, not hidden
    assert action_at(detector.detect(later), later, "Zed") == {"review"}


def test_detection_does_not_depend_on_document_order() -> None:
    documents = [
        "She was picked up by a man called Zed. Zed drove a blue car.",
        "Zed rang the placement twice and asked for Kayla.",
        "Her friend Jo Bloggs stayed over. Kayla went to the cinema.",
        "Jo came round again on Friday; the carer asked Jo to leave.",
        "Sharon Smith attended the review. Zed was not mentioned.",
        "Bloggs was seen outside the school with Zed.",
    ]
    detector = Detector(load_register(REGISTER))
    case = detector.case_knowledge(documents)
    expected = [detector.detect(text, case) for text in documents]
    assert any(f.text == "Jo" and f.action == "redact" for f in expected[3])
    for seed in range(5):
        order = list(range(len(documents)))
        random.Random(seed).shuffle(order)
        # a fresh detector each time, fed the case in another order: nothing may carry over
        shuffled = Detector(load_register(REGISTER))
        knowledge = shuffled.case_knowledge(documents[i] for i in order)
        assert knowledge == case
        for i in order:
            assert shuffled.detect(documents[i], knowledge) == expected[i]
        # and any one document re-detected alone, after the others, gives the same answer
        for i in order:
            assert detector.detect(documents[i], case) == expected[i]
