"""Helpers for the clerk-behaviour corpus: LibreOffice as the clerk's spreadsheet, driven over UNO.

:func:`run_clerk_jobs` starts one headless LibreOffice and, for each job, opens a
workbook, does what a clerk does in a spreadsheet (rename or delete a sheet, paste
a block with its formats, switch calculation to manual and type), recalculates
or not, and saves it in the formats asked for (.xlsx, .ods, .xls, and HTML, whose
cell backgrounds are the conditional formatting as LibreOffice resolved it).  One
process for the whole corpus keeps the test quick.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import textwrap
import uuid
from pathlib import Path
from typing import Any

import lxml.html
from openpyxl.utils.cell import column_index_from_string
from tests.excel_helpers import UNO_SESSION, soffice, uno_python

XLSX_FILTER = "Calc MS Excel 2007 XML"
ODS_FILTER = "calc8"
XLS_FILTER = "MS Excel 97"
HTML_FILTER = "HTML (StarCalc)"

UNO_CLERK = UNO_SESSION + textwrap.dedent(
    r'''
    soffice, profile, jobs_path, out_path = sys.argv[1:5]
    with open(jobs_path, encoding="utf-8") as fh:
        jobs = json.load(fh)
    done = []

    def run_job(desktop, job):
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["src"]), "_blank", 0,
                                           (prop("Hidden", True),))
        if doc is None:
            raise RuntimeError("cannot open " + job["src"])
        pw = job.get("password", "")
        for op in job.get("ops", []):
            kind = op["op"]
            if kind in ("rename", "remove_sheet"):  # the clerk lifts the workbook protection first
                if doc.isProtected():
                    doc.unprotect(pw)
                if kind == "rename":
                    doc.Sheets.getByName(op["sheet"]).Name = op["to"]
                else:
                    doc.Sheets.removeByName(op["sheet"])
            elif kind == "paste_with_formats":
                # What pasting cells copied from another workbook does: the target's conditional
                # formats and validation are replaced by the source's (none), its number format
                # by the source's (Text), and the values arrive as that workbook held them (text).
                sheet = doc.Sheets.getByName(op["sheet"])
                sheet.unprotect(pw)
                rng = sheet.getCellRangeByName(op["range"])
                cf = rng.ConditionalFormat
                cf.clear()
                rng.ConditionalFormat = cf
                v = rng.Validation
                v.Type = uno.Enum("com.sun.star.sheet.ValidationType", "ANY")
                rng.Validation = v
                locale = uno.createUnoStruct("com.sun.star.lang.Locale")
                key = doc.NumberFormats.queryKey("@", locale, False)
                rng.NumberFormat = key if key != -1 else doc.NumberFormats.addNew("@", locale)
                rng.setDataArray(tuple(tuple(str(x) for x in row) for row in op["values"]))
                sheet.protect(pw)
            elif kind == "type_with_manual_calc":
                doc.enableAutomaticCalculation(False)
                doc.Sheets.getByName(op["sheet"]).getCellRangeByName(op["cell"]).setValue(op["value"])
            else:
                raise ValueError(kind)
        for out in job["outputs"]:
            if out.get("recalc", True):
                doc.calculateAll()
            doc.storeToURL(uno.systemPathToFileUrl(out["path"]), (prop("FilterName", out["filter"]),))
            done.append(out["path"])
        doc.close(True)

    def run_jobs(desktop):
        for job in jobs:
            try:
                run_job(desktop, job)
            except Exception:  # a file LibreOffice cannot open: only for jobs that say it may fail
                if not job.get("may_fail"):
                    raise

    try:
        in_office(soffice, profile, run_jobs)
    finally:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(done, fh)
    '''
)


def run_clerk_jobs(jobs: list[dict[str, Any]], timeout: float = 600) -> list[Path]:
    """Run every job in one headless LibreOffice; the files written, in order.

    A job with ``"may_fail": True`` (a hostile file LibreOffice may refuse to open) writes nothing
    when LibreOffice cannot open it; every other job must write all its outputs.
    """
    with tempfile.TemporaryDirectory(prefix="lo-clerk-") as tmp:
        script, jobs_file, out = Path(tmp) / "clerk.py", Path(tmp) / "jobs.json", Path(tmp) / "done.json"
        script.write_text(UNO_CLERK, encoding="utf-8")
        jobs_file.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
        profile = f"file://{tmp}/profile-{uuid.uuid4().hex}"
        proc = subprocess.run([uno_python(), str(script), soffice(), profile, str(jobs_file), str(out)],
                              capture_output=True, text=True, timeout=timeout)
        done = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
    wanted = [o["path"] for j in jobs if not j.get("may_fail") for o in j["outputs"]]
    missing = [p for p in wanted if p not in done or not Path(p).exists()]
    assert not missing, f"LibreOffice did not write {missing}: {proc.stdout}\n{proc.stderr}"
    return [Path(p) for p in done]


def html_colours(path: Path) -> dict[str, dict[tuple[int, int], tuple[str | None, str]]]:
    """Sheet → (0-based row, col) → (background colour, text) from LibreOffice's HTML export of a workbook.

    The background is what the cell shows, conditional formatting included.
    """
    doc = lxml.html.parse(str(path)).getroot()
    names = [a.text_content().split(": ", 1)[1] for a in doc.iter("a") if (a.get("name") or "").startswith("table")]
    out: dict[str, dict[tuple[int, int], tuple[str | None, str]]] = {}
    for name, table in zip(names, doc.findall(".//table"), strict=False):
        grid: dict[tuple[int, int], tuple[str | None, str]] = {}
        taken: set[tuple[int, int]] = set()
        for r, tr in enumerate(table.findall(".//tr")):
            c = 0
            for td in tr.findall("td"):
                while (r, c) in taken:
                    c += 1
                cols, rows = int(td.get("colspan") or 1), int(td.get("rowspan") or 1)
                taken |= {(r + i, c + j) for i in range(rows) for j in range(cols)}
                grid[(r, c)] = (td.get("bgcolor"), td.text_content().strip())
                c += cols
        out[name] = grid
    return out


def colour_at(colours: dict[str, dict[tuple[int, int], tuple[str | None, str]]], sheet: str, cell: str) -> str | None:
    letters = "".join(ch for ch in cell if ch.isalpha())
    found = colours[sheet].get((int(cell[len(letters):]) - 1, column_index_from_string(letters) - 1))
    return (found[0] or "").upper() if found else None
