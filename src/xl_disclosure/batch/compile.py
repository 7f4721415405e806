"""Compiling many returned reports into one regional summary.

The compiling office (政务公开办) gets hundreds or thousands of files back.
:func:`compile_reports` validates them in worker processes (with memory and time
limits, replaced when one dies: a file that crashes its reader is only that
file's 无法读取 row), streams
the results back in file-path order and aggregates as it goes, so memory stays
flat in the number of files:

* every input file gets one :class:`FileRow` (status, counts, first findings);
* the full findings, the report data and the figures of every readable report are
  spooled to temporary JSON-lines files, not kept in memory;
* once every file is seen, files claiming one agency are decided (:class:`Placing`:
  never by their order) and the regional totals are summed from the spooled figures.

The outputs (summary.xlsx, summary.json, long.csv) are written from a finished
:class:`Compilation` by :mod:`.summary_xlsx` and the functions at the end of
this module.
"""

from __future__ import annotations

import collections
import csv
import datetime
import glob
import hashlib
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

from xl_disclosure.checks.narrative import most_reused
from xl_disclosure.checks.validator import check_cross_year
from xl_disclosure.errors import UsageError
from xl_disclosure.form import FORM, RULES, RuleSelection, s3_id
from xl_disclosure.form.selection import ALL_RULES
from xl_disclosure.model.agency import (
    Agency,
    AgencyIndex,
    Identity,
    Prior,
    distinct,
    norm_name,
    norm_uscc,
    place_tails,
)
from xl_disclosure.model.findings import Finding
from xl_disclosure.model.inputs import InputFileError, open_regular, shown_path
from xl_disclosure.model.report import Report
from xl_disclosure.model.summary import (
    APPLICATIONS,
    DUPLICATE,
    FIRST_FINDINGS,
    SAME_REPORT,
    SPOOL_PREFIXES,
    Compilation,
    Duplicate,
    FileRow,
    Totals,
    checked_status,
    figures,
    finding_text,
    finish_row,
    is_summary_file,
)
from xl_disclosure.readers.dispatch import SUPPORTED_SUFFIXES, validate_file
from xl_disclosure.readers.formats import SPREADSHEET_SUFFIXES
from xl_disclosure.readers.isolation import ReaderCrashed, imap_isolated
from xl_disclosure.readers.published import TABLE_FIELDS
from xl_disclosure.readers.workbook import _expected_by_sheet
from xl_disclosure.writers.atomic import published_together
from xl_disclosure.writers.summary import (
    LONG_CSV_HEADER,
    dump_summary_json,
    is_wide_header,
    write_long_csv,
    write_long_parquet,
    write_summary_json,
    write_wide_csv,
)
from xl_disclosure.writers.summary_xlsx import CORE_SHEETS, write_summary_xlsx

#: File types picked up when a folder is given (explicitly named files are always taken): what
#: validate_file reads, and every other spreadsheet format a clerk may send (.et, .xls, .xlsb, .numbers,
#: .csv …), listed as 无法读取 with what to do — never skipped; not Markdown notes.
FOLDER_SUFFIXES = (SUPPORTED_SUFFIXES - {".md"}) | SPREADSHEET_SUFFIXES

#: Compile is asked to do something it cannot (bad --expected/--prior file, no inputs).
CompileError = UsageError


# ---------------------------------------------------------------------------
# Collecting inputs
# ---------------------------------------------------------------------------

def is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _skip_in_folder(path: Path) -> bool:
    name = path.name
    return (name.startswith((".", "~$")) or path.suffix.lower() not in FOLDER_SUFFIXES
            or any(part.startswith(".") or part.lower().endswith(".numbers") for part in path.parts[:-1]
                   if part not in (".", "..")))


def _files_in(folder: Path) -> list[Path]:
    """The files compile takes from a folder; an Apple Numbers document saved as a folder (a package) counts as one.

    Not only regular files: a FIFO, device or dangling link named like a report becomes a
    无法读取 row saying what it is (it is never opened), rather than vanishing from the list.
    """
    found = [c for c in folder.rglob("*") if (not c.is_dir() or c.suffix.lower() == ".numbers")
             and not _skip_in_folder(c.relative_to(folder))]
    return found


def collect_inputs(inputs: Sequence[str], exclude: Sequence[str | Path] = ()) -> list[Path]:
    """Every file named by ``inputs`` (files, folders searched recursively, glob patterns), once each.

    Files are returned sorted by path, the order of the status list (never what decides which of
    two files claiming one agency is counted).  A named path that does not exist is returned as is
    (it becomes a 无法读取 row); a folder or pattern that matches nothing raises
    CompileError, as does an empty input list.  Files in ``exclude`` (the
    agency list and the outputs, which may sit among the reports) are left out.
    """
    found: dict[str, Path] = {}
    excluded = {os.path.normcase(os.path.abspath(e)) for e in exclude}

    def add(p: Path) -> None:
        key = os.path.normcase(os.path.abspath(p))
        if key not in excluded:
            found.setdefault(key, p)

    for raw in inputs:
        p = Path(raw)
        if p.is_dir() and p.suffix.lower() != ".numbers":
            matched = _files_in(p)
            if not matched:
                raise CompileError(f"文件夹 {raw} 里没有可汇总的文件（.xlsx/.xlsm/.ods/.json/.txt/.html/.docx/.pdf）。")
            for c in matched:
                add(c)
        elif p.exists():
            add(p)
        elif is_glob(raw):
            matched = [Path(m) for m in glob.glob(raw, recursive=True)]
            files: list[Path] = []
            for m in matched:
                if m.is_dir() and m.suffix.lower() != ".numbers":
                    files += _files_in(m)
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
    result = validate_file(p, display=display)
    findings = list(result.findings)
    report = result.report if result.read_error is None else None
    reused = None
    matched = None
    if report is not None and prior is not None:
        matched = prior.match(report.get("cover_uscc"), report.agency)
        if matched is not None:
            # Same as validate_file(path, prior=...) — validate_report appends exactly these —
            # without reading the file a second time once its agency is known.
            last = Report.from_json(matched)
            findings += check_cross_year(report, last)
            reused = most_reused(report, last)
    out: dict[str, Any] = {
        "index": index,
        "file": display,
        "read_error": result.read_error,
        "template_version": result.template_version,
        "findings": [f.to_json() for f in findings],
        "report": None,
        "coverage": result.coverage,
        "reuse": reused,
        "prior_matched": report is not None and prior is not None and matched is not None,
    }
    if report is not None:
        # What the parent needs, prepared here in parallel: who and when, the figures it sums,
        # the values as the JSON line it spools, and what the file was (two files may claim one agency).
        sha256, modified, saved = file_evidence(p)
        out["report"] = {
            "agency": report.agency,
            "uscc": norm_uscc(report.get("cover_uscc")),
            "year": report.year,
            "figures": figures(report),
            "values_json": json.dumps(report.values, ensure_ascii=False),
            "digests": [sha256], "sha256": sha256, "modified": modified, "saved": saved,
            "names": [os.path.abspath(p), display],
        }
        if result.coverage is not None:  # a published report: its table as read, to tell its other formats
            out["report"]["table"] = [report.values.get(f) for f in TABLE_FIELDS]
            out["report"]["format"] = published_format(p)
    return out


#: File types that are one format of a published report (a web page saved as .htm is still a web page).
_FORMATS = {".htm": ".html", ".xhtml": ".html", ".mht": ".mhtml", ".md": ".txt"}


def published_format(path: Path) -> str:
    """The format of a published report's file, by its type: two files of one report in one format are two
    versions (which one counts is the office's decision), in two formats they may be the same report."""
    suffix = path.suffix.lower()
    return _FORMATS.get(suffix, suffix)


_CORE_MODIFIED = re.compile(r"<dcterms:modified\b[^>]*>\s*([^<\s]{1,40})\s*</dcterms:modified>")
#: Largest docProps/core.xml looked into for the workbook's saved time.
_MAX_CORE_BYTES = 64 * 1024


def file_evidence(path: Path) -> tuple[str | None, str | None, str | None]:
    """A file's SHA-256, modification time (local, ISO 8601) and, for a workbook, the time it says it was
    last saved (docProps/core.xml); None for what cannot be told."""
    sha256 = modified = saved = None
    try:
        with os.fdopen(open_regular(path), "rb") as fh:
            st = os.fstat(fh.fileno())
            modified = datetime.datetime.fromtimestamp(st.st_mtime).astimezone().isoformat(timespec="seconds")
            sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                fh.seek(0)
                with zipfile.ZipFile(fh) as zf:
                    info = zf.getinfo("docProps/core.xml")
                    if info.file_size <= _MAX_CORE_BYTES:
                        with zf.open(info) as part:
                            hit = _CORE_MODIFIED.search(part.read(_MAX_CORE_BYTES).decode("utf-8", "replace"))
                            saved = hit.group(1) if hit else None
    except (OSError, InputFileError, zipfile.BadZipFile, KeyError, ValueError, RuntimeError, EOFError):
        pass
    return sha256, modified, saved


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_tasks(tasks: Sequence[tuple[int, str, str]], *, jobs: int, prior: Prior | None,
              chunksize: int | None = None) -> Iterator[dict[str, Any]]:
    """Validate every task in worker processes (also with ``jobs`` 1), yielding outcomes in task order.

    The workers have memory and time limits (:mod:`xl_disclosure.readers.isolation`); one that
    dies — an abort or a runaway allocation in native code — costs only the file it was reading,
    which becomes a 无法读取 outcome saying why, and is replaced by a fresh worker.
    """
    _expected_by_sheet()  # the readers' tables built once, here: forked workers inherit them warm
    size = chunksize or max(1, min(32, len(tasks) // (max(1, jobs) * 8)))
    outcomes = imap_isolated(validate_one, tasks, jobs=jobs, display=lambda t: t[2], initializer=_init_worker,
                             initargs=(prior,), chunksize=size)
    for task, out in zip(tasks, outcomes, strict=True):
        if isinstance(out, ReaderCrashed):
            yield {"index": task[0], "file": task[2], "findings": [], "report": None, "template_version": None,
                   "read_error": str(out)}
        else:
            yield out


def compile_reports(
    inputs: Sequence[str | Path],
    *,
    year: int | None = None,
    expected: Sequence[Agency] | None = None,
    prior: Prior | None = None,
    include_invalid: bool = False,
    jobs: int | None = None,
    chunksize: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    spool_dir: str | Path | None = None,
    rules: RuleSelection = ALL_RULES,
    exclude: Sequence[str | Path] = (),
    prefer: Sequence[str | Path] = (),
) -> Compilation:
    """Validate and aggregate every input file (see the module docstring); ``rules`` decides which rules run;
    ``exclude`` as for :func:`collect_inputs`; ``prefer`` names (by path or file name) the file counted of
    the several that claim one agency (:class:`Placing`) — a UsageError when it is not one of the inputs."""
    paths = collect_inputs([str(i) for i in inputs], exclude)
    preferred = [str(p) for p in prefer]
    inputs_keys = set().union(*(claim_keys([os.path.abspath(p), shown_path(p)]) for p in paths))
    for given in preferred:
        if not prefer_keys(given) & inputs_keys:
            raise CompileError(f"--prefer {given}：不是本次要汇总的文件。请给出要计入的那份文件的路径或文件名"
                               f"（见汇总工作簿“未报送与重复”工作表）。")
    tasks = [(i, str(p), shown_path(p)) for i, p in enumerate(paths)]  # (index, path, name shown)
    spool = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIXES[0], dir=spool_dir))
    comp = Compilation(rows=[], totals=Totals(), year=year, include_invalid=include_invalid,
                       expected=None if expected is None else distinct(expected), missing=[], duplicates=[],
                       prior=prior, spool_dir=spool, rules=rules, jumps=None if prior is None else [])
    try:
        _compile_into(comp, tasks, jobs or default_jobs(), chunksize, progress, preferred)
    except BaseException:
        comp.close()
        raise
    return comp


def _compile_into(comp: Compilation, tasks: list[tuple[int, str, str]], jobs: int, chunksize: int | None,
                  progress: Callable[[int, int], None] | None, prefer: Sequence[str]) -> None:
    done = 0
    with open(comp.spool_dir / "findings.jsonl", "w", encoding="utf-8") as ffh, \
            open(comp.spool_dir / "reports.jsonl", "w", encoding="utf-8") as rfh:
        placing = Placing(comp, rfh, prefer)
        for out in run_tasks(tasks, jobs=jobs, prior=comp.prior, chunksize=chunksize):
            index = out["index"]
            shown = tasks[index][2]
            row = FileRow(index=index, file=out["file"], path=tasks[index][1] if shown == tasks[index][1] else "",
                          read_error=out["read_error"], template_version=out["template_version"],
                          coverage=out.get("coverage"))
            assert index == len(comp.rows), "outcomes must arrive in file order"
            comp.rows.append(row)
            findings: list[dict[str, Any]] = comp.rules.apply_json(out["findings"])
            if out.get("reuse") is not None and comp.shows_reuse:
                row.reuse, row.reuse_field = out["reuse"]
            row.prior_matched = bool(out.get("prior_matched"))
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
    if comp.prior is not None:
        _prior_by_name(comp)


def _prior_by_name(comp: Compilation) -> None:
    """Last year's report of each agency received that matched none by code or name, paired by a careful
    name match (:meth:`Prior.by_place_prefix`: 淮安市洪泽区人民政府 ~ 洪泽区人民政府) when the pair is the only
    one so among both years' agencies; the row says it was matched by name, or why it was not."""
    prior = comp.prior
    assert prior is not None
    rows = [comp.rows[i] for i in comp.agency_rows if comp.rows[i].agency]
    taken = {id(report) for r in rows if r.prior_matched for _, report in prior.reports.all(Identity.of(r.agency, r.uscc))}
    # this year's agencies by name and by each shorter name theirs may be written as (place_tails)
    by_name: dict[str, list[int]] = {}
    by_tail: dict[str, list[int]] = {}
    for k, r in enumerate(rows):
        n = norm_name(r.agency)
        by_name.setdefault(n, []).append(k)
        for tail in place_tails(n):
            by_tail.setdefault(tail, []).append(k)
    pairs: dict[int, tuple[Identity, dict[str, Any]]] = {}
    for row in rows:
        if row.prior_matched:
            continue
        found = [c for c in prior.by_place_prefix(row.agency, row.uscc) if id(c[1]) not in taken]
        if not found:
            continue
        shown = "、".join(f"“{Report.from_json(c[1]).agency}”" for c in found[:3])
        if len(found) > 1:
            row.note = _join(row.note, f"上年数据中有 {len(found)} 个名称相近的机关（{shown}），无法确定哪个是本机关，"
                                       f"未按名称对应上年报告")
            continue
        ident = found[0][0]
        # this year's agencies of that name, or differing from it only by a place prefix (by_place_prefix)
        near = {*by_name.get(ident.name, ()), *by_tail.get(ident.name, ()),
                *(k for tail in place_tails(ident.name) for k in by_name.get(tail, ()))}
        rivals = [rows[k].agency for k in sorted(near) if rows[k] is not row]
        if rivals:
            row.note = _join(row.note, f"上年的{shown}与本年的“{rivals[0]}”名称也相近，无法确定，未按名称对应上年报告")
            continue
        pairs[row.index] = found[0]
    if not pairs:
        return
    for row, report in comp.agency_reports():
        if row.index not in pairs:
            continue
        last = Report.from_json(pairs[row.index][1])
        row.prior_matched = True
        row.note = _join(row.note, f"上年报告按名称对应（上年为“{last.agency}”，没有可比的统一社会信用代码）"
                         if not (row.uscc and last.get("cover_uscc")) else f"上年报告按名称对应（上年为“{last.agency}”）")
        row.prior_applications = last.total(s3_id("new", "total"))
        raised = comp.rules.apply_json([f.to_json() for f in check_cross_year(report, last)])
        _add_findings(comp, row, raised)
        comp.note_year_over_year(row, raised)
        reused = most_reused(report, last)
        if reused is not None and comp.shows_reuse:
            row.reuse, row.reuse_field = reused


def _add_findings(comp: Compilation, row: FileRow, found: list[dict[str, Any]]) -> None:
    """Findings decided once every file is seen, added to the row (its spooled findings are already written)."""
    if not found:
        return
    comp.late_findings.setdefault(row.index, []).extend(found)
    errors = sum(1 for f in found if f["severity"] == "error")
    row.errors += errors
    row.warnings += len(found) - errors
    texts = [finding_text(f) for f in found] + row.first
    row.first = sorted(texts, key=lambda t: not t.startswith("[错误]"))[:FIRST_FINDINGS]
    if row.read_error is None and row.status != DUPLICATE:
        row.status = checked_status(row.errors, row.warnings)


def _join(a: str, b: str) -> str:
    return f"{a}；{b}" if a else b



def name_key(name: str) -> str:
    """A file name or path as --prefer and the list's 文件名 column compare it: NFC, case-folded."""
    return unicodedata.normalize("NFC", name).casefold()


def prefer_keys(given: str) -> set[str]:
    """What a --prefer value (a path or a file name) may match: itself, its absolute path, its file name."""
    keys = {name_key(given), name_key(os.path.abspath(given))}
    if not any(sep in given for sep in "/\\"):
        keys.add(name_key(Path(given).name))
    return keys


def claim_keys(names: Sequence[str]) -> set[str]:
    """The names a file answers to (its paths as given and shown, and its file name)."""
    keys = {name_key(n) for n in names if n}
    keys |= {name_key(Path(n.replace("\\", "/")).name) for n in names if n}
    return keys


#: How a duplicate was decided, in a note.
_WHY = {"prefer": "按 --prefer 的指定", "list": "按应报送名单中的文件名", "identical": "各份内容相同",
        "summary": "按所合并的汇总", "format": "同一报告的不同格式，按读出表格数字最多的"}

#: How many differing cells a conflict between a report's formats names.
_SHOWN_DIFFERENCES = 5


class _Group:
    """Every readable report of one agency and year, in file order."""

    __slots__ = ("rows", "keys", "digests", "settled", "tables", "formats", "differences")

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.keys: list[set[str]] = []
        self.digests: list[Sequence[str | None]] = []  # what says two files are the same, in one or more ways
        self.settled: list[str] = []  # merge: how its own summary decided against the file ("" if it did not)
        #: A published report's table values as read (TABLE_FIELDS order, None where not read) and its format
        #: (published_format); None for a workbook or report data.
        self.tables: list[Sequence[Any] | None] = []
        self.formats: list[str | None] = []
        #: Formats of one report whose values differ: (field id, [(position, value) …]) of each differing cell.
        self.differences: list[tuple[str, list[tuple[int, Any]]]] = []


class Placing:
    """Decides where each readable report goes: year, the expected list, duplicates, totals.

    ``got`` holds the report's ``figures`` and ``values_json`` (None for a figure-less
    report, which is listed but cannot be counted), its ``digests`` (two files are the same
    when every one of them has the same digest in one position: compile gives the SHA-256 of
    the bytes, merge that and one of the report data), the ``names`` --prefer may give it and
    the evidence shown for it.  Shared by compile and merge.

    Agencies are paired by one rule (:class:`~xl_disclosure.model.agency.Identity`): with a
    list, each agency received is 已报送 when it matches an agency on the list and 名单外
    otherwise, and each listed agency no report matches is 未报送; a cover whose name and code
    disagree with the list is an ``identity.mismatch`` finding.  Reports of one agency and year
    are decided only once every file is seen (:meth:`finish`), never by file order: the same
    digest — count the first; a file named by ``prefer`` (or by the list's 文件名 column) — count
    it; otherwise a conflict, none counted.  Totals are summed at the end, in file order.
    """

    def __init__(self, comp: Compilation, rfh: TextIO, prefer: Sequence[str] = ()) -> None:
        self.comp, self.rfh = comp, rfh
        self.groups_of: dict[int | None, AgencyIndex[_Group]] = {}  # year -> groups by agency
        self.groups: list[_Group] = []
        self.listed: AgencyIndex[int] = AgencyIndex()  # index into comp.expected
        for i, a in enumerate(comp.expected or ()):
            self.listed.add(a.identity, i)
        self.reported: set[int] = set()  # listed agencies some report matched
        self.prefer = [(given, prefer_keys(given)) for given in prefer]
        self.figures_fh: TextIO | None = None  # opened with the first report that has figures

    def place(self, row: FileRow, findings: list[dict[str, Any]], got: Mapping[str, Any]) -> None:
        _check_year(self.comp, row, findings)
        me = Identity.of(row.agency, row.uscc)
        self._check_identity(row, me, findings)
        row.sha256, row.modified, row.saved = got.get("sha256"), got.get("modified"), got.get("saved")
        groups = self.groups_of.setdefault(row.year, AgencyIndex())
        hit = groups.first(me) if me.name or me.code else None
        if hit is None:
            group = _Group()
            self.groups.append(group)
            if me.name or me.code:
                groups.add(me, group)
        else:
            group = hit[1]
        group.rows.append(row.index)
        group.keys.append(claim_keys(got.get("names") or [row.file, row.path]))
        group.digests.append(got.get("digests") or [None])
        group.settled.append(got.get("settled") or "")
        group.tables.append(got.get("table"))
        group.formats.append(got.get("format"))
        self.comp.note_year_over_year(row, findings)  # kept at the end only for the agencies received
        self._record(row, got, findings)

    def _check_identity(self, row: FileRow, me: Identity, findings: list[dict[str, Any]]) -> None:
        """A name and a code that disagree with the list: the code's agency has another name, or the name's
        agency another code (the report belongs where its code says)."""
        comp = self.comp
        if comp.expected is None or not (me.name and me.code):
            return
        raised = []
        by_code = [comp.expected[i] for _, i in self.listed.with_code(me.code)]
        if by_code and all(a.name and norm_name(a.name) != me.name for a in by_code):
            raised.append(RULES["identity.mismatch"].finding(
                field=FORM.by_id["cover_agency_name"], code=row.uscc, listed=by_code[0].name, agency=row.agency))
        elif not by_code:
            by_name = [comp.expected[i] for ident, i in self.listed.with_name(me.name) if ident.code]
            if by_name:
                raised.append(RULES["identity.mismatch"].finding(
                    field=FORM.by_id["cover_uscc"], wording="code", agency=row.agency, listed_code=by_name[0].uscc,
                    code=row.uscc))
        if raised:
            findings += comp.rules.apply_json([f.to_json() for f in raised])
            row.note = _join(row.note, "机关名称与代码和名单不一致")

    def _on_list(self, row: FileRow) -> list[int]:
        """The agencies of the list the row's report is from (indexes into comp.expected)."""
        return [i for _, i in self.listed.all(Identity.of(row.agency, row.uscc))]

    def _received(self, row: FileRow) -> None:
        """An agency received (a row of ``agency_rows``): on the list (已报送) or not (名单外)."""
        comp = self.comp
        on_list = self._on_list(row)
        self.reported.update(on_list)
        if comp.expected is not None and not on_list:
            comp.unexpected.append(row.index)
            row.note = _join(row.note, "不在应报送名单中")

    def _record(self, row: FileRow, got: Mapping[str, Any], findings: list[dict[str, Any]]) -> None:
        """Whether the report can be counted (if no other file claims its agency), its figures and values spooled."""
        comp = self.comp
        has_error = any(f["severity"] == "error" for f in findings)
        wrong_year = comp.year is not None and row.year != comp.year
        numbers = got["figures"]
        row.counted = numbers is not None and not wrong_year and (comp.include_invalid or not has_error)
        if row.counted and has_error:
            row.note = _join(row.note, "未通过校验，按要求计入汇总")
        elif has_error and not wrong_year:
            row.note = _join(row.note, "未通过校验，未计入汇总")
        elif numbers is None and not wrong_year:
            row.note = _join(row.note, "汇总结果中没有该机关的数字，未计入")
        if numbers is None:  # merged from a summary that did not keep this report
            return
        row.applications = numbers[APPLICATIONS]
        if comp.prior is not None:
            matched = comp.prior.match(row.uscc, row.agency)
            if matched is not None:
                row.prior_applications = Report.from_json(matched).total(s3_id("new", "total"))
        self.rfh.write(f"[{row.index}, {got['values_json']}]\n")
        if self.figures_fh is None:
            self.figures_fh = open(comp.spool_dir / "figures.jsonl", "w", encoding="utf-8")  # noqa: SIM115 - finish
        self.figures_fh.write(json.dumps([row.index, numbers]) + "\n")

    # ------------------------------------------------------------------ once every file is seen
    def finish(self) -> None:
        comp = self.comp
        if self.figures_fh is not None:
            self.figures_fh.close()
        preferred_used: set[int] = set()
        for group in self.groups:
            if len(group.rows) == 1:
                comp.agency_rows.append(group.rows[0])
                if self._preferred(group, 0):
                    raise self._not_in_conflict(group, 0)
                continue
            chosen, how = self._decide(group, preferred_used)
            self._duplicate(group, chosen, how)
        comp.agency_rows.sort()
        for index in comp.agency_rows:
            self._received(comp.rows[index])
        if comp.jumps:
            received = {comp.rows[i].file for i in comp.agency_rows}
            comp.jumps = [j for j in comp.jumps if j.file in received]
        years: collections.Counter[int] = collections.Counter()
        if self.figures_fh is not None:
            with open(comp.spool_dir / "figures.jsonl", encoding="utf-8") as fh:
                for line in fh:
                    index, numbers = json.loads(line)
                    row = comp.rows[index]
                    if row.counted:
                        comp.totals.add_figures(numbers)
                        if row.year is not None:
                            years[row.year] += 1
        unused = [given for k, (given, _) in enumerate(self.prefer) if k not in preferred_used]
        if unused:
            raise UsageError(f"--prefer {unused[0]}：不是本次汇总中重复报送的文件。--prefer 只用来在同一机关"
                             f"同一年度的几份报告中指定计入哪一份，请给出“未报送与重复”工作表中列出的文件。")
        comp.duplicates.sort(key=lambda d: d.rows[0] if d.pending else min(d.rows))
        if comp.year is None and years:
            comp.year = years.most_common(1)[0][0]
        if comp.expected is not None:
            missing = [a for i, a in enumerate(comp.expected) if i not in self.reported]
            comp.received_unreadable = _named_in_unreadable(comp, missing)
            sent = {id(a) for a, _ in comp.received_unreadable}
            comp.missing = [a for a in missing if id(a) not in sent]

    def _preferred(self, group: _Group, k: int) -> list[int]:
        """Which --prefer values name the ``k``-th file of the group."""
        return [n for n, (_, keys) in enumerate(self.prefer) if keys & group.keys[k]]

    def _not_in_conflict(self, group: _Group, k: int) -> UsageError:
        given = self.prefer[self._preferred(group, k)[0]][0]
        return UsageError(f"--prefer {given}：{self.comp.rows[group.rows[k]].file} 没有与其他文件重复报送"
                          f"（同一机关同一年度只收到这一份），不需要指定。")

    def _decide(self, group: _Group, used: set[int]) -> tuple[int | None, str]:
        """Which file of the group is counted (its position) and how it was decided; (None, "") when pending."""
        comp = self.comp
        by_prefer = [k for k in range(len(group.rows)) if self._preferred(group, k)]
        for k in by_prefer:
            used.update(self._preferred(group, k))
        if len(by_prefer) > 1:
            row = comp.rows[group.rows[by_prefer[0]]]
            files = "、".join(comp.rows[group.rows[k]].file for k in by_prefer)
            raise UsageError(f"--prefer 为同一机关（{row.agency or row.uscc}，{row.year or ''} 年度）指定了两份以上文件："
                             f"{files}。每个机关只能指定一份。")
        if by_prefer:
            return by_prefer[0], "prefer"
        listed = {i for index in group.rows for i in self._on_list(comp.rows[index])}
        listed_files = [comp.expected[i].file for i in sorted(listed) if comp.expected is not None
                        and comp.expected[i].file]
        if listed_files:
            wanted = set().union(*(prefer_keys(f) for f in listed_files))
            by_list = [k for k in range(len(group.rows)) if wanted & group.keys[k]]
            if len(by_list) == 1:
                return by_list[0], "list"
        live = [k for k in range(len(group.rows)) if not group.settled[k]]
        if len(live) == 1 and len(live) < len(group.rows):  # merge: the one its summary had decided for
            return live[0], next(group.settled[k] for k in range(len(group.rows)) if k not in live)
        if live and any(len({group.digests[k][way] for k in live} - {None}) == 1
                        and all(group.digests[k][way] is not None for k in live)
                        for way in range(min(len(group.digests[k]) for k in live))):
            return live[0], "identical"
        return _same_report(group, live, [comp.rows[i].errors for i in group.rows])

    def _duplicate(self, group: _Group, chosen: int | None, how: str) -> None:
        """Record a duplicate: the files not chosen (all of them while it is pending) are 重复报送, not counted."""
        comp = self.comp
        rows = [comp.rows[i] for i in group.rows]
        first = rows[0] if chosen is None else rows[chosen]
        order = list(range(len(rows))) if chosen is None else [chosen, *(k for k in range(len(rows)) if k != chosen)]
        comp.duplicates.append(Duplicate(first.agency or next((r.agency for r in rows if r.agency), ""),
                                         first.uscc or next((r.uscc for r in rows if r.uscc), ""), first.year,
                                         [rows[k].file for k in order], how, [group.rows[k] for k in order]))
        if chosen is None:
            comp.agency_rows.extend(group.rows)  # every claimant is listed (明细, agencies), none counted
            files = "、".join(r.file for r in rows)
            cells = _differences_text(group.differences, rows)
            worded: dict[str, Any] = {"wording": "format", "cells": cells} if cells else {}
            for row in rows:
                row.counted = False
                self._late(row, RULES["compile.conflict"].finding(
                    field=FORM.by_id["cover_agency_name"], agency=row.agency or row.uscc, year=row.year or "",
                    count=len(rows), files=files, **worded))
                row.note = _join(row.note, f"同一报告的几种格式读出的表格数字不同（{cells}），待决定（共 {len(rows)} 份，"
                                           f"都未计入）" if cells
                                 else f"重复报送，内容不同，待决定（共 {len(rows)} 份，都未计入）")
            return
        comp.agency_rows.append(first.index)
        if how == "format":
            others = "、".join(Path(rows[k].file).name for k in order[1:])
            first.note = _join(first.note, f"另收到同一报告的其他格式（{others}），表格数字一致，以读出最多的本文件为准")
        else:
            first.note = _join(first.note, f"有重复报送，{_WHY[how]}以本文件为准")
        for k, row in enumerate(rows):
            if k == chosen:
                continue
            row.counted = False
            because = group.settled[k] or how
            self._late(row, RULES["compile.duplicate"].finding(
                field=FORM.by_id["cover_agency_name"], wording="" if because == "identical" else because,
                agency=row.agency or row.uscc, year=row.year or "", first=first.file),
                SAME_REPORT if because == "format" else DUPLICATE)
            if because == "format":
                row.note = _join(row.note, f"同一报告的另一格式，未计入（已计入 {first.file}{_cells_read(row, first)}）")
            else:
                row.note = _join(row.note, f"重复（内容相同），未计入（已计入 {first.file}）" if because == "identical"
                                 else f"重复报送，未计入（{_WHY[because]}以 {first.file} 为准）")

    def _late(self, row: FileRow, finding: Finding, status: str = DUPLICATE) -> None:
        """A finding decided at the end: added to the row (its spooled findings are already written)."""
        _add_findings(self.comp, row, self.comp.rules.apply_json([finding.to_json()]))
        if row.read_error is None:
            row.status = status


def _same_report(group: _Group, live: list[int], errors: list[int]) -> tuple[int | None, str]:
    """Published reports of one agency and year, each in its own format (a PDF, a web page, a Word file):
    the same report when every cell read in two of them holds the same value — one may have read fewer
    cells — counted once, the one with the most cells read (then the fewest errors, then the first).
    (None, "") otherwise; the cells the formats disagree on are kept in ``group.differences``."""
    tables = [group.tables[k] for k in live]
    formats = [group.formats[k] for k in live]
    if len(live) < len(group.rows) or any(t is None for t in tables) or len(set(formats)) < len(live):
        return None, ""
    for n, fid in enumerate(TABLE_FIELDS):
        read = [(k, t[n]) for k, t in zip(live, tables, strict=True) if t is not None and t[n] is not None]
        if len({json.dumps(v) for _, v in read}) > 1:
            group.differences.append((fid, read))
    if group.differences:
        return None, ""
    return min(live, key=lambda k: (-sum(v is not None for v in group.tables[k] or ()), errors[k])), "format"


def _differences_text(differences: list[tuple[str, list[tuple[int, Any]]]], rows: list[FileRow]) -> str:
    """The cells the formats of one report disagree on, in words: the first few, and how many in all."""
    if not differences:
        return ""
    shown = []
    for fid, read in differences[:_SHOWN_DIFFERENCES]:
        f = FORM.by_id[fid]
        values = "、".join(f"{Path(rows[k].file).name} 为 {v}" for k, v in read)
        shown.append(f"表{f.section}“{f.label}”{values}")
    more = f"等 {len(differences)} 格" if len(differences) > _SHOWN_DIFFERENCES else f"共 {len(differences)} 格"
    return "；".join(shown) + f"（{more}）"


def _cells_read(row: FileRow, first: FileRow) -> str:
    """How many table cells the copy and the file counted read, when they differ."""
    mine, theirs = (r.coverage.get("cells_read") if r.coverage else None for r in (row, first))
    if mine is None or theirs is None or mine == theirs:
        return ""
    return f"；本文件读出表格数字 {mine} 格，{Path(first.file).name} 读出 {theirs} 格"


def _named_in_unreadable(comp: Compilation, missing: list[Agency]) -> list[tuple[Agency, int]]:
    """Agencies not received as a readable report, but named in the name of a file that could not be read
    (a WPS .et, an .xls …): they did send their report, in the wrong format.  (agency, row index) pairs.

    A file names the agency whose name (or 统一社会信用代码) appears in its file name; the longest
    such name wins, and each file and each agency is matched once.
    """
    if not missing:
        return []
    names = sorted(((norm_name(a.name), a) for a in missing if len(norm_name(a.name)) >= 2),
                   key=lambda t: -len(t[0]))
    out: list[tuple[Agency, int]] = []
    taken: set[int] = set()
    for row in comp.rows:
        if row.read_error is None:
            continue
        file_name = norm_name(Path(row.file).name).upper()
        hit = next((a for a in missing if a.uscc and id(a) not in taken and a.uscc in file_name), None)
        if hit is None:
            hit = next((a for key, a in names if id(a) not in taken and key.upper() in file_name), None)
        if hit is None:
            continue
        taken.add(id(hit))
        out.append((hit, row.index))
        row.note = _join(row.note, f"已报送（格式不符）：{hit.name or hit.uscc}，请对方按提示另存为 .xlsx 后重新报送")
    return out


def _check_year(comp: Compilation, row: FileRow, findings: list[dict[str, Any]]) -> None:
    if comp.year is None or row.year == comp.year:
        return
    findings += comp.rules.apply_json([RULES["compile.year"].finding(
        field=FORM.by_id["cover_year"], expected=comp.year, actual=row.year).to_json()])
    row.note = _join(row.note, "年度不符，未计入")


# ---------------------------------------------------------------------------
# Writing every output
# ---------------------------------------------------------------------------

#: Largest file looked into to tell whether it is an earlier output (a summary workbook is far smaller).
_MAX_EARLIER_OUTPUT_BYTES = 64 * 1024 * 1024


def is_earlier_output(path: str | Path) -> bool:
    """Whether ``path`` holds what compile or merge writes (summary workbook or JSON, long or wide CSV, Parquet).

    Such a file, found among the reports, is an earlier run's output: never read as a report, and
    a run writing the same outputs may replace it.  Anything else there is a report, which no
    output may replace.  Only the start of the file is read (the JSON up to "kind", the CSV's
    header line, the workbook's list of sheets, Parquet's magic bytes).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return is_summary_file(path)
        with os.fdopen(open_regular(path), "rb") as fh:
            if os.fstat(fh.fileno()).st_size > _MAX_EARLIER_OUTPUT_BYTES:
                return False
            if suffix == ".csv":
                line = fh.readline(1 << 16).decode("utf-8-sig")
                header = next(csv.reader([line]), [])
                return tuple(header) == LONG_CSV_HEADER or is_wide_header(header)
            if suffix == ".parquet":
                return fh.read(4) == b"PAR1"
            with zipfile.ZipFile(fh) as zf, zf.open("xl/workbook.xml") as part:
                book = part.read(1 << 20).decode("utf-8", errors="replace")
            return all(f'name="{sheet}"' in book for sheet in CORE_SHEETS)
    except (OSError, InputFileError, zipfile.BadZipFile, KeyError, ValueError, RuntimeError, UnicodeDecodeError):
        return False


#: progress(what is being written, done, total) while the outputs are written.
OutputProgress = Callable[[str, int, int], None]


def write_outputs(comp: Compilation, *, xlsx: str | Path, json_path: str | Path | IO[str] | None = None,
                  csv_path: str | Path | None = None, wide_csv: str | Path | None = None,
                  parquet: str | Path | None = None, progress: OutputProgress | None = None) -> list[str]:
    """Write summary.xlsx (and the JSON, long CSV, wide CSV and Parquet when asked) of a finished compile or
    merge; returns the paths.

    The files are published together (:func:`~xl_disclosure.writers.atomic.published_together`): all
    of them or, after an error or Ctrl-C, none — those on disk always come from one run.
    ``json_path`` may also be an open text stream (standard output): the JSON is streamed to it once
    the files are in place, and it is not among the paths returned.  ``progress`` hears how far each
    output has got.
    """

    def step(label: str, total: int) -> Callable[[int], None]:
        done = 0
        if progress is not None:
            progress(label, 0, total)

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(label, done, total)

        return tick

    agencies = len(comp.agency_rows)
    counted = sum(1 for r in comp.counted_rows)

    def summary_json(tmp: Path) -> None:
        tick = step(f"写出 {json_path}", 1)
        write_summary_json(comp, tmp)
        tick(1)

    files: list[tuple[str | Path, Callable[[Path], object]]] = [
        (xlsx, lambda tmp: write_summary_xlsx(comp, tmp, tick=step(f"写出 {xlsx}", len(comp.rows) + agencies)))]
    if isinstance(json_path, str | Path):
        files.append((json_path, summary_json))
    if csv_path is not None:
        files.append((csv_path, lambda tmp: write_long_csv(comp, tmp, tick=step(f"写出 {csv_path}", counted))))
    if wide_csv is not None:
        files.append((wide_csv, lambda tmp: write_wide_csv(comp, tmp, tick=step(f"写出 {wide_csv}", agencies))))
    if parquet is not None:
        files.append((parquet, lambda tmp: write_long_parquet(comp, tmp, tick=step(f"写出 {parquet}", counted))))
    with published_together([target for target, _ in files]) as tmps:
        for tmp, (_, write) in zip(tmps, files, strict=True):
            write(tmp)
    if json_path is not None and not isinstance(json_path, str | Path):
        tick = step("写出 汇总 JSON", 1)
        dump_summary_json(comp, json_path)
        tick(1)
    return [str(target) for target, _ in files]
