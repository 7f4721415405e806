"""The agency list (机关名单) and last year's data, read the same way by every command.

:func:`read_agency_list` is the one reader of agency lists: ``template --agencies``,
``compile --expected`` and ``merge --expected``.  A list is a CSV (or a tab-separated
text) saved by Excel or WPS, in whatever encoding the clerk's machine uses:

* the encoding is detected — UTF-8 (with or without BOM), UTF-16 (Excel's
  "Unicode 文本"), GBK, GB18030 — and stated in :meth:`AgencyList.describe`;
* the delimiter is decided from the header line alone (comma, tab, semicolon or a
  full-width comma), never guessed from the data, so a quoted name with a comma
  anywhere in the file stays one cell;
* a 统一社会信用代码 that Excel turned into a number (scientific notation,
  15 significant digits, dropped leading zeros) or that fails its check digit is
  refused with its row number and how to fix it; every such row is listed at once.

:func:`load_prior` is the one loader of last year's data: a compile summary
(through :func:`~xl_disclosure.model.summary.load_summary`) or one report.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from xl_disclosure.errors import UsageError
from xl_disclosure.form import AGENCY_TYPES
from xl_disclosure.form import uscc as uscc_mod
from xl_disclosure.model.agency import Agency, Identity, Prior, norm_name, norm_uscc
from xl_disclosure.model.inputs import MAX_LIST_BYTES, InputFileError, read_capped, regular_file_problem
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.model.summary import Totals, is_summary_file, load_summary
from xl_disclosure.model.textfile import load_json
from xl_disclosure.readers.dispatch import ReadError, load_report

#: Column headers accepted for each column (compared without spaces, case-insensitively, NFKC).
HEADERS = {
    "name": ("机关名称", "单位名称", "机关", "名称", "name", "agency", "agency_name"),
    "uscc": ("统一社会信用代码", "信用代码", "uscc", "code", "credit_code"),
    "type": ("机关类型", "机关类型/层级", "类型", "type", "agency_type"),
    "file": ("文件名", "文件", "报送文件", "file", "file_name", "filename"),
}
#: Delimiters a header line may use, in order of preference when several would do.
DELIMITERS = {",": "逗号", "\t": "制表符", ";": "分号", "，": "全角逗号"}
#: How many row problems one error message lists.
SHOWN_ERRORS = 30

_TYPE_BY_NORM = {unicodedata.normalize("NFKC", t).replace(" ", ""): t for t in AGENCY_TYPES}
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)


def _norm_header(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).replace("\ufeff", "").split()).lower()


_COLUMN_BY_HEADER = {_norm_header(alias): key for key, aliases in HEADERS.items() for alias in aliases}


def agency_type(text: str) -> str | None:
    """The AGENCY_TYPES entry ``text`` names (full-/half-width brackets and spaces do not matter), or None."""
    return _TYPE_BY_NORM.get(unicodedata.normalize("NFKC", text).replace(" ", ""))


@dataclass(frozen=True)
class AgencyList(Sequence[Agency]):
    """The agencies of a list file, in file order, with how the file was read."""

    path: Path
    encoding: str
    delimiter: str
    agencies: tuple[Agency, ...]

    @overload
    def __getitem__(self, i: int) -> Agency: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Agency]: ...
    def __getitem__(self, i: int | slice) -> Agency | Sequence[Agency]:
        return self.agencies[i]

    def __len__(self) -> int:
        return len(self.agencies)

    def __iter__(self) -> Iterator[Agency]:
        return iter(self.agencies)

    def describe(self) -> str:
        """How the list was read, e.g. "GBK 编码，逗号分隔，共 12 行"."""
        return f"{self.encoding} 编码，{DELIMITERS[self.delimiter]}分隔，共 {len(self)} 行"


def decode_list(raw: bytes) -> tuple[str, str]:
    """The text of a list file and the name of its encoding; UnicodeDecodeError when none fits."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "UTF-8（带 BOM）"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    if b"\x00" in raw:  # UTF-16 without a BOM: the ASCII delimiters and line ends have a zero byte
        odd = raw[1::2].count(0) >= raw[0::2].count(0)
        return raw.decode("utf-16-le" if odd else "utf-16-be"), "UTF-16"
    for codec, label in (("utf-8", "UTF-8"), ("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            return raw.decode(codec), label
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("gb18030", raw, 0, len(raw), "no encoding fits")


def _delimiter(header_line: str) -> tuple[str, list[str]]:
    """The delimiter under which the header line names the most known columns, and the header cells."""
    best: tuple[int, str, list[str]] | None = None
    for delimiter in DELIMITERS:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known = len({_COLUMN_BY_HEADER[_norm_header(c)] for c in cells if _norm_header(c) in _COLUMN_BY_HEADER})
        if best is None or known > best[0]:
            best = (known, delimiter, cells)
    assert best is not None
    return best[1], best[2]


def code_problem(raw: str) -> tuple[str, str] | None:
    """What is wrong with a list's 统一社会信用代码 cell, as (what happened, how to fix it); None if valid."""
    code = norm_uscc(raw)
    retype = "请把该列设为文本后重新输入，再另存为 CSV"
    if _SCIENTIFIC.fullmatch(code):
        return f"被 Excel 改成了科学计数法（“{raw.strip()}”），原来的代码已经丢失", retype
    why = uscc_mod.problem(code)
    if why is None:
        return None
    if code.isdigit() and len(code) == uscc_mod.LENGTH and code.endswith("000"):
        return (f"“{code}”末尾几位被 Excel 改成了 0（Excel 只保留 15 位有效数字），原来的代码已经丢失", retype)
    if code.isdigit() and len(code) < uscc_mod.LENGTH:
        return (f"“{code}”只有 {len(code)} 位数字（应为 18 位），可能被 Excel 当成数字去掉了开头的 0 或截短了",
                retype)
    return f"“{code}”不正确：{why}", "在 Excel 中改正时，请先把该列设为文本"


def read_agency_list(path: str | Path, *, templates: bool = False) -> AgencyList:
    """Read and check an agency list (see the module docstring); UsageError lists every bad row.

    Columns: 机关名称 and/or 统一社会信用代码, optionally 机关类型 and 文件名 (or name, uscc, type, file):
    文件名 names the file that is the agency's report when several files claim it (``compile``).
    One code cannot belong to two differently named agencies.  With ``templates`` (one template
    per row) every row needs a name and no code may repeat; otherwise a row that repeats another
    (same name and code) is kept, and compiling counts it once.
    """
    path = Path(path)
    label = "机关名单" if templates else "应报送机关名单"
    try:
        raw = read_capped(path, MAX_LIST_BYTES, what=label)
    except OSError as exc:
        raise UsageError(f"{label} {path} 无法打开：{exc.strerror or exc}。") from exc
    except InputFileError as exc:
        raise UsageError(str(exc)) from None
    try:
        text, encoding = decode_list(raw)
    except UnicodeDecodeError:
        raise UsageError(f"{label} {path} 的编码无法识别，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重试。") from None
    header_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if not text.strip():
        raise UsageError(f"{label} {path} 是空的。第 1 行应为列名：机关名称, 统一社会信用代码, 机关类型。")
    delimiter, header = _delimiter(header_line)
    columns: dict[str, int] = {}
    for i, head in enumerate(header):
        key = _COLUMN_BY_HEADER.get(_norm_header(head))
        if key and key not in columns:
            columns[key] = i
    shown_header = "、".join(c.strip() for c in header) or "（空）"
    if templates and "name" not in columns:
        raise UsageError(f"{label} {path} 第 1 行：找不到“机关名称”列。表头应为：机关名称, 统一社会信用代码, 机关类型"
                         f"（也可用英文 name, uscc, type），实际为：{shown_header}。")
    if "name" not in columns and "uscc" not in columns:
        raise UsageError(f"{label} {path} 第 1 行应为列名，至少包含“机关名称”或“统一社会信用代码”"
                         f"（也可用 name、uscc），实际为：{shown_header}。")

    agencies: list[Agency] = []
    errors: list[str] = []
    code_rows: dict[str, tuple[int, str]] = {}  # code -> (first row, its name)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        next(reader)
        for line, row in enumerate(reader, start=2):
            if not any(c.strip() for c in row):
                continue

            def cell(key: str, row: list[str] = row) -> str:
                i = columns.get(key)
                return row[i].strip() if i is not None and i < len(row) else ""

            name = re.sub(r"\s+", " ", cell("name"))
            where = f"{path} 第 {line} 行"
            raw_code, raw_type, file_name = cell("uscc"), cell("type"), cell("file")
            if not name and (templates or not raw_code):
                errors.append(f"{where}：机关名称为空。" if templates else
                              f"{where}：没有机关名称，也没有统一社会信用代码。")
                continue
            code = ""
            if raw_code:
                problem = code_problem(raw_code)
                if problem is not None:
                    who = f"（该行机关：{name}）" if name else ""
                    errors.append(f"{where}的统一社会信用代码{problem[0]}{who}。{problem[1]}。")
                else:
                    code = norm_uscc(raw_code)
                    first = code_rows.get(code)
                    if first is None:
                        code_rows[code] = (line, name)
                    elif norm_name(first[1]) != norm_name(name):
                        errors.append(f"{where}（{name or code}）：统一社会信用代码“{code}”与第 {first[0]} 行"
                                      f"（{first[1] or code}）相同，同一代码只能属于一个机关。")
                    elif templates:
                        errors.append(f"{where}（{name or code}）：统一社会信用代码“{code}”与第 {first[0]} 行重复，"
                                      f"同一代码只能出现一次。")
            kind = ""
            if raw_type:
                kind = agency_type(raw_type) or ""
                if not kind:
                    errors.append(f"{where}（{name or code}）：机关类型“{raw_type}”不在列表中，应为："
                                  f"{'、'.join(AGENCY_TYPES)}。")
            agencies.append(Agency(name, code, kind, line, file_name))
    except csv.Error as exc:
        errors.append(f"{path} 第 {reader.line_num} 行：CSV 格式错误（{exc}）。")
    if errors:
        more = f"\n……另有 {len(errors) - SHOWN_ERRORS} 处错误。" if len(errors) > SHOWN_ERRORS else ""
        raise UsageError(f"{label} {path}（按 {encoding} 编码、{DELIMITERS[delimiter]}分隔读取）有 {len(errors)} 处错误，"
                         f"请改正后重试：\n" + "\n".join(errors[:SHOWN_ERRORS]) + more)
    if not agencies:
        raise UsageError(f"{label} {path} 中没有任何机关。")
    return AgencyList(path, encoding, delimiter, tuple(agencies))


# ---------------------------------------------------------------------------
# Last year's data
# ---------------------------------------------------------------------------

#: A single report JSON bigger than this is not a report.
MAX_REPORT_BYTES = 64 * 1024**2


def load_prior(path: str | Path) -> Prior:
    """Last year's data: a compile summary (its "reports" and "totals") or one report (JSON or workbook)."""
    path = Path(path)
    problem = regular_file_problem(path, f"上年数据 {path}")
    if problem is not None:
        raise UsageError(problem)
    if path.suffix.lower() != ".json":
        try:
            return _index_prior([load_report(path).to_json()], None, None, str(path))
        except ReadError as exc:
            raise UsageError(f"上年数据 {path} 无法读取：{exc}") from exc
    if is_summary_file(path):
        summary = load_summary(path)
        return _index_prior(summary.reports, summary.totals.flat(), summary.year, str(path))
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise UsageError(f"上年数据 {path} 不是汇总结果，作为一份报告又太大，请检查是否选错了文件。")
        data = load_json(path, max_bytes=MAX_REPORT_BYTES, name=f"上年数据 {path}")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"上年数据 {path} 无法读取为 JSON（{exc}）。请提供上年的汇总结果 JSON 或报告 JSON。") from exc
    except InputFileError as exc:  # not a regular file, too large, or JSON refused (model.jsonio)
        raise UsageError(f"{exc}请提供上年的汇总结果 JSON 或报告 JSON。") from None
    if isinstance(data, Mapping) and "report" in data and "form" not in data:
        data = data["report"]  # a validation result wraps the report
    if not isinstance(data, Mapping) or "form" not in data:
        raise UsageError(f"上年数据 {path} 既不是本工具写出的汇总结果（compile --json），也不是报告数据。")
    try:
        report = Report.from_json(data, source=str(path))
    except ReportFormatError as exc:
        raise UsageError(f"上年数据 {path} 既不是汇总结果也不是报告数据：{exc}") from exc
    return _index_prior([report.to_json()], None, None, str(path))


def _index_prior(reports: Iterable[Any], totals: dict[str, float] | None, year: int | None, source: str) -> Prior:
    prior = Prior(totals=totals, year=year, source=source)
    acc = Totals()
    years: set[int] = set()
    for i, data in enumerate(reports):
        try:
            report = Report.from_json(data, source=f"{source} 的第 {i + 1} 份报告")
        except ReportFormatError as exc:
            raise UsageError(f"上年数据 {source} 中第 {i + 1} 份报告格式不对：{exc}") from exc
        if totals is None:
            acc.add(report)
        prior.add(Identity.of(report.agency, report.get("cover_uscc")), report.to_json())
        if report.year is not None:
            years.add(report.year)
    if prior.year is None and len(years) == 1:
        prior.year = next(iter(years))
    if prior.totals is None and len(prior):
        prior.totals = acc.result()
    return prior
