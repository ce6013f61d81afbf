"""What the benchmark scripts share: the machine they ran on, the app's settings for a scratch database, the
``--db`` choice, and the officer and case a benchmark works on.

Each script is still run on its own (``.venv/bin/python tests/benchmarks/bench_X.py``), which puts this folder
first on ``sys.path``, so ``from bench_common import ...`` finds this module. It imports nothing of ``sar`` until a
function needs it: bench_detect.py times its own imports.
"""

from __future__ import annotations

import argparse
import platform
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sar.auth.models import User
    from sar.cases.models import Case

# The test suite's file-encryption key (tests/support.py): benchmark data is invented and thrown away.
FILE_ENCRYPTION_KEY = "kWs3xXt0pQdJ3Qdm5YgM2t1xM6m0R2rD7w7m9yWkq0s="


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def app_config(url: str, scratch: Path | str, *, secret_key: str = "bench", **settings: Any) -> dict[str, Any]:
    """Settings for an app on the database at ``url`` keeping its files under ``scratch``."""
    return {
        "ENV": "testing",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": url,
        "FILE_ENCRYPTION_KEY": FILE_ENCRYPTION_KEY,
        "FILE_STORE_PATH": f"{scratch}/files",
        **settings,
    }


def database_benchmark_arguments(description: str | None, **counts: int) -> tuple[argparse.Namespace, list[str]]:
    """The command line of a benchmark run on SQLite, PostgreSQL or both (``--db``), with a whole-number option
    for each of ``counts`` (``events_per_case=10`` is ``--events-per-case``, 10 by default); returns the arguments
    and the databases chosen, SQLite first."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    for name, default in counts.items():
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    args = parser.parse_args()
    return args, ["sqlite", "postgresql"] if args.db == "both" else [args.db]


def officer_and_case(
    email: str, full_name: str, actor: str, reference: str, received_at: datetime, received_on: date
) -> tuple[User, Case]:
    """An IG officer made through the accounts service, and a new access request logged by them (not yet added to
    the session: the caller adds its register first or as it is)."""
    from sar.audit import SystemActor
    from sar.auth import service as accounts
    from sar.auth.models import Role
    from sar.cases.models import Case, CaseRight, Channel, Right

    officer = accounts.create_user(
        email=email,
        full_name=full_name,
        password="correct horse battery staple",
        roles=(Role.IG_OFFICER,),
        by=SystemActor(actor),
    )
    case = Case(
        reference=reference,
        channel=Channel.EMAIL,
        received_at=received_at,
        received_on=received_on,
        logged_by_id=officer.id,
    )
    case.rights = [CaseRight(right=Right.ACCESS)]
    return officer, case
