#!/usr/bin/env bash
# Set up (if needed) and open the desktop app on demo data in an embedded SQLite file (./demo-home).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/inspector-app --home "${INSPECTOR_HOME:-$PWD/demo-home}" --demo "$@"
