"""Merging compile summaries: counties into a city, cities into a province, or one batch split across machines.

Each ``summary.json`` written by ``compile --json`` holds the status of every
file, its findings, and the report of every agency counted.  :func:`merge_summaries`
turns several of them into one :class:`~.compiler.Compilation`, so the same
writers produce the merged summary.xlsx, summary.json and long CSV:

* every file row of every summary is kept, its file name prefixed with the summary it came from;
* an agency counted in two summaries (same code, or same name without codes, same year)
  is counted once — the first summary given wins — and both files are named, as ``compile`` does;
* regional totals are recomputed from the counted reports, never taken from the summaries' totals;
* with ``year``, reports of another year are not counted; with ``expected``, missing agencies are listed;
* summaries compiled with different rules switched off (or severities changed) are refused; the merged
  summary records the rules they share, and the findings merging decides again follow them.

What a summary did not keep cannot be recovered: agencies it did not count have no
figures (their rows stay in the status list), and cross-year checks are those each
compile made with its own ``--prior``.
"""

from __future__ import annotations

import glob
import json
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from xl_disclosure.batch.compile import CompileError, Placing, is_glob
from xl_disclosure.form import RuleSelection
from xl_disclosure.form.selection import ALL_RULES
from xl_disclosure.model.agency import Agency
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.model.summary import STATUSES, SUMMARY_KIND, Compilation, FileRow, Totals, figures, finish_row


class _Summary:
    """One loaded summary.json, checked enough to merge."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CompileError(f"{path}：无法读取为 JSON（{exc}）。") from exc
        if not isinstance(data, Mapping) or data.get("kind") != SUMMARY_KIND:
            raise CompileError(f"{path}：不是本工具 compile --json 写出的汇总结果，无法合并。")
        files, reports = data.get("files"), data.get("reports")
        if not isinstance(files, list) or not isinstance(reports, list) \
                or not all(isinstance(f, Mapping) and isinstance(f.get("file"), str) for f in files):
            raise CompileError(f"{path}：汇总结果缺少“files”或“reports”，文件不完整，无法合并。")
        counted = [f for f in files if f.get("counted") is True]
        if len(counted) != len(reports):
            raise CompileError(f"{path}：计入汇总的文件有 {len(counted)} 个，报告数据却有 {len(reports)} 份，"
                               f"文件不完整或被改过，无法合并。请重新运行 compile --json 生成。")
        self.files: list[Mapping[str, Any]] = files
        self.year = data.get("year") if isinstance(data.get("year"), int) else None
        self.included = data.get("included")
        # A summary written before rules could be switched off ran every rule (from_record raises CompileError).
        self.rules = RuleSelection.from_record(data["rules"], str(path)) if "rules" in data else ALL_RULES
        self._reports = {row["file"]: raw for row, raw in zip(counted, reports, strict=True)}

    def report(self, file: str) -> Report | None:
        """The report counted for ``file`` (None if it was not counted), read when asked for."""
        raw = self._reports.get(file)
        if raw is None:
            return None
        try:
            return Report.from_json(raw, source=f"{self.path} 中 {file} 的报告")
        except ReportFormatError as exc:
            raise CompileError(str(exc)) from exc


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
                    expected: list[Agency] | None = None, spool_dir: str | Path | None = None) -> Compilation:
    """One Compilation from several compile summaries (see the module docstring)."""
    if not paths:
        raise CompileError("没有要合并的汇总结果。")
    # Check every summary before merging any; each is then read again, one at a time, to keep memory low.
    modes: set[object] = set()
    years: set[int] = set()
    rules: list[RuleSelection] = []
    for path in paths:
        summary = _Summary(Path(path))
        modes.add(summary.included)
        if summary.year is not None:
            years.add(summary.year)
        rules.append(summary.rules)
    if any(r.record() != rules[0].record() for r in rules):
        raise CompileError("这些汇总校验时启用的规则或规则级别不同（见各汇总 JSON 的“rules”），不能直接合并；"
                           "请用相同的规则设置（xl-disclosure.toml、--select、--ignore）重新汇总。")
    if len(modes) > 1:
        raise CompileError("这些汇总的计入范围不同（有的只计校验通过的报告，有的也计入未通过的），不能直接合并；"
                           "请用相同的 --include-invalid 设置重新汇总。")
    if year is None and len(years) > 1:
        raise CompileError(f"这些汇总的年度不同（{'、'.join(map(str, sorted(years)))}），请用 --year 指定合并哪一年度。")
    spool = Path(tempfile.mkdtemp(prefix="xl-merge-", dir=spool_dir))
    comp = Compilation(rows=[], totals=Totals(), year=year if year is not None else next(iter(years), None),
                       include_invalid=modes == {"all"}, expected=expected, missing=[], duplicates=[], prior=None,
                       spool_dir=spool, rules=rules[0])
    try:
        _merge_into(comp, [Path(p) for p in paths])
    except BaseException:
        comp.close()
        raise
    return comp


#: Findings that compile decides across files; merging decides them again over all the summaries.
_ACROSS_FILES = frozenset({"compile.duplicate", "compile.year"})


def _merge_into(comp: Compilation, paths: list[Path]) -> None:
    labels = _labels(paths)
    with open(comp.spool_dir / "findings.jsonl", "w", encoding="utf-8") as ffh, \
            open(comp.spool_dir / "reports.jsonl", "w", encoding="utf-8") as rfh:
        placing = Placing(comp, rfh)
        for path, label in zip(paths, labels, strict=True):
            summary = _Summary(path)
            for entry in summary.files:
                row = _row(comp, entry, label, summary.path)
                findings = _findings(entry, path)
                if row.read_error is None:
                    report = summary.report(entry["file"])
                    got = {"figures": None} if report is None else \
                        {"figures": figures(report), "values_json": json.dumps(report.values, ensure_ascii=False)}
                    placing.place(row, findings, got)
                finish_row(row, findings)
                ffh.write(json.dumps(findings, ensure_ascii=False) + "\n")
        placing.finish()


def _findings(entry: Mapping[str, Any], source: Path) -> list[dict[str, Any]]:
    """A file's findings as its summary recorded them, less those merging decides again."""
    listed = entry.get("findings") or []
    if not isinstance(listed, list) or not all(
            isinstance(f, Mapping) and f.get("severity") in ("error", "warning") and isinstance(f.get("message"), str)
            for f in listed):
        raise CompileError(f"{source}：{entry['file']} 的问题记录格式不对，文件不完整或被改过，无法合并。")
    return [dict(f) for f in listed if f.get("rule") not in _ACROSS_FILES]


def _row(comp: Compilation, entry: Mapping[str, Any], label: str, source: Path) -> FileRow:
    """A file's row as its summary gave it; what compile decided across files (notes, counted) is decided again."""
    file = entry["file"]
    # A relative name was relative to where compile ran: beside the summary, or here.
    original = next((c for c in (source.parent / file, Path(file)) if c.exists()), None)
    year, version, error = entry.get("year"), entry.get("template_version"), entry.get("read_error")
    row = FileRow(index=len(comp.rows), file=f"{label}：{file}", path=str(original or ""),
                  agency=_text(entry.get("agency")), uscc=_text(entry.get("uscc")),
                  year=year if isinstance(year, int) and not isinstance(year, bool) else None,
                  read_error=error if isinstance(error, str) else None,
                  template_version=version if isinstance(version, int) and not isinstance(version, bool) else None)
    if row.read_error is None and entry.get("status") not in STATUSES[:3]:
        row.read_error = f"{file}：汇总结果中的状态“{entry.get('status')}”无法识别，按无法读取处理。"
    comp.rows.append(row)
    return row


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _labels(paths: list[Path]) -> list[str]:
    """Short names that tell the summaries apart: file stems, or parent/stem when stems repeat."""
    stems = [p.stem for p in paths]
    if len(set(stems)) == len(stems):
        return stems
    return [f"{p.parent.name}/{p.stem}" if stems.count(p.stem) > 1 else p.stem for p in paths]
