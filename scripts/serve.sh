#!/usr/bin/env bash
# Runs the application under gunicorn (several worker processes) on the embedded defaults: SQLite
# and the file store in instance/, unless SAR_DATABASE_URL and friends say otherwise. Migrations
# are applied first. This is what a deployment runs behind its reverse proxy (README, "Running in
# production"); the load test (tests/benchmarks/bench_load.py) starts it too.
#
#   SAR_BIND     address to listen on          (default 127.0.0.1:8000)
#   SAR_WORKERS  worker processes              (default 2 x cores + 1, at most 8)
#   SAR_ENV      production | development      (default development: keys generated into instance/)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/gunicorn ] || scripts/bootstrap.sh app
export FLASK_APP=sar SAR_ENV="${SAR_ENV:-development}"
cores=$(nproc 2>/dev/null || echo 2)
workers="${SAR_WORKERS:-$(( cores * 2 + 1 > 8 ? 8 : cores * 2 + 1 ))}"
.venv/bin/flask db upgrade
exec .venv/bin/gunicorn "sar:create_app()" \
  --bind "${SAR_BIND:-127.0.0.1:8000}" \
  --workers "$workers" \
  --worker-class sync \
  --timeout 120 \
  --graceful-timeout 30 \
  --access-logfile - \
  --forwarded-allow-ips "${SAR_FORWARDED_ALLOW_IPS:-127.0.0.1}"
