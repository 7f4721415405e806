"""The summary workbook of a compile (summary.xlsx), written with XlsxWriter.

Sheets: 汇总 (regional totals laid out like the form), 校验状态 (one row per
file), 明细 (one row per agency, one column per field), 未报送与重复, and 图表
(native charts with their data).  The workbook is written in XlsxWriter's
constant-memory mode, row by row, so ten thousand agencies do not need ten
thousand reports in memory.  Every text that came from a file or a user is
neutralized and written with ``write_string``; no formula is ever written.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xl_disclosure.form import (
    FORM,
    S2_BLOCKS,
    S2_CONTENT_HEADER,
    S2_TITLE,
    S3_APPLICANT_HEADER,
    S3_COLUMNS,
    S3_NOTE,
    S3_ORG_HEADER,
    S3_ROWS,
    S3_TITLE,
    S3_TOTAL_COLUMN,
    S4_GROUPS,
    S4_LITIGATION,
    S4_RESULTS,
    S4_TITLE,
    S4_TOTAL,
    Kind,
    s3_id,
)
from xl_disclosure.model.summary import Compilation, full_values, outcome_mix, yoy_rows
from xl_disclosure.writers.atomic import neutralize, write_atomic

SHEET_SUMMARY = "汇总"
SHEET_STATUS = "校验状态"
SHEET_DETAIL = "明细"
SHEET_GAPS = "未报送与重复"
SHEET_CHARTS = "图表"
SHEETS = (SHEET_SUMMARY, SHEET_STATUS, SHEET_DETAIL, SHEET_GAPS, SHEET_CHARTS)

#: Agencies shown in the "applications per agency" bar chart (the busiest ones).
TOP_AGENCIES = 30
#: Excel's limits.
MAX_CELL_CHARS = 32767
MAX_HYPERLINKS = 65530
MAX_URL_CHARS = 2079

STATUS_COLOURS = {"通过": "#C6EFCE", "有警告": "#FFEB9C", "不通过": "#FFC7CE", "无法读取": "#D9D9D9"}


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
        self.status = {s: wb.add_format({"bg_color": c}) for s, c in STATUS_COLOURS.items()}


def write_summary_xlsx(comp: Compilation, target: str | Path) -> None:
    """Write the summary workbook atomically."""
    target = Path(target)
    write_atomic(target, lambda tmp: _write(comp, tmp, target))


def _write(comp: Compilation, tmp: Path, target: Path) -> None:
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
    _summary_sheet(comp, sheets[SHEET_SUMMARY], fmt)
    _status_sheet(comp, sheets[SHEET_STATUS], fmt, target)
    _detail_sheet(comp, sheets[SHEET_DETAIL], fmt)
    _gaps_sheet(comp, sheets[SHEET_GAPS], fmt)
    _charts_sheet(comp, wb, sheets[SHEET_CHARTS], fmt)
    sheets[SHEET_SUMMARY].activate()
    wb.close()


def _title(comp: Compilation) -> str:
    title = "政府信息公开工作年度报告汇总"
    return f"{comp.year}年度{title}" if comp.year else title


# ---------------------------------------------------------------------------
# 汇总 — laid out like the form
# ---------------------------------------------------------------------------

def _summary_sheet(comp: Compilation, ws: Worksheet, fmt: _Formats) -> None:
    totals = comp.totals.result()
    ncols = 10
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 20)
    ws.set_column(2, 2, 40)
    ws.set_column(3, 3 + 15 - 1, 11)
    ws.merge_range(0, 0, 0, ncols - 1, _title(comp), fmt.title)
    ws.set_row(1, 32)
    ws.merge_range(1, 0, 1, ncols - 1, comp.included_text(), fmt.note)
    tally = comp.tally()
    line = f"收到文件 {len(comp.rows)} 个：" + "，".join(f"{k} {v}" for k, v in tally.items())
    if comp.expected is not None:
        line += f"；应报送 {len(comp.expected)} 个机关，未报送 {len(comp.missing)} 个"
    if comp.duplicates:
        line += f"；重复报送 {len(comp.duplicates)} 起"
    ws.merge_range(2, 0, 2, ncols - 1, line + "。详见“校验状态”“未报送与重复”工作表。", fmt.note)
    row = 4
    row = _s2_table(ws, fmt, totals, row)
    row = _s3_table(ws, fmt, totals, row + 1)
    _s4_table(ws, fmt, totals, row + 1)
    ws.freeze_panes(1, 0)
    _print_setup(ws)


def _print_setup(ws: Worksheet, *, repeat: int | None = None) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    if repeat is not None:
        ws.repeat_rows(0, repeat)


def _value(ws: Worksheet, fmt: _Formats, r: int, c: int, fid: str, totals: dict[str, float],
           last: int | None = None) -> None:
    f = FORM.by_id[fid]
    style = fmt.total if f.kind is Kind.TOTAL else fmt.amount if f.kind is Kind.AMOUNT else fmt.int
    value = totals.get(fid, 0) or 0
    if last is not None and last > c:
        ws.merge_range(r, c, r, last, value, style)
    else:
        ws.write_number(r, c, value, style)


def _s2_table(ws: Worksheet, fmt: _Formats, totals: dict[str, float], row: int) -> int:
    ws.write_string(row, 0, S2_TITLE, fmt.section)
    row += 1
    width = max(len(b.columns) for b in S2_BLOCKS)
    for block in S2_BLOCKS:
        # as on the form: the heading over every column, a block's last column spanning the rest
        ncols = len(block.columns)
        ws.merge_range(row, 0, row, 2 + width, block.item, fmt.head)
        row += 1
        ws.set_row(row, 30)
        ws.merge_range(row, 0, row, 2, S2_CONTENT_HEADER, fmt.head)
        for c, (_, clabel) in enumerate(block.columns):
            if c == ncols - 1 and ncols < width:
                ws.merge_range(row, 3 + c, row, 2 + width, clabel, fmt.head)
            else:
                ws.write_string(row, 3 + c, clabel, fmt.head)
        row += 1
        for rkey, rlabel in block.rows:
            ws.merge_range(row, 0, row, 2, rlabel, fmt.label)
            for c, (ckey, _) in enumerate(block.columns):
                _value(ws, fmt, row, 3 + c, f"s2_{rkey}_{ckey}", totals, 2 + width if c == ncols - 1 else 3 + c)
            row += 1
    return row


def _s3_table(ws: Worksheet, fmt: _Formats, totals: dict[str, float], row: int) -> int:
    ws.write_string(row, 0, S3_TITLE, fmt.section)
    row += 1
    ws.merge_range(row, 0, row, 9, S3_NOTE, fmt.note)
    row += 1
    cols = S3_COLUMNS + (S3_TOTAL_COLUMN,)
    # Three header rows as on the form: 申请人情况 / 自然人 · 法人或其他组织 · 总计 / the five kinds.
    # Constant-memory mode writes row by row, so the top-left header is three one-row merges.
    ws.merge_range(row, 0, row, 2, "", fmt.head)
    ws.merge_range(row, 3, row, 3 + len(cols) - 1, S3_APPLICANT_HEADER, fmt.head)
    ws.merge_range(row + 1, 0, row + 1, 2, "", fmt.head)
    ws.write_string(row + 1, 3, cols[0][1], fmt.head)
    ws.merge_range(row + 1, 4, row + 1, 3 + len(S3_COLUMNS) - 1, S3_ORG_HEADER, fmt.head)
    ws.write_string(row + 1, 3 + len(cols) - 1, cols[-1][1], fmt.head)
    ws.merge_range(row + 2, 0, row + 2, 2, "", fmt.head)
    ws.write_blank(row + 2, 3, None, fmt.head)
    for c, (_, clabel) in enumerate(S3_COLUMNS[1:], start=4):
        ws.write_string(row + 2, c, clabel, fmt.head)
    ws.write_blank(row + 2, 3 + len(cols) - 1, None, fmt.head)
    row += 3
    keys = [r.level1 for r in S3_ROWS]
    subs = [r.level2 for r in S3_ROWS]
    for i, r in enumerate(S3_ROWS):
        if len(r.level3) > 20:
            ws.set_row(row, 30)
        if not r.level2:
            ws.merge_range(row, 0, row, 2, r.level1, fmt.label)
        else:
            ws.write_string(row, 0, r.level1 if keys[i - 1] != r.level1 else "", _group_fmt(fmt, keys, i))
            if r.level3:
                ws.write_string(row, 1, r.level2 if subs[i - 1] != r.level2 else "", _group_fmt(fmt, subs, i))
                ws.write_string(row, 2, r.level3, fmt.label)
            else:
                ws.merge_range(row, 1, row, 2, r.level2, fmt.label)
        for c, (ckey, _) in enumerate(cols):
            _value(ws, fmt, row, 3 + c, s3_id(r.key, ckey), totals)
        row += 1
    return row


def _group_fmt(fmt: _Formats, labels: Sequence[str], i: int) -> Any:
    """Borders that make consecutive rows with the same label look like one merged cell."""
    first = i == 0 or labels[i - 1] != labels[i]
    last = i == len(labels) - 1 or labels[i + 1] != labels[i]
    if first and last:
        return fmt.label
    if first:
        return fmt.label_open_bottom
    if last:
        return fmt.label_open_top
    return fmt.label_open_both


def _s4_table(ws: Worksheet, fmt: _Formats, totals: dict[str, float], row: int) -> int:
    """Section 四 as on the form: 行政复议 | 行政诉讼 (未经复议直接起诉 · 复议后起诉), five columns each."""
    ws.write_string(row, 0, S4_TITLE, fmt.section)
    row += 1
    per = len(S4_RESULTS) + 1
    first = 3  # value columns start where the other tables' do
    first_group, *litigation = S4_GROUPS
    ws.merge_range(row, 0, row, 2, "", fmt.head)
    ws.merge_range(row, first, row, first + per - 1, first_group[1], fmt.head)
    ws.merge_range(row, first + per, row, first + per * len(S4_GROUPS) - 1, S4_LITIGATION, fmt.head)
    row += 1
    # 行政复议's results right under it, two rows high (written in the first, blank in the second)
    ws.merge_range(row, 0, row, 2, "", fmt.head)
    for k, (_, rlabel) in enumerate(S4_RESULTS + (S4_TOTAL,)):
        ws.write_string(row, first + k, rlabel, fmt.head)
    for g, (_, glabel) in enumerate(litigation, start=1):
        ws.merge_range(row, first + per * g, row, first + per * g + per - 1, glabel, fmt.head)
    row += 1
    ws.merge_range(row, 0, row, 2, "", fmt.head)
    for k in range(per):
        ws.write_blank(row, first + k, None, fmt.head)
    for g in range(1, len(S4_GROUPS)):
        for k, (_, rlabel) in enumerate(S4_RESULTS + (S4_TOTAL,)):
            ws.write_string(row, first + per * g + k, rlabel, fmt.head)
    row += 1
    ws.merge_range(row, 0, row, 2, "件数", fmt.label)
    for g, (gkey, _) in enumerate(S4_GROUPS):
        for k, (rkey, _) in enumerate(S4_RESULTS + (S4_TOTAL,)):
            _value(ws, fmt, row, first + per * g + k, f"s4_{gkey}_{rkey}", totals)
    return row + 1


# ---------------------------------------------------------------------------
# 校验状态 — one row per file
# ---------------------------------------------------------------------------

STATUS_HEADER = ("序号", "文件", "状态", "机关名称", "统一社会信用代码", "年度", "错误数", "警告数", "计入汇总",
                 "说明", "主要问题（前几条）")


def _link_target(path: str, target: Path) -> str | None:
    """A relative link from the summary workbook to the file (works when the folder moves together)."""
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(target.parent))
    except ValueError:  # another drive on Windows
        rel = os.path.abspath(path)
    url = "external:" + rel.replace("\\", "/") if os.sep == "/" else "external:" + rel
    return url if len(url) <= MAX_URL_CHARS else None


def _status_sheet(comp: Compilation, ws: Worksheet, fmt: _Formats, target: Path) -> None:
    widths = (6, 40, 9, 30, 22, 7, 7, 7, 9, 36, 90)
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
        ws.write_string(i, 9, text(row.note), fmt.wrap)
        more = row.errors + row.warnings - len(row.first)
        first = "\n".join(row.first) + (f"\n……另有 {more} 条，见 JSON 结果或逐个校验" if more > 0 else "")
        ws.write_string(i, 10, text(first), fmt.wrap)
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


# ---------------------------------------------------------------------------
# 明细 — one row per agency, one column per field
# ---------------------------------------------------------------------------

DETAIL_LEAD = ("文件", "状态", "计入汇总")


def detail_header(fid: str) -> str:
    f = FORM.by_id[fid]
    return f"{f.section}｜{f.label}"


def _detail_sheet(comp: Compilation, ws: Worksheet, fmt: _Formats) -> None:
    lead = len(DETAIL_LEAD)
    ws.set_row(0, 60)
    for c, h in enumerate(DETAIL_LEAD):
        ws.write_string(0, c, h, fmt.head)
        ws.write_string(1, c, "", fmt.head)
    for c, f in enumerate(FORM.fields, start=lead):
        ws.write_string(0, c, detail_header(f.id), fmt.head)
        ws.write_string(1, c, f.id, fmt.head)
    ws.set_column(0, 0, 30)
    ws.set_column(lead, lead + len(FORM.fields) - 1, 12)
    r = 2
    for row, report in comp.agency_reports():
        ws.write_string(r, 0, text(row.file), fmt.top)
        ws.write_string(r, 1, row.status, fmt.top)
        ws.write_string(r, 2, "是" if row.counted else "否", fmt.top)
        values = full_values(report)
        for c, f in enumerate(FORM.fields, start=lead):
            v = values.get(f.id)
            if v is None:
                continue
            if isinstance(v, int | float) and not isinstance(v, bool):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, text(v))
        r += 1
    ws.freeze_panes(2, lead + 1)
    ws.autofilter(1, 0, max(r - 1, 1), lead + len(FORM.fields) - 1)


# ---------------------------------------------------------------------------
# 未报送与重复
# ---------------------------------------------------------------------------

def _gaps_sheet(comp: Compilation, ws: Worksheet, fmt: _Formats) -> None:
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 22)
    ws.set_column(3, 4, 50)
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
        r += 1
    ws.write_string(r, 0, "二、重复报送（同一机关同一年度收到多份，只计入第一份）", fmt.section)
    r += 1
    for c, h in enumerate(("序号", "机关名称", "统一社会信用代码", "计入汇总的文件", "未计入的文件")):
        ws.write_string(r, c, h, fmt.head)
    r += 1
    for i, d in enumerate(comp.duplicates, start=1):
        ws.write_number(r, 0, i, fmt.number)
        ws.write_string(r, 1, text(d.agency), fmt.top)
        ws.write_string(r, 2, text(d.uscc), fmt.top)
        ws.write_string(r, 3, text(d.files[0]), fmt.top)
        ws.write_string(r, 4, text("\n".join(d.files[1:])), fmt.wrap)
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
# 图表 — native charts and the data they show
# ---------------------------------------------------------------------------

def _charts_sheet(comp: Compilation, wb: Workbook, ws: Worksheet, fmt: _Formats) -> None:
    name = SHEET_CHARTS
    totals = comp.totals.result()
    ws.set_column(0, 0, 34)
    ws.set_column(1, 2, 12)
    r = 0
    # 1. Outcome mix of 三、本年度办理结果.
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
    ws.insert_chart(0, 4, pie, {"x_scale": 1.3, "y_scale": 1.2})
    r += 1
    # 2. Status of the files received.
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
    ws.insert_chart(20, 4, status_chart, {"x_scale": 1.3, "y_scale": 1.0})
    r += 1
    # 3. Year over year, when last year's data was given.
    yoy_at = 36
    if comp.prior is not None and comp.prior.totals is not None:
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
        ws.insert_chart(yoy_at, 4, yoy, {"x_scale": 1.3, "y_scale": 1.6})
        yoy_at += 26
        r += 1
    # 4. Applications per agency (the busiest agencies).
    agencies = [(row.applications or 0, i, row) for i, row in enumerate(comp.counted_rows)]
    top = heapq.nlargest(TOP_AGENCIES, agencies, key=lambda t: (t[0], -t[1]))
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
        bars.set_size({"width": 720, "height": max(320, 22 * len(top) + 120)})
        ws.insert_chart(yoy_at, 4, bars)
