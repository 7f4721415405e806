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
import re
import shutil
import struct
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

#: The VBA project's name (Excel's VBA editor and the macro list show it; xlwings ships "VBAProject").
VBA_PROJECT_NAME = "XlDisclosure"
#: Title of every message box the VBA shows.
MSGBOX_TITLE = "政府信息公开年报 · 校验"

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


def vba_text(text: str) -> str:
    """A VBA string expression for any text, in ASCII source (the project stores source in its code page).

    ASCII runs stay literals; everything else becomes ``ChrW(&H….)``, so Chinese shows as Chinese
    whatever the code page of the PC that opens the file.
    """
    parts: list[str] = []
    literal = ""
    for ch in text:
        if 32 <= ord(ch) < 127:
            literal += ch.replace('"', '""')
            continue
        if literal:
            parts.append(f'"{literal}"')
            literal = ""
        parts.append("vbLf" if ch == "\n" else f"ChrW(&H{ord(ch):04X})")
    if literal or not parts:
        parts.append(f'"{literal}"')
    return " & ".join(parts)


#: xlwings' English message boxes, in the standalone and the add-in module, and what a clerk reads instead.
XLWINGS_MESSAGES: dict[str, str] = {
    'MsgBox "Embedded code requires a valid LICENSE_KEY."':
        "此功能需要 xlwings 许可证，本工具不使用。请联系技术支持人员。",
    "MsgBox \"To enable RunPython, please run 'xlwings runpython install' in a terminal once and try again.\", "
    "vbCritical":
        "校验按钮还不能使用：请先在本电脑上运行 xl-disclosure install-excel（由技术支持人员安装），然后再试。",
    'MsgBox "Could not find Interpreter!", vbCritical':
        "找不到 Python：本电脑没有安装校验程序，或设置的路径不对。请联系技术支持人员运行 xl-disclosure install-excel。",
    'MsgBox "Your Conda version seems to be too old for the Conda settings. Use the Interpreter setting instead."':
        "Conda 版本过旧，请改用 INTERPRETER_WIN 设置（技术支持人员处理）。",
    'MsgBox Content, vbCritical, "Error"': "",  # Python's own report (our entry point writes Chinese)
}
_MAC_MESSAGE = re.compile(r'MsgBox "This functionality is not yet supported on Mac\." & vbNewLine & _\s*\r?\n[^\r\n]*')


def chinese_messages(text: str) -> str:
    """xlwings' VBA module with every message box in Chinese and titled :data:`MSGBOX_TITLE`."""
    title = vba_text(MSGBOX_TITLE)
    for old, new in XLWINGS_MESSAGES.items():
        if old not in text:
            raise BuildError("xlwings 自带的 VBA 模块与预期不符（消息框文字不同），请使用 xlwings==0.37.8。")
        if not new:  # keep the content, Chinese title
            text = text.replace(old, f"MsgBox Content, vbCritical, {title}")
            continue
        critical = ", vbCritical" if old.endswith("vbCritical") else ", vbExclamation"
        text = text.replace(old, f"MsgBox {vba_text(new)}{critical}, {title}")
    text, n = _MAC_MESSAGE.subn(f"MsgBox {vba_text('校验按钮只能在 Windows 版 Excel 中使用。')}, vbExclamation, {title}",
                                text)
    if n != 1:
        raise BuildError("xlwings 自带的 VBA 模块与预期不符（找不到 Mac 提示），请使用 xlwings==0.37.8。")
    return text


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
        f"        MsgBox {vba_text('请先打开要校验的年度报告填报表。')}, vbExclamation, {vba_text(MSGBOX_TITLE)}\r\n"
        "        Exit Sub\r\n"
        "    End If\r\n"
        f'    RunPython "{ENTRY_POINT}"\r\n'
        "End Sub\r\n"
    )


def _rewrite_vba(source: Path, edits: Mapping[str, Any]) -> bytes:
    """A copy of ``source``'s VBA project, named :data:`VBA_PROJECT_NAME`, with modules replaced (str) or
    edited (callable on the old text)."""
    from pyopenvba import ExcelFile

    with tempfile.TemporaryDirectory(prefix="xld-vba-") as tmp:
        work = Path(tmp) / source.name
        shutil.copyfile(source, work)
        with ExcelFile(work) as book:
            for name, edit in edits.items():
                book.set_module(name, edit(book.get_module(name)) if callable(edit) else edit)
            book.save()
        with zipfile.ZipFile(work) as zf:
            return rename_vba_project(zf.read("xl/vbaProject.bin"), VBA_PROJECT_NAME)


def rename_vba_project(data: bytes, name: str) -> bytes:
    """``data`` (a vbaProject.bin) with the project renamed: the dir stream's PROJECTNAME record and the
    PROJECT stream's ``Name=`` line ([MS-OVBA] 2.3.4.2.1.6, 2.3.1.2).  pyOpenVBA edits modules, not this."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,127}", name):
        raise BuildError(f"VBA 工程名“{name}”无效：只能用英文字母、数字和下划线，并以字母开头。")
    cfb = CFB.from_bytes(data)
    raw = decompress(cfb.get_stream_in_storage("VBA", "dir"), stream_name="dir")
    at = 0
    while at + 6 <= len(raw):  # the project-information records before PROJECTNAME have plain sizes
        rid, size = struct.unpack_from("<HI", raw, at)
        if rid == 0x0004:
            new = struct.pack("<HI", rid, len(name)) + name.encode("ascii")
            raw = raw[:at] + new + raw[at + 6 + size:]
            break
        at += 6 + size
    else:
        raise BuildError("xlwings 自带的 VBA 工程与预期不符（找不到工程名），请使用 xlwings==0.37.8。")
    cfb.write_stream_in_storage("VBA", "dir", compress(raw))
    project = cfb.get_stream("PROJECT")
    renamed, n = re.subn(rb'^Name="[^"\r\n]*"', f'Name="{name}"'.encode("ascii"), project, count=1, flags=re.M)
    if n != 1:
        raise BuildError("xlwings 自带的 VBA 工程与预期不符（PROJECT 中没有 Name），请使用 xlwings==0.37.8。")
    cfb.write_stream("PROJECT", renamed)
    return cfb.to_bytes()


@functools.lru_cache(maxsize=1)
def macro_vba_project() -> bytes:
    """xlwings' standalone VBA project with Module1 calling our entry point."""
    return _rewrite_vba(xlwings_file("quickstart_standalone.xlsm"),
                        {MACRO_MODULE: macro_module_source(), "xlwings": chinese_messages})


def _set_project_name(text: str) -> str:
    old = 'Public Const PROJECT_NAME As String = "myaddin"'
    if old not in text:
        raise BuildError("xlwings 自带的加载项模板与预期不符（找不到 PROJECT_NAME），请使用 xlwings==0.37.8。")
    return text.replace(old, f'Public Const PROJECT_NAME As String = "{ADDIN_PROJECT_NAME}"')


@functools.lru_cache(maxsize=1)
def addin_vba_project() -> bytes:
    """xlwings' custom-add-in VBA project: our ribbon callback, settings read as ``xl_disclosure.conf``."""
    return _rewrite_vba(xlwings_file("quickstart_addin_ribbon.xlam"),
                        {RIBBON_MODULE: ribbon_module_source(),
                         "xlwings": lambda text: chinese_messages(_set_project_name(text))})


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
        # locked (with the sheet's objects protected, the clerk can click it but not move, resize or delete it)
        "<x:Locked>True</x:Locked><x:LockText>True</x:LockText>"
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
    from openpyxl.styles import Alignment, Protection
    from openpyxl.utils import column_index_from_string

    from xl_disclosure.writers.template import DEFAULT_PASSWORD, cell_font, make_workbook, print_setup

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
    results["A1"].font = cell_font(12, bold=True)
    for col, text in zip("ABCD", RESULTS_HEADER, strict=True):
        results[f"{col}{RESULTS_HEADER_ROW}"] = text
        results[f"{col}{RESULTS_HEADER_ROW}"].font = cell_font(11, bold=True)
    for col, width in zip("ABCD", RESULTS_COLUMN_WIDTHS, strict=True):
        results.column_dimensions[col].width = width
        # the button writes values only: the column's style (font, wrapping 说明) is what its rows show
        results.column_dimensions[col].font = cell_font(10)
        results.column_dimensions[col].alignment = Alignment(vertical="top", wrap_text=col == "D")
    print_setup(results, landscape=True, title_rows=f"{RESULTS_HEADER_ROW}:{RESULTS_HEADER_ROW}")

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
