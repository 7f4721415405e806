"""What runs in the worker processes: checking one upload, and compiling.

Each function takes and returns plain data (paths as text, JSON-ready dicts),
so it can run in a :class:`concurrent.futures.ProcessPoolExecutor`.  A hostile
upload that exhausts a worker's memory limit (:func:`init_worker`) or kills it
costs that upload only: the service answers 无法读取 for it and starts a new pool.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import resource
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

from xl_disclosure import api
from xl_disclosure.model.agency import Agency
from xl_disclosure.model.findings import Finding
from xl_disclosure.writers.annotated import annotate_workbook
from xl_disclosure.writers.results_sheet import results_rows

#: The fourth line of the 校验结果 sheet in the copy the service hands back.
SERVICE_HINT = "点击“位置”列可跳到对应单元格；改正后请把工作簿重新上传（本表由报送系统生成，重新上传时会重写）。"


def init_worker(memory_bytes: int) -> None:
    """Cap a worker's address space, so one upload cannot take the machine's memory.

    Workers run at a lower priority than the web process, so pages stay quick while uploads are
    being checked; Ctrl+C is the server's to handle: it stops the workers in order.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(10)
    if memory_bytes > 0:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def check_upload(path: str, display: str, rules: api.RuleSelection) -> dict[str, Any]:
    """Validate one uploaded workbook as the CLI does.

    Returns ``{"result": <validation JSON>, "report": <report JSON or None>, "cover_agency": <name or None>}``.
    """
    result = api.validate_file(path, display=display, rules=rules)
    out: dict[str, Any] = {"result": result.to_json(), "report": None, "cover_agency": None}
    if result.report is not None:
        out["report"] = result.report.to_json()
        out["cover_agency"] = result.report.agency or None
    return out


def annotate_upload(path: str, result_json: dict[str, Any], when: str, source: str, target: str) -> bool:
    """Write the copy of a readable upload with its 校验结果 sheet (the findings as they were found); whether it could."""
    result = api.ValidationResult(file=result_json["file"], read_error=result_json.get("read_error"),
                                  findings=[Finding.from_json(f) for f in result_json.get("findings", [])])
    if not result.readable:
        return False
    rows = results_rows(result, result.file, dt.datetime.fromisoformat(when), source=source, hint=SERVICE_HINT)
    try:
        annotate_workbook(path, target, rows)
    except api.OutputError:
        return False
    return True


def compile_counted(files: list[tuple[str, str]], expected: list[tuple[str, str]], out_dir: str,
                    rules: api.RuleSelection) -> dict[str, Any]:
    """Compile the counted submissions (stored path, file name to show) into ``out_dir``.

    The files are linked under their agency's name into a scratch folder, so the summary names them
    as the office knows them.  Returns the tally, what is missing, and the files written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="compile-", dir=out.parent))
    try:
        for stored, name in files:
            target = scratch / name
            try:
                os.link(stored, target)
            except OSError:
                shutil.copyfile(stored, target)
        agencies = [Agency(n, u) for n, u in expected]
        done = api.compile([str(scratch)] if files else [], xlsx=out / "summary.xlsx",
                           json_path=out / "summary.json", csv_path=out / "long.csv",
                           expected=agencies or None, rules=rules, jobs=1)
        comp = done.compilation
        return {"tally": comp.tally(), "missing": [a.name or a.uscc for a in comp.missing],
                "counted": comp.totals.count, "written": [Path(p).name for p in done.written]}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
