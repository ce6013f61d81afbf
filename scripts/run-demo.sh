#!/usr/bin/env bash
# Sets up everything on the embedded defaults (SQLite, files in instance/), loads the demo council
# and starts the server on http://127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh app
export FLASK_APP=sar SAR_ENV=development
.venv/bin/flask db upgrade
.venv/bin/flask seed-demo --if-empty
echo
echo "Open http://127.0.0.1:5000 and sign in with one of the demo accounts above."
exec .venv/bin/flask run --host 127.0.0.1 --port 5000
