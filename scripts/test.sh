#!/usr/bin/env bash
# Set up a virtual environment with the test extras and run the checks and the whole test suite.
# Works on a fresh Debian/Ubuntu machine with Python 3.11: installs LibreOffice (the real spreadsheet
# engine the tests recalculate templates with) when it is missing and this user may install packages.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES="libreoffice-calc-nogui libreoffice-writer-nogui python3-uno fonts-noto-cjk poppler-utils"
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "安装 LibreOffice 等测试依赖：$PACKAGES"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $PACKAGES >/dev/null
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/pytest "$@"
