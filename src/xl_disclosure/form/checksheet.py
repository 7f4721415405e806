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
    MAX_AMOUNT,
    MAX_COUNT,
    NUMERIC_KINDS,
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
    Field,
    Form,
    Kind,
)
from xl_disclosure.form.cells import column_index as column_index_from_string
from xl_disclosure.form.cells import column_letter as get_column_letter
from xl_disclosure.form.formulas import quote_sheet, sum_of, total_formula

#: Sheet order of the workbook; 封面 first so the status cell is at the top of the first sheet.
SHEET_ORDER = (SHEET_COVER, SHEET_OVERVIEW, SHEET_S2, SHEET_S3, SHEET_S4, SHEET_OTHER,
               SHEET_CHECKS, SHEET_GUIDE, SHEET_META)
#: The sheet the 校验 button writes its findings to (after 校验; the .xlsm template carries it empty).
SHEET_RESULTS = "校验结果"
#: A cell beside the cover's status that the layout leaves empty, for the 校验 button to write its
#: own verdict into (in the same words as the status).  Locked in the plain template; the .xlsm
#: builder unlocks it.
MACRO_STATUS_CELL = "D3"
#: The default sheet-protection password (documented in docs/template.md and on 填报说明).
DEFAULT_PASSWORD = "xxgk2021"


def sheet_renames(names: Iterable[str]) -> dict[str, str]:
    """Template sheets a workbook holds under another name: {name in the workbook: template name}.

    Found by position: every sheet of the template in its place (the button's results sheet
    aside), where a name the template does not have stands in for the one it lacks.  Anything
    else — a sheet added, removed or moved — gives no renames (the workbook is then read, or
    refused, by name alone).
    """
    present = [n for n in names if n != SHEET_RESULTS]
    if len(present) != len(SHEET_ORDER):
        return {}
    out = {}
    for actual, ours in zip(present, SHEET_ORDER, strict=True):
        if actual == ours:
            continue
        if actual in SHEET_ORDER or ours in present or ours == SHEET_META:
            return {}
        out[actual] = ours
    return out


STATUS_PASS = "通过"
STATUS_FAIL = "不通过"
STATUS_INCOMPLETE = "未填完"

#: Rules whose findings mean "not filled in yet" (the 校验 sheet's 未填完); any other error is 不通过.
INCOMPLETE_RULES = frozenset({"input.blank", "cover.required", "narrative.required"})
#: What the number check of each sheet counts: every value its sums cannot take as a plausible number.
NUMBER_RULES = ("input.not_number", "input.error_value", "input.negative", "input.not_integer", "input.too_large")
#: Characters that leave a text cell blank to the eye: spaces (ASCII, full-width, no-break, en/em/thin,
#: zero-width), the byte-order mark; CLEAN() removes the control characters (tabs, line breaks) besides.
BLANK_TEXT_CHARS = " \u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"


def cover_status(error_rules: Iterable[str]) -> str:
    """The cover's verdict (通过 / 未填完 / 不通过) for a workbook whose errors have these rule ids."""
    rules = set(error_rules)
    if rules - INCOMPLETE_RULES:
        return STATUS_FAIL
    return STATUS_INCOMPLETE if rules else STATUS_PASS


CHECK_HEADER_ROW = 2
CHECK_FIRST_ROW = 3
CHECK_COLUMNS = (("A", "规则编号", 16), ("B", "检查内容", 60), ("C", "左边数值", 12), ("D", "右边数值", 12),
                 ("E", "结果", 10), ("F", "定位（点击跳转）", 22))
EPS_DIGITS = 6


@dataclass(frozen=True)
class CheckRow:
    """One row of the 校验 sheet.

    ``rules`` are the validator's rule ids this row answers for: the row fails exactly
    when the validator reports one of them on ``inputs`` (for an equation: at its anchor).
    ``inputs`` are the input cells the row depends on (an equation's totals stand for
    their addends).
    """

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
    rules: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()

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


def text_blank(ref: str) -> str:
    """TRUE (per cell) where a text cell holds nothing but spaces and line breaks; ``ref`` a cell or range."""
    inner = ref
    for ch in BLANK_TEXT_CHARS[1:]:
        inner = f'SUBSTITUTE({inner},"{ch}"," ")'
    return f"LEN(TRIM(CLEAN({inner})))=0"


def blank_count(fields: Iterable[Field], *, from_sheet: str | None = None) -> str:
    """How many of ``fields`` are blank, as the validator decides it.

    A number cell is blank when empty (COUNTBLANK: a space in it is text, not a blank);
    a text cell also when it holds only spaces or line breaks.
    """
    by_sheet: dict[str, tuple[list[str], list[str]]] = {}
    for f in fields:
        numeric, text = by_sheet.setdefault(f.sheet, ([], []))
        (numeric if f.kind in NUMERIC_KINDS else text).append(f.cell)
    terms = []
    for sheet, (numeric, text) in by_sheet.items():
        prefix = "" if sheet == from_sheet else f"{quote_sheet(sheet)}!"
        terms += [f"COUNTBLANK({prefix}{r})" for r in rects(numeric)]
        terms += [f"SUMPRODUCT(({text_blank(prefix + r)})*1)" for r in rects(text)]
    return "+".join(terms) or "0"


def _blank_formula(sheet: str, form: Form) -> str:
    return blank_count(f for f in form.sheets[sheet] if f.is_input and f.required)


def number_limit(kind: Kind) -> int:
    return MAX_COUNT if kind is Kind.COUNT else MAX_AMOUNT


def _invalid_formula(sheet: str, form: Form) -> str:
    """Problems in the number cells: text, a logical value, an error value, a negative number, a fraction
    where a count is due, or a number too large to be plausible (one term per kind of problem)."""
    numeric = [f for f in form.sheets[sheet] if f.kind in NUMERIC_KINDS]
    terms = []
    for r in _qualified(sheet, rects(f.cell for f in numeric)):
        terms.append(f"SUMPRODUCT((ISTEXT({r})+ISLOGICAL({r})+ISERROR({r}))*1)")
        terms.append(f'COUNTIF({r},"<0")')
    for kind in (Kind.COUNT, Kind.AMOUNT):
        cells = [f.cell for f in numeric if f.kind is kind]
        for r in _qualified(sheet, rects(cells)):
            terms.append(f'COUNTIF({r},">={number_limit(kind)}")')
            if kind is Kind.COUNT:
                terms.append(f"SUMPRODUCT(ISNUMBER({r})*(IFERROR(MOD({r},1),0)<>0))")
    return "+".join(terms)


def link_to(sheet: str, cell: str) -> str:
    return f"{quote_sheet(sheet)}!{cell}"


@lru_cache(maxsize=512)
def inputs_of(ids: tuple[str, ...], form: Form = FORM) -> tuple[str, ...]:
    """The input fields that ``ids`` add up to (a total stands for its addends, recursively), in form order."""
    found: set[str] = set()

    def visit(fid: str) -> None:
        f = form.by_id[fid]
        if f.kind is Kind.TOTAL:
            for a in f.addends:
                visit(a)
        else:
            found.add(fid)

    for fid in ids:
        visit(fid)
    return tuple(f.id for f in form.inputs if f.id in found)


def equation_result(eq: Equation, row: int, form: Form = FORM) -> str:
    """未填完 while any cell the equation adds up is blank; 不通过 when it cannot be computed (an error
    value in a cell) or does not hold; 通过 otherwise."""
    blank = blank_count(form.by_id[i] for i in inputs_of(eq.fields, form))
    return (f'IF({blank}>0,"{STATUS_INCOMPLETE}",IF(ISERROR(C{row}-D{row}),"{STATUS_FAIL}",'
            f'IF(ROUND(C{row}-D{row},{EPS_DIGITS})=0,"{STATUS_PASS}","{STATUS_FAIL}")))')


@lru_cache(maxsize=4)
def check_rows(form: Form = FORM) -> tuple[CheckRow, ...]:
    """Every row of the 校验 sheet, in order: equations, then completeness, then number checks, then formulas
    typed into input cells."""
    rows: list[CheckRow] = []
    r = CHECK_FIRST_ROW
    eq: Equation
    for eq in form.equations:
        left, right = sum_of(eq.lhs, form=form), sum_of(eq.rhs, form=form)
        anchor = form.by_id[eq.anchor]
        rows.append(CheckRow(r, eq.rule, eq.key, eq.title, left, right, equation_result(eq, r, form),
                             anchor.sheet, anchor.cell, eq.fields, rules=(eq.rule,),
                             inputs=inputs_of(eq.fields, form)))
        r += 1
    for sheet in input_sheets(form):
        required = [f for f in form.sheets[sheet] if f.is_input and f.required]
        if not required:
            continue
        rows.append(CheckRow(r, "input.blank", f"input.blank.{sheet}",
                             f"{sheet}：空白的必填单元格个数（没有发生的请填 0）",
                             _blank_formula(sheet, form), "0",
                             f'IF(ISERROR(C{r}),"{STATUS_FAIL}",IF(C{r}=0,"{STATUS_PASS}","{STATUS_INCOMPLETE}"))',
                             sheet, required[0].cell, tuple(f.id for f in required),
                             rules=tuple(sorted(INCOMPLETE_RULES)), inputs=tuple(f.id for f in required)))
        r += 1
    for sheet in input_sheets(form):
        numeric = [f for f in form.sheets[sheet] if f.kind in NUMERIC_KINDS]
        if not numeric:
            continue
        rows.append(CheckRow(r, "input.not_number", f"input.not_number.{sheet}",
                             f"{sheet}：数字格中的问题个数（文字、错误值、负数、带小数的件数、大得不合常理的数字；"
                             f"只能填非负数字，件数为整数）",
                             _invalid_formula(sheet, form), "0",
                             f'IF(ISERROR(C{r}),"{STATUS_FAIL}",IF(C{r}=0,"{STATUS_PASS}","{STATUS_FAIL}"))',
                             sheet, numeric[0].cell, tuple(f.id for f in numeric),
                             rules=NUMBER_RULES, inputs=tuple(f.id for f in numeric)))
        r += 1
    for sheet in input_sheets(form):
        inputs = [f for f in form.sheets[sheet] if f.is_input]
        rows.append(CheckRow(r, "input.formula", f"input.formula.{sheet}",
                             f"{sheet}：填报格中公式的个数（填报格应直接填写内容，不能是公式）",
                             _formula_count(sheet, inputs), "0",
                             f'IF(ISERROR(C{r}),"{STATUS_FAIL}",IF(C{r}=0,"{STATUS_PASS}","{STATUS_FAIL}"))',
                             sheet, inputs[0].cell, tuple(f.id for f in inputs),
                             rules=("input.formula",), inputs=tuple(f.id for f in inputs)))
        r += 1
    return tuple(rows)


def _formula_count(sheet: str, inputs: list[Field]) -> str:
    """How many of a sheet's input cells hold a formula.  ISFORMULA is an Excel 2013 function (``_xlfn.``
    in the file); in an older Excel it is #NAME?, and the count is 0 there (the validator still reports
    every formula)."""
    terms = [f"SUMPRODUCT(_xlfn.ISFORMULA({r})*1)" for r in _qualified(sheet, rects(f.cell for f in inputs))]
    return f"IFERROR({'+'.join(terms)},0)"


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


#: The column beside each narrative sheet's text that shows its character count (字数).
COUNTER_COLUMNS = {SHEET_OVERVIEW: "C", SHEET_OTHER: "D"}
COUNTER_LABEL = "字数"


def counter_cells(form: Form = FORM) -> dict[tuple[str, str], str]:
    """The 字数 cell beside every narrative: (sheet, cell) → ``LEN(cell)``.

    Display only: they decide nothing, so the reader does not check them (not in :func:`formula_cells`).
    """
    return {(f.sheet, f"{COUNTER_COLUMNS[f.sheet]}{f.row}"): f"LEN({f.cell})"
            for f in form.fields if f.kind is Kind.LONGTEXT and f.sheet in COUNTER_COLUMNS}


