#!/usr/bin/env bash
# Set up a fresh machine: the system libraries Qt and the PDF checks need, PostgreSQL server binaries and
# Chromium for the HQ tests, a virtualenv, the package (with the hq extra).
# Safe to run again (each step is skipped when already done).
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES="fonts-wqy-microhei libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 \
libxcb-xinerama0 xvfb poppler-utils postgresql chromium chromium-driver \
dpkg-dev binutils desktop-file-utils debootstrap xdotool"
# The last line is for scripts/package.sh and its tests: dpkg-shlibdeps, desktop-file-validate, a clean Debian 12
# root to install the .deb into, and xdotool for benches/package_startup.py.

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in $SYSTEM_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing system packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "!! missing system packages:$missing (install them with: sudo apt-get install$missing)" >&2
  fi
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv with $PY"
  "$PY" -m venv .venv
fi
echo "== installing inspector-app and its test tools into .venv"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e '.[test,hq]'
