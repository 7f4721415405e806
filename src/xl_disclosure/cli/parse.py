"""``parse`` and ``compare`` commands: reading published reports back, for audit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xl_disclosure.api import PUBLISHED_SUFFIXES
from xl_disclosure.cli.validate import write_json
from xl_disclosure.form import FORM, Kind
from xl_disclosure.model.report import Report
from xl_disclosure.readers.published import (
    FEE_FIELDS,
    TABLE_FIELDS,
    ParseError,
    ParseResult,
    no_tables_message,
    parse_file,
    validate_parsed,
)

COMPARE_KIND = "xl-disclosure/compare"
_EPS = 1e-6


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(message: str) -> None:
    _console(stderr=True).print(f"[red]无法读取[/] {escape(message)}")
    sys.exit(2)


def _read_published(file: str) -> ParseResult:
    if Path(file).suffix.lower() not in PUBLISHED_SUFFIXES | {".doc"}:
        _fail(f"{file}：不支持的文件类型。已发布的报告请用 .txt、.html/.htm 或 .docx。")
    try:
        result = parse_file(file)
    except ParseError as exc:
        _fail(str(exc))
        raise  # unreachable; keeps type checkers content
    if not result.found_tables:
        _fail(no_tables_message(file, result))
    return result


@click.command("parse")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", metavar="OUT.json", help="输出的 JSON 文件；省略时输出到屏幕。")
@click.option("--validate", "do_validate", is_flag=True, help="同时按全部校验规则核对读出的数字（勾稽关系、总计等）。")
@click.option("--explain", is_flag=True,
              help="逐格列出读出的数字及其出处（行号或第几个表格第几行第几列、原文摘录）；此时 JSON 只写入 -o 指定的文件。")
def parse_command(file: str, output: str | None, do_validate: bool, explain: bool) -> None:
    """从已发布的年度报告（.txt、.html/.htm、.docx）中读出表二、表三、表四及文字部分。

    \b
    输出 JSON：report（与 export 相同的报告数据；表格中写明的总计按原样保留，
    读不到的格为 null，绝不补 0）、coverage（哪些格读到了、哪些没找到及原因）、
    warnings，以及加 --validate 时的 findings（校验问题）。
    退出码：0 = 已读出（加 --validate 时表示没有错误），1 = 校验有错误，2 = 文件无法读取。
    """
    result = _read_published(file)
    findings = validate_parsed(result) if do_validate else None
    if explain:
        _console().print(explain_text(result), markup=False)
    if output or not explain:
        write_json(result.to_json(findings), output or "-")
    err = _console(stderr=True)
    err.print(f"{escape(file)}：{escape(result.coverage.summary())}")
    missing = [fid for fid in TABLE_FIELDS if fid in result.coverage.missing and fid not in result.covered]
    for ff in result.format_findings:
        err.print(f"  [yellow]格式[/] {ff['rule']} · {escape(ff['message'])}")
    for fid in missing[:20]:
        err.print(f"  [yellow]未找到[/] {escape(FORM.by_id[fid].label)}：{escape(result.coverage.missing[fid])}")
    if len(missing) > 20:
        err.print(f"  ……另有 {len(missing) - 20} 格未找到，详见 JSON 中的 coverage。")
    for note in result.coverage.notes + result.warnings:
        err.print(f"  [yellow]注意[/] {escape(note)}")
    if findings is not None:
        errors = [f for f in findings if f.is_error]
        err.print(f"校验：{len(errors)} 个错误，{len(findings) - len(errors)} 个警告")
        for f in findings:
            level = "[red]错误[/]" if f.is_error else "[yellow]警告[/]"
            err.print(f"  {level} {f.rule} · {escape(f.message)}")
    if output:
        err.print(f"已写出 {escape(output)}")
    sys.exit(1 if findings and any(f.is_error for f in findings) else 0)


def source_text(src: dict[str, Any]) -> str:
    """A number's source in words: 第 12 行 / 第 2 个表格第 5 行第 4 列, and the excerpt."""
    if "table" in src:
        at = f"第 {src['table']} 个表格第 {src['row']} 行" + (f"第 {src['column']} 列" if "column" in src else "")
    elif "line" in src:
        at = f"第 {src['line']} 行"
    else:
        at = "正文段落"
    return f"{at}：“{src.get('excerpt', '')}”"


def explain_text(result: ParseResult) -> str:
    """Every cell of tables 二, 三, 四: its value and where it came from (or why it was not read)."""
    out = []
    for fid in TABLE_FIELDS:
        f = FORM.by_id[fid]
        v = result.report.values.get(fid)
        if v is not None:
            shown = str(int(v)) if isinstance(v, float) and v.is_integer() and f.kind is not Kind.AMOUNT else str(v)
            where = source_text(result.sources[fid]) if fid in result.sources else ""
        else:
            shown = "（未读出）"
            where = result.coverage.missing.get(fid, "")
        out.append(f"{fid}\t{f.label}\t{shown}\t{where}")
    for ff in result.format_findings:
        out.append(f"{ff['rule']}\t{ff['message']}")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------

COMPARE_FIELDS: tuple[str, ...] = ("cover_agency_name", "cover_year") + TABLE_FIELDS + FEE_FIELDS


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(a - b) < _EPS
    if isinstance(a, str) and isinstance(b, str):
        return "".join(a.split()) == "".join(b.split())
    return a == b


def differences(submitted: Report, published: ParseResult) -> list[dict[str, Any]]:
    """Field-by-field differences between submitted data and what the published report shows.

    Submitted totals are recomputed from the inputs; published values are as printed.  A number the
    published report does not show is a difference; a fee figure that neither side states is not.
    """
    out = []
    for fid in COMPARE_FIELDS:
        f = FORM.by_id[fid]
        sub = submitted.total(fid) if f.kind is Kind.TOTAL else submitted.get(fid)
        pub = published.report.get(fid)
        if fid in FEE_FIELDS and pub is None:
            continue  # the narrative states fees in words more often than in figures
        if fid.startswith("cover_") and (pub is None or sub is None):
            continue
        if _same(sub, pub):
            continue
        out.append({"field": fid, "label": f.label, "submitted": sub, "published": pub,
                    "note": published.coverage.missing.get(fid, "") if pub is None else ""})
    return out


def _show(v: object) -> str:
    if v is None:
        return "（未找到）"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@click.command("compare")
@click.argument("submitted", type=click.Path(dir_okay=False, path_type=str))
@click.argument("published", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "json_out", metavar="OUT|-", help="把差异写成 JSON 文件；“-”表示输出到屏幕（此时不打印表格）。")
def compare_command(submitted: str, published: str, json_out: str | None) -> None:
    """逐格比较报送的报告（.xlsx 填报模板或报告 JSON）与已发布的报告（.txt、.html、.docx）。

    \b
    报送值的总计按各分项重新计算；发布值按报告中印出的数字。
    退出码：0 = 完全一致，1 = 有差异，2 = 文件无法读取。
    """
    from xl_disclosure.api import load_report
    from xl_disclosure.readers.workbook import ReadError

    try:
        sub = load_report(submitted)
    except ReadError as exc:
        _fail(str(exc))
        return
    pub = _read_published(published)
    diffs = differences(sub, pub)
    if json_out:
        write_json({"kind": COMPARE_KIND, "submitted": submitted, "published": published, "count": len(diffs),
                    "differences": diffs, "coverage": pub.coverage.to_json()}, json_out)
    if json_out != "-":
        out = _console()
        if not diffs:
            out.print(f"[green]一致[/] {escape(submitted)} 与 {escape(published)} 的表格数字完全一致。")
        else:
            table = Table(title=f"报送与发布不一致的 {len(diffs)} 处", show_lines=False)
            for name in ("字段", "项目", "报送值", "发布值"):
                table.add_column(name, overflow="fold")
            for d in diffs:
                table.add_row(d["field"], escape(d["label"]), escape(_show(d["submitted"])),
                              escape(_show(d["published"])))
            out.print(table)
            out.print(f"[red]不一致[/] {escape(submitted)} 与 {escape(published)} 有 {len(diffs)} 处差异。")
    sys.exit(1 if diffs else 0)
