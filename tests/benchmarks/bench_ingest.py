"""Ingest throughput: ``.venv/bin/python tests/benchmarks/bench_ingest.py [--documents 2000] [--workers 2]``.

Target (issue 11): 2,000 mixed born-digital documents (PDF, EML with an attachment, text records) ingested at
20 documents/s or better on the 2-core machine. The files are made first (not timed); then the clock runs from
the first file handed to ``add_file`` (stored, encrypted, queued, exactly as an upload) until every document
has been read by the job workers, which run as separate processes (``jobs run --once``), as in production.
De-duplication runs as part of it (the last job of the case). Prints a Markdown table row for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench_common import app_config, officer_and_case  # noqa: E402

LINE = "On {n} May the social worker visited the family at home and discussed the plan for the children."


def pdf(n: int, pages: int) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        c.setFont("Helvetica", 10)
        for row in range(40):
            c.drawString(56, 790 - 18 * row, f"Record {n}, page {page + 1}: " + LINE.format(n=row + 1))
        c.showPage()
    c.save()
    return buffer.getvalue()


def eml(n: int) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = "social.worker@council.example", "team@council.example"
    message["Subject"], message["Date"] = f"Visit {n}", "Tue, 03 Mar 2020 09:30:00 +0000"
    message["Message-ID"] = f"<visit-{n}@council.example>"
    message.set_content(f"Message {n}. " + LINE.format(n=n) * 3)
    message.add_attachment(
        f"Attached note {n}. {LINE.format(n=n)}".encode(), maintype="text", subtype="plain", filename=f"note-{n}.txt"
    )
    return message.as_bytes()


def record(n: int) -> bytes:
    return (f"CASE RECORD {n}\nDate: 2020-03-{n % 28 + 1:02d}\nType: Contact\n\n" + LINE.format(n=n) * 5).encode()


def corpus(count: int) -> list[tuple[str, bytes]]:
    made = []
    for n in range(count):
        kind = n % 3
        if kind == 0:
            made.append((f"letter-{n}.pdf", pdf(n, 1 + (n // 3) % 3)))
        elif kind == 1:
            made.append((f"message-{n}.eml", eml(n)))
        else:
            made.append((f"record-{n}.txt", record(n)))
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="", help="SQLAlchemy URL (default: a new SQLite file)")
    args = parser.parse_args()

    from datetime import UTC, date, datetime

    from sar import create_app
    from sar.extensions import db
    from sar.sources import ingest
    from sar.sources.models import Document, DocumentStatus

    scratch = Path(tempfile.mkdtemp(prefix="sar-bench-ingest-"))
    url = args.database or f"sqlite:///{scratch / 'bench.sqlite'}"
    config = app_config(url, scratch, JOB_RETRY_BASE_SECONDS=1)
    files = corpus(args.documents)
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        user, case = officer_and_case(
            "ingest.officer@council.example",
            "Ingest Officer",
            "benchmark",
            "SAR-BENCH-1",
            received_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
            received_on=date(2026, 11, 2),
        )
        db.session.add(case)
        db.session.commit()
        load_before = os.getloadavg()
        started = time.perf_counter()
        started_at = datetime.now(UTC)
        cpu_started = time.process_time()
        for number, (name, content) in enumerate(files):
            ingest.add_file(case, name, content, source="benchmark", by=user)
            if number % 200 == 199:
                db.session.commit()
        db.session.commit()
        stored = time.perf_counter() - started
        worker_code = (
            "import json, os; from sar import create_app; from sar.jobs import run_worker; "
            "app = create_app(json.loads(os.environ['BENCH_CONFIG'])); ctx = app.app_context(); ctx.push(); "
            "run_worker(once=True)"
        )
        environment = {**os.environ, "BENCH_CONFIG": json.dumps(config), "PYTHONPATH": str(ROOT)}
        workers = [subprocess.Popen([sys.executable, "-c", worker_code], env=environment) for _ in range(args.workers)]
        for worker in workers:
            worker.wait()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = usage.ru_utime + usage.ru_stime
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()
        db.session.expire_all()
        counts = dict(db.session.execute(select(Document.status, func.count()).group_by(Document.status)).all())
        pages = db.session.scalar(select(func.sum(Document.page_count)))
        last_read = db.session.scalar(select(func.max(Document.read_at)))
    total = sum(counts.values())
    read_elapsed = (last_read - started_at).total_seconds() if last_read else elapsed
    rate = args.documents / read_elapsed
    print(
        f"{args.documents} files ({total} documents, {pages} pages) read in {read_elapsed:.1f} s: "
        f"{rate:.1f} files/s; workers' CPU {workers_cpu:.1f} s ({args.documents / workers_cpu:.1f} files per CPU "
        f"second); "
        f"{elapsed:.1f} s with the final de-duplication; "
        f"storing and queueing took {stored:.1f} s (main process CPU {time.process_time() - cpu_started:.1f} s); "
        f"statuses { ({str(k.value): v for k, v in counts.items()}) }",
        file=sys.stderr,
    )
    assert counts.get(DocumentStatus.QUEUED, 0) == 0, "some documents were not read"
    machine = (
        f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(
        f"| {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after | {machine} | {url.split(':')[0]} | {args.workers} | {args.documents} "
        f"({pages} pages) | {read_elapsed:.1f} s | {rate:.1f} | {args.documents / workers_cpu:.1f} | "
        f"{elapsed:.1f} s |"
    )


if __name__ == "__main__":
    main()
