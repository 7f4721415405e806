"""summary.json and long.csv of a finished compile or merge (summary.xlsx is :mod:`.summary_xlsx`)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from xl_disclosure.form import FORM
from xl_disclosure.model.summary import SUMMARY_KIND, Compilation, full_values
from xl_disclosure.writers.atomic import neutralize, open_atomic


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_summary_json(comp: Compilation, target: str | Path) -> None:
    """The compile summary per the contract (schema/summary.schema.json), streamed and written atomically."""
    with open_atomic(target, "w", encoding="utf-8", newline="\n") as fh:
        dump_summary_json(comp, fh)


def dump_summary_json(comp: Compilation, fh: IO[str]) -> None:
    """Stream the compile summary JSON to an open text file (one report at a time)."""
    fh.write("{\n")
    fh.write(f'"kind": {_dump(SUMMARY_KIND)},\n"year": {_dump(comp.year)},\n"included": {_dump(comp.included)},\n')
    fh.write(f'"included_text": {_dump(comp.included_text())},\n')
    fh.write(f'"counted": {comp.totals.count},\n')
    fh.write(f'"status_counts": {_dump(comp.tally())},\n')
    fh.write(f'"rules": {_dump(comp.rules.to_json())},\n')
    fh.write(f'"totals": {_dump(comp.totals.grouped())},\n')
    fh.write('"files": [')
    for i, (row, findings) in enumerate(zip(comp.rows, comp.findings_of(), strict=True)):
        entry = {
            "file": row.file, "status": row.status, "agency": row.agency or None, "uscc": row.uscc or None,
            "year": row.year, "errors": row.errors, "warnings": row.warnings, "findings": findings,
            "counted": row.counted, "note": row.note or None, "read_error": row.read_error,
            "template_version": row.template_version,
        }
        fh.write(("," if i else "") + "\n" + _dump(entry))
    fh.write("\n],\n")
    agencies = [{"agency": comp.rows[i].agency or None, "uscc": comp.rows[i].uscc or None,
                 "file": comp.rows[i].file, "status": comp.rows[i].status, "counted": comp.rows[i].counted}
                for i in comp.agency_rows]
    fh.write(f'"agencies": {_dump(agencies)},\n')
    fh.write(f'"missing": {_dump([{"agency": a.name or None, "uscc": a.uscc or None} for a in comp.missing])},\n')
    dups = [{"agency": d.agency or None, "uscc": d.uscc or None, "year": d.year, "files": d.files}
            for d in comp.duplicates]
    fh.write(f'"duplicates": {_dump(dups)},\n')
    fh.write('"reports": [')
    for i, (_, report) in enumerate(comp.counted_reports()):
        fh.write(("," if i else "") + "\n" + _dump(report.to_json()))
    fh.write("\n]\n}\n")


LONG_CSV_HEADER = ("机关名称", "统一社会信用代码", "年度", "字段", "部分", "行", "列", "数值")


def long_rows(comp: Compilation) -> Iterator[tuple[Any, ...]]:
    """One row per counted agency and field (sections 二–六), text neutralized."""
    fields = [f for f in FORM.fields if f.group != "cover"]
    for row, report in comp.counted_reports():
        values = full_values(report)
        for f in fields:
            v = values.get(f.id)
            yield (neutralize(row.agency), neutralize(row.uscc), row.year, f.id, f.section,
                   neutralize(f.row_label), neutralize(f.col_label), _csv_value(v))


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float):
        return int(v) if v.is_integer() else repr(v)
    if isinstance(v, str):
        return neutralize(v)
    return v


def write_long_csv(comp: Compilation, target: str | Path) -> None:
    # utf-8-sig: Excel on Chinese Windows opens it without garbling the text.
    with open_atomic(target, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(LONG_CSV_HEADER)
        w.writerows(long_rows(comp))


