"""Numbers in URLs: path ids and query-string integers bounded to what an id column can hold."""

from __future__ import annotations

from flask import abort, request
from werkzeug.routing import IntegerConverter, Map

# The largest id either database can store (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that matches only what fits an id column: a larger number is a 404 page,
    never an overflow inside the database driver."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 0, max: int | None = MAX_ID) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)


def parse_id(text: str | None, *, minimum: int = 1) -> int | None:
    """A whole number from ``minimum`` up to what an id column holds, or None (for lenient filters)."""
    if text is None:
        return None
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if minimum <= value <= MAX_ID else None


def query_int(name: str, default: int | None = None) -> int | None:
    """A whole-number query parameter: absent gives ``default``; anything else that is not a
    number an id column can hold is a 400 page (a clear "there is a problem with what was sent")."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = parse_id(raw)
    if value is None:
        abort(400)
    return value
