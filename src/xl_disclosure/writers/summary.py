"""summary.json and long.csv of a finished compile or merge (summary.xlsx is :mod:`.summary_xlsx`)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from xl_disclosure.form import FORM
from xl_disclosure.model.summary import Compilation, full_values, summary_document
from xl_disclosure.writers.atomic import neutralize, open_atomic


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_summary_json(comp: Compilation, target: str | Path) -> None:
    """The compile summary (:class:`~xl_disclosure.model.summary.Summary`), streamed and written atomically."""
    with open_atomic(target, "w", encoding="utf-8", newline="\n") as fh:
        dump_summary_json(comp, fh)


def dump_summary_json(comp: Compilation, fh: IO[str]) -> None:
    """The summary document of :func:`summary_document`, streamed to an open text file.

    One member per line; the files and the reports one element per line, read from the spool as
    they are written, so memory does not grow with the number of files.
    """
    fh.write("{\n")
    for i, (name, value, lines) in enumerate(summary_document(comp)):
        fh.write((",\n" if i else "") + f"{_dump(name)}: ")
        if lines:
            fh.write("[")
            for j, item in enumerate(value):
                fh.write(("," if j else "") + "\n" + _dump(item))
            fh.write("\n]")
        else:
            fh.write(_dump(value))
    fh.write("\n}\n")


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


