"""``render`` command: the publishable annual report (or a region's consolidated report) from data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from xl_disclosure.writers.atomic import OutputError
from xl_disclosure.writers.render import (
    OUTPUT_SUFFIXES,
    SummaryFormatError,
    build_document,
    build_summary_document,
    is_summary,
    render_document,
    summary_report,
)

DRAFT_NOTE_ERRORS = "草稿：本报告数据有 {n} 个错误尚未改正，仅供内部审阅，不得发布"
DRAFT_NOTE = "草稿：仅供内部审阅，不得发布"


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(message: str, code: int) -> None:
    _console(stderr=True).print(message)
    sys.exit(code)


def _read_summary(path: Path) -> dict[str, Any] | None:
    """The compile summary in ``path``, or None when the file is not one (or not JSON at all)."""
    if path.suffix.lower() != ".json":
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # validate_file reports why the file cannot be read
    return data if is_summary(data) else None


@click.command("render")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", required=True, metavar="OUT.docx|OUT.html|OUT.md",
              help="输出文件；格式由扩展名决定：.docx（Word）、.html（网页）、.md（Markdown）。")
@click.option("--draft", is_flag=True,
              help="数据有错误时也生成，每页标注“草稿”（草稿不得发布）。")
@click.option("--region", metavar="名称",
              help="汇总报告标题中的地区或汇总机关名称（仅用于汇总结果 summary.json；默认取各报告的上级汇总机关）。")
def render_command(file: str, output: str, draft: bool, region: str | None) -> None:
    """由数据生成可发布的年度报告：Word、网页（单个 HTML 文件）或 Markdown。

    \b
    FILE 可以是：
      填好的填报模板 .xlsx/.xlsm、报告数据 .json —— 生成本机关的年度报告；
      汇总结果 summary.json（compile 的输出）—— 生成本地区的汇总报告。
    报告须先通过校验：有错误时不生成，并列出错误；加 --draft 可生成标注“草稿”的样稿。
    表格中的合计一律按各分项重新计算。
    退出码：0 = 已生成，1 = 数据有错误未生成，2 = 文件无法读取或用法错误。
    """
    target = Path(output)
    if target.suffix.lower() not in OUTPUT_SUFFIXES:
        raise click.UsageError(
            f"不支持的输出文件“{output}”：请用 .docx（Word）、.html（网页）或 .md（Markdown）作为扩展名，"
            f"例如 -o 年度报告.docx。"
        )
    path = Path(file)
    summary = _read_summary(path)
    if summary is not None:
        _render_summary(file, summary, target, draft, region)
    else:
        _render_report(file, target, draft)


def _render_report(file: str, target: Path, draft: bool) -> None:
    from xl_disclosure.api import validate_file
    from xl_disclosure.cli.validate import print_result

    result = validate_file(file)
    if result.read_error or result.report is None:
        _fail(f"[red]无法读取[/] {escape(result.read_error or file)}", 2)
        return
    errors = result.errors
    if errors and not draft:
        err = _console(stderr=True)
        print_result(err, result)
        err.print(f"[red]未生成成稿[/]：{escape(file)} 有 {len(errors)} 个错误。请改正后重新校验；"
                  f"如需先看样稿，可加 --draft 生成每页标注“草稿”的版本（不得发布）。")
        sys.exit(1)
    note = DRAFT_NOTE_ERRORS.format(n=len(errors)) if errors else DRAFT_NOTE if draft else ""
    _write(build_document(result.report, draft=note), target)
    if result.warnings:
        _console(stderr=True).print(
            f"[yellow]注意[/]：{escape(file)} 有 {len(result.warnings)} 个警告，发布前请用 "
            f"xl-disclosure validate {escape(file)} 查看并核实。"
        )


def _render_summary(file: str, summary: dict[str, Any], target: Path, draft: bool, region: str | None) -> None:
    from xl_disclosure.checks.validator import check_equations

    try:
        report = summary_report(summary, source=file)
    except SummaryFormatError as exc:
        _fail(f"[red]无法读取[/] {escape(str(exc))}", 2)
        return
    problems = [f"合计数据：{f.message}" for f in check_equations(report) if f.is_error]
    files = summary.get("files")
    for entry in files if isinstance(files, list) else []:
        if isinstance(entry, dict) and entry.get("counted") and (entry.get("errors") or 0) > 0:
            problems.append(f"{entry.get('file')}（{entry.get('agency') or '未知单位'}）有 {entry.get('errors')} "
                            f"个错误，却已纳入统计")
    if problems and not draft:
        err = _console(stderr=True)
        for p in problems:
            err.print(f"  [red]错误[/] {escape(p)}")
        err.print(f"[red]未生成汇总报告[/]：{escape(file)} 的汇总数据中有 {len(problems)} 个问题。"
                  f"请只汇总校验通过的报告后重试；如需先看样稿，可加 --draft。")
        sys.exit(1)
    note = (f"草稿：汇总数据中有 {len(problems)} 个问题尚未解决，仅供内部审阅，不得发布" if problems
            else DRAFT_NOTE if draft else "")
    try:
        doc = build_summary_document(summary, region=region, draft=note, source=file)
    except SummaryFormatError as exc:
        _fail(f"[red]无法读取[/] {escape(str(exc))}", 2)
        return
    _write(doc, target)


def _write(doc: Any, target: Path) -> None:
    try:
        render_document(doc, target)
    except OutputError as exc:
        _fail(f"[red]无法写出[/] {escape(str(exc))}", 2)
        return
    kind = "草稿" if doc.draft else "成稿"
    _console().print(f"已生成{kind} {escape(str(target))}")
