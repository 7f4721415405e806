"""One layout of tables 二, 三 and 四, and every writer and the parser following it.

The proof: a copy of the form definition with one hypothetical row added to
table 三 (a sixth （五）不予处理 item) and one hypothetical applicant column (a
sixth kind of organisation) is given to the template, the summary workbook,
the renderer and the parser — and each of them follows with no other change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import get_column_letter
from tests.render_helpers import html_grids
from tests.template_helpers import expand_sqref, recalc_with_libreoffice, referenced_cells

from xl_disclosure.form import (
    DEFINITION,
    FORM,
    S3_ORG_HEADER,
    S3_RESULTS_LABEL,
    SHEET_CHECKS,
    SHEET_S3,
    STATUS_CELL,
    STATUS_SHEET,
    Kind,
    S3Row,
    s3_id,
)
from xl_disclosure.form.checksheet import check_rows
from xl_disclosure.form.formulas import total_formula
from xl_disclosure.form.layout import LAYOUT, Layout, Role, TableLayout, build_layout
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report
from xl_disclosure.model.summary import Compilation
from xl_disclosure.readers.published import parse_docx, parse_html, parse_text
from xl_disclosure.writers.render import render_report
from xl_disclosure.writers.summary_xlsx import write_summary_xlsx
from xl_disclosure.writers.template import build_template, fill_values

NEW_ROW = S3Row("reject_abroad", S3_RESULTS_LABEL, "（五）不予处理", "6.要求提供境外机构保存的信息")
NEW_COLUMN = ("foreign", "境外组织")


def _with_new_row_and_column() -> Layout:
    """The definition with NEW_ROW after the last （五） item and NEW_COLUMN as a sixth kind of organisation."""
    rows = list(DEFINITION.s3_rows)
    rows.insert(max(i for i, r in enumerate(rows) if r.level2 == NEW_ROW.level2) + 1, NEW_ROW)
    definition = replace(DEFINITION, s3_rows=tuple(rows), s3_columns=DEFINITION.s3_columns + (NEW_COLUMN,),
                         s3_org_columns=DEFINITION.s3_org_columns + (NEW_COLUMN[0],))
    return build_layout(definition)


WIDER = _with_new_row_and_column()
NEW_CELLS = [s3_id(NEW_ROW.key, c) for c, _ in WIDER.definition.s3_columns] + [
    s3_id(r.key, NEW_COLUMN[0]) for r in WIDER.definition.s3_rows if not r.computed]


def report_for(layout: Layout, seed: int) -> Report:
    """A random report of ``layout``'s form in which every rule holds; the new row and column are never empty."""
    rng = random.Random(seed)
    values = dict(random_report(rng).values)
    d = layout.definition
    results = [r.key for r in d.s3_rows if r.level1 == S3_RESULTS_LABEL and not r.computed]
    for ckey, _ in d.s3_columns:
        handled = {k: rng.randint(1 if NEW_COLUMN[0] == ckey or k == NEW_ROW.key else 0, 40) for k in results}
        nxt = rng.randint(1, 30)
        carried = rng.randint(1, sum(handled.values()) + nxt)
        values.update({s3_id(k, ckey): n for k, n in handled.items()})
        values.update({s3_id("next", ckey): nxt, s3_id("carried", ckey): carried,
                       s3_id("new", ckey): sum(handled.values()) + nxt - carried})
    return Report(values)


def table_numbers(report: Report, layout: Layout) -> dict[str, int | float | None]:
    """Every number of tables 二, 三 and 四 as printed: inputs as given, totals recomputed."""
    return {f.id: report.total(f.id, layout.form) for f in layout.form.fields if f.section in ("二", "三", "四")}


# ---------------------------------------------------------------------------
# The layout itself
# ---------------------------------------------------------------------------

def _header(table: TableLayout, text: str) -> list:
    return [c for c in table.header_cells() if c.text == text]


def test_table_three_as_printed_in_the_format():
    s3 = LAYOUT.s3
    (corner,) = [c for c in s3.header_cells() if c.role is Role.NOTE]
    assert (corner.row, corner.col, corner.rowspan, corner.colspan) == (0, 0, 3, 3)
    (applicants,) = _header(s3, "申请人情况")
    assert (applicants.col, applicants.colspan) == (3, 7)  # over the six applicant columns and 总计
    (orgs,) = _header(s3, S3_ORG_HEADER)
    assert (orgs.row, orgs.col, orgs.colspan) == (1, 4, 5)  # over the five kinds of organisation
    assert [c.key for c in s3.sections[0].columns] == [k for k, _ in DEFINITION.s3_columns] + ["total"]
    labels = {c.text: c for b in s3.body() for c in b.cells if c.role is Role.ROWGROUP}
    results = [r for r in DEFINITION.s3_rows if r.level1 == S3_RESULTS_LABEL]
    assert labels[S3_RESULTS_LABEL].rowspan == len(results) == 22  # （一） to （七）
    assert labels["（三）不予公开"].rowspan == 8 and labels["（三）不予公开"].col == 1  # items 1–8
    assert labels["（六）其他处理"].rowspan == 3


def test_table_four_as_printed_in_the_format():
    s4 = LAYOUT.s4
    (review,) = _header(s4, "行政复议")
    (suits,) = _header(s4, "行政诉讼")
    assert (review.row, review.colspan, suits.row, suits.col, suits.colspan) == (0, 5, 0, 5, 10)
    first_results = [c for c in s4.header_cells() if c.role is Role.COLUMN and c.col < 5]
    assert {(c.row, c.rowspan) for c in first_results} == {(1, 2)}  # right under 行政复议, two rows high
    assert [c.groups for c in s4.sections[0].columns][5] == ("行政诉讼", "未经复议直接起诉")


def test_every_value_cell_is_its_fields_cell():
    for table in LAYOUT.tables:
        fields = [LAYOUT.form.by_id[v.field] for v in table.values()]
        assert sorted(f.id for f in fields) == sorted(f.id for f in FORM.fields if f.section == table.section)
        for v, f in zip(table.values(), fields, strict=True):
            assert f.sheet == table.sheet
            assert f.cell == f"{get_column_letter(table.sheet_col(v.col))}{table.sheet_row(v.row)}", v


def test_a_layout_refuses_a_form_it_does_not_fit():
    with pytest.raises(ValueError, match="表三"):
        build_layout(WIDER.definition, FORM)  # the 2021 form has neither the new row nor the new column
    apart = replace(DEFINITION, s3_org_columns=("commercial", "other"))
    with pytest.raises(ValueError, match="next to each other"):
        build_layout(apart)


def test_the_new_row_and_column_reach_the_form():
    form = WIDER.form
    assert s3_id(NEW_ROW.key, "natural") in form.by_id and s3_id("new", NEW_COLUMN[0]) in form.by_id
    assert s3_id(NEW_ROW.key, NEW_COLUMN[0]) in form.by_id[s3_id("results_total", NEW_COLUMN[0])].addends
    assert s3_id("open", NEW_COLUMN[0]) in form.by_id[s3_id("open", "total")].addends
    assert "s3.balance.foreign" in {eq.key for eq in form.equations}
    (orgs,) = _header(WIDER.s3, S3_ORG_HEADER)
    assert orgs.colspan == 6


# ---------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------

def _sheet_follows(ws, table: TableLayout) -> None:
    """Every header and label cell of ``table`` on the sheet, with its text and its merge."""
    merged = {str(r) for r in ws.merged_cells.ranges}
    for section in table.sections:
        for cell in section.cells():
            first = f"{get_column_letter(table.sheet_col(cell.col))}{table.sheet_row(cell.row)}"
            last = f"{get_column_letter(table.sheet_col(cell.last_col))}{table.sheet_row(cell.last_row)}"
            assert ws[first].value == cell.text, (table.key, first)
            if first != last:
                assert f"{first}:{last}" in merged, (table.key, first, last)


@pytest.fixture(scope="module")
def wider_template(tmp_path_factory) -> tuple[Path, Report]:
    report = report_for(WIDER, 3)
    path = tmp_path_factory.mktemp("wider") / "wider.xlsx"
    build_template(path, values=fill_values(report, WIDER.form), layout=WIDER)
    return path, report


@pytest.mark.parametrize("layout", [LAYOUT, WIDER], ids=["2021", "wider"])
def test_template_sheets_follow_the_layout(tmp_path: Path, layout: Layout):
    path = tmp_path / "t.xlsx"
    build_template(path, layout=layout)
    wb = openpyxl.load_workbook(path)
    for table in layout.tables:
        _sheet_follows(wb[table.sheet], table)
    form = layout.form
    for f in form.fields:  # a name, a formula or an unlocked input cell for every field
        (sheet, ref), = wb.defined_names[f.id].destinations
        assert (sheet, ref.replace("$", "")) == (f.sheet, f.cell)
        cell = wb[f.sheet][f.cell]
        if f.kind is Kind.TOTAL:
            assert cell.value == "=" + total_formula(f, form) and cell.protection.locked
        else:
            assert not cell.protection.locked
    checks = wb[SHEET_CHECKS]
    for row in check_rows(form):
        assert checks[f"C{row.row}"].value == "=" + row.left


def test_template_of_the_wider_form(wider_template):
    path, report = wider_template
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_S3]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # header: 申请人情况 over eight columns, 法人或其他组织 over six, the new kind last among them, 总计 after
    assert {"A1:K1", "A2:K2", "A3:C5", "D3:K3", "D4:D5", "E4:J4", "K4:K5"} <= merged
    assert (ws["J5"].value, ws["K4"].value) == (NEW_COLUMN[1], "总计")
    # the new row: after （五）5, under the （五） label, inside 三、本年度办理结果
    r = next(r for r in range(6, 40) if ws[f"C{r}"].value == NEW_ROW.level3)
    assert ws[f"C{r - 1}"].value.startswith("5.")
    assert f"B{r - 5}:B{r}" in merged and ws[f"B{r - 5}"].value == "（五）不予处理"
    assert "A8:A30" in merged and ws["A31"].value == "四、结转下年度继续办理"
    # formulas: the row's 总计 over eight columns, every （七）总计 over the new row
    assert ws[f"K{r}"].value == f"=SUM(D{r}:J{r})"
    seventh = WIDER.form.by_id[s3_id("results_total", NEW_COLUMN[0])]
    assert (SHEET_S3, f"J{r}") in referenced_cells(ws[seventh.cell].value, SHEET_S3)
    # its inputs are filled, named and checked like every other
    assert ws[f"J{r}"].value == report.values[s3_id(NEW_ROW.key, NEW_COLUMN[0])]
    validated = set().union(*(expand_sqref(dv.sqref) for dv in ws.data_validations.dataValidation))
    assert {WIDER.form.by_id[fid].cell for fid in NEW_CELLS} <= validated


@pytest.mark.libreoffice
def test_wider_template_recalculated_by_libreoffice(wider_template, tmp_path: Path):
    path, report = wider_template
    broken = Report(dict(report.values))
    broken.values[s3_id(NEW_ROW.key, NEW_COLUMN[0])] = int(broken.values[s3_id(NEW_ROW.key, NEW_COLUMN[0])]) + 3
    broken_path = tmp_path / "broken.xlsx"
    build_template(broken_path, values=fill_values(broken, WIDER.form), layout=WIDER)
    good, bad = (openpyxl.load_workbook(p, data_only=True)
                 for p in recalc_with_libreoffice([path, broken_path], tmp_path / "out"))
    for f in WIDER.form.totals:
        assert good[f.sheet][f.cell].value == report.total(f.id, WIDER.form), f.id
    assert good[STATUS_SHEET][STATUS_CELL].value == "通过"
    assert bad[STATUS_SHEET][STATUS_CELL].value == "不通过"
    rows = {row.key: row for row in check_rows(WIDER.form)}
    assert bad[SHEET_CHECKS][rows["s3.balance.foreign"].result_cell].value == "不通过"
    assert bad[SHEET_CHECKS][rows["s3.balance.natural"].result_cell].value == "通过"


# ---------------------------------------------------------------------------
# The summary workbook
# ---------------------------------------------------------------------------

@dataclass
class _Totals:
    """Regional totals as a compile leaves them (one report's numbers here)."""

    numbers: dict
    count: int = 1

    def result(self) -> dict:
        return self.numbers


def test_summary_workbook_of_the_wider_form(tmp_path: Path):
    report = report_for(WIDER, 5)
    numbers = table_numbers(report, WIDER)
    spool = tmp_path / "spool"
    spool.mkdir()
    (spool / "reports.jsonl").write_text("", encoding="utf-8")
    comp = Compilation(rows=[], totals=_Totals(numbers), year=2024, include_invalid=False,  # type: ignore[arg-type]
                       expected=None, missing=[], duplicates=[], prior=None, spool_dir=spool)
    path = tmp_path / "summary.xlsx"
    write_summary_xlsx(comp, path, layout=WIDER)
    ws = openpyxl.load_workbook(path)["汇总"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    columns = [c for c, _ in WIDER.definition.s3_columns] + ["total"]
    rows = {r[2].value: r for r in ws.iter_rows() if isinstance(r[2].value, str)}
    got = [c.value for c in rows[NEW_ROW.level3][3:3 + len(columns)]]
    assert got == [numbers[s3_id(NEW_ROW.key, c)] for c in columns]
    first = next(r[0].row for r in ws.iter_rows() if r[0].value == "一、本年新收政府信息公开申请数量")
    assert [c.value for c in ws[first][3:3 + len(columns)]] == [numbers[s3_id("new", c)] for c in columns]
    head = first - 3
    assert ws[f"D{head}"].value == "申请人情况" and f"D{head}:K{head}" in merged
    assert ws[f"E{head + 1}"].value == S3_ORG_HEADER and f"E{head + 1}:J{head + 1}" in merged
    assert (ws[f"J{head + 2}"].value, ws[f"K{head + 1}"].value) == (NEW_COLUMN[1], "总计")
    assert f"A{head - 1}:K{head - 1}" in merged  # the note as wide as the table
    detail = openpyxl.load_workbook(path)["明细"]
    assert set(NEW_CELLS) <= {c.value for c in detail[2]}


# ---------------------------------------------------------------------------
# The published report and its parser
# ---------------------------------------------------------------------------

def _parse(path: Path, layout: Layout):
    if path.suffix == ".docx":
        return parse_docx(path, layout=layout)
    text = path.read_text(encoding="utf-8")
    return parse_html(text, layout=layout) if path.suffix == ".html" else parse_text(text, layout=layout)


@pytest.mark.parametrize("suffix", [".docx", ".html", ".md"])
def test_wider_report_renders_and_parses_back(tmp_path: Path, suffix: str):
    report = report_for(WIDER, 11)
    path = render_report(report, tmp_path / f"r{suffix}", layout=WIDER)
    result = _parse(path, WIDER)
    expected = table_numbers(report, WIDER)
    assert {fid: result.report.values.get(fid) for fid in expected} == expected
    assert not set(expected) & set(result.coverage.missing)
    assert not result.warnings
    # read with the 2021 layout the same file does not give these numbers: the layout is what the parser follows
    plain = _parse(path, LAYOUT)
    assert any(plain.report.values.get(fid) != expected[fid] for fid in FORM.by_id if fid in expected)


def test_wider_report_tables_as_laid_out(tmp_path: Path):
    report = report_for(WIDER, 13)
    text = render_report(report, tmp_path / "r.html", layout=WIDER).read_text(encoding="utf-8")
    grid = html_grids(text)["table-s3"]
    assert len(grid[0]) == 3 + 8
    assert grid[1][3:] == ["自然人"] + [S3_ORG_HEADER] * 6 + ["总计"]
    assert grid[2][9] == NEW_COLUMN[1]
    row = next(r for r in grid if r[2] == NEW_ROW.level3)
    assert row[:2] == [S3_RESULTS_LABEL, "（五）不予处理"]
    assert [float(x) for x in row[3:]] == [report.total(s3_id(NEW_ROW.key, c), WIDER.form)
                                           for c in [k for k, _ in WIDER.definition.s3_columns] + ["total"]]
    md = render_report(report, tmp_path / "r.md", layout=WIDER).read_text(encoding="utf-8")
    assert f"{S3_ORG_HEADER}·{NEW_COLUMN[1]}" in md and f"（五）不予处理 {NEW_ROW.level3}" in md
