#!/usr/bin/env bash
# Compile the Chinese messages of click (messages.po) into the catalogue the command line loads (messages.mo).
# Needs GNU gettext's msgfmt (apt-get install gettext); tests/test_cli_zh.py checks the two files agree.
set -euo pipefail
cd "$(dirname "$0")/../src/xl_disclosure/cli/locale/zh_CN/LC_MESSAGES"
msgfmt --check-format --output-file=messages.mo messages.po
