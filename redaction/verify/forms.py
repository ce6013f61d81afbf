"""The forms a forbidden string can take in extracted text and in raw PDF bytes."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from functools import cached_property

_SQUASH = re.compile(r"[\s\-\u00ad\u2010-\u2015]+")
_DIGIT_RUN = re.compile(r"\d(?:[\s\-./()]{0,3}\d)*")
# Fewer digits than this match too much by chance (a house number, a year) to mean anything.
MIN_DIGITS = 6
# Raw binary streams (fonts) contain short letter runs by chance; only longer strings are searched.
MIN_RAW_LENGTH = 4


@dataclass(frozen=True)
class Needle:
    """A string that must not be recoverable, in every form it is searched for."""

    original: str

    @cached_property
    def folded(self) -> str:
        return self.original.casefold()

    @cached_property
    def squashed(self) -> str:
        return squash(self.original)

    @cached_property
    def digits(self) -> str | None:
        digits = re.sub(r"\D", "", self.original)
        return digits if len(digits) >= MIN_DIGITS else None

    @cached_property
    def exact_pattern(self) -> re.Pattern[str]:
        # Whole words only: a forbidden "Al" must not fail a page that mentions "Alison".
        return re.compile(r"(?<!\w)" + re.escape(self.original) + r"(?!\w)")

    @cached_property
    def folded_pattern(self) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)" + re.escape(self.folded) + r"(?!\w)")

    @cached_property
    def byte_forms(self) -> list[tuple[str, bytes]]:
        if len(self.original.strip()) < MIN_RAW_LENGTH:
            return []
        forms: list[tuple[str, bytes]] = [("UTF-8", self.original.encode("utf-8"))]
        with contextlib.suppress(UnicodeEncodeError):
            forms.append(("PDFDocEncoding/Latin-1", self.original.encode("latin-1")))
        forms.append(("UTF-16BE", self.original.encode("utf-16-be")))
        forms.append(("UTF-16BE", self.original.upper().encode("utf-16-be")))
        forms.append(("UTF-16BE", self.original.lower().encode("utf-16-be")))
        return forms


def squash(text: str) -> str:
    return _SQUASH.sub("", text).casefold()


class SearchableText:
    """One extracted text, pre-normalised once so many needles can be searched cheaply."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = text.casefold()
        self.squashed = squash(text)
        self.digit_runs = [re.sub(r"\D", "", run) for run in _DIGIT_RUN.findall(text)]

    def find(self, needle: Needle) -> str | None:
        """The form in which the needle occurs, or ``None``."""
        if not needle.original.strip():
            return None
        if needle.exact_pattern.search(self.text):
            return "exact"
        if needle.folded_pattern.search(self.folded):
            return "ignoring case"
        if needle.squashed and needle.squashed != needle.folded and needle.squashed in self.squashed:
            return "ignoring spaces and hyphens"
        digits = needle.digits
        if digits and any(digits in run for run in self.digit_runs):
            return "digits only"
        return None

    def contains(self, wanted: str) -> bool:
        """Looser test for text that must be kept: spacing and case do not matter."""
        target = squash(wanted)
        return bool(target) and target in self.squashed


def find_in_bytes(needle: Needle, data: bytes, lowered: bytes) -> str | None:
    for form, encoded in needle.byte_forms:
        if encoded in data:
            return form
        if encoded.lower() in lowered:
            return f"{form}, ignoring case"
    return None
