"""Shared pieces of the narrative and plausibility tests: a report with every number 0 and neutral narratives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xl_disclosure.checks.validator import validate_report
from xl_disclosure.form import FORM, RULES, S3_COLUMNS, S3_ROWS, Kind, s3_id
from xl_disclosure.model.findings import Finding
from xl_disclosure.model.report import Report

DATA = Path(__file__).parent / "data" / "narrative"
TODAY = dt.date(2026, 6, 1)
#: The rules this work adds or rewrote; the older table rules are tested in test_validator.py.
NEW_RULES = {r for r in RULES if r.startswith(("narrative.", "content.", "plausibility.", "timeliness.")) or r in (
    "cross_year.text_reuse", "cross_year.magnitude", "fee.consistency")} - {"narrative.required"}


def blank_report(agency: str, year: int, *, parsed: bool = True, **values: object) -> Report:
    """Every number 0, every narrative a neutral sentence; then ``values``."""
    v: dict[str, object] = {f.id: 0 for f in FORM.inputs if f.kind in (Kind.COUNT, Kind.AMOUNT)}
    v.update({f.id: "本年度按要求做好相关工作。" for f in FORM.fields if f.kind is Kind.LONGTEXT})
    v["n5_problems"] = "本年度政府信息公开工作仍存在公开内容不够全面等问题，下一步将加强培训、完善制度。"
    v["n6_other"] = "本年度未收取信息处理费。"
    v.update(cover_agency_name=agency, cover_year=year, cover_date=f"{year + 1}-01-20")
    v.update(values)
    return Report(v, {"parsed": True} if parsed else {})  # type: ignore[arg-type]


def table(report: Report, **rows: int | tuple[int, ...]) -> Report:
    """Set table 三 rows (natural persons column, or all six columns from a tuple) and table 四 cells by id."""
    for key, value in rows.items():
        if key.startswith(("s4_", "s2_")):
            report.values[key] = value
            continue
        assert any(r.key == key for r in S3_ROWS), key
        values = value if isinstance(value, tuple) else (value, 0, 0, 0, 0, 0)
        for (col, _), x in zip(S3_COLUMNS, values, strict=True):
            report.values[s3_id(key, col)] = x
    return report


UNPUBLISHED = [f.id for f in FORM.groups["cover"] if f.id not in ("cover_agency_name", "cover_year", "cover_date")]


def findings(report: Report, prior: Report | None = None) -> list[Finding]:
    return [f for f in validate_report(report, prior=prior, today=TODAY, already_reported=UNPUBLISHED)
            if f.rule in NEW_RULES]


def fired(report: Report, prior: Report | None = None) -> list[str]:
    return sorted(f.rule for f in findings(report, prior))


def only(fs: list[Finding], rule: str) -> Finding:
    found = [f for f in fs if f.rule == rule]
    assert len(found) == 1, [f.message for f in fs]
    return found[0]
