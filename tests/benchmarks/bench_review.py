"""Review performance: the review page of a 300-page document, its page images, "apply to every mention" across a
5,000-page case, and background detection of that case.

Builds, in a scratch SQLite database (or the database in ``SAR_BENCH_DATABASE_URL``), a case with a 12-person
register and:

* one 300-page document with a real working PDF (reportlab), for the review page and its lazily loaded images;
* 50 documents of 100 pages each (5,000 pages, about 280 words a page, taken from the development corpus with
  register people named on every page), for detection and for applying a decision to every mention.

Then it times, through the real app (Flask test client, signed in as an IG officer, every read audited):

1. the detection job on the 5,000-page case (register, case knowledge, every page, findings stored);
2. ``GET`` of the review page of page 150 of the 300-page document (median and slowest of 20);
3. the page image: first render (pypdfium2, stored in the file store) and cached, for 10 pages each;
4. "apply to every mention" of a third party named on every page: the count page, then the confirmed ``POST``.

    .venv/bin/python tests/benchmarks/bench_review.py [CORPUS_DIR]
"""

from __future__ import annotations

import io
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench_common import app_config, cpu_model, officer_and_case  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from sar import create_app  # noqa: E402
from sar.cases.models import Case, CasePerson, PersonRole  # noqa: E402
from sar.extensions import db  # noqa: E402
from sar.review.models import ReviewFinding  # noqa: E402
from sar.sources.models import Document, DocumentPage, DocumentStatus  # noqa: E402
from sar.storage import get_store  # noqa: E402
from tests.support import sign_in_as  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "corpus-dev"
WORDS_PER_PAGE = 280
BIG_DOCUMENT_PAGES = 300
CASE_DOCUMENTS, CASE_PAGES_EACH = int(os.environ.get("SAR_BENCH_DOCUMENTS", 50)), 100
PEOPLE = [
    (PersonRole.THIRD_PARTY, "Gary Pollard", "neighbour"),
    (PersonRole.THIRD_PARTY, "Sharon Whitfield", "mother"),
    (PersonRole.THIRD_PARTY, "Dean Whitfield", "stepfather"),
    (PersonRole.THIRD_PARTY, "Kelly Marsh", "aunt"),
    (PersonRole.THIRD_PARTY, "Tyler Marsh", "cousin"),
    (PersonRole.THIRD_PARTY, "Brenda Oakes", "family friend"),
    (PersonRole.PROFESSIONAL, "Jo Bloggs", "social worker"),
    (PersonRole.PROFESSIONAL, "Priya Nair", "health visitor"),
    (PersonRole.PROFESSIONAL, "Martin Hale", "head teacher"),
    (PersonRole.PROFESSIONAL, "Alan Cho", "team manager"),
    (PersonRole.THIRD_PARTY, "Lisa Kerr", "foster carer"),
]


def page_texts(corpus: Path, count: int) -> list[str]:
    """Pages of about WORDS_PER_PAGE words from the corpus, each naming the neighbour and two others."""
    words = " ".join(p.read_text() for p in sorted(corpus.glob("*.txt"))).split()
    pages = []
    for n in range(count):
        start = (n * WORDS_PER_PAGE) % max(1, len(words) - WORDS_PER_PAGE)
        body = words[start : start + WORDS_PER_PAGE - 20]
        other = PEOPLE[1 + n % (len(PEOPLE) - 1)][1]
        lines = [" ".join(body[i : i + 14]) for i in range(0, len(body), 14)]
        lines.insert(2, f"Gary Pollard rang the duty desk about Ayesha Khan on {1 + n % 28} March.")
        lines.insert(8, f"{other} was present and Jo Bloggs recorded the visit.")
        pages.append("\n".join(lines))
    return pages


def words_of(text: str) -> list[list[float]]:
    """A box for every word, laid out as reportlab draws the lines (11 pt, 14 pt apart, from 60 pt down)."""
    out: list[list[float]] = []
    line_start = 0
    for number, line in enumerate(text.split("\n")):
        y0 = 60 + number * 14
        for match in re.finditer(r"\S+", line):
            x0 = 50 + match.start() * 5.2
            out.append(
                [line_start + match.start(), line_start + match.end(), x0, y0, x0 + len(match.group()) * 5.2, y0 + 11]
            )
        line_start += len(line) + 1
    return out


def working_pdf(texts: list[str]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for text in texts:
        pdf.setFont("Helvetica", 9)
        for number, line in enumerate(text.split("\n")):
            pdf.drawString(50, 842 - 60 - 11 - number * 14, line[:130])
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def add_document(case: Case, title: str, texts: list[str], working_key: str | None, size: int) -> Document:
    document = Document(
        case_id=case.id,
        file_key=f"{len(title):064d}"[:64],
        file_size=size,
        media_type="application/pdf",
        original_name=title,
        title=title,
        status=DocumentStatus.READY,
        kind="pdf",
        working_key=working_key,
        working_size=size,
        page_count=len(texts),
        read_at=datetime.now(UTC),
        source="benchmark",
    )
    db.session.add(document)
    db.session.flush()
    db.session.execute(
        insert(DocumentPage),
        [
            {
                "document_id": document.id,
                "number": n,
                "width": 595.0,
                "height": 842.0,
                "text": t,
                "words": words_of(t),
                "ocr": False,
            }
            for n, t in enumerate(texts, start=1)
        ],
    )
    return document


CPU: list[float] = []  # process CPU time of the last timed call: what the request cost, whatever the load


def timed(fn: Any) -> tuple[float, Any]:
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, result


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    with tempfile.TemporaryDirectory(prefix="sar-bench-review-") as scratch:
        url = os.environ.get("SAR_BENCH_DATABASE_URL") or f"sqlite:///{scratch}/bench.sqlite"
        app = create_app(app_config(url, scratch, WTF_CSRF_ENABLED=False, COUNCIL_NAME="Benchmark Council"))
        with app.app_context():
            db.drop_all()
            db.create_all()
            run(app, corpus)
            db.session.remove()
            db.drop_all()


def run(app: Any, corpus: Path) -> None:
    from sar.review import detection

    officer, case = officer_and_case(
        "reviewer@council.example",
        "Bench Officer",
        "review benchmark",
        "SAR-BENCH1",
        received_at=datetime.now(UTC),
        received_on=date.today(),
    )
    register = [(PersonRole.DATA_SUBJECT, "Ayesha Khan", ""), *PEOPLE]
    case.people = [
        CasePerson(
            role=role, full_name=name, relation=relation, position=i, aliases=[], addresses=[], phones=[], emails=[]
        )
        for i, (role, name, relation) in enumerate(register)
    ]
    db.session.add(case)
    db.session.flush()

    big_texts = page_texts(corpus, BIG_DOCUMENT_PAGES)
    pdf = working_pdf(big_texts)
    stored = get_store().put(pdf)
    big = add_document(case, "300-page case file", big_texts, stored.key, stored.size)
    texts = page_texts(corpus, CASE_DOCUMENTS * CASE_PAGES_EACH)
    for d in range(CASE_DOCUMENTS):
        add_document(case, f"record {d + 1}", texts[d * CASE_PAGES_EACH : (d + 1) * CASE_PAGES_EACH], None, 1000)
    db.session.commit()
    pages = db.session.scalar(select(func.count()).select_from(DocumentPage))
    words = sum(len(t.split()) for t in big_texts + texts)
    print(
        f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}, "
        f"{db.engine.dialect.name}; load average before: {os.getloadavg()[0]:.2f}"
    )
    print(f"case: {pages} pages ({words:,} words), register of {len(case.people)} people")

    # 1. detection of the whole case, as the background job does it, committed.
    cpu0 = time.process_time()
    seconds, _ = timed(
        lambda: (detection.detect_case({"case_id": case.id, "reason": "benchmark"}), db.session.commit())
    )
    cpu = time.process_time() - cpu0
    findings = db.session.scalar(select(func.count()).select_from(ReviewFinding))
    print(
        f"detection job, {pages} pages: {seconds:.1f} s wall ({cpu:.1f} s CPU), {findings:,} findings stored "
        f"(target: under 120 s)"
    )

    # Signed in as a completed sign-in leaves it (the server-side session row included), as the tests do.
    client = sign_in_as(app.test_client(), officer)

    # 2. the review page of the 300-page document.
    page_url = f"/cases/{case.id}/review/documents/{big.id}/pages/150"
    client.get(page_url)  # warm the template cache
    times = []
    CPU.clear()
    for _ in range(20):
        seconds, response = timed(lambda: client.get(page_url))
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        times.append(seconds)
    print(
        f"review page (page 150 of {BIG_DOCUMENT_PAGES}, {len(response.data):,} bytes): median "
        f"{statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms; CPU median "
        f"{statistics.median(CPU) * 1000:.0f} ms (target: under 1 s)"
    )

    # 3. page images: first render, then from the cache.
    first, cached, first_cpu, cached_cpu = [], [], [], []
    for number in range(1, 11):
        image_url = f"/cases/{case.id}/review/documents/{big.id}/pages/{number}.png"
        seconds, response = timed(lambda url=image_url: client.get(url))
        assert response.status_code == 200 and response.mimetype == "image/png"
        first.append(seconds)
        first_cpu.append(CPU[-1])
        seconds, _ = timed(lambda url=image_url: client.get(url))
        cached.append(seconds)
        cached_cpu.append(CPU[-1])
    print(
        f"page image: first render median {statistics.median(first) * 1000:.0f} ms (slowest "
        f"{max(first) * 1000:.0f} ms), cached median {statistics.median(cached) * 1000:.0f} ms (slowest "
        f"{max(cached) * 1000:.0f} ms); CPU median {statistics.median(first_cpu) * 1000:.0f} ms first, "
        f"{statistics.median(cached_cpu) * 1000:.0f} ms cached (target: each under 300 ms)"
    )

    # 4. apply to every mention of the neighbour, named on every page.
    seconds_count, response = timed(lambda: client.get(f"/cases/{case.id}/review/apply?person=P1&outcome=redact"))
    assert response.status_code == 200
    mentions = re.search(rb"<strong>(\d+)</strong>", response.data)
    form = {"person": "P1", "outcome": "redact", "confirm": "1", "code": "TP"}
    seconds_apply, response = timed(lambda: client.post(f"/cases/{case.id}/review/apply", data=form))
    assert response.status_code == 302, response.status_code
    redacted = db.session.scalar(
        select(func.count()).where(ReviewFinding.person_ref == "P1", ReviewFinding.outcome == "redact")
    )
    print(
        f"apply to every mention ({mentions.group(1).decode() if mentions else '?'} mentions on {pages} pages): "
        f"count page {seconds_count:.2f} s, applying {seconds_apply:.2f} s (CPU {CPU[-1]:.2f} s), "
        f"{redacted:,} redacted "
        f"(target: under 5 s)"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
