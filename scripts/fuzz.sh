#!/usr/bin/env bash
# Long fuzzing campaign: `bash scripts/fuzz.sh [FILES] [SEED]` (default 100000 files, seed 1) mutates the
# shipped valid files and checks every invariant of tooling/tests/test_fuzz.py on each; the figures go to
# docs/developpeurs/fuzz-<date>.md. Exit 1 when any file broke an invariant.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
exec .venv/bin/python tooling/tests/fuzz_campaign.py "${1:-100000}" "${2:-1}"
