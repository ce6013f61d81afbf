"""Extraction tests: a work folder per test and the default limits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sar.sources.extract import Extraction, Limits, extract


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., Extraction]:
    """Write ``data`` under ``name`` and extract it, as the gathering app would."""

    def _run(data: bytes, name: str = "file", *, limits: Limits | None = None, depth: int = 0) -> Extraction:
        source = tmp_path / "in" / name
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(data)
        return extract(source, original_name=name, workdir=tmp_path / "work", limits=limits or Limits(), depth=depth)

    return _run
