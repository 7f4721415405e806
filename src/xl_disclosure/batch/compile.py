"""Compiling many returned reports into one regional summary.

The compiling office (政务公开办) gets hundreds or thousands of files back.
:func:`compile_reports` validates them in worker processes (with memory and time
limits, replaced when one dies: a file that crashes its reader is only that
file's 无法读取 row), streams
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
import csv
import glob
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

from xl_disclosure.checks.narrative import most_reused
from xl_disclosure.checks.validator import check_cross_year
from xl_disclosure.errors import UsageError
from xl_disclosure.form import FORM, RULES, RuleSelection, s3_id
from xl_disclosure.form.selection import ALL_RULES
from xl_disclosure.model.agency import Agency, AgencyIndex, Identity, Prior, distinct, norm_name, norm_uscc
from xl_disclosure.model.inputs import InputFileError, open_regular, shown_path
from xl_disclosure.model.report import Report
from xl_disclosure.model.summary import (
    APPLICATIONS,
    SPOOL_PREFIXES,
    Compilation,
    Duplicate,
    FileRow,
    Totals,
    figures,
    finish_row,
    is_summary_file,
)
from xl_disclosure.readers.dispatch import SUPPORTED_SUFFIXES, validate_file
from xl_disclosure.readers.formats import SPREADSHEET_SUFFIXES
from xl_disclosure.readers.isolation import ReaderCrashed, imap_isolated
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

    Files are returned sorted by path, the order that decides which of two
    duplicates is counted.  A named path that does not exist is returned as is
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
        # and the values as the JSON line it spools.
        out["report"] = {
            "agency": report.agency,
            "uscc": norm_uscc(report.get("cover_uscc")),
            "year": report.year,
            "figures": figures(report),
            "values_json": json.dumps(report.values, ensure_ascii=False),
        }
    return out


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
) -> Compilation:
    """Validate and aggregate every input file (see the module docstring); ``rules`` decides which rules run;
    ``exclude`` as for :func:`collect_inputs`."""
    paths = collect_inputs([str(i) for i in inputs], exclude)
    tasks = [(i, str(p), shown_path(p)) for i, p in enumerate(paths)]  # (index, path, name shown)
    spool = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIXES[0], dir=spool_dir))
    comp = Compilation(rows=[], totals=Totals(), year=year, include_invalid=include_invalid,
                       expected=None if expected is None else distinct(expected), missing=[], duplicates=[],
                       prior=prior, spool_dir=spool, rules=rules, jumps=None if prior is None else [])
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


def _join(a: str, b: str) -> str:
    return f"{a}；{b}" if a else b



class Placing:
    """Decides, file by file in order, where each readable report goes: year, duplicates, expected list, totals.

    ``got`` holds the report's ``figures`` and ``values_json`` (None for a figure-less
    report, which is listed but cannot be counted).  Shared by compile and merge.

    Agencies are paired by one rule (:class:`~xl_disclosure.model.agency.Identity`):
    a report is a duplicate of an earlier one of the same agency and year; with a list,
    each agency received is 已报送 when it matches an agency on the list and 名单外
    otherwise, and each listed agency no report matches is 未报送.
    """

    def __init__(self, comp: Compilation, rfh: TextIO) -> None:
        self.comp, self.rfh = comp, rfh
        self.first_of: dict[int | None, AgencyIndex[int]] = {}  # year -> first row of each agency
        self.dups: dict[int, Duplicate] = {}
        self.years: collections.Counter[int] = collections.Counter()
        self.listed: AgencyIndex[int] = AgencyIndex()  # index into comp.expected
        for i, a in enumerate(comp.expected or ()):
            self.listed.add(a.identity, i)
        self.reported: set[int] = set()  # listed agencies some report matched

    def place(self, row: FileRow, findings: list[dict[str, Any]], got: Mapping[str, Any]) -> None:
        _check_year(self.comp, row, findings)
        if not _check_duplicate(self.comp, row, findings, self.first_of.setdefault(row.year, AgencyIndex()),
                                self.dups):
            self._record(row, got, findings)

    def _record(self, row: FileRow, got: Mapping[str, Any], findings: list[dict[str, Any]]) -> None:
        """The first report of an agency: received, on the list or not, counted or not, spooled."""
        comp = self.comp
        comp.agency_rows.append(row.index)
        comp.note_year_over_year(row, findings)
        on_list = [i for _, i in self.listed.all(Identity.of(row.agency, row.uscc))]
        self.reported.update(on_list)
        if comp.expected is not None and not on_list:
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
        row.applications = numbers[APPLICATIONS]
        if comp.prior is not None:
            matched = comp.prior.match(row.uscc, row.agency)
            if matched is not None:
                row.prior_applications = Report.from_json(matched).total(s3_id("new", "total"))
        self.rfh.write(f"[{row.index}, {got['values_json']}]\n")

    def finish(self) -> None:
        comp = self.comp
        comp.duplicates = [self.dups[i] for i in sorted(self.dups)]
        if comp.year is None and self.years:
            comp.year = self.years.most_common(1)[0][0]
        if comp.expected is not None:
            missing = [a for i, a in enumerate(comp.expected) if i not in self.reported]
            comp.received_unreadable = _named_in_unreadable(comp, missing)
            sent = {id(a) for a, _ in comp.received_unreadable}
            comp.missing = [a for a in missing if id(a) not in sent]


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


def _check_duplicate(comp: Compilation, row: FileRow, findings: list[dict[str, Any]],
                     first_of: AgencyIndex[int], dups: dict[int, Duplicate]) -> bool:
    """Whether ``row`` repeats an agency ``first_of`` (this year's first rows) already has; records it if not."""
    me = Identity.of(row.agency, row.uscc)
    earlier = first_of.first(me)
    if earlier is None:
        if me.name or me.code:
            first_of.add(me, row.index)
        return False
    hit = earlier[1]
    first = comp.rows[hit]
    dup = dups.get(hit)
    if dup is None:
        dup = dups[hit] = Duplicate(first.agency or row.agency, first.uscc or row.uscc, row.year, [first.file])
        first.note = _join(first.note, "有重复报送，以本文件为准")
    dup.files.append(row.file)
    findings += comp.rules.apply_json([RULES["compile.duplicate"].finding(
        field=FORM.by_id["cover_agency_name"], agency=row.agency or row.uscc, year=row.year or "",
        first=first.file).to_json()])
    row.note = _join(row.note, f"重复报送，未计入（已计入 {first.file}）")
    return True


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
