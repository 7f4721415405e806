"""The agency list (应报送机关名单) and last year's data, as every command reads them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from xl_disclosure.errors import UsageError
from xl_disclosure.model.agency import Agency, Prior, norm_name, norm_uscc
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.model.summary import Totals, is_summary_file, load_summary
from xl_disclosure.readers.dispatch import ReadError, load_report


def read_expected(path: str | Path) -> list[Agency]:
    """The agencies expected to report: a CSV with 机关名称 and/or 统一社会信用代码 (or name/uscc) columns."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"应报送机关名单 {path} 无法打开：{exc.strerror or exc}。") from exc
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise UsageError(f"应报送机关名单 {path} 的编码无法识别，请另存为 UTF-8 编码的 CSV。")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise UsageError(f"应报送机关名单 {path} 是空的。")
    header = [norm_name(c).lower() for c in rows[0]]
    name_col = _column(header, ("机关名称", "单位名称", "机关", "name", "agency"))
    uscc_col = _column(header, ("统一社会信用代码", "信用代码", "uscc", "code"))
    if name_col is None and uscc_col is None:
        raise UsageError(f"应报送机关名单 {path} 的第一行应为列名，至少包含“机关名称”或“统一社会信用代码”"
                           f"（也可用 name、uscc），实际为：{'、'.join(rows[0])}。")
    out: list[Agency] = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(rows[1:], start=2):
        name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
        code = norm_uscc(row[uscc_col]) if uscc_col is not None and uscc_col < len(row) else ""
        if not name and not code:
            raise UsageError(f"应报送机关名单 {path} 第 {i} 行没有机关名称，也没有统一社会信用代码。")
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



def load_prior(path: str | Path) -> Prior:
    """Last year's compile summary JSON (its "reports", read by the summary model) or one report (JSON or workbook)."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        try:
            reports = [load_report(path).to_json()]
        except ReadError as exc:
            raise UsageError(f"上年数据 {path} 无法读取：{exc}") from exc
        return _index_prior(reports, None, None, str(path))
    if is_summary_file(path):
        summary = load_summary(path)
        return _index_prior(summary.reports, summary.totals.flat(), summary.year, str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"上年数据 {path} 无法读取为 JSON（{exc}）。") from exc
    try:
        if isinstance(data, Mapping) and "report" in data and "form" not in data:
            data = data["report"]
        report = Report.from_json(data, source=str(path))
    except ReportFormatError as exc:
        raise UsageError(f"上年数据 {path} 既不是汇总结果也不是报告数据：{exc}") from exc
    return _index_prior([report.to_json()], None, None, str(path))


def _index_prior(reports: Iterable[Any], totals: dict[str, float] | None, year: int | None, source: str) -> Prior:
    prior = Prior(totals=totals, year=year, source=source)
    acc = Totals()
    for i, data in enumerate(reports):
        try:
            report = Report.from_json(data, source=f"{source} reports[{i}]")
        except ReportFormatError as exc:
            raise UsageError(f"上年数据 {source} 中第 {i + 1} 份报告格式不对：{exc}") from exc
        acc.add(report)
        as_json = report.to_json()
        code, name = norm_uscc(report.get("cover_uscc")), norm_name(report.agency)
        if code:
            prior.by_uscc.setdefault(code, as_json)
        if name:
            prior.by_name.setdefault(name, as_json)
        if prior.year is None and report.year is not None:
            prior.year = report.year
    if prior.totals is None and len(prior):
        prior.totals = acc.result()
    return prior


