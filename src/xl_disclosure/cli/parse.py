"""``parse`` and ``compare`` commands: reading published reports back, for audit."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.cli.common import console, expand_one, print_json, print_table, to_file
from xl_disclosure.cli.rules import rule_options, selected_rules
from xl_disclosure.errors import UsageError
from xl_disclosure.form import FORM, Kind
from xl_disclosure.readers.published import TABLE_FIELDS, ParseResult, missing_lines, page_span, source_place


@click.command("parse")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", metavar="结果.json", help="输出的 JSON 文件；省略时输出到屏幕。")
@click.option("--validate", "do_validate", is_flag=True, help="同时按全部校验规则核对读出的数字（勾稽关系、总计等）。")
@click.option("--explain", is_flag=True,
              help="逐格列出读出的数字及其出处（行号或第几个表格第几行第几列，PDF 另有页码和页内行号；原文摘录）；此时 JSON 只写入 -o 指定的文件。")
@rule_options
def parse_command(file: str, output: str | None, do_validate: bool, explain: bool, select: tuple[str, ...],
                  ignore: tuple[str, ...], config: str | None) -> None:
    """从已发布的年度报告（.txt、.md、.html/.htm/.xhtml、.mht、.docx、.doc、.odt、.rtf、.pdf；.doc 和 .rtf 需装有 LibreOffice）中读出表二、表三、表四及文字部分。

    \b
    输出 JSON：report（与 export 相同的报告数据；表格中写明的总计按原样保留，
    读不到的格为 null，绝不补 0）、coverage（哪些格读到了、哪些没找到及原因）、
    warnings，以及加 --validate 时的 findings（校验问题）。
    文件为“-”时从标准输入读取（文本或 HTML）。

    \b
    例如：
      xl-disclosure parse 年度报告.docx -o 年度报告.json --validate
      xl-disclosure parse 年度报告.html --explain
    加 --validate 时，规则的选用与 validate 相同（文件旁边的 xl-disclosure.toml、--config、--select、--ignore）。
    退出码：0 = 已读出（加 --validate 时表示没有错误），1 = 校验有错误，2 = 文件无法读取。
    """
    file = expand_one(file)
    if (select or ignore or config) and not do_validate:
        raise UsageError("--select、--ignore、--config 选择校验规则，只能与 --validate 一起用。")
    rules = selected_rules([file] if file != "-" else ["."], config, select, ignore) if do_validate else None
    result = api.parse(file, validate=do_validate, output=to_file(output), rules=rules)
    parsed, findings = result.parsed, result.findings
    if explain:
        console().print(explain_text(parsed), markup=False)
    if result.written is None and (output or not explain):
        print_json(result.to_json())
    err = console(stderr=True, info=True)
    err.print(f"{escape(file)}：{escape(parsed.coverage.summary())}")
    for ff in parsed.format_findings:
        err.print(f"  [yellow]格式[/] {ff['rule']} · {escape(ff['message'])}")
    lines = missing_lines(parsed)
    for _, line in lines[:MAX_MISSING_LINES]:
        err.print(f"  [yellow]未找到[/] {escape(line)}")
    if len(lines) > MAX_MISSING_LINES:
        err.print(f"  ……另有 {sum(n for n, _ in lines[MAX_MISSING_LINES:])} 格未找到，详见 JSON 中的 coverage。")
    for note in parsed.coverage.notes + parsed.warnings:
        err.print(f"  [yellow]注意[/] {escape(note)}")
    err = console(stderr=True)
    if findings is not None:
        errors = [f for f in findings if f.is_error]
        err.print(f"校验：{len(errors)} 个错误，{len(findings) - len(errors)} 个警告")
        for f in findings:
            level = "[red]错误[/]" if f.is_error else "[yellow]警告[/]"
            err.print(f"  {level} {f.rule} · {escape(f.message)}")
    if result.written is not None:
        console(stderr=True, info=True).print(f"已写出 {escape(result.written)}")
    sys.exit(result.exit_code)


#: At most this many lines about cells not found are printed (the rest are counted).
MAX_MISSING_LINES = 20


def source_text(src: dict[str, Any]) -> str:
    """A number's source in words (第 12 行 / 第 2 个表格第 5 行第 4 列 / 第 3 页第 7 行), and the excerpt."""
    row = f"（该行：“{src['row_excerpt']}”）" if "row_excerpt" in src else ""
    return f"{source_place(src) or '正文段落'}：“{src.get('excerpt', '')}”{row}"


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


def _show(v: object) -> str:
    if v is None:
        return "（未找到）"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@click.command("compare")
@click.argument("submitted", metavar="报送文件", type=click.Path(dir_okay=False, path_type=str))
@click.argument("published", metavar="发布文件", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "json_out", metavar="差异.json|-", help="把差异写成 JSON 文件；“-”表示输出到屏幕（此时不打印表格）。")
@rule_options
def compare_command(submitted: str, published: str, json_out: str | None, select: tuple[str, ...],
                    ignore: tuple[str, ...], config: str | None) -> None:
    """逐格比较报送的报告（.xlsx 填报模板或报告 JSON）与已发布的报告（.txt、.html、.docx、.doc、.odt、.rtf、.pdf）。

    \b
    报送值的总计按各分项重新计算；发布值按报告中印出的数字。
    数字不同报 compare.differs，发布的报告中找不到报 compare.unpublished；
    可用文件旁边的 xl-disclosure.toml、--config、--select、--ignore 关闭或改级别。
    退出码：0 = 完全一致，1 = 有差异，2 = 文件无法读取。

    \b
    例如：
      xl-disclosure compare 报送/某某局.xlsx 网站/某某局2024年度报告.html
    """
    submitted, published = expand_one(submitted), expand_one(published)
    rules = selected_rules([submitted, published], config, select, ignore)
    result = api.compare(submitted, published, json_path=to_file(json_out), rules=rules)
    diffs = result.differences
    if json_out == "-":
        print_json(result.to_json())
    else:
        out = console()
        # cells on a scan's pages were not read: one line says so instead of a row for each of them
        withheld = set(result.coverage.withheld())
        shown = [d for d in diffs if not (d["field"] in withheld and d["published"] is None)]
        unchecked = len(diffs) - len(shown)
        if result.coverage.ocr_pages:
            out.print(f"[yellow]注意[/] {escape(published)} {page_span(result.coverage.ocr_pages)}是扫描件，文字是 OCR "
                      f"识别出的，可能认错：这些页上的表格数字未读取，报送的 {unchecked} 个数字未能与之比较，"
                      f"请对照原件核对（--json 逐格列出）。")
        if not diffs:
            out.print(f"[green]一致[/] {escape(submitted)} 与 {escape(published)} 的表格数字完全一致。")
        elif not shown:
            out.print(f"[yellow]未能比较[/] {escape(published)} 的表格数字都在扫描页上，未读取，无法与 "
                      f"{escape(submitted)} 比较。")
        else:
            print_table(out, f"报送与发布不一致的 {len(shown)} 处", ("字段", "项目", "报送值", "发布值"),
                        [(d["field"], escape(d["label"]), escape(_show(d["submitted"])), escape(_show(d["published"])))
                         for d in shown], no_wrap=("字段",))
            out.print(f"[red]不一致[/] {escape(submitted)} 与 {escape(published)} 有 {len(shown)} 处差异"
                      + (f"，另有 {unchecked} 个报送的数字在扫描页上未能比较。" if unchecked else "。"))
    sys.exit(result.exit_code)
