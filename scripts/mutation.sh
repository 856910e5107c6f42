#!/usr/bin/env bash
# Mutation testing with mutmut over the scope set in pyproject.toml ([tool.mutmut]):
# desktop/domain, the indicators' SQL (statistics), the access checks of lookup and
# documents, and the sync server's pull filter. Not part of CI: every mutant runs the
# tests that reach the mutated function.
#
#   scripts/mutation.sh                                  every mutant of the scope (hours)
#   scripts/mutation.sh 'desktop.domain.repeats*' ...    only mutants whose names match
#
# Runs in a copy of this checkout (PH_MUTATION_DIR, default /tmp/ph-mutation), so the
# mutated files never touch the work tree; a second run there resumes. Ends by listing
# every mutant that no test killed (`mutmut show NAME` in that folder shows one).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
ROOT=$PWD
WORK=${PH_MUTATION_DIR:-/tmp/ph-mutation}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

mkdir -p "$WORK"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | (cd "$WORK" && tar -xf -)

STOP=()
trap 'for stop in "${STOP[@]}"; do $stop; done' EXIT
if [ -z "${PH_TEST_PG_URL:-}" ]; then
  # shellcheck source=scripts/pg-test-server.sh
  source scripts/pg-test-server.sh
  STOP+=(pg_test_stop)
  pg_test_start || echo "!! 没有 PostgreSQL：只在 SQLite 上运行的测试会判定变异"
fi

cd "$WORK"
echo "== mutmut（目录 $WORK）"
"$ROOT/.venv/bin/mutmut" run "$@" || true
echo "== 存活的变异（没有测试失败；未运行的变异不列出）"
"$ROOT/.venv/bin/mutmut" results | grep -v ': not checked$' || echo "（没有）"
