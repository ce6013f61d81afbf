"""Capitalised words that are not people, and the people beside them.

Each case names a general rule for a class of over-redaction (an ordinary word, abbreviation,
firm or address read as a person's), with new sentences written for the test, none taken from a
corpus, and beside most rules a case that the person next to it, or of the same shape, is still
hidden, so no rule buys precision with a leak.
"""

from __future__ import annotations

from importlib import resources

import pytest
from detect_cases import assert_marked, marked_cases, redacted

from redaction import Detector, load_register

# {phrase|mark}: what the detector must do with the phrase (the marks are explained in conftest.py);
# "shown" is the point of most cases here: nothing hides or queries the phrase
NOT_PEOPLE = {
    # ------------------------------------------------------------ ordinary words that are forenames
    "closing_formula_many_thanks_is_not_a_name_but_the_signature_is": (
        "Please send the minutes.\n\n{Many|shown} thanks,\n{Zofia Nowak|redacted}"
    ),
    "closing_formula_warm_wishes_is_not_a_name_but_the_signature_is": (
        "Please send the minutes.\n\n{Warm|shown} wishes,\n{Zofia Nowak|redacted}"
    ),
    "closing_formula_best_regards_is_not_a_name_but_the_signature_is": (
        "Please send the minutes.\n\n{Best|shown} regards,\n{Zofia Nowak|redacted}"
    ),
    "a_label_opened_by_a_forename_word_is_not_a_name_but_its_value_is": (
        "ASHGROVE CHILDREN'S HOME\n{Young|shown} person: {Dariusz Wojcik|redacted}\nKey worker: Ann Bell"
    ),
    "a_heading_opened_by_a_forename_word_is_not_a_name": (
        "{Foster|shown} carer's diary - week 3\nDariusz went to football."
    ),
    "a_name_opening_a_line_with_its_own_verb_is_still_a_name": (
        "Notes of the visit\n{Rose|redacted} said: I do not want to go back there."
    ),
    "a_word_name_opening_a_sentence_before_told_is_a_name": "{Faith|redacted} told me she was frightened.",
    "a_word_name_opening_a_sentence_before_shouted_is_a_name": "{Rose|redacted} shouted at the carer.",
    "an_ordinary_sentence_opened_by_a_word_name_is_left_alone": "{Faith|shown} is important to the family.",
    "will_opening_a_question_is_the_verb_not_a_name": ("{Will|shown} {Oliwia|redacted} settle with the new carers?"),
    "may_opening_a_question_is_the_verb_not_a_name": "{May|shown} Oliwia stay overnight at her aunt's?",
    "an_unknown_surname_after_will_may_make_a_person_called_will_still_hidden": (
        "Will {Brannigan|redacted} attend the meeting?"
    ),
    # ------------------------------------------------------------ capitals: references, abbreviations, titles
    "letters_glued_to_a_crime_reference_are_not_a_name": (
        "Crime reference: {RB|shown}/5521907/24 was given to the family."
    ),
    "letters_glued_to_a_claim_number_are_not_a_name": "Claim No: {ZW|shown}24P01187 (the care proceedings).",
    "letters_of_our_ref_are_not_a_name": "Our ref: {HT|shown}/9921/25\nYour ref: KS/GP",
    "an_abbreviation_used_as_a_noun_is_not_a_name": (
        "In English she works with our {LSA|shown}, Bogdan Lupu, twice a week."
    ),
    "an_abbreviation_after_an_article_is_not_a_name": "DC Harris will book an {VRI|shown} interview for Friday.",
    "an_abbreviation_after_police_is_not_a_name": "Referral passed to Police {MASH|shown} on the same day.",
    "a_name_in_capitals_after_a_title_or_beside_a_forename_is_still_a_name": (
        "Mr {OKONJO|redacted} and {Precious ADEBAYO|redacted} were present."
    ),
    "a_short_name_in_capitals_after_a_verb_is_still_a_name": "Kayla told {JO|redacted} about it.",
    "judges_and_counsel_are_professionals_not_people_to_hide": (
        "Judgment of Mrs Justice {Okafor-Reid|kept}. The father was represented by Mr D. {Lisowski|kept} of counsel."
    ),
    "a_person_whose_surname_is_justice_is_still_a_person": (
        "Mrs {Justice|redacted} said she saw him at the school gate."
    ),
    # ------------------------------------------------------------ firms, buildings, chambers
    "a_firm_named_after_its_founders_is_not_a_person": (
        "The father's solicitors, {Nwosu|shown} & {Co|shown}, replied on 3 March."
    ),
    "and_co_in_speech_is_not_a_firm": "Kayla went to the park with {Bartosz Zielinski|redacted} and co.",
    "a_full_name_before_and_co_is_a_person": "{Ruby Akhtar|redacted} & Co were at the house when the police came.",
    "a_house_named_after_a_person_is_not_a_person": ("The review was held at {Amelia Warrender|shown} House on 2 May."),
    "a_school_named_after_a_person_is_not_a_person": "Head of Year 9, {Olaf Brennan|shown} School",
    "the_person_a_building_is_named_after_is_hidden_in_a_sentence": (
        "Kayla said {Amelia Warrender|redacted} shouted at her."
    ),
    "advocates_named_with_their_chambers_or_firm_are_professionals": (
        "For the mother: Ms {Dorota Lis|kept}, Fenwick Row Chambers, instructed by Abara Solicitors."
    ),
    "a_parents_own_solicitors_do_not_make_the_parent_a_professional": (
        "{Sharon Okonkwo|redacted}, whose solicitors wrote twice, did not attend."
    ),
    "a_familys_home_address_on_a_street_named_like_chambers_is_hidden": (
        "The mother now lives at {9 Fenwick Row|redacted}, Oakport OP2 6QQ with her partner."
    ),
    # ------------------------------------------------------------ roles, field values, peoples
    "a_job_title_after_a_doctors_name_is_not_a_second_person": (
        "Assessed by Dr Ifeoma Nwachukwu, {Consultant Psychiatrist|shown}\nPresent: Kayla"
    ),
    "a_job_title_after_a_signature_is_not_a_second_person": ("Signed: Paulina Baran, Youth {Offending Officer|shown}"),
    "a_forename_before_a_job_word_is_still_a_persons": "Kayla said she spoke to {Zofia|redacted} Officer yesterday.",
    "a_field_value_made_of_a_forename_word_is_not_a_name": "Location: {Foster|shown} home\nDate: 3 May",
    "a_heading_end_made_of_a_forename_word_is_not_a_name": "SUPERVISION RECORD - {Autumn|shown} term",
    "a_label_for_a_person_still_names_one": "Visitor: {Dariusz|redacted} only\nDate: 3 May",
    "peoples_and_nationalities_are_not_names": (
        "The family are {Irish Travellers|shown}; the father's partner is a {Romanian|shown} woman called"
        " {Ilona Balog|redacted}."
    ),
    "a_surname_that_is_also_a_peoples_name_is_still_a_surname": (
        "Kayla said {Sam Welsh|redacted} and {Amy Irish|redacted} were at the party."
    ),
    "the_author_of_a_professionals_document_is_a_professional": (
        "I have considered the social work statement of Ms {Grazyna Wilk|kept} and the medical report by Dr {Obi|kept}."
    ),
    "an_assessment_of_someone_assesses_a_family_member": (
        "The local authority will file a viability assessment of Mr {Hossain|redacted} by Friday."
    ),
    "a_report_of_someone_is_about_a_family_member": (
        "The medical report of Mrs {Dorota Nowak|redacted}, the grandmother, was read."
    ),
    # the heading and field-value rules apply only to rare names that are mostly words ("Foster")
    "a_common_name_opening_a_log_line_is_still_a_name": "{Peter|redacted} upset - refused his tea",
    "a_common_name_opening_a_log_line_before_an_adjective_is_still_a_name": (
        "{Zainab|redacted} tired - went to bed early"
    ),
    "a_common_name_as_a_field_value_is_still_a_name": "Supervised by: {Zainab|redacted} today",
    "a_short_surname_in_capitals_after_a_family_word_is_still_a_name": "Nan {ALI|redacted} came to the review.",
    "a_rare_name_that_is_mostly_a_word_opening_a_sentence_before_of_is_the_word": (
        "{Many|shown} of the young people were unsettled after the move."
    ),
    "a_rare_name_that_is_mostly_a_word_inside_a_sentence_is_a_name": (
        "Jasper is upset and {Jasper|redacted} and Kwame argued."
    ),
    "the_name_of_a_family_is_a_surname_to_hide": (
        "We visited the {MENSAH|redacted} family at home, then the {Wiśniewski|redacted} children at school."
    ),
    "a_place_before_family_centre_is_not_a_family_name": "She attended the {Oakfield|shown} Family Centre.",
    "a_hyphenated_forename_made_of_forenames_is_a_forename": (
        "Her friend's mum, {Kerry-Ann Brown|redacted}, collected her; later {Jean-Paul|redacted} shouted at Kayla."
    ),
}


@marked_cases(NOT_PEOPLE)
def test_a_capitalised_word_that_is_not_a_person_and_the_person_beside_it(detector: Detector, marked: str) -> None:
    assert_marked(detector, marked)


def _register_of(name: str, relationship: str) -> Detector:
    """A detector for a case whose register names the subject and one third party."""
    register = {
        "subject": {"name": "Kayla Smith"},
        "people": [{"id": "P1", "name": name, "role": "third_party", "relationship": relationship}],
    }
    return Detector(load_register(register))


def test_a_title_in_capitals_is_not_guessed_to_be_someones_initials() -> None:
    # Maria Rahman's initials are MR: "MR" in capitals is still the title of the man after it
    text = "MR DEMIR attended with his daughter."
    found = _register_of("Maria Rahman", "aunt").detect(text)
    assert not any(f.person_id == "P1" for f in found)
    assert redacted(found, text, "DEMIR")


def test_a_short_word_of_a_capitals_heading_is_not_a_persons_initials() -> None:
    assert_marked(
        _register_of("Tomasz Ostrowski", "father"), "REPORT {TO|shown} THE INITIAL CHILD PROTECTION CONFERENCE"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Counsel: Ms Dorota Lis, 9 Fenwick Row Chambers, Temple, London EC4Y 7BB",
        "Fenwick Row Chambers\n22 Harcourt Street\nLeeds LS1 4QQ\n\nDear Sir",
        "ABARA LLP SOLICITORS\n7 Cowgate, Oakport OP1 3ZZ\nTel: 01632 960 700",
    ],
    ids=["counsel_line", "chambers_letterhead", "solicitors_letterhead"],
)
def test_chambers_and_firms_letterhead_addresses_are_the_organisations_own(detector: Detector, text: str) -> None:
    found = detector.detect(text)
    assert {f.action for f in found if f.category in ("address", "postcode")} == {"keep"}


def test_the_rare_word_names_list_records_its_sources() -> None:
    head = resources.files("redaction.detect").joinpath("data/word_names.txt").read_text(encoding="utf-8")
    header = "\n".join(line for line in head.splitlines() if line.startswith("#"))
    assert "build_word_names.py" in header and "wamerican" in header and "census" in header
    words = {line for line in head.splitlines() if line and not line.startswith("#")}
    assert {"foster", "many"} <= words and not {"peter", "amir", "rose"} & words
