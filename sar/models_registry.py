"""Import every module that defines tables, so ``Base.metadata`` describes the whole schema.

Alembic's autogenerate and the migration drift test compare the database with ``Base.metadata``;
a model module nobody imported would silently look like a table to drop (or be left out of a new
revision). Rather than a list someone must remember to update, every module in the ``sar``
package whose source declares a ``__tablename__`` is imported: a stage that is not built yet is
simply absent, and a new model module is picked up the moment it exists.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from sqlalchemy import MetaData

from sar.db import Base

PACKAGE_ROOT = Path(__file__).resolve().parent
_SKIP_DIRECTORIES = {"migrations", "static", "__pycache__"}


def model_modules() -> list[str]:
    """Dotted names of the modules under sar/ that declare a table."""
    found = []
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        relative = path.relative_to(PACKAGE_ROOT)
        if _SKIP_DIRECTORIES.intersection(relative.parts[:-1]) or path == Path(__file__).resolve():
            continue
        if "__tablename__" not in path.read_text(encoding="utf-8"):
            continue
        parts = ["sar", *relative.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found.append(".".join(parts))
    return found


def load_all_models() -> MetaData:
    """Import each model module and return the shared metadata."""
    for module_name in model_modules():
        importlib.import_module(module_name)
    return Base.metadata
