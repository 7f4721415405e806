"""The compile summary: one status row per file, the regional totals, the agencies counted.

A :class:`Compilation` is what ``compile`` and ``merge`` produce and what every
summary output (summary.xlsx, summary.json, long.csv, the regional report) is
written from.  Status rows and totals are kept in memory (small); the full
findings and the report data of every agency are spooled on disk as JSON lines.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xl_disclosure.form import FORM, S3_ROWS, Kind, RuleSelection, s3_id
from xl_disclosure.form.selection import ALL_RULES
from xl_disclosure.model.agency import Agency, Prior
from xl_disclosure.model.report import Number, Report

SUMMARY_KIND = "xl-disclosure/compile-summary"
TOTAL_GROUPS = ("section2", "section3", "section4")
STATUSES = ("通过", "有警告", "不通过", "无法读取")

#: Numeric fields that are summed into the regional totals, in form order.
TOTAL_FIELDS: tuple[str, ...] = tuple(
    f.id for g in TOTAL_GROUPS for f in FORM.groups[g] if f.is_numeric
)

#: How many finding messages a status row keeps in memory (the rest are spooled).
FIRST_FINDINGS = 3


def full_values(report: Report) -> dict[str, Any]:
    """Every field's value with each total recomputed from its addends (as Report.total)."""
    values = dict(report.values)
    values.update(report.recomputed_totals())
    return values


def figures(report: Report) -> list[Number | None]:
    """The report's value of every TOTAL_FIELDS field (totals recomputed), None where not a number."""
    values = report.values if report.source.get("totals") == "recomputed" else full_values(report)
    return [v if type(v) is int or type(v) is float else None for v in map(values.get, TOTAL_FIELDS)]


APPLICATIONS = TOTAL_FIELDS.index(s3_id("new", "total"))


class Totals:
    """Running regional totals over the numeric fields of sections 二, 三, 四."""

    def __init__(self) -> None:
        self.sums: dict[str, float] = dict.fromkeys(TOTAL_FIELDS, 0)
        self.count = 0
        #: field id -> how many counted reports had no value there (only with --include-invalid).
        self.missing: dict[str, int] = {}

    def add(self, report: Report) -> None:
        self.add_figures(figures(report))

    def add_figures(self, numbers: Sequence[Number | None]) -> None:
        """Add one report's :func:`figures`."""
        self.count += 1
        sums = self.sums
        for fid, v in zip(TOTAL_FIELDS, numbers, strict=True):
            if v is None:
                self.missing[fid] = self.missing.get(fid, 0) + 1
            else:
                sums[fid] += v

    def result(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for fid, v in self.sums.items():
            f = FORM.by_id[fid]
            if f.kind is Kind.AMOUNT:
                v = round(v, 9)  # float noise only: a clerk's extra decimals are kept (and warned about)
            out[fid] = int(v) if float(v).is_integer() else v
        return out

    def grouped(self) -> dict[str, dict[str, float]]:
        flat = self.result()
        return {g: {f.id: flat[f.id] for f in FORM.groups[g] if f.id in flat} for g in TOTAL_GROUPS}


@dataclass(slots=True)
class FileRow:
    """One input file in the status list (kept in memory for every file, so kept small)."""

    index: int
    file: str
    path: str  # where the file is, for the link in 校验状态 ("" when unknown)
    status: str = "无法读取"
    agency: str = ""
    uscc: str = ""
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    first: list[str] = field(default_factory=list)
    counted: bool = False
    note: str = ""
    read_error: str | None = None
    template_version: int | None = None
    #: Key figures for the charts (applications received this year) — only for agency rows.
    applications: float | None = None
    prior_applications: float | None = None


@dataclass
class Duplicate:
    agency: str
    uscc: str
    year: int | None
    files: list[str]


@dataclass
class Compilation:
    """The finished compile: status rows in memory, findings and reports spooled on disk."""

    rows: list[FileRow]
    totals: Totals
    year: int | None
    include_invalid: bool
    expected: list[Agency] | None
    missing: list[Agency]
    duplicates: list[Duplicate]
    prior: Prior | None
    spool_dir: Path
    #: index of the row whose report is counted (first file of each agency), in path order
    agency_rows: list[int] = field(default_factory=list)
    unexpected: list[int] = field(default_factory=list)
    #: Which rules ran, at which severity (the findings spooled are already those of this selection).
    rules: RuleSelection = ALL_RULES

    # ------------------------------------------------------------------ access
    @property
    def counted_rows(self) -> list[FileRow]:
        return [self.rows[i] for i in self.agency_rows if self.rows[i].counted]

    def tally(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    @property
    def exit_code(self) -> int:
        return self.exit_code_for(strict=False)

    def exit_code_for(self, *, strict: bool) -> int:
        bad = {"不通过", "无法读取"} | ({"有警告"} if strict else set())
        return 1 if any(r.status in bad for r in self.rows) else 0

    def findings_of(self) -> Iterator[list[dict[str, Any]]]:
        """The full findings of every row, in row order (streamed from the spool)."""
        with open(self.spool_dir / "findings.jsonl", encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)

    def agency_reports(self) -> Iterator[tuple[FileRow, Report]]:
        """(row, report) of every agency received (first file of each), in path order."""
        with open(self.spool_dir / "reports.jsonl", encoding="utf-8") as fh:
            for line in fh:
                index, values = json.loads(line)
                yield self.rows[index], Report(values, {"file": self.rows[index].file})

    def counted_reports(self) -> Iterator[tuple[FileRow, Report]]:
        for row, report in self.agency_reports():
            if row.counted:
                yield row, report

    @property
    def included(self) -> str:
        return "all" if self.include_invalid else "valid"

    def included_text(self) -> str:
        n = self.totals.count
        if self.include_invalid:
            return (f"汇总范围：所有能读取的报告（含未通过校验的），共 {n} 个机关；"
                    f"重复报送的只计一次，年度不符的不计入。未通过校验的数字可能有误，请谨慎使用。")
        return f"汇总范围：校验通过（含有警告）的报告，共 {n} 个机关；未通过校验、无法读取、重复报送和年度不符的不计入。"

    def close(self) -> None:
        for name in ("findings.jsonl", "reports.jsonl"):
            with contextlib.suppress(FileNotFoundError):
                (self.spool_dir / name).unlink()
        with contextlib.suppress(OSError):
            self.spool_dir.rmdir()

    def __enter__(self) -> Compilation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def finding_text(f: Mapping[str, Any]) -> str:
    where = f"{f['sheet']}!{f['cell']} " if f.get("sheet") and f.get("cell") else ""
    level = "错误" if f.get("severity") == "error" else "警告"
    return f"[{level}] {where}{f.get('message', '')}"




def finish_row(row: FileRow, findings: list[dict[str, Any]]) -> None:
    row.errors = sum(1 for f in findings if f["severity"] == "error")
    row.warnings = len(findings) - row.errors
    if row.read_error is not None:
        row.status = "无法读取"
        row.first = [row.read_error]
    else:
        row.status = "不通过" if row.errors else "有警告" if row.warnings else "通过"
        ordered = sorted(findings, key=lambda f: f["severity"] != "error")
        row.first = [finding_text(f) for f in ordered[:FIRST_FINDINGS]]



def s3_outcomes() -> list[tuple[str, list[str]]]:
    """The six outcome categories of 三、本年度办理结果, each with the 总计-column fields it sums."""
    out: dict[str, list[str]] = {}
    for row in S3_ROWS:
        if row.level2 and not row.computed:
            out.setdefault(row.level2, []).append(s3_id(row.key, "total"))
    return list(out.items())


def outcome_mix(totals: Mapping[str, float]) -> list[tuple[str, float]]:
    """(short label, applications) for each outcome category, e.g. ("（二）部分公开", 46)."""
    return [(re.sub(r"（[^（）]*）$", "", label), sum(totals.get(f, 0) or 0 for f in fids))
            for label, fids in s3_outcomes()]


def yoy_rows() -> list[tuple[str, str]]:
    """Figures compared year over year: (label, field id)."""
    rows = [(row.level1.split("、", 1)[-1] if row.level1 and not row.level2 else row.level2, s3_id(row.key, "total"))
            for row in S3_ROWS if row.key in ("new", "carried", "open", "partial", "next")]
    rows.append(("办理结果总计", s3_id("results_total", "total")))
    for gkey, glabel in (("reconsideration", "行政复议"), ("direct_suit", "行政诉讼（未经复议直接起诉）"),
                         ("suit_after", "行政诉讼（复议后起诉）")):
        rows.append((glabel, f"s4_{gkey}_total"))
    for f in FORM.groups["section2"]:
        if f.id.endswith("_issued"):
            rows.append((f"{f.row_label}{f.col_label}", f.id))
    return rows


