#!/usr/bin/env bash
# Set up, validate the shipped register, then build and serve the catalogue
# on http://127.0.0.1:8000/registre/ (the path of site_url; Ctrl+C to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/coop verifier
exec .venv/bin/mkdocs serve --dev-addr 127.0.0.1:8000 "$@"
