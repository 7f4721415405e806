"""summary.json, the wide and long CSVs and Parquet of a finished compile or merge (summary.xlsx is :mod:`.summary_xlsx`)."""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from xl_disclosure.errors import UsageError
from xl_disclosure.form import FORM, Field, Form, Kind
from xl_disclosure.model.summary import Compilation, full_values, summary_document
from xl_disclosure.writers.atomic import neutralize, open_atomic, write_atomic


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


# ---------------------------------------------------------------------------
# CSV for people (wide) and for BI tools (long), Parquet
# ---------------------------------------------------------------------------
#
# Both CSVs are UTF-8 with a BOM (Excel on Chinese Windows then reads them as UTF-8, not GBK) and every
# text cell is quoted.  A code (统一社会信用代码, 联系电话) is written after a tab: "\t91410300…".  Excel
# and LibreOffice then keep it as text — all 18 characters, where an all-digit code would otherwise
# become 1.14103E+17 and a code with an E in it a number in scientific notation — and the tab does not
# show.  It is the one prefix all three readers take: ="…" is a formula to Excel but a literal string
# to pandas, an apostrophe shows in the cell.  pandas keeps the tab: read with
# ``converters={"统一社会信用代码": str.strip}`` (docs/compile.md).

#: Excel's (and LibreOffice's) rows per sheet: a CSV longer than this does not open whole.
EXCEL_MAX_ROWS = 1_048_576

LONG_CSV_HEADER = ("机关名称", "统一社会信用代码", "年度", "字段", "部分", "行", "列", "数值", "文字")
WIDE_LEAD = (("文件", "file"), ("状态", "status"), ("计入汇总", "counted"))
#: The wide CSV's last column, after the fields: 重复率 (文字各部分与上年相比的最高重复率; empty without
#: last year's text).  Last, so the fields keep the columns they had before it came in.
REUSE_HEADER = ("与上年重复率", "reuse")
#: Field kinds written as codes (text that must not be read as a number or a date).
CODE_KINDS = frozenset({Kind.USCC, Kind.PHONE})

log = logging.getLogger("xl_disclosure")


def code_text(code: str | None) -> str:
    """A code as a CSV cell Excel, LibreOffice and pandas all keep as text (see above); empty stays empty."""
    return "\t" + neutralize(code) if code else ""


def field_header(f: Field) -> str:
    """The readable column heading of a field: 三·一、本年新收政府信息公开申请数量·自然人."""
    parts = [f.section, *f.row_label.split(), f.col_label]
    return "·".join(p for p in parts if p)


def _number(v: Any) -> int | float:
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _cell(f: Field, v: Any) -> Any:
    if v is None:
        return ""
    if f.kind in CODE_KINDS:
        return code_text(str(v))
    if _is_number(v):
        return _number(v)
    return neutralize(str(v))


def _too_long(target: str | Path, rows: int, what: str) -> None:
    if rows > EXCEL_MAX_ROWS:
        log.warning("%s 共 %s 行，超过 Excel 每个工作表 %s 行的上限，用 Excel 打开会缺行；%s",
                    target, f"{rows:,}", f"{EXCEL_MAX_ROWS:,}", what)


Tick = Callable[[int], None]


def long_rows(comp: Compilation) -> Iterator[tuple[Any, ...]]:
    """One row per counted agency and field (sections 一–六): a number in 数值, a text in 文字, never both."""
    fields = [f for f in FORM.fields if f.group != "cover"]
    for row, report in comp.counted_reports():
        values = full_values(report)
        lead = (neutralize(row.agency), code_text(row.uscc), "" if row.year is None else row.year)
        for f in fields:
            v = values.get(f.id)
            number, words = ("", "") if v is None else (_number(v), "") if _is_number(v) else ("", neutralize(str(v)))
            yield (*lead, f.id, f.section, neutralize(f.row_label), neutralize(f.col_label), number, words)


def long_rows_per_agency() -> int:
    return sum(1 for f in FORM.fields if f.group != "cover")


def write_long_csv(comp: Compilation, target: str | Path, *, tick: Tick | None = None) -> int:
    """long.csv (for BI tools and pandas), atomically; returns the rows written (with the header)."""
    n = 1
    with open_atomic(target, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
        w.writerow(LONG_CSV_HEADER)
        per = long_rows_per_agency()
        for i, row in enumerate(long_rows(comp)):
            w.writerow(row)
            n += 1
            if tick is not None and i % per == per - 1:
                tick(1)
    _too_long(target, n, "long.csv 供 BI 工具和 pandas 使用；要在 Excel 中查看请用 --wide-csv（每个机关一行）。")
    return n


def is_wide_header(header: list[str]) -> bool:
    """Whether a CSV's first line is the wide CSV's headings (as now, or before the 重复率 column came in)."""
    return [h for h in header if h != REUSE_HEADER[0]] == [h for h in wide_header()[0] if h != REUSE_HEADER[0]]


def wide_header(form: Form = FORM) -> tuple[list[str], list[str]]:
    """The wide CSV's two heading rows: readable headings, then the field ids (programs name columns by them)."""
    return ([h for h, _ in WIDE_LEAD] + [field_header(f) for f in form.fields] + [REUSE_HEADER[0]],
            [i for _, i in WIDE_LEAD] + [f.id for f in form.fields] + [REUSE_HEADER[1]])


def wide_rows(comp: Compilation, form: Form = FORM) -> Iterator[list[Any]]:
    """One row per agency received (the first file of each, as in 明细), every field in form order."""
    for row, report in comp.agency_reports():
        values = full_values(report)
        yield [neutralize(row.file), row.status, "是" if row.counted else "否",
               *(_cell(f, values.get(f.id)) for f in form.fields), "" if row.reuse is None else row.reuse]


def write_wide_csv(comp: Compilation, target: str | Path, *, form: Form = FORM, tick: Tick | None = None) -> int:
    """The wide CSV (one row per agency, a column per field; opens in Excel), atomically; returns its rows."""
    n = 0
    with open_atomic(target, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
        for heading in wide_header(form):
            w.writerow(heading)
            n += 1
        for row in wide_rows(comp, form):
            w.writerow(row)
            n += 1
            if tick is not None:
                tick(1)
    _too_long(target, n, "请按地区分别汇总后再查看。")
    return n


PARQUET_EXTRA = 'pip install "xl-disclosure[parquet]"'
PARQUET_BATCH = 50_000


def write_long_parquet(comp: Compilation, target: str | Path, *, tick: Tick | None = None) -> int:
    """long.csv's rows as Parquet (typed: 数值 float64, codes and texts strings; no row limit), atomically.

    Needs pyarrow (the ``parquet`` extra); without it a UsageError says how to install it.  Returns the rows.
    """
    try:
        import pyarrow as pa  # optional: only this output needs it
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(f"写出 Parquet 文件需要 pyarrow，请先安装：{PARQUET_EXTRA}") from None
    schema = pa.schema([("机关名称", pa.string()), ("统一社会信用代码", pa.string()), ("年度", pa.int32()),
                        ("字段", pa.string()), ("部分", pa.string()), ("行", pa.string()), ("列", pa.string()),
                        ("数值", pa.float64()), ("文字", pa.string())])
    per = long_rows_per_agency()
    written = 0

    def write(tmp: Path) -> None:
        nonlocal written
        with pq.ParquetWriter(str(tmp), schema) as out:
            batch: list[tuple[Any, ...]] = []
            for row in _typed_long_rows(comp):
                batch.append(row)
                if len(batch) >= PARQUET_BATCH:
                    out.write_table(pa.Table.from_pylist([dict(zip(schema.names, r, strict=True)) for r in batch],
                                                         schema=schema))
                    written += len(batch)
                    if tick is not None:
                        tick(len(batch) // per)
                    batch = []
            out.write_table(pa.Table.from_pylist([dict(zip(schema.names, r, strict=True)) for r in batch],
                                                 schema=schema))
            written += len(batch)

    write_atomic(target, write)
    return written


def _typed_long_rows(comp: Compilation) -> Iterator[tuple[Any, ...]]:
    """long_rows as values, not CSV cells: codes without the tab, texts as they are, blanks as None."""
    fields = [f for f in FORM.fields if f.group != "cover"]
    for row, report in comp.counted_reports():
        values = full_values(report)
        for f in fields:
            v = values.get(f.id)
            number = float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
            words = str(v) if v is not None and number is None else None
            yield (row.agency or None, row.uscc or None, row.year, f.id, f.section, f.row_label, f.col_label or None,
                   number, words)
