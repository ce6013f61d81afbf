"""Finding a row of a case by the id in a URL.

An id in a URL is never trusted on its own: a document, task or finding is found only together with the case
the URL names, so changing the number in the address cannot reach another case's records. A row of another
case is as good as missing (NoResultFound, which sar.web turns into a 404).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select

from sar.db import Base
from sar.extensions import db

Row = TypeVar("Row", bound=Base)


def of_case(model: type[Row], row_id: int, case_id: int) -> Row:
    """The ``model`` row with this id if it belongs to the case; every such model has ``id`` and ``case_id``."""
    columns: Any = model
    return db.session.execute(select(model).where(columns.id == row_id, columns.case_id == case_id)).scalar_one()
