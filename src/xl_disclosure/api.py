"""The library: one function per command, returning result objects and never printing.

The command line (:mod:`xl_disclosure.cli`) is a thin layer over these
functions; other programs call them directly.  See docs/api.md for an example
of each.

Every problem the caller must act on is raised as an
:class:`~xl_disclosure.errors.XlDisclosureError` whose text is a Chinese
message naming the file (and cell); a file that cannot be read is a
:class:`ReadError` (or a :class:`~xl_disclosure.model.report.ReportFormatError`
for report data, a :class:`ReaderCrashed` when reading it crashed or ran past
the limits of the child process it is read in), an output that cannot be written an :class:`OutputError`, a
bad option a :class:`UsageError`.  Findings are not errors: they come back in
the results, with ``exit_code`` saying what the command line exits with.

The renderer, the published-report parser, the template writer and the Excel
builder are imported when their function is first called, so ``validate``
does not pay for loading them.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, TypeVar

from xl_disclosure.batch.agencies import AgencyList, agency_type, load_prior, read_agency_list
from xl_disclosure.batch.compile import (
    OutputProgress,
    collect_inputs,
    compile_reports,
    default_jobs,
    is_earlier_output,
    write_outputs,
)
from xl_disclosure.batch.merge import expand_summaries, merge_summaries
from xl_disclosure.checks.validator import check_equations, validate_report
from xl_disclosure.errors import UsageError, XlDisclosureError
from xl_disclosure.form import AGENCY_TYPES, RULES, YEAR_MAX, YEAR_MIN, Kind, Rule, RuleSelection
from xl_disclosure.form import uscc as uscc_mod
from xl_disclosure.form.fieldmap import field_map, field_map_json
from xl_disclosure.form.selection import ALL_RULES, check_selectors, matches
from xl_disclosure.model.agency import Agency, Prior, norm_uscc
from xl_disclosure.model.findings import Finding, ValidationResult
from xl_disclosure.model.inputs import regular_file_problem, same_file
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.model.reportjson import load_report_json
from xl_disclosure.model.schema_files import packaged_dir, schema_texts, stale_files
from xl_disclosure.model.summary import Compilation, Summary, SummaryError, is_summary_file, load_summary
from xl_disclosure.readers.config import PROJECT_FILE, find_project_file, load_project_file, rule_selection
from xl_disclosure.readers.dispatch import (
    JSON_SUFFIXES,
    PUBLISHED_SUFFIXES,
    STDIN_NAME,
    SUPPORTED_SUFFIXES,
    WORKBOOK_SUFFIXES,
    ReadError,
    load_report,
    sniff_suffix,
    validate_file,
)
from xl_disclosure.readers.isolation import ReaderCrashed, run_isolated
from xl_disclosure.writers.atomic import OutputError, check_suffix, check_targets, write_json_atomic, write_text_atomic
from xl_disclosure.writers.rules_doc import rules_markdown

if TYPE_CHECKING:
    from xl_disclosure.batch.distribute import Distribution
    from xl_disclosure.excel.install import InstallReport
    from xl_disclosure.readers.published import Coverage, ParseResult

__all__ = [
    "AddinResult",
    "Agency",
    "AgencyList",
    "CompareResult",
    "CompileResult",
    "ExportResult",
    "FieldMap",
    "FillResult",
    "JSON_SUFFIXES",
    "OutputError",
    "PROJECT_FILE",
    "PUBLISHED_SUFFIXES",
    "ParseOutcome",
    "ReadError",
    "ReaderCrashed",
    "RenderRefused",
    "RenderResult",
    "ReportFormatError",
    "Rule",
    "RuleSelection",
    "STDIN",
    "SUPPORTED_SUFFIXES",
    "SchemaResult",
    "Summary",
    "SummaryError",
    "UsageError",
    "ValidateResult",
    "WORKBOOK_SUFFIXES",
    "XlDisclosureError",
    "addin",
    "compare",
    "compile",
    "default_jobs",
    "distribute",
    "export",
    "fields",
    "fill",
    "find_project_file",
    "install_excel",
    "load_prior",
    "load_project_file",
    "load_report",
    "load_summary",
    "merge",
    "parse",
    "read_agency_list",
    "read_expected",
    "render",
    "render_report",
    "render_summary",
    "rule_selection",
    "rules",
    "rules_markdown",
    "schema",
    "template",
    "validate",
    "validate_file",
]

PathLike = str | Path

#: The file name meaning standard input, for the functions that read one document (validate, export,
#: render, parse): the bytes are read once, their kind (JSON, HTML, text, workbook) told from the content.
STDIN = "-"
#: Most read from standard input (a workbook is refused above 50 MB, report JSON above 64 MB).
MAX_STDIN_BYTES = 64 * 1024 * 1024


@contextlib.contextmanager
def _document(file: PathLike) -> Iterator[tuple[Path, str]]:
    """(path to read, name for messages) of an input; standard input is copied to a temporary file first."""
    if str(file) != STDIN:
        yield Path(file), str(file)
        return
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None or sys.stdin.isatty():
        raise UsageError("“-”表示从标准输入读取，但没有内容输入。例如：type 报告.json | xl-disclosure validate -")
    data = stream.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise UsageError(f"标准输入超过 {MAX_STDIN_BYTES // 1024**2} MB，超出本工具读取一份文件的上限。")
    with tempfile.TemporaryDirectory(prefix="xl-stdin-") as tmp:
        path = Path(tmp) / f"stdin{sniff_suffix(data)}"
        path.write_bytes(data)
        yield path, STDIN_NAME


# ---------------------------------------------------------------------------
# validate, export, fill
# ---------------------------------------------------------------------------

@dataclass
class ValidateResult:
    """The findings of every file validated, in the order given."""

    results: list[ValidationResult]
    written: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 every file passed (warnings allowed), 1 a file has errors, 2 a file could not be read."""
        return max(r.exit_code for r in self.results)

    @property
    def valid(self) -> bool:
        return all(r.valid for r in self.results)

    def tally(self) -> dict[str, int]:
        """How many files have each status (通过 / 有警告 / 不通过 / 无法读取), in order of first appearance."""
        out: dict[str, int] = {}
        for r in self.results:
            out[r.status] = out.get(r.status, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        """One file's result as it is (schema/validation.schema.json); several files wrapped in ``results``."""
        if len(self.results) == 1:
            return self.results[0].to_json()
        return {"valid": self.valid, "results": [r.to_json() for r in self.results]}


def _prior_report(prior: PathLike | Report | None) -> Report | None:
    if prior is None or isinstance(prior, Report):
        return prior
    try:
        return load_report(prior)
    except ReadError as exc:
        raise UsageError(f"上年报告 {prior} 无法读取：{exc}") from exc


def validate(files: PathLike | Sequence[PathLike], *, prior: PathLike | Report | None = None,
             json_path: PathLike | None = None, rules: RuleSelection | None = None) -> ValidateResult:
    """Validate filled templates, report JSON or published reports; a bad file is a result, never an exception.

    ``prior`` is last year's report (a file or a :class:`Report`), for the cross-year checks;
    ``json_path`` also writes the results as JSON.  ``rules`` (from :func:`rule_selection`) decides
    which rules run at which severity; without it, as the command line does, the project file
    ``xl-disclosure.toml`` beside the files or in the working directory decides (every rule without one).
    """
    paths = [files] if isinstance(files, str | Path) else list(files)
    if not paths:
        raise UsageError("请给出要校验的文件。")
    check_suffix("--json", json_path, (".json",))
    check_targets([("--json", json_path)], [*(("文件", p) for p in paths if str(p) != STDIN), ("上年报告", prior)])
    if sum(1 for p in paths if str(p) == STDIN) > 1:
        raise UsageError("标准输入（“-”）只能读取一次。")
    chosen = rule_selection(_inputs_for_rules(*paths)) if rules is None else rules
    prior_report = _prior_report(prior)
    results = []
    for p in paths:
        with _document(p) as (path, name):
            results.append(validate_file(path, prior=prior_report, rules=chosen, display=name))
    result = ValidateResult(results)
    if json_path is not None:
        write_json_atomic(json_path, result.to_json())
        result.written.append(str(json_path))
    return result


class _JsonResult(Protocol):
    """A result that writes itself as JSON and says where (``-o`` / ``--json``)."""

    written: str | None

    def to_json(self) -> dict[str, Any]: ...


_R = TypeVar("_R", bound=_JsonResult)


def _with_json(out: _R, path: PathLike | None) -> _R:
    """``out``, its JSON written to ``path`` when one is given (``written`` then names it)."""
    if path is not None:
        write_json_atomic(path, out.to_json())
        out.written = str(path)
    return out


@dataclass
class ExportResult:
    """A filled template read as report data, with its findings (exported even when it has errors)."""

    validation: ValidationResult
    written: str | None = None

    @property
    def report(self) -> Report:
        assert self.validation.report is not None
        return self.validation.report

    def to_json(self) -> dict[str, Any]:
        """The report JSON (schema/report.schema.json); totals recomputed from the inputs."""
        return self.report.to_json()


def export(file: PathLike, *, output: PathLike | None = None) -> ExportResult:
    """Read a filled template (or any report file) as report data; ``output`` also writes the JSON.

    Raises :class:`ReadError` when the file cannot be read as a report.
    """
    check_suffix("-o", output, (".json",))
    check_targets([("-o", output)], [("文件", file)])
    with _document(file) as (path, name):
        result = validate_file(path, display=name)
    if result.read_error or result.report is None:
        raise ReadError(result.read_error or name)
    return _with_json(ExportResult(result), output)


@dataclass
class FillResult:
    report: Report
    written: Path


def fill(source: PathLike | Report, *, output: PathLike | None = None, force: bool = False) -> FillResult:
    """A filled-in template from report data (the reverse of :func:`export`).

    ``source`` is a report JSON file or a :class:`Report`; ``output`` defaults to the JSON's name with .xlsx.
    An existing file is not replaced (it may be the filled workbook the JSON was exported from) unless
    ``force``; the JSON itself never is.
    """
    from xl_disclosure.writers.template import build_template, fill_values

    check_suffix("-o", output, (".xlsx",))
    if isinstance(source, Report):
        if output is None:
            raise UsageError("请给出输出的填报模板文件名（output）。")
        target = Path(output)
    else:
        target = Path(output) if output is not None else Path(source).with_suffix(".xlsx")
        check_targets([("-o", target)], [("报告 JSON", source)])
    if target.exists() and not force:
        raise UsageError(f"{target} 已存在，fill 不会替换已有的文件（它可能是已填好的报表）。"
                         f"请用 -o 指定新的文件名；确需替换时加 --force。")
    report = source if isinstance(source, Report) else load_report_json(source)
    build_template(target, values=fill_values(report))
    return FillResult(report, target)


# ---------------------------------------------------------------------------
# compile, merge
# ---------------------------------------------------------------------------

@dataclass
class CompileResult:
    """A finished compile or merge: the status of every file, the totals, and the outputs written."""

    compilation: Compilation
    written: list[str]
    strict: bool = False

    @property
    def exit_code(self) -> int:
        """0 when every file was read and passed (with --strict: without warnings), else 1."""
        return self.compilation.exit_code_for(strict=self.strict)


#: Each output of compile and merge: its option and the suffixes it may have.
OUTPUT_SUFFIXES = {"xlsx": ("-o", (".xlsx",)), "json_path": ("--json", (".json",)), "csv_path": ("--csv", (".csv",)),
                   "wide_csv": ("--wide-csv", (".csv",)), "parquet": ("--parquet", (".parquet",))}


def _distinct_outputs(outputs: Mapping[str, PathLike | IO[str] | None],
                      inputs: Sequence[tuple[str, object]] = ()) -> None:
    """Every output has a suffix it can be written as (-o x.csv is refused), none is a folder or an input,
    no two share a file."""
    for key, value in outputs.items():
        if not isinstance(value, str | Path):
            continue
        option, suffixes = OUTPUT_SUFFIXES[key]
        check_suffix(option, value, suffixes)
        if Path(value).is_dir():
            raise UsageError(f"{option} {value} 是一个文件夹，请给出文件名。")
    check_targets([(OUTPUT_SUFFIXES[k][0], v) for k, v in outputs.items()], inputs)


def _no_report_replaced(outputs: Mapping[str, PathLike | IO[str] | None], found: Sequence[Path]) -> None:
    """An output found among the reports must be an earlier run's output (never read); else refuse."""
    for key, value in outputs.items():
        if isinstance(value, str | Path) and any(same_file(value, f) for f in found) \
                and not is_earlier_output(value):
            raise UsageError(f"{OUTPUT_SUFFIXES[key][0]} {value} 是本次要读取的报表（不是本工具写出的汇总结果），"
                             f"输出不能覆盖它。请换一个输出文件名，或把输出写到收到的报表文件夹之外。")


def _source(data: object) -> object:
    """The file a list or last year's data was read from (an AgencyList or a Prior knows it), or ``data``."""
    if isinstance(data, AgencyList):
        return data.path
    if isinstance(data, Prior) and data.source:
        return data.source
    return data


def read_expected(path: PathLike) -> AgencyList:
    """The agencies expected to report (``--expected``): :func:`read_agency_list`, names optional.

    Its :meth:`~AgencyList.describe` says how the file was read (encoding, delimiter, rows).
    """
    return read_agency_list(path)


def _expected(expected: PathLike | Sequence[Agency] | None) -> Sequence[Agency] | None:
    if isinstance(expected, str | Path):
        return read_expected(expected)
    return expected


def compile(inputs: PathLike | Sequence[PathLike], *, xlsx: PathLike, json_path: PathLike | IO[str] | None = None,
            csv_path: PathLike | None = None, wide_csv: PathLike | None = None, parquet: PathLike | None = None,
            strict: bool = False, expected: PathLike | Sequence[Agency] | None = None,
            prior: PathLike | Prior | None = None, rules: RuleSelection | None = None,
            write_progress: OutputProgress | None = None, **options: Any) -> CompileResult:
    """Validate and aggregate every input (files, folders, patterns) and write the summary outputs.

    The outputs: ``xlsx`` the summary workbook; ``json_path`` the summary JSON (also an open text stream);
    ``csv_path`` the long CSV (one row per agency and field, for BI tools and pandas); ``wide_csv`` one row
    per agency (for Excel); ``parquet`` the long table typed (needs the ``parquet`` extra).  A suffix an
    output cannot have (``xlsx="x.csv"``) is a UsageError before anything is read.

    ``expected`` is the agency list (a CSV file, or agencies from :func:`read_expected`); ``prior`` last
    year's summary or report (a file, or :func:`load_prior`'s result).  ``rules`` is as for
    :func:`validate` (the project file beside the inputs when not given).  ``write_progress(what, done,
    total)`` hears how the outputs are coming on.  The other ``options`` are those of
    :func:`xl_disclosure.batch.compile.compile_reports`: ``year``, ``include_invalid``, ``jobs``, ``progress``,
    ``prefer`` (the files counted where several claim one agency).
    """
    inputs = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    outputs = {"xlsx": xlsx, "json_path": json_path, "csv_path": csv_path, "wide_csv": wide_csv, "parquet": parquet}
    _distinct_outputs(outputs, [("应报送机关名单", _source(expected)), ("上年数据", _source(prior))])
    chosen = rule_selection(inputs) if rules is None else rules
    expected_list = _expected(expected)
    prior_data = load_prior(prior) if isinstance(prior, str | Path) else prior
    _no_report_replaced(outputs, collect_inputs([str(i) for i in inputs]))
    # The agency list, last year's summary and an earlier run's outputs may sit among the reports: never read them.
    exclude = [*options.pop("exclude", ()),
               *(p for p in (xlsx, json_path, csv_path, wide_csv, parquet, _source(expected), _source(prior))
                 if isinstance(p, str | Path))]
    with compile_reports(inputs, expected=expected_list, prior=prior_data, rules=chosen, exclude=exclude,
                         **options) as comp:
        written = write_outputs(comp, xlsx=xlsx, json_path=json_path, csv_path=csv_path, wide_csv=wide_csv,
                                parquet=parquet, progress=write_progress)
    return CompileResult(comp, written, strict)


def merge(summaries: PathLike | Sequence[PathLike], *, xlsx: PathLike, json_path: PathLike | IO[str] | None = None,
          csv_path: PathLike | None = None, wide_csv: PathLike | None = None, parquet: PathLike | None = None,
          strict: bool = False, year: int | None = None, expected: PathLike | Sequence[Agency] | None = None,
          rules: RuleSelection | None = None, write_progress: OutputProgress | None = None,
          prefer: Sequence[PathLike] = ()) -> CompileResult:
    """Combine compile summaries (summary JSON files or patterns) into the same outputs as :func:`compile`.

    ``rules`` is as for :func:`compile` (the project file beside the summaries when not given): the
    findings are decided again under it, and a rule it runs that some summary did not run is a
    UsageError (see :mod:`xl_disclosure.batch.merge`).  ``prefer`` as for :func:`compile`.
    """
    summaries = [summaries] if isinstance(summaries, str | Path) else list(summaries)
    paths = expand_summaries([str(s) for s in summaries])
    _distinct_outputs({"xlsx": xlsx, "json_path": json_path, "csv_path": csv_path, "wide_csv": wide_csv,
                       "parquet": parquet}, [*(("要合并的汇总", p) for p in paths), ("应报送机关名单", _source(expected))])
    chosen = rule_selection(paths) if rules is None else rules
    expected_list = _expected(expected)
    with merge_summaries(paths, year=year, expected=expected_list, rules=chosen,
                         prefer=[str(p) for p in prefer]) as comp:
        written = write_outputs(comp, xlsx=xlsx, json_path=json_path, csv_path=csv_path, wide_csv=wide_csv,
                                parquet=parquet, progress=write_progress)
    return CompileResult(comp, written, strict)


# ---------------------------------------------------------------------------
# rules
# ---------------------------------------------------------------------------

def rules(selectors: Sequence[str] = ()) -> list[Rule]:
    """The rule catalogue in order (id, severity, title, what it checks, how it words a finding, an example).

    ``selectors`` (rule ids or prefixes such as ``narrative``) keep only the
    rules they match; an unknown one is a UsageError.
    """
    wanted = check_selectors(selectors, "要列出的规则")
    return [r for r in RULES.values() if not wanted or any(matches(s, r.id) for s in wanted)]



# ---------------------------------------------------------------------------
# render, render_summary
# ---------------------------------------------------------------------------

DRAFT_NOTE = "草稿：仅供内部审阅，不得发布"
DRAFT_NOTE_ERRORS = "草稿：本报告数据有 {n} 个错误尚未改正，仅供内部审阅，不得发布"
DRAFT_NOTE_SUMMARY = "草稿：汇总数据中有 {n} 个问题尚未解决，仅供内部审阅，不得发布"


class RenderRefused(XlDisclosureError):
    """Data with errors, rendered without asking for a draft: nothing was written.

    ``str()`` is ``title：detail``; ``validation`` holds a report's findings, ``problems`` the problems
    of a summary's data.
    """

    def __init__(self, title: str, detail: str, *, validation: ValidationResult | None = None,
                 problems: Sequence[str] = ()) -> None:
        super().__init__(f"{title}：{detail}")
        self.title = title
        self.detail = detail
        self.validation = validation
        self.problems = list(problems)


@dataclass
class RenderResult:
    """A rendered report: where it was written and, for a draft, the note on every page."""

    written: Path
    draft_note: str = ""
    #: A report's findings (its warnings should be checked before publishing); None for a summary.
    validation: ValidationResult | None = None
    #: Problems in a summary's data (a draft shows them as a count).
    problems: list[str] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        return bool(self.draft_note)

    @property
    def warnings(self) -> list[Finding]:
        return self.validation.warnings if self.validation is not None else []


def _render_target(output: PathLike) -> Path:
    from xl_disclosure.writers.render import OUTPUT_SUFFIXES

    target = Path(output)
    if target.suffix.lower() not in OUTPUT_SUFFIXES:
        raise UsageError(
            f"不支持的输出文件“{output}”：请用 .docx（Word）、.html（网页）或 .md（Markdown）作为扩展名，"
            f"例如 -o 年度报告.docx。"
        )
    return target


def render(file: PathLike, output: PathLike, *, draft: bool = False, region: str | None = None) -> RenderResult:
    """The publishable report from a file: an agency's (template, report JSON) or a region's (compile summary).

    The format is the suffix of ``output`` (.docx, .html, .md).  See :func:`render_report` and
    :func:`render_summary` for when it refuses.
    """
    _render_target(output)
    check_targets([("-o", output)], [("文件", file)])
    with _document(file) as (path, name):
        if path.suffix.lower() == ".json" and is_summary_file(path):
            return render_summary(path, output, draft=draft, region=region)
        return render_report(path, output, draft=draft, name=name)  # validate_file says why it cannot be read


def render_report(report: PathLike | Report, output: PathLike, *, draft: bool = False,
                  name: str | None = None) -> RenderResult:
    """Render an agency's annual report (a filled template, report JSON, or a :class:`Report`).

    Data with errors is refused (:class:`RenderRefused`, nothing written) unless ``draft`` is true; a draft
    says on every page that it must not be published, and how many errors the data still has.
    ``name`` is how the file is called in messages (default: its path).
    """
    from xl_disclosure.writers.render import build_document, render_document

    target = _render_target(output)
    if isinstance(report, Report):
        name = name or str(report.source.get("file") or report.agency or "报告")
        validation = ValidationResult(file=name, findings=validate_report(report), report=report)
    else:
        name = name or str(report)
        validation = validate_file(report, display=name)
        if validation.read_error or validation.report is None:
            raise ReadError(validation.read_error or name)
    errors = validation.errors
    if errors and not draft:
        raise RenderRefused("未生成成稿", f"{name} 有 {len(errors)} 个错误。请改正后重新校验；"
                                          f"如需先看样稿，可加 --draft 生成每页标注“草稿”的版本（不得发布）。",
                            validation=validation)
    note = DRAFT_NOTE_ERRORS.format(n=len(errors)) if errors else DRAFT_NOTE if draft else ""
    assert validation.report is not None
    written = render_document(build_document(validation.report, draft=note), target)
    return RenderResult(written, note, validation)


def _summary_problems(summary: Summary, report: Report) -> list[str]:
    problems = [f"合计数据：{f.message}" for f in check_equations(report) if f.is_error]
    for d in summary.duplicates:
        if d.pending:
            problems.append(f"{d.agency or d.uscc or '未知单位'} {d.year or ''} 年度收到 {len(d.files)} 份内容不同的报告，"
                            f"尚待决定计入哪一份（compile --prefer），都未纳入统计")
    for entry in summary.files:
        if entry.counted and entry.errors > 0:
            problems.append(f"{entry.file}（{entry.agency or '未知单位'}）有 {entry.errors} 个错误，却已纳入统计")
    return problems


def render_summary(summary: PathLike | Summary, output: PathLike, *, draft: bool = False,
                   region: str | None = None) -> RenderResult:
    """Render a region's consolidated report from a compile summary (the JSON file, or :func:`load_summary`'s).

    Refused (:class:`RenderRefused`) unless ``draft`` when the totals do not balance or a report with
    errors was counted (compile --include-invalid).  ``region`` names the region in the title.
    A file that is not a summary, or does not fit its schema, is a :class:`SummaryError`.
    """
    from xl_disclosure.writers.render import build_summary_document, render_document, summary_report

    target = _render_target(output)
    if not isinstance(summary, Summary):
        summary = load_summary(summary)
    source = summary.source
    report = summary_report(summary)
    problems = _summary_problems(summary, report)
    if problems and not draft:
        raise RenderRefused("未生成汇总报告", f"{source or '汇总结果'} 的汇总数据中有 {len(problems)} 个问题。"
                                              f"请只汇总校验通过的报告后重试；如需先看样稿，可加 --draft。",
                            problems=problems)
    note = DRAFT_NOTE_SUMMARY.format(n=len(problems)) if problems else DRAFT_NOTE if draft else ""
    doc = build_summary_document(summary, region=region, draft=note)
    return RenderResult(render_document(doc, target), note, problems=problems)


# ---------------------------------------------------------------------------
# parse, compare
# ---------------------------------------------------------------------------

def _read_published(file: PathLike, name: str | None = None) -> ParseResult:
    """A published report with its tables found; ParseError (Chinese) otherwise."""
    from xl_disclosure.readers.published import ParseError, no_tables_message
    from xl_disclosure.readers.published_file import PUBLISHED_KINDS, parse_file

    name = name or str(file)
    if Path(file).suffix.lower() not in PUBLISHED_SUFFIXES:
        raise ParseError(f"{name}：不支持的文件类型。{PUBLISHED_KINDS}")
    problem = regular_file_problem(file, name)
    if problem is not None:
        raise ParseError(problem)
    # In a child process: a crash or a runaway allocation costs only this read.
    result = run_isolated(functools.partial(parse_file, display=name), file, display=name)
    if not result.found_tables:
        raise ParseError(no_tables_message(name, result))
    return result


@dataclass
class ParseOutcome:
    """A published report read back: the numbers and texts, what was (not) found, and findings if asked."""

    parsed: ParseResult
    findings: list[Finding] | None = None
    written: str | None = None
    #: Which rules ran, at which severity (with ``findings``).
    rules: RuleSelection = field(default_factory=RuleSelection)

    @property
    def exit_code(self) -> int:
        """1 when validation found errors, else 0."""
        return 1 if self.findings and any(f.is_error for f in self.findings) else 0

    def to_json(self) -> dict[str, Any]:
        """The parse JSON; with findings, also the rules that ran (as validate records them)."""
        out = self.parsed.to_json(self.findings)
        if self.findings is not None:
            out["rules"] = self.rules.to_json()
        return out


def _inputs_for_rules(*files: PathLike) -> list[PathLike]:
    """Where the project file is looked for: beside the files (the working directory for standard input)."""
    return [f for f in files if str(f) != STDIN] or ["."]


def parse(file: PathLike, *, validate: bool = False, output: PathLike | None = None,
          rules: RuleSelection | None = None) -> ParseOutcome:
    """Read tables 二, 三, 四 and the texts of a published report (.txt, .html/.htm, .docx, .md, .pdf).

    Numbers it cannot read stay None (never 0) and are listed in ``parsed.coverage``; ``validate`` also
    runs the rules on what was read — ``rules`` as for :func:`validate` (the project file beside the file
    when not given); ``output`` writes the JSON.  Raises ParseError when the file is not a published
    report or has no tables.
    """
    from xl_disclosure.readers.published import validate_parsed

    check_suffix("-o", output, (".json",))
    check_targets([("-o", output)], [("文件", file)])
    chosen = (rule_selection(_inputs_for_rules(file)) if rules is None else rules) if validate else ALL_RULES
    with _document(file) as (path, name):
        parsed = _read_published(path, name)
    return _with_json(ParseOutcome(parsed, chosen.apply(validate_parsed(parsed)) if validate else None, rules=chosen),
                      output)


@dataclass
class CompareResult:
    """Where the submitted data and the published report differ, field by field."""

    submitted: str
    published: str
    #: Each difference: field, label, submitted, published, note, and the rule that reports it with its
    #: severity (compare.differs, compare.unpublished).
    differences: list[dict[str, Any]]
    coverage: Coverage
    written: str | None = None
    #: Which rules ran, at which severity.
    rules: RuleSelection = field(default_factory=RuleSelection)

    @property
    def exit_code(self) -> int:
        return 1 if self.differences else 0

    def to_json(self) -> dict[str, Any]:
        from xl_disclosure.readers.compare import COMPARE_KIND

        return {"kind": COMPARE_KIND, "submitted": self.submitted, "published": self.published,
                "count": len(self.differences), "differences": self.differences,
                "coverage": self.coverage.to_json(), "rules": self.rules.to_json()}


def compare(submitted: PathLike, published: PathLike, *, json_path: PathLike | None = None,
            rules: RuleSelection | None = None) -> CompareResult:
    """Compare a submitted report (template or report JSON) with the published one (.txt, .html, .docx, .pdf).

    Submitted totals are recomputed; published numbers are as printed.  ``json_path`` writes the differences.
    Each difference is a finding of compare.differs (a figure or the agency/year differs) or
    compare.unpublished (the published report does not show the figure); ``rules`` as for :func:`validate`
    (the project file beside the files when not given) decides which are reported, at which severity.
    """
    from xl_disclosure.readers.compare import differences

    check_suffix("--json", json_path, (".json",))
    check_targets([("--json", json_path)], [("报送的报告", submitted), ("已发布的报告", published)])
    chosen = rule_selection(_inputs_for_rules(submitted, published)) if rules is None else rules
    sub = load_report(submitted)
    pub = _read_published(published)
    return _with_json(CompareResult(str(submitted), str(published), differences(sub, pub, chosen), pub.coverage,
                                    rules=chosen), json_path)


# ---------------------------------------------------------------------------
# fields, schema
# ---------------------------------------------------------------------------

@dataclass
class FieldMap:
    """Every input, total and check cell of the template: id, section, labels, sheet and cell, kind, rules."""

    entries: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        """With the template's identity and version (what ``fields --json`` prints)."""
        return field_map_json(self.entries)

    def counts(self) -> dict[str, int]:
        """How many 填报格, 合计格 and 校验格 there are."""
        out: dict[str, int] = {}
        for e in self.entries:
            key = "填报格" if e["input"] else ("合计格" if e["kind"] == Kind.TOTAL.value else "校验格")
            out[key] = out.get(key, 0) + 1
        return out


def fields() -> FieldMap:
    """The published map of the template (every cell a program may read)."""
    return FieldMap(field_map())


@dataclass
class SchemaResult:
    out_dir: Path
    written: list[Path] = field(default_factory=list)
    #: With ``check``: the schema files missing from ``out_dir`` or differing from what the code generates,
    #: and the packaged copies (as paths) that do.
    stale: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.stale else 0


def schema(out_dir: PathLike = "schema", *, check: bool = False) -> SchemaResult:
    """Write the JSON Schemas derived from the form definition and the summary model into ``out_dir``.

    The copies shipped in the package (:func:`~xl_disclosure.model.schema_files.packaged_dir`) are
    brought up to date too when they differ (in a source checkout, where they are committed with the
    others).  With ``check`` only compare: ``stale`` names the files in ``out_dir`` and the paths of the
    packaged copies that are missing or differ.
    """
    result = SchemaResult(Path(out_dir))
    packaged = packaged_dir()
    if check:
        result.stale = stale_files(result.out_dir) + [str(packaged / name) for name in stale_files(packaged)]
        return result
    texts = schema_texts()
    for name, text in texts.items():
        target = result.out_dir / name
        write_text_atomic(target, text)
        result.written.append(target)
    for name in stale_files(packaged):
        write_text_atomic(packaged / name, texts[name])
        result.written.append(packaged / name)
    return result


# ---------------------------------------------------------------------------
# template, distribute
# ---------------------------------------------------------------------------

def _check_year(year: int | None) -> None:
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        raise UsageError(f"--year {year} 不合理，应为 {YEAR_MIN} 至 {YEAR_MAX} 之间的年份。")


def template(output: PathLike, *, year: int | None = None, agency: str | None = None, code: str | None = None,
             agency_type_name: str | None = None, password: str | None = None, macro: bool = False,
             interpreter: str | None = None, pythonpath: str | None = None) -> Path:
    """Write one locked template (with ``macro``: the .xlsm with 校验 buttons), its cover prefilled.

    UsageError for a year, code or agency type the template would refuse (nothing is written);
    ``password`` defaults to the templates' own.
    """
    from xl_disclosure.excel.build import build_macro_template
    from xl_disclosure.writers.template import DEFAULT_PASSWORD, build_template

    _check_year(year)
    if code:
        code = norm_uscc(code)
        why = uscc_mod.problem(code)
        if why:
            raise UsageError(f"--code 统一社会信用代码“{code}”不正确：{why}。")
    kind = None
    if agency_type_name:
        kind = agency_type(agency_type_name)
        if kind is None:
            raise UsageError(f"--type “{agency_type_name}”不在列表中，应为：{'、'.join(AGENCY_TYPES)}。")
    path = Path(output)
    if macro:
        if path.suffix.lower() != ".xlsm":
            raise UsageError(f"启用宏的模板须以 .xlsm 为扩展名（Excel 不会打开扩展名为 {path.suffix or '空'} 的宏文件），"
                             f"例如 -o 模板.xlsm。")
        build_macro_template(path, interpreter=interpreter, pythonpath=pythonpath, year=year, agency=agency,
                             code=code, agency_type=kind, password=password or DEFAULT_PASSWORD)
    else:
        if path.suffix.lower() != ".xlsx":
            raise UsageError(f"-o {output}：填报模板须以 .xlsx 为扩展名（Excel 不会打开内容与扩展名 {path.suffix or '（空）'} "
                             f"不符的文件），例如 -o 模板.xlsx；需要带“校验”按钮的 .xlsm 模板请加 --macro。")
        build_template(path, year=year, agency=agency, code=code, agency_type=kind,
                       password=password or DEFAULT_PASSWORD)
    return path


def distribute(agencies: PathLike | AgencyList, out_dir: PathLike, *, year: int | None = None,
               prior: PathLike | Prior | None = None, password: str | None = None,
               force: bool = False) -> Distribution:
    """One template per agency of a list (``template --agencies``), last year's carry-over prefilled.

    See :func:`xl_disclosure.batch.distribute.distribute`; ``password`` defaults to the templates' own.
    A file in the way that is not an untouched template is kept (its agency's ``outcome`` says so)
    unless ``force``.
    """
    from xl_disclosure.batch.distribute import distribute as run

    _check_year(year)
    return run(agencies, out_dir, year=year, prior=prior, force=force,
               **({"password": password} if password else {}))


# ---------------------------------------------------------------------------
# addin, install_excel
# ---------------------------------------------------------------------------

@dataclass
class AddinResult:
    written: Path


def addin(output: PathLike | None = None, *, interpreter: str | None = None,
          pythonpath: str | None = None) -> AddinResult:
    """Write the Excel ribbon add-in (.xlam) with the 校验 button; ``output`` defaults to xl_disclosure.xlam.

    ``interpreter`` is python.exe on the clerks' PCs (environment variables allowed); left out, the add-in
    uses what :func:`install_excel` wrote on that PC, or the python on PATH.
    """
    from xl_disclosure.excel.build import build_addin
    from xl_disclosure.excel.install import ADDIN_FILE

    target = Path(output) if output is not None else Path(ADDIN_FILE)
    if target.suffix.lower() != ".xlam":
        raise UsageError(f"输出文件 {target} 的扩展名必须是 .xlam（Excel 加载项）。")
    build_addin(target, interpreter=interpreter, pythonpath=pythonpath)
    return AddinResult(target)


def install_excel(*, interpreter: str | None = None, pythonpath: str | None = None) -> InstallReport:
    """Install the 校验 button into Excel for the user running this (Windows only).

    The add-in goes into XLSTART and ``interpreter`` (default: this Python) into xlwings' settings files.
    Raises :class:`xl_disclosure.excel.install.InstallError` off Windows.
    """
    from xl_disclosure.excel.install import install_excel as install

    return install(interpreter=interpreter, pythonpath=pythonpath)
