"""Run as a separate process by test_retry.py: a job worker that stops dead half-way through an ingest.

It reads the document, writes its pages and its child to the database (flushed, not committed), says so
through a signal file and then hangs until the test kills it with SIGKILL.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from sar import create_app
from sar.extensions import db
from sar.jobs import run_worker
from sar.sources import ingest


def main() -> None:
    app = create_app(json.loads(os.environ["SAR_TEST_CONFIG"]))
    applied = ingest._apply

    def apply_then_hang(*args: Any) -> None:
        applied(*args)
        db.session.flush()
        Path(os.environ["SAR_TEST_SIGNAL"]).write_text("half-way")
        time.sleep(300)

    ingest._apply = apply_then_hang  # type: ignore[assignment]
    with app.app_context():
        run_worker(once=True)


if __name__ == "__main__":
    main()
