"""Compiling many returned reports into one regional summary.

The compiling office (政务公开办) gets hundreds or thousands of files back.
:func:`compile_reports` validates them in parallel worker processes, streams
the results back in file-path order and aggregates as it goes, so memory stays
flat in the number of files:

* every input file gets one :class:`FileRow` (status, counts, first findings);
* the full findings and the report data of every agency are spooled to
  temporary JSON-lines files, not kept in memory;
* regional totals are summed on the fly.

The outputs (summary.xlsx, summary.json, long.csv) are written from a finished
:class:`Compilation` by :mod:`.summary_xlsx` and the functions at the end of
this module.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import glob
import io
import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .api import SUPPORTED_SUFFIXES
from .findings import Finding
from .form import FORM, S3_ROWS, Kind, Severity, s3_id
from .outputs import neutralize, open_atomic
from .report import Number, Report, ReportFormatError

SUMMARY_KIND = "xl-disclosure/compile-summary"
TOTAL_GROUPS = ("section2", "section3", "section4")
STATUSES = ("通过", "有警告", "不通过", "无法读取")

#: Compile-level rules (in addition to FORM.rules): they need more than one file to decide.
COMPILE_RULES = {
    "compile.year": (Severity.ERROR, "报告年度与本次汇总年度不一致"),
    "compile.duplicate": (Severity.WARNING, "同一机关同一年度重复报送"),
    "compile.crash": (Severity.ERROR, "读取时发生意外错误"),
}

#: File types picked up when a folder is given (explicitly named files are always taken).
#: Files taken from a folder: what validate_file reads, plus .xls (to say it is refused); not Markdown notes.
FOLDER_SUFFIXES = (SUPPORTED_SUFFIXES - {".md"}) | {".xls"}

#: Numeric fields that are summed into the regional totals, in form order.
TOTAL_FIELDS: tuple[str, ...] = tuple(
    f.id for g in TOTAL_GROUPS for f in FORM.groups[g] if f.is_numeric
)

#: How many finding messages a status row keeps in memory (the rest are spooled).
FIRST_FINDINGS = 3


class CompileError(Exception):
    """A usage problem (bad --expected/--prior file, no inputs); the message is for the user (Chinese)."""


# ---------------------------------------------------------------------------
# Collecting inputs
# ---------------------------------------------------------------------------

def is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _skip_in_folder(path: Path) -> bool:
    name = path.name
    return (name.startswith((".", "~$")) or path.suffix.lower() not in FOLDER_SUFFIXES
            or any(part.startswith(".") for part in path.parts[:-1] if part not in (".", "..")))


def collect_inputs(inputs: Sequence[str]) -> list[Path]:
    """Every file named by ``inputs`` (files, folders searched recursively, glob patterns), once each.

    Files are returned sorted by path, the order that decides which of two
    duplicates is counted.  A named path that does not exist is returned as is
    (it becomes a 无法读取 row); a folder or pattern that matches nothing raises
    CompileError, as does an empty input list.
    """
    found: dict[str, Path] = {}

    def add(p: Path) -> None:
        key = os.path.normcase(os.path.abspath(p))
        found.setdefault(key, p)

    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            matched = [c for c in p.rglob("*") if c.is_file() and not _skip_in_folder(c.relative_to(p))]
            if not matched:
                raise CompileError(f"文件夹 {raw} 里没有可汇总的文件（.xlsx/.xlsm/.json/.txt/.html/.docx）。")
            for c in matched:
                add(c)
        elif p.exists():
            add(p)
        elif is_glob(raw):
            matched = [Path(m) for m in glob.glob(raw, recursive=True)]
            files: list[Path] = []
            for m in matched:
                if m.is_dir():
                    files += [c for c in m.rglob("*") if c.is_file() and not _skip_in_folder(c.relative_to(m))]
                elif not m.name.startswith("~$"):
                    files.append(m)
            if not files:
                raise CompileError(f"“{raw}”没有匹配到任何文件。")
            for c in files:
                add(c)
        else:
            add(p)  # reported as 无法读取: 文件不存在
    if not found:
        raise CompileError("没有指定要汇总的文件。")
    return sorted(found.values(), key=lambda q: _natural_key(str(q)))


def _natural_key(text: str) -> tuple[Any, ...]:
    """Path order as people expect it: 'r2' before 'r10'."""
    out: list[Any] = []
    num = ""
    for ch in text:
        if ch.isdigit() and ch.isascii():
            num += ch
            continue
        if num:
            out.append((0, int(num), ""))
            num = ""
        out.append((1, 0, ch))
    if num:
        out.append((0, int(num), ""))
    return tuple(out)


# ---------------------------------------------------------------------------
# Agency identity
# ---------------------------------------------------------------------------

def norm_name(name: object) -> str:
    """Agency names compared loosely: NFKC, no whitespace."""
    if not isinstance(name, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", name).split())


def norm_uscc(code: object) -> str:
    if not isinstance(code, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


@dataclass(frozen=True)
class Agency:
    name: str
    uscc: str


def read_expected(path: str | Path) -> list[Agency]:
    """The agencies expected to report: a CSV with 机关名称 and/or 统一社会信用代码 (or name/uscc) columns."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CompileError(f"应报送机关名单 {path} 无法打开：{exc.strerror or exc}。") from exc
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise CompileError(f"应报送机关名单 {path} 的编码无法识别，请另存为 UTF-8 编码的 CSV。")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise CompileError(f"应报送机关名单 {path} 是空的。")
    header = [norm_name(c).lower() for c in rows[0]]
    name_col = _column(header, ("机关名称", "单位名称", "机关", "name", "agency"))
    uscc_col = _column(header, ("统一社会信用代码", "信用代码", "uscc", "code"))
    if name_col is None and uscc_col is None:
        raise CompileError(f"应报送机关名单 {path} 的第一行应为列名，至少包含“机关名称”或“统一社会信用代码”"
                           f"（也可用 name、uscc），实际为：{'、'.join(rows[0])}。")
    out: list[Agency] = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(rows[1:], start=2):
        name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
        code = norm_uscc(row[uscc_col]) if uscc_col is not None and uscc_col < len(row) else ""
        if not name and not code:
            raise CompileError(f"应报送机关名单 {path} 第 {i} 行没有机关名称，也没有统一社会信用代码。")
        key = (norm_name(name), code)
        if key in seen:
            continue
        seen.add(key)
        out.append(Agency(name, code))
    return out


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for n in names:
        if n in header:
            return header.index(n)
    return None


# ---------------------------------------------------------------------------
# Last year's data
# ---------------------------------------------------------------------------

@dataclass
class Prior:
    """Last year's reports by agency, and last year's regional totals when known."""

    by_uscc: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_name: dict[str, dict[str, Any]] = field(default_factory=dict)
    totals: dict[str, float] | None = None
    year: int | None = None
    source: str = ""

    def match(self, uscc: str, name: str) -> dict[str, Any] | None:
        if uscc and uscc in self.by_uscc:
            return self.by_uscc[uscc]
        return self.by_name.get(name) if name else None

    def __len__(self) -> int:
        return max(len(self.by_uscc), len(self.by_name))


def load_prior(path: str | Path) -> Prior:
    """Last year's compile summary JSON (its "reports") or one report (JSON or workbook)."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        from .api import ReadError, load_report

        try:
            reports = [load_report(path).to_json()]
        except ReadError as exc:
            raise CompileError(f"上年数据 {path} 无法读取：{exc}") from exc
        return _index_prior(reports, None, None, str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CompileError(f"上年数据 {path} 无法读取为 JSON（{exc}）。") from exc
    if isinstance(data, Mapping) and data.get("kind") == SUMMARY_KIND:
        listed = data.get("reports")
        if not isinstance(listed, list):
            raise CompileError(f"上年汇总 {path} 缺少“reports”（各机关报告数据）。请用本工具 compile --json 生成的汇总文件。")
        totals = data.get("totals") if isinstance(data.get("totals"), Mapping) else None
        flat = {k: v for g in TOTAL_GROUPS for k, v in (totals or {}).get(g, {}).items()} if totals else None
        year = data.get("year") if isinstance(data.get("year"), int) else None
        return _index_prior(listed, flat, year, str(path))
    try:
        if isinstance(data, Mapping) and "report" in data and "form" not in data:
            data = data["report"]
        report = Report.from_json(data, source=str(path))
    except ReportFormatError as exc:
        raise CompileError(f"上年数据 {path} 既不是汇总结果也不是报告数据：{exc}") from exc
    return _index_prior([report.to_json()], None, None, str(path))


def _index_prior(reports: list[Any], totals: dict[str, float] | None, year: int | None, source: str) -> Prior:
    prior = Prior(totals=totals, year=year, source=source)
    acc = Totals()
    for i, data in enumerate(reports):
        try:
            report = Report.from_json(data, source=f"{source} reports[{i}]")
        except ReportFormatError as exc:
            raise CompileError(f"上年数据 {source} 中第 {i + 1} 份报告格式不对：{exc}") from exc
        acc.add(report)
        as_json = report.to_json()
        code, name = norm_uscc(report.get("cover_uscc")), norm_name(report.agency)
        if code:
            prior.by_uscc.setdefault(code, as_json)
        if name:
            prior.by_name.setdefault(name, as_json)
        if prior.year is None and report.year is not None:
            prior.year = report.year
    if prior.totals is None and reports:
        prior.totals = acc.result()
    return prior


# ---------------------------------------------------------------------------
# Per-file work (runs in worker processes)
# ---------------------------------------------------------------------------

_WORKER_PRIOR: Prior | None = None


def _init_worker(prior: Prior | None) -> None:
    global _WORKER_PRIOR
    _WORKER_PRIOR = prior


def _crash_message(display: str, exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if len(text) > 200:
        text = text[:200] + "…"
    return (f"{display}：读取时发生意外错误（{type(exc).__name__}：{text}）。"
            f"请用 Excel 或 WPS 打开后另存为 .xlsx 再提交；如仍有问题，请把该文件交技术人员检查。")


def validate_one(task: tuple[int, str, str]) -> dict[str, Any]:
    """Validate one file; never raises.  Returns a small picklable outcome."""
    index, path, display = task
    try:
        return _validate_one(index, path, display, _WORKER_PRIOR)
    except Exception as exc:  # noqa: BLE001 - a bad file must never stop the batch
        return {"index": index, "file": display, "read_error": _crash_message(display, exc),
                "findings": [], "report": None, "template_version": None}


def _validate_one(index: int, path: str, display: str, prior: Prior | None) -> dict[str, Any]:
    p = Path(path)
    if not p.exists():
        return {"index": index, "file": display, "findings": [], "report": None, "template_version": None,
                "read_error": f"{display}：文件不存在，请检查路径是否写对。"}
    from .api import validate_file

    result = validate_file(p, display=display)
    findings = list(result.findings)
    report = result.report if result.read_error is None else None
    if report is not None and prior is not None:
        matched = prior.match(norm_uscc(report.get("cover_uscc")), norm_name(report.agency))
        if matched is not None:
            from .validator import check_cross_year

            # Same as validate_file(path, prior=...) — validate_report appends exactly these —
            # without reading the file a second time once its agency is known.
            findings += check_cross_year(report, Report.from_json(matched))
    out: dict[str, Any] = {
        "index": index,
        "file": display,
        "read_error": result.read_error,
        "template_version": result.template_version,
        "findings": [f.to_json() for f in findings],
        "report": None,
    }
    if report is not None:
        # What the parent needs, prepared here in parallel: who and when, the figures it sums,
        # and the values as the JSON line it spools.
        out["report"] = {
            "agency": report.agency,
            "uscc": norm_uscc(report.get("cover_uscc")),
            "year": report.year,
            "figures": figures(report),
            "values_json": json.dumps(report.values, ensure_ascii=False),
        }
    return out


def _chunks(seq: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(seq), size):
        yield list(seq[i:i + size])


def _validate_chunk(tasks: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    return [validate_one(t) for t in tasks]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_tasks(tasks: Sequence[tuple[int, str, str]], *, jobs: int, prior: Prior | None,
              chunksize: int | None = None) -> Iterator[dict[str, Any]]:
    """Validate every task, yielding outcomes in task order, with at most a few chunks in flight.

    A worker process that dies (a crash in native code) costs only the file
    that caused it: the chunk is retried file by file in a fresh pool.
    """
    if jobs <= 1 or len(tasks) <= 2:
        _init_worker(prior)
        try:
            for t in tasks:
                yield validate_one(t)
        finally:
            _init_worker(None)
        return
    # Import the readers and build their tables once, here: forked workers inherit them warm.
    from .reader import _expected_by_sheet

    _expected_by_sheet()
    size = chunksize or max(1, min(32, len(tasks) // (jobs * 8)))
    chunks = list(_chunks(tasks, size))
    window = jobs * 4

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(prior,))

    pool = new_pool()
    pending: collections.deque[tuple[Future[list[dict[str, Any]]], list[Any]]] = collections.deque()
    next_chunk = 0
    try:
        while True:
            while len(pending) < window and next_chunk < len(chunks):
                chunk = chunks[next_chunk]
                pending.append((pool.submit(_validate_chunk, chunk), chunk))
                next_chunk += 1
            if not pending:
                break
            future, chunk = pending.popleft()
            try:
                yield from future.result()
                continue
            except BrokenProcessPool:
                pass
            # The pool died: find the file that kills a worker, one file at a time.
            pool.shutdown(wait=False, cancel_futures=True)
            pool = new_pool()
            for task in chunk:
                try:
                    yield pool.submit(validate_one, task).result()
                except BrokenProcessPool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = new_pool()
                    yield {"index": task[0], "file": task[2], "findings": [], "report": None,
                           "template_version": None,
                           "read_error": f"{task[2]}：读取该文件时程序异常退出，文件可能已损坏。"
                                         f"请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。"}
            resubmit = [c for _, c in pending]
            pending.clear()
            for c in resubmit:
                pending.append((pool.submit(_validate_chunk, c), c))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------
# Aggregation
# ---------------------------------------------------------------------------

def full_values(report: Report) -> dict[str, Any]:
    """Every field's value with each total recomputed from its addends (as Report.total)."""
    values = dict(report.values)
    values.update(report.recomputed_totals())
    return values


def figures(report: Report) -> list[Number | None]:
    """The report's value of every TOTAL_FIELDS field (totals recomputed), None where not a number."""
    values = report.values if report.source.get("totals") == "recomputed" else full_values(report)
    return [v if type(v) is int or type(v) is float else None for v in map(values.get, TOTAL_FIELDS)]


_APPLICATIONS = TOTAL_FIELDS.index(s3_id("new", "total"))


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


def _finding(rule: str, message: str, **kw: Any) -> dict[str, Any]:
    severity, _ = COMPILE_RULES[rule]
    return Finding(rule, severity, message, **kw).to_json()


def finding_text(f: Mapping[str, Any]) -> str:
    where = f"{f['sheet']}!{f['cell']} " if f.get("sheet") and f.get("cell") else ""
    level = "错误" if f.get("severity") == "error" else "警告"
    return f"[{level}] {where}{f.get('message', '')}"


def compile_reports(
    inputs: Sequence[str | Path],
    *,
    year: int | None = None,
    expected: list[Agency] | None = None,
    prior: Prior | None = None,
    include_invalid: bool = False,
    jobs: int | None = None,
    chunksize: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    spool_dir: str | Path | None = None,
) -> Compilation:
    """Validate and aggregate every input file (see the module docstring)."""
    paths = collect_inputs([str(i) for i in inputs])
    tasks = [(i, str(p), str(p)) for i, p in enumerate(paths)]
    spool = Path(tempfile.mkdtemp(prefix="xl-compile-", dir=spool_dir))
    comp = Compilation(rows=[], totals=Totals(), year=year, include_invalid=include_invalid, expected=expected,
                       missing=[], duplicates=[], prior=prior, spool_dir=spool)
    try:
        _compile_into(comp, tasks, jobs or default_jobs(), chunksize, progress)
    except BaseException:
        comp.close()
        raise
    return comp


def _compile_into(comp: Compilation, tasks: list[tuple[int, str, str]], jobs: int, chunksize: int | None,
                  progress: Callable[[int, int], None] | None) -> None:
    done = 0
    with open(comp.spool_dir / "findings.jsonl", "w", encoding="utf-8") as ffh, \
            open(comp.spool_dir / "reports.jsonl", "w", encoding="utf-8") as rfh:
        placing = Placing(comp, rfh)
        for out in run_tasks(tasks, jobs=jobs, prior=comp.prior, chunksize=chunksize):
            index = out["index"]
            row = FileRow(index=index, file=out["file"], path=tasks[index][1],
                          read_error=out["read_error"], template_version=out["template_version"])
            assert index == len(comp.rows), "outcomes must arrive in file order"
            comp.rows.append(row)
            findings: list[dict[str, Any]] = out["findings"]
            got = out["report"]
            if got is not None:
                row.agency, row.uscc, row.year = got["agency"], got["uscc"], got["year"]
                placing.place(row, findings, got)
            finish_row(row, findings)
            ffh.write(json.dumps(findings, ensure_ascii=False) + "\n")
            done += 1
            if progress is not None:
                progress(done, len(tasks))
        placing.finish()


class Placing:
    """Decides, file by file in order, where each readable report goes: year, duplicates, expected list, totals.

    ``got`` holds the report's ``figures`` and ``values_json`` (None for a figure-less
    report, which is listed but cannot be counted).  Shared by compile and merge.
    """

    def __init__(self, comp: Compilation, rfh: TextIO) -> None:
        self.comp, self.rfh = comp, rfh
        self.first_of: dict[tuple[str, str, int | None], int] = {}  # (kind, key, year) -> row index
        self.dups: dict[int, Duplicate] = {}
        self.years: collections.Counter[int] = collections.Counter()
        self.received_uscc: set[str] = set()
        self.received_name: set[str] = set()
        self.expected_uscc = {a.uscc for a in comp.expected or () if a.uscc}
        self.expected_name = {norm_name(a.name) for a in comp.expected or () if a.name}

    def place(self, row: FileRow, findings: list[dict[str, Any]], got: Mapping[str, Any]) -> None:
        _check_year(self.comp, row, findings)
        if not _check_duplicate(self.comp, row, findings, self.first_of, self.dups):
            self._record(row, got, findings)

    def _record(self, row: FileRow, got: Mapping[str, Any], findings: list[dict[str, Any]]) -> None:
        """The first report of an agency: received, on the list or not, counted or not, spooled."""
        comp = self.comp
        comp.agency_rows.append(row.index)
        name = norm_name(row.agency)
        if row.uscc:
            self.received_uscc.add(row.uscc)
        if name:
            self.received_name.add(name)
        listed = (row.uscc and row.uscc in self.expected_uscc) or (name and name in self.expected_name)
        if comp.expected is not None and not listed:
            comp.unexpected.append(row.index)
            row.note = _join(row.note, "不在应报送名单中")
        has_error = any(f["severity"] == "error" for f in findings)
        wrong_year = comp.year is not None and row.year != comp.year
        numbers = got["figures"]
        row.counted = numbers is not None and not wrong_year and (comp.include_invalid or not has_error)
        if row.counted:
            comp.totals.add_figures(numbers)
            if row.year is not None:
                self.years[row.year] += 1
            if has_error:
                row.note = _join(row.note, "未通过校验，按要求计入汇总")
        elif has_error and not wrong_year:
            row.note = _join(row.note, "未通过校验，未计入汇总")
        elif numbers is None and not wrong_year:
            row.note = _join(row.note, "汇总结果中没有该机关的数字，未计入")
        if numbers is None:  # merged from a summary that did not keep this report
            return
        row.applications = numbers[_APPLICATIONS]
        if comp.prior is not None:
            matched = comp.prior.match(row.uscc, name)
            if matched is not None:
                row.prior_applications = Report.from_json(matched).total(s3_id("new", "total"))
        self.rfh.write(f"[{row.index}, {got['values_json']}]\n")

    def finish(self) -> None:
        comp = self.comp
        comp.duplicates = [self.dups[i] for i in sorted(self.dups)]
        if comp.year is None and self.years:
            comp.year = self.years.most_common(1)[0][0]
        if comp.expected is not None:
            comp.missing = [a for a in comp.expected
                            if not ((a.uscc and a.uscc in self.received_uscc) or
                                    (not a.uscc and norm_name(a.name) in self.received_name))]


def _check_year(comp: Compilation, row: FileRow, findings: list[dict[str, Any]]) -> None:
    if comp.year is None or row.year == comp.year:
        return
    findings.append(_finding(
        "compile.year", f"报告年度为 {row.year if row.year is not None else '（未填）'}，本次汇总的是 {comp.year} 年度，"
                        f"该文件不计入汇总。请核对封面的报告年度，或确认是否交错了文件。",
        sheet=FORM.by_id["cover_year"].sheet, cell=FORM.by_id["cover_year"].cell, field="cover_year",
        expected=comp.year, actual=row.year))
    row.note = _join(row.note, "年度不符，未计入")


def _check_duplicate(comp: Compilation, row: FileRow, findings: list[dict[str, Any]],
                     first_of: dict[tuple[str, str, int | None], int], dups: dict[int, Duplicate]) -> bool:
    name = norm_name(row.agency)
    keys = []
    if row.uscc:
        keys.append(("uscc", row.uscc, row.year))
    if name:
        keys.append(("name", name, row.year))
    hit = None
    for kind, key, yr in keys:
        j = first_of.get((kind, key, yr))
        if j is None:
            continue
        if kind == "name" and row.uscc and comp.rows[j].uscc and comp.rows[j].uscc != row.uscc:
            continue  # same name, different codes: two bodies (e.g. 某某镇人民政府 in two counties)
        hit = j
        break
    if hit is None:
        for k in keys:
            first_of.setdefault(k, row.index)
        return False
    first = comp.rows[hit]
    dup = dups.get(hit)
    if dup is None:
        dup = dups[hit] = Duplicate(first.agency or row.agency, first.uscc or row.uscc, row.year, [first.file])
        first.note = _join(first.note, "有重复报送，以本文件为准")
    dup.files.append(row.file)
    findings.append(_finding(
        "compile.duplicate", f"{row.agency or row.uscc} {row.year or ''} 年度的报告重复报送：已按 {first.file} 计入汇总，"
                             f"本文件不计入。如本文件才是正确版本，请删除或替换另一份后重新汇总。",
        field="cover_agency_name", sheet=FORM.by_id["cover_agency_name"].sheet,
        cell=FORM.by_id["cover_agency_name"].cell))
    row.note = _join(row.note, f"重复报送，未计入（已计入 {first.file}）")
    return True


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


def _join(a: str, b: str) -> str:
    return f"{a}；{b}" if a else b


# ---------------------------------------------------------------------------
# Figures for the summary
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# summary.json and long.csv
# ---------------------------------------------------------------------------

def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_summary_json(comp: Compilation, target: str | Path) -> None:
    """The compile summary per the contract (schema/summary.schema.json), streamed and written atomically."""
    with open_atomic(target, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("{\n")
        fh.write(f'"kind": {_dump(SUMMARY_KIND)},\n"year": {_dump(comp.year)},\n"included": {_dump(comp.included)},\n')
        fh.write(f'"included_text": {_dump(comp.included_text())},\n')
        fh.write(f'"counted": {comp.totals.count},\n')
        fh.write(f'"status_counts": {_dump(comp.tally())},\n')
        fh.write(f'"totals": {_dump(comp.totals.grouped())},\n')
        fh.write('"files": [')
        for i, (row, findings) in enumerate(zip(comp.rows, comp.findings_of(), strict=True)):
            entry = {
                "file": row.file, "status": row.status, "agency": row.agency or None, "uscc": row.uscc or None,
                "year": row.year, "errors": row.errors, "warnings": row.warnings, "findings": findings,
                "counted": row.counted, "note": row.note or None, "read_error": row.read_error,
                "template_version": row.template_version,
            }
            fh.write(("," if i else "") + "\n" + _dump(entry))
        fh.write("\n],\n")
        agencies = [{"agency": comp.rows[i].agency or None, "uscc": comp.rows[i].uscc or None,
                     "file": comp.rows[i].file, "status": comp.rows[i].status, "counted": comp.rows[i].counted}
                    for i in comp.agency_rows]
        fh.write(f'"agencies": {_dump(agencies)},\n')
        fh.write(f'"missing": {_dump([{"agency": a.name or None, "uscc": a.uscc or None} for a in comp.missing])},\n')
        dups = [{"agency": d.agency or None, "uscc": d.uscc or None, "year": d.year, "files": d.files}
                for d in comp.duplicates]
        fh.write(f'"duplicates": {_dump(dups)},\n')
        fh.write('"reports": [')
        for i, (_, report) in enumerate(comp.counted_reports()):
            fh.write(("," if i else "") + "\n" + _dump(report.to_json()))
        fh.write("\n]\n}\n")


LONG_CSV_HEADER = ("机关名称", "统一社会信用代码", "年度", "字段", "部分", "行", "列", "数值")


def long_rows(comp: Compilation) -> Iterator[tuple[Any, ...]]:
    """One row per counted agency and field (sections 二–六), text neutralized."""
    fields = [f for f in FORM.fields if f.group != "cover"]
    for row, report in comp.counted_reports():
        values = full_values(report)
        for f in fields:
            v = values.get(f.id)
            yield (neutralize(row.agency), neutralize(row.uscc), row.year, f.id, f.section,
                   neutralize(f.row_label), neutralize(f.col_label), _csv_value(v))


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float):
        return int(v) if v.is_integer() else repr(v)
    if isinstance(v, str):
        return neutralize(v)
    return v


def write_long_csv(comp: Compilation, target: str | Path) -> None:
    # utf-8-sig: Excel on Chinese Windows opens it without garbling the text.
    with open_atomic(target, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(LONG_CSV_HEADER)
        w.writerows(long_rows(comp))


def fmt_number(v: float | None) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return f"{int(v)}" if float(v).is_integer() else f"{v:g}"


# ---------------------------------------------------------------------------
# One call: compile and write every output
# ---------------------------------------------------------------------------

def compile_inputs(
    inputs: Sequence[str | Path],
    *,
    xlsx: str | Path,
    json_path: str | Path | None = None,
    csv_path: str | Path | None = None,
    console: Any = None,
    strict: bool = False,
    **options: Any,
) -> int:
    """Compile ``inputs`` and write summary.xlsx (and the JSON/CSV when asked); returns the exit code.

    ``options`` are those of :func:`compile_reports` (year, expected, prior,
    include_invalid, jobs, progress).  With a rich ``console`` a short summary is printed.
    """
    with compile_reports(inputs, **options) as comp:
        return write_outputs(comp, xlsx=xlsx, json_path=json_path, csv_path=csv_path, console=console, strict=strict)


def write_outputs(comp: Compilation, *, xlsx: str | Path, json_path: str | Path | None = None,
                  csv_path: str | Path | None = None, console: Any = None, strict: bool = False) -> int:
    """Write summary.xlsx (and the JSON/CSV when asked) of a finished compile or merge; returns the exit code."""
    from .summary_xlsx import write_summary_xlsx

    write_summary_xlsx(comp, xlsx)
    written = [str(xlsx)]
    if json_path is not None:
        write_summary_json(comp, json_path)
        written.append(str(json_path))
    if csv_path is not None:
        write_long_csv(comp, csv_path)
        written.append(str(csv_path))
    if console is not None:
        from .compiler_cli import print_summary

        print_summary(console, comp, written)
    return comp.exit_code_for(strict=strict)
