"""The compile summary: the finished compile in memory, and its one document model (summary.json).

A :class:`Compilation` is what ``compile`` and ``merge`` produce and what every
summary output (summary.xlsx, summary.json, long.csv, the regional report) is
written from.  Status rows and totals are kept in memory (small); the full
findings and the report data of every agency are spooled on disk as JSON lines.

:class:`Summary` is the summary document itself, the one model every reader
and the writer share: its dataclasses give the members, their order and their
types, and ``summary.schema.json`` is derived from them (:func:`summary_schema`).
:func:`summary_document` lays a Compilation out in that order for the one
writer (:func:`xl_disclosure.writers.summary.write_summary_json`), and
:func:`load_summary` reads a file back: streamed element by element, within
:class:`SummaryLimits`, each part checked against the schema, any problem a
:class:`SummaryError` naming the file and the JSON path.  The list of files and
the reports are not kept in memory; they are read again from the file when
iterated.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import functools
import json
import os
import re
import shutil
import types
import typing
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import (
    IO,
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Generic,
    Literal,
    Required,
    TypedDict,
    TypeGuard,
    TypeVar,
)

from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.form import FORM, S3_ROWS, YEAR_MAX, YEAR_MIN, Kind, RuleSelection, s3_id
from xl_disclosure.form.selection import ALL_RULES
from xl_disclosure.model.agency import Agency, Prior
from xl_disclosure.model.findings import CoverageEntry
from xl_disclosure.model.inputs import InputFileError, open_regular
from xl_disclosure.model.jsonio import check_json, decoder
from xl_disclosure.model.report import GROUP_ORDER, Number, Report
from xl_disclosure.model.schema import (
    BASE_URI,
    DESCRIPTION,
    DRAFT,
    NULLABLE,
    OPTIONAL,
    REPORT_SCHEMA,
    VALIDATION_SCHEMA,
    Keywords,
    model_fields,
    model_schema,
    report_schema,
    validation_schema,
)

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

SUMMARY_KIND = "xl-disclosure/compile-summary"
SUMMARY_SCHEMA = "summary.schema.json"
TOTAL_GROUPS = ("section2", "section3", "section4")
#: A file's status in a compile: its validation status, or 重复报送 when another file claims the same agency
#: and year and this one is not counted (a conflict awaiting the office's decision, or the file not chosen), or
#: 同一报告的另一格式 when it is the same published report as the file counted, in another format (a PDF beside
#: the web page), with the same table values as read.
STATUSES = ("通过", "有警告", "不通过", "无法读取", "重复报送", "同一报告的另一格式")
DUPLICATE = "重复报送"
SAME_REPORT = "同一报告的另一格式"

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
    #: A published report's coverage (tables found, cells read/expected, what was not read); None for a workbook.
    coverage: CoverageEntry | None = None
    #: 重复率: the highest share of a narrative part's text found in the same part of last year's report
    #: (checks.narrative.most_reused), and that part's field; None without last year's text.
    reuse: float | None = None
    reuse_field: str | None = None
    #: Whether last year's data had this agency's report (compile --prior; the summary's own flag on merge).
    prior_matched: bool = False
    #: What the file was when compile read it: SHA-256 of its bytes, modification time, the workbook's
    #: own saved time (docProps/core.xml) — the evidence shown when two files claim one agency.
    sha256: str | None = None
    modified: str | None = None
    saved: str | None = None


#: The rule whose findings the 异常变化 list shows: a figure more than 10× or under 0.1× last year's.
JUMP_RULE = "cross_year.magnitude"
#: The rule whose measure the 重复率 column shows (blank when it is switched off).
REUSE_RULE = "cross_year.text_reuse"


#: How a duplicate was decided: every file the same, ``--prefer``, the agency list's 文件名 column.
DECISIONS = {"identical": "内容相同", "prefer": "--prefer", "list": "应报送名单", "summary": "原汇总",
             "format": "同一报告的不同格式"}
DECISION_KEYS = {v: k for k, v in DECISIONS.items()}


@dataclass
class Duplicate:
    """Several files claiming one agency and year: decided (``counted`` is the file counted) or pending."""

    agency: str
    uscc: str
    year: int | None
    #: Every file claiming the agency: the one counted first when decided, else in file order.
    files: list[str]
    #: How it was decided (a DECISIONS key); "" while it awaits the office's decision (nothing counted).
    decided: str = ""
    #: The row index of every file, in the order of ``files``.
    rows: list[int] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return not self.decided


@dataclass
class Compilation:
    """The finished compile: status rows in memory, findings and reports spooled on disk."""

    rows: list[FileRow]
    totals: Totals
    year: int | None
    include_invalid: bool
    expected: Sequence[Agency] | None
    missing: list[Agency]
    duplicates: list[Duplicate]
    prior: Prior | None
    spool_dir: Path
    #: index of the row of each agency received, in path order: the file counted (or the one file), and every
    #: file of a conflict awaiting a decision
    agency_rows: list[int] = field(default_factory=list)
    unexpected: list[int] = field(default_factory=list)
    #: Which rules ran, at which severity (the findings spooled are already those of this selection).
    rules: RuleSelection = ALL_RULES
    #: Agencies on the expected list whose report came in a format that cannot be read (their name is in
    #: the file's name): (agency, row index).  They sent it — 已报送（格式不符）— and are not in ``missing``.
    received_unreadable: list[tuple[Agency, int]] = field(default_factory=list)
    #: 异常变化: the figures of the agencies received that are far from last year's (their JUMP_RULE
    #: findings), in row order; None when there was nothing from last year to compare with.
    jumps: list[JumpEntry] | None = None
    #: Findings decided once every file was seen (duplicates and conflicts), by row index: added to the
    #: spooled findings of the row when read back.
    late_findings: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    # ------------------------------------------------------------------ access
    @property
    def conflicts(self) -> list[Duplicate]:
        """The duplicates awaiting a decision (none of their files counted)."""
        return [d for d in self.duplicates if d.pending]

    @property
    def prior_matched(self) -> int:
        """How many agencies received were found in last year's data (compared year over year)."""
        return sum(1 for i in self.agency_rows if self.rows[i].prior_matched)

    @property
    def shows_reuse(self) -> bool:
        """Whether the 重复率 column means anything: last year's reports were there and the rule ran."""
        return self.jumps is not None and self.rules.is_enabled(REUSE_RULE)

    def note_year_over_year(self, row: FileRow, findings: Sequence[Mapping[str, Any]]) -> None:
        """Keep the 异常变化 of an agency's (first) report, from the findings that ran."""
        if self.jumps is None:
            return
        for f in findings:
            entry = JumpEntry.of(row, f)
            if entry is not None and not any(j.field == entry.field and j.file == entry.file for j in self.jumps):
                self.jumps.append(entry)

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
        """1 when a file failed or could not be read, or files claiming one agency await a decision (with
        ``strict`` also when a file has warnings or is a decided duplicate), else 0."""
        bad = {"不通过", "无法读取"} | ({"有警告", DUPLICATE} if strict else set())
        return 1 if self.conflicts or any(r.status in bad for r in self.rows) else 0

    def findings_of(self) -> Iterator[list[dict[str, Any]]]:
        """The full findings of every row, in row order (streamed from the spool, with the late findings)."""
        late = self.late_findings
        with open(self.spool_dir / "findings.jsonl", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                yield json.loads(line) + late.get(i, [])

    def agency_reports(self) -> Iterator[tuple[FileRow, Report]]:
        """(row, report) of every agency received (see ``agency_rows``), in path order."""
        wanted = set(self.agency_rows)
        with open(self.spool_dir / "reports.jsonl", encoding="utf-8") as fh:
            for line in fh:
                index, values = json.loads(line)
                if index in wanted:
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
                    f"重复报送的只计一次（内容不同而尚未决定计入哪一份的都不计入），年度不符的不计入。"
                    f"未通过校验的数字可能有误，请谨慎使用。")
        return (f"汇总范围：校验通过（含有警告）的报告，共 {n} 个机关；未通过校验、无法读取、重复报送和年度不符的不计入"
                f"（同一机关内容不同的几份报告，决定计入哪一份之前都不计入）。")

    def __post_init__(self) -> None:
        # The spool goes when the compilation does, closed or not (and at exit at the latest).
        self._cleanup = weakref.finalize(self, _remove_spool, self.spool_dir)

    def close(self) -> None:
        """Remove the spool folder and everything in it (the spooled findings and reports, scratch files)."""
        self._cleanup()

    def __enter__(self) -> Compilation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: The names compile and merge give the spool folders they create (tempfile.mkdtemp's prefix).
SPOOL_PREFIXES = ("xl-compile-", "xl-merge-")


def _remove_spool(spool_dir: Path) -> None:
    """Remove the spooled findings and reports; a spool folder compile or merge created goes whole.

    A folder made by compile or merge (named ``xl-compile-…``/``xl-merge-…``) is removed with all in
    it, xlsxwriter's scratch files too.  Any other folder given as ``spool_dir`` is not ours: only the
    two spool files go, and the folder itself only if that leaves it empty.
    """
    if spool_dir.name.startswith(SPOOL_PREFIXES) and spool_dir.is_dir() and not spool_dir.is_symlink():
        shutil.rmtree(spool_dir, ignore_errors=True)
        return
    for name in ("findings.jsonl", "reports.jsonl", "figures.jsonl"):
        with contextlib.suppress(FileNotFoundError):
            (spool_dir / name).unlink()
    with contextlib.suppress(OSError):
        spool_dir.rmdir()


def finding_text(f: Mapping[str, Any]) -> str:
    where = f"{f['sheet']}!{f['cell']} " if f.get("sheet") and f.get("cell") else ""
    level = "错误" if f.get("severity") == "error" else "警告"
    return f"[{level}] {where}{f.get('message', '')}"




def checked_status(errors: int, warnings: int) -> str:
    """The status of a file read and checked: 不通过 with an error, 有警告 with a warning only, else 通过."""
    return "不通过" if errors else "有警告" if warnings else "通过"


def finish_row(row: FileRow, findings: list[dict[str, Any]]) -> None:
    row.errors = sum(1 for f in findings if f["severity"] == "error")
    row.warnings = len(findings) - row.errors
    if row.read_error is not None:
        row.status = "无法读取"
        row.first = [row.read_error]
    else:
        row.status = checked_status(row.errors, row.warnings)
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




# ===========================================================================
# The summary document (summary.json): one model for the writer, every reader and the schema
# ===========================================================================

class SummaryError(XlDisclosureError):
    """A summary file that cannot be read or does not fit the model; the message names the file and JSON path."""

    heading = "无法读取"


Status = Literal["通过", "有警告", "不通过", "无法读取", "重复报送", "同一报告的另一格式"]
Count = Annotated[int, Keywords(minimum=0)]
SummaryYear = Annotated[int, Keywords(minimum=YEAR_MIN, maximum=YEAR_MAX)]
#: A report as Report.to_json writes it; summaries of valid reports must fit report.schema.json.
ReportData = Annotated[dict[str, Any], Keywords(required=["form", "form_version", *GROUP_ORDER])]
T = TypeVar("T")


def _described(text: str) -> Any:
    return field(metadata={DESCRIPTION: text})


def _optional(text: str = "", *, nullable: bool = True) -> Any:
    """A member that summaries written by older versions may lack (None when absent)."""
    return field(default=None, metadata={OPTIONAL: True, NULLABLE: nullable, **({DESCRIPTION: text} if text else {})})


def _lines(text: str = "") -> Any:
    """A list written one element per line and read again from the file each time it is iterated."""
    return field(metadata={"lines": True, **({DESCRIPTION: text} if text else {})})


class FindingEntry(TypedDict, total=False):
    """One finding as a file's entry records it (:meth:`Finding.to_json`)."""

    rule: Required[str]
    severity: Required[Literal["error", "warning"]]
    message: Required[str]
    sheet: str | None
    cell: str | None
    field: str | None
    fields: list[str]
    expected: float | str | None
    actual: float | str | None


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One input file: its status, who it is from, its findings, whether it was counted."""

    __schema__: ClassVar[dict[str, Any]] = {"allOf": [
        {"if": {"properties": {"status": {"const": "无法读取"}}},
         "then": {"properties": {"read_error": {"type": "string"}, "counted": {"const": False}}}},
        {"if": {"properties": {"status": {"const": "不通过"}}}, "then": {"properties": {"errors": {"minimum": 1}}}},
        {"if": {"properties": {"status": {"const": "通过"}}},
         "then": {"properties": {"errors": {"const": 0}, "warnings": {"const": 0}}}},
    ]}

    file: str
    status: Status
    agency: str | None
    uscc: str | None
    year: int | None
    errors: Count
    warnings: Count
    findings: list[FindingEntry]
    counted: bool
    note: str | None
    read_error: str | None = _optional()
    template_version: int | None = _optional()
    coverage: CoverageEntry | None = _optional(
        "a published report (text, HTML, Word, PDF): tables found, cells of 二/三/四 read of those expected, "
        "and the cells not read, counted per reason")
    reuse: Annotated[float, Keywords(minimum=0, maximum=1)] | None = _optional(
        "重复率：文字各部分（一的五个部分、五、六）与上年报告同一部分相比，重复的字所占比例中最高的一个"
        "（cross_year.text_reuse 的量度）；没有上年报告的文字可比、或该规则未运行时为 null")
    reuse_field: str | None = _optional("重复率最高的文字部分的数据项编号")
    prior_matched: bool | None = _optional("上年数据（--prior）中有没有这个机关的报告（没有时无从比较）", nullable=False)
    sha256: Annotated[str, Keywords(pattern="^[0-9a-f]{64}$")] | None = _optional(
        "compile 读取时文件内容的 SHA-256（merge 保留原值）；旧版本写出的汇总没有这一项")
    modified: str | None = _optional("compile 读取时文件的修改时间（ISO 8601）")
    saved: str | None = _optional("工作簿自己记录的最后保存时间（docProps/core.xml，可被改写，仅供参考）")

    @classmethod
    def of(cls, row: FileRow, findings: Sequence[Mapping[str, Any]]) -> FileEntry:
        return cls(file=row.file, status=row.status, agency=row.agency or None,  # type: ignore[arg-type]
                   uscc=row.uscc or None, year=row.year, errors=row.errors, warnings=row.warnings,
                   findings=findings, counted=row.counted, note=row.note or None,  # type: ignore[arg-type]
                   read_error=row.read_error, template_version=row.template_version, coverage=row.coverage,
                   reuse=row.reuse, reuse_field=row.reuse_field, prior_matched=row.prior_matched, sha256=row.sha256,
                   modified=row.modified, saved=row.saved)


@dataclass(frozen=True, slots=True)
class AgencyEntry:
    """An agency received, counted or not: its one file, the file counted of several, or each file of a conflict
    awaiting a decision."""

    agency: str | None
    uscc: str | None
    file: str
    status: Status
    counted: bool | None = _optional(nullable=False)

    @classmethod
    def of(cls, row: FileRow) -> AgencyEntry:
        return cls(row.agency or None, row.uscc or None, row.file, row.status, row.counted)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class MissingEntry:
    """An agency on the list (--expected) that sent nothing."""

    __schema__: ClassVar[dict[str, Any]] = {
        "anyOf": [{"properties": {"agency": {"type": "string"}}}, {"properties": {"uscc": {"type": "string"}}}]}

    agency: str | None
    uscc: str | None


@dataclass(frozen=True, slots=True)
class UnreadableEntry:
    """An agency on the list whose file came in but could not be read (its name is in the file's name)."""

    agency: str | None
    uscc: str | None
    file: str


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    """One file of a duplicate: who it says it is from, and what it was when read."""

    file: str
    agency: str | None
    uscc: str | None
    status: Status
    counted: bool
    sha256: str | None
    modified: str | None
    saved: str | None


@dataclass(frozen=True, slots=True)
class DuplicateEntry:
    """An agency that sent the same year's report more than once: decided, or a conflict awaiting a decision."""

    agency: str | None
    uscc: str | None
    year: int | None
    files: Annotated[list[str], Keywords(minItems=2)] = _described(
        "已决定时第一个为计入汇总的文件；待决定（decided 为 null）时按文件顺序，都未计入")
    decided: Literal["内容相同", "--prefer", "应报送名单", "原汇总", "同一报告的不同格式"] | None = _optional(
        "如何决定计入哪一份：内容相同（各份逐字节相同；merge 时报告数据相同）、--prefer、应报送名单的“文件名”列、"
        "原汇总（merge：旧版本写出的汇总已按第一份计入）、同一报告的不同格式（已发布报告的几种格式，如 PDF 与网页，"
        "读出的表格数字一致，计入读出最多的一份）；"
        "null = 内容不同，尚待汇总机构决定，各份都不计入。旧版本写出的汇总没有这一项（按第一份计入）")
    evidence: list[EvidenceEntry] | None = _optional("每份文件的名称、代码、SHA-256、修改时间，与 files 顺序相同",
                                                     nullable=False)

    @property
    def pending(self) -> bool:
        """A conflict awaiting a decision (a summary from an older version has none: it counted the first file)."""
        return self.decided is None and self.evidence is not None


@dataclass(frozen=True, slots=True)
class JumpEntry:
    """A figure far from last year's (a cross_year.magnitude finding): one per agency and field."""

    agency: str | None
    uscc: str | None
    file: str
    field: str = _described("数据项编号，如 s3_new_total")
    label: str = _described("数据项名称（表格中的行和列）")
    last: float = _described("上年数值")
    this: float = _described("本年数值")
    ratio: float = _described("本年 ÷ 上年")
    rule: str = _described("发现它的规则")

    @classmethod
    def of(cls, row: FileRow, finding: Mapping[str, Any]) -> JumpEntry | None:
        """The entry of a finding of :data:`JUMP_RULE` (None for any other finding, or one without figures)."""
        fid, last, this = finding.get("field"), finding.get("expected"), finding.get("actual")
        if finding.get("rule") != JUMP_RULE or fid not in FORM.by_id or not _is_num(last) or not _is_num(this) \
                or last <= 0:
            return None
        return cls(row.agency or None, row.uscc or None, row.file, fid, FORM.by_id[fid].label, last, this,
                   round(this / last, 3), JUMP_RULE)


def _is_num(v: object) -> TypeGuard[float]:
    return isinstance(v, int | float) and not isinstance(v, bool)


@dataclass(frozen=True, slots=True)
class GroupTotals:
    """The regional totals of sections 二, 三 and 四: field id -> sum."""

    __schema__: ClassVar[dict[str, Any]] = {"additionalProperties": False}

    section2: Annotated[dict[str, float], Keywords(propertyNames={"pattern": "^s2_"})]
    section3: Annotated[dict[str, float], Keywords(propertyNames={"pattern": "^s3_"})]
    section4: Annotated[dict[str, float], Keywords(propertyNames={"pattern": "^s4_"})]

    def flat(self) -> dict[str, float]:
        return {k: v for g in TOTAL_GROUPS for k, v in getattr(self, g).items()}


class Entries(Generic[T]):
    """The files or the reports of a summary: counted when loaded, read (again) each time they are iterated."""

    json_array: ClassVar[bool] = True  # a JSON array for model_schema

    def __init__(self, count: int, read: Callable[[], Iterator[T]]) -> None:
        self._count, self._read = count, read

    @classmethod
    def of(cls, items: Sequence[T]) -> Entries[T]:
        return cls(len(items), lambda: iter(items))

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        return self._read()


@dataclass(kw_only=True)
class Summary:
    """A compile summary (summary.json), member by member in the order it is written."""

    __schema__: ClassVar[dict[str, Any]] = {
        "title": "政府信息公开工作年度报告汇总结果",
        "description": "xl-disclosure compile --json（或 merge --json）的输出：全区域合计、每个文件的校验状态、各机关、"
                       "未报送与重复报送、计入汇总的各机关报告数据。下一年度可作为 compile --prior 或 template --prior "
                       "的输入，也可由 render 生成汇总报告。由汇总模型自动生成，请勿手工修改。",
        "if": {"properties": {"included": {"const": "valid"}}},
        "then": {"properties": {"reports": {"items": {"$ref": REPORT_SCHEMA}}}},
    }

    kind: Literal["xl-disclosure/compile-summary"]
    year: SummaryYear | None = _described("汇总年度（--year，或计入汇总的报告中最多的年度）")
    included: Literal["valid", "all"] = _described(
        "valid = 只合计校验通过（含有警告）的报告；all = 能读取的报告都计入（--include-invalid）")
    included_text: str | None = _optional(nullable=False)
    counted: Count | None = _optional("计入汇总的机关数", nullable=False)
    status_counts: dict[Status, Count] | None = _optional(nullable=False)
    rules: Annotated[dict[str, Any], Keywords(**{"$ref": f"{VALIDATION_SCHEMA}#/$defs/rules"})] | None = _optional(
        "汇总时运行了哪些规则（项目文件、--select、--ignore 决定）；merge 只合并规则设置相同的汇总。"
        "没有这一项的汇总（旧版本写出）运行了全部规则。", nullable=False)
    totals: GroupTotals
    files: Entries[FileEntry] = _lines()
    agencies: list[AgencyEntry]
    expected_given: bool | None = _optional(
        "是否给出了应报送机关名单（--expected）：true 时 missing 列出名单中未报送的机关，false 时无从判断谁未报送。"
        "旧版本写出的汇总没有这一项。", nullable=False)
    missing: list[MissingEntry]
    received_unreadable: list[UnreadableEntry] | None = _optional(
        "应报送名单中的机关：收到了它的文件（文件名中有机关名称或统一社会信用代码），但格式无法读取"
        "（如 WPS .et、旧版 .xls）——已报送（格式不符），不在 missing 中。旧版本写出的汇总没有这一项。", nullable=False)
    duplicates: list[DuplicateEntry]
    prior_given: bool | None = _optional(
        "是否有上年数据可比（compile --prior，或合并的汇总中有）：true 时 jumps 列出异常变化，files 中有重复率。"
        "旧版本写出的汇总没有这一项。", nullable=False)
    jumps: list[JumpEntry] | None = _optional(
        "异常变化：各机关本年与上年相比变化超过 10 倍或不到十分之一的数字（cross_year.magnitude 的问题），"
        "每个机关每个数据项一条。旧版本写出的汇总没有这一项。", nullable=False)
    reports: Entries[ReportData] = _lines("计入汇总的各机关报告，与 files 中 counted 为 true 的文件一一对应、顺序相同")
    #: The file it was read from ("" when built in memory); not part of the JSON.
    source: str = field(default="", metadata={"json": False})

    @property
    def list_given(self) -> bool:
        """Whether compile had an agency list; a summary from an older version tells by listing someone missing."""
        return self.expected_given if self.expected_given is not None else bool(self.missing)

    @property
    def counted_count(self) -> int:
        """How many agencies were counted (from ``counted``, else from the files)."""
        return self.counted if self.counted is not None else sum(1 for f in self.files if f.counted)

    @classmethod
    def from_json(cls, data: object, *, source: str = "", limits: SummaryLimits | None = None) -> Summary:
        """A summary already in memory (parsed JSON), checked as :func:`load_summary` checks a file."""
        builder = _Builder(_where(source), limits or LIMITS)
        if not isinstance(data, Mapping):
            raise builder.not_a_summary()
        kept: dict[str, list[Any]] = {}
        for name, value in data.items():
            if name in _LIST_MEMBERS and isinstance(value, list):
                check = builder.start_list(name)
                for i, item in enumerate(value):
                    builder.element(name, i, item, check)
                kept[name] = value
            else:
                builder.value(name, value)
        for name, check in builder.recheck():
            for i, item in enumerate(kept[name]):
                builder.check(name, i, item, check)
        return builder.finish(source, {name: _entries_of(name, kept[name]) for name in _LINE_MEMBERS if name in kept})


def _entries_of(name: str, items: list[Any]) -> Entries[Any]:
    make = _MAKE.get(name)
    return Entries.of([make(x) for x in items] if make else items)


def to_json(entry: Any) -> dict[str, Any]:
    """A model entry as its JSON object, members in model order (a list of entries as a list of objects)."""
    return {name: _json_value(getattr(entry, name)) for name in _json_names(type(entry))}


def _json_value(value: Any) -> Any:
    if isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
        return [to_json(v) for v in value]
    return value


def _json_names(cls: type) -> tuple[str, ...]:
    return tuple(name for name, *_ in model_fields(cls))


def _make(cls: type[T]) -> Callable[[Mapping[str, Any]], T]:
    """Build a model entry from its (already validated) JSON object; members it does not know are dropped."""
    names = _json_names(cls)

    def make(obj: Mapping[str, Any]) -> T:
        return cls(**{n: obj[n] for n in names if n in obj})

    return make


def _hints(cls: type) -> dict[str, Any]:
    return {name: tp for name, tp, *_ in model_fields(cls)}


def _members(kind: str) -> tuple[str, ...]:
    return tuple(name for name, tp, meta, _ in model_fields(Summary)
                 if (kind == "lines") == bool(meta.get("lines")) and (meta.get("lines") or _is_list(tp)))


def _is_list(tp: Any) -> bool:
    """A list, or a list a summary from an older version may lack (``list[...] | None``)."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(tp))
    return typing.get_origin(tp) is list


_LINE_MEMBERS = _members("lines")  # files, reports: not kept in memory
_KEPT_LISTS = _members("kept")  # agencies, missing, duplicates
_LIST_MEMBERS = _LINE_MEMBERS + _KEPT_LISTS
_MAKE: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "files": _make(FileEntry), "agencies": _make(AgencyEntry), "missing": _make(MissingEntry),
    "received_unreadable": _make(UnreadableEntry),
    "duplicates": lambda obj: _make(DuplicateEntry)(
        {**obj, "evidence": None if obj.get("evidence") is None else [_make(EvidenceEntry)(e) for e in obj["evidence"]]}),
    "jumps": _make(JumpEntry),
}
assert typing.get_args(Status) == STATUSES and typing.get_args(_hints(Summary)["kind"]) == (SUMMARY_KIND,)
assert tuple(f.name for f in dataclasses.fields(GroupTotals)) == TOTAL_GROUPS


def summary_schema() -> dict[str, Any]:
    """summary.schema.json, derived from :class:`Summary`."""
    defs: dict[str, Any] = {}
    body = model_schema(Summary, defs)
    return {"$schema": DRAFT, "$id": BASE_URI + SUMMARY_SCHEMA, **body, "$defs": defs}


def summary_document(comp: Compilation) -> list[tuple[str, Any, bool]]:
    """A finished compile or merge as its summary: (member, JSON value, one element per line), in model order.

    The files and the reports are generators, read from the spool as they are written.
    """
    values: dict[str, Any] = {
        "kind": SUMMARY_KIND, "year": comp.year, "included": comp.included, "included_text": comp.included_text(),
        "counted": comp.totals.count, "status_counts": comp.tally(), "rules": comp.rules.to_json(),
        "totals": comp.totals.grouped(),
        "files": (to_json(FileEntry.of(row, findings))
                  for row, findings in zip(comp.rows, comp.findings_of(), strict=True)),
        "agencies": [to_json(AgencyEntry.of(comp.rows[i])) for i in comp.agency_rows],
        "expected_given": comp.expected is not None,
        "missing": [to_json(MissingEntry(a.name or None, a.uscc or None)) for a in comp.missing],
        "received_unreadable": [to_json(UnreadableEntry(a.name or None, a.uscc or None, comp.rows[i].file))
                                for a, i in comp.received_unreadable],
        "duplicates": [duplicate_json(comp, d) for d in comp.duplicates],
        "prior_given": comp.jumps is not None,
        "jumps": [to_json(j) for j in comp.jumps or ()],
        "reports": (report.to_json() for _, report in comp.counted_reports()),
    }
    out = [(name, values.pop(name), bool(meta.get("lines"))) for name, _, meta, _ in model_fields(Summary)]
    assert not values, f"not in the summary model: {sorted(values)}"
    return out


def duplicate_json(comp: Compilation, d: Duplicate) -> dict[str, Any]:
    """A duplicate as its summary entry, with the evidence of every file."""
    evidence = [EvidenceEntry(r.file, r.agency or None, r.uscc or None, r.status,  # type: ignore[arg-type]
                              r.counted, r.sha256, r.modified, r.saved)
                for r in (comp.rows[i] for i in d.rows)]
    return to_json(DuplicateEntry(d.agency or None, d.uscc or None, d.year, d.files,
                                  DECISIONS.get(d.decided), evidence))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Reading a summary: bounded, streamed, checked against the schema
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SummaryLimits:
    """What :func:`load_summary` refuses: bigger files, longer lists, bigger single values."""

    max_bytes: int = 2 * 1024**3
    #: Elements of any one list (files, agencies, reports, ...).
    max_entries: int = 200_000
    #: Characters of one value: one file's entry, one report, the totals.
    max_value_chars: int = 32 * 1024**2


LIMITS = SummaryLimits()
_CHUNK = 1 << 20
_WS = re.compile(r"[ \t\n\r]*")


def _where(source: str) -> str:
    return f"汇总结果 {source}" if source else "汇总结果"


def _size(n: int) -> str:
    return f"{n / 1024**3:.1f} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB" if n >= 1024**2 else f"{n} 字节"


def _regenerate() -> str:
    return "请使用本工具 compile --json（或 merge --json）写出的汇总文件，不要手工修改。"


class _Stream:
    """The top level of a JSON document read in chunks: one value (one list element) at a time."""

    def __init__(self, fh: IO[bytes], where: str, limits: SummaryLimits, offset: int = 0) -> None:
        self.fh, self.where, self.limits = fh, where, limits
        self.text = codecs.getincrementaldecoder("utf-8")()
        self.buf, self.pos, self.eof = "", 0, False
        self.base, self.line = offset, 1  # bytes of the file before buf[0]; the line buf[0] is on
        self.json = decoder()  # NaN, Infinity, overflowing and overlong numbers come back refused (model.jsonio)
        if offset == 0 and self.peek() == "\ufeff":
            self.pos += 1

    def _read(self, at_least: int = _CHUNK) -> bool:
        """Append the next chunk, dropping what was consumed; False at the end of the file."""
        if self.eof:
            return False
        if self.pos:
            done = self.buf[:self.pos]
            self.base += len(done.encode("utf-8"))
            self.line += done.count("\n")
            self.buf, self.pos = self.buf[self.pos:], 0
        data = self.fh.read(max(at_least, _CHUNK))
        try:
            self.buf += self.text.decode(data, final=not data)
        except UnicodeDecodeError:
            raise SummaryError(f"{self.where} 不是 UTF-8 编码的 JSON 文本，无法读取。{_regenerate()}") from None
        self.eof = not data
        return bool(data)

    def offset(self) -> int:
        """Where in the file (bytes) the next value starts."""
        return self.base + len(self.buf[:self.pos].encode("utf-8"))

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._read():
                return ""

    def expect(self, chars: str, what: str) -> str:
        c = self.peek()
        if not c or c not in chars:
            raise self.syntax(self.pos, f"此处应为{what}")
        self.pos += 1
        return c

    def at_end(self) -> bool:
        return self.peek() == ""

    def syntax(self, pos: int, why: str) -> SummaryError:
        line = self.line + self.buf.count("\n", 0, pos)
        column = pos - (self.buf.rfind("\n", 0, pos) + 1) + 1
        return SummaryError(f"{self.where} 第 {line} 行第 {column} 列不是有效的 JSON（{why}），文件可能不完整或被改过。"
                            f"{_regenerate()}")

    def value(self) -> Any:
        """The next JSON value, read as far as it goes (never more than limits.max_value_chars)."""
        self.peek()
        while True:
            try:
                obj, end = self.json.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # Cut off by the end of the buffer (more to read), or really broken?
                cut = exc.msg.startswith("Unterminated string") or exc.pos >= len(self.buf) - 8
                if self.eof or not cut:
                    raise self.syntax(exc.pos, exc.msg) from None
            except RecursionError:
                raise self.syntax(self.pos, "嵌套层数过多") from None
            else:
                if end - self.pos > self.limits.max_value_chars:
                    raise self._too_big()
                if end < len(self.buf) or self.eof:  # a number at the very end may go on in the next chunk
                    self.pos = end
                    return obj
            if len(self.buf) - self.pos > self.limits.max_value_chars:
                raise self._too_big()
            self._read(len(self.buf) - self.pos)

    def _too_big(self) -> SummaryError:
        line = self.line + self.buf.count("\n", 0, self.pos)
        return SummaryError(f"{self.where} 第 {line} 行起的一项超过 {_size(self.limits.max_value_chars)}，"
                            f"超出本工具读取汇总结果的上限，文件可能被改过。{_regenerate()}")


def _json_path(path: Iterable[Any]) -> str:
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(part)):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false", "null": "null（空）",
               "object": "JSON 对象", "array": "列表"}


def _shown(value: Any) -> str:
    text = f"“{value}”" if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:40] + "…"


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true 或 false"
    for t, name in ((int, "整数"), (float, "数字"), (str, "文字"), (list, "列表"), (dict, "JSON 对象")):
        if isinstance(value, t):
            return f"{name} {_shown(value)}" if t in (int, float, str) else name
    return type(value).__name__


def _problem(error: ValidationError) -> str:
    """What is wrong, in Chinese (the JSON path is given separately)."""
    v, want, got = error.validator, error.validator_value, error.instance
    if v == "type":
        wanted = want if isinstance(want, list) else [want]
        return f"应为{'或'.join(_TYPE_NAMES.get(w, str(w)) for w in wanted)}，实际为{_type_of(got)}"
    if v == "enum":
        return f"应为{'、'.join(_shown(w) for w in want)}之一，实际为{_shown(got)}"
    if v == "const":
        return f"应为 {_shown(want)}，实际为{_shown(got)}"
    if v == "required":
        lacking = [k for k in want if isinstance(got, Mapping) and k not in got]
        return "缺少" + "、".join(f"“{k}”" for k in lacking)
    if v == "minimum":
        return f"应不小于 {want}，实际为 {_shown(got)}"
    if v == "maximum":
        return f"应不大于 {want}，实际为 {_shown(got)}"
    if v == "minItems":
        return f"至少应有 {want} 项，实际为 {len(got)} 项"
    if v in ("additionalProperties", "propertyNames") and isinstance(got, Mapping):
        return f"有不应出现的项（{error.message}）"
    if v == "anyOf" and isinstance(got, Mapping) and {"agency", "uscc"} <= set(got):
        return "机关名称（agency）与统一社会信用代码（uscc）至少应有一项"
    return f"不符合格式要求（{error.message}）"


def _schema_error(where: str, error: ValidationError, prefix: Sequence[Any] = ()) -> SummaryError:
    path = _json_path([*prefix, *error.absolute_path])
    return SummaryError(f"{where} 的格式不对（见 {SUMMARY_SCHEMA}）：{path} {_problem(error)}。{_regenerate()}")


class _Check:
    """One schema, checked fast by jsonschema-rs; what is wrong is then told by jsonschema's best match.

    Both libraries implement draft 2020-12; the fast one decides, the other only words the
    first problem of an instance found invalid.  Both are imported when a summary is first
    checked, not with this module: together they take longer to import than the rest of
    ``validate``'s start-up.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema_rs

        self.schema = schema
        self.fast = jsonschema_rs.validator_for(
            schema, registry=jsonschema_rs.Registry(list(_referenced().items())), retriever=_offline)
        self._slow: Validator | None = None

    def holds(self, instance: Any) -> bool:
        return bool(self.fast.is_valid(instance))

    def error(self, where: str, instance: Any, prefix: Sequence[Any] = ()) -> SummaryError | None:
        """What is wrong with ``instance`` (its JSON path starting with ``prefix``), or None if it fits."""
        if self.fast.is_valid(instance):
            return None
        from jsonschema.exceptions import best_match

        found = best_match(self.slow().iter_errors(instance))
        if found is not None:
            return _schema_error(where, found, prefix)
        first = next(iter(self.fast.iter_errors(instance)))
        return SummaryError(f"{where} 的格式不对（见 {SUMMARY_SCHEMA}）：{_json_path([*prefix, *first.instance_path])} "
                            f"不符合格式要求（{first.message}）。{_regenerate()}")

    def slow(self) -> Validator:
        if self._slow is None:
            import jsonschema
            from referencing import Registry, Resource

            registry: Registry[Any] = Registry().with_resources(
                (uri, Resource.from_contents(schema)) for uri, schema in _referenced().items())
            self._slow = jsonschema.validators.validator_for(self.schema)(self.schema, registry=registry)
        return self._slow


@functools.cache
def _referenced() -> dict[str, dict[str, Any]]:
    """The other schemas summary.schema.json refers to, by URI."""
    return {BASE_URI + REPORT_SCHEMA: report_schema(), BASE_URI + VALIDATION_SCHEMA: validation_schema()}


def _offline(uri: str) -> Any:
    raise ValueError(f"{uri} is not part of the summary schema")


@functools.cache
def _check(name: str | None, strict: bool = False) -> _Check:
    """The check of the summary without its lists (name None), or of one element of list ``name``."""
    top = summary_schema()
    if name is None:
        return _Check(top)
    parts = [top["properties"][name]["items"]]
    if strict:
        parts.append(top["then"]["properties"][name]["items"])
    return _Check({"$schema": DRAFT, "$id": top["$id"], "$defs": top["$defs"], "allOf": parts})


@functools.cache
def _condition() -> _Check:
    """Whether the summary's top-level ``if`` holds (then its lists' elements get the ``then`` schemas)."""
    return _Check({"$schema": DRAFT, **summary_schema()["if"]})


class _Builder:
    """Takes a summary's members one by one (a list element by element), checks each, and builds the Summary."""

    def __init__(self, where: str, limits: SummaryLimits) -> None:
        self.where, self.limits = where, limits
        self.head: dict[str, Any] = {}
        self.kept: dict[str, list[Any]] = {}
        self.counts: dict[str, int] = {}
        self.undecided: set[str] = set()
        self.counted_files = 0

    def not_a_summary(self) -> SummaryError:
        return SummaryError(f"{self.where} 不是本工具 compile --json 写出的汇总结果（“kind”应为 {SUMMARY_KIND}）。")

    def _seen(self, name: str) -> None:
        if name in self.head or name in self.counts:
            raise SummaryError(f"{self.where} 中“{name}”出现了两次，文件被改过。{_regenerate()}")

    def value(self, name: str, value: Any) -> None:
        self._seen(name)
        _checked(value, self.where, (name,))
        if name == "kind" and value != SUMMARY_KIND:
            raise self.not_a_summary()
        self.head[name] = value

    def start_list(self, name: str) -> _Check:
        """The validator for the elements of list ``name``, as far as the members read so far decide it."""
        self._seen(name)
        self.counts[name] = 0
        if name in _KEPT_LISTS:
            self.kept[name] = []
        condition = summary_schema().get("if", {}).get("properties", {})
        depends = name in summary_schema().get("then", {}).get("properties", {})
        if depends and not set(condition) <= set(self.head):
            self.undecided.add(name)  # e.g. "included" comes after "reports": checked again at the end
        return _check(name, depends and self._condition_holds())

    def _condition_holds(self) -> bool:
        return _condition().holds(self.head)

    def check(self, name: str, index: int, item: Any, check: _Check) -> None:
        _checked(item, self.where, (name, index))
        error = check.error(self.where, item, (name, index))
        if error is not None:
            raise error

    def element(self, name: str, index: int, item: Any, check: _Check) -> None:
        if index >= self.limits.max_entries:
            raise SummaryError(f"{self.where} 的“{name}”超过 {self.limits.max_entries} 项，超出本工具读取汇总结果的上限。"
                               f"请分成几份汇总（每份一个汇总 JSON），需要时再用 merge 合并。")
        self.check(name, index, item, check)
        self.counts[name] = index + 1
        if name == "files" and item.get("counted") is True:
            self.counted_files += 1
        if name in self.kept:
            self.kept[name].append(_MAKE[name](item))

    def recheck(self) -> list[tuple[str, _Check]]:
        """Lists whose element schema was undecided while they were read and turned out the stricter one."""
        return [(name, _check(name, True)) for name in sorted(self.undecided) if self._condition_holds()]

    def finish(self, source: str, lines: Mapping[str, Entries[Any]]) -> Summary:
        head = {**self.head, **{name: [] for name in self.counts}}
        if head.get("kind") != SUMMARY_KIND:
            raise self.not_a_summary()
        error = _check(None).error(self.where, head)
        if error is not None:
            raise error
        reports = self.counts.get("reports", 0)
        if self.counted_files != reports:
            raise SummaryError(f"{self.where}：计入汇总的文件有 {self.counted_files} 个，报告数据却有 {reports} 份，"
                               f"文件不完整或被改过。请重新运行 compile --json 生成。")
        values: dict[str, Any] = {}
        for name, tp, _, _ in model_fields(Summary):
            if name in lines:
                values[name] = lines[name]
            elif name in self.kept:
                values[name] = self.kept[name]
            elif name in self.head:
                raw = self.head[name]
                values[name] = _make(tp)(raw) if isinstance(tp, type) and dataclasses.is_dataclass(tp) else raw
        return Summary(**values, source=source)


def _checked(value: Any, where: str, at: tuple[str | int, ...]) -> None:
    """A piece of the summary as model.jsonio checks every JSON input (refused numbers, surrogates, depth)."""
    try:
        check_json(value, source=where, at=at)
    except InputFileError as exc:
        raise SummaryError(str(exc)) from None


def _open(path: Path, where: str) -> IO[bytes]:
    """The summary file, opened only if it is a regular file (a FIFO would block the read)."""
    try:
        return os.fdopen(open_regular(path, where), "rb")
    except InputFileError as exc:
        raise SummaryError(str(exc)) from None


def load_summary(path: str | Path, *, limits: SummaryLimits | None = None) -> Summary:
    """Read and check a summary file (see the module docstring); SummaryError says what is wrong and where."""
    path = Path(path)
    limits = limits or LIMITS
    where = _where(str(path))
    try:
        stat = path.stat()
        if stat.st_size > limits.max_bytes:
            raise SummaryError(f"{where} 有 {_size(stat.st_size)}，超过本工具读取汇总结果的上限 {_size(limits.max_bytes)}。"
                               f"请分成几份汇总（每份一个汇总 JSON），需要时再用 merge 合并。")
        with _open(path, where) as fh:
            builder = _Builder(where, limits)
            stream = _Stream(fh, where, limits)
            offsets = _read_members(stream, builder)
            for name, check in builder.recheck():
                for i, item in enumerate(_reread(path, offsets[name], stat, where, limits)):
                    builder.check(name, i, item, check)
    except OSError as exc:
        raise SummaryError(f"{where} 无法读取（{exc.strerror or exc}）。") from exc

    def reread(name: str) -> Entries[Any]:
        make = _MAKE.get(name)

        def read() -> Iterator[Any]:
            for item in _reread(path, offsets[name], stat, where, limits):
                yield make(item) if make else item

        return Entries(builder.counts[name], read)

    return builder.finish(str(path), {name: reread(name) for name in _LINE_MEMBERS if name in offsets})


def _read_members(stream: _Stream, builder: _Builder) -> dict[str, int]:
    """Feed every member to ``builder``; returns where (bytes) each list written one per line starts."""
    offsets: dict[str, int] = {}
    if stream.peek() != "{":
        raise builder.not_a_summary()
    stream.expect("{", "“{”")
    if stream.peek() != "}":
        while True:
            name = stream.value()
            if not isinstance(name, str):
                raise stream.syntax(stream.pos, "此处应为带引号的名称")
            stream.expect(":", "“:”")
            if name in _LIST_MEMBERS and stream.peek() == "[":
                offsets[name] = stream.offset()
                check = builder.start_list(name)
                for i, item in enumerate(_elements(stream)):
                    builder.element(name, i, item, check)
            else:
                builder.value(name, stream.value())
            if stream.expect(",}", "“,”或“}”") == "}":
                break
    else:
        stream.expect("}", "“}”")
    if not stream.at_end():
        raise stream.syntax(stream.pos, "汇总对象之后还有多余的内容")
    return offsets


def _elements(stream: _Stream) -> Iterator[Any]:
    stream.expect("[", "“[”")
    if stream.peek() == "]":
        stream.pos += 1
        return
    while True:
        yield stream.value()
        if stream.expect(",]", "“,”或“]”") == "]":
            return


def _reread(path: Path, offset: int, stamp: os.stat_result, where: str, limits: SummaryLimits) -> Iterator[Any]:
    """The elements of the list that starts at ``offset``, read again from the file."""
    with _open(path, where) as fh:
        now = os.fstat(fh.fileno())
        if (now.st_size, now.st_mtime_ns) != (stamp.st_size, stamp.st_mtime_ns):
            raise SummaryError(f"{where} 在读取过程中被修改了，请等它写完后重试。")
        fh.seek(offset)
        yield from _elements(_Stream(fh, where, limits, offset))


def is_summary_file(path: str | Path) -> bool:
    """Whether ``path`` is a JSON object whose "kind" says it is a compile summary (read only as far as "kind")."""
    try:
        with _open(Path(path), str(path)) as fh:
            stream = _Stream(fh, str(path), LIMITS)
            if stream.peek() != "{":
                return False
            stream.expect("{", "{")
            while stream.peek() == '"':
                name = stream.value()
                stream.expect(":", ":")
                value = stream.value()
                if name == "kind":
                    return bool(value == SUMMARY_KIND)
                if stream.expect(",}", ",}") == "}":
                    return False
    except (OSError, SummaryError):
        return False
    return False
