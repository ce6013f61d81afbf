"""The Art 15 supplementary information, read from a council's privacy notice (plain text).

A Children's Services privacy notice already says, in the council's own words, why it holds information, what it
holds, where it comes from, who it shares it with and how long it keeps it: the cover letter must say the same
(UK GDPR Art 15(1)). This reads those parts from a notice laid out as usual (a heading line per section, bullet
points starting with "-") so the demo council starts from its real notice; the DPO then checks and edits the result.
What such notices leave to the corporate notice (the ICO's details, the complaint route, transfers, automated
decisions, the offer of support) is filled with the standard wording below for the DPO to confirm.
"""

from __future__ import annotations

import re
from pathlib import Path

_LONGEST_ITEM = 400
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_HEADINGS = {
    "categories": "what information do we hold",
    "purposes": "why do we have it and what do we use it for",
    "recipients": "who we share information with and why",
    "retention": "how long we keep hold of information for",
    "rights": "your rights",
}

ICO_CONTACT = """Information Commissioner's Office
Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF
Helpline: 0303 123 1113
Website: ico.org.uk/make-a-complaint"""

STANDARD_WORDING = {
    "transfers": "We do not send your information outside the UK. If that ever became necessary, we would only do it "
    "with the safeguards the law requires (UK GDPR Article 46), and we would tell you.",
    "automated_decisions": "We do not make decisions about you by computer alone, and we do not use profiling. "
    "Every decision about a child or family is made by a member of staff.",
    "ico_contact": ICO_CONTACT,
    "complaint_route": "If you are unhappy with how we dealt with your request, please tell our Data Protection "
    "Officer first, at {email}, or write to us at the address at the top of this letter. We will look at your "
    "complaint and reply within one month.",
    "support_offer": "Reading records about yourself, especially about your childhood, can be upsetting. If you "
    "would like someone to go through the records with you, or to explain anything in them, contact us at {email} "
    "and we will arrange it. You are welcome to bring someone you trust.",
}


def _clean(line: str) -> str:
    return " ".join(_LINK.sub(r"\1", line).split())


def _sections(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current: str | None = None
    wanted = {heading: name for name, heading in _HEADINGS.items()}
    for raw in text.splitlines():
        line = _clean(raw)
        if raw[:1] in (" ", "\t") and line.startswith("- "):
            line = "  " + line  # a point nested under another (a programme's details): not an item of the list
        key = line.lower().rstrip(":")
        if key in wanted:
            current = wanted[key]
            found[current] = []
            continue
        if current is not None:
            found[current].append(line)
    return found


def _bullets(lines: list[str], *, after: str | None = None, stop_at_paragraph: bool = True) -> list[str]:
    """The bullet points of a section (optionally only the list after a line containing ``after``)."""
    items: list[str] = []
    started = after is None
    for line in lines:
        if not started:
            started = after is not None and after.lower() in line.lower()
            continue
        if line.startswith("- "):
            item = line[2:].strip().rstrip(",.")
            # A notice's list can carry a note as a long point, or a point cut short ("children's"): neither is an
            # item a requester can read as a category or recipient.
            if item and len(item) <= _LONGEST_ITEM and not item.endswith("'s"):
                items.append(item[0].upper() + item[1:])
        elif line and items and stop_at_paragraph:
            break
    return items


def _paragraphs(lines: list[str]) -> list[str]:
    return [line for line in lines if line and not line.startswith("- ")]


def _sentence_starting(lines: list[str], start: str) -> str:
    for line in lines:
        index = line.find(start)
        if index >= 0:
            rest = line[index:]
            end = rest.find(". ")
            return rest if end < 0 else rest[: end + 1]
    return ""


def _list(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def supplementary_from_notice(text: str, *, council_email: str) -> dict[str, str]:
    """The ten Art 15 fields: five from the notice, five from the standard wording."""
    sections = _sections(text)
    missing = [name for name in ("categories", "purposes", "recipients", "retention") if not sections.get(name)]
    if missing:
        raise ValueError("The privacy notice has no section for: " + ", ".join(missing))
    intro = text.split("What information do we hold")[0]
    duties = _bullets([_clean(line) for line in intro.splitlines()], after="We are required to")
    purposes_text = _paragraphs(sections["purposes"])[0]
    # "The services include the below" introduces the services' own descriptions, which the letter does not repeat.
    purposes_text = re.sub(r"\s*The services include the below\.?$", "", purposes_text).rstrip()
    if not purposes_text.endswith("."):
        purposes_text += "."
    categories = _bullets(sections["categories"]) + _bullets(
        sections["categories"], after="we also record information about"
    )
    recipients = _bullets(sections["recipients"], after="the parties we might receive information from")
    retention = " ".join(_paragraphs(sections["retention"]))
    source = _sentence_starting(sections["categories"], "This information is gathered from")
    values = {
        "purposes": purposes_text + "\n\nWe are required by law to:\n" + _list(duties),
        "categories": "Depending on the help you had from us, we may hold:\n" + _list(categories),
        "recipients": "Depending on your circumstances, we may share information with:\n" + _list(recipients),
        "retention": retention,
        "sources": source
        + " Some of it came from other organisations that work with children and families, such as schools, "
        "health services and the police.",
    }
    for name, wording in STANDARD_WORDING.items():
        values[name] = wording.format(email=council_email)
    return values


def read_notice(path: Path, *, council_email: str) -> dict[str, str]:
    return supplementary_from_notice(path.read_text(encoding="utf-8"), council_email=council_email)
