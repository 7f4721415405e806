"""Every kind of thing a clerk types, and what the reader makes of it."""

import datetime as dt

import pytest

from xl_disclosure.checks.coerce import coerce, is_blank_text, sum_value
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
        # Text is never counted, however much it looks like a number: the template's SUM skips it.
        ("5", None, "input.not_number"),
        (" 3 ", None, "input.not_number"),
        ("\u3000３\u3000", None, "input.not_number"),
        ("１２", None, "input.not_number"),
        ("1,234", None, "input.not_number"),
        ("0.0", None, "input.not_number"),
        ("5件", None, "input.not_number"),
        ("5 件", None, "input.not_number"),
        ("无", None, "input.not_number"),
        ("—", None, "input.not_number"),
        ("-", None, "input.not_number"),
        ("   ", None, "input.not_number"),  # looks empty, is text: COUNTBLANK does not count it either
        ("\u3000", None, "input.not_number"),
        ("abc", None, "input.not_number"),
        ("9" * 5000, None, "input.not_number"),
        ("五", None, "input.not_number"),
        ("5元", None, "input.not_number"),
        (True, None, "input.not_number"),
        (float("nan"), None, "input.not_number"),
        (float("inf"), None, "input.not_number"),
        # A date is a number to the spreadsheet (its serial), and counted as such, with a warning.
        (dt.datetime(2024, 1, 5), 45296, "input.coerced"),
        (dt.time(3, 0), 0.125, "input.coerced"),
    ],
)
def test_count_cell(raw, value, rule):
    c = coerce(COUNT, raw)
    assert c.value == value
    assert type(c.value) is type(value)
    assert (c.problem.rule if c.problem else None) == rule
    if rule == "input.not_number" and isinstance(raw, str | bool):
        assert c.problem.severity is Severity.ERROR and "不参与合计" in c.problem.message


@pytest.mark.parametrize(("raw", "meant"), [("5", "5"), (" 3 ", "3"), ("１２", "12"), ("1,234", "1234"),
                                           ("5件", "5"), ("５件", "5"), ("3.5", "3.5")])
def test_text_number_message_names_the_number_meant(raw, meant):
    message = coerce(COUNT, raw).problem.message
    assert f"“{raw}”是文字" in message and f"请改为数字 {meant}" in message


@pytest.mark.parametrize("raw", ["无", "—", "-", "／"])
def test_nothing_words_ask_for_zero(raw):
    message = coerce(COUNT, raw).problem.message
    assert "是文字，不参与合计" in message and "填 0" in message


@pytest.mark.parametrize("raw", [None, ""])
def test_blank_is_never_zero(raw):
    c = coerce(COUNT, raw)
    assert c.value is None and c.problem is None


@pytest.mark.parametrize(
    ("raw", "counted"),
    [(5, 5), (2.5, 2.5), (None, 0), ("", 0), ("3", 0), ("无", 0), (" ", 0), (True, 0), (False, 0),
     ("#DIV/0!", None), ("#n/a", None), (dt.date(2025, 3, 5), 45721), (dt.datetime(1900, 1, 5), 5),
     (dt.datetime(2025, 3, 5, 12), 45721.5), (dt.timedelta(hours=36), 1.5)],
)
def test_sum_value_is_what_sum_adds(raw, counted):
    assert sum_value(raw) == counted


def test_amount_units():
    for raw in ("2.5万元", "300元"):
        assert coerce(FEE, raw).value is None
    assert "2.5" in coerce(FEE, "2.5万元").problem.message
    bad = coerce(FEE, "300元")
    assert bad.problem.rule == "input.not_number" and "换算为万元" in bad.problem.message
    assert "300" in coerce(FEE_YUAN, "300元").problem.message
    assert "换算为元" in coerce(FEE_YUAN, "3万元").problem.message
    assert "不是金额" in coerce(COUNT, "3元").problem.message


@pytest.mark.parametrize("raw", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#num!"])
def test_error_value_says_the_formula_failed(raw):
    for field in (COUNT, FEE, YEAR, USCC, FORM.by_id["n1_proactive"]):
        c = coerce(field, raw)
        assert c.value is None and c.problem.rule == "input.error_value" and c.problem.severity is Severity.ERROR
        assert raw in c.problem.message and "公式" in c.problem.message
    assert coerce(FORM.by_id["n1_proactive"], "#N/A 表示不适用").value == "#N/A 表示不适用"  # prose is prose


def test_date_in_a_number_cell_says_what_the_sheet_counts():
    c = coerce(COUNT, dt.datetime(2025, 3, 5))
    assert c.problem.severity is Severity.WARNING
    assert "2025-03-05" in c.problem.message and "45721" in c.problem.message and "00:00" not in c.problem.message


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
    for raw in (" ", "\u3000\u00a0", "\t\r\n", "\u200b\ufeff"):  # blank to the eye, as the 校验 sheet decides
        assert is_blank_text(raw)
        for field in (FORM.by_id["cover_preparer"], YEAR, DATE):
            assert coerce(field, raw) == (None, None), (field.id, raw)  # blank: no value, nothing to say
    assert not is_blank_text(" 张三 ") and not is_blank_text("0")
