"""What the validator reads is what a spreadsheet shows, or the file is refused (issue 18 item 1).

Every case of ``make_differential`` (tests/hostile/make_corpus.py) is a filled template changed the
way a hostile submitter would change it: a formula in an input cell whose saved result is not what
it computes, cells in foreign or ignorable namespaces, alternate content, extensions, shared and
doubled formulas, a formula kept in a comment, a hidden sheet behind a look-alike, shared-string
decoys, number formats that show another number.  One headless LibreOffice opens, recalculates
and saves them all (as .xlsx, and as HTML — the text each cell displays — where a number format is
the trick).  For every case:

* refused: exit 2 and a Chinese message naming the file and the reason;
* otherwise every input we take (no finding at it) is what LibreOffice shows in that cell, the
  agency's name and code included; a cell that shows something else than it holds is reported at
  that cell and never taken; every total we recompute is what LibreOffice computes, or its formula
  is reported as changed.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from tests.clerk_helpers import HTML_FILTER, XLSX_FILTER, html_colours, run_clerk_jobs
from tests.hostile.make_corpus import differential_report, make_differential

from xl_disclosure.api import validate_file
from xl_disclosure.checks.coerce import coerce
from xl_disclosure.form import FORM, Kind
from xl_disclosure.form.cells import column_index

pytestmark = pytest.mark.libreoffice

#: Findings that say a cell shows something else than it holds (its content is then never taken).
NOT_TAKEN = {"input.formula", "input.number_format"}
#: Refused cases where a reader without our checks (python-calamine alone) reads another value than
#: LibreOffice shows at the cell the case is about: the differential is real, not hypothetical.
READ_WRONG_WITHOUT_CHECKS = {
    "diff-foreign-namespace.xlsx": "s3_new_natural",
    "diff-ignorable-namespace.xlsx": "s3_new_natural",
    "diff-sst-foreign-entry.xlsx": "cover_agency_name",
    "diff-sst-extension.xlsx": "cover_agency_name",
}


CASE_NAMES = sorted(make_differential(Path(tempfile.mkdtemp(prefix="differential-names-"))))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("differential")
    cases = make_differential(out)
    lo = out / "lo"
    lo.mkdir()
    jobs = []
    for name, case in cases.items():
        outputs = [{"path": str(lo / name), "filter": XLSX_FILTER}]
        if "format" in case.tags:
            outputs.append({"path": str(lo / f"{name}.html"), "filter": HTML_FILTER})
        jobs.append({"src": str(out / name), "outputs": outputs, "may_fail": True})
    run_clerk_jobs(jobs)  # one LibreOffice for every case
    return out, lo, cases


def shown_by_libreoffice(lo_file: Path) -> dict[str, Any]:
    """Every form cell as LibreOffice computed and saved it (read with openpyxl, not with our reader)."""
    book = openpyxl.load_workbook(lo_file, data_only=True)
    return {f.id: book[f.sheet][f.cell].value for f in FORM.fields if f.sheet in book.sheetnames}


def _flagged(result) -> set[tuple[str, str]]:
    return {(f.sheet, f.cell) for f in result.findings if f.rule in NOT_TAKEN}


@pytest.mark.parametrize("name", CASE_NAMES)
def test_what_we_read_is_what_libreoffice_shows_or_the_file_is_refused(corpus, name):
    out, lo, cases = corpus
    case = cases[name]
    ours = validate_file(out / name, display=name)
    assert ours.exit_code in case.exit, (ours.exit_code, ours.read_error, [(f.rule, f.location) for f in ours.findings])
    if ours.exit_code == 2:
        assert ours.read_error and ours.read_error.startswith(f"{name}："), ours.read_error
        assert all(fragment in ours.read_error for fragment in case.reason), ours.read_error
        assert re.search(r"[\u4e00-\u9fff]", ours.read_error) and "意外" not in ours.read_error
        return
    for fragment in case.reason:
        assert fragment in str([(f.rule, f.cell) for f in ours.findings]), fragment
    if case.flag is not None:
        rule, sheet, cell = case.flag
        assert (rule, sheet, cell) in {(f.rule, f.sheet, f.cell) for f in ours.findings}
    assert (lo / name).exists(), "LibreOffice opens every file we read"
    shown = shown_by_libreoffice(lo / name)
    flagged = _flagged(ours)
    values = ours.report.values
    for f in FORM.inputs:
        if (f.sheet, f.cell) in flagged:
            assert values[f.id] is None, f"{f.id}: reported as not what it shows, yet read as {values[f.id]!r}"
            continue
        assert values[f.id] == coerce(f, shown[f.id]).value, (f.id, values[f.id], shown[f.id])
    # The identity comes from what is shown, or not at all.
    for fid in ("cover_agency_name", "cover_uscc"):
        assert values[fid] in (None, shown[fid]), fid
    # Every total we recompute is LibreOffice's, unless its formula was changed (and said so) or it adds a
    # cell we did not take.
    changed = {f.cell for f in ours.findings if f.rule == "tamper.formula"}
    for t in FORM.totals:
        if t.cell in changed or any((FORM.by_id[a].sheet, FORM.by_id[a].cell) in flagged for a in _inputs_of(t.id)):
            continue
        assert values[t.id] == shown[t.id], (t.id, values[t.id], shown[t.id])


def _inputs_of(fid: str) -> list[str]:
    f = FORM.by_id[fid]
    return [x for a in f.addends for x in _inputs_of(a)] if f.kind is Kind.TOTAL else [fid]


def test_a_changed_formula_is_one_libreoffice_computes_otherwise(corpus):
    """The shared formula that leaves out a column: LibreOffice's total is not the sum we recompute."""
    out, lo, _cases = corpus
    name = "diff-shared-formula-wrong.xlsx"
    ours = validate_file(out / name, display=name)
    shown = shown_by_libreoffice(lo / name)
    carried = FORM.by_id["s3_carried_total"]
    new = FORM.by_id["s3_new_total"]
    assert shown[new.id] != ours.report.values[new.id]
    assert {("tamper.formula", new.cell), ("tamper.formula", carried.cell)} <= {(f.rule, f.cell) for f in ours.findings}
    same = validate_file(out / "diff-shared-formula.xlsx", display="ok")
    assert same.findings == [] and shown_by_libreoffice(lo / "diff-shared-formula.xlsx")[carried.id] == \
        same.report.values[carried.id]


def test_each_cell_we_do_not_take_shows_something_else_in_libreoffice(corpus):
    """The differential is real: a formula's saved result is not what LibreOffice computes, and a number
    format makes LibreOffice display something else than the cell holds (its HTML export, as displayed)."""
    out, lo, cases = corpus
    report = differential_report()
    for name, case in cases.items():
        if case.flag is None or case.flag[0] not in NOT_TAKEN:
            continue
        rule, sheet, cell = case.flag
        fid = FORM.field_at(sheet, cell).id
        saved = _calamine_value(out / name, sheet, cell)
        shown = shown_by_libreoffice(lo / name)[fid]
        if rule == "input.formula":
            assert saved != shown, (name, saved, shown)
            continue
        displayed = _displayed(lo / f"{name}.html", sheet, cell)
        assert displayed != str(report.values[fid]), (name, displayed)
    for name in ("diff-format-thousands.xlsx", "diff-format-decimals.xlsx"):
        displayed = _displayed(lo / f"{name}.html", "依申请公开", FORM.by_id["s3_new_natural"].cell)
        assert float(displayed.replace(",", "")) == report.values["s3_new_natural"], (name, displayed)


def test_refused_files_would_have_been_read_wrong_without_the_checks(corpus):
    """Where a refused file opens in LibreOffice, python-calamine alone reads another value than it shows."""
    out, lo, _cases = corpus
    for name, fid in READ_WRONG_WITHOUT_CHECKS.items():
        assert validate_file(out / name, display=name).exit_code == 2
        f = FORM.by_id[fid]
        assert _calamine_value(out / name, f.sheet, f.cell) != shown_by_libreoffice(lo / name)[fid], name


def _calamine_value(path: Path, sheet: str, cell: str) -> Any:
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)
    letters = "".join(ch for ch in cell if ch.isalpha())
    r, c = int(cell[len(letters):]) - 1, column_index(letters) - 1
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


def _displayed(html: Path, sheet: str, cell: str) -> str:
    letters = "".join(ch for ch in cell if ch.isalpha())
    found = html_colours(html)[sheet].get((int(cell[len(letters):]) - 1, column_index(letters) - 1))
    return found[1] if found else ""


def test_compile_counts_none_of_them_under_any_name(corpus, tmp_path):
    """compile over every case: a file refused or showing something else is never counted, even with
    --include-invalid it never lends its numbers to the agency its stale cover names; the good ones are."""
    out, _lo, cases = corpus
    inbox = tmp_path / "收到的"
    inbox.mkdir()
    for name in cases:
        (inbox / name).write_bytes((out / name).read_bytes())
    agency = str(differential_report().values["cover_agency_name"])
    for include_invalid in (False, True):
        done = validate_compile(inbox, tmp_path / f"s{include_invalid}.xlsx", include_invalid=include_invalid)
        rows = {Path(r.file).name: r for r in done.compilation.rows}
        assert set(rows) == set(cases)
        for name, case in cases.items():
            row = rows[name]
            if case.exit == {0}:  # read as shown (all of one agency: compile counts one, the rest are duplicates)
                assert row.agency == agency and row.read_error is None, name
                continue
            assert include_invalid or not row.counted, name
            if case.flag is not None and case.flag[0] in NOT_TAKEN:
                fid = FORM.field_at(case.flag[1], case.flag[2]).id
                if fid == "cover_agency_name":
                    assert row.agency == "", (name, row.agency)  # never the stale name it saved
                if fid == "cover_uscc":
                    assert row.uscc == "", (name, row.uscc)


def validate_compile(inbox: Path, xlsx: Path, **options: Any):
    from xl_disclosure import api

    return api.compile([str(inbox)], xlsx=xlsx, jobs=1, **options)
