"""File downloads built in full before the response starts.

A streamed export that fails half-way has already sent "200 OK" and part of a file: the browser
saves a truncated file that looks complete, and the request's audit event says it was exported.
So the rows are written to a temporary file first (in memory up to SPOOL_BYTES, then on disk, so
a large export still uses flat memory); only when the last row is written does the response
start, and any error before then is an ordinary error page with the transaction rolled back.

CSV downloads are opened in a spreadsheet, which runs a cell starting like a formula: a name such as
``=cmd|' /C calc'!A0`` typed into a case would run on the reader's computer. Every CSV cell goes through
:func:`spreadsheet_text`, which makes such a cell plain text.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask import Response, send_file

from sar import calendar

SPOOL_BYTES = 8 * 1024 * 1024
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def complete_download(chunks: Iterable[str], *, filename: str, mimetype: str) -> Response:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")  # noqa: SIM115 - send_file closes it
    try:
        for chunk in chunks:
            spool.write(chunk.encode("utf-8"))
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    if size <= SPOOL_BYTES:
        with spool:
            body = spool.read()
        return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    response = send_file(spool, mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0)
    response.content_length = size
    return response


def spreadsheet_text(text: str) -> str:
    """A CSV cell a spreadsheet shows as written: one that would start a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: Any) -> str:
    """One value as a CSV cell: empty for none, timestamps in the council's time, dates ISO, enums by value."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return calendar.council_time(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return spreadsheet_text(str(value.value if hasattr(value, "value") else value))


def csv_line(values: Iterable[Any]) -> str:
    """One line of a CSV download (CRLF-terminated, as spreadsheets expect), each value a :func:`csv_cell`."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([csv_cell(v) for v in values])
    return buffer.getvalue()
