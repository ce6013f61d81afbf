"""Name hazards from records written in other voices: informal lower-case notes, message transcripts,
relations named after a comma, loose naming phrases and lists beside a likely name."""

from __future__ import annotations

from conftest import action_at, hidden, redacted

from redaction import Detector


def test_lower_case_nickname_and_short_names_in_an_informal_note(detector: Detector) -> None:
    text = "home visit. tyler answerd door. spoke to kayla alone. hughes rang from prison last wk."
    found = detector.detect(text)
    assert hidden(found, text, "tyler")
    assert hidden(found, text, "hughes")
    assert action_at(found, text, "kayla") <= {"keep"}


def test_lower_case_table_nickname_of_a_register_forename(detector: Detector) -> None:
    # Robert Hughes is on the register; "robbie" is a table nickname ("rob" is an ordinary word, so not used)
    text = "visited. robbie was at the house, v drunk."
    assert hidden(detector.detect(text), text, "robbie")


def test_lower_case_unknown_name_after_a_relation_word(detector: Detector) -> None:
    text = "says mum's bf kev comes round when hes skint. her friend said no."
    found = detector.detect(text)
    assert hidden(found, text, "kev")
    assert action_at(found, text, "said") == set()


def test_message_transcript_speakers_are_people(detector: Detector) -> None:
    text = (
        "[14/06 22:41] Jordz: u out tonite?\n"
        "[14/06 22:43] Kayla: cant\n"
        "[14/06 22:50] Unknown (+447700900388): 10 mins\n"
        'Worker note: "Jordz" is believed to be older.'
    )
    found = detector.detect(text)
    assert redacted(found, text, "Jordz")
    assert redacted(found, text, "Jordz", 1)
    assert action_at(found, text, "Unknown") == set()
    assert action_at(found, text, "Kayla") == {"keep"}


def test_son_or_sister_after_a_comma_names_someone(detector: Detector) -> None:
    text = "Sharon has an older son, Tyrone-James, from a previous relationship."
    assert redacted(detector.detect(text), text, "Tyrone-James")


def test_known_to_the_family_as(detector: Detector) -> None:
    text = 'Her partner is known to the family as "Lee-Lee" and visits often.'
    assert hidden(detector.detect(text), text, "Lee-Lee")


def test_single_name_listed_beside_a_likely_name(detector: Detector) -> None:
    text = "At lunch she sits with Maddison and Kezia Obi most days."
    found = detector.detect(text)
    assert hidden(found, text, "Maddison")
    assert hidden(found, text, "Kezia Obi")


def test_surname_first_with_a_mixed_case_prefix_in_capitals(detector: Detector) -> None:
    text = "Co-defendants: ADEBISI, Tunde (18); McGRATH, Connor (17). CCTV shows McGrath with a bottle."
    found = detector.detect(text)
    for phrase in ("ADEBISI", "Tunde", "McGRATH", "Connor"):
        assert redacted(found, text, phrase), phrase
    assert hidden(found, text, "McGrath")


def test_role_abbreviation_after_a_name_is_not_a_surname(detector: Detector) -> None:
    text = "Grace Patel, DSL, St Aidan's Academy\ncc: Mark Jones, GP, Canal Street Surgery"
    found = detector.detect(text)
    assert action_at(found, text, "DSL") == set()
    assert action_at(found, text, "GP") == set()
    # a real surname in capitals still counts
    text = "Suspect: NG, Wing Kit"
    assert hidden(detector.detect(text), text, "NG")


def test_quoted_name_after_a_relation_word(detector: Detector) -> None:
    text = 'Kayla told officers her dad\'s friend "Shez" had been with him.'
    assert hidden(detector.detect(text), text, "Shez")


def test_word_name_opening_an_action_item_is_a_person(detector: Detector) -> None:
    text = "Actions:\n- Sharon to book a GP appointment.\n- Will to confirm contact arrangements.\nWill review in May."
    found = detector.detect(text)
    assert redacted(found, text, "Will")
    assert action_at(found, text, "Will", 1) == set()


def test_name_in_single_quotes_after_a_naming_phrase(detector: Detector) -> None:
    text = "A man known as 'Tiny' was present. Later ‘Tiny’ left."
    found = detector.detect(text)
    assert hidden(found, text, "Tiny")
    assert hidden(found, text, "Tiny", 1)
