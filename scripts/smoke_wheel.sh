#!/usr/bin/env bash
# What a user gets: build the wheel, install it with its dependencies into a fresh virtual environment in a
# folder outside the repository, and run `xl-disclosure demo` there (no source tree on the path).
# Usage: bash scripts/smoke_wheel.sh [PYTHON]   (says how long each step took)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
PYTHON="${1:-${PYTHON:-python3}}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/xld-wheel.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

step() {  # step "what" command...: run quietly, show the output only when it fails
    local what="$1" start=$SECONDS
    shift
    if ! "$@" >"$WORK/step.log" 2>&1; then
        cat "$WORK/step.log" >&2
        echo "失败：$what" >&2
        exit 1
    fi
    echo "$what：$(( SECONDS - start )) 秒" >&2
}

step "构建 wheel" "$PYTHON" -m pip wheel -q --no-deps -w "$WORK/dist" .
WHEEL="$(ls "$WORK"/dist/xl_disclosure-*.whl)"
# The new environment gets no pip of its own (ensurepip is slow); this Python's pip installs into it.
step "新建虚拟环境" "$PYTHON" -m venv --without-pip "$WORK/venv"
step "安装 $(basename "$WHEEL") 及其依赖" "$PYTHON" -m pip --python "$WORK/venv/bin/python" install -q "$WHEEL"
cd "$WORK"
step "在仓库之外运行 xl-disclosure demo" "$WORK/venv/bin/xl-disclosure" demo -q -o demo-output
test -s demo-output/汇总/summary.xlsx
test -s "demo-output/成稿/西霞院街道办事处2024年政府信息公开工作年度报告.docx"
"$WORK/venv/bin/python" - "$REPO" <<'PY'
import sys
import xl_disclosure
assert not xl_disclosure.__file__.startswith(sys.argv[1]), xl_disclosure.__file__
PY
echo "wheel 安装后可以使用：$(basename "$WHEEL")" >&2
