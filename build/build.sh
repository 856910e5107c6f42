#!/usr/bin/env bash
# Builds the desktop program into one folder (PyInstaller), and on request checks it and wraps it
# in a Debian package. Run from anywhere; needs the dev virtualenv (scripts/setup.sh --dev).
#
#   build/build.sh                 bundle → build/out/dist/petition-hall/ (size and build time printed)
#   build/build.sh --check         … then its self-test and a start of every role, offscreen
#   build/build.sh --deb           … then build/out/petition-hall_<version>_amd64.deb
#   build/build.sh --probe         also bench/startup.py's start-up probe, frozen the same way (bench/bundle.py)
#   build/build.sh --out DIR       build somewhere else than build/out
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
OUT=build/out
CHECK=0 DEB=0 PROBE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --check) CHECK=1 ;;
    --deb) DEB=1 ;;
    --probe) PROBE=1 ;;
    --out) OUT=$2; shift ;;
    *) echo "用法：build/build.sh [--check] [--deb] [--probe] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
PY=${PYTHON:-$REPO/.venv/bin/python}
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "!! 缺少 PyInstaller：请先运行 scripts/setup.sh --dev（它安装 requirements-dev.lock）" >&2
  exit 1
fi
for tool in readelf strip; do
  command -v "$tool" >/dev/null || { echo "!! 缺少 $tool：apt-get install binutils" >&2; exit 1; }
done
command -v icupkg >/dev/null || echo "== 注意：没有 icupkg（apt-get install icu-devtools），ICU 数据不裁剪，程序包大约多 26 MB"

started=$(date +%s)
echo "== 图标"
"$PY" build/make_icon.py "$OUT/icon"
echo "== 打包程序（PyInstaller，单目录）"
PH_ICON_DIR="$OUT/icon" "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$OUT/dist" \
  --workpath "$OUT/work" build/petition-hall.spec
BUNDLE="$OUT/dist/petition-hall"
took=$(( $(date +%s) - started ))
size=$(du -sm "$BUNDLE" | cut -f1)
echo "== 程序目录 $BUNDLE：${size} MB，用时 ${took} 秒"

if [ "$PROBE" = 1 ]; then
  echo "== 启动计时探针（bench/startup.py，与程序相同方式打包）"
  PH_BUNDLE_PROBE=1 "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$OUT/dist" \
    --workpath "$OUT/work-probe" build/petition-hall.spec
fi

if [ "$CHECK" = 1 ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  echo "== 自检"
  # a user with nothing yet: the program makes its settings, key and database in the usual folders
  run() { env -i HOME="$scratch/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    PH_KEY_STORE=file "$BUNDLE/petition-hall" "$@"; }
  mkdir -p "$scratch/home"
  run self-test
  for role in kiosk counter leader display admin; do
    echo "== 启动 $role"
    run run --role "$role" --smoke-test
  done
  test -f "$scratch/home/.local/share/petition-hall/hall.db" || { echo "!! 数据库不在数据目录中" >&2; exit 1; }
fi

if [ "$DEB" = 1 ]; then
  command -v dpkg-deb >/dev/null || { echo "!! 缺少 dpkg-deb" >&2; exit 1; }
  echo "== Debian 软件包"
  deb=$("$PY" build/deb/make_deb.py "$BUNDLE" "$OUT/icon" "$OUT")
  echo "== $deb：$(du -m "$deb" | cut -f1) MB"
  dpkg-deb --field "$deb" Depends
fi
