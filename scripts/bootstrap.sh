#!/usr/bin/env bash
# Creates .venv, installs the project (with test tools when given "dev"), the Debian packages it
# calls (tesseract-ocr for OCR; LibreOffice for Office files; chromium for browser tests) and the
# front-end assets from npm.
# Safe to run again: each step skips what is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"

need_apt=()
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr tesseract-ocr-eng)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
# Office documents are converted to PDF by LibreOffice headless; emails and records are typeset in DejaVu Sans.
for pkg in libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
if [ "$mode" = dev ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v make >/dev/null 2>&1 || need_apt+=(make)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Please install these Debian packages (as root): ${need_apt[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# Reinstall only when the pinned dependencies changed since the last install, so running the
# tests again is quick and works offline. The stamp records the pyproject.toml it installed.
stamp=".venv/.installed-$mode"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  if [ "$mode" = dev ]; then
    .venv/bin/python -m pip install --quiet -e '.[dev]'
  else
    .venv/bin/python -m pip install --quiet -e .
  fi
  echo "$wanted" > "$stamp"
fi

# GOV.UK Frontend and the build tools come from the npm registry, pinned in package-lock.json.
# npm writes node_modules/.package-lock.json on install; newer than the lock file means up to date
# (npm ci would otherwise delete and re-download node_modules on every run).
if [ -f package-lock.json ]; then
  if [ ! node_modules/.package-lock.json -nt package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
else
  npm install --no-audit --no-fund --loglevel=error
fi
npm run -s build
