"""The detection tests' fixture: a detector over the shared register (tests/unit/redaction/detect_cases.py)."""

from __future__ import annotations

import pytest
from detect_cases import REGISTER

from redaction import Detector, load_register


@pytest.fixture()
def detector() -> Detector:
    # a fresh detector per test: a Detector learns off-register names as it reads a case
    return Detector(load_register(REGISTER))
