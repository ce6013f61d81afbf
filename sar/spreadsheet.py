"""The cells and lines of the CSV files staff download and open in a spreadsheet.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) as a
formula, so a requester's name like ``=cmd|...`` must reach it as text: every exported cell goes through
:func:`cell`, which keeps such text inert with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sar.calendar import council_time

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A value as spreadsheet-safe text: nothing for None, a moment in the council's time to the minute, an enum
    by its stored value."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = council_time(value).isoformat(timespec="minutes")
    elif hasattr(value, "value"):
        value = value.value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def line(values: Iterable[Any]) -> str:
    """One CSV line of safe cells, ended by CRLF as spreadsheets expect."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell(v) for v in values])
    return buffer.getvalue()
