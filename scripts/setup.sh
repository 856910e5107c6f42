#!/usr/bin/env bash
# Prepares this checkout to run: Debian packages Qt needs (when missing), a
# virtualenv in .venv, and the pinned Python packages. Safe to run again.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --dev    plus the test and lint tools
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[ "${1:-}" = "--dev" ] && DEV=1
PYTHON=${PYTHON:-python3}

RUNTIME_DEBS=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
  libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-xfixes0 libfontconfig1 libdbus-1-3 libpulse0 libspeechd2 fonts-wqy-microhei fonts-wqy-zenhei
  fonts-babelstone-han
  python3-venv)
# zbar-tools: a second QR decoder for the receipts (tests/documents); binutils and icu-devtools build the
# installable bundle (build/build.sh, tests/test_bundle.py)
DEV_DEBS=(postgresql xvfb xauth poppler-utils zbar-tools cups printer-driver-cups-pdf binutils icu-devtools)

missing=()
want=("${RUNTIME_DEBS[@]}")
[ "$DEV" = 1 ] && want+=("${DEV_DEBS[@]}")
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== 安装系统软件包：${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ]; then
    echo "!! 缺少以上软件包且没有管理员权限，请管理员执行：apt-get install ${missing[*]}" >&2
  else
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "== 创建虚拟环境 .venv"
  "$PYTHON" -m venv .venv
fi
STAMP=.venv/.installed-$(cat requirements.lock $([ "$DEV" = 1 ] && echo requirements-dev.lock) pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$STAMP" ]; then
  echo "== 安装 Python 依赖（固定版本）"
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "$DEV" = 1 ]; then
    .venv/bin/python -m pip install -q -r requirements-dev.lock
  else
    .venv/bin/python -m pip install -q -r requirements.lock
  fi
  .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e . 2>/dev/null \
    || .venv/bin/python -m pip install -q --no-deps -e .
  touch "$STAMP"
fi
