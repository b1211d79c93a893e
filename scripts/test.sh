#!/usr/bin/env bash
# Install everything (see setup.sh), then run the linter and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check pipeline tests bench scripts
OMP_THREAD_LIMIT=1 .venv/bin/python -m pytest -q "$@"
