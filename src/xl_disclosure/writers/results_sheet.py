"""The 校验结果 sheet: the findings of a workbook written into the workbook itself.

One block of rows (:func:`results_rows`) is what both writers put on the sheet:
the Excel 校验 button writes it through xlwings into the clerk's open workbook
(:mod:`xl_disclosure.excel.button`), and :func:`xl_disclosure.writers.annotated.annotate_workbook`
writes it through openpyxl into a copy of a workbook file (what the collection service
hands back to a clerk).  Every text a clerk typed is neutralised, and the location column is an
in-workbook HYPERLINK formula, so a click jumps to the cell.  This module imports no spreadsheet
library, so the button stays quick to start.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xl_disclosure.form import Severity
from xl_disclosure.form.checksheet import SHEET_RESULTS
from xl_disclosure.model.findings import Finding, ValidationResult
from xl_disclosure.writers.atomic import neutralize

#: The sheet the findings are written to.
RESULTS_SHEET = SHEET_RESULTS
RESULTS_HEADER = ("规则", "级别", "位置", "说明")
#: Row of the column header on the results sheet; findings start on the next row.
RESULTS_HEADER_ROW = 5
RESULTS_COLUMN_WIDTHS = (20, 6, 18, 90)
SEVERITY_LABEL = {Severity.ERROR: "错误", Severity.WARNING: "警告"}
LINK_COLOR = "#0563C1"

#: The fourth line of the block when the 校验 button wrote it.
BUTTON_HINT = "点击“位置”列可跳到对应单元格；改正后请再次点击“校验”。本表由校验按钮自动生成，每次校验都会重写。"


def hyperlink_formula(sheet: str, cell: str) -> str:
    """An in-workbook link that works in Excel, WPS and LibreOffice."""
    target = "#'" + sheet.replace("'", "''") + "'!" + cell
    label = f"{sheet}!{cell}"
    return f'=HYPERLINK("{target.replace(chr(34), chr(34) * 2)}","{label.replace(chr(34), chr(34) * 2)}")'


def finding_row(f: Finding) -> list[Any]:
    where = hyperlink_formula(f.sheet, f.cell) if f.sheet and f.cell else (f.sheet or "—")
    return [f.rule, SEVERITY_LABEL[f.severity], where, neutralize(f.message)]


def results_rows(result: ValidationResult, book_name: str, when: dt.datetime, *, source: str,
                 hint: str = BUTTON_HINT) -> list[list[Any]]:
    """The whole content of the 校验结果 sheet, as one block starting at A1.

    ``source`` is the third line (where the JSON went, or which upload this is); ``hint`` the fourth.
    """
    rows: list[list[Any]] = [
        [f"校验结果：{result.cover_status}", None, None, None],
        [neutralize(f"工作簿：{book_name}　校验时间：{when:%Y-%m-%d %H:%M:%S}　"
                    f"错误 {len(result.errors)} 个，警告 {len(result.warnings)} 个"), None, None, None],
        [neutralize(source), None, None, None],
        [neutralize(hint), None, None, None],
        list(RESULTS_HEADER),
    ]
    if not result.readable:
        rows.append(["read_error", SEVERITY_LABEL[Severity.ERROR], "—", neutralize(result.read_error or "")])
    elif not result.findings:
        rows.append(["—", "—", "—", "未发现问题。"])
    else:
        rows += [finding_row(f) for f in result.findings]
    return rows
