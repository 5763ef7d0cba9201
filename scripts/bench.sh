#!/usr/bin/env bash
# The benchmark of issue 5 from a fresh clone: set up the virtualenv, then run
# bench/run.py with the arguments given (see `bash scripts/bench.sh --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python bench/run.py "$@"
