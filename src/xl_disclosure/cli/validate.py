"""``validate``, ``export`` and ``fill`` commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape

from xl_disclosure.api import load_report, validate_file
from xl_disclosure.model.findings import ValidationResult
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.readers.workbook import ReadError
from xl_disclosure.writers.atomic import OutputError, write_text_atomic

STATUS_STYLE = {"通过": "green", "有警告": "yellow", "不通过": "red", "无法读取": "red"}


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def load_prior(path: str | None) -> Report | None:
    if path is None:
        return None
    try:
        return load_report(path)
    except ReadError as exc:
        raise click.UsageError(f"上年报告 {path} 无法读取：{exc}") from exc


def print_result(out: Console, result: ValidationResult) -> None:
    style = STATUS_STYLE[result.status]
    counts = f"{len(result.errors)} 个错误，{len(result.warnings)} 个警告" if result.readable else result.read_error
    out.print(f"[bold {style}]{result.status}[/] {escape(result.file)} · {escape(str(counts))}")
    for f in result.findings:
        level = "[red]错误[/]" if f.is_error else "[yellow]警告[/]"
        where = escape(f.location or "—")
        out.print(f"  {level} {escape(result.file)} · {where} · {f.rule} · {escape(f.message)}")


def results_json(results: list[ValidationResult]) -> dict[str, Any]:
    if len(results) == 1:
        return results[0].to_json()
    return {
        "valid": all(r.valid for r in results),
        "results": [r.to_json() for r in results],
    }


def write_json(data: Any, target: str) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_text_atomic(target, text)
    except OutputError as exc:
        fail_output(exc)


def fail_output(exc: OutputError) -> NoReturn:
    """An output that cannot be written: say why in Chinese and exit 2 (nothing was half-written)."""
    console(stderr=True).print(f"[red]无法写出[/] {escape(str(exc))}")
    sys.exit(2)


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "json_out", metavar="OUT|-", help="把校验结果写成 JSON 文件；“-”表示输出到屏幕（此时不打印文字摘要）。")
@click.option("--prior", metavar="FILE", help="上年的报告（填报模板 .xlsx 或报告 JSON），用于跨年度衔接核对。")
def validate_command(files: tuple[str, ...], json_out: str | None, prior: str | None) -> None:
    """校验填好的报告（.xlsx 填报模板或报告 JSON），逐条列出问题。

    \b
    每条问题一行：文件 · 工作表!单元格 · 规则 · 说明。
    退出码：0 = 通过（可有警告），1 = 有错误，2 = 文件无法读取或用法错误。
    """
    prior_report = load_prior(prior)
    results = [validate_file(path, prior=prior_report) for path in files]
    if json_out != "-":
        out = console()
        for result in results:
            print_result(out, result)
        if len(results) > 1:
            tally: dict[str, int] = {}
            for r in results:
                tally[r.status] = tally.get(r.status, 0) + 1
            out.print("共 " + str(len(results)) + " 个文件：" + "，".join(f"{k} {v}" for k, v in tally.items()))
    if json_out:
        write_json(results_json(results), json_out)
    sys.exit(max(r.exit_code for r in results))


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", metavar="OUT.json", help="输出的报告 JSON 文件；省略时输出到屏幕。")
def export_command(file: str, output: str | None) -> None:
    """把填好的模板导出为报告 JSON（符合 schema/report.schema.json）。

    合计一律按各分项重新计算，不采用工作簿里保存的合计值。
    """
    result = validate_file(file)
    if result.read_error or result.report is None:
        console(stderr=True).print(f"[red]无法读取[/] {escape(result.read_error or file)}")
        sys.exit(2)
    write_json(result.report.to_json(), output or "-")
    if result.findings:
        console(stderr=True).print(
            f"注意：{escape(file)} 有 {len(result.errors)} 个错误、{len(result.warnings)} 个警告，"
            f"可用 xl-disclosure validate {escape(file)} 查看。"
        )
    if output:
        console(stderr=True).print(f"已写出 {escape(output)}")


@click.command("fill")
@click.option("--from", "source", required=True, metavar="REPORT.json", help="报告 JSON（export 的输出或同格式数据）。")
@click.option("-o", "--output", metavar="OUT.xlsx", help="输出的填报模板；默认与 JSON 同名的 .xlsx。")
def fill_command(source: str, output: str | None) -> None:
    """用报告 JSON 生成一份已填好的填报模板（export 的逆操作）。"""
    from xl_disclosure.writers.template import build_template, fill_values

    try:
        report = Report.load(source)
    except ReportFormatError as exc:
        console(stderr=True).print(f"[red]无法读取[/] {escape(str(exc))}")
        sys.exit(2)
    target = Path(output) if output else Path(source).with_suffix(".xlsx")
    try:
        build_template(target, values=fill_values(report))
    except OutputError as exc:
        fail_output(exc)
    console().print(f"已写出 {escape(str(target))}")
