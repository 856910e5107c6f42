#!/usr/bin/env bash
# Starts the application on an embedded SQLite demo database (generated on first use).
#   scripts/demo.sh                 the counter (窗口) role with 20,000 demo cases
#   scripts/demo.sh --role kiosk    another role: kiosk / counter / leader / display / admin
#   DEMO_CASES=200000 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
DB=${DEMO_DB:-demo/demo.db}
ROLE=counter
if [ "${1:-}" = "--role" ]; then ROLE=$2; fi
export PH_CONFIG_DIR=${PH_CONFIG_DIR:-$PWD/demo/config}
if [ ! -f "$DB" ]; then
  .venv/bin/python -m desktop demo-data --cases "${DEMO_CASES:-20000}" --db "$DB"
fi
exec .venv/bin/python -m desktop run --role "$ROLE" --db "$DB"
