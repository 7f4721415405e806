"""What a clerk typed → a typed value, deciding every odd case explicitly.

Each raw cell value (as a spreadsheet reader returns it: number, text, date,
bool, or nothing) becomes a typed value plus, where the cell was not a plain
number or text, a finding that says exactly what was read.

A number cell means what the template's own formulas make of it: ``SUM`` adds
numbers and skips text, so text in a number cell — however much it looks like
a number — is not counted by the workbook's totals and 校验 sheet, and is the
error the template shows (orange, 校验 “数字格中的问题”).  The validator never
counts it either; the message says what to type instead (docs/template.md,
“一个单元格只有一种意思”).

==================================  =========================================
typed in a number cell              outcome
==================================  =========================================
blank (empty)                       ``None``; the validator reports input.blank
``5`` (a number)                    5
``5.0`` in a count cell             5
``"5"`` (number stored as text)     ``None``, error input.not_number: 是文字，不参与合计，请改为数字 5
``" 3 "``, ``"５"``, ``"1,234"``     ``None``, error input.not_number (the number meant is named)
``"5件"``, ``"2.5万元"``             ``None``, error input.not_number (只填数字，单位已在表头)
``"300元"`` in a 万元 cell            ``None``, error input.not_number (换算为万元)
``"无"``, ``"—"``, ``"-"``          ``None``, error input.not_number (没有发生的填 0)
only spaces                         ``None``, error input.not_number (看起来是空的，其实是文字)
any other text                      ``None``, error input.not_number
a date or a time                    its serial number (what SUM adds), warning input.coerced
TRUE/FALSE                          ``None``, error input.not_number
NaN, ±infinity                      ``None``, error input.not_number
a number ≥ the field's sane maximum  ``None``, error input.too_large
``#DIV/0!``, ``#N/A`` … (any cell)   ``None``, error input.error_value
==================================  =========================================

:func:`sum_value` is the other half: what the spreadsheet's ``SUM`` adds for the
raw value (text and blanks 0, an error value none), so totals and equations can
be recomputed exactly as the workbook computed them.

Range checks (negative, not whole, too large, precision) are data rules and
live in the validator, so they apply equally to JSON input; a number too large
to be plausible is also kept out of the report here, where it is read, so that
it is never summed (two counts of 1e308 would overflow to infinity).  Each finding is
worded by its rule in the catalogue (form.rules), as every finding is.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any, NamedTuple

from xl_disclosure.form import RULES, Field, Finding, Kind, Scalar
from xl_disclosure.form.checksheet import BLANK_TEXT_CHARS
from xl_disclosure.model.report import MAX_COUNT, max_of

Value = int | float | str | None

_SPACES = "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_WITH_UNIT = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(件|个|次|项|条|份|万元|元)$")
_NONE_WORDS = frozenset({"无", "没有", "暂无", "—", "–", "-", "——", "--", "/", "／", "－"})
#: What Excel, WPS and LibreOffice show in a cell whose formula failed (read back as text by the adapters).
EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!", "#PYTHON!"})
#: LibreOffice shows some errors by number instead (Err:502 …).
_LO_ERROR = re.compile(r"^ERR:\d{3}$")
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
    if field.is_numeric and type(raw) is float and raw.is_integer() and -MAX_COUNT < raw < MAX_COUNT:
        return Coerced(int(raw))  # the common case, as coerce_number decides it
    if isinstance(raw, str) and is_error_text(raw):
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
    """A number cell's value (see the module docstring); never a number at or beyond the field's sane maximum."""
    c = _coerce_number(field, raw)
    v = c.value
    if (type(v) is int or type(v) is float) and abs(v) >= max_of(field):
        unit = field.unit or ("件" if field.kind is Kind.COUNT else "")
        return Coerced(None, RULES["input.too_large"].finding(field=field, actual=v, unit=unit, limit=max_of(field)))
    return c


def _coerce_number(field: Field, raw: object) -> Coerced:
    if raw is None or (isinstance(raw, str) and not raw):
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
        serial = date_serial(raw)
        shown = raw.date() if isinstance(raw, dt.datetime) and raw.time() == dt.time() else raw
        return Coerced(serial, _problem(field, raw, "input.coerced", shown=_show(shown), value=str(serial)))
    if not isinstance(raw, str):
        return _bad(field, raw, "unknown", shown=repr(_show(raw)))
    return _text_in_number_cell(field, raw)


def _text_in_number_cell(field: Field, raw: str) -> Coerced:
    """Text in a number cell: not counted (SUM skips it); the finding says what to type instead."""
    text = clean_text(raw)
    if not text:
        return _bad(field, raw, "spaces")
    norm = unicodedata.normalize("NFKC", text).replace(" ", "")
    if norm in _NONE_WORDS or text in _NONE_WORDS:
        return _bad(field, raw, "none_word", shown=_show(raw))
    if _NUMBER.match(norm):
        meant = _num(norm)
        if isinstance(meant, float) and math.isinf(meant):
            return _bad(field, raw, "too_long", shown=_show(raw))
        why = "含千位分隔符" if "," in norm else "文本格式的数字" if norm == text else "含全角字符或空格"
        return _bad(field, raw, "text_number", shown=_show(raw), why=why, value=str(meant))
    m = _WITH_UNIT.match(norm)
    if m:
        meant, unit = _num(m.group(1)), m.group(2)
        expected_unit = field.unit or "件"
        money_units = {"元", "万元"}
        if expected_unit not in money_units and unit in money_units:
            return _bad(field, raw, "not_money", shown=_show(raw))
        if expected_unit in money_units and unit != expected_unit:
            return _bad(field, raw, "unit", shown=_show(raw), unit=expected_unit)
        return _bad(field, raw, "with_unit", shown=_show(raw), value=str(meant))
    return _bad(field, raw, "text", shown=_show(raw))


_EPOCH = dt.datetime(1899, 12, 30)


def date_serial(raw: dt.datetime | dt.date | dt.time | dt.timedelta) -> int | float:
    """The number a spreadsheet stores for a date or time (1900 date system, as Excel, WPS and LibreOffice save)."""
    if isinstance(raw, dt.timedelta):
        days = raw.total_seconds() / 86400
    elif isinstance(raw, dt.time):
        days = (raw.hour * 3600 + raw.minute * 60 + raw.second + raw.microsecond / 1e6) / 86400
    else:
        moment = raw if isinstance(raw, dt.datetime) else dt.datetime(raw.year, raw.month, raw.day)
        days = (moment - _EPOCH).total_seconds() / 86400
        if moment < dt.datetime(1900, 3, 1):
            days -= 1  # Excel's serial 60 is the 29 February 1900 that never was
    days = round(days, 9)
    return int(days) if days.is_integer() else days


def sum_value(raw: object) -> int | float | None:
    """What the spreadsheet's SUM adds for a cell holding ``raw``: numbers (dates are numbers), 0 for blanks,
    text and logical values (SUM skips them in a reference), None for an error value (SUM fails)."""
    if raw is None or isinstance(raw, bool):
        return 0
    if isinstance(raw, int | float):
        return raw if math.isfinite(raw) else None
    if isinstance(raw, str):
        return None if is_error_text(raw) else 0
    if isinstance(raw, dt.datetime | dt.date | dt.time | dt.timedelta):
        return date_serial(raw)
    return 0


def is_error_text(text: str) -> bool:
    """Whether a cell's text is an error value as a spreadsheet shows it (#DIV/0!, #N/A, LibreOffice's Err:502)."""
    if "#" in text:
        return clean_text(text).upper() in EXCEL_ERRORS
    return "rr:" in text and _LO_ERROR.match(clean_text(text).upper()) is not None


def is_blank_text(text: str) -> bool:
    """Whether text shows nothing: only spaces and line breaks (the 校验 sheet's own test, checksheet.text_blank)."""
    return not text.translate(_BLANK_TABLE)


_BLANK_TABLE = dict.fromkeys([*map(ord, BLANK_TEXT_CHARS), *range(32)])


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
        if not text or is_blank_text(raw):
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
        if not text or is_blank_text(raw):
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
    if raw is None or (isinstance(raw, str) and is_blank_text(raw)):
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
