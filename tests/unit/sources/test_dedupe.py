"""Near-duplicate groups and email thread collapse, on texts shaped like council records."""

from __future__ import annotations

import random

from sar.sources.dedupe import email_thread_groups, near_duplicate_groups

_SAMPLE = (
    "the family was visited at home and the child said she felt safe with her mother who agreed to attend the "
    "school meeting on tuesday where the nurse reported good progress with attendance and sleep but concerns "
    "remained about contact with the father and the plan was reviewed by the team manager who asked for a "
    "further assessment before the next core group meeting in four weeks time"
)
_VOCABULARY = _SAMPLE.split(" ")


def letter(seed: int, words: int = 400) -> str:
    rng = random.Random(seed)
    lines = [" ".join(rng.choices(_VOCABULARY, k=12)).capitalize() + "." for _ in range(words // 12)]
    return "Dear Ms Jones,\n" + "\n".join(lines) + "\nYours sincerely,\nSam Patel"


FOOTER_A = "Oakport Council, Children's Services, Civic Centre, Oakport OP1 1AA. Telephone 01234 567890."
FOOTER_B = "Please consider the environment before printing. This email is confidential and may be privileged."


def test_same_letter_with_another_footer_is_grouped_and_different_letters_are_not() -> None:
    groups = near_duplicate_groups(
        [
            (1, letter(1) + "\n" + FOOTER_A),
            (2, letter(2) + "\n" + FOOTER_A),
            (3, letter(1) + "\n" + FOOTER_B),
            (4, letter(3)),
        ]
    )
    assert groups == [[1, 3]]


def test_pdf_print_of_a_word_file_groups_with_it_despite_layout_differences() -> None:
    original = letter(7)
    # A print run: different line breaks, a running header and page numbers, curly quotes lost.
    words = original.split()
    printed = "Page 1 of 2\n" + " ".join(words[:150]) + "\n\n- 1 -\n" + "\n".join(words[150:]) + "\n- 2 -"
    assert near_duplicate_groups([(10, original), (11, printed), (12, letter(8))]) == [[10, 11]]


def test_identical_texts_group_and_texts_without_words_never_do() -> None:
    groups = near_duplicate_groups([(5, "Same note."), (6, "same   NOTE"), (7, ""), (8, "  \n "), (9, "Other")])
    assert groups == [[5, 6]]


def test_a_stricter_threshold_separates_what_a_looser_one_groups() -> None:
    base = letter(11, words=200)
    edited = base + "\n" + letter(12, words=36)
    assert near_duplicate_groups([(1, base), (2, edited)], threshold=0.7) == [[1, 2]]
    assert near_duplicate_groups([(1, base), (2, edited)], threshold=0.95) == []


def _meta(message_id: str, subject: str, reply_to: str = "") -> dict[str, str]:
    meta = {"message_id": message_id, "subject": subject, "from": "sam@council.example", "to": "jo@council.example"}
    if reply_to:
        meta["in_reply_to"] = reply_to
    return meta


def test_a_reply_quoting_the_whole_thread_makes_the_earlier_messages_redundant() -> None:
    first = "Can we meet on Tuesday to discuss the plan for Kayla and the school?"
    second = "Tuesday works. I will bring the attendance figures.\n\n> " + first
    third = "Agreed, see you at ten in the civic centre.\n> " + second.replace("\n", "\n> ")
    unrelated = "Different matter: the foster carer's review is next month."
    groups = email_thread_groups(
        [
            (1, _meta("<a@x>", "Meeting"), first),
            (2, _meta("<b@x>", "Re: Meeting", "<a@x>"), second),
            (3, _meta("<c@x>", "Re: Meeting", "<b@x>"), third),
            (4, _meta("<d@x>", "Review"), unrelated),
        ]
    )
    assert groups == [(3, [1, 2])]


def test_a_reply_that_does_not_quote_keeps_both_messages() -> None:
    groups = email_thread_groups(
        [
            (1, _meta("<a@x>", "Meeting"), "Can we meet on Tuesday to discuss the plan for Kayla?"),
            (2, _meta("<b@x>", "Re: Meeting", "<a@x>"), "Yes, Tuesday at ten suits me; I will book the room."),
        ]
    )
    assert groups == []


def test_the_same_message_from_two_mailboxes_collapses_to_one() -> None:
    text = "Minutes of the strategy discussion are attached for your records."
    groups = email_thread_groups([(7, _meta("<m@x>", "Minutes"), text), (9, _meta("<m@x>", "Minutes"), text)])
    assert groups == [(7, [9])]


def test_messages_without_thread_headers_are_threaded_by_subject_between_the_same_people() -> None:
    first = "Please send the chronology for the review meeting."
    reply = "Attached as asked.\n> " + first
    stranger = dict(_meta("", "Re: Chronology"), **{"from": "other@elsewhere.example"})
    groups = email_thread_groups(
        [
            (1, {"subject": "Chronology", "from": "sam@council.example", "to": "jo@council.example"}, first),
            (2, {"subject": "RE: Chronology", "from": "jo@council.example", "to": "sam@council.example"}, reply),
            (3, {k: v for k, v in stranger.items() if k != "message_id"}, reply),
        ]
    )
    assert groups == [(2, [1])]
