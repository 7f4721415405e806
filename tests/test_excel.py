"""The 校验 button's Python side, run unchanged against real xlwings books (remote engine, mock caller).

The statement executed is the one the shipped VBA passes to RunPython, read
back from the generated .xlsm, so the button → Python path is covered end to end
as far as Linux allows.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import openpyxl
import pytest
from tests.conftest import fill_workbook
from tests.excel_helpers import DesktopBook, apply_actions, book_json, remote_engine, render_sheet_png, soffice_to

from xl_disclosure.api import rule_selection
from xl_disclosure.api import validate_file as api_validate
from xl_disclosure.excel import button as excel
from xl_disclosure.form import FORM, SHEET_CHECKS, SHEET_COVER, SHEET_META, STATUS_CELL, STATUS_SHEET
from xl_disclosure.model.samples import random_report, seed_report
from xl_disclosure.readers.workbook import expected_formulas, read_workbook
from xl_disclosure.writers import results_sheet

xw = remote_engine()
pytestmark = pytest.mark.libreoffice  # the workbooks are recalculated by LibreOffice, as Excel would show them

BROKEN = "s3_new_commercial"  # +4: breaks the 三 table's balance in the 商业企业 column
TYPED = "s3_new_natural"  # a clerk types Chinese numerals into a number cell


def cell_of(fid: str) -> tuple[str, str]:
    f = FORM.by_id[fid]
    return f.sheet, f.cell


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """A valid and an invalid filled template, recalculated by LibreOffice as Excel would have them open."""
    tmp = tmp_path_factory.mktemp("excel")
    good = fill_workbook(tmp / "good.xlsx", seed_report())
    report = random_report(random.Random(5), scale=40)
    bad = fill_workbook(tmp / "bad.xlsx", report)
    wb = openpyxl.load_workbook(bad)
    sheet, cell = cell_of(BROKEN)
    wb[sheet][cell] = report.values[BROKEN] + 4
    sheet, cell = cell_of(TYPED)
    wb[sheet][cell] = "五"
    wb.save(bad)
    out = tmp / "recalculated"
    return {"good": soffice_to(good, out, "xlsx"), "bad": soffice_to(bad, out, "xlsx")}


@pytest.fixture
def results_dir(tmp_path, monkeypatch):
    folder = tmp_path / "local-results"
    monkeypatch.setenv(excel.RESULTS_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def caller():
    """Open a remote book from a file and make it Book.caller(), as RunPython would."""
    made = []

    def _open(path: Path, name: str):
        book = xw.Book(json=book_json(path, name))
        book.set_mock_caller()
        made.append(book)
        return book

    yield _open
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller


def press_button() -> None:
    """Run exactly what the shipped VBA macro asks RunPython to run."""
    from xl_disclosure.excel.build import macro_module_source

    statement = re.search(r'RunPython "([^"]+)"', macro_module_source()).group(1)
    assert statement == excel.ENTRY_POINT
    exec(compile(statement, "<RunPython>", "exec"), {})


def writes(book) -> list[dict]:
    return [a for a in book.json()["actions"] if a["func"] == "setValues"]


def sheet_order(path: Path) -> list[str]:
    return openpyxl.load_workbook(path, read_only=True).sheetnames


def results_block(book, path: Path) -> list[list]:
    """The rows written to the 校验结果 sheet (one block at A1)."""
    order = sheet_order(path)
    add = [a for a in book.json()["actions"] if a["func"] == "addSheet"]
    assert add and add[0]["args"][1] == excel.RESULTS_SHEET
    position = add[0]["args"][0]
    blocks = [a for a in writes(book) if a["sheet_position"] == position]
    assert len(blocks) == 1 and blocks[0]["start_row"] == 0 and blocks[0]["start_column"] == 0
    assert position == order.index(SHEET_CHECKS) + 1  # placed right after the 校验 sheet
    return blocks[0]["values"]


def status_write(book) -> str:
    row, col = excel._rc(excel.MACRO_STATUS_CELL)
    hits = [a for a in writes(book) if a["sheet_position"] == 0 and (a["start_row"], a["start_column"]) == (row - 1, col - 1)]
    assert len(hits) == 1 and hits[0]["values"] == [[hits[0]["values"][0][0]]]
    return hits[0]["values"][0][0]


def cli_json(path: Path, file: str) -> dict:
    data = read_workbook(path).to_json()
    data["file"] = file
    return data


def assert_writes_only_results_and_status(book) -> None:
    """The macro must not touch the clerk's cells: only the results sheet and the status cell."""
    added = {a["args"][0] for a in book.json()["actions"] if a["func"] == "addSheet"}
    row, col = excel._rc(excel.MACRO_STATUS_CELL)
    for a in writes(book):
        assert a["sheet_position"] in added or (a["sheet_position"], a["start_row"], a["start_column"]) == (0, row - 1, col - 1), a
    assert excel.MACRO_STATUS_SHEET == STATUS_SHEET == SHEET_COVER
    status_cell = (excel.MACRO_STATUS_SHEET, excel.MACRO_STATUS_CELL)
    assert status_cell not in {(f.sheet, f.cell) for f in FORM.fields} and status_cell not in expected_formulas()
    allowed = {"addSheet", "setValues", "sheetClearContents", "setColumnWidth", "setWrapText", "setFontProperty",
               "activateSheet", "alert", "setAutofit"}
    assert {a["func"] for a in book.json()["actions"]} <= allowed


def test_valid_workbook(books, caller, results_dir):
    path = books["good"]
    template_cover = openpyxl.load_workbook(path)[excel.MACRO_STATUS_SHEET]
    assert template_cover[excel.MACRO_STATUS_CELL].value is None  # the template leaves the macro's cell empty
    book = caller(path, "西霞院 2024.xlsx")
    press_button()
    rows = results_block(book, path)
    assert rows[0][0] == "校验结果：通过"
    assert rows[excel.RESULTS_HEADER_ROW - 1] == list(results_sheet.RESULTS_HEADER)
    assert rows[excel.RESULTS_HEADER_ROW:] == [["—", "—", "—", "未发现问题。"]]
    assert "通过" in status_write(book) and "0 个错误" in status_write(book)
    # A workbook the remote client reports without a folder is treated like a never-saved one.
    target = results_dir / "西霞院 2024.validation.json"
    assert json.loads(target.read_text(encoding="utf-8")) == cli_json(path, "西霞院 2024.xlsx")
    assert str(target) in rows[2][0]
    alert = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert len(alert) == 1 and "校验通过" in alert[0]["args"][0] and str(target) in alert[0]["args"][0]
    assert_writes_only_results_and_status(book)


def test_invalid_workbook_findings_link_to_cells(books, caller, results_dir, tmp_path):
    path = books["bad"]
    book = caller(path, "bad.xlsx")
    press_button()
    expected = cli_json(path, "bad.xlsx")
    assert json.loads((results_dir / "bad.validation.json").read_text(encoding="utf-8")) == expected
    assert expected["valid"] is False

    rows = results_block(book, path)
    assert rows[0][0] == "校验结果：不通过"
    findings = rows[excel.RESULTS_HEADER_ROW:]
    assert len(findings) == len(expected["findings"])
    for row, f in zip(findings, expected["findings"], strict=True):
        assert row[0] == f["rule"]
        assert row[1] == {"error": "错误", "warning": "警告"}[f["severity"]]
        assert row[2] == f'=HYPERLINK("#\'{f["sheet"]}\'!{f["cell"]}","{f["sheet"]}!{f["cell"]}")'
        assert row[3] == f["message"]
    rules_at = {(row[0], row[2].split('"')[3]) for row in findings}
    typed_sheet, typed_cell = cell_of(TYPED)
    assert ("input.not_number", f"{typed_sheet}!{typed_cell}") in rules_at
    anchor_sheet, anchor_cell = cell_of("s3_results_total_commercial")
    assert ("s3.balance", f"{anchor_sheet}!{anchor_cell}") in rules_at

    status = status_write(book)
    assert status.startswith("宏校验：不通过")
    assert f"{expected['counts']['error']} 个错误" in status
    alert = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert alert[0]["args"][3] == "critical" and "校验不通过" in alert[0]["args"][0]
    assert_writes_only_results_and_status(book)


@pytest.mark.libreoffice
def test_written_back_workbook_in_libreoffice(books, caller, results_dir, tmp_path):
    """Replay the write-back onto the file; LibreOffice evaluates the links and keeps the clerk's data."""
    path = books["bad"]
    book = caller(path, "bad.xlsx")
    press_button()
    written = apply_actions(path, book.json()["actions"], tmp_path / "written.xlsx")
    shown = soffice_to(written, tmp_path / "lo", "xlsx")
    wb = openpyxl.load_workbook(shown, data_only=True)
    before = openpyxl.load_workbook(path, data_only=True)
    for f in FORM.inputs:
        assert wb[f.sheet][f.cell].value == before[f.sheet][f.cell].value, f.id
    assert wb[STATUS_SHEET][STATUS_CELL].value == before[STATUS_SHEET][STATUS_CELL].value == "不通过"
    ws = wb[excel.RESULTS_SHEET]
    expected = read_workbook(path).findings
    for i, f in enumerate(expected):
        assert ws.cell(excel.RESULTS_HEADER_ROW + 1 + i, 3).value == f"{f.sheet}!{f.cell}"
    formulas = openpyxl.load_workbook(shown)[excel.RESULTS_SHEET]
    assert "HYPERLINK" in str(formulas.cell(excel.RESULTS_HEADER_ROW + 1, 3).value).upper()
    # The picture in docs/excel.md is made this way: the results sheet as LibreOffice prints it.
    png = render_sheet_png(written, excel.RESULTS_SHEET, tmp_path / "results.png", "校验结果：不通过")
    assert png.read_bytes().startswith(b"\x89PNG")


def test_json_beside_a_saved_workbook(books, caller, results_dir, tmp_path):
    saved = tmp_path / "报表 (1).xlsx"
    saved.write_bytes(books["good"].read_bytes())
    caller(books["good"], str(saved))  # the client reports the full local path
    press_button()
    beside = tmp_path / "报表 (1).validation.json"
    assert json.loads(beside.read_text(encoding="utf-8"))["valid"] is True
    assert not results_dir.exists()


def test_project_file_beside_the_workbook_steers_the_button_as_the_cli(books, caller, results_dir, tmp_path):
    saved = tmp_path / "bad.xlsx"
    saved.write_bytes(books["bad"].read_bytes())
    (tmp_path / "xl-disclosure.toml").write_text(
        '[rules]\nignore = ["s3.balance"]\n[rules.severity]\n"input.not_number" = "warning"\n', encoding="utf-8")
    book = caller(books["bad"], str(saved))
    press_button()
    data = json.loads((tmp_path / "bad.validation.json").read_text(encoding="utf-8"))
    assert data == api_validate(saved, rules=rule_selection([saved])).to_json()  # as `validate --json` beside it
    assert "s3.balance" not in {f["rule"] for f in data["findings"]}
    assert data["rules"]["disabled"] == ["s3.balance"] and data["rules"]["severity"] == {"input.not_number": "warning"}
    typed = [f for f in data["findings"] if f["rule"] == "input.not_number"]
    assert typed and all(f["severity"] == "warning" for f in typed)
    rows = results_block(book, books["bad"])[excel.RESULTS_HEADER_ROW:]
    assert [r[0] for r in rows] == [f["rule"] for f in data["findings"]]
    assert ["input.not_number", "警告"] in [r[:2] for r in rows]


def test_a_bad_project_file_is_said_in_the_results_sheet(books, caller, results_dir, tmp_path):
    saved = tmp_path / "good.xlsx"
    saved.write_bytes(books["good"].read_bytes())
    (tmp_path / "xl-disclosure.toml").write_text('[rules]\nignore = ["s3.balanse"]\n', encoding="utf-8")
    book = caller(books["good"], str(saved))
    press_button()
    data = json.loads((tmp_path / "good.validation.json").read_text(encoding="utf-8"))
    assert data["readable"] is False and "xl-disclosure.toml" in data["read_error"]
    assert "[rules] ignore" in data["read_error"] and "s3.balanse" in data["read_error"]
    rows = results_block(book, books["good"])
    assert rows[0][0] == "校验结果：无法读取" and data["read_error"] in rows[-1][3]
    alert = [a for a in book.json()["actions"] if a["func"] == "alert"][0]["args"]
    assert "s3.balanse" in alert[0] and alert[3] == "critical"


@pytest.mark.parametrize("name, expected", [
    ("https://contoso.sharepoint.com/sites/gk/Shared Documents/西霞院.xlsx", "西霞院.validation.json"),
    ("工作簿1", "工作簿1.validation.json"),
])
def test_json_for_web_and_unsaved_workbooks_goes_to_local_folder(books, caller, results_dir, name, expected):
    book = caller(books["good"], name)
    press_button()
    target = results_dir / expected
    assert target.exists()
    alert = [a for a in book.json()["actions"] if a["func"] == "alert"][0]["args"][0]
    assert "已保存到本机" in alert and str(target) in alert


def test_formula_error_in_an_input_cell_reads_as_in_the_cli(caller, results_dir, tmp_path):
    """A formula in an input cell is input.formula, for the CLI and for the button on Excel (which gives
    formulas); on the remote engine, which gives none, the button still reports the #DIV/0! it shows,
    not a blank cell."""
    filled = fill_workbook(tmp_path / "errors.xlsx", seed_report())
    wb = openpyxl.load_workbook(filled)
    sheet, cell = cell_of(TYPED)
    wb[sheet][cell] = "=1/0"
    wb.save(filled)
    path = soffice_to(filled, tmp_path / "recalculated", "xlsx")
    cli = read_workbook(path)
    assert [(f.rule, f.cell) for f in cli.findings if f.sheet == sheet and f.cell == cell] == [("input.formula", cell)]
    desktop = excel.validate_source(excel.XlwingsSource(DesktopBook(path)), file=str(path))
    assert [(f.rule, f.location, f.message) for f in desktop.findings] == \
        [(f.rule, f.location, f.message) for f in cli.findings]
    caller(path, "errors.xlsx")
    press_button()
    written = json.loads((results_dir / "errors.validation.json").read_text(encoding="utf-8"))
    assert written["status"] == cli.status
    assert [(f["rule"], f["cell"]) for f in written["findings"] if f["sheet"] == sheet and f["cell"] == cell] \
        == [("input.error_value", cell)]


def test_a_formula_on_the_cover_is_never_the_agency(books, tmp_path):
    """The agency's name as a formula whose saved result is another agency: neither the CLI nor the
    button on Excel takes it; both report input.formula at the cell."""
    name = FORM.by_id["cover_agency_name"]
    wb = openpyxl.load_workbook(books["good"])
    wb[name.sheet][name.cell] = '="冒名机关"'
    path = tmp_path / "cover-formula.xlsx"
    wb.save(path)
    cli = read_workbook(path)
    desktop = excel.validate_source(excel.XlwingsSource(DesktopBook(path)), file=str(path))
    for result in (cli, desktop):
        assert result.report.values["cover_agency_name"] is None and result.status == "不通过"
        assert [(f.rule, f.cell) for f in result.findings] == [("input.formula", name.cell)]
        assert "不能是公式" in result.findings[0].message and "冒名机关" in result.findings[0].message


def test_second_press_reuses_the_results_sheet(books, caller, results_dir, tmp_path):
    """On a book that already has 校验结果 (e.g. the .xlsm template) nothing is added; old rows are cleared."""
    wb = openpyxl.load_workbook(books["bad"])
    ws = wb.create_sheet(excel.RESULTS_SHEET)
    ws["A40"] = "old"
    with_sheet = tmp_path / "with-results.xlsx"
    wb.save(with_sheet)
    book = caller(with_sheet, "with-results.xlsx")
    press_button()
    actions = book.json()["actions"]
    assert not [a for a in actions if a["func"] == "addSheet"]
    position = sheet_order(with_sheet).index(excel.RESULTS_SHEET)
    clear = [i for i, a in enumerate(actions) if a["func"] == "sheetClearContents" and a["sheet_position"] == position]
    write = [i for i, a in enumerate(actions) if a["func"] == "setValues" and a["sheet_position"] == position]
    assert clear and write and clear[0] < write[0]


def test_not_our_workbook_is_reported_not_raised(caller, results_dir, tmp_path):
    other = tmp_path / "其他.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便一张表"
    wb.save(other)
    book = caller(other, "其他.xlsx")
    press_button()
    data = json.loads((results_dir / "其他.validation.json").read_text(encoding="utf-8"))
    assert data["readable"] is False and "模板" in data["read_error"]
    # Someone else's workbook (the add-in works on any active workbook) is left alone: only the message box.
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]
    assert data["read_error"] in actions[0]["args"][0] and actions[0]["args"][3] == "critical"


def test_old_template_version_gets_the_message_in_the_results_sheet(books, caller, results_dir, tmp_path):
    wb = openpyxl.load_workbook(books["good"])
    meta = wb[SHEET_META]
    row = next(r for r in meta.iter_rows() if r[0].value == "template_version")
    row[1].value = 99
    old = tmp_path / "v99.xlsx"
    wb.save(old)
    book = caller(old, "v99.xlsx")
    press_button()
    data = json.loads((results_dir / "v99.validation.json").read_text(encoding="utf-8"))
    assert data["readable"] is False and "99" in data["read_error"]
    rows = results_block(book, old)
    assert rows[0][0] == "校验结果：无法读取"
    assert rows[-1] == ["read_error", "错误", "—", data["read_error"]]
    assert status_write(book).startswith("宏校验：无法读取")
    assert_writes_only_results_and_status(book)


def test_formula_like_messages_are_neutralised():
    from xl_disclosure.form import Severity
    from xl_disclosure.model.findings import Finding

    row = results_sheet.finding_row(Finding("x", Severity.ERROR, "=cmd|' /C calc'!A0", sheet="封面", cell="B5"))
    assert row[3].startswith("'=") and row[2].startswith("=HYPERLINK(")


class _Api:
    def __init__(self, **state):
        self.__dict__.update(state)
        self.calls = []

    def Unprotect(self, password):  # noqa: N802 - COM names
        self.calls.append(("Unprotect", password))

    def Protect(self, *args):  # noqa: N802
        self.calls.append(("Protect", *args))


class _Engine:
    name = "excel"


class _App:
    engine = _Engine()


class _Book:
    app = _App()

    def __init__(self, api):
        self.api = api


def test_protected_structure_is_unlocked_only_briefly():
    api = _Api(ProtectStructure=True, ProtectWindows=False)
    with excel.structure_unlocked(_Book(api), "pw"):
        assert api.calls == [("Unprotect", "pw")]
    assert api.calls[-1] == ("Protect", "pw", True, False)
    api = _Api(ProtectStructure=False, ProtectWindows=False)
    with excel.structure_unlocked(_Book(api), "pw"):
        pass
    assert api.calls == []


class _Protection:
    AllowFormattingCells = False
    AllowFormattingColumns = True
    AllowFormattingRows = True
    AllowInsertingColumns = False
    AllowInsertingRows = False
    AllowInsertingHyperlinks = False
    AllowDeletingColumns = False
    AllowDeletingRows = False
    AllowSorting = False
    AllowFiltering = False
    AllowUsingPivotTables = False


class _Range:
    def __init__(self, locked):
        self.api = _Api(Locked=locked)


class _Sheet:
    def __init__(self, locked_cell, protected=True):
        self.book = _Book(None)
        self.api = _Api(ProtectContents=protected, ProtectDrawingObjects=True, ProtectScenarios=True,
                        Protection=_Protection())
        self._locked = locked_cell

    def range(self, _address):
        return _Range(self._locked)


def test_locked_status_cell_unprotects_and_restores_the_sheet_options():
    sheet = _Sheet(locked_cell=True)
    with pytest.raises(RuntimeError), excel.sheet_unlocked(sheet, "D3", "pw"):
        assert sheet.api.calls == [("Unprotect", "pw")]
        raise RuntimeError("write failed")
    # Protected again (even after a failure) with the options it had: formatting rows/columns allowed.
    assert sheet.api.calls[-1] == ("Protect", "pw", True, True, True, False,
                                   False, True, True, False, False, False, False, False, False, False, False)
    unlocked = _Sheet(locked_cell=False)
    with excel.sheet_unlocked(unlocked, "D3", "pw"):
        pass
    assert unlocked.api.calls == []


def test_formulas_read_through_the_desktop_engine_catch_a_replaced_total(books, tmp_path):
    """Excel gives formulas (the remote engine does not): a total typed over is reported like the CLI does."""
    total = next(f for f in FORM.totals if f.sheet != SHEET_COVER)
    wb = openpyxl.load_workbook(books["good"])
    wb[total.sheet][total.cell] = 7
    typed_over = tmp_path / "typed-over.xlsx"
    wb.save(typed_over)
    source = excel.XlwingsSource(DesktopBook(typed_over))
    assert source.formulas(total.sheet) is not None
    result = excel.validate_source(source, file="typed-over.xlsx")
    cli = read_workbook(typed_over)
    assert [(f.rule, f.location) for f in result.findings] == [(f.rule, f.location) for f in cli.findings]
    assert ("tamper.formula", f"{total.sheet}!{total.cell}") in [(f.rule, f.location) for f in result.findings]
    untouched = excel.XlwingsSource(DesktopBook(books["good"]))
    assert excel.validate_source(untouched, file="good.xlsx").findings == []
