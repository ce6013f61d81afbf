"""Does a text mention the subject? Names and aliases (case-insensitive, whole words), the date of birth in the
usual ways it is written, and the NHS number with or without spaces."""

from __future__ import annotations

import re

from sar.sources.connectors import Subject


def _date_forms(subject: Subject) -> list[str]:
    born = subject.date_of_birth
    if born is None:
        return []
    return [
        born.isoformat(),
        f"{born:%d/%m/%Y}",
        f"{born.day}/{born.month}/{born.year}",
        f"{born.day} {born:%B %Y}",
        f"{born:%d.%m.%Y}",
    ]


def pattern_for(subject: Subject) -> re.Pattern[str]:
    parts = [r"\b" + r"\s+".join(map(re.escape, name.split())) + r"\b" for name in subject.names]
    parts += [re.escape(form) for form in _date_forms(subject)]
    if subject.nhs_number:
        digits = re.sub(r"\D", "", subject.nhs_number)
        if len(digits) == 10:
            parts.append(rf"{digits[:3]}[\s-]?{digits[3:6]}[\s-]?{digits[6:]}")
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


def mentions(subject: Subject, text: str) -> bool:
    return pattern_for(subject).search(text) is not None
