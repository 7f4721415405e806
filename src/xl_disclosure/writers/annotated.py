"""A copy of a workbook file with its findings on a 校验结果 sheet, written through openpyxl.

The rows are :func:`xl_disclosure.writers.results_sheet.results_rows`, the same block the Excel 校验
button writes; the collection service hands this copy back to the clerk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font

from xl_disclosure.form import SHEET_CHECKS
from xl_disclosure.writers.atomic import OutputError, write_atomic
from xl_disclosure.writers.results_sheet import LINK_COLOR, RESULTS_COLUMN_WIDTHS, RESULTS_HEADER_ROW, RESULTS_SHEET


def annotate_workbook(source: str | Path, target: str | Path, rows: list[list[Any]]) -> None:
    """Write a copy of the workbook ``source`` to ``target`` with ``rows`` on its 校验结果 sheet.

    The sheet replaces one of that name or is added after the 校验 sheet; nothing else in the
    workbook changes (macros are kept for .xlsm).  Only for a workbook the reader has already
    checked (the hostile-file defences are the reader's): openpyxl loads the whole file.
    """
    source = Path(source)
    keep_vba = source.suffix.lower() == ".xlsm"
    try:
        wb = openpyxl.load_workbook(source, keep_vba=keep_vba, rich_text=True)
    except Exception as exc:  # noqa: BLE001 - a workbook the reader accepted but openpyxl cannot rewrite
        raise OutputError(f"{source.name}：无法在副本中写入“{RESULTS_SHEET}”工作表（{type(exc).__name__}）。") from exc
    if RESULTS_SHEET in wb.sheetnames:
        index = wb.sheetnames.index(RESULTS_SHEET)
        wb.remove(wb[RESULTS_SHEET])
    else:
        index = wb.sheetnames.index(SHEET_CHECKS) + 1 if SHEET_CHECKS in wb.sheetnames else len(wb.sheetnames)
    ws = wb.create_sheet(RESULTS_SHEET, index)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(r, c, value)
            if isinstance(value, str) and not value.startswith("=HYPERLINK("):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
    for letter, width in zip("ABCD", RESULTS_COLUMN_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws["A1"].font = Font(bold=True)
    for c in range(1, 5):
        ws.cell(RESULTS_HEADER_ROW, c).font = Font(bold=True)
    link = Font(color=LINK_COLOR.lstrip("#"), underline="single")
    for r in range(RESULTS_HEADER_ROW + 1, len(rows) + 1):
        ws.cell(r, 3).font = link
        for c in range(1, 5):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
    wb.active = wb.sheetnames.index(RESULTS_SHEET)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == RESULTS_SHEET
    write_atomic(target, wb.save)
