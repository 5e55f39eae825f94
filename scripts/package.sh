#!/usr/bin/env bash
# Build the Debian package: dist/inspector-app_<version>_amd64.deb, the app bundled with its own Python and Qt
# (PyInstaller), installable with `sudo apt install ./dist/inspector-app_<version>_amd64.deb`.
# Usage: bash scripts/package.sh [--out DIR] [--fresh]   (--fresh rebuilds the build venv from scratch)
# The bundle is made from a separate build venv (build/deb-venv) holding this checkout installed as a package,
# so it contains exactly the app's run-time requirements, never the test tools. See docs/PACKAGING.md.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=dist
FRESH=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    *) echo "用法：bash scripts/package.sh [--out 目录] [--fresh]" >&2; exit 2 ;;
  esac
done

bash scripts/bootstrap.sh >/dev/null  # system build tools (dpkg-dev, binutils, desktop-file-utils) and .venv

VENV=build/deb-venv
[ "$FRESH" = 1 ] && rm -rf "$VENV"
if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating the build venv $VENV"
  # The same interpreter as .venv (bootstrap.sh picks it); PyInstaller needs its shared libpython.
  .venv/bin/python -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import sysconfig, sys; sys.exit(0 if sysconfig.get_config_var("Py_ENABLE_SHARED") else
  "这个 Python 没有共享库 libpython（PyInstaller 需要）：请用带 --enable-shared 编译的 Python 3.11 重建 .venv")'
echo "== installing this checkout and PyInstaller into $VENV"
rm -rf build/lib build/bdist.* # setuptools' own staging folder: stale modules there would end up in the wheel
# A local folder is always reinstalled, so the bundle holds this checkout as it is now.
if ! "$VENV/bin/python" -m pip install -q '.[package]' >build/deb-venv.log 2>&1; then
  cat build/deb-venv.log >&2
  echo "!! 无法在 $VENV 中安装本项目及 PyInstaller（见上方 pip 输出）" >&2
  exit 1
fi
echo "== bundling and packing (a few minutes)"
"$VENV/bin/python" deploy/build_deb.py --out "$OUT"
