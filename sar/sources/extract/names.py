"""Safe local file names for children: a name from inside a file is never used as a path."""

from __future__ import annotations

import re
from pathlib import Path

_UNSAFE = re.compile(r"[^\w.\- ]+")


def child_path(folder: Path, index: int, name: str) -> Path:
    base = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .") or "item"
    return folder / f"{index:05d}-{base[:80]}"
