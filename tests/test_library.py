"""The library: compile_reports as a context manager whose temporary folder goes even if it is never closed."""

from __future__ import annotations

import gc
import inspect
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from xl_disclosure import api
from xl_disclosure.batch.compile import compile_reports
from xl_disclosure.model.samples import seed_report


def _inbox(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "r.json").write_text(json.dumps(seed_report().to_json(), ensure_ascii=False), encoding="utf-8")
    return inbox


def test_with_removes_the_spool(tmp_path):
    with compile_reports([_inbox(tmp_path)], jobs=1, spool_dir=tmp_path) as comp:
        spool = comp.spool_dir
        assert (spool / "reports.jsonl").exists() and comp.totals.count == 1
    assert not spool.exists()


def test_a_compilation_never_closed_removes_its_spool_when_dropped(tmp_path):
    comp = compile_reports([_inbox(tmp_path)], jobs=1, spool_dir=tmp_path)
    spool = comp.spool_dir
    assert spool.exists()
    del comp
    gc.collect()
    assert not spool.exists()


def test_close_twice_is_harmless(tmp_path):
    comp = compile_reports([_inbox(tmp_path)], jobs=1, spool_dir=tmp_path)
    comp.close()
    comp.close()
    assert not comp.spool_dir.exists()


def test_a_program_that_exits_without_closing_leaves_nothing(tmp_path):
    inbox = _inbox(tmp_path)
    spools = tmp_path / "spools"
    spools.mkdir()
    code = textwrap.dedent(f"""
        from xl_disclosure.batch.compile import compile_reports
        keep = compile_reports([{str(inbox)!r}], jobs=1, spool_dir={str(spools)!r})
        print(keep.spool_dir)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().startswith(str(spools))
    assert list(spools.iterdir()) == []


def test_docs_api_lists_the_result_type_of_every_function():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    table = doc[doc.index("## 结果类型"):]
    listed = set(re.findall(r"^\| `([^|]*)` \|", table, flags=re.M)) | {
        n for row in re.findall(r"^\| ([^|]*) \|", table, flags=re.M) for n in re.findall(r"`(\w+)`", row)}
    functions = [n for n in api.__all__ if inspect.isfunction(getattr(api, n))]
    assert not [n for n in functions if n not in listed]
    for name in functions:
        returned = inspect.signature(getattr(api, name)).return_annotation
        shown = str(returned).split("[")[0].split(".")[-1].strip("'")
        assert shown in table or shown in ("None", "str", "int"), (name, returned)
