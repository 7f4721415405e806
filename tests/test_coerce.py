"""Every kind of thing a clerk types, and what the reader makes of it."""

import datetime as dt

import pytest

from xl_disclosure.checks.coerce import coerce
from xl_disclosure.form import FORM, Severity

COUNT = FORM.by_id["s3_new_natural"]
FEE = FORM.by_id["s2_fees_amount"]  # 万元
FEE_YUAN = FORM.by_id["n6_fee_collected"]  # 元
YEAR = FORM.by_id["cover_year"]
DATE = FORM.by_id["cover_date"]
USCC = FORM.by_id["cover_uscc"]
PHONE = FORM.by_id["cover_phone"]


@pytest.mark.parametrize(
    ("raw", "value", "rule"),
    [
        (5, 5, None),
        (5.0, 5, None),
        (-0.0, 0, None),
        (0, 0, None),
        (2.5, 2.5, None),  # kept: the validator says "not whole"
        ("5", 5, "input.coerced"),
        (" 3 ", 3, "input.coerced"),
        ("\u3000３\u3000", 3, "input.coerced"),
        ("１２", 12, "input.coerced"),
        ("1,234", 1234, "input.coerced"),
        ("0.0", 0, "input.coerced"),
        ("5件", 5, "input.coerced"),
        ("5 件", 5, "input.coerced"),
        ("无", 0, "input.coerced"),
        ("—", 0, "input.coerced"),
        ("-", 0, "input.coerced"),
        ("abc", None, "input.not_number"),
        ("9" * 5000, None, "input.not_number"),
        ("五", None, "input.not_number"),
        ("5元", None, "input.not_number"),
        (True, None, "input.not_number"),
        (float("nan"), None, "input.not_number"),
        (float("inf"), None, "input.not_number"),
        (dt.datetime(2024, 1, 5), None, "input.not_number"),
        (dt.time(3, 0), None, "input.not_number"),
    ],
)
def test_count_cell(raw, value, rule):
    c = coerce(COUNT, raw)
    assert c.value == value
    assert type(c.value) is type(value)
    assert (c.problem.rule if c.problem else None) == rule


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\u00a0"])
def test_blank_is_never_zero(raw):
    c = coerce(COUNT, raw)
    assert c.value is None and c.problem is None


def test_amount_units():
    assert coerce(FEE, "2.5万元").value == 2.5
    bad = coerce(FEE, "300元")
    assert bad.value is None and bad.problem.rule == "input.not_number" and "万元" in bad.problem.message
    assert coerce(FEE_YUAN, "300元").value == 300
    assert coerce(FEE_YUAN, "3万元").value is None


@pytest.mark.parametrize("raw", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#num!"])
def test_error_value_says_the_formula_failed(raw):
    for field in (COUNT, FEE, YEAR, USCC, FORM.by_id["n1_proactive"]):
        c = coerce(field, raw)
        assert c.value is None and c.problem.rule == "input.error_value" and c.problem.severity is Severity.ERROR
        assert raw in c.problem.message and "公式" in c.problem.message
    assert coerce(FORM.by_id["n1_proactive"], "#N/A 表示不适用").value == "#N/A 表示不适用"  # prose is prose


def test_coerced_message_says_what_was_read():
    c = coerce(COUNT, "５件")
    assert c.problem.severity is Severity.WARNING
    assert "5" in c.problem.message and "５件" in c.problem.message


@pytest.mark.parametrize(
    ("raw", "value", "rule"),
    [(2024, 2024, None), (2024.0, 2024, None), ("2024", 2024, "input.coerced"), ("２０２４年", 2024, "input.coerced"),
     ("二〇二四", None, "cover.year"), (2024.5, None, "cover.year"), (dt.date(2024, 1, 1), None, "cover.year")],
)
def test_year(raw, value, rule):
    c = coerce(YEAR, raw)
    assert c.value == value
    assert (c.problem.rule if c.problem else None) == rule


@pytest.mark.parametrize(
    ("raw", "value"),
    [(dt.datetime(2025, 1, 15), "2025-01-15"), ("2025-1-15", "2025-01-15"), ("2025年1月15日", "2025-01-15"),
     ("2025/01/15", "2025-01-15"), ("2025.1.15", "2025-01-15")],
)
def test_date(raw, value):
    c = coerce(DATE, raw)
    assert c.value == value and c.problem is None


def test_unreadable_date_is_kept_with_warning():
    c = coerce(DATE, "春节前")
    assert c.value == "春节前" and c.problem.rule == "cover.date" and c.problem.severity is Severity.WARNING


def test_text_fields():
    assert coerce(USCC, " 91350100m000100y43 ").value == "91350100M000100Y43"
    assert coerce(PHONE, 13800138000.0).value == "13800138000"
    assert coerce(FORM.by_id["n5_problems"], "  \n ").value is None
