"""The validation core: every data rule, on typed report data, with no Excel in sight.

Workbook adapters (reader.py for files, excel.py for a live xlwings book) turn
cells into a :class:`~xl_disclosure.model.report.Report` and add what only a
workbook can show (how a cell was typed, tampered formulas); everything that
follows from the numbers and texts themselves is decided here, once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from xl_disclosure.checks.coerce import sum_value
from xl_disclosure.checks.narrative import NARRATIVE_FIELDS, check_narrative_figures, check_text_reuse
from xl_disclosure.checks.plausibility import check_deadline, check_jumps, check_plausibility
from xl_disclosure.checks.values import side_sum, side_value
from xl_disclosure.form import (
    FORM,
    MAX_AMOUNT,
    MAX_COUNT,
    NUMERIC_KINDS,
    RULES,
    S3_COLUMNS,
    S3_TOTAL_COLUMN,
    YEAR_MAX,
    YEAR_MIN,
    Equation,
    Field,
    Finding,
    Kind,
    fmt,
    placeholders,
    s3_id,
    uscc,
)
from xl_disclosure.form.checksheet import inputs_of
from xl_disclosure.model.report import Number, Report

_EPS = 1e-6


@dataclass(frozen=True)
class SheetCounts:
    """A workbook's own arithmetic: what its SUM formulas add up for every number cell and total.

    ``values`` holds every numeric input and every total: the number the workbook counts (text,
    logical values and blanks count 0, because SUM skips them), or None where SUM fails (an
    error value).  ``blank`` names the inputs left empty; ``text`` the numeric inputs whose
    content SUM skipped, with what the cell shows.  Equations on a workbook are checked on
    these values, so a finding quotes the numbers the workbook's 校验 sheet shows.
    """

    values: Mapping[str, Number | None]
    blank: frozenset[str]
    text: Mapping[str, str]

    @classmethod
    def of(cls, raw: Mapping[str, object], blank: Iterable[str], unknown: Iterable[str] = ()) -> SheetCounts:
        """From the raw value of every numeric input (as the workbook holds it); ``unknown`` names
        inputs whose value is not known (a formula's saved result is never taken), which leave
        every sum over them undecided."""
        values: dict[str, Number | None] = {}
        text: dict[str, str] = {}
        unknown = frozenset(unknown)
        for fid in _NUMBER_INPUT_IDS:
            if fid in unknown:
                values[fid] = None
                continue
            v = raw.get(fid)
            if type(v) is float or type(v) is int:
                values[fid] = v
                continue
            values[fid] = counted = sum_value(v)
            if counted == 0 and v is not None and v != "":
                text[fid] = str(v)
        for t in FORM.totals_in_order:
            acc: Number | None = 0
            for a in t.addends:
                x = values[a]
                if x is None:
                    acc = None
                    break
                acc += x  # type: ignore[operator]
            if isinstance(acc, float) and not math.isfinite(acc):
                acc = None  # the spreadsheet's SUM overflows too (#NUM!): no number, never infinity
            values[t.id] = acc
        return cls(values, frozenset(blank), text)

    def sum(self, ids: tuple[str, ...]) -> Number | None:
        acc: Number = 0
        for fid in ids:
            v = self.values[fid]
            if v is None:
                return None
            acc += v
        return acc


def validate_report(report: Report, *, prior: Report | None = None,
                    already_reported: Iterable[str] = (), today: dt.date | None = None,
                    counts: SheetCounts | None = None) -> list[Finding]:
    """Every data rule on ``report``.

    ``already_reported`` names fields an adapter has already reported as
    unreadable, so they are not reported again as blank.  ``counts`` is a
    workbook's own arithmetic (see :class:`SheetCounts`): given, equations are
    checked as the workbook's formulas check them.
    """
    skip = set(already_reported)
    findings: list[Finding] = []
    findings += check_inputs(report, skip)
    findings += check_equations(report, counts)
    findings += check_cover(report, skip, today or dt.date.today())
    findings += check_narratives(report, skip)
    findings += check_plausibility(report)
    findings += check_deadline(report)
    if prior is not None:
        findings += check_cross_year(report, prior)
    return findings


# ---------------------------------------------------------------- inputs
def check_inputs(report: Report, skip: set[str]) -> list[Finding]:
    out = []
    values = report.values
    for f in _NUMBER_INPUTS:
        v = values.get(f.id)
        if type(v) is int and 0 <= v < MAX_COUNT:
            continue  # the common case: a plausible whole number breaks no input rule
        if f.id in skip:
            continue
        if v is None:
            if f.required:
                out.append(RULES["input.blank"].finding(field=f))
            continue
        if not isinstance(v, int | float) or isinstance(v, bool):
            out.append(RULES["input.not_number"].finding(field=f, actual=str(v)))
            continue
        out += _check_number(f, v)
    return out


_NUMBER_INPUTS = tuple(f for f in FORM.inputs if f.kind in NUMERIC_KINDS)
_NUMBER_INPUT_IDS = tuple(f.id for f in _NUMBER_INPUTS)


def _check_number(f: Field, v: Number) -> list[Finding]:
    out = []
    unit = f.unit or ("件" if f.kind is Kind.COUNT else "")
    if v < 0:
        out.append(RULES["input.negative"].finding(field=f, actual=v))
    limit = MAX_COUNT if f.kind is Kind.COUNT else MAX_AMOUNT
    if abs(v) >= limit:
        out.append(RULES["input.too_large"].finding(field=f, actual=v, unit=unit, limit=limit))
    if f.kind is Kind.COUNT and isinstance(v, float) and not v.is_integer():
        out.append(RULES["input.not_integer"].finding(field=f, actual=v))
    if f.kind is Kind.AMOUNT and isinstance(v, float) and abs(round(v, f.decimals) - v) > 1e-9:
        out.append(RULES["input.precision"].finding(field=f, expected=round(v, f.decimals), actual=v, unit=unit,
                                                    decimals=f.decimals))
    return out


# ---------------------------------------------------------------- equations
def check_equations(report: Report, counts: SheetCounts | None = None) -> list[Finding]:
    """Every equation that does not hold.

    With a workbook's ``counts``, an equation is left undecided while a cell it adds up is
    blank (the 校验 sheet shows 未填完; input.blank says which), and computed as the
    workbook's SUMs compute it: text not counted, an error value leaving it undecided.
    """
    out = []
    for eq in FORM.equations:
        if counts is None:
            left, right = side_sum(report, eq.lhs), side_sum(report, eq.rhs)
        elif counts.blank and any(i in counts.blank for i in inputs_of(eq.fields)):
            continue
        else:
            left, right = counts.sum(eq.lhs), counts.sum(eq.rhs)
        if left is None or right is None or abs(left - right) < _EPS:
            continue
        out.append(_equation_finding(report, eq, left, right, counts))
    return out


def _value(report: Report, fid: str, counts: SheetCounts | None) -> Number | None:
    return side_value(report, fid) if counts is None else counts.values[fid]


def _terms(report: Report, ids: tuple[str, ...], counts: SheetCounts | None = None) -> str:
    fields = [FORM.by_id[i] for i in ids]
    # Addends of one row (a row's 总计) differ by column: name them by column, not all by the row.
    across = len({f.row_label for f in fields}) == 1 < len(fields)
    return " + ".join(f"{f.col_label if across else _short_label(f)} {fmt(_value(report, f.id, counts))}"
                      for f in fields)


def _short_label(f: Field) -> str:
    """A row's name short enough to read inside a sentence: 本年新收, （七）总计, 1.重复申请 …"""
    if f.section == "三":
        row = f.row_label.split(" ")[-1].split("（区分")[0]
        return re.sub(r"^[一二三四]、|政府信息公开申请数量$", "", row)
    return f.col_label or f.row_label


def _uncounted(eq: Equation, counts: SheetCounts | None) -> str:
    """The cells of the equation whose text the workbook's sums skip, as a message names them ("" when none)."""
    if counts is None or not counts.text:
        return ""
    cells = [FORM.by_id[i] for i in inputs_of(eq.fields) if i in counts.text]
    if not cells:
        return ""
    here = FORM.by_id[eq.anchor].sheet
    shown = "、".join(f"{'' if f.sheet == here else f.sheet + '!'}{f.cell}“{counts.text[f.id][:20]}”" for f in cells[:5])
    return shown + (f"等 {len(cells)} 格" if len(cells) > 5 else "")


def _equation_finding(report: Report, eq: Equation, left: Number, right: Number,
                      counts: SheetCounts | None = None) -> Finding:
    rule, anchor = RULES[eq.rule], FORM.by_id[eq.anchor]
    if eq.rule == "s3.balance":
        cells = _uncounted(eq, counts)
        extra = {"wording": "uncounted", "cells": cells} if cells else {}
        return rule.finding(field=anchor, expected=left, actual=right, fields=eq.fields, column=anchor.col_label,
                            lhs_terms=_terms(report, eq.lhs, counts), rhs_terms=_terms(report, eq.rhs, counts),
                            **extra)
    # A total's equation states the total on the left: expected is the sum, actual the stated total.
    # (On a workbook its totals are its own sums, so text in an addend never breaks one.)
    total = FORM.by_id[eq.lhs[0]]
    assert total.kind is Kind.TOTAL and len(eq.lhs) == 1, eq.key
    # The rule's wording decides whether the addends are listed (not for the long (七) 总计).
    terms = {"terms": _terms(report, eq.rhs, counts)} if "terms" in placeholders(rule.message) else {}
    return rule.finding(field=anchor, expected=right, actual=left, fields=eq.fields, label=total.label, **terms)


# ---------------------------------------------------------------- cover
_PHONE = re.compile(r"^[+＋]?[\d\s\-－（）()转,，、/]{7,40}$")


def check_cover(report: Report, skip: set[str], today: dt.date) -> list[Finding]:
    out = []
    for f in FORM.groups["cover"]:
        if f.id in skip:
            continue
        v = report.get(f.id)
        if v is None or (isinstance(v, str) and not v.strip()):
            if f.required:
                out.append(RULES["cover.required"].finding(field=f))
            continue
        if f.kind is Kind.YEAR:
            if not isinstance(v, int) or not (YEAR_MIN <= v <= min(YEAR_MAX, today.year)):
                out.append(RULES["cover.year"].finding(field=f, actual=v, min=YEAR_MIN, max=today.year))
        elif f.kind is Kind.USCC:
            problem = uscc.problem(str(v))
            if problem:
                out.append(RULES["cover.uscc"].finding(field=f, actual=str(v), problem=problem))
        elif f.kind is Kind.CHOICE and v not in f.choices:
            out.append(RULES["cover.choice"].finding(field=f, actual=str(v), choices="、".join(f.choices)))
        elif f.kind is Kind.PHONE and not _PHONE.match(str(v)):
            out.append(RULES["cover.phone"].finding(field=f, actual=str(v)))
        elif f.kind is Kind.DATE:
            out += _check_date(report, f, str(v), today)
    return out


def _check_date(report: Report, f: Field, v: str, today: dt.date) -> list[Finding]:
    try:
        day = dt.date.fromisoformat(v)
    except ValueError:
        return []  # the adapter already said it could not read the date
    year = report.year
    if day > today or (year is not None and day.year < year):
        if year:
            return [RULES["cover.date"].finding(field=f, actual=v, year=year)]
        return [RULES["cover.date"].finding(field=f, actual=v, wording="future")]
    return []


# ---------------------------------------------------------------- narratives
def _text(report: Report, fid: str) -> str:
    v = report.get(fid)
    return v if isinstance(v, str) else ""


def check_narratives(report: Report, skip: set[str]) -> list[Finding]:
    out = []
    for fid in NARRATIVE_FIELDS:
        f = FORM.by_id[fid]
        if f.required and fid not in skip and not _text(report, fid).strip():
            out.append(RULES["narrative.required"].finding(field=f))
    out += check_narrative_figures(report)
    out += _check_fees({i: report.number(i) for i in ("n6_fee_notices", "n6_fee_notice_amount", "n6_fee_collected")},
                       _text(report, "n6_other"))
    return out


def _check_fees(fig: dict[str, Number | None], text: str) -> list[Finding]:
    notices, amount, collected = fig["n6_fee_notices"], fig["n6_fee_notice_amount"], fig["n6_fee_collected"]
    out = []
    # A notice sent late last year can be paid this year; when the text says so, more may be collected than noticed.
    carried = bool(re.search(r"上年|上一年|去年|跨年", text))
    rule = RULES["fee.consistency"]
    if notices == 0 and amount:
        out.append(rule.finding(field=FORM.by_id["n6_fee_notice_amount"], expected=0, actual=amount,
                                fields=("n6_fee_notices", "n6_fee_notice_amount")))
    if amount is not None and collected is not None and collected > amount + _EPS and not carried:
        out.append(rule.finding(field=FORM.by_id["n6_fee_collected"], expected=amount, actual=collected,
                                fields=("n6_fee_notice_amount", "n6_fee_collected"), wording="over"))
    return out


# ---------------------------------------------------------------- cross-year
def check_cross_year(report: Report, prior: Report) -> list[Finding]:
    out = []
    if report.year is not None and prior.year is not None and prior.year != report.year - 1:
        out.append(RULES["cross_year.year"].finding(field=FORM.by_id["cover_year"], expected=report.year - 1,
                                                    actual=prior.year, year=report.year))
    for ckey, clabel in S3_COLUMNS + (S3_TOTAL_COLUMN,):
        this_id, last_id = s3_id("carried", ckey), s3_id("next", ckey)
        this, last = side_value(report, this_id), prior.total(last_id)
        if this is None or last is None or abs(this - last) < _EPS:
            continue
        out.append(RULES["cross_year.carryover"].finding(field=FORM.by_id[this_id], expected=last, actual=this,
                                                         column=clabel))
    for doc, label in (("rules", "规章"), ("normative", "行政规范性文件")):
        last = prior.number(f"s2_{doc}_effective")
        issued, repealed = report.number(f"s2_{doc}_issued"), report.number(f"s2_{doc}_repealed")
        effective = report.number(f"s2_{doc}_effective")
        if None in (last, issued, repealed, effective):
            continue
        assert last is not None and issued is not None and repealed is not None and effective is not None
        expected = last + issued - repealed
        if abs(expected - effective) > _EPS:
            out.append(RULES["cross_year.effective"].finding(
                field=FORM.by_id[f"s2_{doc}_effective"], expected=expected, actual=effective, document=label,
                last=last, issued=issued, repealed=repealed))
    out += check_text_reuse(report, prior)
    out += check_jumps(report, prior)
    return out
