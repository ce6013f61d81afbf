"""Alembic environment for sar, run through Flask-Migrate (``flask --app sar db ...``)."""

from __future__ import annotations

import logging
from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from alembic.operations import ops
from flask import current_app
from sqlalchemy import TypeDecorator

from sar.audit_triggers import add_trigger_ops
from sar.models_registry import load_all_models

config = context.config
if config.config_file_name is not None:
    # Keep loggers that already exist (the app's, pytest's): the default would silence them.
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

# Every model module must be imported, or autogenerate would think its tables should be dropped.
target_metadata = load_all_models()


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Write our column types (UTCDateTime) as the plain SQLAlchemy type they store as.

    A migration is a frozen record of the schema; it must not import application types that may
    change or move later, and the database only ever sees the underlying type.
    """
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def process_revision_directives(migration_context: Any, revision: Any, directives: list[Any]) -> None:
    script = directives[0]
    if getattr(config.cmd_opts, "autogenerate", False) and script.upgrade_ops.is_empty():
        # Never write an empty revision when nothing changed.
        directives[:] = []
        logger.info("No changes in schema detected.")
        return
    upgrade_ops: ops.UpgradeOps = script.upgrade_ops
    downgrade_ops: ops.DowngradeOps = script.downgrade_ops
    add_trigger_ops(upgrade_ops, downgrade_ops)


def _configure_args(**extra: Any) -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        # Catch column type changes (String(60) → String(80)) as well as new columns.
        "compare_type": True,
        "compare_server_default": True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table there and is a plain
        # ALTER on PostgreSQL, so the same revision file runs on both.
        "render_as_batch": True,
        "render_item": render_item,
        "process_revision_directives": process_revision_directives,
        **current_app.extensions["migrate"].configure_args,
        **extra,
    }


def run_migrations_offline() -> None:
    url = current_app.extensions["migrate"].db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, literal_binds=True, **_configure_args())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = current_app.extensions["migrate"].db.engine
    with engine.connect() as connection:
        context.configure(connection=connection, **_configure_args())
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
