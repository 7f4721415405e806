"""The summary workbook of a compile (summary.xlsx), written with XlsxWriter.

Sheets: 汇总 (regional totals laid out like the form), 校验状态 (one row per
file, with its 重复率 against last year's text), 明细 (one row per agency, one
column per field), 未报送与重复, 异常变化 (figures more than 10× or under 0.1×
last year's), and 图表 (native charts with their data).  The workbook is written in XlsxWriter's
constant-memory mode, row by row, so ten thousand agencies do not need ten
thousand reports in memory.  Every text that came from a file or a user is
neutralized and written with ``write_string``; no formula is ever written.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xl_disclosure.checks.narrative import REUSE_THRESHOLD
from xl_disclosure.checks.plausibility import JUMP_FACTOR, JUMP_FLOOR
from xl_disclosure.form import FORM, Field, Form, Kind
from xl_disclosure.form.layout import LAYOUT, Cell, Layout, Role, TableLayout
from xl_disclosure.model.findings import CoverageEntry
from xl_disclosure.model.summary import (
    DECISIONS,
    DUPLICATE,
    JUMP_RULE,
    SAME_REPORT,
    Compilation,
    full_values,
    outcome_mix,
    yoy_rows,
)
from xl_disclosure.writers.atomic import neutralize, write_atomic

SHEET_SUMMARY = "汇总"
SHEET_STATUS = "校验状态"
SHEET_DETAIL = "明细"
SHEET_GAPS = "未报送与重复"
SHEET_JUMPS = "异常变化"
SHEET_CHARTS = "图表"
SHEETS = (SHEET_SUMMARY, SHEET_STATUS, SHEET_DETAIL, SHEET_GAPS, SHEET_JUMPS, SHEET_CHARTS)
#: The sheets every version of the summary workbook has (how an earlier run's output is recognised).
CORE_SHEETS = (SHEET_SUMMARY, SHEET_STATUS, SHEET_DETAIL, SHEET_GAPS, SHEET_CHARTS)

#: Agencies shown in the "applications per agency" bar chart (the busiest ones).
TOP_AGENCIES = 30
#: Excel's limits.
MAX_CELL_CHARS = 32767
MAX_HYPERLINKS = 65530
MAX_URL_CHARS = 2079

STATUS_COLOURS = {"通过": "#C6EFCE", "有警告": "#FFEB9C", "不通过": "#FFC7CE", "无法读取": "#D9D9D9", "重复报送": "#E4DFEC",
                  "同一报告的另一格式": "#DDEBF7"}


def text(value: object) -> str:
    """User or file text, safe to put in a cell."""
    s = "" if value is None else str(value)
    s = neutralize(s)
    return s if len(s) <= MAX_CELL_CHARS else s[: MAX_CELL_CHARS - 1] + "…"


class _Formats:
    def __init__(self, wb: Workbook) -> None:
        base = {"font_name": "等线", "font_size": 10.5, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#595959", "text_wrap": True})
        self.section = wb.add_format({**base, "bold": True, "font_size": 12})
        self.head = wb.add_format({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                                   "bg_color": "#DDEBF7"})
        self.label = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.label_open_top = wb.add_format({**base, "border": 1, "top": 0, "text_wrap": True})
        self.label_open_both = wb.add_format({**base, "border": 1, "top": 0, "bottom": 0, "text_wrap": True})
        self.label_open_bottom = wb.add_format({**base, "border": 1, "bottom": 0, "text_wrap": True})
        self.int = wb.add_format({**base, "border": 1, "num_format": "#,##0"})
        self.amount = wb.add_format({**base, "border": 1, "num_format": "#,##0.0000"})
        self.total = wb.add_format({**base, "border": 1, "num_format": "#,##0", "bold": True, "bg_color": "#F2F2F2"})
        self.plain = wb.add_format(base)
        self.wrap = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.top = wb.add_format({**base, "valign": "top"})
        self.link = wb.add_format({**base, "font_color": "#0563C1", "underline": 1, "valign": "top"})
        self.number = wb.add_format({**base, "valign": "top"})
        self.percent = wb.add_format({**base, "valign": "top", "num_format": "0%"})
        self.ratio = wb.add_format({**base, "border": 1, "num_format": "0.00"})
        self.status = {s: wb.add_format({"bg_color": c}) for s, c in STATUS_COLOURS.items()}


def write_summary_xlsx(comp: Compilation, target: str | Path, *, layout: Layout = LAYOUT,
                       tick: Callable[[int], None] | None = None) -> None:
    """Write the summary workbook atomically; its tables and 明细 columns are ``layout``'s.

    ``tick(n)`` is called as rows are written: once per file in 校验状态 and per agency in 明细.
    """
    target = Path(target)
    write_atomic(target, lambda tmp: _write(comp, tmp, target, layout, tick or _no_tick))


def _no_tick(n: int) -> None:
    pass


def _write(comp: Compilation, tmp: Path, target: Path, layout: Layout, tick: Callable[[int], None]) -> None:
    wb = xlsxwriter.Workbook(str(tmp), {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "tmpdir": str(comp.spool_dir),
    })
    wb.set_properties({"title": _title(comp), "comments": comp.included_text()})
    fmt = _Formats(wb)
    sheets = {name: wb.add_worksheet(name) for name in SHEETS}
    _summary_sheet(comp, sheets[SHEET_SUMMARY], fmt, layout)
    _status_sheet(comp, sheets[SHEET_STATUS], fmt, target, tick)
    _detail_sheet(comp, sheets[SHEET_DETAIL], fmt, layout.form, tick)
    _gaps_sheet(comp, sheets[SHEET_GAPS], fmt)
    _jumps_sheet(comp, sheets[SHEET_JUMPS], fmt)
    _charts_sheet(comp, wb, sheets[SHEET_CHARTS], fmt)
    sheets[SHEET_SUMMARY].activate()
    wb.close()


def _title(comp: Compilation) -> str:
    title = "政府信息公开工作年度报告汇总"
    return f"{comp.year}年度{title}" if comp.year else title


# ---------------------------------------------------------------------------
# 汇总 — laid out like the form
# ---------------------------------------------------------------------------

#: The 汇总 sheet's label columns: every table's row labels are spread over them, its values start after them.
LEAD_WIDTHS = (22, 20, 40)
LEAD = len(LEAD_WIDTHS)
VALUE_WIDTH = 11


def _summary_sheet(comp: Compilation, ws: Worksheet, fmt: _Formats, layout: Layout) -> None:
    totals = comp.totals.result()
    ncols = LEAD + layout.s3.value_columns  # the notes at the top are as wide as table 三
    for c, width in enumerate(LEAD_WIDTHS):
        ws.set_column(c, c, width)
    ws.set_column(LEAD, LEAD + max(t.value_columns for t in layout.tables) - 1, VALUE_WIDTH)
    ws.merge_range(0, 0, 0, ncols - 1, _title(comp), fmt.title)
    ws.set_row(1, 32)
    ws.merge_range(1, 0, 1, ncols - 1, comp.included_text(), fmt.note)
    tally = comp.tally()
    line = f"收到文件 {len(comp.rows)} 个：" + "，".join(f"{k} {v}" for k, v in tally.items() if v or k != SAME_REPORT)
    if comp.expected is not None:
        line += f"；应报送 {len(comp.expected)} 个机关，未报送 {len(comp.missing)} 个"
        if comp.received_unreadable:
            line += f"，已报送（格式不符）{len(comp.received_unreadable)} 个"
    if comp.duplicates:
        line += f"；重复报送 {len(comp.duplicates)} 起"
        if comp.conflicts:
            line += f"（其中 {len(comp.conflicts)} 起内容不同、待决定，都未计入）"
    ws.merge_range(2, 0, 2, ncols - 1, line + "。详见“校验状态”“未报送与重复”工作表。", fmt.note)
    row = 3
    for table in layout.tables:
        row = _table(ws, fmt, table, totals, row + 1, layout.form)
    ws.freeze_panes(1, 0)
    _print_setup(ws)


def _print_setup(ws: Worksheet, *, repeat: int | None = None) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    if repeat is not None:
        ws.repeat_rows(0, repeat)


def _table(ws: Worksheet, fmt: _Formats, table: TableLayout, totals: dict[str, float], row: int,
           form: Form) -> int:
    """One table laid out as on the form, from sheet row ``row``; returns the row after it.

    The sheet is written row by row (constant memory), so a cell over several rows is written as a
    one-row cell on each of them, its text in the first; table 三's note, which sits in such a
    corner on the form, is printed above the table instead.  A table with no label column (四) gets
    blank label heads and the label 件数.
    """
    ws.write_string(row, 0, table.title, fmt.section)
    row += 1
    if table.note:
        ws.merge_range(row, 0, row, LEAD + table.value_columns - 1, table.note, fmt.note)
        row += 1
    shift = LEAD - table.label_columns  # the last label column takes the lead's spare columns

    def first(c: int) -> int:
        return c if c < table.label_columns else c + shift

    def last(c: int) -> int:
        return c + shift if c >= table.label_columns - 1 else c

    top = row
    for section in table.sections:
        bodies = {b.row: b for b in section.body}
        for r in section.rows:
            at = top + r
            head = r in section.header_range
            cells = section.covering(r)
            if head and any(c.role is Role.STUB and c.row == r for c in cells):
                ws.set_row(at, 30)
            for cell in cells:
                c1, c2 = first(cell.col), last(cell.last_col)
                if cell.role is Role.ROW and c1 == c2 and len(cell.text) > 20:
                    ws.set_row(at, 30)
            if not table.label_columns:
                ws.merge_range(at, 0, at, LEAD - 1, "" if head else "件数", fmt.head if head else fmt.label)
            for cell in cells:
                text = cell.text if cell.row == r and cell.role is not Role.NOTE else ""
                c1, c2 = first(cell.col), last(cell.last_col)
                style = fmt.head if head else _label_fmt(fmt, cell, r)
                if c2 > c1:
                    ws.merge_range(at, c1, at, c2, text, style)
                elif text or not head:  # a label carried on from the row above is empty text
                    ws.write_string(at, c1, text, style)
                else:
                    ws.write_blank(at, c1, None, style)
            if not head:
                for v in bodies[r].values:
                    _value(ws, fmt, at, first(v.col), last(v.last_col), form.by_id[v.field], totals)
    return top + table.rows


def _value(ws: Worksheet, fmt: _Formats, r: int, c1: int, c2: int, f: Field, totals: dict[str, float]) -> None:
    style = fmt.total if f.kind is Kind.TOTAL else fmt.amount if f.kind is Kind.AMOUNT else fmt.int
    value = totals.get(f.id, 0) or 0
    if c2 > c1:
        ws.merge_range(r, c1, r, c2, value, style)
    else:
        ws.write_number(r, c1, value, style)


def _label_fmt(fmt: _Formats, cell: Cell, row: int) -> Any:
    """Borders that make a label over several rows look like one merged cell."""
    first, last = row == cell.row, row == cell.last_row
    if first and last:
        return fmt.label
    if first:
        return fmt.label_open_bottom
    if last:
        return fmt.label_open_top
    return fmt.label_open_both


# ---------------------------------------------------------------------------
# 校验状态 — one row per file
# ---------------------------------------------------------------------------

STATUS_HEADER = ("序号", "文件", "状态", "机关名称", "统一社会信用代码", "年度", "错误数", "警告数", "计入汇总",
                 "与上年重复率（文字各部分中最高）", "说明", "主要问题（前几条）")
#: The 重复率 column of 校验状态.
REUSE_COLUMN = STATUS_HEADER.index("与上年重复率（文字各部分中最高）")


def _link_target(path: str, target: Path) -> str | None:
    """A relative link from the summary workbook to the file (works when the folder moves together)."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(target.parent))
    except ValueError:  # another drive on Windows
        rel = os.path.abspath(path)
    url = "external:" + rel.replace("\\", "/") if os.sep == "/" else "external:" + rel
    return url if len(url) <= MAX_URL_CHARS else None


def coverage_text(coverage: CoverageEntry | None) -> str:
    """A published report's coverage in a few words for 校验状态: “已发布报告：读出表格数字 179/200（……）”."""
    if coverage is None:
        return ""
    head = f"已发布报告：读出表格数字 {coverage['cells_read']}/{coverage['cells_expected']}"
    if not coverage["unread"]:
        return head
    first = coverage["unread"][0]
    more = len(coverage["unread"]) - 1
    return head + f"（未读出：{first['why']} {first['cells']} 格" + (f"，另有 {more} 类原因" if more else "") + "）"


def _status_sheet(comp: Compilation, ws: Worksheet, fmt: _Formats, target: Path, tick: Callable[[int], None]) -> None:
    widths = (6, 40, 9, 30, 22, 7, 7, 7, 9, 12, 36, 90)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    for c, h in enumerate(STATUS_HEADER):
        ws.write_string(0, c, h, fmt.head)
    links = 0
    for i, row in enumerate(comp.rows, start=1):
        ws.write_number(i, 0, i, fmt.number)
        url = _link_target(row.path, target) if row.path and links < MAX_HYPERLINKS else None  # no path: no link
        if url is not None and ws.write_url(i, 1, url, fmt.link, string=text(row.file),
                                            tip="打开该文件") == 0:
            links += 1
        else:
            ws.write_string(i, 1, text(row.file), fmt.top)
        ws.write_string(i, 2, row.status, fmt.top)
        ws.write_string(i, 3, text(row.agency), fmt.top)
        ws.write_string(i, 4, text(row.uscc), fmt.top)
        if row.year is not None:
            ws.write_number(i, 5, row.year, fmt.number)
        else:
            ws.write_blank(i, 5, None, fmt.top)
        ws.write_number(i, 6, row.errors, fmt.number)
        ws.write_number(i, 7, row.warnings, fmt.number)
        ws.write_string(i, 8, "是" if row.counted else "否", fmt.top)
        if row.reuse is not None:
            ws.write_number(i, REUSE_COLUMN, row.reuse, fmt.percent)
        else:
            ws.write_blank(i, REUSE_COLUMN, None, fmt.top)
        note = "；".join(t for t in (row.note, coverage_text(row.coverage)) if t)
        ws.write_string(i, REUSE_COLUMN + 1, text(note), fmt.wrap)
        more = row.errors + row.warnings - len(row.first)
        first = "\n".join(row.first) + (f"\n……另有 {more} 条，见 JSON 结果或逐个校验" if more > 0 else "")
        ws.write_string(i, REUSE_COLUMN + 2, text(first), fmt.wrap)
        tick(1)
    last = max(len(comp.rows), 1)
    ws.autofilter(0, 0, last, len(STATUS_HEADER) - 1)
    ws.freeze_panes(1, 2)
    _print_setup(ws, repeat=0)
    for status, style in fmt.status.items():
        ws.conditional_format(1, 2, last, 2, {"type": "cell", "criteria": "==", "value": f'"{status}"',
                                              "format": style})
    ws.conditional_format(1, 6, last, 6, {"type": "cell", "criteria": ">", "value": 0,
                                          "format": fmt.status["不通过"]})
    ws.conditional_format(1, 7, last, 7, {"type": "cell", "criteria": ">", "value": 0,
                                          "format": fmt.status["有警告"]})
    ws.conditional_format(1, REUSE_COLUMN, last, REUSE_COLUMN, {"type": "cell", "criteria": ">", "value": REUSE_THRESHOLD,
                                                                "format": fmt.status["有警告"]})
    if comp.shows_reuse:
        ws.write_comment(0, REUSE_COLUMN, "本年文字部分（一的五个部分、五、六）分别与上年报告的同一部分比较，"
                                          f"取重复的字所占比例最高的一个；超过 {REUSE_THRESHOLD:.0%} 标黄"
                                          "（规则 cross_year.text_reuse，见 docs/checks.md）。")


# ---------------------------------------------------------------------------
# 明细 — one row per agency, one column per field
# ---------------------------------------------------------------------------

DETAIL_LEAD = ("文件", "状态", "计入汇总")


def detail_header(fid: str, form: Form = FORM) -> str:
    f = form.by_id[fid]
    return f"{f.section}｜{f.label}"


def _detail_sheet(comp: Compilation, ws: Worksheet, fmt: _Formats, form: Form, tick: Callable[[int], None]) -> None:
    lead = len(DETAIL_LEAD)
    ws.set_row(0, 60)
    for c, h in enumerate(DETAIL_LEAD):
        ws.write_string(0, c, h, fmt.head)
        ws.write_string(1, c, "", fmt.head)
    for c, f in enumerate(form.fields, start=lead):
        ws.write_string(0, c, detail_header(f.id, form), fmt.head)
        ws.write_string(1, c, f.id, fmt.head)
    ws.set_column(0, 0, 30)
    ws.set_column(lead, lead + len(form.fields) - 1, 9)
    r = 2
    for row, report in comp.agency_reports():
        ws.write_string(r, 0, text(row.file), fmt.top)
        ws.write_string(r, 1, row.status, fmt.top)
        ws.write_string(r, 2, "是" if row.counted else "否", fmt.top)
        values = full_values(report)
        for c, f in enumerate(form.fields, start=lead):
            v = values.get(f.id)
            if v is None:
                continue
            if isinstance(v, int | float) and not isinstance(v, bool):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, text(v))
        r += 1
        tick(1)
    ws.freeze_panes(2, lead + 1)
    ws.autofilter(1, 0, max(r - 1, 1), lead + len(form.fields) - 1)
    # Printed on A3 across, every page with the two heading rows and the file column; as wide as one page.
    _print_setup(ws, repeat=1)
    ws.set_paper(8)  # A3
    ws.repeat_columns(0, 0)


# ---------------------------------------------------------------------------
# 未报送与重复
# ---------------------------------------------------------------------------

#: 未报送与重复, part 二: one row per file of each duplicate, the evidence beside it.
DUPLICATE_HEADER = ("序号", "机关名称", "统一社会信用代码", "处理", "文件", "计入汇总", "文件中的机关名称",
                    "文件中的统一社会信用代码", "文件的 SHA-256", "文件修改时间", "工作簿保存时间")


def _gaps_sheet(comp: Compilation, ws: Worksheet, fmt: _Formats) -> None:
    _print_setup(ws)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 22)
    ws.set_column(3, 4, 40)
    ws.set_column(5, 5, 9)
    ws.set_column(6, 7, 24)
    ws.set_column(8, 8, 66)
    ws.set_column(9, 10, 26)
    r = 0
    ws.write_string(r, 0, "一、未报送的机关（应报送名单中有、未收到报告）", fmt.section)
    r += 1
    if comp.expected is None:
        ws.write_string(r, 0, "未提供应报送机关名单（--expected），无法判断哪些机关未报送。", fmt.note)
        r += 2
    else:
        for c, h in enumerate(("序号", "机关名称", "统一社会信用代码")):
            ws.write_string(r, c, h, fmt.head)
        r += 1
        for i, a in enumerate(comp.missing, start=1):
            ws.write_number(r, 0, i, fmt.number)
            ws.write_string(r, 1, text(a.name), fmt.top)
            ws.write_string(r, 2, text(a.uscc), fmt.top)
            r += 1
        if not comp.missing:
            ws.write_string(r, 1, f"无：应报送的 {len(comp.expected)} 个机关均已报送。", fmt.note)
            r += 1
        if comp.received_unreadable:
            r += 1
            ws.write_string(r, 0, "已报送（格式不符）：收到了文件，但格式无法读取（如 WPS .et、旧版 .xls），"
                                  "请对方按“校验状态”中的提示另存为 .xlsx 后重新报送", fmt.section)
            r += 1
            for c, h in enumerate(("序号", "机关名称", "统一社会信用代码", "文件")):
                ws.write_string(r, c, h, fmt.head)
            r += 1
            for i, (a, index) in enumerate(comp.received_unreadable, start=1):
                ws.write_number(r, 0, i, fmt.number)
                ws.write_string(r, 1, text(a.name), fmt.top)
                ws.write_string(r, 2, text(a.uscc), fmt.top)
                ws.write_string(r, 3, text(comp.rows[index].file), fmt.top)
                r += 1
        r += 1
    ws.write_string(r, 0, "二、重复报送（同一机关同一年度收到多份：内容相同的计入一份；内容不同的都不计入，"
                          "待用 --prefer 或名单的“文件名”列指定计入哪一份）", fmt.section)
    r += 1
    for c, h in enumerate(DUPLICATE_HEADER):
        ws.write_string(r, c, h, fmt.head)
    r += 1
    for i, d in enumerate(comp.duplicates, start=1):
        state = f"待决定（共 {len(d.files)} 份，都未计入）" if d.pending else f"已决定：{DECISIONS[d.decided]}"
        for k, index in enumerate(d.rows):
            row = comp.rows[index]
            if k == 0:
                ws.write_number(r, 0, i, fmt.number)
                ws.write_string(r, 1, text(d.agency), fmt.top)
                ws.write_string(r, 2, text(d.uscc), fmt.top)
                ws.write_string(r, 3, state, fmt.status[DUPLICATE] if d.pending else fmt.top)
            for c, value in enumerate((row.file, "是" if row.counted else "否", row.agency, row.uscc, row.sha256,
                                       row.modified, row.saved), start=4):
                ws.write_string(r, c, text(value), fmt.top)
            r += 1
    if not comp.duplicates:
        ws.write_string(r, 1, "无重复报送。", fmt.note)
        r += 1
    if comp.unexpected:
        r += 1
        ws.write_string(r, 0, "三、不在应报送名单中的机关（已收到报告，请核对名单或机关名称、代码）", fmt.section)
        r += 1
        for c, h in enumerate(("序号", "机关名称", "统一社会信用代码", "文件")):
            ws.write_string(r, c, h, fmt.head)
        r += 1
        for i, index in enumerate(comp.unexpected, start=1):
            row = comp.rows[index]
            ws.write_number(r, 0, i, fmt.number)
            ws.write_string(r, 1, text(row.agency), fmt.top)
            ws.write_string(r, 2, text(row.uscc), fmt.top)
            ws.write_string(r, 3, text(row.file), fmt.top)
            r += 1


# ---------------------------------------------------------------------------
# 异常变化 — figures far from last year's
# ---------------------------------------------------------------------------

JUMPS_HEADER = ("序号", "机关名称", "统一社会信用代码", "数据项", "上年", "本年", "本年 ÷ 上年", "规则", "文件")


def _jumps_sheet(comp: Compilation, ws: Worksheet, fmt: _Formats) -> None:
    _print_setup(ws, repeat=2)
    for c, w in enumerate((6, 34, 22, 40, 10, 10, 10, 20, 40)):
        ws.set_column(c, c, w)
    ws.write_string(0, 0, f"与上年相比变化超过 {JUMP_FACTOR:g} 倍或不到上年 1/{JUMP_FACTOR:g} 的数字"
                          f"（两年都不少于 {JUMP_FLOOR}；每个机关每个数据项一行）", fmt.section)
    if comp.jumps is None:
        ws.write_string(2, 0, "未提供上年数据（--prior），没有与上年比较。", fmt.note)
        return
    if not comp.rules.is_enabled(JUMP_RULE):
        ws.write_string(2, 0, f"规则 {JUMP_RULE} 未运行（见汇总 JSON 的“rules”），没有与上年比较。", fmt.note)
        return
    for c, h in enumerate(JUMPS_HEADER):
        ws.write_string(1, c, h, fmt.head)
    # constant_memory: rows are written in order, the note on how many were compared last.
    compared = (f"收到报告的 {len(comp.agency_rows)} 个机关中，{comp.prior_matched} 个在上年数据中找到了上年报告"
                f"（按统一社会信用代码或机关名称认机关），已与上年比较；其余的无从比较。")
    if not comp.jumps:
        ws.write_string(2, 0, "无", fmt.label)
        ws.write_string(4, 0, compared, fmt.note)
        return
    for r, j in enumerate(comp.jumps, start=2):
        ws.write_number(r, 0, r - 1, fmt.int)
        ws.write_string(r, 1, text(j.agency), fmt.label)
        ws.write_string(r, 2, text(j.uscc), fmt.label)
        ws.write_string(r, 3, text(j.label), fmt.label)
        amount = FORM.by_id[j.field].kind is Kind.AMOUNT
        ws.write_number(r, 4, j.last, fmt.amount if amount else fmt.int)
        ws.write_number(r, 5, j.this, fmt.amount if amount else fmt.int)
        ws.write_number(r, 6, j.ratio, fmt.ratio)
        ws.write_string(r, 7, j.rule, fmt.label)
        ws.write_string(r, 8, text(j.file), fmt.label)
    ws.write_string(3 + len(comp.jumps), 0, compared, fmt.note)
    ws.autofilter(1, 0, 1 + len(comp.jumps), len(JUMPS_HEADER) - 1)
    ws.freeze_panes(2, 2)


# ---------------------------------------------------------------------------
# 图表 — native charts and the data they show
# ---------------------------------------------------------------------------

#: Rows of the default height (20 px) a chart of ``height`` pixels covers, and the rows between blocks.
ROW_PX = 20
COLUMN_PX = 64
BLOCK_GAP = 2


def _chart_rows(height_px: float) -> int:
    return int(-(-height_px // ROW_PX))


def _charts_sheet(comp: Compilation, wb: Workbook, ws: Worksheet, fmt: _Formats) -> None:
    """One block per chart: its data in columns A–C and the chart beside it, each block printed on its own page."""
    name = SHEET_CHARTS
    totals = comp.totals.result()
    ws.set_column(0, 0, 34)
    ws.set_column(1, 2, 12)
    # Every row exactly the default height, also in LibreOffice (which would otherwise size rows by their font),
    # so the charts, placed in pixels, begin on the row each page does.
    ws.set_default_row(ROW_PX * 0.75)
    breaks: list[int] = []
    right = [4]
    r = 0

    def place(chart: Any, first: int, last_data: int, height_px: float, options: dict[str, Any] | None = None,
              width_px: float = 480) -> int:
        """Insert ``chart`` beside its block (which started at ``first``); returns where the next block starts."""
        ws.insert_chart(first, 4, chart, options or {})
        right[0] = max(right[0], 4 + int(-(-width_px * (options or {}).get("x_scale", 1) // COLUMN_PX)))
        end = max(last_data + 1, first + _chart_rows(height_px)) + BLOCK_GAP
        breaks.append(end)
        return end

    # 1. Outcome mix of 三、本年度办理结果.
    first = r
    ws.write_string(r, 0, "办理结果构成（全部申请人，件）", fmt.section)
    r += 1
    mix = outcome_mix(totals)
    mix_first = r
    for label, value in mix:
        ws.write_string(r, 0, label, fmt.plain)
        ws.write_number(r, 1, value)
        r += 1
    pie = wb.add_chart({"type": "pie"})
    pie.add_series({"name": "办理结果构成", "categories": [name, mix_first, 0, r - 1, 0],
                    "values": [name, mix_first, 1, r - 1, 1], "data_labels": {"percentage": True}})
    pie.set_title({"name": "本年度办理结果构成"})
    r = place(pie, first, r - 1, 288 * 1.2, {"x_scale": 1.3, "y_scale": 1.2})
    # 2. Status of the files received.
    first = r
    ws.write_string(r, 0, "收到文件的校验状态（个）", fmt.section)
    r += 1
    st_first = r
    for status, n in comp.tally().items():
        ws.write_string(r, 0, status, fmt.plain)
        ws.write_number(r, 1, n)
        r += 1
    status_chart = wb.add_chart({"type": "column"})
    status_chart.add_series({"name": "文件数", "categories": [name, st_first, 0, r - 1, 0],
                             "values": [name, st_first, 1, r - 1, 1], "data_labels": {"value": True},
                             "points": [{"fill": {"color": c}} for c in STATUS_COLOURS.values()]})
    status_chart.set_title({"name": "报送文件校验状态"})
    status_chart.set_legend({"none": True})
    r = place(status_chart, first, r - 1, 288, {"x_scale": 1.3, "y_scale": 1.0})
    # 3. Year over year, when last year's data was given.
    if comp.prior is not None and comp.prior.totals is not None:
        first = r
        ws.write_string(r, 0, "与上年比较（全区域合计）", fmt.section)
        r += 1
        ws.write_string(r, 0, "项目", fmt.head)
        ws.write_string(r, 1, f"上年{f'（{comp.prior.year}）' if comp.prior.year else ''}", fmt.head)
        ws.write_string(r, 2, f"本年{f'（{comp.year}）' if comp.year else ''}", fmt.head)
        head = r
        r += 1
        y_first = r
        for label, fid in yoy_rows():
            ws.write_string(r, 0, label, fmt.plain)
            ws.write_number(r, 1, comp.prior.totals.get(fid, 0) or 0)
            ws.write_number(r, 2, totals.get(fid, 0) or 0)
            r += 1
        yoy = wb.add_chart({"type": "bar"})
        for col in (1, 2):
            yoy.add_series({"name": [name, head, col], "categories": [name, y_first, 0, r - 1, 0],
                            "values": [name, y_first, col, r - 1, col]})
        yoy.set_title({"name": "与上年比较"})
        yoy.set_y_axis({"reverse": True})
        r = place(yoy, first, r - 1, 288 * 1.6, {"x_scale": 1.3, "y_scale": 1.6})
    # 4. Applications per agency (the busiest agencies).
    agencies = [(row.applications or 0, i, row) for i, row in enumerate(comp.counted_rows)]
    top = heapq.nlargest(TOP_AGENCIES, agencies, key=lambda t: (t[0], -t[1]))
    first = r
    ws.write_string(r, 0, f"各机关本年新收申请数（前 {len(top)} 名，共 {len(agencies)} 个机关）", fmt.section)
    r += 1
    ws.write_string(r, 0, "机关", fmt.head)
    ws.write_string(r, 1, "本年新收", fmt.head)
    with_prior = comp.prior is not None
    if with_prior:
        ws.write_string(r, 2, "上年新收", fmt.head)
    head = r
    r += 1
    a_first = r
    for apps, _, row in top:
        ws.write_string(r, 0, text(row.agency or row.uscc or row.file), fmt.plain)
        ws.write_number(r, 1, apps)
        if with_prior and row.prior_applications is not None:
            ws.write_number(r, 2, row.prior_applications)
        r += 1
    if top:
        bars = wb.add_chart({"type": "bar"})
        bars.add_series({"name": [name, head, 1], "categories": [name, a_first, 0, r - 1, 0],
                         "values": [name, a_first, 1, r - 1, 1]})
        if with_prior:
            bars.add_series({"name": [name, head, 2], "categories": [name, a_first, 0, r - 1, 0],
                             "values": [name, a_first, 2, r - 1, 2]})
        bars.set_title({"name": "各机关本年新收政府信息公开申请数"})
        bars.set_y_axis({"reverse": True})
        height = max(320, 22 * len(top) + 120)
        bars.set_size({"width": 720, "height": height})
        place(bars, first, r - 1, height, width_px=720)
    _print_setup(ws)
    ws.set_h_pagebreaks(breaks[:-1])
    ws.print_area(0, 0, breaks[-1] - BLOCK_GAP if breaks else r, right[0])
