"""Structure of the generated .xlsm template and .xlam add-in: VBA text, button bindings, settings, LibreOffice."""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pyopenvba
import pytest
import xlwings
from defusedxml import ElementTree as ET
from pyopenvba.cfb import CFB
from pyopenvba.vba import decompress
from tests.excel_helpers import lo_inspect

from xl_disclosure.api import validate_file
from xl_disclosure.excel import button as excel
from xl_disclosure.excel.build import (
    ADDIN_CONF_SHEET,
    CONF_SHEET,
    build_addin,
    build_macro_template,
)
from xl_disclosure.form import SHEET_CHECKS, SHEET_COVER
from xl_disclosure.model.samples import seed_report
from xl_disclosure.writers import results_sheet
from xl_disclosure.writers.template import fill_values

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
INTERPRETER = r"%LOCALAPPDATA%\xl-disclosure\venv\Scripts\python.exe"
PYTHONPATH = r"D:\报表工具\lib"
RUN_PYTHON = 'RunPython "import xl_disclosure.excel.button; xl_disclosure.excel.validate()"'


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlsm") / "西霞院 报表 (1).xlsm"
    build_macro_template(path, interpreter=INTERPRETER, pythonpath=PYTHONPATH, values=fill_values(seed_report()))
    return path


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("xlam") / "xl_disclosure.xlam"
    build_addin(path, interpreter=INTERPRETER)
    return path


def xml(zf: zipfile.ZipFile, name: str):
    return ET.fromstring(zf.read(name))


def main_content_type(zf: zipfile.ZipFile) -> str:
    types = xml(zf, "[Content_Types].xml")
    return next(o.get("ContentType") for o in types.iter(f"{CT}Override") if o.get("PartName") == "/xl/workbook.xml")


def macros(path: Path) -> dict[str, str]:
    with warnings.catch_warnings():  # oletools still uses pyparsing's old names
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser
    parser = VBA_Parser(str(path))
    try:
        return {Path(vba_name).stem: code for _, _, vba_name, code in parser.extract_macros()}
    finally:
        parser.close()


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    rels = {r.get("Id"): r.get("Target") for r in xml(zf, "xl/_rels/workbook.xml.rels").iter(f"{REL}Relationship")}
    out = {}
    for s in xml(zf, "xl/workbook.xml").iter(f"{MAIN}sheet"):
        target = rels[s.get(R_ID)].lstrip("/")
        out[s.get("name")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def button_macros(zf: zipfile.ZipFile, part: str) -> list[str]:
    """Macros of the form buttons in the VML drawing that a worksheet part links to."""
    rels_name = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    sheet = xml(zf, part)
    legacy = sheet.find(f"{MAIN}legacyDrawing")
    if legacy is None:
        return []
    rels = {r.get("Id"): r for r in xml(zf, rels_name).iter(f"{REL}Relationship")}
    rel = rels[legacy.get(R_ID)]
    assert rel.get("Type").endswith("/vmlDrawing")
    vml = zf.read(rel.get("Target").lstrip("/")).decode("utf-8")
    return re.findall(r'ObjectType="Button">.*?<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>', vml)


def test_xlsm_is_macro_enabled_with_the_vba_project(xlsm):
    with zipfile.ZipFile(xlsm) as zf:
        assert main_content_type(zf) == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        rels = [r.get("Type") for r in xml(zf, "xl/_rels/workbook.xml.rels").iter(f"{REL}Relationship")]
        assert "http://schemas.microsoft.com/office/2006/relationships/vbaProject" in rels
        assert xml(zf, "xl/workbook.xml").find(f"{MAIN}workbookPr").get("codeName") == "ThisWorkbook"
    assert pyopenvba.check_file(xlsm).issues == ()


def test_xlsm_module_calls_the_fixed_entry_point(xlsm):
    code = macros(xlsm)
    module = code["Module1"]
    assert re.search(r"^Sub XlDisclosureValidate\(\)\r?$", module, re.M)
    assert [line.strip() for line in module.splitlines() if "RunPython" in line] == [RUN_PYTHON]
    assert "ThisWorkbook.Name" not in module  # never the file-name convention: clerks rename files
    # The standalone xlwings module is the one of the pinned xlwings version.
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in code["xlwings"]
    assert xlwings.__version__ == "0.37.8"


def test_xlsm_buttons_on_cover_and_checks_sheet(xlsm):
    with zipfile.ZipFile(xlsm) as zf:
        parts = sheet_parts(zf)
        found = {name: button_macros(zf, part) for name, part in parts.items()}
    assert found[SHEET_COVER] == ["XlDisclosureValidate"]
    assert found[SHEET_CHECKS] == ["XlDisclosureValidate"]
    assert sum(len(v) for v in found.values()) == 2


def test_xlsm_settings_sheet_and_results_sheet(xlsm):
    wb = openpyxl.load_workbook(xlsm, keep_vba=True)
    conf = wb[CONF_SHEET]
    assert conf.sheet_state == "hidden"
    assert [(r[0], r[1]) for r in conf.iter_rows(values_only=True)] == [("INTERPRETER_WIN", INTERPRETER),
                                                                        ("PYTHONPATH", PYTHONPATH)]
    names = wb.sheetnames
    assert names.index(excel.RESULTS_SHEET) == names.index(SHEET_CHECKS) + 1
    results = wb[excel.RESULTS_SHEET]
    assert not results.protection.sheet
    header = [results.cell(excel.RESULTS_HEADER_ROW, c).value for c in range(1, 5)]
    assert header == list(results_sheet.RESULTS_HEADER)
    assert wb.security.lockStructure  # the template's protection is kept
    # The macro's status cell is free in the macro template as well.
    status = wb[excel.MACRO_STATUS_SHEET][excel.MACRO_STATUS_CELL]
    assert status.value is None and status.protection.locked is False
    assert wb[excel.MACRO_STATUS_SHEET].protection.sheet  # the sheet itself stays protected


def test_xlsm_without_settings_has_no_settings_sheet(tmp_path):
    path = tmp_path / "plain.xlsm"
    build_macro_template(path)
    assert CONF_SHEET not in openpyxl.load_workbook(path, keep_vba=True).sheetnames


def test_filled_xlsm_still_validates_with_the_cli_reader(xlsm):
    result = validate_file(xlsm)
    assert result.readable and result.valid, result.to_json()
    assert result.report.agency == seed_report().agency


@pytest.mark.libreoffice
def test_libreoffice_sees_module_and_button_bindings(xlsm):
    seen = lo_inspect(xlsm)
    assert {"Module1", "xlwings", "ThisWorkbook"} <= set(seen["modules"])
    assert RUN_PYTHON in seen["modules"]["Module1"]
    url = "vnd.sun.star.script:XlDisclosure.Module1.XlDisclosureValidate?language=Basic&location=document"
    bound = {(b["sheet"], b["label"]) for b in seen["buttons"]
             if ["XActionListener", "actionPerformed", "Script", url] in b["events"]}
    assert bound == {(SHEET_COVER, "校验"), (SHEET_CHECKS, "校验")}


# ---------------------------------------------------------------------------
# The add-in
# ---------------------------------------------------------------------------

def test_xlam_is_an_addin_with_a_ribbon_button(xlam):
    with zipfile.ZipFile(xlam) as zf:
        assert main_content_type(zf) == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        root = {r.get("Type"): r.get("Target") for r in xml(zf, "_rels/.rels").iter(f"{REL}Relationship")}
        ui = xml(zf, root["http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"])
        buttons = [b for b in ui.iter() if b.tag.endswith("}button")]
        assert [(b.get("label"), b.get("onAction")) for b in buttons] == [("校验", "RibbonMyAddin.RunMain")]
        names = [s.get("name") for s in xml(zf, "xl/workbook.xml").iter(f"{MAIN}sheet")]
    assert names == [ADDIN_CONF_SHEET]
    assert pyopenvba.check_file(xlam).issues == ()


def test_xlam_callback_calls_the_fixed_entry_point(xlam):
    code = macros(xlam)
    ribbon = code["RibbonMyAddin"]
    assert re.search(r"^Sub RunMain\(control As IRibbonControl\)\r?$", ribbon, re.M)
    assert [line.strip() for line in ribbon.splitlines() if "RunPython" in line] == [RUN_PYTHON]
    # Settings are read from xl_disclosure.conf (sheet, or %USERPROFILE%\.xl_disclosure\xl_disclosure.conf).
    assert 'Public Const PROJECT_NAME As String = "xl_disclosure"' in code["xlwings"]
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in code["xlwings"]


def test_xlam_settings_sheet(xlam, tmp_path):
    with zipfile.ZipFile(xlam) as zf:
        sheet = xml(zf, "xl/worksheets/sheet1.xml")
    texts = ["".join(t.itertext()) for t in sheet.iter(f"{MAIN}is")]
    assert texts == ["INTERPRETER_WIN", INTERPRETER]
    plain = tmp_path / "plain.xlam"
    build_addin(plain)
    with zipfile.ZipFile(plain) as zf:
        names = [s.get("name") for s in xml(zf, "xl/workbook.xml").iter(f"{MAIN}sheet")]
    assert names == [f"_{ADDIN_CONF_SHEET}"]  # inactive: the PC's settings file applies


@pytest.mark.libreoffice
def test_libreoffice_loads_the_addin_project(xlam):
    seen = lo_inspect(xlam, "Calc MS Excel 2007 VBA XML")
    assert seen["sheets"] == [ADDIN_CONF_SHEET]
    assert RUN_PYTHON in seen["modules"]["RibbonMyAddin"]
    assert "Sub RunMain(control As IRibbonControl)" in seen["modules"]["RibbonMyAddin"]


# ---------------------------------------------------------------------------
# What the clerk sees of the VBA: its name, its message boxes, a button that stays put, a printable results sheet
# ---------------------------------------------------------------------------

def _vba_strings(expr: str) -> str:
    """The text of a VBA string expression made of "literals", ChrW(&H…) and vbLf joined by &."""
    out = []
    for lit, hexa, lf in re.findall(r'"((?:[^"]|"")*)"|ChrW\(&H([0-9A-F]+)\)|(vbLf|vbNewLine)', expr):
        out.append(lit.replace('""', '"') if lit else chr(int(hexa, 16)) if hexa else "\n" if lf else "")
    return "".join(out)


def _msgboxes(code: str) -> list[str]:
    lines = code.replace(" _\r\n", " ").replace(" _\n", " ").splitlines()
    return [line.strip() for line in lines if re.match(r"\s*MsgBox\b", line)]


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_every_message_box_is_chinese(which, request):
    code = macros(request.getfixturevalue(which))
    boxes = [box for module in code.values() for box in _msgboxes(module)]
    assert len(boxes) >= 5
    for box in boxes:
        text, _, rest = box.removeprefix("MsgBox ").partition(", vb")
        shown = _vba_strings(text) if text != "Content" else "（Python 的中文说明）"
        assert re.search(r"[\u4e00-\u9fff]", shown), box
        assert _vba_strings(rest) == "政府信息公开年报 · 校验", box  # the title


@pytest.mark.parametrize("which", ["xlsm", "xlam"])
def test_vba_project_has_the_products_name(which, request):
    with zipfile.ZipFile(request.getfixturevalue(which)) as zf:
        data = zf.read("xl/vbaProject.bin")
    cfb = CFB.from_bytes(data)
    assert re.search(rb'^Name="XlDisclosure"\r?$', cfb.get_stream("PROJECT"), re.M)
    assert b"VBAProject" not in decompress(cfb.get_stream_in_storage("VBA", "dir"))
    assert pyopenvba.check_file(request.getfixturevalue(which)).issues == ()


def test_button_is_locked_on_a_sheet_whose_objects_are_protected(xlsm):
    with zipfile.ZipFile(xlsm) as zf:
        parts = sheet_parts(zf)
        vml = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".vml")}
    assert vml and all("<x:Locked>True</x:Locked>" in v for v in vml.values())
    wb = openpyxl.load_workbook(xlsm, keep_vba=True)
    for sheet in (SHEET_COVER, SHEET_CHECKS):
        p = wb[sheet].protection
        assert parts[sheet] and p.sheet and p.objects, sheet  # objects=True: shapes cannot be moved or deleted
        assert p.sort, sheet  # sorting not allowed


def test_results_sheet_prints(xlsm):
    ws = openpyxl.load_workbook(xlsm, keep_vba=True)[excel.RESULTS_SHEET]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == f"{excel.RESULTS_HEADER_ROW}:{excel.RESULTS_HEADER_ROW}"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.column_dimensions["D"].alignment.wrap_text  # the button's 说明 column wraps
