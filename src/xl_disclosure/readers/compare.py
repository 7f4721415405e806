"""Submitted data against a published report, field by field: what the agency reported versus what it printed."""

from __future__ import annotations

from typing import Any

from xl_disclosure.form import FORM, RULES, Finding, Kind, RuleSelection
from xl_disclosure.form.selection import ALL_RULES
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


def findings(submitted: Report, published: ParseResult) -> list[Finding]:
    """Every field where submitted data and the published report differ, as a finding of its rule.

    Submitted totals are recomputed from the inputs; published values are as printed.  A number the
    published report does not show is compare.unpublished; any other difference compare.differs; a fee
    figure that neither side states is not a difference.  The finding's ``expected`` is the submitted
    value, its ``actual`` the published one.
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
        if pub is None:
            note = published.coverage.missing.get(fid) or "未能读出"
            out.append(RULES["compare.unpublished"].finding(field=f, expected=sub, note=note))
        else:
            out.append(RULES["compare.differs"].finding(field=f, expected=sub, actual=pub))
    return out


def differences(submitted: Report, published: ParseResult, rules: RuleSelection = ALL_RULES) -> list[dict[str, Any]]:
    """The :func:`findings` of the rules that run under ``rules``, at their severity there, one dict each:
    field, label, submitted, published, note (why the published value was not read), rule, severity, message."""
    out = []
    for found in rules.apply(findings(submitted, published)):
        fid = found.field
        assert fid is not None
        pub = published.report.get(fid)
        out.append({"field": fid, "label": FORM.by_id[fid].label, "submitted": found.expected, "published": pub,
                    "note": published.coverage.missing.get(fid, "") if pub is None else "",
                    "rule": found.rule, "severity": found.severity.value, "message": found.message})
    return out
