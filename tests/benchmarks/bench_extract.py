"""Extraction throughput: born-digital documents, LibreOffice conversions, OCR pages.

Run: .venv/bin/python tests/benchmarks/bench_extract.py [--docs 2000] [--workers 1 2] [--office 12] [--ocr 8]

- born-digital: a mix of 2,000 documents in equal shares: two-page PDF letters, emails with a PDF
  attachment (the attachment is extracted too, as the app does with children, and counted as a
  document) and plain-text records. Each worker process extracts its share; documents/second is
  total documents over wall-clock time.
- LibreOffice: Word documents of two pages converted one after another (one worker holds the lock),
  reported as conversions per minute.
- OCR: A4 scans at 300 dpi with a paragraph of text, reported as pages per minute on one worker.
All inputs are generated first and not timed. Besides wall-clock rates, CPU seconds are reported
(this process plus the Tesseract/LibreOffice programs it ran): on a shared, loaded machine the CPU
figure says what the work costs, the wall-clock one what share of the machine it got.
"""

from __future__ import annotations

import argparse
import email.policy
import io
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "sources"))

from source_builders import docx_bytes, email_message, scan_image, text_pdf  # noqa: E402

from sar.sources.extract import Extraction, Limits, extract  # noqa: E402

LINES = [
    "Dear Ms Jones, I am writing about the review meeting for Kayla Smith on {page} March.",
    "The school reported good attendance and the nurse has no new concerns about her health.",
    "Her mother asked for contact arrangements to be reviewed before the summer holidays.",
] * 8


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def make_inputs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = text_pdf(LINES, pages=2)
    eml = email_message(attachments=[("letter.pdf", pdf, "application/pdf")]).as_bytes(policy=email.policy.default)
    record = ("Case note. " + " ".join(LINES)).encode()
    paths = []
    for n in range(count):
        kind = n % 3
        path = folder / f"{n:05d}.{('pdf', 'eml', 'txt')[kind]}"
        path.write_bytes((pdf, eml, record)[kind])
        paths.append(path)
    return paths


def _extract_all(paths: list[Path]) -> tuple[int, int]:
    documents = pages = 0
    with tempfile.TemporaryDirectory() as work:
        for path in paths:
            queue = [(path, 0)]
            while queue:
                item, depth = queue.pop()
                result = extract(item, original_name=item.name, workdir=Path(work), limits=Limits(), depth=depth)
                assert result.refusal is None, result.refusal
                documents += 1
                pages += len(result.pages)
                queue.extend((child.path, depth + 1) for child in result.children)
    return documents, pages


def born_digital(count: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        paths = make_inputs(Path(scratch) / "in", count)
        shares = [paths[i::workers] for i in range(workers)]
        start, cpu = time.perf_counter(), cpu_seconds()
        if workers == 1:
            results = [_extract_all(paths)]
        else:
            with ProcessPoolExecutor(workers) as pool:
                results = list(pool.map(_extract_all, shares))
        elapsed, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    documents = sum(r[0] for r in results)
    pages = sum(r[1] for r in results)
    print(
        f"born-digital, {workers} worker(s): {count} files -> {documents} documents, {pages} pages in {elapsed:.1f} s: "
        f"{documents / elapsed:.1f} documents/s, {count / elapsed:.1f} files/s, {pages / elapsed:.1f} pages/s; "
        f"CPU {cpu:.1f} s = {documents / cpu:.1f} documents per CPU-second"
    )


def _timed_extracts(folder: Path, suffix: str, data: bytes, count: int) -> tuple[list[Extraction], float, float]:
    """``count`` copies of one file, each extracted on its own: the results, and the wall and CPU seconds taken."""
    paths = []
    for n in range(count):
        path = folder / f"{n}.{suffix}"
        path.write_bytes(data)
        paths.append(path)
    start, cpu = time.perf_counter(), cpu_seconds()
    results = []
    for path in paths:
        result = extract(path, original_name=path.name, workdir=folder / "work", limits=Limits())
        assert result.refusal is None, result.refusal
        results.append(result)
    return results, time.perf_counter() - start, cpu_seconds() - cpu


def office(count: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        data = docx_bytes([line.format(page=n) for n in range(2) for line in LINES] * 2)
        results, elapsed, cpu = _timed_extracts(Path(scratch), "docx", data, count)
        pages = sum(len(result.pages) for result in results)
    print(
        f"LibreOffice: {count} Word documents ({pages} pages) in {elapsed:.1f} s: {count * 60 / elapsed:.1f}/minute; "
        f"CPU {cpu / count:.2f} s a conversion"
    )


def ocr(count: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        image = scan_image("\n".join(line.format(page=1)[:60] for line in LINES[:20]), at=(250, 300))
        buffer = io.BytesIO()
        image.save(buffer, "PNG", dpi=(300, 300))
        results, elapsed, cpu = _timed_extracts(Path(scratch), "png", buffer.getvalue(), count)
        words = sum(len(result.pages[0].words) for result in results)
    print(
        f"OCR: {count} A4 pages at 300 dpi ({words // count} words a page) in {elapsed:.1f} s: "
        f"{count * 60 / elapsed:.1f} pages/minute; CPU {cpu / count:.2f} s a page"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--office", type=int, default=12)
    parser.add_argument("--ocr", type=int, default=8)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    for workers in args.workers:
        born_digital(args.docs, workers)
    if args.office:
        office(args.office)
    if args.ocr:
        ocr(args.ocr)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
