"""The 校验 sheet and the cover's status cell: every check row and every formula the template holds.

Derived from the form definition; the template writes exactly these formulas
and the workbook reader compares a workbook's formulas with the same strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from xl_disclosure.form import (
    FORM,
    SHEET_CHECKS,
    SHEET_COVER,
    SHEET_GUIDE,
    SHEET_META,
    SHEET_OTHER,
    SHEET_OVERVIEW,
    SHEET_S2,
    SHEET_S3,
    SHEET_S4,
    STATUS_CELL,
    STATUS_SHEET,
    Equation,
    Form,
    Kind,
)
from xl_disclosure.form.cells import column_index as column_index_from_string
from xl_disclosure.form.cells import column_letter as get_column_letter
from xl_disclosure.form.formulas import quote_sheet, sum_of, total_formula

#: Sheet order of the workbook; 封面 first so the status cell is at the top of the first sheet.
SHEET_ORDER = (SHEET_COVER, SHEET_OVERVIEW, SHEET_S2, SHEET_S3, SHEET_S4, SHEET_OTHER,
               SHEET_CHECKS, SHEET_GUIDE, SHEET_META)

STATUS_PASS = "通过"
STATUS_FAIL = "不通过"
STATUS_INCOMPLETE = "未填完"


CHECK_HEADER_ROW = 2
CHECK_FIRST_ROW = 3
CHECK_COLUMNS = (("A", "规则编号", 16), ("B", "检查内容", 60), ("C", "左边数值", 12), ("D", "右边数值", 12),
                 ("E", "结果", 10), ("F", "定位（点击跳转）", 22))
EPS_DIGITS = 6


@dataclass(frozen=True)
class CheckRow:
    """One row of the 校验 sheet."""

    row: int
    rule: str
    key: str
    description: str
    left: str  # formula without '='
    right: str
    result: str
    anchor_sheet: str
    anchor_cell: str
    fields: tuple[str, ...]

    @property
    def result_cell(self) -> str:
        return f"E{self.row}"


def rects(cells: Iterable[str]) -> list[str]:
    """Fold cells into rectangular ranges: column runs first, then equal runs side by side."""
    by_col: dict[int, list[int]] = {}
    for c in cells:
        col = column_index_from_string("".join(ch for ch in c if ch.isalpha()))
        by_col.setdefault(col, []).append(int("".join(ch for ch in c if ch.isdigit())))
    runs: list[tuple[int, int, int]] = []  # (col, first_row, last_row)
    for col in sorted(by_col):
        rows = sorted(by_col[col])
        start = prev = rows[0]
        for r in rows[1:]:
            if r != prev + 1:
                runs.append((col, start, prev))
                start = r
            prev = r
        runs.append((col, start, prev))
    rects: list[list[int]] = []  # [first_col, last_col, first_row, last_row]
    for col, r1, r2 in sorted(runs, key=lambda t: (t[1], t[2], t[0])):
        for rect in rects:
            if rect[2] == r1 and rect[3] == r2 and rect[1] == col - 1:
                rect[1] = col
                break
        else:
            rects.append([col, col, r1, r2])
    out = []
    for c1, c2, r1, r2 in sorted(rects, key=lambda r: (r[2], r[0])):
        a = f"{get_column_letter(c1)}{r1}"
        b = f"{get_column_letter(c2)}{r2}"
        out.append(a if a == b else f"{a}:{b}")
    return out


def _qualified(sheet: str, ranges: list[str]) -> list[str]:
    return [f"{quote_sheet(sheet)}!{r}" for r in ranges]


def input_sheets(form: Form = FORM) -> list[str]:
    return [s for s in SHEET_ORDER if any(f.is_input for f in form.sheets.get(s, ()))]


def _blank_formula(sheet: str, form: Form) -> str:
    cells = [f.cell for f in form.sheets[sheet] if f.is_input and f.required]
    return "+".join(f"COUNTBLANK({r})" for r in _qualified(sheet, rects(cells)))


def _invalid_formula(sheet: str, form: Form) -> str:
    """Count of numeric inputs holding text, a negative number, or a fraction where a count is due."""
    numeric = [f for f in form.sheets[sheet] if f.kind in (Kind.COUNT, Kind.AMOUNT)]
    terms = []
    for r in _qualified(sheet, rects(f.cell for f in numeric)):
        terms.append(f"SUMPRODUCT(ISTEXT({r})*1)")
        terms.append(f'COUNTIF({r},"<0")')
    counts = [f for f in numeric if f.kind is Kind.COUNT]
    for r in _qualified(sheet, rects(f.cell for f in counts)):
        terms.append(f"SUMPRODUCT((IFERROR(MOD({r},1),0)<>0)*1)")
    return "+".join(terms)


def link_to(sheet: str, cell: str) -> str:
    return f"{quote_sheet(sheet)}!{cell}"


@lru_cache(maxsize=4)
def check_rows(form: Form = FORM) -> tuple[CheckRow, ...]:
    """Every row of the 校验 sheet, in order: equations, then completeness, then number checks."""
    rows: list[CheckRow] = []
    r = CHECK_FIRST_ROW
    eq: Equation
    for eq in form.equations:
        left, right = sum_of(eq.lhs, form=form), sum_of(eq.rhs, form=form)
        anchor = form.by_id[eq.anchor]
        rows.append(CheckRow(r, eq.rule, eq.key, eq.title, left, right,
                             f'IF(ROUND(C{r}-D{r},{EPS_DIGITS})=0,"{STATUS_PASS}","{STATUS_FAIL}")',
                             anchor.sheet, anchor.cell, eq.fields))
        r += 1
    for sheet in input_sheets(form):
        required = [f for f in form.sheets[sheet] if f.is_input and f.required]
        if not required:
            continue
        rows.append(CheckRow(r, "input.blank", f"input.blank.{sheet}",
                             f"{sheet}：空白的必填单元格个数（没有发生的请填 0）",
                             _blank_formula(sheet, form), "0",
                             f'IF(C{r}=0,"{STATUS_PASS}","{STATUS_INCOMPLETE}")',
                             sheet, required[0].cell, tuple(f.id for f in required)))
        r += 1
    for sheet in input_sheets(form):
        numeric = [f for f in form.sheets[sheet] if f.kind in (Kind.COUNT, Kind.AMOUNT)]
        if not numeric:
            continue
        rows.append(CheckRow(r, "input.not_number", f"input.not_number.{sheet}",
                             f"{sheet}：填了文字、负数或带小数件数的单元格个数（只能填非负数字，件数为整数）",
                             _invalid_formula(sheet, form), "0",
                             f'IF(C{r}=0,"{STATUS_PASS}","{STATUS_FAIL}")',
                             sheet, numeric[0].cell, tuple(f.id for f in numeric)))
        r += 1
    return tuple(rows)


def status_formula(form: Form = FORM) -> str:
    rows = check_rows(form)
    rng = f"{quote_sheet(SHEET_CHECKS)}!E{rows[0].row}:E{rows[-1].row}"
    return (f'IF(COUNTIF({rng},"{STATUS_FAIL}")>0,"{STATUS_FAIL}",'
            f'IF(COUNTIF({rng},"{STATUS_INCOMPLETE}")>0,"{STATUS_INCOMPLETE}","{STATUS_PASS}"))')


@lru_cache(maxsize=4)
def _formula_cells(form: Form) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for f in form.totals:
        out[(f.sheet, f.cell)] = total_formula(f, form)
    for row in check_rows(form):
        out[(SHEET_CHECKS, f"C{row.row}")] = row.left
        if row.right != "0":
            out[(SHEET_CHECKS, f"D{row.row}")] = row.right
        out[(SHEET_CHECKS, row.result_cell)] = row.result
    out[(STATUS_SHEET, STATUS_CELL)] = status_formula(form)
    return out


def formula_cells(form: Form = FORM) -> dict[tuple[str, str], str]:
    """Every formula cell the template writes: (sheet, cell) → formula text without '='."""
    return dict(_formula_cells(form))


