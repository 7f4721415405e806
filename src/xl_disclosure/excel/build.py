"""Building the 校验 button for Excel, on any OS, from xlwings' own shipped files.

Two products, both calling the same fixed Python entry point
(:data:`xl_disclosure.excel.ENTRY_POINT`) through xlwings' ``RunPython``:

* :func:`build_macro_template` — the template as a macro-enabled ``.xlsm`` with
  a 校验 button on the first sheet and on the 校验 sheet.  The VBA project is
  the one xlwings ships in ``quickstart_standalone.xlsm`` (the standalone
  ``xlwings`` module, no add-in needed), with ``Module1`` rewritten by
  pyOpenVBA to call our entry point; the buttons are VML form controls bound
  to that macro; an ``xlwings.conf`` sheet carries the interpreter settings.
* :func:`build_addin` — a ribbon add-in (``.xlam``) made from xlwings'
  ``quickstart_addin_ribbon.xlam``: a 校验 button that validates the active
  workbook, so the templates themselves stay macro-free ``.xlsx``.

The VBA shipped by xlwings is source-only (no compiled p-code), so Excel
compiles the rewritten source on open.  The VBA matches the xlwings version
installed here, which the package pins (``xlwings==0.37.8``): the Python side
on the clerk's PC must be the same version.
"""

from __future__ import annotations

import functools
import io
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.excel.button import (
    ENTRY_POINT,
    MACRO_STATUS_CELL,
    MACRO_STATUS_SHEET,
)
from xl_disclosure.form import SHEET_CHECKS, STATUS_SHEET
from xl_disclosure.writers.atomic import write_atomic
from xl_disclosure.writers.results_sheet import RESULTS_COLUMN_WIDTHS, RESULTS_HEADER, RESULTS_HEADER_ROW, RESULTS_SHEET

#: The macro behind the in-sheet buttons (ASCII: VBA source is stored in the project's code page).
MACRO_NAME = "XlDisclosureValidate"
MACRO_MODULE = "Module1"
#: The add-in's ribbon callback module (kept from xlwings' quickstart add-in) and its callback.
RIBBON_MODULE = "RibbonMyAddin"
RIBBON_CALLBACK = "RunMain"
#: The add-in's project name: it reads ``<name>.conf`` sheets and ``%USERPROFILE%\\.<name>\\<name>.conf``.
ADDIN_PROJECT_NAME = "xl_disclosure"
#: xlwings' standalone module reads the ``xlwings.conf`` sheet and ``%USERPROFILE%\\.xlwings\\xlwings.conf``.
STANDALONE_PROJECT_NAME = "xlwings"
CONF_SHEET = f"{STANDALONE_PROJECT_NAME}.conf"
ADDIN_CONF_SHEET = f"{ADDIN_PROJECT_NAME}.conf"

BUTTON_CAPTION = "校验"
RIBBON_TAB_LABEL = "信息公开年报"
RIBBON_GROUP_LABEL = "年度报告"

#: Where each in-sheet button sits: sheet → (column letter, width of that column in characters).
#: The column right of the sheet's used area, on the title row.
BUTTON_COLUMNS: dict[str, tuple[str, float]] = {STATUS_SHEET: ("E", 14), SHEET_CHECKS: ("G", 14)}


class BuildError(XlDisclosureError):
    """The Excel files could not be built; the message is for the user (Chinese)."""


def xlwings_file(name: str) -> Path:
    """A file shipped inside the installed xlwings package."""
    import xlwings

    path = Path(xlwings.__file__).parent / name
    if not path.is_file():
        raise BuildError(f"找不到 xlwings 自带的文件 {name}（xlwings {xlwings.__version__}）。"
                         f"请重新安装本工具固定的版本：pip install xlwings==0.37.8")
    return path


def macro_module_source() -> str:
    return (
        f'Attribute VB_Name = "{MACRO_MODULE}"\r\n'
        "Option Explicit\r\n"
        "\r\n"
        "' xl-disclosure: validate this workbook (fixed module path, independent of the file name)\r\n"
        f"Sub {MACRO_NAME}()\r\n"
        f'    RunPython "{ENTRY_POINT}"\r\n'
        "End Sub\r\n"
    )


def ribbon_module_source() -> str:
    return (
        f'Attribute VB_Name = "{RIBBON_MODULE}"\r\n'
        "Option Explicit\r\n"
        "\r\n"
        "' xl-disclosure ribbon button: validate the active workbook\r\n"
        f"Sub {RIBBON_CALLBACK}(control As IRibbonControl)\r\n"
        "    If ActiveWorkbook Is Nothing Then\r\n"
        '        MsgBox "Please open the report workbook first.", vbExclamation\r\n'
        "        Exit Sub\r\n"
        "    End If\r\n"
        f'    RunPython "{ENTRY_POINT}"\r\n'
        "End Sub\r\n"
    )


def _rewrite_vba(source: Path, edits: Mapping[str, Any]) -> bytes:
    """A copy of ``source``'s VBA project with modules replaced (str) or edited (callable on the old text)."""
    from pyopenvba import ExcelFile

    with tempfile.TemporaryDirectory(prefix="xld-vba-") as tmp:
        work = Path(tmp) / source.name
        shutil.copyfile(source, work)
        with ExcelFile(work) as book:
            for name, edit in edits.items():
                book.set_module(name, edit(book.get_module(name)) if callable(edit) else edit)
            book.save()
        with zipfile.ZipFile(work) as zf:
            return zf.read("xl/vbaProject.bin")


@functools.lru_cache(maxsize=1)
def macro_vba_project() -> bytes:
    """xlwings' standalone VBA project with Module1 calling our entry point."""
    return _rewrite_vba(xlwings_file("quickstart_standalone.xlsm"), {MACRO_MODULE: macro_module_source()})


def _set_project_name(text: str) -> str:
    old = 'Public Const PROJECT_NAME As String = "myaddin"'
    if old not in text:
        raise BuildError("xlwings 自带的加载项模板与预期不符（找不到 PROJECT_NAME），请使用 xlwings==0.37.8。")
    return text.replace(old, f'Public Const PROJECT_NAME As String = "{ADDIN_PROJECT_NAME}"')


@functools.lru_cache(maxsize=1)
def addin_vba_project() -> bytes:
    """xlwings' custom-add-in VBA project: our ribbon callback, settings read as ``xl_disclosure.conf``."""
    return _rewrite_vba(xlwings_file("quickstart_addin_ribbon.xlam"),
                        {RIBBON_MODULE: ribbon_module_source(), "xlwings": _set_project_name})


# ---------------------------------------------------------------------------
# Buttons (legacy VML form controls, as Excel itself stores them)
# ---------------------------------------------------------------------------

def button_vml(column: int, *, caption: str = BUTTON_CAPTION, macro: str = MACRO_NAME, shape_id: int = 1025) -> str:
    """VML for one form button on the title row, in 0-based ``column``, bound to ``macro``."""
    anchor = f"{column}, 6, 0, 5, {column}, 94, 0, 35"  # left col, dx, top row, dy, right col, dx, bottom row, dy
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{shape_id // 1024}"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" path="m,l,21600r21600,l21600,xe">'
        '<v:stroke joinstyle="miter"/><v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" '
        'o:connecttype="rect"/><o:lock v:ext="edit" shapetype="t"/></v:shapetype>'
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t201" '
        'style="position:absolute;margin-left:0;margin-top:0;width:66pt;height:22.5pt;z-index:1;'
        'mso-wrap-style:tight" o:button="t" fillcolor="buttonFace [67]" strokecolor="windowText [64]" '
        'o:insetmode="auto"><v:fill color2="buttonFace [67]" o:detectmouseclick="t"/>'
        '<o:lock v:ext="edit" rotation="t"/><v:textbox style="mso-direction-alt:auto" o:singleclick="f">'
        f'<div style="text-align:center"><font face="宋体" size="240" color="#000000">{escape(caption)}</font></div>'
        '</v:textbox><x:ClientData ObjectType="Button">'
        f"<x:Anchor>{anchor}</x:Anchor><x:PrintObject>False</x:PrintObject><x:AutoFill>False</x:AutoFill>"
        f"<x:FmlaMacro>[0]!{escape(macro)}</x:FmlaMacro><x:TextHAlign>Center</x:TextHAlign>"
        "<x:TextVAlign>Center</x:TextVAlign></x:ClientData></v:shape></xml>"
    )


def _vba_archive(drawings: Mapping[str, str]) -> zipfile.ZipFile:
    """What openpyxl copies into a macro-enabled workbook: the VBA project and our VML drawings."""
    source = xlwings_file("quickstart_standalone.xlsm")
    buf = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", src.read("[Content_Types].xml"))
        out.writestr("_rels/.rels", src.read("_rels/.rels"))
        out.writestr("xl/vbaProject.bin", macro_vba_project())
        for part, xml in drawings.items():
            out.writestr(part, xml.encode("utf-8"))
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


# ---------------------------------------------------------------------------
# The macro-enabled template
# ---------------------------------------------------------------------------

def conf_rows(interpreter: str | None, pythonpath: str | None) -> list[tuple[str, str]]:
    """xlwings settings (key, value) — only those given, as an empty key would override the user's settings."""
    rows = []
    if interpreter:
        rows.append(("INTERPRETER_WIN", interpreter))
    if pythonpath:
        rows.append(("PYTHONPATH", pythonpath))
    return rows


def make_macro_workbook(*, interpreter: str | None = None, pythonpath: str | None = None,
                        **template_kwargs: Any) -> Any:
    """The template as an openpyxl Workbook set up to be saved as .xlsm (VBA, buttons, settings)."""
    from openpyxl.styles import Font, Protection
    from openpyxl.utils import column_index_from_string

    from xl_disclosure.writers.template import DEFAULT_PASSWORD, make_workbook

    password = template_kwargs.get("password", DEFAULT_PASSWORD)
    wb = make_workbook(**template_kwargs)
    wb.code_name = "ThisWorkbook"
    for i, ws in enumerate(wb.worksheets, start=1):
        ws.sheet_properties.codeName = f"Sheet{i}"

    # The macro writes its result beside the template's live status formula; clerks' Excel may not unprotect.
    wb[MACRO_STATUS_SHEET][MACRO_STATUS_CELL].protection = Protection(locked=False)

    # The results sheet exists from the start, so the macro never has to unlock the workbook structure
    # (which would need the password, and a province may have chosen its own).
    after = wb.sheetnames.index(SHEET_CHECKS) + 1 if SHEET_CHECKS in wb.sheetnames else len(wb.sheetnames)
    results = wb.create_sheet(RESULTS_SHEET, after)
    results.sheet_properties.codeName = f"Sheet{len(wb.worksheets)}"
    results["A1"] = "尚未校验：填好后点击“封面”或“校验”工作表上的“校验”按钮，结果会显示在这里。"
    results["A1"].font = Font(bold=True)
    for col, text in zip("ABCD", RESULTS_HEADER, strict=True):
        results[f"{col}{RESULTS_HEADER_ROW}"] = text
        results[f"{col}{RESULTS_HEADER_ROW}"].font = Font(bold=True)
    for col, width in zip("ABCD", RESULTS_COLUMN_WIDTHS, strict=True):
        results.column_dimensions[col].width = width

    rows = conf_rows(interpreter, pythonpath)
    if rows:
        conf = wb.create_sheet(CONF_SHEET)
        conf.sheet_properties.codeName = f"Sheet{len(wb.worksheets)}"
        for r, (key, value) in enumerate(rows, start=1):
            conf.cell(r, 1, key)
            c = conf.cell(r, 2, value)
            c.data_type = "s"
        conf.column_dimensions["A"].width = 20
        conf.column_dimensions["B"].width = 80
        conf.sheet_state = "hidden"
        conf.protection.sheet = True
        if password:
            conf.protection.password = password

    drawings = {}
    for n, (sheet, (letter, button_width)) in enumerate(BUTTON_COLUMNS.items(), start=1):
        if sheet not in wb.sheetnames:
            continue
        part = f"xl/drawings/vmlDrawing{n}.vml"
        drawings[part] = button_vml(column_index_from_string(letter) - 1, shape_id=1024 * n + 1)
        ws = wb[sheet]
        ws.legacy_drawing = part
        ws.column_dimensions[letter].width = button_width
    wb.vba_archive = _vba_archive(drawings)
    return wb


def build_macro_template(path: str | Path, *, interpreter: str | None = None, pythonpath: str | None = None,
                         **template_kwargs: Any) -> None:
    """Write the macro-enabled template (.xlsm) with 校验 buttons atomically.

    ``interpreter`` (the clerk PC's python.exe, environment variables such as
    ``%LOCALAPPDATA%`` allowed) and ``pythonpath`` go into the ``xlwings.conf``
    sheet; without them the PC's ``%USERPROFILE%\\.xlwings\\xlwings.conf``
    (written by ``xl-disclosure install-excel``) or ``python`` on PATH is used.
    The other keyword arguments are those of ``template.make_workbook``.
    """
    wb = make_macro_workbook(interpreter=interpreter, pythonpath=pythonpath, **template_kwargs)
    write_atomic(path, lambda tmp: wb.save(tmp))


# ---------------------------------------------------------------------------
# The ribbon add-in
# ---------------------------------------------------------------------------

def custom_ui_xml() -> str:
    return (
        '<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">'
        "<ribbon><tabs>"
        f'<tab id="xlDisclosureTab" label="{RIBBON_TAB_LABEL}">'
        f'<group id="xlDisclosureGroup" label="{RIBBON_GROUP_LABEL}">'
        f'<button id="xlDisclosureValidate" label="{BUTTON_CAPTION}" size="large" '
        f'onAction="{RIBBON_MODULE}.{RIBBON_CALLBACK}" imageMso="MacroPlay" '
        'screentip="校验当前工作簿" '
        'supertip="校验当前打开的政府信息公开年报填报表：结果写入“校验结果”工作表，并在工作簿旁边保存 JSON 结果文件。"/>'
        "</group></tab></tabs></ribbon></customUI>"
    )


def _conf_sheet_xml(rows: list[tuple[str, str]]) -> str:
    cells = []
    for r, (key, value) in enumerate(rows, start=1):
        cells.append(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{escape(key)}</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c></row>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheetPr codeName="Sheet2"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="20" customWidth="1"/>'
        '<col min="2" max="2" width="80" customWidth="1"/></cols>'
        f"<sheetData>{''.join(cells)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )


def addin_bytes(*, interpreter: str | None = None, pythonpath: str | None = None) -> bytes:
    """The ribbon add-in (.xlam) as bytes."""
    source = xlwings_file("quickstart_addin_ribbon.xlam")
    rows = conf_rows(interpreter, pythonpath)
    # An inactive (underscored) sheet when there is nothing to set, listing the keys for IT staff.
    sheet_name = ADDIN_CONF_SHEET if rows else f"_{ADDIN_CONF_SHEET}"
    shown = rows or [("INTERPRETER_WIN", ""), ("PYTHONPATH", "")]
    buf = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/vbaProject.bin":
                data = addin_vba_project()
            elif info.filename == "customUI/customUI.xml":
                data = custom_ui_xml().encode("utf-8")
            elif info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                if 'name="_myaddin.conf"' not in text:
                    raise BuildError("xlwings 自带的加载项模板与预期不符，请使用 xlwings==0.37.8。")
                text = text.replace('name="_myaddin.conf"', f'name="{escape(sheet_name)}"')
                data = text.encode("utf-8")
            elif info.filename == "xl/worksheets/sheet1.xml":
                data = _conf_sheet_xml(shown).encode("utf-8")
            out.writestr(info, data)
    return buf.getvalue()


def build_addin(path: str | Path, *, interpreter: str | None = None, pythonpath: str | None = None) -> None:
    """Write the ribbon add-in (.xlam) atomically."""
    data = addin_bytes(interpreter=interpreter, pythonpath=pythonpath)
    write_atomic(path, lambda tmp: tmp.write_bytes(data))
