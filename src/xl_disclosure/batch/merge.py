"""Merging compile summaries: counties into a city, cities into a province, or one batch split across machines.

Each ``summary.json`` written by ``compile --json`` holds the status of every
file, its findings, and the report of every agency counted.  :func:`merge_summaries`
turns several of them into one :class:`~.compiler.Compilation`, so the same
writers produce the merged summary.xlsx, summary.json and long CSV:

* every file row of every summary is kept, its file name prefixed with the summary it came from;
* an agency counted in two summaries (same code, or same name without codes, same year) is decided
  as ``compile`` decides it (one :class:`~.compile.Placing`): identical reports — counted once, the
  first summary given; different reports — a conflict, neither counted, until ``prefer`` names one;
* regional totals are recomputed from the counted reports, never taken from the summaries' totals;
* with ``year``, reports of another year are not counted; with ``expected``, missing agencies are listed;
* the findings are decided again under the merge's own rules (``rules``: the project file beside the
  summaries, ``--config``, ``--select``/``--ignore``, as for compile): a rule switched off there is dropped,
  every finding gets the severity the merge gives its rule, and each file's status and whether it is
  counted follow.  Summaries compiled with different rules merge as long as every rule the merge runs ran
  in each of them; a rule that did not (switched off when that summary was compiled) cannot be decided
  for its files, and the merge is refused, naming the summary and the rules;
* the 重复率 of each file and the 异常变化 (cross_year.magnitude findings) are kept from the summaries
  that compared with last year.

What a summary did not keep cannot be recovered: agencies it did not count have no
figures (their rows stay in the status list), and cross-year checks are those each
compile made with its own ``--prior``.
"""

from __future__ import annotations

import glob
import hashlib
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xl_disclosure.batch.compile import CompileError, Placing, is_glob
from xl_disclosure.form import RuleSelection
from xl_disclosure.form.selection import ALL_RULES
from xl_disclosure.model.agency import Agency, distinct
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.model.summary import (
    DECISION_KEYS,
    SPOOL_PREFIXES,
    Compilation,
    FileEntry,
    FileRow,
    Summary,
    SummaryError,
    Totals,
    figures,
    finish_row,
    load_summary,
)


def expand_summaries(args: Sequence[str]) -> list[Path]:
    """The summaries named: files as given, and wildcards expanded here (the Windows shell does not)."""
    out: list[Path] = []
    for arg in args:
        if is_glob(arg):
            found = sorted(Path(p) for p in glob.glob(arg, recursive=True) if Path(p).is_file())
            if not found:
                raise CompileError(f"没有与 {arg} 匹配的汇总文件。")
            out += found
        elif Path(arg).is_dir():
            raise CompileError(f"{arg} 是一个文件夹；请给出其中的汇总 JSON 文件，例如 {Path(arg) / '*.json'}。")
        else:
            out.append(Path(arg))
    return list(dict.fromkeys(out))


def merge_summaries(paths: Sequence[str | Path], *, year: int | None = None,
                    expected: Sequence[Agency] | None = None, spool_dir: str | Path | None = None,
                    rules: RuleSelection = ALL_RULES, prefer: Sequence[str | Path] = ()) -> Compilation:
    """One Compilation from several compile summaries (see the module docstring); ``rules`` the merge's rules.

    ``prefer`` names the file counted of several claiming one agency: as the merged summary shows it
    (“东县：收到/a.xlsx”), as its summary does, or by file name.

    Every summary is loaded and checked before any is merged; loading keeps their files and
    reports on disk, read again one summary at a time while merging, so memory stays low.
    """
    if not paths:
        raise CompileError("没有要合并的汇总结果。")
    summaries = [load_summary(path) for path in paths]
    modes = {s.included for s in summaries}
    years = {s.year for s in summaries if s.year is not None}
    # A summary written before rules could be switched off ran every rule (from_record raises UsageError).
    for summary in summaries:
        ran = ALL_RULES if summary.rules is None else RuleSelection.from_record(summary.rules, summary.source)
        _check_rules_ran(rules, ran, summary.source)
    if len(modes) > 1:
        raise CompileError("这些汇总的计入范围不同（有的只计校验通过的报告，有的也计入未通过的），不能直接合并；"
                           "请用相同的 --include-invalid 设置重新汇总。")
    if year is None and len(years) > 1:
        raise CompileError(f"这些汇总的年度不同（{'、'.join(map(str, sorted(years)))}），请用 --year 指定合并哪一年度。")
    spool = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIXES[1], dir=spool_dir))
    comp = Compilation(rows=[], totals=Totals(), year=year if year is not None else next(iter(years), None),
                       include_invalid=modes == {"all"}, expected=None if expected is None else distinct(expected),
                       missing=[], duplicates=[], prior=None, spool_dir=spool, rules=rules,
                       jumps=[] if any(s.prior_given for s in summaries) else None)
    try:
        _merge_into(comp, summaries, [str(p) for p in prefer])
    except BaseException:
        comp.close()
        raise
    return comp


#: Rules compile never reports (only compare does): whether they ran says nothing about a summary's files.
_NOT_IN_SUMMARIES = ("compare.",)


def _check_rules_ran(rules: RuleSelection, ran: RuleSelection, source: str) -> None:
    """Refuse when the merge runs a rule the summary ``source`` was compiled without."""
    lacking = [rid for rid in rules.not_run_in(ran) if not rid.startswith(_NOT_IN_SUMMARIES)
               and rid not in _ACROSS_FILES]  # those merging decides again itself
    if not lacking:
        return
    shown = "、".join(lacking[:8]) + (f" 等 {len(lacking)} 条" if len(lacking) > 8 else "")
    where = (f"（按项目文件 {rules.config}）" if rules.config else
             "（没有项目文件、也没有 --select/--ignore 时运行全部规则）" if rules.is_default else "（按 --select/--ignore）")
    raise CompileError(f"汇总结果 {source} 汇总时没有运行规则 {shown}，而合并时要运行这些规则{where}，"
                       f"无法判断那些文件是否符合它们。请把汇总时用的 xl-disclosure.toml 放在汇总 JSON 旁边"
                       f"（或用 --config 指定），或合并时也关闭它们：--ignore {','.join(lacking)}；"
                       f"也可以用相同的规则设置重新汇总。")


#: Findings that compile decides across files; merging decides them again over all the summaries.
_ACROSS_FILES = frozenset({"compile.duplicate", "compile.conflict", "compile.year", "identity.mismatch"})


def _merge_into(comp: Compilation, summaries: list[Summary], prefer: Sequence[str]) -> None:
    labels = _labels([Path(s.source) for s in summaries])
    with open(comp.spool_dir / "findings.jsonl", "w", encoding="utf-8") as ffh, \
            open(comp.spool_dir / "reports.jsonl", "w", encoding="utf-8") as rfh:
        placing = Placing(comp, rfh, prefer)
        for summary, label in zip(summaries, labels, strict=True):
            reports = iter(summary.reports)  # one per counted file, in file order
            settled = _settled(summary)
            for entry in summary.files:
                row = _row(comp, entry, label, Path(summary.source))
                findings = comp.rules.decide_json(dict(f) for f in entry.findings if f.get("rule") not in _ACROSS_FILES)
                if entry.reuse is not None and comp.shows_reuse:
                    row.reuse, row.reuse_field = entry.reuse, entry.reuse_field
                row.prior_matched = bool(entry.prior_matched)
                raw = next(reports) if entry.counted else None
                if row.read_error is None:
                    report = None if raw is None else _report(raw, summary, entry)
                    # Two files of one agency are the same when compile read the same bytes, or their reports
                    # hold the same data (what a summary kept of each).
                    got: dict[str, Any] = {"figures": None, "digests": [entry.sha256, None]}
                    if report is not None:
                        values = json.dumps(report.values, ensure_ascii=False)
                        digest = hashlib.sha256(json.dumps(report.values, ensure_ascii=False, sort_keys=True)
                                                .encode("utf-8", "surrogatepass")).hexdigest()
                        got = {"figures": figures(report), "values_json": values, "digests": [entry.sha256, digest]}
                    got.update(sha256=entry.sha256, modified=entry.modified, saved=entry.saved,
                               names=[row.file, entry.file, row.path], settled=settled.get(entry.file, ""))
                    placing.place(row, findings, got)
                finish_row(row, findings)
                ffh.write(json.dumps(findings, ensure_ascii=False) + "\n")
        placing.finish()


def _settled(summary: Summary) -> dict[str, str]:
    """The files a summary decided against (not counted as another file of their agency was): how it decided.

    A summary written before conflicts were held counted the first file of each duplicate ("summary").
    """
    out: dict[str, str] = {}
    for d in summary.duplicates:
        if d.decided is not None:
            how = DECISION_KEYS[d.decided]
        elif d.evidence is None:
            how = "summary"
        else:
            continue  # a conflict it left to be decided
        for file in d.files[1:]:
            out[file] = how
    return out


def _report(raw: Any, summary: Summary, entry: FileEntry) -> Report:
    try:
        return Report.from_json(raw, source=f"{summary.source} 中 {entry.file} 的报告")
    except ReportFormatError as exc:
        raise SummaryError(str(exc)) from exc


def _row(comp: Compilation, entry: FileEntry, label: str, source: Path) -> FileRow:
    """A file's row as its summary gave it; what compile decided across files (notes, counted) is decided again."""
    file = entry.file
    # A relative name was relative to where compile ran: beside the summary, or here.
    original = next((c for c in (source.parent / file, Path(file)) if c.exists()), None)
    row = FileRow(index=len(comp.rows), file=f"{label}：{file}", path=str(original or ""),
                  agency=entry.agency or "", uscc=entry.uscc or "", year=entry.year,
                  read_error=entry.read_error,
                  template_version=entry.template_version, coverage=entry.coverage)
    comp.rows.append(row)
    return row


def _labels(paths: list[Path]) -> list[str]:
    """Short names that tell the summaries apart: file stems, or parent/stem when stems repeat."""
    stems = [p.stem for p in paths]
    if len(set(stems)) == len(stems):
        return stems
    return [f"{p.parent.name}/{p.stem}" if stems.count(p.stem) > 1 else p.stem for p in paths]
