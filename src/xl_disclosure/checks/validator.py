"""The validation core: every data rule, on typed report data, with no Excel in sight.

Workbook adapters (reader.py for files, excel.py for a live xlwings book) turn
cells into a :class:`~xl_disclosure.model.report.Report` and add what only a
workbook can show (how a cell was typed, tampered formulas); everything that
follows from the numbers and texts themselves is decided here, once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from xl_disclosure.form import (
    FORM,
    NUMERIC_KINDS,
    S3_COLUMNS,
    S3_TOTAL_COLUMN,
    YEAR_MAX,
    YEAR_MIN,
    Equation,
    Field,
    Kind,
    Severity,
    s3_id,
    uscc,
)
from xl_disclosure.model.findings import Finding, at_field
from xl_disclosure.model.report import Number, Report

MAX_COUNT = 10**8  # no body handles a hundred million of anything in a year
MAX_AMOUNT = 10**9
_EPS = 1e-6


def fmt(v: Number | None) -> str:
    if v is None:
        return "（空）"
    if abs(v) >= 1e15:
        return f"{v:.6g}"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)


def validate_report(report: Report, *, prior: Report | None = None,
                    already_reported: Iterable[str] = (), today: dt.date | None = None) -> list[Finding]:
    """Every data rule on ``report``.

    ``already_reported`` names fields an adapter has already reported as
    unreadable, so they are not reported again as blank.
    """
    skip = set(already_reported)
    findings: list[Finding] = []
    findings += check_inputs(report, skip)
    findings += check_equations(report)
    findings += check_cover(report, skip, today or dt.date.today())
    findings += check_narratives(report, skip)
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
                out.append(at_field("input.blank", f.id,
                                    f"{f.label}：未填写。没有发生的请填 0，不要留空。", expected="数字", actual=None))
            continue
        if not isinstance(v, int | float) or isinstance(v, bool):
            out.append(at_field("input.not_number", f.id, f"{f.label}：“{v}”不是数字，请只填阿拉伯数字。",
                                expected="数字", actual=str(v)))
            continue
        out += _check_number(f, v)
    return out


_NUMBER_INPUTS = tuple(f for f in FORM.inputs if f.kind in NUMERIC_KINDS)


def _check_number(f: Field, v: Number) -> list[Finding]:
    out = []
    unit = f.unit or ("件" if f.kind is Kind.COUNT else "")
    if v < 0:
        out.append(at_field("input.negative", f.id, f"{f.label}：不能为负数（填的是 {fmt(v)}）。请填 0 或正数。",
                            expected="≥ 0", actual=v))
    limit = MAX_COUNT if f.kind is Kind.COUNT else MAX_AMOUNT
    if abs(v) >= limit:
        out.append(at_field("input.too_large", f.id,
                            f"{f.label}：{fmt(v)} {unit}大得不合常理，请核对是否多输了数字或填错了单位。",
                            expected=f"< {limit}", actual=v))
    if f.kind is Kind.COUNT and isinstance(v, float) and not v.is_integer():
        out.append(at_field("input.not_integer", f.id, f"{f.label}：件数必须是整数（填的是 {fmt(v)}）。",
                            expected="整数", actual=v))
    if f.kind is Kind.AMOUNT and isinstance(v, float) and abs(round(v, f.decimals) - v) > 1e-9:
        out.append(at_field("input.precision", f.id,
                            f"{f.label}：金额以{unit}为单位，最多保留 {f.decimals} 位小数（填的是 {fmt(v)}），"
                            f"请核对单位并四舍五入。", expected=round(v, f.decimals), actual=v))
    return out


# ---------------------------------------------------------------- equations
def side_value(report: Report, fid: str) -> Number | None:
    """A value on one side of an equation: the stated value where given, else recomputed."""
    v = report.values.get(fid)
    if type(v) is int or type(v) is float:
        return v
    return report.total(fid)


def _sum(report: Report, ids: tuple[str, ...]) -> Number | None:
    acc: Number = 0
    for fid in ids:
        v = side_value(report, fid)
        if v is None:
            return None
        acc += v
    return acc


def check_equations(report: Report) -> list[Finding]:
    out = []
    for eq in FORM.equations:
        left, right = _sum(report, eq.lhs), _sum(report, eq.rhs)
        if left is None or right is None or abs(left - right) < _EPS:
            continue
        # A total's equation states the total on the left: expected is the sum, actual the stated total.
        is_total = len(eq.lhs) == 1 and FORM.by_id[eq.lhs[0]].kind is Kind.TOTAL
        expected, actual = (right, left) if is_total else (left, right)
        out.append(at_field(eq.rule, eq.anchor, _equation_message(report, eq, left, right),
                            severity=eq.severity, expected=expected, actual=actual, fields=eq.fields))
    return out


def _terms(report: Report, ids: tuple[str, ...]) -> str:
    return " + ".join(f"{_short_label(FORM.by_id[i])} {fmt(side_value(report, i))}" for i in ids)


def _short_label(f: Field) -> str:
    """A row's name short enough to read inside a sentence: 本年新收, （七）总计, 1.重复申请 …"""
    if f.section == "三":
        row = f.row_label.split(" ")[-1].split("（区分")[0]
        return re.sub(r"^[一二三四]、|政府信息公开申请数量$", "", row)
    return f.col_label or f.row_label


def _equation_message(report: Report, eq: Equation, left: Number, right: Number) -> str:
    diff = fmt(abs(left - right))
    if eq.rule == "s3.balance":
        col = FORM.by_id[eq.anchor].col_label
        return (f"依申请公开表“{col}”列不平衡：第一项加第二项 = {_terms(report, eq.lhs)} = {fmt(left)}，"
                f"第三项（七）总计加第四项 = {_terms(report, eq.rhs)} = {fmt(right)}，相差 {diff}。"
                f"请核对本列的新收、结转和办理结果各项数字。")
    total = FORM.by_id[eq.lhs[0]]
    parts = f"各项之和为 {fmt(right)}" if len(eq.rhs) > 8 else f"{_terms(report, eq.rhs)} = {fmt(right)}"
    return (f"{total.label}：总计应为 {fmt(right)}（{parts}），实际为 {fmt(left)}，相差 {diff}。"
            f"请核对总计或各分项。")


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
                out.append(at_field("cover.required", f.id, f"封面“{f.row_label}”未填写，请填写。",
                                    expected="必填", actual=None))
            continue
        if f.kind is Kind.YEAR:
            if not isinstance(v, int) or not (YEAR_MIN <= v <= min(YEAR_MAX, today.year)):
                out.append(at_field("cover.year", f.id,
                                    f"报告年度 {v} 不合理：应在 {YEAR_MIN} 年至 {today.year} 年之间"
                                    f"（本格式适用于 2021 年及以后的报告）。",
                                    expected=f"{YEAR_MIN}–{today.year}", actual=v))
        elif f.kind is Kind.USCC:
            problem = uscc.problem(str(v))
            if problem:
                out.append(at_field("cover.uscc", f.id, f"统一社会信用代码“{v}”{problem}。", expected="18 位有效代码",
                                    actual=str(v)))
        elif f.kind is Kind.CHOICE and v not in f.choices:
            out.append(at_field("cover.choice", f.id,
                                f"“{f.row_label}”填的是“{v}”，请从下拉列表中选择：{'、'.join(f.choices)}。",
                                expected="列表中的一项", actual=str(v)))
        elif f.kind is Kind.PHONE and not _PHONE.match(str(v)):
            out.append(at_field("cover.phone", f.id, f"联系电话“{v}”格式可疑，请填写座机（如 0379-12345678）或手机号码。",
                                expected="电话号码", actual=str(v)))
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
        when = f"不应早于报告年度 {year} 年，也不应晚于今天" if year else "不应晚于今天"
        return [at_field("cover.date", f.id, f"填报日期 {v} 不合理：{when}。", expected="合理日期", actual=v)]
    return []


# ---------------------------------------------------------------- narratives
_NO_APPLICATIONS = re.compile(r"(未|没有|无)(收到|受理|接到|接收)[^。；;]{0,12}?申请|申请(数量|件数)?为\s*(0|零)")
_NO_FEE = re.compile(r"(未|没有|无|不)(收取|产生|发生|收)[^。；;]{0,16}?(信息处理费|处理费|费用)")
_NO_APPEALS = re.compile(r"(未|没有|无)(发生|收到|出现|涉及)[^。；;]{0,12}?(行政复议|行政诉讼)")
_NARRATIVE_FIELDS = ("n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight",
                     "n5_problems", "n6_other")


def _text(report: Report, fid: str) -> str:
    v = report.get(fid)
    return v if isinstance(v, str) else ""


def check_narratives(report: Report, skip: set[str]) -> list[Finding]:
    out = []
    for fid in _NARRATIVE_FIELDS:
        f = FORM.by_id[fid]
        if f.required and fid not in skip and not _text(report, fid).strip():
            out.append(at_field("narrative.required", fid, f"“{f.row_label}”未填写。请如实叙述；确实没有可写内容的，写明“无”。",
                                expected="必填", actual=None))
    new_total = report.total(s3_id("new", S3_TOTAL_COLUMN[0]))
    for fid in ("n1_on_request", *_NARRATIVE_FIELDS):
        m = _NO_APPLICATIONS.search(_text(report, fid))
        if m and new_total:
            out.append(at_field("narrative.contradiction", fid,
                                f"“{FORM.by_id[fid].row_label}”写有“{m.group(0)}”，但表三本年新收申请总计为 {fmt(new_total)} 件，"
                                f"请核对文字或表格。", expected=0, actual=new_total,
                                fields=(fid, s3_id("new", S3_TOTAL_COLUMN[0]))))
            break
    fee_ids = ("n6_fee_notices", "n6_fee_notice_amount", "n6_fee_collected")
    fee_figures = {i: report.number(i) for i in fee_ids}
    m = _NO_FEE.search(_text(report, "n6_other"))
    charged = [i for i, v in fee_figures.items() if v]
    if m and charged:
        shown = "，".join(f"{FORM.by_id[i].row_label.split(' · ')[-1]} {fmt(fee_figures[i])}" for i in charged)
        out.append(at_field("narrative.contradiction", "n6_other",
                            f"第六部分写有“{m.group(0)}”，但信息处理费数字不为 0（{shown}），请核对文字或数字。",
                            expected=0, actual=fee_figures[charged[0]], fields=("n6_other", *charged)))
    out += _check_fees(fee_figures)
    appeals = sum(v for f in FORM.totals if f.section == "四" and (v := report.total(f.id)) is not None)
    for fid in _NARRATIVE_FIELDS:
        m = _NO_APPEALS.search(_text(report, fid))
        if m and appeals:
            out.append(at_field("narrative.contradiction", fid,
                                f"“{FORM.by_id[fid].row_label}”写有“{m.group(0)}”，但表四复议诉讼总计为 {fmt(appeals)} 件，"
                                f"请核对文字或表格。", expected=0, actual=appeals))
            break
    return out


def _check_fees(fig: dict[str, Number | None]) -> list[Finding]:
    notices, amount, collected = fig["n6_fee_notices"], fig["n6_fee_notice_amount"], fig["n6_fee_collected"]
    out = []
    if notices == 0 and amount:
        out.append(at_field("fee.consistency", "n6_fee_notice_amount",
                            f"未发出收费通知（0 件），但收费通知总金额为 {fmt(amount)} 元，请核对。",
                            expected=0, actual=amount, fields=("n6_fee_notices", "n6_fee_notice_amount")))
    if amount is not None and collected is not None and collected > amount + _EPS:
        out.append(at_field("fee.consistency", "n6_fee_collected",
                            f"实际收取 {fmt(collected)} 元，多于收费通知总金额 {fmt(amount)} 元，请核对。",
                            expected=amount, actual=collected, fields=("n6_fee_notice_amount", "n6_fee_collected")))
    return out


# ---------------------------------------------------------------- cross-year
def check_cross_year(report: Report, prior: Report) -> list[Finding]:
    out = []
    if report.year is not None and prior.year is not None and prior.year != report.year - 1:
        out.append(at_field("cross_year.year", "cover_year",
                            f"用于衔接核对的上年报告是 {prior.year} 年度的，本报告是 {report.year} 年度，"
                            f"应使用 {report.year - 1} 年度报告。", expected=report.year - 1, actual=prior.year))
    for ckey, clabel in S3_COLUMNS + (S3_TOTAL_COLUMN,):
        this_id, last_id = s3_id("carried", ckey), s3_id("next", ckey)
        this, last = side_value(report, this_id), prior.total(last_id)
        if this is None or last is None or abs(this - last) < _EPS:
            continue
        out.append(at_field("cross_year.carryover", this_id,
                            f"“{clabel}”列上年结转 {fmt(this)} 件，但上年报告的结转下年度继续办理为 {fmt(last)} 件，"
                            f"两者应相等。请核对本年上年结转数或上年报告。",
                            expected=last, actual=this, fields=(this_id,)))
    for doc, label in (("rules", "规章"), ("normative", "行政规范性文件")):
        last = prior.number(f"s2_{doc}_effective")
        issued, repealed = report.number(f"s2_{doc}_issued"), report.number(f"s2_{doc}_repealed")
        effective = report.number(f"s2_{doc}_effective")
        if None in (last, issued, repealed, effective):
            continue
        assert last is not None and issued is not None and repealed is not None and effective is not None
        expected = last + issued - repealed
        if abs(expected - effective) > _EPS:
            out.append(at_field("cross_year.effective", f"s2_{doc}_effective",
                                f"{label}现行有效件数为 {fmt(effective)}，按上年现行有效 {fmt(last)} + 本年制发 {fmt(issued)}"
                                f" − 本年废止 {fmt(repealed)} 应为 {fmt(expected)}。如有失效、修订等情况请在文字部分说明。",
                                severity=Severity.WARNING, expected=expected, actual=effective))
    return out
