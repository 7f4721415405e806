#!/usr/bin/env bash
# Set up a virtual environment with the test extras and run the checks and the whole test suite.
# Works on a fresh Debian/Ubuntu machine with Python 3.11: installs what is missing of LibreOffice (the
# real spreadsheet engine the tests recalculate templates with, and its Python bridge), poppler and the
# CJK fonts (without them LibreOffice renders the Chinese of the rendering tests as boxes) and Chromium
# (the collection service's browser test), each on its own, when this user may install packages.
set -euo pipefail
cd "$(dirname "$0")/.."

has_cjk_fonts() {
    if command -v fc-list >/dev/null 2>&1; then
        [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]
    else
        dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed"
    fi
}

# LibreOffice with both Calc (the templates) and Writer (documents, .doc): a machine may have only one of them
has_libreoffice() {
    local exe program
    exe="$(command -v soffice 2>/dev/null)" || return 1
    program="$(dirname "$(readlink -f "$exe")")"
    [ -e "$program/libsclo.so" ] && [ -e "$program/libswlo.so" ]
}

MISSING=""
has_libreoffice || MISSING="$MISSING libreoffice-calc-nogui libreoffice-writer-nogui"
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || MISSING="$MISSING python3-uno"
command -v pdftotext >/dev/null 2>&1 || MISSING="$MISSING poppler-utils"
has_cjk_fonts || MISSING="$MISSING fonts-noto-cjk"
command -v chromium >/dev/null 2>&1 || MISSING="$MISSING chromium"
if [ -n "$MISSING" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "安装测试依赖：$MISSING"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
.venv/bin/pytest "$@"
# The built wheel in a fresh environment outside the repository (here about 20 s of CPU, a minute of wall
# time on a busy machine, most of it pip installing the dependencies).
bash scripts/smoke_wheel.sh .venv/bin/python
