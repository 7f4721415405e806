"""One report's data, keyed by field id, and its JSON form (schema/report.schema.json).

A :class:`Report` holds typed values: ``int`` for counts and years, ``float``
(or ``int``) for amounts, ``str`` for text and ISO dates, ``None`` where a value
is missing or could not be read.  Totals are either stated (a published report
or a JSON file gave them) or recomputed from the inputs; :meth:`Report.total`
always recomputes.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.form import FORM, FORM_ID, FORM_VERSION, MAX_AMOUNT, MAX_COUNT, Field, Form, Kind

Number = int | float
Value = int | float | str | None

GROUP_ORDER = ("cover", "section2", "section3", "section4", "narratives")

# MAX_COUNT and MAX_AMOUNT (form): the largest plausible count and amount.  A workbook cell beyond
# them is read as blank with an input.too_large error (checks.coerce), report JSON beyond them is
# refused (Report.from_json): such a number is never summed.
#: A stated total in report JSON: any number a sum of plausible inputs can reach, and exact as a float.
MAX_TOTAL = 2**53


class ReportFormatError(XlDisclosureError):
    """Report JSON that does not fit the schema; the message is for the user (Chinese)."""

    heading = "无法读取"


@dataclass
class Report:
    values: dict[str, Value] = field(default_factory=dict)
    #: Where the data came from (file name, template version, ...); not part of the data.
    source: dict[str, Any] = field(default_factory=dict)

    def get(self, fid: str) -> Value:
        return self.values.get(fid)

    def number(self, fid: str) -> Number | None:
        v = self.values.get(fid)
        return v if isinstance(v, int | float) and not isinstance(v, bool) else None

    def total(self, fid: str, form: Form = FORM) -> Number | None:
        """Recompute a total from its addends (recursively); ``None`` if any addend is missing."""
        f = form.by_id[fid]
        if f.kind is not Kind.TOTAL:
            return self.number(fid)
        acc: Number = 0
        for a in f.addends:
            v = self.total(a, form)
            if v is None:
                return None
            acc += v
        return acc

    def recomputed_totals(self) -> dict[str, Number | None]:
        """Every total recomputed from its addends (as :meth:`total`), in one pass over the form."""
        plan, total_ids = _total_plan()
        # Numbers only (no bools, no text), and never a stated total.
        known = {k: v for k, v in self.values.items() if (type(v) is int or type(v) is float) and k not in total_ids}
        out: dict[str, Number | None] = {}
        for fid, addends in plan:
            try:
                known[fid] = out[fid] = sum([known[a] for a in addends])
            except KeyError:  # an addend is blank or unreadable: the total is unknown, never 0
                out[fid] = None
        return out

    @property
    def agency(self) -> str:
        v = self.values.get("cover_agency_name")
        return v.strip() if isinstance(v, str) else ""

    @property
    def year(self) -> int | None:
        v = self.values.get("cover_year")
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    def drop_implausible(self) -> list[str]:
        """Blank every number that is not finite or not below its field's sane maximum; their ids.

        What every reader's report goes through (readers.dispatch), so that such a number, already
        reported (input.too_large or an equation finding), is never summed: a published report's
        400-digit number would otherwise overflow a summary's totals.
        """
        dropped = []
        for fid, v in self.values.items():
            if (type(v) is int or type(v) is float) and fid in FORM.by_id and FORM.by_id[fid].is_numeric \
                    and not _plausible(FORM.by_id[fid], v):
                dropped.append(fid)
        for fid in dropped:
            self.values[fid] = None
        return dropped

    def with_totals(self) -> Report:
        """A copy where every total not stated is filled with its recomputed value."""
        values = dict(self.values)
        for fid, v in self.recomputed_totals().items():
            if values.get(fid) is None:
                values[fid] = v
        return Report(values, dict(self.source))

    # ------------------------------------------------------------------ JSON
    def to_json(self) -> dict[str, Any]:
        full = self.with_totals()
        out: dict[str, Any] = {"form": FORM_ID, "form_version": FORM_VERSION}
        for group in GROUP_ORDER:
            out[group] = {f.id: _json_value(full.values.get(f.id)) for f in FORM.groups[group]}
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, source: str = "") -> Report:
        where = f"{source}：" if source else ""
        if not isinstance(data, Mapping):
            raise ReportFormatError(f"{where}不是报告数据（应为 JSON 对象）。")
        if data.get("form") not in (None, FORM_ID):
            raise ReportFormatError(f"{where}不是政府信息公开工作年度报告数据（form = {data.get('form')!r}）。")
        if str(data.get("form_version", FORM_VERSION)) != FORM_VERSION:
            raise ReportFormatError(
                f"{where}报告格式版本 {data.get('form_version')!r} 不受支持，本工具支持 {FORM_VERSION} 版格式。"
            )
        values: dict[str, Value] = {}
        for group in GROUP_ORDER:
            section = data.get(group, {})
            if not isinstance(section, Mapping):
                raise ReportFormatError(f"{where}“{group}”应为 JSON 对象。")
            for key, raw in section.items():
                f = FORM.by_id.get(key)
                if f is None or f.group != group:
                    raise ReportFormatError(f"{where}{group} 中有未知字段“{key}”。")
                values[key] = _from_json_value(f, raw, where)
        return cls(values, {"file": source} if source else {})

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"


@functools.cache
def _total_plan() -> tuple[tuple[tuple[str, tuple[str, ...]], ...], frozenset[str]]:
    """(total id, addend ids) in dependency order, and the set of total ids."""
    plan = tuple((f.id, f.addends) for f in FORM.totals_in_order)
    return plan, frozenset(fid for fid, _ in plan)


def _json_value(v: Value) -> Value:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _from_json_value(f: Field, raw: Any, where: str) -> Value:
    if raw is None:
        return None
    if f.is_numeric or f.kind is Kind.YEAR:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ReportFormatError(f"{where}字段 {f.id}（{f.label}）应为数字，实际为 {_shown(raw)}。")
        if f.is_numeric and not _plausible(f, raw):
            limit = max_of(f)
            raise ReportFormatError(f"{where}字段 {f.id}（{f.label}）的数字 {_shown(raw)} 大得不合常理"
                                    f"（应小于 {limit:,}），不能计入汇总。请核对生成该数据的文件。")
        if f.kind in (Kind.COUNT, Kind.YEAR, Kind.TOTAL) and isinstance(raw, float) and raw.is_integer():
            return int(raw)
        return raw
    if not isinstance(raw, str):
        raise ReportFormatError(f"{where}字段 {f.id}（{f.label}）应为文字，实际为 {_shown(raw)}。")
    return raw


def max_of(f: Field) -> int:
    """The sane maximum of a numeric field (see MAX_COUNT): a value must stay below it."""
    return MAX_COUNT if f.kind is Kind.COUNT else MAX_AMOUNT if f.kind is Kind.AMOUNT else MAX_TOTAL


def _plausible(f: Field, v: int | float) -> bool:
    """A finite number below the field's sane maximum."""
    if isinstance(v, float) and not math.isfinite(v):
        return False
    return abs(v) < max_of(f)


def _shown(raw: Any) -> str:
    """A value as a message shows it: at most 40 characters (a hostile file's value can be any size)."""
    text = repr(raw) if not isinstance(raw, int) or isinstance(raw, bool) else str(raw)
    return text if len(text) <= 40 else text[:40] + "…"

