"""The 校验 button inside Excel: the RunPython entry point and the write-back.

The VBA behind the button (see ``excel_build``) runs, with a fixed module path::

    RunPython "import xl_disclosure.excel.button; xl_disclosure.excel.validate()"

:func:`validate` reads the clerk's open workbook through xlwings into a
:class:`XlwingsSource` and hands it to :func:`xl_disclosure.readers.workbook.validate_source`
— the same path as the command line, so no rule is implemented twice.  It then

* writes the findings into the 校验结果 sheet (rule, severity, a clickable link
  to the cell, the Chinese message), creating the sheet if needed — on our
  protected template it unlocks the workbook structure with the template
  password for that one step and locks it again;
* writes the overall result into :data:`MACRO_STATUS_CELL` on the first sheet
  (next to the template's live status formula, which it never overwrites);
* writes ``<workbook name>.validation.json`` (the same JSON as
  ``xl-disclosure validate --json``) beside the workbook, or — for a workbook
  never saved, opened from OneDrive/SharePoint, or in a read-only folder — in
  :func:`local_results_dir`, and says where;
* shows a short summary box.

A project file ``xl-disclosure.toml`` beside the workbook switches rules off or
changes their severity, as it does for the command line.  It writes nothing
else: the clerk's cells are only read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from xl_disclosure.errors import UsageError
from xl_disclosure.form import FORM, SHEET_CHECKS, SHEET_META, STATUS_CELL, STATUS_SHEET
from xl_disclosure.form.checksheet import DEFAULT_PASSWORD, MACRO_STATUS_CELL, sheet_renames
from xl_disclosure.model.findings import ValidationResult
from xl_disclosure.readers.config import rules_beside
from xl_disclosure.readers.source import expected_formulas, unrename_formulas, validate_source
from xl_disclosure.writers.atomic import OutputError, write_text_atomic
from xl_disclosure.writers.results_sheet import (  # the sheet's content, shared with the collection service
    LINK_COLOR,
    RESULTS_COLUMN_WIDTHS,
    RESULTS_HEADER_ROW,
    RESULTS_SHEET,
)
from xl_disclosure.writers.results_sheet import results_rows as sheet_rows

#: The first sheet's STATUS_CELL holds the template's live status formula; the macro writes
#: its own result into the template's reserved MACRO_STATUS_CELL beside it instead.  That cell
#: is unlocked in the .xlsm; in a plain .xlsx (add-in route) the sheet is briefly unprotected.
MACRO_STATUS_SHEET = STATUS_SHEET

#: The Python statement the VBA macro runs; never derived from the workbook's file name.
ENTRY_POINT = "import xl_disclosure.excel.button; xl_disclosure.excel.validate()"
#: Environment variable that overrides the folder used when the JSON cannot go beside the workbook.
RESULTS_DIR_ENV = "XL_DISCLOSURE_RESULTS_DIR"

ALERT_TITLE = "政府信息公开年报 · 校验"


def _template_password() -> str | None:
    return DEFAULT_PASSWORD or None


# ---------------------------------------------------------------------------
# Reading: an xlwings book as a CellSource
# ---------------------------------------------------------------------------

_CELL_RE = re.compile(r"^([A-Z]+)([0-9]+)$")


def _rc(cell: str) -> tuple[int, int]:
    """1-based (row, column) of an A1 reference."""
    m = _CELL_RE.match(cell.upper())
    if m is None:
        raise ValueError(cell)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


class XlwingsSource:
    """A :class:`xl_disclosure.readers.workbook.CellSource` over an open xlwings book.

    Each sheet is read with one call per sheet (values, and formulas where the
    engine offers them), covering every cell the form and the tamper checks
    look at, so pressing the button costs a handful of COM round trips.
    """

    def __init__(self, book: Any) -> None:
        self.book = book
        names = [s.name for s in book.sheets]
        renames = sheet_renames(names)
        self._actual = {ours: actual for actual, ours in renames.items()}  # template name → name in the book
        self._renames = renames
        self._names = [renames.get(n, n) for n in names]  # template names
        self._extent = self._extents()
        self._values: dict[str, list[list[Any]]] = {}
        self._formulas: dict[str, Mapping[str, str] | None] = {}

    @staticmethod
    def _extents() -> dict[str, tuple[int, int]]:
        cells: list[tuple[str, str]] = [(f.sheet, f.cell) for f in FORM.fields]
        cells += list(expected_formulas())
        out: dict[str, tuple[int, int]] = {}
        for sheet, cell in cells:
            r, c = _rc(cell)
            rows, cols = out.get(sheet, (1, 1))
            out[sheet] = (max(rows, r), max(cols, c))
        return out

    def sheet_names(self) -> list[str]:
        return list(self._names)

    def number_formats(self, sheet: str) -> Mapping[str, str] | None:
        return None  # a COM call per cell: not asked (docs/threat-model.md)

    def renamed(self) -> Mapping[str, str]:
        return self._actual

    def _sheet(self, sheet: str) -> Any:
        return self.book.sheets[self._actual.get(sheet, sheet)]

    def _range(self, sheet: str) -> Any:
        rows, cols = self._extent.get(sheet, (1, 1))
        return self._sheet(sheet).range((1, 1), (rows, cols))

    def _block(self, sheet: str) -> list[list[Any]]:
        block = self._values.get(sheet)
        if block is None:
            raw = self._range(sheet).options(ndim=2, err_to_str=True).value  # #DIV/0! as text, not None
            block = [list(row) for row in raw]
            self._values[sheet] = block
        return block

    def value(self, sheet: str, cell: str) -> Any:
        if sheet not in self._names:
            return None
        r, c = _rc(cell)
        if sheet not in self._extent or r > self._extent[sheet][0] or c > self._extent[sheet][1]:
            v = self._sheet(sheet).range(cell).options(err_to_str=True).value
        else:
            v = self._block(sheet)[r - 1][c - 1]
        if isinstance(v, str) and v == "":
            return None
        return v

    def formulas(self, sheet: str) -> Mapping[str, str] | None:
        if sheet in self._formulas:
            return self._formulas[sheet]
        out: dict[str, str] | None
        try:
            raw = self._range(sheet).formula
        except NotImplementedError:  # engines without formula access (remote/server)
            out = None
        else:
            if not isinstance(raw, tuple | list):
                raw = ((raw,),)
            elif raw and not isinstance(raw[0], tuple | list):
                raw = (raw,)
            out = {}
            for r, row in enumerate(raw, start=1):
                for c, text in enumerate(row, start=1):
                    if isinstance(text, str) and text.startswith("="):
                        out[_a1(r, c)] = text[1:]
            if self._renames:
                out = unrename_formulas(out, self._renames)
        self._formulas[sheet] = out
        return out

    def meta(self) -> dict[str, str]:
        if SHEET_META not in self._names:
            return {}
        rows = self._sheet(SHEET_META).used_range.options(ndim=2).value
        out: dict[str, str] = {}
        for row in rows:
            if len(row) >= 2 and isinstance(row[0], str) and row[0]:
                v = row[1]
                out[row[0]] = str(int(v)) if isinstance(v, float) and v.is_integer() else ("" if v is None else str(v))
        return out


def _a1(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


# ---------------------------------------------------------------------------
# Where the JSON goes
# ---------------------------------------------------------------------------

def local_results_dir() -> Path:
    """The local folder for results that cannot be written beside the workbook."""
    override = os.environ.get(RESULTS_DIR_ENV)
    if override:
        return Path(override)
    if sys.platform.startswith("win"):
        return Path.home() / "Documents" / "xl-disclosure"
    return Path(tempfile.gettempdir()) / "xl-disclosure"


def json_name(book_name: str) -> str:
    stem = Path(book_name).stem if Path(book_name).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".xlsb") \
        else book_name
    return f"{stem or '工作簿'}.validation.json"


def local_folder_of(fullname: str) -> Path | None:
    """The folder of a workbook saved on a local or network drive; None for unsaved or web (URL) workbooks."""
    if "://" in fullname:
        return None
    path = Path(fullname)
    if not path.is_absolute() or not path.parent.is_dir():
        return None
    return path.parent


def write_results_json(result: ValidationResult, book_name: str, fullname: str) -> Path:
    """Write the CLI's JSON beside the workbook when possible, else in the local results folder."""
    text = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    name = json_name(book_name)
    folder = local_folder_of(fullname)
    if folder is not None:
        target = folder / name
        try:
            write_text_atomic(target, text)
            return target
        except OutputError:
            pass  # read-only folder (e.g. a shared drive): fall back to the local folder
    target = local_results_dir() / name
    write_text_atomic(target, text)
    return target


# ---------------------------------------------------------------------------
# Writing back
# ---------------------------------------------------------------------------

def _is_excel(book: Any) -> bool:
    try:
        return bool(book.app.engine.name == "excel")
    except Exception:  # engines without an App object
        return False


@contextlib.contextmanager
def structure_unlocked(book: Any, password: str | None) -> Iterator[None]:
    """Briefly lift workbook-structure protection (Excel only) so a sheet can be added."""
    if not _is_excel(book):
        yield
        return
    api = book.api
    locked, windows = bool(api.ProtectStructure), bool(api.ProtectWindows)
    if locked:
        api.Unprotect(password or "")
    try:
        yield
    finally:
        if locked:
            api.Protect(password or "", True, windows)


_PROTECTION_FLAGS = (
    "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
    "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
    "AllowSorting", "AllowFiltering", "AllowUsingPivotTables",
)


@contextlib.contextmanager
def sheet_unlocked(sheet: Any, cells: str, password: str | None) -> Iterator[None]:
    """Lift a sheet's protection (Excel only) while writing to ``cells`` if they are locked.

    The sheet is protected again with the same options it had; nothing happens
    when the cells are unlocked or the sheet is not protected.
    """
    if not _is_excel(sheet.book):
        yield
        return
    api = sheet.api
    if not api.ProtectContents or not sheet.range(cells).api.Locked:
        yield
        return
    options = {flag: bool(getattr(api.Protection, flag)) for flag in _PROTECTION_FLAGS}
    drawing, scenarios = bool(api.ProtectDrawingObjects), bool(api.ProtectScenarios)
    api.Unprotect(password or "")
    try:
        yield
    finally:
        api.Protect(password or "", drawing, True, scenarios, False, *(options[f] for f in _PROTECTION_FLAGS))


def status_text(result: ValidationResult, when: dt.datetime) -> str:
    """The button's verdict beside the cover's live status, in the same words (通过 / 未填完 / 不通过)."""
    if not result.readable:
        return f"宏校验：无法读取（{when:%Y-%m-%d %H:%M}）"
    return (f"宏校验：{result.cover_status}，{len(result.errors)} 个错误，{len(result.warnings)} 个警告"
            f"（{when:%Y-%m-%d %H:%M}）")


def results_rows(result: ValidationResult, book_name: str, json_path: Path | None, when: dt.datetime) -> list[list[Any]]:
    """The whole content of the 校验结果 sheet (the shared block), saying where the JSON went."""
    where = f"JSON 结果文件：{json_path}" if json_path is not None else "JSON 结果文件未能保存（见提示框）"
    return sheet_rows(result, book_name, when, source=where)


def results_sheet(book: Any, password: str | None) -> Any:
    """The 校验结果 sheet, created (after the 校验 sheet) when missing."""
    names = [s.name for s in book.sheets]
    if RESULTS_SHEET in names:
        return book.sheets[RESULTS_SHEET]
    after = book.sheets[SHEET_CHECKS] if SHEET_CHECKS in names else book.sheets[len(names) - 1]
    with structure_unlocked(book, password):
        return book.sheets.add(RESULTS_SHEET, after=after)


def write_results(book: Any, rows: list[list[Any]], password: str | None) -> Any:
    sheet = results_sheet(book, password)
    last = f"D{max(len(rows), RESULTS_HEADER_ROW) + 1}"
    with sheet_unlocked(sheet, f"A1:{last}", password):
        sheet.clear_contents()
        sheet.range("A1").value = rows
        with contextlib.suppress(Exception):  # cosmetics only; not every engine supports them
            last_row = max(len(rows), RESULTS_HEADER_ROW + 1)
            for letter, width in zip("ABCD", RESULTS_COLUMN_WIDTHS, strict=True):
                sheet.range(f"{letter}:{letter}").column_width = width
            sheet.range("A1").font.bold = True
            sheet.range(f"A{RESULTS_HEADER_ROW}:D{RESULTS_HEADER_ROW}").font.bold = True
            sheet.range(f"C{RESULTS_HEADER_ROW + 1}:C{last_row}").font.color = LINK_COLOR
            findings = sheet.range(f"A{RESULTS_HEADER_ROW + 1}:D{last_row}")
            findings.wrap_text = True
            findings.rows.autofit()
    return sheet


def write_status(book: Any, text: str, password: str | None) -> None:
    if MACRO_STATUS_SHEET not in [s.name for s in book.sheets]:
        return
    sheet = book.sheets[MACRO_STATUS_SHEET]
    assert (MACRO_STATUS_SHEET, MACRO_STATUS_CELL) != (STATUS_SHEET, STATUS_CELL)
    with sheet_unlocked(sheet, MACRO_STATUS_CELL, password):
        sheet.range(MACRO_STATUS_CELL).value = text


def summary_text(result: ValidationResult, json_path: Path | None, beside: bool) -> str:
    if not result.readable:
        head = f"无法校验：{result.read_error}"
    elif result.errors:
        verdict = "还有必填格未填" if result.cover_status == "未填完" else "校验不通过"
        head = (f"{verdict}：{len(result.errors)} 个错误，{len(result.warnings)} 个警告。\n"
                f"请查看“{RESULTS_SHEET}”工作表，点击位置可跳到对应单元格。")
    elif result.warnings:
        head = f"校验通过，但有 {len(result.warnings)} 个警告，请查看“{RESULTS_SHEET}”工作表。"
    else:
        head = "校验通过，未发现问题。"
    if json_path is None:
        return head + "\n\n校验结果 JSON 未能保存。"
    where = "已保存在工作簿旁边" if beside else "工作簿未保存在本机文件夹（新建未保存或在 OneDrive/SharePoint 上），已保存到本机"
    return f"{head}\n\n校验结果 JSON {where}：\n{json_path}"


def alert(book: Any, text: str, critical: bool) -> None:
    with contextlib.suppress(Exception):  # no message box (e.g. Excel busy, engine without alerts): the sheet says it
        book.app.alert(text, title=ALERT_TITLE, buttons="ok", mode="critical" if critical else "info")


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

def is_template(book: Any) -> bool:
    """Whether the workbook carries our template's identity sheet (whatever its version)."""
    return SHEET_META in [s.name for s in book.sheets]


def validate_book(book: Any) -> ValidationResult:
    """Validate an open xlwings book, write the results back, save the JSON and show a summary."""
    when = dt.datetime.now().replace(microsecond=0)
    password = _template_password()
    fullname = str(book.fullname)
    name = str(book.name)
    result = book_result(book, fullname)
    json_path: Path | None
    json_error = ""
    try:
        json_path = write_results_json(result, name, fullname)
    except OutputError as exc:
        json_path, json_error = None, str(exc)
    beside = json_path is not None and local_folder_of(fullname) == json_path.parent
    sheet_error = ""
    # A workbook that is not one of our templates (the add-in's button works on any active workbook)
    # only gets the message box and the JSON: no sheet is added to someone else's file.
    if is_template(book):
        try:
            sheet = write_results(book, results_rows(result, name, json_path, when), password)
            with contextlib.suppress(Exception):
                sheet.activate()
        except Exception as exc:  # e.g. protected with a password other than the template's
            sheet_error += (f"\n\n未能把结果写入“{RESULTS_SHEET}”工作表（{exc}）。"
                            f"如工作簿设置了其他保护密码，请先手工插入名为“{RESULTS_SHEET}”的工作表后再校验。")
        try:
            write_status(book, status_text(result, when), password)
        except Exception as exc:
            sheet_error += f"\n\n未能在“{MACRO_STATUS_SHEET}”工作表 {MACRO_STATUS_CELL} 写入校验结论（{exc}）。"
    text = summary_text(result, json_path, beside)
    if json_error:
        text += f"\n{json_error}"
    alert(book, text + sheet_error, critical=not result.valid)
    return result


def book_result(book: Any, fullname: str) -> ValidationResult:
    """The book validated as the CLI would, with the rules of the project file beside it (if any).

    A project file that cannot be used is said in place of the findings, as the CLI refuses to run with it.
    """
    try:
        rules = rules_beside(local_folder_of(fullname))
    except UsageError as exc:
        return ValidationResult(file=fullname, read_error=f"项目设置文件有误，未校验：{exc}")
    return validate_source(XlwingsSource(book), file=fullname).steer(rules)


def validate() -> ValidationResult | None:
    """The RunPython entry point: validate the workbook whose 校验 button was pressed."""
    import xlwings as xw

    book = xw.Book.caller()  # inside the function, never at import (xlwings docs)
    try:
        return validate_book(book)
    except Exception:
        log = _write_log(traceback.format_exc())
        alert(book, f"校验时发生意外错误，详细信息已保存到：\n{log}\n请把该文件发给技术支持人员。", critical=True)
        return None


def _write_log(text: str) -> Path | str:
    target = local_results_dir() / f"error-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    try:
        write_text_atomic(target, text)
    except OutputError:
        return "（日志也无法保存）"
    return target
