"""The three layout marks of letter text, read once for both the PDF and the page that shows a letter.

A blank line separates paragraphs, a line starting ``## `` is a heading, a line starting ``- `` (or ``* ``) is a
bullet point; within a paragraph a single line break is kept (addresses, sign-offs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Block:
    kind: Literal["paragraph", "heading", "bullets"]
    lines: tuple[str, ...]


def _paragraphs(text: str) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _flush(found: list[Block], kind: Literal["paragraph", "bullets"], pending: list[str]) -> None:
    if pending:
        found.append(Block(kind, tuple(pending)))
        pending.clear()


def blocks(text: str) -> list[Block]:
    found: list[Block] = []
    for paragraph in _paragraphs(text):
        lines: list[str] = []
        bullets: list[str] = []
        for line in paragraph:
            stripped = line.strip()
            if stripped.startswith(("- ", "* ")):
                _flush(found, "paragraph", lines)
                bullets.append(stripped[2:].strip())
            elif stripped.startswith("## "):
                _flush(found, "paragraph", lines)
                _flush(found, "bullets", bullets)
                found.append(Block("heading", (stripped[3:].strip(),)))
            else:
                _flush(found, "bullets", bullets)
                lines.append(line)
        _flush(found, "paragraph", lines)
        _flush(found, "bullets", bullets)
    return found
