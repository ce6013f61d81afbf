"""The facts-provider registry through which later stages report their facts without intake importing them."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from sar.cases.facts import BundleFacts, GatheringFacts, register_facts_provider, stage_facts

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def _gathering(case: object) -> GatheringFacts:
    return GatheringFacts(tasks_total=1, tasks_open=1)


def test_one_provider_per_stage_and_each_returns_its_own_dataclass():
    app = Flask(__name__)
    register_facts_provider(app, "gathering", _gathering)
    register_facts_provider(app, "gathering", _gathering)  # the same one again (an app factory run twice) is fine
    with pytest.raises(RuntimeError, match="already registered"):
        register_facts_provider(app, "gathering", lambda case: GatheringFacts())
    with pytest.raises(ValueError, match="Unknown stage"):
        register_facts_provider(app, "sending", _gathering)  # type: ignore[arg-type]
    register_facts_provider(app, "bundle", lambda case: GatheringFacts())  # type: ignore[arg-type,return-value]
    with app.app_context(), pytest.raises(TypeError, match="bundle facts provider returned GatheringFacts"):
        stage_facts(object())  # type: ignore[arg-type]


def test_with_no_provider_a_stage_reports_nothing():
    app = Flask(__name__)
    with app.app_context():
        assert stage_facts(object()) == {}  # type: ignore[arg-type]
    register_facts_provider(app, "bundle", lambda case: BundleFacts(built=True))
    with app.app_context():
        assert stage_facts(object()) == {"bundle": BundleFacts(built=True)}  # type: ignore[arg-type]


def test_no_page_refers_staff_to_internal_documents():
    """Pages explain things in plain words; the specification's section numbers are for developers."""
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "sar-rules" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
