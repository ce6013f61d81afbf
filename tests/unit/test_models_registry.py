"""The migration environment sees every table, including ones in modules the app never imported."""

from __future__ import annotations

from sar.models_registry import load_all_models, model_modules


def test_finds_the_modules_that_declare_tables() -> None:
    modules = model_modules()

    assert {"sar.audit", "sar.auth.models", "sar.jobs"} <= set(modules)
    assert "sar.models_registry" not in modules
    assert not [name for name in modules if ".migrations" in name]


def test_loads_the_platform_tables() -> None:
    tables = load_all_models().tables

    assert {"audit_events", "jobs", "users"} <= set(tables)
