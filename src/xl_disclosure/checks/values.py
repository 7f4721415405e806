"""Which value of a report's cell the checks compare."""

from __future__ import annotations

from xl_disclosure.model.report import Number, Report


def side_value(report: Report, fid: str) -> Number | None:
    """A cell's value as the report shows it: the stated value where given, else recomputed from its addends."""
    v = report.values.get(fid)
    if type(v) is int or type(v) is float:
        return v
    return report.total(fid)
