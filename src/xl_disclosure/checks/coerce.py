"""What a clerk typed → a typed value, deciding every odd case explicitly.

Each raw cell value (as a spreadsheet reader returns it: number, text, date,
bool, or nothing) becomes a typed value plus, where the cell was not a plain
number, a finding that says exactly what was read:

==================================  =========================================
typed in a number cell              outcome
==================================  =========================================
blank, or only spaces               ``None``; the validator reports input.blank
``5`` (a number)                    5
``5.0`` in a count cell             5
``"5"`` (number stored as text)     5, warning input.coerced
``" 3 "``, ``"５"``, ``"1,234"``     the number, warning input.coerced
``"0.0"``                           0, warning input.coerced
``"5件"`` (a count with its unit)    5, warning input.coerced
``"2.5万元"`` in a 万元 cell          2.5, warning input.coerced
``"300元"`` in a 万元 cell            ``None``, error input.not_number (unit)
``"无"``, ``"—"``, ``"-"``          0, warning input.coerced
any other text                      ``None``, error input.not_number
a date or a time                    ``None``, error input.not_number
TRUE/FALSE                          ``None``, error input.not_number
NaN, ±infinity                      ``None``, error input.not_number
``#DIV/0!``, ``#N/A`` … (any cell)   ``None``, error input.error_value
==================================  =========================================

Range checks (negative, not whole, too large, precision) are data rules and
live in the validator, so they apply equally to JSON input.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from xl_disclosure.form import Field, Kind, Severity

Value = int | float | str | None

_SPACES = "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_WITH_UNIT = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(件|个|次|项|条|份|万元|元)$")
_NONE_WORDS = frozenset({"无", "没有", "暂无", "—", "–", "-", "——", "--", "/", "／", "－"})
#: What Excel, WPS and LibreOffice show in a cell whose formula failed (read back as text by the adapters).
EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!", "#PYTHON!"})
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_YEAR_TEXT = re.compile(r"^(\d{4})\s*年?(?:度)?$")


@dataclass(frozen=True)
class Problem:
    """Why a raw value was read as it was: rule id, severity and a Chinese explanation."""

    rule: str
    severity: Severity
    message: str


class Coerced(NamedTuple):
    """A typed value and why it was read so (if it was not a plain number or text); a blank cell is ``None``."""

    value: Value
    problem: Problem | None = None


def clean_text(raw: str) -> str:
    text = raw
    for ch in _SPACES:
        text = text.replace(ch, " ")
    return text.strip()


def _show(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 40 else text[:40] + "…"


def _num(text: str) -> int | float:
    v = float(text.replace(",", ""))
    return int(v) if v.is_integer() else v


def coerce(field: Field, raw: object) -> Coerced:
    if field.is_numeric and type(raw) is float and raw.is_integer() and -2**53 < raw < 2**53:
        return Coerced(int(raw))  # the common case, as coerce_number decides it
    if isinstance(raw, str) and "#" in raw and clean_text(raw).upper() in EXCEL_ERRORS:
        return Coerced(None, Problem("input.error_value", Severity.ERROR,
                                     f"单元格显示错误值 {clean_text(raw)}，通常是填了计算出错的公式；"
                                     f"请删除公式，直接填写{'数字' if field.is_numeric else '内容'}"))
    if field.is_numeric:
        return coerce_number(field, raw)
    if field.kind is Kind.YEAR:
        return coerce_year(raw)
    if field.kind is Kind.DATE:
        return coerce_date(raw)
    return coerce_text(field, raw)


def coerce_number(field: Field, raw: object) -> Coerced:
    if raw is None:
        return Coerced(None)
    if isinstance(raw, bool):
        return _bad(f"填的是逻辑值 {'TRUE' if raw else 'FALSE'}，应填数字")
    if isinstance(raw, int):
        return Coerced(raw)
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return _bad("不是有效的数字（NaN 或无穷大）")
        if raw == 0:
            return Coerced(0)  # also turns -0.0 into 0
        return Coerced(int(raw) if raw.is_integer() and abs(raw) < 2**53 else raw)
    if isinstance(raw, dt.datetime | dt.date | dt.time | dt.timedelta):
        return _bad(f"单元格是日期或时间格式（读到 {_show(raw)}），应填数字；请把单元格格式改为“常规”后重新输入")
    if not isinstance(raw, str):
        return _bad(f"无法识别的内容 {_show(raw)!r}，应填数字")
    text = clean_text(raw)
    if not text:
        return Coerced(None)
    norm = unicodedata.normalize("NFKC", text).replace(" ", "")
    if norm in _NONE_WORDS or text in _NONE_WORDS:
        return _read_as(raw, 0, f"“{_show(raw)}”按 0 读取；没有发生的请直接填数字 0")
    if _NUMBER.match(norm):
        value = _num(norm)
        if isinstance(value, float) and math.isinf(value):
            return _bad(f"“{_show(raw)}”位数太多，不是合理的数字")
        why = "文本格式的数字" if norm == text else "含全角字符、空格或千位分隔符的数字"
        return _read_as(raw, value, f"{why}“{_show(raw)}”按 {value} 读取；请直接输入数字")
    m = _WITH_UNIT.match(norm)
    if m:
        value, unit = _num(m.group(1)), m.group(2)
        expected_unit = field.unit or "件"
        money_units = {"元", "万元"}
        if (unit in money_units or expected_unit in money_units) and unit != expected_unit:
            return _bad(f"填的是“{_show(raw)}”，本栏单位为{expected_unit}，请换算为{expected_unit}后只填数字")
        return _read_as(raw, value, f"“{_show(raw)}”按 {value} 读取；单位已在表头注明，请只填数字")
    return _bad(f"“{_show(raw)}”无法识别为数字；请只填阿拉伯数字，没有发生的填 0")


def coerce_year(raw: object) -> Coerced:
    if raw is None:
        return Coerced(None)
    if isinstance(raw, bool):
        return _bad_year("报告年度应填四位年份，如 2024")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            return _bad_year(f"报告年度 {raw} 不是整数年份")
        return Coerced(int(raw))
    if isinstance(raw, dt.date):
        return _bad_year(f"报告年度被识别为日期 {raw}，请只填四位年份，如 {raw.year}")
    if isinstance(raw, str):
        text = clean_text(raw)
        if not text:
            return Coerced(None)
        m = _YEAR_TEXT.match(unicodedata.normalize("NFKC", text))
        if m:
            return _read_as(raw, int(m.group(1)), f"“{_show(raw)}”按年份 {m.group(1)} 读取；请只填四位数字")
    return _bad_year(f"“{_show(raw)}”不是年份；请填四位年份，如 2024")


def coerce_date(raw: object) -> Coerced:
    if raw is None:
        return Coerced(None)
    if isinstance(raw, dt.datetime):
        return Coerced(raw.date().isoformat())
    if isinstance(raw, dt.date):
        return Coerced(raw.isoformat())
    if isinstance(raw, str):
        text = clean_text(raw)
        if not text:
            return Coerced(None)
        m = _DATE_TEXT.match(unicodedata.normalize("NFKC", text))
        if m:
            try:
                return Coerced(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat())
            except ValueError:
                pass
        return Coerced(text, Problem("cover.date", Severity.WARNING,
                                     f"填报日期“{_show(raw)}”无法识别为日期，已按原文保留；请填写如 2025-01-15"))
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 30000 < raw < 80000:
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))
        return Coerced(day.isoformat(), Problem("input.coerced", Severity.WARNING,
                                                f"数字 {raw} 按 Excel 日期序号读取为 {day.isoformat()}"))
    return Coerced(str(raw), Problem("cover.date", Severity.WARNING,
                                     f"填报日期“{_show(raw)}”无法识别为日期；请填写如 2025-01-15"))


def coerce_text(field: Field, raw: object) -> Coerced:
    if raw is None:
        return Coerced(None)
    if isinstance(raw, float) and raw.is_integer() and field.kind in (Kind.PHONE, Kind.USCC, Kind.TEXT):
        return Coerced(str(int(raw)))  # a phone number typed as a number
    if isinstance(raw, dt.datetime | dt.date):
        return Coerced(raw.isoformat())
    text = raw if isinstance(raw, str) else str(raw)
    if field.kind is Kind.LONGTEXT:
        stripped = text.strip(" \t\r\n" + _SPACES)
        return Coerced(stripped or None)
    cleaned = clean_text(text)
    if field.kind is Kind.USCC:
        cleaned = unicodedata.normalize("NFKC", cleaned).replace(" ", "").upper()
    return Coerced(cleaned or None)


def _bad(message: str) -> Coerced:
    return Coerced(None, Problem("input.not_number", Severity.ERROR, message))


def _bad_year(message: str) -> Coerced:
    return Coerced(None, Problem("cover.year", Severity.ERROR, message))


def _read_as(raw: object, value: int | float, message: str) -> Coerced:
    return Coerced(value, Problem("input.coerced", Severity.WARNING, message))
