"""The generated template: structure, protection, names, validation, formulas, formatting, freshness."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.workbook.protection import hash_password
from tests.template_helpers import expand_sqref, referenced_cells, workbook_fingerprint

from xl_disclosure.form import (
    AGENCY_TYPES,
    FORM,
    S3_COLUMNS,
    S3_ROWS,
    SHEET_CHECKS,
    SHEET_COVER,
    SHEET_META,
    SHEET_S3,
    SHEET_S4,
    STATUS_CELL,
    TEMPLATE_ID,
    TEMPLATE_VERSION,
    YEAR_MAX,
    YEAR_MIN,
    Kind,
)
from xl_disclosure.form.checksheet import SHEET_ORDER, check_rows, counter_cells, formula_cells, inputs_of
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers.workbook import read_workbook
from xl_disclosure.writers.template import (
    DEFAULT_PASSWORD,
    META_CELLS,
    TemplateFiller,
    TemplateValueError,
    build_template,
    make_workbook,
    template_bytes,
)

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "templates" / "report_template.xlsx"
FORM_FIELDS = [f for f in FORM.fields if f.kind is not Kind.CHECK]


def _inputs(report) -> dict:
    return {f.id: report.values[f.id] for f in FORM.inputs if report.values.get(f.id) is not None}


def test_sheets_and_identity(wb):
    assert wb.sheetnames == list(SHEET_ORDER)
    assert wb.sheetnames[0] == SHEET_COVER
    meta = wb[SHEET_META]
    assert meta.sheet_state == "veryHidden"
    assert all(wb[s].sheet_state == "visible" for s in SHEET_ORDER if s != SHEET_META)
    values = {key: meta[cell].value for key, cell in META_CELLS.items()}
    assert values["template_id"] == TEMPLATE_ID
    assert int(values["template_version"]) == TEMPLATE_VERSION
    assert values["form_version"] == "2021"
    assert str(values["generator"]).startswith("xl-disclosure ")
    for key, cell in META_CELLS.items():  # key beside its value, as the reader expects
        assert meta[f"A{cell[1:]}"].value == key
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props == {k: str(v) for k, v in values.items()}


def test_every_sheet_and_structure_protected(wb):
    expected = hash_password(DEFAULT_PASSWORD)
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert ws.protection.password == expected, ws.title
    assert wb.security.lockStructure
    assert wb.security.workbookPassword == expected


def test_password_option(tmp_path):
    path = tmp_path / "p.xlsx"
    build_template(path, password="另一个密码2025")
    book = openpyxl.load_workbook(path)
    assert all(ws.protection.password == hash_password("另一个密码2025") for ws in book.worksheets)
    assert book.security.workbookPassword == hash_password("另一个密码2025")
    guide = "\n".join(str(c.value) for c in book["填报说明"]["A"] if c.value)
    assert "另一个密码2025" in guide and DEFAULT_PASSWORD not in guide


def test_only_input_cells_unlocked(wb):
    for ws in wb.worksheets:
        inputs = {f.cell for f in FORM.sheets.get(ws.title, ()) if f.is_input}
        unlocked = {c.coordinate for row in ws.iter_rows() for c in row
                    if not isinstance(c, MergedCell) and not c.protection.locked}
        assert unlocked == inputs, ws.title
    for f in FORM.totals:
        assert wb[f.sheet][f.cell].protection.locked


def test_defined_names_point_to_fields(wb):
    names = dict(wb.defined_names.items())
    assert set(names) == {f.id for f in FORM_FIELDS}
    for f in FORM_FIELDS:
        dests = list(names[f.id].destinations)
        assert len(dests) == 1
        sheet, ref = dests[0]
        assert (sheet, ref.replace("$", "")) == (f.sheet, f.cell), f.id


def test_data_validation_covers_every_input(wb):
    for ws in wb.worksheets:
        seen: dict[str, object] = {}
        for dv in ws.data_validations.dataValidation:
            for cell in expand_sqref(dv.sqref):
                assert cell not in seen, f"{ws.title}!{cell} has two validations"
                seen[cell] = dv
        inputs = [f for f in FORM.sheets.get(ws.title, ()) if f.is_input]
        assert set(seen) == {f.cell for f in inputs}, ws.title
        for f in inputs:
            dv = seen[f.cell]
            assert dv.showErrorMessage and dv.showInputMessage
            assert re.search(r"[\u4e00-\u9fff]", dv.prompt or "") and re.search(r"[\u4e00-\u9fff]", dv.error or "")
            if f.kind is Kind.COUNT:
                assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0"), f.id
            elif f.kind is Kind.AMOUNT:
                assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0"), f.id
            elif f.kind is Kind.YEAR:
                assert (dv.type, dv.formula1, dv.formula2) == ("whole", str(YEAR_MIN), str(YEAR_MAX))
            elif f.kind is Kind.USCC:
                assert (dv.type, dv.operator, dv.formula1) == ("textLength", "equal", "18")
            elif f.kind is Kind.CHOICE:
                assert dv.type == "list"
                assert dv.formula1.strip('"').split(",") == list(AGENCY_TYPES)
            elif f.kind is Kind.DATE:
                assert dv.type == "date"
            else:
                assert dv.type == "textLength", f.id


def test_every_total_is_a_formula_over_its_addends(wb):
    for f in FORM.totals:
        value = wb[f.sheet][f.cell].value
        assert isinstance(value, str) and value.startswith("=SUM("), f.id
        refs = referenced_cells(value[1:], f.sheet)
        assert refs == {(FORM.by_id[a].sheet, FORM.by_id[a].cell) for a in f.addends}, f.id


def test_formula_cells_are_exactly_the_workbook_formulas(wb):
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    found[(ws.title, c.coordinate)] = c.value[1:]
    # the reader checks the cells that decide something; the 字数 counters beside the narratives are display only
    assert found == formula_cells() | counter_cells()
    assert not formula_cells().keys() & counter_cells().keys()


def test_checks_sheet_lists_every_equation_with_link(wb):
    ws = wb[SHEET_CHECKS]
    rows = {row.key: row for row in check_rows()}
    for eq in FORM.equations:
        row = rows[eq.key]
        assert ws[f"A{row.row}"].value == eq.rule
        assert ws[f"B{row.row}"].value == eq.title
        left = referenced_cells(ws[f"C{row.row}"].value[1:], SHEET_CHECKS)
        right = referenced_cells(ws[f"D{row.row}"].value[1:], SHEET_CHECKS)
        assert left == {(FORM.by_id[i].sheet, FORM.by_id[i].cell) for i in eq.lhs}
        assert right == {(FORM.by_id[i].sheet, FORM.by_id[i].cell) for i in eq.rhs}
        link = ws[f"F{row.row}"].hyperlink
        anchor = FORM.by_id[eq.anchor]
        assert link is not None and link.location == f"'{anchor.sheet}'!{anchor.cell}"
    blank_rows = [r for r in check_rows() if r.rule == "input.blank"]
    assert {r.anchor_sheet for r in blank_rows} == {f.sheet for f in FORM.inputs if f.required}
    assert all(r.rule in FORM.rules for r in check_rows())
    status = wb[SHEET_COVER][STATUS_CELL].value
    assert status.startswith("=") and SHEET_CHECKS in status


def test_conditional_formatting_for_every_equation(wb):
    for eq in FORM.equations:
        cells = {FORM.by_id[i].cell for i in eq.fields}
        sheet = FORM.by_id[eq.anchor].sheet
        depends = cells | {FORM.by_id[i].cell for i in inputs_of(eq.fields)}  # blanks leave it undecided
        matches = []
        for rng in wb[sheet].conditional_formatting:
            for rule in rng.rules:
                if not rule.formula or expand_sqref(rng.sqref) != cells:
                    continue
                refs = referenced_cells(rule.formula[0], sheet)
                if refs == {(sheet, c) for c in depends}:
                    matches.append(rule)
        assert matches, f"no conditional format for {eq.key}"
        assert matches[0].dxf.fill is not None
        assert matches[0].formula[0].startswith("AND(COUNTBLANK(")


def _cf_rules(ws):
    return [(expand_sqref(rng.sqref), rule) for rng in ws.conditional_formatting for rule in rng.rules]


def test_invalid_and_blank_inputs_highlighted(wb):
    for sheet in {f.sheet for f in FORM.inputs}:
        covered_invalid: set[str] = set()
        covered_blank: set[str] = set()
        for cells, rule in _cf_rules(wb[sheet]):
            text = rule.formula[0] if rule.formula else ""
            if text.startswith("IF(ISNUMBER(") and "ISERROR(" in text:
                covered_invalid |= cells
            if text.startswith("LEN(") and text.endswith("=0"):
                covered_blank |= cells
        numeric = {f.cell for f in FORM.sheets[sheet] if f.kind in (Kind.COUNT, Kind.AMOUNT)}
        required = {f.cell for f in FORM.sheets[sheet] if f.is_input and f.required}
        assert covered_invalid == numeric, sheet
        assert covered_blank == required, sheet


def test_not_a_number_colour_wins_over_the_red_column(wb):
    """On a cell holding text the orange rule comes first and stops: the red of its column does not hide it."""
    for sheet in {f.sheet for f in FORM.inputs if f.kind in (Kind.COUNT, Kind.AMOUNT)}:
        rules = _cf_rules(wb[sheet])
        for f in FORM.sheets[sheet]:
            if f.kind not in (Kind.COUNT, Kind.AMOUNT):
                continue
            mine = sorted((r for cells, r in rules if f.cell in cells), key=lambda r: r.priority)
            assert mine[0].formula[0].startswith("IF(ISNUMBER(") and mine[0].stopIfTrue, (sheet, f.cell)
            assert mine[0].dxf.fill.bgColor.rgb.endswith("FFC000")


def test_official_headers(wb):
    s3 = wb[SHEET_S3]
    merged = {str(r) for r in s3.merged_cells.ranges}
    assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5", "A8:A29"} <= merged
    assert s3["A3"].value.startswith("（本列数据的勾稽关系为")
    assert s3["D3"].value == "申请人情况" and s3["D4"].value == "自然人" and s3["J4"].value == "总计"
    assert s3["E4"].value == "法人或其他组织"
    assert [s3[f"{c}5"].value for c in "EFGHI"] == [label for _, label in S3_COLUMNS[1:]]
    assert s3["A8"].value == "三、本年度办理结果"
    for row in S3_ROWS:
        r = 6 + S3_ROWS.index(row)
        if row.level1 != "三、本年度办理结果":
            assert s3[f"A{r}"].value == row.level1 and f"A{r}:C{r}" in merged
        elif row.level3:
            assert s3[f"C{r}"].value == row.level3
        else:
            assert s3[f"B{r}"].value == row.level2 and f"B{r}:C{r}" in merged
    assert {"B10:B17", "B18:B20", "B21:B25", "B26:B28"} <= merged
    s4 = wb[SHEET_S4]
    merged4 = {str(r) for r in s4.merged_cells.ranges}
    # as printed in the format: 行政复议's five results right under it, two rows high
    assert {"A3:E3", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F3:O3", "F4:J4", "K4:O4"} <= merged4
    assert (s4["A3"].value, s4["F3"].value, s4["F4"].value, s4["K4"].value) == (
        "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [s4[f"{c}4"].value for c in "ABCDE"] == results
    assert [s4[f"{c}5"].value for c in "FGHIJKLMNO"] == results * 2


def test_print_ready(wb):
    for ws in wb.worksheets:
        if ws.title == SHEET_META:
            continue
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert wb[SHEET_S3].print_title_rows.replace("$", "") == "3:5"
    assert wb[SHEET_S4].print_title_rows.replace("$", "") == "3:5"
    assert wb[SHEET_S3].page_setup.orientation == "landscape"
    fonts = {c.font.name for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if not isinstance(c, MergedCell) and c.value is not None and ws.title != SHEET_META}
    assert fonts <= {"宋体", "仿宋", "黑体"}
    # what an empty cell, the column widths and the Normal style use: 宋体, not Calibri
    assert wb._fonts[0].name == "宋体" and wb._fonts[0].charset == 134


def test_prefilled_values_and_text_that_looks_like_a_formula(tmp_path):
    path = tmp_path / "pre.xlsx"
    build_template(path, year=2024, agency="=HYPERLINK(\"http://x\")", code="91410300MA44XYZ12A",
                   agency_type="街道办事处", values={"s3_new_natural": 3, "cover_date": "2025-01-15"})
    book = openpyxl.load_workbook(path)
    cover = book[SHEET_COVER]
    assert cover["B5"].data_type == "s" and cover["B5"].value == "=HYPERLINK(\"http://x\")"
    assert cover["B8"].value == 2024
    assert book[SHEET_S3]["D6"].value == 3
    assert cover[FORM.by_id["cover_date"].cell].value == dt.datetime(2025, 1, 15)
    result = read_workbook(path)
    assert result.report.values["cover_agency_name"] == "=HYPERLINK(\"http://x\")"
    assert result.report.values["cover_date"] == "2025-01-15"


def test_bad_prefill_rejected():
    with pytest.raises(TemplateValueError):
        make_workbook(values={"s3_new_total": 5})
    with pytest.raises(TemplateValueError):
        make_workbook(values={"no_such_field": 1})
    with pytest.raises(TemplateValueError):
        make_workbook(values={"s2_fees_amount": float("nan")})


def test_filled_template_reads_back_exactly(tmp_path):
    report = random_report(random.Random(11))
    path = tmp_path / "filled.xlsx"
    build_template(path, values=_inputs(report))
    result = read_workbook(path)
    assert result.readable and result.valid, [f.message for f in result.findings]
    assert result.report.to_json() == report.to_json()


def test_fast_filler_gives_the_same_workbook(tmp_path):
    report = random_report(random.Random(5))
    values = _inputs(report)
    values["cover_agency_name"] = "某局 <&> \"引号\"  "
    values["n1_proactive"] = "第一行\n第二行"
    fast = TemplateFiller().fill(values)
    slow = template_bytes(values=values)
    assert workbook_fingerprint(io.BytesIO(fast)) == workbook_fingerprint(io.BytesIO(slow))
    (tmp_path / "fast.xlsx").write_bytes(fast)
    result = read_workbook(tmp_path / "fast.xlsx")
    assert result.report.values["n1_proactive"] == "第一行\n第二行"
    assert result.report.values["s3_new_natural"] == report.values["s3_new_natural"]


def test_committed_template_is_fresh():
    assert COMMITTED.exists(), "run: xl-disclosure template -o templates/report_template.xlsx"
    committed = workbook_fingerprint(COMMITTED)
    fresh = workbook_fingerprint(io.BytesIO(template_bytes()))
    assert committed == fresh, "templates/report_template.xlsx is stale; regenerate it with the template command"


def test_fingerprint_notices_a_change(tmp_path):
    book = make_workbook()
    book[SHEET_S3]["J6"].value = "=SUM(D6:H6)"
    buf = io.BytesIO()
    book.save(buf)
    assert workbook_fingerprint(buf) != workbook_fingerprint(io.BytesIO(template_bytes()))
