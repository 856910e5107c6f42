# Sourced by scripts/test.sh: a throwaway PostgreSQL cluster for the tests.
# Sets PH_TEST_PG_URL. Works as root (runs the server as the postgres user) or
# as an ordinary user.

pg_test_start() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "!! 未找到 PostgreSQL（apt-get install postgresql）；PostgreSQL 测试将无法运行" >&2
    return 1
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/ph-pg.XXXXXX)
  PG_TEST_PORT=${PG_TEST_PORT:-$((54000 + RANDOM % 1000))}
  local run=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_TEST_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bindir/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  "${run[@]}" "$bindir/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w \
    -o "-p $PG_TEST_PORT -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  PG_TEST_RUN=("${run[@]}")
  PG_TEST_BIN=$bindir
  export PH_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_TEST_PORT/postgres"
  echo "== PostgreSQL 测试服务器：127.0.0.1:$PG_TEST_PORT"
}

pg_test_stop() {
  if [ -n "${PG_TEST_DIR:-}" ]; then
    "${PG_TEST_RUN[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
