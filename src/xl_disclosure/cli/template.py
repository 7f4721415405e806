"""``xl-disclosure template``: one template, or one per agency from a CSV list (batch distribution)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.form import AGENCY_TYPES, S3_COLUMNS, YEAR_MAX, YEAR_MIN, s3_id
from xl_disclosure.form import uscc as uscc_mod
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.writers.atomic import OutputError
from xl_disclosure.writers.template import (
    DEFAULT_PASSWORD,
    TemplateFiller,
    TemplateValueError,
    build_template,
    cover_values,
)


class BatchError(XlDisclosureError):
    """Bad batch input (CSV or prior file); the message is Chinese and names the file and line."""


# ---------------------------------------------------------------------------
# Agencies CSV
# ---------------------------------------------------------------------------

_HEADERS = {
    "name": ("机关名称", "单位名称", "名称", "name", "agency", "agency_name"),
    "uscc": ("统一社会信用代码", "信用代码", "uscc", "code", "credit_code"),
    "type": ("机关类型", "机关类型/层级", "类型", "type", "agency_type"),
}

_TYPE_BY_NORM = {unicodedata.normalize("NFKC", t).replace(" ", ""): t for t in AGENCY_TYPES}


@dataclass
class Agency:
    name: str
    uscc: str = ""
    agency_type: str = ""
    line: int = 0
    file_name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    prior_matched: str = ""  # "uscc" / "name" / ""


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BatchError(f"{path}：无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件。")


def _norm_header(h: str) -> str:
    return unicodedata.normalize("NFKC", h).strip().lower().replace(" ", "")


def _norm_type(t: str) -> str:
    return unicodedata.normalize("NFKC", t).replace(" ", "")


def read_agencies(path: Path) -> list[Agency]:
    """Read and fully validate the agency list; BatchError lists every bad line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BatchError(f"{path}：无法读取（{exc.strerror or exc}）。") from exc
    text = _decode(data, path)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise BatchError(f"{path}：文件是空的，第 1 行应为表头（机关名称, 统一社会信用代码, 机关类型）。") from None
    except csv.Error as exc:
        raise BatchError(f"{path} 第 1 行：CSV 格式错误（{exc}）。") from exc
    columns: dict[str, int] = {}
    wanted = {_norm_header(alias): key for key, aliases in _HEADERS.items() for alias in aliases}
    for i, h in enumerate(header):
        key = wanted.get(_norm_header(h))
        if key and key not in columns:
            columns[key] = i
    if "name" not in columns:
        raise BatchError(f"{path} 第 1 行：找不到“机关名称”列。表头应为：机关名称, 统一社会信用代码, 机关类型"
                         f"（也可用英文 name, uscc, type），实际为：{', '.join(header)}。")
    agencies: list[Agency] = []
    errors: list[str] = []
    seen_codes: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue

            def get(key: str, row: list[str] = row) -> str:
                i = columns.get(key)
                return row[i].strip() if i is not None and i < len(row) else ""

            name = re.sub(r"\s+", " ", get("name"))
            code = unicodedata.normalize("NFKC", get("uscc")).replace(" ", "").upper()
            raw_type = get("type")
            where = f"{path} 第 {line} 行"
            if not name:
                errors.append(f"{where}：机关名称为空。")
                continue
            if code:
                why = uscc_mod.problem(code)
                if why:
                    errors.append(f"{where}（{name}）：统一社会信用代码“{code}”不正确，{why}。")
                elif code in seen_codes:
                    errors.append(f"{where}（{name}）：统一社会信用代码“{code}”与第 {seen_codes[code]} 行重复。")
                else:
                    seen_codes[code] = line
            agency_type = ""
            if raw_type:
                agency_type = _TYPE_BY_NORM.get(_norm_type(raw_type), "")
                if not agency_type:
                    errors.append(f"{where}（{name}）：机关类型“{raw_type}”不在列表中，应为："
                                  f"{'、'.join(AGENCY_TYPES)}。")
            agencies.append(Agency(name, code, agency_type, line))
    except csv.Error as exc:
        errors.append(f"{path} 第 {reader.line_num} 行：CSV 格式错误（{exc}）。")
    if errors:
        shown = errors[:30]
        more = f"\n……另有 {len(errors) - 30} 处错误" if len(errors) > 30 else ""
        raise BatchError("机关名单有错误，未生成任何模板，请改正后重试：\n" + "\n".join(shown) + more)
    if not agencies:
        raise BatchError(f"{path}：名单中没有任何机关。")
    return agencies


# ---------------------------------------------------------------------------
# File names
# ---------------------------------------------------------------------------

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_STEM = 80


def safe_stem(name: str) -> str:
    """A file-name stem that is valid on Windows, macOS and Linux."""
    stem = _BAD_CHARS.sub("_", unicodedata.normalize("NFC", name)).strip().rstrip(". ")
    stem = stem[:MAX_STEM].rstrip(". ")
    if not stem:
        stem = "机关"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return stem


def assign_file_names(agencies: list[Agency], year: int | None) -> None:
    used: set[str] = set()
    prefix = f"{year}年度_" if year else ""
    for a in agencies:
        stem = safe_stem(prefix + a.name)
        candidate, n = stem, 1
        while candidate.casefold() in used:
            n += 1
            candidate = f"{stem}（{n}）"
        used.add(candidate.casefold())
        a.file_name = candidate + ".xlsx"


# ---------------------------------------------------------------------------
# Prior year (compile summary or a single report)
# ---------------------------------------------------------------------------

def load_prior_reports(path: Path) -> list[Report]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BatchError(f"上年数据 {path} 无法读取为 JSON（{exc}）。请提供上年的汇总结果 JSON 或报告 JSON。") from exc
    try:
        if isinstance(data, Mapping) and "reports" in data:
            items = data["reports"]
            if not isinstance(items, list):
                raise BatchError(f"上年数据 {path}：“reports”应为报告列表。")
            return [Report.from_json(item, source=f"{path} reports[{i}]") for i, item in enumerate(items)]
        if isinstance(data, Mapping) and "report" in data and "form" not in data:
            data = data["report"]
        return [Report.from_json(data, source=str(path))]
    except ReportFormatError as exc:
        raise BatchError(f"上年数据有误：{exc}") from exc


def carryover_values(prior: Report) -> dict[str, Any]:
    """This year's 上年结转 from last year's 结转下年度继续办理, per applicant column."""
    out: dict[str, Any] = {}
    for ckey, _ in S3_COLUMNS:
        v = prior.number(s3_id("next", ckey))
        if v is not None:
            out[s3_id("carried", ckey)] = v
    return out


def apply_prior(agencies: list[Agency], reports: list[Report]) -> None:
    by_code: dict[str, Report] = {}
    by_name: dict[str, Report] = {}
    for r in reports:
        code = r.values.get("cover_uscc")
        if isinstance(code, str) and code.strip():
            by_code.setdefault(code.strip().upper(), r)
        if r.agency:
            by_name.setdefault(r.agency, r)
    for a in agencies:
        match, how = None, ""
        if a.uscc and a.uscc in by_code:
            match, how = by_code[a.uscc], "uscc"
        elif a.name in by_name:
            match, how = by_name[a.name], "name"
        if match is not None:
            a.values.update(carryover_values(match))
            a.prior_matched = how


def prior_year(reports: list[Report]) -> int | None:
    years = {r.year for r in reports if r.year is not None}
    return years.pop() if len(years) == 1 else None


# ---------------------------------------------------------------------------
# Batch generation
# ---------------------------------------------------------------------------

def generate_batch(agencies: list[Agency], out_dir: Path, *, year: int | None, password: str) -> float:
    """Write every agency's template into a temporary folder, then move them all into ``out_dir``.

    Returns the seconds spent generating.  Nothing is left in ``out_dir`` if any file fails.
    """
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(f"无法在 {parent} 中写入（{exc.strerror or exc}）。") from exc
    try:
        start = time.perf_counter()
        filler = TemplateFiller(password)
        for a in agencies:
            values = {**a.values, **cover_values(year=year, agency=a.name, code=a.uscc or None,
                                                 agency_type=a.agency_type or None)}
            (tmp / a.file_name).write_bytes(filler.fill(values))
        elapsed = time.perf_counter() - start
        if not out_dir.exists():
            os.replace(tmp, out_dir)
        else:
            if not out_dir.is_dir():
                raise OutputError(f"{out_dir} 已存在且不是文件夹。")
            for a in agencies:
                os.replace(tmp / a.file_name, out_dir / a.file_name)
        return elapsed
    except OSError as exc:
        raise OutputError(f"无法写入 {out_dir}：{exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------
# Command
# ---------------------------------------------------------------------------

def _fail(message: str) -> NoReturn:
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"[red]错误[/] {escape(message)}")
    sys.exit(2)


def _check_single(year: int | None, code: str | None, agency_type: str | None) -> tuple[str | None, str | None]:
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        _fail(f"--year {year} 不合理，应为 {YEAR_MIN} 至 {YEAR_MAX} 之间的年份。")
    if code:
        code = unicodedata.normalize("NFKC", code).replace(" ", "").upper()
        why = uscc_mod.problem(code)
        if why:
            _fail(f"--code 统一社会信用代码“{code}”不正确：{why}。")
    if agency_type:
        t = _TYPE_BY_NORM.get(_norm_type(agency_type))
        if t is None:
            _fail(f"--type “{agency_type}”不在列表中，应为：{'、'.join(AGENCY_TYPES)}。")
        agency_type = t
    return code, agency_type


@click.command("template")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH.xlsx",
              help="输出的填报模板文件。")
@click.option("--year", type=int, help="预填的报告年度，如 2024。")
@click.option("--agency", help="预填的机关名称。")
@click.option("--code", help="预填的统一社会信用代码（18 位）。")
@click.option("--type", "agency_type", metavar="TYPE", help=f"预填的机关类型/层级：{'、'.join(AGENCY_TYPES)}。")
@click.option("--password", default=DEFAULT_PASSWORD, show_default=True, help="工作表和工作簿结构的保护密码。")
@click.option("--agencies", type=click.Path(dir_okay=False, path_type=Path), metavar="agencies.csv",
              help="批量下发：机关名单 CSV（列：机关名称, 统一社会信用代码, 机关类型；UTF-8 或 GBK）。")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="批量下发时的输出文件夹，每个机关一个模板。")
@click.option("--prior", type=click.Path(dir_okay=False, path_type=Path), metavar="LAST_YEAR.json",
              help="上年汇总结果 JSON（或单个报告 JSON）：用各机关上年“结转下年度继续办理”预填本年“上年结转”。")
@click.option("--macro", is_flag=True,
              help="生成启用宏的模板（.xlsm），封面和校验表上带“校验”按钮（需在 Excel 中安装 Python 和 xlwings）。")
@click.option("--interpreter", metavar="PYTHON.EXE",
              help="与 --macro 一起使用：写入模板 xlwings.conf 的 Python 解释器路径，可用 %LOCALAPPDATA% 等环境变量。")
@click.option("--pythonpath", metavar="DIR", help="与 --macro 一起使用：写入 xlwings.conf 的 PYTHONPATH。")
def template_command(output: Path | None, year: int | None, agency: str | None, code: str | None,
                     agency_type: str | None, password: str, agencies: Path | None, out_dir: Path | None,
                     prior: Path | None, macro: bool, interpreter: str | None, pythonpath: str | None) -> None:
    """生成加锁的 Excel 填报模板；或按机关名单为每个机关各生成一份（批量下发）。

    \b
    示例：
      xl-disclosure template -o 模板.xlsx --year 2024
      xl-disclosure template --agencies 机关名单.csv --out-dir 下发 --year 2024 --prior 2023汇总.json
    """
    out = Console(highlight=False)
    if agencies is None:
        if out_dir is not None or prior is not None:
            _fail("--out-dir 和 --prior 只能与 --agencies（批量下发）一起使用；生成单个模板请用 -o。")
        if output is None:
            _fail("请用 -o 指定输出文件，例如：xl-disclosure template -o 模板.xlsx")
            return
        code, agency_type = _check_single(year, code, agency_type)
        if (interpreter or pythonpath) and not macro:
            _fail("--interpreter 和 --pythonpath 只能与 --macro 一起使用。")
        if macro and output.suffix.lower() != ".xlsm":
            _fail(f"启用宏的模板须以 .xlsm 为扩展名（Excel 不会打开扩展名为 {output.suffix or '空'} 的宏文件），例如 -o 模板.xlsm。")
        try:
            if macro:
                from xl_disclosure.excel.build import build_macro_template

                build_macro_template(output, interpreter=interpreter, pythonpath=pythonpath, year=year,
                                     agency=agency, code=code, agency_type=agency_type, password=password)
            else:
                build_template(output, year=year, agency=agency, code=code, agency_type=agency_type,
                               password=password)
        except (OutputError, TemplateValueError) as exc:
            _fail(str(exc))
        out.print(f"已写出填报模板 {escape(str(output))}（保护密码：{escape(password)}）")
        return

    if macro:
        _fail("批量下发生成的是 .xlsx 模板；需要校验按钮时请安装加载项（xl-disclosure addin），不要用 --macro。")
    if output is not None or agency or code or agency_type:
        _fail("批量下发（--agencies）时机关信息来自名单，不能同时使用 -o、--agency、--code、--type。")
    if out_dir is None:
        _fail("批量下发需要用 --out-dir 指定输出文件夹。")
        return
    _check_single(year, None, None)
    try:
        listed = read_agencies(agencies)
        matched = 0
        if prior is not None:
            reports = load_prior_reports(prior)
            if year is None:
                last = prior_year(reports)
                year = last + 1 if last is not None else None
            apply_prior(listed, reports)
            matched = sum(1 for a in listed if a.prior_matched)
        assign_file_names(listed, year)
        elapsed = generate_batch(listed, out_dir, year=year, password=password)
    except BatchError as exc:
        _fail(str(exc))
        return
    except (OutputError, TemplateValueError) as exc:
        _fail(str(exc))
        return
    table = Table(title=f"已生成 {len(listed)} 份填报模板 → {out_dir}", show_lines=False)
    for col in ("行", "机关名称", "统一社会信用代码", "文件", "上年结转"):
        table.add_column(col)
    for a in listed:
        carried = {"uscc": "已预填（按信用代码）", "name": "已预填（按名称）"}.get(a.prior_matched, "—")
        table.add_row(str(a.line), escape(a.name), a.uscc or "—", escape(a.file_name), carried)
    out.print(table)
    rate = len(listed) / elapsed if elapsed > 0 else float("inf")
    summary = f"共 {len(listed)} 份，用时 {elapsed:.2f} 秒（{rate:.0f} 份/秒）；保护密码：{escape(password)}。"
    if prior is not None:
        summary += f" 上年数据匹配 {matched}/{len(listed)} 个机关。"
        if matched < len(listed):
            summary += "未匹配的机关“上年结转”留空，由填报人自行填写。"
    out.print(summary)
