"""Name hazards from records written in other voices: informal lower-case notes, message transcripts,
relations named after a comma, loose naming phrases and lists beside a likely name."""

from __future__ import annotations

from detect_cases import assert_marked, marked_cases

from redaction import Detector

# {phrase|mark}: what the detector must do with the phrase (the marks are explained in conftest.py)
OTHER_VOICES = {
    "lower_case_nickname_and_short_names_in_an_informal_note": (
        "home visit. {tyler|hidden} answerd door. spoke to {kayla|shown} alone."
        " {hughes|hidden} rang from prison last wk."
    ),
    # Robert Hughes is on the register; "robbie" is a table nickname ("rob" is an ordinary word, so not used)
    "lower_case_table_nickname_of_a_register_forename": "visited. {robbie|hidden} was at the house, v drunk.",
    "lower_case_unknown_name_after_a_relation_word": (
        "says mum's bf {kev|hidden} comes round when hes skint. her friend {said|alone} no."
    ),
    "message_transcript_speakers_are_people": (
        "[14/06 22:41] {Jordz|redacted}: u out tonite?\n"
        "[14/06 22:43] {Kayla|kept}: cant\n"
        "[14/06 22:50] {Unknown|alone} (+447700900388): 10 mins\n"
        'Worker note: "{Jordz|redacted}" is believed to be older.'
    ),
    "son_or_sister_after_a_comma_names_someone": (
        "Sharon has an older son, {Tyrone-James|redacted}, from a previous relationship."
    ),
    "known_to_the_family_as": 'Her partner is known to the family as "{Lee-Lee|hidden}" and visits often.',
    "single_name_listed_beside_a_likely_name": (
        "At lunch she sits with {Maddison|hidden} and {Kezia Obi|hidden} most days."
    ),
    "surname_first_with_a_mixed_case_prefix_in_capitals": (
        "Co-defendants: {ADEBISI|redacted}, {Tunde|redacted} (18); {McGRATH|redacted}, {Connor|redacted} (17)."
        " CCTV shows {McGrath|hidden} with a bottle."
    ),
    "role_abbreviation_after_a_name_is_not_a_surname": (
        "Grace Patel, {DSL|alone}, St Aidan's Academy\ncc: Mark Jones, {GP|alone}, Canal Street Surgery"
    ),
    "a_real_surname_in_capitals_before_the_forenames_still_counts": "Suspect: {NG|hidden}, Wing Kit",
    "quoted_name_after_a_relation_word": 'Kayla told officers her dad\'s friend "{Shez|hidden}" had been with him.',
    "word_name_opening_an_action_item_is_a_person": (
        "Actions:\n- Sharon to book a GP appointment.\n- {Will|redacted} to confirm contact arrangements.\n"
        "{Will|alone} review in May."
    ),
    "name_in_single_quotes_after_a_naming_phrase": (
        "A man known as '{Tiny|hidden}' was present. Later ‘{Tiny|hidden}’ left."
    ),
}


@marked_cases(OTHER_VOICES)
def test_a_name_written_in_another_voice(detector: Detector, marked: str) -> None:
    assert_marked(detector, marked)
