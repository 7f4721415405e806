"""Submitted data against a published report, field by field: what the agency reported versus what it printed."""

from __future__ import annotations

from typing import Any

from xl_disclosure.form import FORM, Kind
from xl_disclosure.model.report import Report
from xl_disclosure.readers.published import FEE_FIELDS, TABLE_FIELDS, ParseResult

COMPARE_KIND = "xl-disclosure/compare"
COMPARE_FIELDS: tuple[str, ...] = ("cover_agency_name", "cover_year") + TABLE_FIELDS + FEE_FIELDS
_EPS = 1e-6


def same(a: object, b: object) -> bool:
    """Equal numbers (to 1e-6), or texts equal but for white space, or otherwise equal."""
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(a - b) < _EPS
    if isinstance(a, str) and isinstance(b, str):
        return "".join(a.split()) == "".join(b.split())
    return a == b


def differences(submitted: Report, published: ParseResult) -> list[dict[str, Any]]:
    """Field-by-field differences between submitted data and what the published report shows.

    Submitted totals are recomputed from the inputs; published values are as printed.  A number the
    published report does not show is a difference; a fee figure that neither side states is not.
    """
    out = []
    for fid in COMPARE_FIELDS:
        f = FORM.by_id[fid]
        sub = submitted.total(fid) if f.kind is Kind.TOTAL else submitted.get(fid)
        pub = published.report.get(fid)
        if fid in FEE_FIELDS and pub is None:
            continue  # the narrative states fees in words more often than in figures
        if fid.startswith("cover_") and (pub is None or sub is None):
            continue
        if same(sub, pub):
            continue
        out.append({"field": fid, "label": f.label, "submitted": sub, "published": pub,
                    "note": published.coverage.missing.get(fid, "") if pub is None else ""})
    return out
