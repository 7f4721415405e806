"""How long from pressing 校验 to the findings written back, and how long the button's module takes to import.

Run:  python benchmarks/bench_button.py [--runs 7]

RunPython starts a fresh Python process for every press, so each run here is a
fresh process too, timed from the moment it is spawned:

1. ``import xl_disclosure.excel`` — what the VBA's statement imports first;
2. xlwings and ``Book.caller()`` — xlwings' remote engine stands in for Excel's COM
   here (the same book interface; the workbook comes as the JSON an Excel client sends);
3. reading the book and every rule (``validate_source`` over ``XlwingsSource``);
4. the write-back — 校验结果 sheet, the verdict beside B3 — and the JSON beside the workbook.

The import is also measured on its own with ``python -X importtime``.  Both with
bytecode cached (as ``pip install`` leaves it) and without (``PYTHONDONTWRITEBYTECODE``,
which compiles every module on every start).  Prints the median and the best of
--runs for each phase, wall clock and the child's CPU time.  The filled workbook is
recalculated by LibreOffice first when it is installed, so it holds what Excel would
show (cached totals, the cover's status).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.excel_helpers import book_json, soffice_to  # noqa: E402

from xl_disclosure.model.samples import seed_report  # noqa: E402
from xl_disclosure.writers.template import build_template, fill_values  # noqa: E402

CHILD = r'''
import json, os, sys, time
spawned = float(sys.argv[2])
t = {"start": time.time()}
cpu = {"start": time.process_time()}
import xl_disclosure.excel
t["imported"] = time.time()
cpu["imported"] = time.process_time()
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import xlwings as xw
if "remote" not in [e.name for e in xw.engines]:
    from xlwings.main import Engine
    from xlwings.pro import _xlremote
    xw.engines.add(Engine(impl=_xlremote.engine))
with open(sys.argv[1], encoding="utf-8") as fh:
    book = xw.Book(json=json.load(fh))
book.set_mock_caller()
t["caller"] = time.time()
from xl_disclosure.excel import button
checked = button.validate_source
def timed(*a, **k):
    t["read"] = time.time()
    out = checked(*a, **k)
    t["rules"] = time.time()
    return out
button.validate_source = timed
exec(compile(button.ENTRY_POINT, "<RunPython>", "exec"), {})
t["written"] = time.time()
assert [a for a in book.json()["actions"] if a["func"] == "setValues"], "nothing written back"
cpu["written"] = time.process_time()
print(json.dumps({"t": t, "spawned": spawned, "cpu": cpu}))
'''


def run_child(book: Path, env: dict[str, str]) -> dict[str, float]:
    spawned = time.time()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(book), repr(spawned)], capture_output=True, text=True,
                          env=env, timeout=120)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    t = data["t"]
    return {
        "interpreter start": t["start"] - spawned,
        "import xl_disclosure.excel": t["imported"] - t["start"],
        "xlwings + Book.caller()": t["caller"] - t["imported"],
        "read + rules": t["rules"] - t["read"],
        "write-back + JSON": t["written"] - t["rules"],
        "start → findings written": t["written"] - spawned,
        "CPU: import xl_disclosure.excel": data["cpu"]["imported"] - data["cpu"]["start"],
        "CPU: whole process": data["cpu"]["written"],
    }


def import_time(env: dict[str, str]) -> float:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import xl_disclosure.excel"],
                          capture_output=True, text=True, env=env, timeout=60)
    last = [line for line in proc.stderr.splitlines() if line.rstrip().endswith("xl_disclosure.excel")][-1]
    return int(last.split("|")[1]) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-button-") as tmp:
        folder = Path(tmp)
        filled = folder / "西霞院.xlsx"
        build_template(filled, values=fill_values(seed_report()))
        if shutil.which("soffice"):
            filled = soffice_to(filled, folder / "recalculated", "xlsx")
        book = folder / "book.json"
        book.write_text(json.dumps(book_json(filled, "西霞院 2024.xlsx"), ensure_ascii=False), encoding="utf-8")
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        base["XL_DISCLOSURE_RESULTS_DIR"] = str(folder / "results")
        modes = {
            "bytecode cached (as installed)": {**base, "PYTHONPYCACHEPREFIX": str(folder / "pycache")},
            "no bytecode (PYTHONDONTWRITEBYTECODE=1)": {**base, "PYTHONDONTWRITEBYTECODE": "1"},
        }
        for mode, env in modes.items():
            run_child(book, env)  # warm the bytecode cache and the disk
            runs = [run_child(book, env) for _ in range(args.runs)]
            imports = [import_time(env) for _ in range(args.runs)]
            print(f"{mode}, {args.runs} runs (median / best):")
            print(f"  python -X importtime, import xl_disclosure.excel: "
                  f"{statistics.median(imports) * 1000:6.0f} / {min(imports) * 1000:4.0f} ms")
            for key in runs[0]:
                values = [r[key] for r in runs]
                print(f"  {key:<28} {statistics.median(values) * 1000:6.0f} / {min(values) * 1000:4.0f} ms")
        with open("/proc/loadavg") as fh:
            print(f"load average while measuring: {fh.read().split()[0]} ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
