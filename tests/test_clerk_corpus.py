"""Workbooks made the way clerks make them, recalculated in a real engine: one verdict everywhere.

Each case starts from a balanced, fully filled template and does one thing clerks
do: a number stored as text, full-width digits, "5件", "无", "—", spaces, a blank,
a pasted block of values, a block pasted with its formats (validation and
conditional formatting lost), a formula typed into an input, a formula that
fails, a number far too large, the 校验 sheet deleted, a sheet renamed, typing
with calculation switched to manual — and saves it from LibreOffice as .xlsx
(some also as .ods, .xls and HTML).  All cases go through one headless
LibreOffice session.

For every case the test asserts that the cover's status (B3, as LibreOffice
computed it), every row of the 校验 sheet, the CLI's verdict and findings, the
numbers its messages quote, and the 校验 button's verdict and JSON (through the
xlwings book path) agree — and that the .ods, and the file before LibreOffice
recalculated it, read the same.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.clerk_helpers import (
    HTML_FILTER,
    ODS_FILTER,
    XLS_FILTER,
    XLSX_FILTER,
    colour_at,
    html_colours,
    run_clerk_jobs,
)
from tests.excel_helpers import DesktopBook, book_json, remote_engine

from xl_disclosure import api
from xl_disclosure.api import validate_file
from xl_disclosure.checks.validator import fmt
from xl_disclosure.excel import button
from xl_disclosure.excel.button import XlwingsSource
from xl_disclosure.form import FORM, SHEET_CHECKS, SHEET_S3, STATUS_CELL, STATUS_SHEET
from xl_disclosure.form.checksheet import DEFAULT_PASSWORD, INCOMPLETE_RULES, NUMBER_RULES, CheckRow, check_rows
from xl_disclosure.model.findings import ValidationResult
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers.ods import read_ods
from xl_disclosure.readers.workbook import read_workbook, validate_source
from xl_disclosure.writers.template import build_template, fill_values

pytestmark = pytest.mark.libreoffice
xw = remote_engine()

ORANGE, RED, YELLOW = "#FFC000", "#FF9999", "#FFF2CC"
RENAMED = "三、收到和处理申请"


def cell(fid: str) -> str:
    return FORM.by_id[fid].cell


def base_report():
    """Balanced and complete, every rule holding; the cells the cases change hold the values they expect."""
    report = random_report(random.Random(19), scale=40, fee=False)
    v = report.values
    assert v["s3_new_natural"] >= 5 and v["s3_partial_natural"] >= 2 and v["s3_carried_research"] >= 1
    assert v["s3_reject_repeat_commercial"] == 0 and v["s3_open_ngo"] == 0 and v["n6_fee_notices"] == 0
    return report


@dataclass
class Case:
    name: str
    edits: dict[str, Any] = field(default_factory=dict)  # field id → what the clerk typed (openpyxl)
    ops: list[dict[str, Any]] = field(default_factory=list)  # done in LibreOffice
    ods: bool = False
    html: bool = False
    xls: bool = False
    #: The file as written before any spreadsheet recalculated it reads the same (not for a typed formula:
    #: only a spreadsheet computes it, and every spreadsheet saves what it computed).
    unrecalculated: bool = True
    cover: str = ""  # B3 expected (also the CLI's cover_status); "#REF!" when the 校验 sheet is gone
    rules: frozenset[str] = frozenset()  # every rule the CLI reports, no more


def _s3_block(rows: tuple[str, ...], report, delta: int) -> list[list[int]]:
    return [[report.values[f"s3_{r}_{c}"] + delta for c in ("natural", "commercial", "research", "ngo", "legal", "other")]
            for r in rows]


def cases(report) -> list[Case]:
    v = report.values
    new = v["s3_new_natural"]
    partial = v["s3_partial_natural"]
    return [
        Case("clean", ods=True, xls=True, cover="通过"),
        Case("number-as-text", {"s3_new_natural": str(new)}, ods=True, html=True, cover="不通过",
             rules=frozenset({"input.not_number", "s3.balance"})),
        Case("full-width", {"s2_licensing_decisions": str(v["s2_licensing_decisions"]).translate(
            {ord(d): ord(d) + 0xFEE0 for d in "0123456789"})}, cover="不通过", rules=frozenset({"input.not_number"})),
        Case("with-unit", {"s4_reconsideration_upheld": f"{v['s4_reconsideration_upheld']}件"}, cover="不通过",
             rules=frozenset({"input.not_number"})),
        Case("none-word", {"s3_reject_repeat_commercial": "无"}, cover="不通过", rules=frozenset({"input.not_number"})),
        Case("dash", {"n6_fee_notices": "—"}, cover="不通过", rules=frozenset({"input.not_number"})),
        Case("spaces", {"s4_direct_suit_other": "  ", "cover_preparer": "\u3000"}, cover="不通过",
             rules=frozenset({"input.not_number", "cover.required"})),
        Case("blank", {"s3_carried_research": None}, ods=True, html=True, cover="未填完",
             rules=frozenset({"input.blank"})),
        Case("pasted-values", {f"s3_{r}_{c}": x for r, row in zip(("open", "partial"), _s3_block(("open", "partial"), report, 1),
                                                                   strict=True)
                               for c, x in zip(("natural", "commercial", "research", "ngo", "legal", "other"), row,
                                               strict=True)},
             cover="不通过", rules=frozenset({"s3.balance"})),
        Case("pasted-with-formats",
             ops=[{"op": "paste_with_formats", "sheet": SHEET_S3, "range": "D10:I11",
                   "values": _s3_block(("deny_secret", "deny_law"), report, 0)}],
             ods=True, html=True, cover="不通过", rules=frozenset({"input.not_number", "s3.balance"})),
        # A formula in an input cell: its saved result is never taken (input.formula), and the 校验 sheet counts it.
        Case("formula-typed", {"s3_partial_natural": f"={partial - 1}+1"}, unrecalculated=False, cover="不通过",
             rules=frozenset({"input.formula"})),
        Case("formula-error", {"s3_open_ngo": "=1/0"}, unrecalculated=False, cover="不通过",
             rules=frozenset({"input.formula"})),
        Case("too-large", {"s2_penalty_decisions": 123456789}, cover="不通过", rules=frozenset({"input.too_large"})),
        Case("checks-deleted", ops=[{"op": "remove_sheet", "sheet": SHEET_CHECKS}], cover="#REF!",
             rules=frozenset({"tamper.formula"})),
        Case("renamed", ops=[{"op": "rename", "sheet": SHEET_S3, "to": RENAMED}], ods=True, cover="通过",
             rules=frozenset({"sheet.renamed"})),
        Case("manual-calc", ops=[{"op": "type_with_manual_calc", "sheet": SHEET_S3, "cell": cell("s3_new_natural"),
                                  "value": new + 2}], cover="不通过", rules=frozenset({"s3.balance"})),
    ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clerks")
    report = base_report()
    base = tmp / "base.xlsx"
    build_template(base, values=fill_values(report))
    assert read_workbook(base).findings == []
    jobs: list[dict[str, Any]] = [{"src": str(base), "outputs": [
        {"path": str(tmp / "base-lo.xlsx"), "filter": XLSX_FILTER}]}]
    made: dict[str, dict[str, Path]] = {}
    for case in cases(report):
        src = tmp / f"{case.name}.xlsx"
        if case.name == "manual-calc":  # typed into a workbook LibreOffice had already calculated
            src = tmp / "base-lo.xlsx"
        else:
            wb = openpyxl.load_workbook(base)
            for fid, value in case.edits.items():
                f = FORM.by_id[fid]
                c = wb[f.sheet][f.cell]
                c.value = value
                if isinstance(value, str) and not value.startswith("="):
                    c.data_type = "s"  # text, as a spreadsheet stores a number typed after an apostrophe
            wb.save(src)
        out = {"input": src, "xlsx": tmp / f"{case.name}-lo.xlsx"}
        outputs = []
        if case.name == "manual-calc":
            out["stale"] = tmp / "manual-calc-stale.xlsx"
            outputs.append({"path": str(out["stale"]), "filter": XLSX_FILTER, "recalc": False})
        outputs.append({"path": str(out["xlsx"]), "filter": XLSX_FILTER})  # recalculated: F9
        for flag, key, suffix, filt in ((case.ods, "ods", ".ods", ODS_FILTER), (case.html, "html", ".html", HTML_FILTER),
                                        (case.xls, "xls", ".xls", XLS_FILTER)):
            if flag:
                out[key] = tmp / f"{case.name}-lo{suffix}"
                outputs.append({"path": str(out[key]), "filter": filt})
        jobs.append({"src": str(src), "password": DEFAULT_PASSWORD, "ops": case.ops, "outputs": outputs})
        made[case.name] = out
    run_clerk_jobs(jobs)
    return report, {c.name: c for c in cases(report)}, made


CASE_NAMES = [c.name for c in cases(base_report())]


# ---------------------------------------------------------------------------
# What the template shows, and what the CLI says it should show
# ---------------------------------------------------------------------------

def findings_on(result: ValidationResult, rules, fields) -> list:
    return [f for f in result.findings if f.rule in rules and f.field in fields]


def expected_row(row: CheckRow, result: ValidationResult) -> str | None:
    """What a 校验 row must show, given the CLI's findings (see CheckRow.rules / CheckRow.inputs).

    None where the row depends on a cell holding a formula: the spreadsheet computes it, the CLI
    never takes its result (input.formula, which the row of formulas reports).
    """
    if row.rule == "input.formula":
        return "不通过" if findings_on(result, {"input.formula"}, row.inputs) else "通过"
    if findings_on(result, {"input.formula"}, row.inputs):
        return None
    if row.rule == "input.blank":
        return "未填完" if findings_on(result, INCOMPLETE_RULES, row.inputs) else "通过"
    if row.rule == "input.not_number":
        return "不通过" if findings_on(result, NUMBER_RULES, row.inputs) else "通过"
    if findings_on(result, {"input.blank"}, row.inputs):
        return "未填完"  # undecided while a cell it adds up is blank
    if findings_on(result, {"input.error_value"}, row.inputs):
        return "不通过"  # cannot be computed
    anchor = FORM.field_at(row.anchor_sheet, row.anchor_cell)
    return "不通过" if [f for f in result.findings if f.rule == row.rule and f.field == anchor.id] else "通过"


def sheet_of(book: openpyxl.Workbook, template_name: str):
    return book[template_name] if template_name in book.sheetnames else book[RENAMED]


def assert_checks_agree(path: Path, result: ValidationResult) -> None:
    """Every 校验 row as LibreOffice computed it is what the CLI's findings say, and quotes the CLI's numbers."""
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[SHEET_CHECKS]
    for row in check_rows():
        shown = ws[row.result_cell].value
        expected = expected_row(row, result)
        if expected is None:
            continue
        assert shown == expected, (row.key, shown, ws[f"C{row.row}"].value, ws[f"D{row.row}"].value)
        left, right = ws[f"C{row.row}"].value, ws[f"D{row.row}"].value
        anchor = FORM.field_at(row.anchor_sheet, row.anchor_cell)
        hits = [f for f in result.findings if f.rule == row.rule and f.field == anchor.id]
        if row.rule == "input.formula":
            assert left == len(findings_on(result, {"input.formula"}, row.inputs)), row.key
        elif row.rule == "input.blank":
            assert left == len({f.field for f in findings_on(result, INCOMPLETE_RULES, row.inputs)}), row.key
        elif row.rule == "input.not_number":
            assert (left == 0) == (not findings_on(result, NUMBER_RULES, row.inputs)), row.key
        elif hits:
            (f,) = hits
            is_total = row.rule != "s3.balance"  # a total's equation: the stated total is on the left
            stated, summed = (f.actual, f.expected) if is_total else (f.expected, f.actual)
            assert (left, right) == (stated, summed), (row.key, left, right, f.expected, f.actual)
            # the message quotes the numbers the 校验 sheet shows
            assert re.search(rf"= {re.escape(fmt(left))}，", f.message) or f"实际为 {fmt(left)}" in f.message, f.message
            assert f"= {fmt(right)}" in f.message or f"应为 {fmt(right)}" in f.message, f.message
        elif shown == "通过":
            assert isinstance(left, int | float) and isinstance(right, int | float) and abs(left - right) < 1e-9, row.key


def press_button(path: Path, name: str, results_dir: Path) -> tuple[str, dict[str, Any]]:
    """The 校验 button on the workbook as Excel would hold it open: its verdict beside B3, and its JSON."""
    book = xw.Book(json=book_json(path, name))
    book.set_mock_caller()
    try:
        statement = button.ENTRY_POINT
        exec(compile(statement, "<RunPython>", "exec"), {})
    finally:
        del xw.Book._mock_caller
    row, col = button._rc(button.MACRO_STATUS_CELL)
    status = [a["values"][0][0] for a in book.json()["actions"] if a["func"] == "setValues"
              and a["sheet_position"] == 0 and (a["start_row"], a["start_column"]) == (row - 1, col - 1)]
    assert len(status) == 1
    written = json.loads((results_dir / f"{Path(name).stem}.validation.json").read_text(encoding="utf-8"))
    return status[0], written


def same_findings(a: ValidationResult, b: ValidationResult) -> bool:
    return [(f.rule, f.location, f.message) for f in a.findings] == [(f.rule, f.location, f.message) for f in b.findings]


# ---------------------------------------------------------------------------
# The verdict, everywhere
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", CASE_NAMES)
def test_one_verdict_everywhere(corpus, name, tmp_path, monkeypatch):
    _, by_name, made = corpus
    case, files = by_name[name], made[name]
    result = read_workbook(files["xlsx"])
    assert result.readable, result.read_error
    # The CLI: exactly the rules expected, and never a tampered total for a value typed as text.
    assert {f.rule for f in result.findings} == set(case.rules), [(f.rule, f.location) for f in result.findings]
    assert result.cover_status == ("不通过" if case.cover == "#REF!" else case.cover)
    assert result.valid == (case.cover == "通过")
    # The cover, as LibreOffice computed it.
    book = openpyxl.load_workbook(files["xlsx"], data_only=True)
    assert book[STATUS_SHEET][STATUS_CELL].value == case.cover
    # Every 校验 row, and the numbers the messages quote.
    if SHEET_CHECKS in book.sheetnames:
        assert_checks_agree(files["xlsx"], result)
    # The 校验 button, through the xlwings book path: the same verdict in the same words, the CLI's JSON.
    monkeypatch.setenv(button.RESULTS_DIR_ENV, str(tmp_path))
    status, written = press_button(files["xlsx"], f"{name}.xlsx", tmp_path)
    formula_typed = any(f.rule == "input.formula" for f in result.findings)
    assert formula_typed or status.startswith(f"宏校验：{result.cover_status}，")
    cli = result.to_json()
    cli["file"] = f"{name}.xlsx"
    if any(f.rule == "input.formula" for f in result.findings):
        # The remote engine gives no formulas, so it reads what the formula computed; Excel's desktop
        # engine gives them, and there the button says what the CLI says.
        desktop = validate_source(XlwingsSource(DesktopBook(files["xlsx"])), file=f"{name}.xlsx")
        assert desktop.to_json() == cli
    elif any(f.rule == "tamper.formula" and f.cell for f in result.findings):
        # The remote engine these tests run the button on gives no formulas (Excel does): a changed
        # formula is all it cannot see; the verdict stands on what it can.
        assert written["status"] == cli["status"]
        cli["findings"] = [f for f in cli["findings"] if not (f["rule"] == "tamper.formula" and f["cell"])]
        written["counts"] = cli["counts"] = None
        assert written == cli
    else:
        assert written == cli
    # The same workbook saved as .ods, and as written before any spreadsheet recalculated it.
    if case.ods:
        assert same_findings(read_ods(files["ods"]), result)
        assert same_findings(validate_file(files["ods"]), result)
    if case.unrecalculated and not case.ops:
        assert same_findings(read_workbook(files["input"]), result)


def test_text_in_a_number_cell_is_the_error_the_template_shows(corpus):
    report, _, made = corpus
    result = read_workbook(made["number-as-text"]["xlsx"])
    (typed,) = [f for f in result.findings if f.rule == "input.not_number"]
    assert typed.cell == cell("s3_new_natural") and typed.severity.value == "error"
    assert f"“{report.values['s3_new_natural']}”是文字" in typed.message and "不参与合计" in typed.message
    assert f"请改为数字 {report.values['s3_new_natural']}" in typed.message
    # The column it sits in does not balance — in the template and in the CLI, with the same numbers —
    # and the message says which cell the sums skipped.
    balance = [f for f in result.findings if f.rule == "s3.balance"]
    assert {f.cell for f in balance} == {cell("s3_results_total_natural"), cell("s3_results_total_total")}
    assert all(f"{cell('s3_new_natural')}“{report.values['s3_new_natural']}”是文字" in f.message for f in balance)
    assert not [f for f in result.findings if f.rule.startswith("tamper.")]


def test_orange_not_a_number_wins_over_the_red_column(corpus):
    """LibreOffice's own rendering of the conditional formats: the text cell orange inside its red column."""
    colours = html_colours(corpus[2]["number-as-text"]["html"])
    assert colour_at(colours, SHEET_S3, cell("s3_new_natural")) == ORANGE
    for fid in ("s3_carried_natural", "s3_results_total_natural", "s3_next_natural"):
        assert colour_at(colours, SHEET_S3, cell(fid)) == RED, fid
    assert colour_at(colours, SHEET_S3, cell("s3_new_commercial")) not in (RED, ORANGE)


def test_a_blank_is_yellow_and_nothing_turns_red(corpus):
    colours = html_colours(corpus[2]["blank"]["html"])
    assert colour_at(colours, SHEET_S3, cell("s3_carried_research")) == YELLOW
    assert not [k for k, (bg, _) in colours[SHEET_S3].items() if (bg or "").upper() == RED]


def test_pasted_formats_lose_the_colours_not_the_verdict(corpus):
    """Pasting with formats drops the block's conditional formats and validation; the 校验 sheet still counts it."""
    files = corpus[2]["pasted-with-formats"]
    colours = html_colours(files["html"])
    assert colour_at(colours, SHEET_S3, "D10") != ORANGE  # the orange rule went with the paste
    result = read_workbook(files["xlsx"])
    assert {f.cell for f in result.findings if f.rule == "input.not_number"} == \
        {f"{c}{r}" for c in "DEFGHI" for r in (10, 11)}
    book = openpyxl.load_workbook(files["xlsx"], data_only=True)
    row = next(r for r in check_rows() if r.key == f"input.not_number.{SHEET_S3}")
    assert book[SHEET_CHECKS][f"C{row.row}"].value == 12 and book[STATUS_SHEET][STATUS_CELL].value == "不通过"


def test_manual_calculation_is_reported_and_f9_clears_it(corpus):
    """Typed with calculation set to manual: the saved totals are stale, and only then is tamper.cached reported."""
    files = corpus[2]["manual-calc"]
    stale = read_workbook(files["stale"])
    cached = [f for f in stale.findings if f.rule == "tamper.cached"]
    assert cached and all("F9" in f.message for f in cached)
    assert cell("s3_new_total") in {f.cell for f in cached}
    recalculated = read_workbook(files["xlsx"])  # the same workbook after LibreOffice recalculated it
    assert not [f for f in recalculated.findings if f.rule.startswith("tamper.")]
    assert [(f.rule, f.location, f.message) for f in stale.findings if f.rule != "tamper.cached"] == \
        [(f.rule, f.location, f.message) for f in recalculated.findings]


def test_deleted_check_sheet_is_named(corpus):
    result = read_workbook(corpus[2]["checks-deleted"]["xlsx"])
    assert any(f.sheet == SHEET_CHECKS and f.cell is None and "不见了" in f.message for f in result.findings)
    assert any(f.sheet == STATUS_SHEET and f.cell == STATUS_CELL for f in result.findings)


def test_renamed_sheet_is_read_by_position(corpus):
    report, _, made = corpus
    result = read_workbook(made["renamed"]["xlsx"])
    assert result.valid and result.status == "有警告"
    (renamed,) = result.findings
    assert renamed.rule == "sheet.renamed" and RENAMED in renamed.message and SHEET_S3 in renamed.message
    assert result.report.values["s3_new_natural"] == report.values["s3_new_natural"]


def test_xls_saved_by_libreoffice_is_refused_with_what_to_do(corpus):
    result = validate_file(corpus[2]["clean"]["xls"])
    assert result.exit_code == 2
    assert "Excel 97-2003" in result.read_error and "另存为" in result.read_error and ".xlsx" in result.read_error


def test_ods_is_a_first_class_input(corpus, tmp_path):
    """The .ods LibreOffice saved: identity and every input cell read, formulas checked, counted by compile."""
    report, _, made = corpus
    ods = made["clean"]["ods"]
    result = read_ods(ods)
    assert result.valid and result.findings == [] and result.template_version == 1
    for f in FORM.inputs:
        assert result.report.values[f.id] == report.values.get(f.id), f.id
    renamed = tmp_path / "改了扩展名.xlsx"  # an .ods renamed .xlsx is read as what it is
    renamed.write_bytes(ods.read_bytes())
    assert same_findings(validate_file(renamed), result) and validate_file(renamed).valid
    inbox = tmp_path / "收到的"
    inbox.mkdir()
    (inbox / f"{report.agency}.ods").write_bytes(ods.read_bytes())
    names = tmp_path / "名单.csv"
    names.write_text(f"机关名称\n{report.agency}\n", encoding="utf-8")
    done = api.compile([str(inbox)], xlsx=tmp_path / "s.xlsx", json_path=tmp_path / "s.json",
                       expected=api.read_expected(names), jobs=1)
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert done.compilation.missing == [] and summary["counted"] == 1
    assert summary["totals"]["section3"]["s3_new_total"] == report.total("s3_new_total")
