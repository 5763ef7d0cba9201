#!/usr/bin/env bash
# Set up, lint, and run every test (unit, git, site build, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest -n 2 -q "$@"
