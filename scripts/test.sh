#!/usr/bin/env bash
# Runs the whole test suite, exactly as CI does: lint, types, layering, tests.
# Installs what a fresh Debian 12 machine lacks and starts a throwaway
# PostgreSQL for the tests that run against it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
PY=.venv/bin

echo "== ruff";          $PY/ruff check .
echo "== mypy";          $PY/mypy
echo "== import-linter"; $PY/lint-imports

if [ -z "${PH_TEST_PG_URL:-}" ]; then
  # shellcheck source=scripts/pg-test-server.sh
  source scripts/pg-test-server.sh
  trap pg_test_stop EXIT
  pg_test_start
fi

echo "== pytest"
$PY/python -m pytest -n 2 "$@"
