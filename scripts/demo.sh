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
export PH_QUEUE_WINDOW=${PH_QUEUE_WINDOW:-1}  # the demo counter is window 1 of the hall queue
# Receipts, tickets and notices are saved as PDF files (a demo PC rarely has a printer; every print failed)
export PH_PRINTER_RECEIPTS=${PH_PRINTER_RECEIPTS:-pdf:$PWD/demo/打印件}
export PH_PRINTER_NOTICES=${PH_PRINTER_NOTICES:-pdf:$PWD/demo/打印件}
if [ -f "$DB" ] && [ "$(head -c 15 "$DB")" = "SQLite format 3" ]; then
  # A demo database from before encryption: it holds only generated data, so make a new one.
  echo "== 演示数据库是旧版未加密格式，重新生成加密的演示数据库"
  .venv/bin/python -m desktop demo-data --cases "${DEMO_CASES:-20000}" --db "$DB" --replace
elif [ ! -f "$DB" ]; then
  .venv/bin/python -m desktop demo-data --cases "${DEMO_CASES:-20000}" --db "$DB"
fi
echo "== 演示打印：回执、号票和告知书保存为 PDF，在 ${PH_PRINTER_RECEIPTS#pdf:}"
echo "== 演示账户：chuangkou1、chuangkou2（窗口）、lingdao1（领导）、ducha1（督查）、guanli1（管理员），密码均为 Demo#2026xf"
exec .venv/bin/python -m desktop run --role "$ROLE" --db "$DB"
