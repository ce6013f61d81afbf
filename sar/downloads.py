"""File downloads built in full before the response starts.

A streamed export that fails half-way has already sent "200 OK" and part of a file: the browser
saves a truncated file that looks complete, and the request's audit event says it was exported.
So the rows are written to a temporary file first (in memory up to SPOOL_BYTES, then on disk, so
a large export still uses flat memory); only when the last row is written does the response
start, and any error before then is an ordinary error page with the transaction rolled back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from flask import Response, send_file

SPOOL_BYTES = 8 * 1024 * 1024


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
