#!/usr/bin/env bash
# Set up (if needed) and run the default test suite: lint, types, import rules, pytest.
# Extra arguments go to pytest (e.g. `-m slow` for the soak/fuzz runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff"
.venv/bin/ruff check inspector_app tests benches scripts deploy
.venv/bin/ruff format --check inspector_app tests benches scripts deploy
echo "== mypy --strict (the whole package, gui/ included; see pyproject.toml)"
.venv/bin/mypy inspector_app deploy
echo "== pytest"
# pytest exits 5 when no test ran: with `set -e` that fails the run, as it should.
.venv/bin/python -m pytest -p no:cacheprovider "$@"
