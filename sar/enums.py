"""Choices stored as short strings, each with the words a page shows for it.

A member is declared with both, ``QUEUED = "queued", "Waiting to be read"``, so a new choice cannot be added without
its words (a separate ``{member: label}`` table could miss one and fail only when a page showed it).
"""

from __future__ import annotations

import enum
from typing import Self


class LabelledEnum(enum.StrEnum):
    _value_: str
    label: str

    # ``label`` defaults only so that looking a member up by its stored value, ``Status("queued")``, type-checks:
    # that lookup never calls __new__.
    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
