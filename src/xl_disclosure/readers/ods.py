"""Reading a filled template saved as OpenDocument (.ods), LibreOffice's own format (WPS saves it too).

:class:`OdsSource` is a :class:`~xl_disclosure.readers.source.CellSource`: the
identity sheet ``_meta``, every input cell and every formula are read, and
:func:`~xl_disclosure.readers.source.validate_source` checks them exactly as it
checks an .xlsx.

The file gets the same safety checks as an .xlsx (bounded sizes, no DTD; see
:mod:`.workbook`).  ``content.xml`` is scanned once with defusedxml for what
python-calamine does not give: the formulas (``table:formula``, OpenFormula
syntax, turned into the A1 syntax the template's formulas are compared in), the
error values cells show (``#DIV/0!``, which calamine reads as empty), and how far
each sheet's content reaches (repeated rows and columns are counted, never
expanded) — so calamine, which then reads the values, never lays out a sheet
larger than :data:`~xl_disclosure.readers.workbook.MAX_SHEET_CELLS`.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import ElementTree as SafeET

from xl_disclosure.form import FORM, SHEET_META
from xl_disclosure.form.checksheet import sheet_renames
from xl_disclosure.form.formulas import quote_sheet
from xl_disclosure.model.findings import ValidationResult
from xl_disclosure.model.report import Report
from xl_disclosure.readers.source import ReadError, _expected_by_sheet, read_file_source, unrename_formulas
from xl_disclosure.readers.workbook import (
    MAX_SHEET_CELLS,
    _calamine_failed,
    _open_zip,
    _preflight,
    _short,
    calamine_rows,
    meta_items,
)

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_T_TABLE, _T_ROW = f"{_TABLE}table", f"{_TABLE}table-row"
_T_CELLS = frozenset({f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"})
_A_NAME, _A_FORMULA = f"{_TABLE}name", f"{_TABLE}formula"
_A_ROWS, _A_COLS = f"{_TABLE}number-rows-repeated", f"{_TABLE}number-columns-repeated"
_A_TYPE, _A_EXT_TYPE = f"{_OFFICE}value-type", f"{_CALCEXT}value-type"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_MAX_ROWS, _MAX_COLS = 1_048_576, 16_384


@functools.cache
def _wanted() -> tuple[tuple[int, int, str], ...]:
    """Every cell whose formula or error value matters: (0-based row, 0-based column, A1 address)."""
    cells = {f.cell for f in FORM.fields} | {c for sheet in _expected_by_sheet().values() for c in sheet}
    out = []
    for cell in cells:
        letters = "".join(ch for ch in cell if ch.isalpha())
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch) - 64
        out.append((int(cell[len(letters):]) - 1, col - 1, cell))
    return tuple(sorted(out))


class _Sheet:
    __slots__ = ("formulas", "errors", "rows", "cols")

    def __init__(self) -> None:
        self.formulas: dict[str, str] = {}
        self.errors: dict[str, str] = {}
        self.rows = 0
        self.cols = 0


def scan_content(data: bytes, display: str) -> dict[str, _Sheet]:
    """Formulas, error values and extent of every table in ``content.xml``, by table name, in order."""
    sheets: dict[str, _Sheet] = {}
    wanted = _wanted()
    stack: list[Any] = []
    sheet: _Sheet | None = None
    row = col = 0
    row_span = 1
    in_cell = 0  # elements inside a cell (its text) stay until the cell is read
    corrupt = f"{display}：表格内容（content.xml）已损坏"
    try:
        for event, elem in SafeET.iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            tag = elem.tag
            if event == "start":
                stack.append(elem)
                if tag in _T_CELLS:
                    in_cell += 1
                elif tag == _T_TABLE:
                    sheet = _Sheet()
                    sheets[elem.get(_A_NAME, "")] = sheet
                    row = 0
                elif tag == _T_ROW:
                    row_span = _repeat(elem.get(_A_ROWS), _MAX_ROWS, corrupt)
                    col = 0
                continue
            stack.pop()
            if tag in _T_CELLS:
                in_cell -= 1
            if tag in _T_CELLS and sheet is not None:
                span = _repeat(elem.get(_A_COLS), _MAX_COLS, corrupt)
                formula = elem.get(_A_FORMULA)
                if formula is not None or elem.get(_A_TYPE) is not None or len(elem):
                    last_row, last_col = row + row_span, col + span
                    if last_row > _MAX_ROWS or last_col > _MAX_COLS:
                        raise ReadError(f"{corrupt}（单元格位置超出表格的范围）。")
                    sheet.rows, sheet.cols = max(sheet.rows, last_row), max(sheet.cols, last_col)
                    if sheet.rows * sheet.cols > MAX_SHEET_CELLS:
                        raise ReadError(f"{display}：工作表“{_sheet_name(sheets, sheet)}”的内容范围过大"
                                        f"（延伸到第 {sheet.rows} 行、第 {sheet.cols} 列），正常的填报表远小于此。"
                                        f"请删除模板区域以外的内容后重新提交。")
                    error = "".join(elem.itertext()).strip() if elem.get(_A_EXT_TYPE) == "error" else None
                    if formula is not None or error is not None:
                        for r, c, cell in wanted:
                            if row <= r < last_row and col <= c < last_col:
                                if formula is not None:
                                    sheet.formulas[cell] = odf_to_a1(formula)
                                if error:
                                    sheet.errors[cell] = error
                col += span
            elif tag == _T_ROW:
                row += row_span
                if row > _MAX_ROWS:
                    raise ReadError(f"{corrupt}（行数超出表格的范围）。")
            elif tag == _T_TABLE:
                sheet = None
            if stack and not in_cell:
                stack[-1].remove(elem)  # keep memory flat: nothing read stays in the tree
    except ReadError:
        raise
    except Exception as exc:  # ParseError, DTDForbidden, EntitiesForbidden…
        raise ReadError(f"{corrupt}或含有不安全内容（{_short(exc)}），请重新保存后提交。") from exc
    return sheets


def _sheet_name(sheets: dict[str, _Sheet], sheet: _Sheet) -> str:
    return next((name for name, s in sheets.items() if s is sheet), "")


def _repeat(text: str | None, limit: int, corrupt: str) -> int:
    if text is None:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= limit:
        raise ReadError(f"{corrupt}（重复次数“{text[:20]}”无效）。")
    return int(text)


# ---------------------------------------------------------------------------
# OpenFormula → A1
# ---------------------------------------------------------------------------

_PREFIX = re.compile(r"^[a-z]+:=")
_TOKEN = re.compile(r'"(?:[^"]|"")*"|\[[^\]]*\]|;|[^"\[;]+')


def odf_to_a1(formula: str) -> str:
    """An ODF cell formula (``of:=SUM([.D6:.I6])``) in the A1 syntax the template is written in (``SUM(D6:I6)``).

    References ``[.A1]``, ``[.A1:.B2]``, ``[$Sheet.A1]``, ``[$'My sheet'.A1:.B2]`` become
    ``A1``, ``A1:B2``, ``'Sheet'!A1``, ``'My sheet'!A1:B2``; argument separators ``;``
    become ``,``; strings are kept as they are.
    """
    body = _PREFIX.sub("", formula, count=1)
    if body.startswith("="):
        body = body[1:]
    out = []
    for token in _TOKEN.findall(body):
        if token == ";":
            out.append(",")
        elif token.startswith("["):
            out.append(_reference(token[1:-1]))
        else:
            out.append(token)
    return "".join(out)


def _reference(inner: str) -> str:
    parts = []
    sheet_prefix = ""
    for i, part in enumerate(inner.split(":")):
        sheet, dot, cell = part.rpartition(".")
        if not dot:
            return f"[{inner}]"  # not a cell reference: leave it, so it cannot match a template formula
        sheet = sheet.lstrip("$")
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        if i == 0 and sheet:
            sheet_prefix = quote_sheet(sheet) + "!"
        parts.append(cell)
    return sheet_prefix + ":".join(parts)


# ---------------------------------------------------------------------------
# The source
# ---------------------------------------------------------------------------

class OdsSource:
    """A CellSource over an .ods file (a renamed template sheet under its template name)."""

    def __init__(self, path: Path, display: str) -> None:
        self.display = display
        zf, data = _open_zip(path, display)
        try:
            members = _preflight(zf, data, display)
        finally:
            zf.close()
        mimetype = members.get("mimetype", b"")[:100].decode("ascii", "replace").strip()
        if not mimetype.startswith(ODS_MIMETYPE):
            raise ReadError(f"{display}：不是 OpenDocument 表格（.ods）文件，请提交用下发模板填写的 .xlsx 或 .ods 文件。")
        content = members.get("content.xml")
        if content is None:
            raise ReadError(f"{display}：OpenDocument 表格缺少内容部件 content.xml，文件已损坏。")
        tables = scan_content(content, display)
        self._renames = sheet_renames(tables)
        self._actual = {ours: actual for actual, ours in self._renames.items()}
        self._tables = {self._renames.get(name, name): t for name, t in tables.items()}
        self._formulas: dict[str, Mapping[str, str]] = {
            sheet: unrename_formulas(t.formulas, self._renames) if self._renames else t.formulas
            for sheet, t in self._tables.items()}
        self._rows: dict[str, list[list[Any]]] = {}
        try:
            self._book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except python_calamine.PasswordError as exc:
            raise ReadError(f"{display}：表格设置了打开密码，无法读取。请取消密码后重新提交。") from exc
        except BaseException as exc:
            if not _calamine_failed(exc):
                raise
            raise ReadError(f"{display}：无法读取为 OpenDocument 表格（{_short(exc)}）。"
                            f"请用 LibreOffice、WPS 或 Excel 打开后另存为 .xlsx 再提交。") from exc

    def close(self) -> None:
        self._book.close()

    def sheet_names(self) -> list[str]:
        return [self._renames.get(n, n) for n in self._book.sheet_names]

    def number_formats(self, sheet: str) -> Mapping[str, str] | None:
        return None  # not read from .ods (docs/threat-model.md)

    def renamed(self) -> Mapping[str, str]:
        return self._actual

    def _sheet_rows(self, sheet: str) -> list[list[Any]]:
        rows = self._rows.get(sheet)
        if rows is None:
            if sheet not in self._tables:
                raise ReadError(f"{self.display}：找不到工作表“{sheet}”。")
            rows = self._rows[sheet] = calamine_rows(self._book, self._actual.get(sheet, sheet), sheet, self.display,
                                                     "LibreOffice、WPS 或 Excel")
        return rows

    def meta(self) -> dict[str, str]:
        return meta_items(self._sheet_rows(SHEET_META))

    def value(self, sheet: str, cell: str) -> Any:
        rows = self._sheet_rows(sheet)
        letters = "".join(ch for ch in cell if ch.isalpha())
        c = 0
        for ch in letters:
            c = c * 26 + ord(ch) - 64
        r = int(cell[len(letters):]) - 1
        try:
            v = rows[r][c - 1]
        except IndexError:
            return None
        if v.__class__ is str and not v:
            return self._tables[sheet].errors.get(cell)  # calamine reads an error value as empty
        return v

    def formulas(self, sheet: str) -> Mapping[str, str] | None:
        return self._formulas.get(sheet)


def read_ods(path: str | Path, *, prior: Report | None = None, display: str | None = None) -> ValidationResult:
    """Validate one .ods file; never raises for a bad file (read_error is set instead)."""
    return read_file_source(OdsSource, path, prior=prior, display=display)
