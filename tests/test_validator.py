"""Every data rule, passing and failing, and the exact cell each finding points at."""

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_disclosure.checks.validator import validate_report
from xl_disclosure.form import FORM, Kind, s3_id
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, seed_report

TODAY = dt.date(2026, 11, 28)


def rules(findings):
    return sorted({f.rule for f in findings})


def only(findings, rule):
    found = [f for f in findings if f.rule == rule]
    assert found, f"expected a {rule} finding, got {rules(findings)}"
    return found


def run(report, **kw):
    return validate_report(report, today=TODAY, **kw)


@pytest.fixture
def good():
    return random_report(random.Random(7), scale=80)


def test_seed_and_random_reports_are_clean(good):
    assert run(seed_report()) == []
    assert run(good) == []


def test_balance_points_at_the_column_total(good):
    good.values[s3_id("new", "legal")] += 2
    fs = run(good)
    assert rules(fs) == ["s3.balance"]
    cells = sorted(f.cell for f in fs)
    assert cells == ["H29", "J29"]  # 法律服务机构 column and 总计 column, row (七)总计
    legal = next(f for f in fs if f.cell == "H29")
    assert legal.sheet == "依申请公开"
    assert legal.expected - legal.actual == 2
    assert "法律服务机构" in legal.message and "相差 2" in legal.message
    assert s3_id("new", "legal") in legal.fields


def test_stated_row_total_is_checked():
    r = random_report(random.Random(3)).with_totals()
    r.values["s3_open_total"] = r.values["s3_open_total"] + 1
    f = only(run(r), "s3.row_total")[0]
    assert (f.sheet, f.cell, f.field) == ("依申请公开", "J8", "s3_open_total")
    assert f.actual == f.expected + 1


def test_stated_results_total_is_checked():
    r = random_report(random.Random(4)).with_totals()
    r.values["s3_results_total_ngo"] = (r.values["s3_results_total_ngo"] or 0) + 3
    fs = run(r)
    f = only(fs, "s3.results_total")[0]
    assert f.cell == "G29"
    # the stated total also breaks the 勾稽关系 of that column
    assert any(x.rule == "s3.balance" and x.cell == "G29" for x in fs)


def test_section4_total():
    r = random_report(random.Random(5)).with_totals()
    r.values["s4_direct_suit_total"] = 99
    f = only(run(r), "s4.total")[0]
    assert (f.sheet, f.cell) == ("复议诉讼", "J6") and f.actual == 99


@pytest.mark.parametrize(
    ("value", "rule"),
    [(None, "input.blank"), (-1, "input.negative"), (2.5, "input.not_integer"), (10**9, "input.too_large"),
     ("abc", "input.not_number")],
)
def test_count_values(good, value, rule):
    good.values["s2_penalty_decisions"] = value
    f = only(run(good), rule)[0]
    assert (f.sheet, f.cell, f.field) == ("主动公开", "B12", "s2_penalty_decisions")


def test_amount_precision(good):
    good.values["s2_fees_amount"] = 1.23456
    f = only(run(good), "input.precision")[0]
    assert f.cell == "B16" and f.severity.value == "warning" and f.expected == 1.2346
    good.values["s2_fees_amount"] = 1.2345
    assert "input.precision" not in rules(run(good))


def test_blank_not_reported_twice(good):
    good.values["s3_new_natural"] = None
    assert not any(f.rule == "input.blank" for f in validate_report(good, already_reported={"s3_new_natural"}))


@pytest.mark.parametrize(
    ("field", "value", "rule", "cell"),
    [
        ("cover_agency_name", None, "cover.required", "B5"),
        ("cover_agency_name", "  ", "cover.required", "B5"),
        ("cover_uscc", "11410322MB123456", "cover.uscc", "B6"),
        ("cover_uscc", "11410322MB12345670", "cover.uscc", "B6"),
        ("cover_uscc", "11410322MB1234567I", "cover.uscc", "B6"),
        ("cover_agency_type", "居委会", "cover.choice", "B7"),
        ("cover_year", 2019, "cover.year", "B8"),
        ("cover_year", 2030, "cover.year", "B8"),
        ("cover_phone", "打电话", "cover.phone", "B10"),
        ("cover_date", "2030-01-01", "cover.date", "B11"),
    ],
)
def test_cover(good, field, value, rule, cell):
    good.values[field] = value
    f = only(run(good), rule)[0]
    assert (f.sheet, f.cell) == ("封面", cell)


def test_uscc_check_digit_message(good):
    good.values["cover_uscc"] = "91350100M000100Y44"
    f = only(run(good), "cover.uscc")[0]
    assert "应为 3" in f.message


def test_parent_is_optional(good):
    good.values["cover_parent"] = None
    assert run(good) == []


@pytest.mark.parametrize("fid", ["n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight",
                                 "n5_problems", "n6_other"])
def test_narratives_required(good, fid):
    good.values[fid] = ""
    f = only(run(good), "narrative.required")[0]
    assert f.field == fid and f.cell == FORM.by_id[fid].cell


def test_text_says_no_applications_but_table_has_some(good):
    assert (good.total("s3_new_total") or 0) > 0
    good.values["n1_on_request"] = "本年度未收到政府信息公开申请。"
    f = only(run(good), "narrative.contradiction")[0]
    assert f.field == "n1_on_request" and f.actual == good.total("s3_new_total")
    assert f.severity.value == "warning"


def test_no_applications_text_is_fine_when_none(good):
    s = seed_report()
    assert "未收到政府信息公开申请" in s.values["n1_on_request"]
    assert run(s) == []


def test_text_says_no_fee_but_fee_collected():
    r = random_report(random.Random(9), fee=True)
    assert run(r) == []
    r.values["n6_other"] = "本单位未收取信息处理费。"
    f = only(run(r), "narrative.contradiction")[0]
    assert f.field == "n6_other" and "n6_fee_collected" in f.fields


def test_fee_consistency():
    r = random_report(random.Random(9), fee=True)
    r.values["n6_fee_collected"] = r.values["n6_fee_notice_amount"] + 50
    f = only(run(r), "fee.consistency")[0]
    assert f.field == "n6_fee_collected"


def test_no_appeals_text_contradiction(good):
    good.values["s4_reconsideration_upheld"] = 2
    good.values["n1_oversight"] = "全年未发生政府信息公开行政复议案件。"
    f = only(run(good), "narrative.contradiction")[0]
    assert f.field == "n1_oversight"


def test_cross_year_carryover():
    prior = random_report(random.Random(1), year=2023)
    this = random_report(random.Random(2), year=2024)
    fs = run(this, prior=prior)
    carry = [f for f in fs if f.rule == "cross_year.carryover"]
    mismatched = [c for c, _ in (("natural", 0), ("commercial", 0), ("research", 0), ("ngo", 0), ("legal", 0),
                                 ("other", 0), ("total", 0))
                  if this.total(s3_id("carried", c)) != prior.total(s3_id("next", c))]
    assert sorted(f.field for f in carry) == sorted(s3_id("carried", c) for c in mismatched)
    # make them agree: no carry-over finding
    for c in ("natural", "commercial", "research", "ngo", "legal", "other"):
        delta = prior.total(s3_id("next", c)) - this.values[s3_id("carried", c)]
        this.values[s3_id("carried", c)] += delta
        this.values[s3_id("open", c)] += delta
    assert not [f for f in run(this, prior=prior) if f.rule.startswith("cross_year.carry")]
    assert not [f for f in run(this, prior=prior) if f.rule == "s3.balance"]


def test_cross_year_effective_and_year():
    prior = random_report(random.Random(1), year=2023)
    this = random_report(random.Random(2), year=2024)
    this.values["s2_rules_effective"] = prior.values["s2_rules_effective"] + this.values["s2_rules_issued"] \
        - this.values["s2_rules_repealed"] + 1
    f = only(run(this, prior=prior), "cross_year.effective")[0]
    assert f.field == "s2_rules_effective" and f.severity.value == "warning"
    prior.values["cover_year"] = 2021
    assert only(run(this, prior=prior), "cross_year.year")[0].expected == 2023


# ------------------------------------------------------------------ properties
S34_INPUTS = [f.id for f in FORM.inputs if f.section in ("三", "四")]


def _same_row_or_column(a: str, b: str) -> bool:
    fa, fb = FORM.by_id[a], FORM.by_id[b]
    return fa.sheet == fb.sheet and (fa.row == fb.row or fa.column == fb.column)


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_random_consistent_reports_validate_clean(seed):
    r = random_report(random.Random(seed))
    assert run(r) == []
    assert run(r.with_totals()) == []
    assert run(Report.from_json(r.to_json())) == []


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 10**6), fid=st.sampled_from(S34_INPUTS),
       change=st.sampled_from(["+1", "+7", "-1", "blank", "text"]))
def test_any_single_perturbation_is_caught(seed, fid, change):
    # Stated totals as in a submitted JSON or a published report: they no longer add up.
    r = random_report(random.Random(seed)).with_totals()
    old = r.values[fid]
    r.values[fid] = {"+1": old + 1, "+7": old + 7, "-1": old - 1, "blank": None, "text": "若干"}[change]
    fs = run(r)
    assert any(f.is_error for f in fs)
    assert any(fid in f.fields or any(_same_row_or_column(fid, x) for x in f.fields) for f in fs if f.is_error)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10**6), fid=st.sampled_from([f.id for f in FORM.inputs if f.section == "三"]),
       delta=st.integers(1, 50))
def test_perturbing_section3_breaks_its_column_balance(seed, fid, delta):
    # Totals recomputed (as from a workbook): the 勾稽关系 of the input's own column catches it.
    r = random_report(random.Random(seed))
    if FORM.by_id[fid].kind is not Kind.COUNT:
        return
    r.values[fid] += delta
    balance = [f for f in run(r) if f.rule == "s3.balance"]
    assert any(FORM.by_id[f.field].column == FORM.by_id[fid].column for f in balance)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), blanks=st.lists(st.sampled_from([f.id for f in FORM.inputs]), max_size=6),
       stated=st.lists(st.sampled_from([f.id for f in FORM.totals]), max_size=4))
def test_recomputed_totals_equal_total_one_by_one(seed, blanks, stated):
    """The one-pass recomputation agrees with Report.total, with blanks and stated (wrong) totals about."""
    report = random_report(random.Random(seed))
    for fid in blanks:
        report.values[fid] = None
    for fid in stated:
        report.values[fid] = 123_456  # a stated total is never used when recomputing
    once = report.recomputed_totals()
    assert set(once) == {f.id for f in FORM.totals}
    assert once == {f.id: report.total(f.id) for f in FORM.totals}
    for t in FORM.totals:
        if any(b in t.addends for b in blanks):
            assert once[t.id] is None, t.id  # a blank addend leaves its total unknown, never 0
