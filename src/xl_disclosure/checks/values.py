"""Which value of a report's cell the checks compare."""

from __future__ import annotations

from xl_disclosure.model.report import Number, Report


def side_value(report: Report, fid: str) -> Number | None:
    """A cell's value as the report shows it: the stated value where given, else recomputed from its addends."""
    v = report.values.get(fid)
    if type(v) is int or type(v) is float:
        return v
    return report.total(fid)


def side_sum(report: Report, fids: tuple[str, ...]) -> Number | None:
    """The sum of cells as the report shows them (side_value); None when one of them is blank."""
    acc: Number = 0
    for fid in fids:
        v = side_value(report, fid)
        if v is None:
            return None
        acc += v
    return acc
