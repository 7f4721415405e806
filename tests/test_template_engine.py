"""Real-engine test: fill the template, recalculate in LibreOffice, and read what the formulas computed."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest
from tests.template_helpers import recalc_with_libreoffice

from xl_disclosure.form import FORM, S3_COLUMNS, SHEET_CHECKS, STATUS_CELL, STATUS_SHEET, Kind, s3_id
from xl_disclosure.form.checksheet import check_rows
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report
from xl_disclosure.writers.template import make_workbook

pytestmark = pytest.mark.libreoffice


def _fill_by_defined_names(path: Path, values: dict) -> None:
    """Write values through the workbook's defined names (what another program would do)."""
    wb = make_workbook()
    for fid, value in values.items():
        (sheet, ref), = wb.defined_names[fid].destinations
        wb[sheet][ref.replace("$", "")].value = value
    wb.save(path)


def _inputs(report: Report) -> dict:
    return {f.id: report.values[f.id] for f in FORM.inputs if report.values.get(f.id) is not None}


def _broken_equations(report: Report) -> set[str]:
    """Equation keys that do not hold for ``report``, computed from the data model."""
    out = set()
    for eq in FORM.equations:
        left = sum(report.total(i) or 0 for i in eq.lhs)
        right = sum(report.total(i) or 0 for i in eq.rhs)
        if abs(left - right) > 1e-9:
            out.add(eq.key)
    return out


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("engine")
    rng = random.Random(2024)
    good = random_report(rng, scale=80)
    bad = Report(dict(good.values))
    col = rng.choice(S3_COLUMNS)[0]
    bad.values[s3_id("new", col)] = int(bad.values[s3_id("new", col)]) + 3  # breaks 一+二 = 三(七)+四 in one column
    messy = Report(dict(good.values))
    messy.values["s2_rules_issued"] = "5件"  # text in a count cell
    messy.values["s4_reconsideration_upheld"] = -1  # negative
    messy.values["s3_open_commercial"] = 1.5  # a fraction of an application
    blank_one = Report({k: v for k, v in good.values.items() if k != "s4_suit_after_pending"})
    cases = {"good": good, "bad": bad, "messy": messy, "incomplete": blank_one}
    files = []
    for name, report in cases.items():
        path = tmp / f"{name}.xlsx"
        _fill_by_defined_names(path, _inputs(report))
        files.append(path)
    files.append(tmp / "blank.xlsx")
    make_workbook().save(files[-1])
    out = recalc_with_libreoffice(files, tmp / "out")
    books = {p.stem: openpyxl.load_workbook(p, data_only=True) for p in out}
    return cases, books, col


def _check_results(book) -> dict[str, str]:
    ws = book[SHEET_CHECKS]
    return {row.key: ws[row.result_cell].value for row in check_rows()}


def test_totals_computed_by_the_engine(recalculated):
    cases, books, _ = recalculated
    for name in ("good", "bad"):
        report, book = cases[name], books[name]
        for f in FORM.totals:
            assert book[f.sheet][f.cell].value == report.total(f.id), (name, f.id)


def test_consistent_report_passes_every_check(recalculated):
    _, books, _ = recalculated
    results = _check_results(books["good"])
    assert set(results.values()) == {"通过"}, {k: v for k, v in results.items() if v != "通过"}
    assert books["good"][STATUS_SHEET][STATUS_CELL].value == "通过"


def test_inconsistent_report_fails_exactly_where_broken(recalculated):
    cases, books, col = recalculated
    expected = _broken_equations(cases["bad"])
    assert expected == {f"s3.balance.{col}", "s3.balance.total"}  # the model agrees on what was broken
    results = _check_results(books["bad"])
    failing = {k for k, v in results.items() if v != "通过"}
    assert failing == expected
    assert all(results[k] == "不通过" for k in failing)
    assert books["bad"][STATUS_SHEET][STATUS_CELL].value == "不通过"
    ws = books["bad"][SHEET_CHECKS]
    for row in check_rows():
        if row.key in expected:
            eq = next(e for e in FORM.equations if e.key == row.key)
            assert ws[f"C{row.row}"].value == sum(cases["bad"].total(i) for i in eq.lhs)
            assert ws[f"D{row.row}"].value == sum(cases["bad"].total(i) for i in eq.rhs)


def test_invalid_entries_fail_their_sheets(recalculated):
    _, books, _ = recalculated
    results = _check_results(books["messy"])
    failing = {k for k, v in results.items() if v == "不通过"}
    sheets = {FORM.by_id[i].sheet for i in ("s2_rules_issued", "s4_reconsideration_upheld", "s3_open_commercial")}
    assert {f"input.not_number.{s}" for s in sheets} <= failing
    assert books["messy"][STATUS_SHEET][STATUS_CELL].value == "不通过"
    counts = {row.key: books["messy"][SHEET_CHECKS][f"C{row.row}"].value for row in check_rows()}
    for s in sheets:
        assert counts[f"input.not_number.{s}"] == 1, s


def test_blank_cells_make_the_report_incomplete(recalculated):
    _, books, _ = recalculated
    results = _check_results(books["incomplete"])
    sheet = FORM.by_id["s4_suit_after_pending"].sheet
    # The blank cell's sheet is incomplete, and so is the one total it adds up: undecided, not failed.
    assert {k: v for k, v in results.items() if v != "通过"} == {f"input.blank.{sheet}": "未填完",
                                                                 "s4.total.s4_suit_after_total": "未填完"}
    assert books["incomplete"][STATUS_SHEET][STATUS_CELL].value == "未填完"
    blank = books["blank"]
    counts = {row.key: blank[SHEET_CHECKS][f"C{row.row}"].value for row in check_rows()}
    for s in {f.sheet for f in FORM.inputs if f.required}:
        required = [f for f in FORM.sheets[s] if f.is_input and f.required]
        assert counts[f"input.blank.{s}"] == len(required), s
    assert blank[STATUS_SHEET][STATUS_CELL].value == "未填完"
    assert all(blank[f.sheet][f.cell].value == 0 for f in FORM.totals if f.kind is Kind.TOTAL)
