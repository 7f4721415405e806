"""Excel formulas derived from the form definition.

The template writes these formulas and the reader compares a workbook's
formulas against the very same strings, so the two can never drift apart.
Formulas are returned without the leading ``=``.
"""

from __future__ import annotations

import functools
import re

from xl_disclosure.form import FORM, Field, Form, Kind
from xl_disclosure.form.cells import column_index as column_index_from_string


def quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def ref(field: Field, *, from_sheet: str | None = None) -> str:
    """A reference to a field's cell, qualified when on another sheet."""
    return field.cell if from_sheet == field.sheet else f"{quote_sheet(field.sheet)}!{field.cell}"


def sum_of(ids: tuple[str, ...], *, from_sheet: str | None = None, form: Form = FORM) -> str:
    """SUM over the given fields, with contiguous runs in one row or column folded into ranges."""
    fields = [form.by_id[i] for i in ids]
    parts: list[str] = []
    i = 0
    while i < len(fields):
        j = i
        while j + 1 < len(fields) and _adjacent(fields[j], fields[j + 1], fields[i]):
            j += 1
        first, last = fields[i], fields[j]
        if j == i:
            parts.append(ref(first, from_sheet=from_sheet))
        else:
            prefix = "" if from_sheet == first.sheet else f"{quote_sheet(first.sheet)}!"
            parts.append(f"{prefix}{first.cell}:{last.cell}")
        i = j + 1
    return f"SUM({','.join(parts)})"


def _adjacent(a: Field, b: Field, run_start: Field) -> bool:
    if a.sheet != b.sheet:
        return False
    ac, bc = column_index_from_string(a.column), column_index_from_string(b.column)
    same_row_run = a.row == b.row == run_start.row and bc == ac + 1
    same_col_run = a.column == b.column == run_start.column and b.row == a.row + 1
    return same_row_run or same_col_run


def total_formula(field: Field, form: Form = FORM) -> str:
    assert field.kind is Kind.TOTAL
    return sum_of(field.addends, from_sheet=field.sheet, form=form)


_WS = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)
def normalize_formula(formula: str | None) -> str:
    """Canonical text for comparing formulas written by different programs."""
    if formula is None:
        return ""
    text = formula.strip()
    if text.startswith("="):
        text = text[1:]
    text = text.replace("$", "").replace("'", "")
    text = _WS.sub("", text)
    # LibreOffice and Excel may prefix future functions or quote plain sheet names.
    text = text.replace("_xlfn.", "")
    return text.upper()
