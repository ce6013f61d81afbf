"""`flask db upgrade` builds exactly the schema the models describe, on SQLite and PostgreSQL.

These tests run the real Alembic revisions in sar/migrations on an empty database (not
``create_all``), so a model change without a migration fails here with the drift listed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
import support
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import ops
from alembic.script import ScriptDirectory
from flask import Flask

import sar
from sar import audit, create_app
from sar.audit import SYSTEM
from sar.audit_triggers import CreateAuditTriggersOp, DropAuditTriggersOp, add_trigger_ops
from sar.extensions import db
from sar.models_registry import load_all_models


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An app on a brand-new, empty database: no create_all, nothing but what migrations build."""
    conftest = support
    schema = None
    admin_engine = None
    if request.param == "postgresql":
        if not conftest.POSTGRES_AVAILABLE:
            pytest.skip("PostgreSQL is not reachable")
        schema = f"m_{uuid.uuid4().hex[:12]}"
        admin_engine = sa.create_engine(conftest.POSTGRES_ADMIN_URL)
        with admin_engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
        url = f"{conftest.POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    application = create_app(conftest.base_test_config(tmp_path, url))
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    if admin_engine is not None:
        with admin_engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin_engine.dispose()


def schema_drift() -> list[Any]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, load_all_models()))


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_builds_the_schema_the_models_describe(empty_app: Flask) -> None:
    flask_migrate.upgrade()

    drift = schema_drift()

    assert not drift, (
        "The migrations do not match the models. Generate a revision with scripts/new-migration.sh NAME. "
        "Differences:\n" + "\n".join(f"  {difference}" for difference in drift)
    )
    assert set(load_all_models().tables) <= table_names()


def test_downgrade_to_base_removes_every_table(empty_app: Flask) -> None:
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")

    assert table_names() <= {"alembic_version"}
    flask_migrate.upgrade()  # and the chain of revisions can be applied again from nothing
    assert not schema_drift()


def _append_one_event() -> int:
    event_id = audit.record("case_viewed", object_type="case", object_id=1, summary="original", by=SYSTEM).id
    db.session.commit()
    # Read nothing more through the session: on PostgreSQL that would open a transaction whose
    # share lock on audit_events makes the TRUNCATE test wait forever instead of being refused.
    return event_id


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET summary = 'rewritten'", "DELETE FROM audit_events"],
    ids=["update", "delete"],
)
def test_database_refuses_to_rewrite_the_audit_trail(empty_app: Flask, statement: str) -> None:
    flask_migrate.upgrade()
    event_id = _append_one_event()

    with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(sa.text(statement))

    with db.engine.connect() as connection:
        summary = connection.execute(sa.text("SELECT summary FROM audit_events WHERE id = :id"), {"id": event_id})
        assert summary.scalar_one() == "original"
    assert audit.verify_chain() == (1, None)


def test_postgresql_refuses_truncate_of_the_audit_trail(empty_app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    flask_migrate.upgrade()
    _append_one_event()

    with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(sa.text("TRUNCATE audit_events"))


def test_new_audit_events_can_still_be_appended_after_upgrade(empty_app: Flask) -> None:
    flask_migrate.upgrade()
    for _ in range(3):
        _append_one_event()

    assert audit.verify_chain() == (3, None)


def test_autogenerate_adds_the_triggers_to_the_revision_that_creates_the_audit_table() -> None:
    upgrade = ops.UpgradeOps(ops=[ops.CreateTableOp("audit_events", [])])
    downgrade = ops.DowngradeOps(ops=[ops.DropTableOp("audit_events")])

    add_trigger_ops(upgrade, downgrade)

    assert isinstance(upgrade.ops[-1], CreateAuditTriggersOp)
    assert isinstance(downgrade.ops[0], DropAuditTriggersOp)


def test_autogenerate_leaves_revisions_about_other_tables_alone() -> None:
    upgrade = ops.UpgradeOps(ops=[ops.CreateTableOp("cases", [])])
    downgrade = ops.DowngradeOps(ops=[ops.DropTableOp("cases")])

    add_trigger_ops(upgrade, downgrade)

    assert [type(op) for op in upgrade.ops] == [ops.CreateTableOp]
    assert [type(op) for op in downgrade.ops] == [ops.DropTableOp]


def test_the_baseline_keeps_the_revision_id_existing_databases_are_stamped_with() -> None:
    """The nine pre-release revisions were squashed into one that kept the last id, so a database already at
    0009_delivery (a demo database, say) needs no change; renaming the baseline would strand every one of them."""
    scripts = ScriptDirectory(str(Path(sar.__file__).parent / "migrations"))

    assert scripts.get_bases() == ["0009_delivery"]
