"""Detection throughput: words per second on one core with a 30-person case register.

Builds a register of 30 people from the development corpus's registers (the first document's
subject, then third parties and professionals drawn from the others), and a text of at least
500,000 words by repeating the corpus documents. Start-up (importing the library with its word
lists, loading the register, compiling the automaton and patterns) is timed separately and excluded
from the figure. Peak memory (RSS) is the whole process's, text included; the load average is
printed because the machine is shared.

    .venv/bin/python tests/benchmarks/bench_detect.py [CORPUS_DIR]
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

_T_START = time.perf_counter()

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench_common import cpu_model  # noqa: E402

from redaction import Detector, load_register  # noqa: E402

_IMPORT_S = time.perf_counter() - _T_START
_IMPORT_CPU = time.process_time()  # the interpreter's own start and every import, on CPU

DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "corpus-dev"
TARGET_WORDS = 500_000
REGISTER_SIZE = 30


def build_register(corpus: Path) -> dict[str, Any]:
    files = sorted(corpus.glob("*.people.json"))
    first = json.loads(files[0].read_text())
    people: list[dict[str, Any]] = []
    seen: set[str] = set()
    for f in files:
        for p in json.loads(f.read_text())["people"]:
            if p["name"] in seen:
                continue
            seen.add(p["name"])
            people.append({**p, "id": f"P{len(people) + 1}"})
            if len(people) == REGISTER_SIZE - 1:
                return {"subject": first["subject"], "people": people}
    return {"subject": first["subject"], "people": people}


def build_text(corpus: Path) -> str:
    docs = [p.read_text() for p in sorted(corpus.glob("*.txt"))]
    one_pass = "\n\n".join(docs)
    words = len(one_pass.split())
    repeats = -(-TARGET_WORDS // words)
    return "\n\n".join([one_pass] * repeats)


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    raw = build_register(corpus)
    text = build_text(corpus)
    words = len(text.split())
    t0, c0 = time.perf_counter(), time.process_time()
    detector = Detector(load_register(raw))
    detector.detect("warm up: Mr Smith called on 07700 900123.")
    startup = time.perf_counter() - t0 + _IMPORT_S
    startup_cpu = time.process_time() - c0 + _IMPORT_CPU
    best = float("inf")
    best_cpu = float("inf")
    findings = 0
    for _ in range(5):
        t1, c1 = time.perf_counter(), time.process_time()
        findings = len(detector.detect(text))
        best = min(best, time.perf_counter() - t1)
        best_cpu = min(best_cpu, time.process_time() - c1)
    print(f"cpu            {cpu_model()}")
    print(f"python         {platform.python_version()}")
    print(f"register       {len(raw['people']) + 1} people")
    print(f"text           {words} words, {len(text)} characters")
    print(
        f"start-up       {startup * 1000:.0f} ms wall, {startup_cpu * 1000:.0f} ms CPU "
        "(interpreter, imports, register and patterns; excluded)"
    )
    print(f"findings       {findings}")
    print(f"best of 5      {best:.2f} s wall, {best_cpu:.2f} s CPU (one core)")
    print(f"words_per_s    {words / best:,.0f} wall, {words / best_cpu:,.0f} CPU")
    print(f"peak RSS       {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"load average   {' '.join(f'{v:.2f}' for v in os.getloadavg())} (1, 5, 15 min; 2 cores)")


if __name__ == "__main__":
    main()
