"""De-duplication of 10,000 documents (exact and near) under 60 s, memory linear in the count.

Run: .venv/bin/python tests/benchmarks/bench_dedupe.py [COUNT ...]   (default 2500 5000 10000)

Each count runs in a fresh process so its peak memory is its own. The corpus: letters of about
350 words drawn from a 5,000-word vocabulary; 10% are exact copies of another letter, 20% are
the same letter with another footer (a near duplicate), 5% are an email and its reply quoting it.
Time covers both functions (near-duplicate groups and email threads); memory is the peak traced
by tracemalloc during the call (Python and numpy allocations), plus the process's peak RSS.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import time
import tracemalloc


def corpus(count: int, seed: int = 7) -> tuple[list[tuple[int, str]], list[tuple[int, dict[str, str], str]]]:
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(5000)]
    texts: list[tuple[int, str]] = []
    emails: list[tuple[int, dict[str, str], str]] = []
    for doc_id in range(count):
        roll = rng.random()
        if texts and roll < 0.10:
            texts.append((doc_id, rng.choice(texts)[1]))
        elif texts and roll < 0.30:
            base = rng.choice(texts)[1].rsplit(" FOOTER ", 1)[0]
            texts.append((doc_id, base + " FOOTER " + " ".join(rng.choices(vocabulary, k=12))))
        else:
            body = " ".join(rng.choices(vocabulary, k=350))
            texts.append((doc_id, body + " FOOTER " + " ".join(rng.choices(vocabulary, k=12))))
        if roll > 0.95 and emails:
            parent_id, parent_meta, parent_text = rng.choice(emails)
            meta = {"message_id": f"<m{doc_id}@x>", "in_reply_to": parent_meta["message_id"], "subject": "Re: x"}
            emails.append((doc_id, meta, " ".join(rng.choices(vocabulary, k=40)) + "\n> " + parent_text))
        else:
            emails.append((doc_id, {"message_id": f"<m{doc_id}@x>", "subject": "x"}, texts[-1][1]))
    return texts, emails


def run(count: int) -> None:
    from sar.sources.dedupe import email_thread_groups, near_duplicate_groups

    texts, emails = corpus(count)
    start, cpu = time.perf_counter(), time.process_time()
    groups = near_duplicate_groups(texts)
    threads = email_thread_groups(emails)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    tracemalloc.start()
    near_duplicate_groups(texts)
    email_thread_groups(emails)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grouped = sum(len(g) for g in groups)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{count:>6} docs: {elapsed:6.2f} s (CPU {cpu:6.2f} s), {count / elapsed:7.0f} docs/s, "
        f"traced peak {peak / 2**20:6.1f} MiB "
        f"({peak / count / 1024:5.1f} KiB/doc), process peak RSS {rss:6.0f} MiB, {len(groups)} groups "
        f"({grouped} docs), {len(threads)} threads collapsed"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        run(int(sys.argv[2]))
    else:
        for n in [int(a) for a in sys.argv[1:]] or [2500, 5000, 10000]:
            subprocess.run([sys.executable, __file__, "--one", str(n)], check=True)
