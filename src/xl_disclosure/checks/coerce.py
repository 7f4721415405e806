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
live in the validator, so they apply equally to JSON input.  Each finding is
worded by its rule in the catalogue (form.rules), as every finding is.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any, NamedTuple

from xl_disclosure.form import RULES, Field, Finding, Kind, Scalar

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


class Coerced(NamedTuple):
    """A typed value and why it was read so (a finding, if it was not a plain number or text); a blank cell is ``None``."""

    value: Value
    problem: Finding | None = None


def clean_text(raw: str) -> str:
    text = raw
    for ch in _SPACES:
        text = text.replace(ch, " ")
    return text.strip()


def _show(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 40 else text[:40] + "…"


def jsonable(v: Any) -> Scalar:
    """A raw cell value as a finding's ``actual``: numbers and text as they are, anything else as text.

    NaN and infinity become text too: JSON has no such numbers.
    """
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if v is None or isinstance(v, int | float | str) and not isinstance(v, bool):
        return v  # type: ignore[no-any-return]
    return str(v)


_EXPECTED_KIND = {Kind.COUNT: "非负整数", Kind.AMOUNT: "非负数", Kind.YEAR: "四位年份"}


def expected_kind(kind: Kind) -> str:
    """What a cell of ``kind`` should hold, as a finding's ``expected``."""
    return _EXPECTED_KIND.get(kind, "文字")


def _problem(field: Field, raw: object, rule: str, wording: str = "", **values: Any) -> Finding:
    return RULES[rule].finding(field=field, actual=jsonable(raw), expected=expected_kind(field.kind),
                               wording=wording, **values)


def _num(text: str) -> int | float:
    v = float(text.replace(",", ""))
    return int(v) if v.is_integer() else v


def coerce(field: Field, raw: object) -> Coerced:
    if field.is_numeric and type(raw) is float and raw.is_integer() and -2**53 < raw < 2**53:
        return Coerced(int(raw))  # the common case, as coerce_number decides it
    if isinstance(raw, str) and "#" in raw and clean_text(raw).upper() in EXCEL_ERRORS:
        return Coerced(None, _problem(field, raw, "input.error_value", shown=clean_text(raw),
                                      content="数字" if field.is_numeric else "内容"))
    if field.is_numeric:
        return coerce_number(field, raw)
    if field.kind is Kind.YEAR:
        return coerce_year(field, raw)
    if field.kind is Kind.DATE:
        return coerce_date(field, raw)
    return coerce_text(field, raw)


def coerce_number(field: Field, raw: object) -> Coerced:
    if raw is None:
        return Coerced(None)
    if isinstance(raw, bool):
        return _bad(field, raw, "logical", shown="TRUE" if raw else "FALSE")
    if isinstance(raw, int):
        return Coerced(raw)
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return _bad(field, raw, "nan")
        if raw == 0:
            return Coerced(0)  # also turns -0.0 into 0
        return Coerced(int(raw) if raw.is_integer() and abs(raw) < 2**53 else raw)
    if isinstance(raw, dt.datetime | dt.date | dt.time | dt.timedelta):
        return _bad(field, raw, "date", shown=_show(raw))
    if not isinstance(raw, str):
        return _bad(field, raw, "unknown", shown=repr(_show(raw)))
    text = clean_text(raw)
    if not text:
        return Coerced(None)
    norm = unicodedata.normalize("NFKC", text).replace(" ", "")
    if norm in _NONE_WORDS or text in _NONE_WORDS:
        return _read_as(field, raw, 0, "")
    if _NUMBER.match(norm):
        value = _num(norm)
        if isinstance(value, float) and math.isinf(value):
            return _bad(field, raw, "too_long", shown=_show(raw))
        why = "文本格式的数字" if norm == text else "含全角字符、空格或千位分隔符的数字"
        return _read_as(field, raw, value, "number", why=why, value=str(value))
    m = _WITH_UNIT.match(norm)
    if m:
        value, unit = _num(m.group(1)), m.group(2)
        expected_unit = field.unit or "件"
        money_units = {"元", "万元"}
        if (unit in money_units or expected_unit in money_units) and unit != expected_unit:
            return _bad(field, raw, "unit", shown=_show(raw), unit=expected_unit)
        return _read_as(field, raw, value, "unit", value=str(value))
    return _bad(field, raw, "text", shown=_show(raw))


def coerce_year(field: Field, raw: object) -> Coerced:
    if raw is None:
        return Coerced(None)
    if isinstance(raw, bool):
        return _bad_year(field, raw, "logical")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if isinstance(raw, float) and not raw.is_integer():
            return _bad_year(field, raw, "fraction", shown=str(raw))
        return Coerced(int(raw))
    if isinstance(raw, dt.date):
        return _bad_year(field, raw, "date", shown=str(raw), year=raw.year)
    if isinstance(raw, str):
        text = clean_text(raw)
        if not text:
            return Coerced(None)
        m = _YEAR_TEXT.match(unicodedata.normalize("NFKC", text))
        if m:
            return _read_as(field, raw, int(m.group(1)), "year", value=m.group(1))
    return _bad_year(field, raw, "text", shown=_show(raw))


def coerce_date(field: Field, raw: object) -> Coerced:
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
        return Coerced(text, _problem(field, raw, "cover.date", "unreadable", shown=_show(raw)))
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 30000 < raw < 80000:
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))
        return Coerced(day.isoformat(), _problem(field, raw, "input.coerced", "date_serial", shown=str(raw),
                                                 value=day.isoformat()))
    return Coerced(str(raw), _problem(field, raw, "cover.date", "unreadable_value", shown=_show(raw)))


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


def _bad(field: Field, raw: object, wording: str, **values: Any) -> Coerced:
    return Coerced(None, _problem(field, raw, "input.not_number", wording, **values))


def _bad_year(field: Field, raw: object, wording: str, **values: Any) -> Coerced:
    return Coerced(None, _problem(field, raw, "cover.year", wording, **values))


def _read_as(field: Field, raw: object, read: int | float, wording: str, **values: Any) -> Coerced:
    """``raw`` read as the number ``read``, with the input.coerced warning that says so."""
    return Coerced(read, _problem(field, raw, "input.coerced", wording, shown=_show(raw), **values))
