#!/usr/bin/env bash
# Runs the whole test suite, exactly as CI does: lint, types, layering, tests.
# Installs what a fresh Debian 12 machine lacks and starts a throwaway
# PostgreSQL and a private CUPS server with a PDF printer for the tests that
# run against them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
PY=.venv/bin

echo "== ruff";          $PY/ruff check .
echo "== mypy";          $PY/mypy
echo "== import-linter"; $PY/lint-imports

STOP=()
trap 'for stop in "${STOP[@]}"; do $stop; done' EXIT
if [ -z "${PH_TEST_PG_URL:-}" ]; then
  # shellcheck source=scripts/pg-test-server.sh
  source scripts/pg-test-server.sh
  STOP+=(pg_test_stop)
  pg_test_start
fi
if [ -z "${PH_TEST_CUPS_QUEUE:-}" ]; then
  # shellcheck source=scripts/cups-test-server.sh
  source scripts/cups-test-server.sh
  STOP+=(cups_test_stop)
  cups_test_start || echo "!! 没有测试用 CUPS：CUPS 打印测试在 CI 中会失败，在本机会跳过"
fi

echo "== pytest"
$PY/python -m pytest -n 2 "$@"
