#!/usr/bin/env bash
# The whole test suite: installs what the tests need, starts PostgreSQL and Redis, then runs the
# linters (ruff lint, ruff format --check, mypy), the architecture contracts and pytest (SQLite always, PostgreSQL when reachable).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
scripts/start-services.sh
echo "== ruff";          .venv/bin/ruff check sar redaction tests
echo "== ruff format";   .venv/bin/ruff format --check sar redaction tests
echo "== mypy";          .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
echo "== pytest"
exec .venv/bin/pytest -n "${SAR_TEST_WORKERS:-2}" "$@"
