"""``validate``, ``export`` and ``fill`` commands."""

from __future__ import annotations

import sys

import click
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.cli.common import (
    QUIET,
    console,
    expand,
    expand_one,
    print_json,
    print_result,
    to_file,
    verbosity,
)
from xl_disclosure.cli.rules import rule_options, selected_rules


@click.command("validate")
@click.argument("files", nargs=-1, required=True, metavar="文件...", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "json_out", metavar="结果.json|-", help="把校验结果写成 JSON 文件；“-”表示输出到屏幕（此时不打印文字摘要）。")
@click.option("--prior", metavar="FILE", help="上年的报告（填报模板 .xlsx 或报告 JSON），用于跨年度衔接核对。")
@rule_options
def validate_command(files: tuple[str, ...], json_out: str | None, prior: str | None, select: tuple[str, ...],
                     ignore: tuple[str, ...], config: str | None) -> None:
    """校验填好的报告（.xlsx/.ods 填报模板或报告 JSON），逐条列出问题。

    \b
    例如：
      xl-disclosure validate 报告.xlsx
      xl-disclosure validate 收到的/*.xlsx --json 结果.json
      type 报告.json | xl-disclosure validate -
    文件可以用通配符（*.xlsx）；“-”表示从标准输入读取一份报告（JSON、文本或工作簿）。
    每条问题一行：文件 · 工作表!单元格 · 规则 · 说明。全部规则见 xl-disclosure rules。
    .et、.xls、.xlsb、.numbers、CSV 等其他格式会说明怎样另存为 .xlsx。
    退出码：0 = 通过（可有警告），1 = 有错误，2 = 文件无法读取或用法错误。
    """
    files = tuple(expand(files))
    rules = selected_rules(files, config, select, ignore)
    result = api.validate(files, prior=expand_one(prior) if prior else None, json_path=to_file(json_out), rules=rules)
    if json_out == "-":
        print_json(result.to_json())
    else:
        out = console()
        for r in result.results:
            if r.findings or not r.readable or verbosity() != QUIET:  # --quiet: only files with problems
                print_result(out, r)
        if len(result.results) > 1:
            console(info=True).print(f"共 {len(result.results)} 个文件："
                                     + "，".join(f"{k} {v}" for k, v in result.tally().items()))
    sys.exit(result.exit_code)


@click.command("export")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", metavar="报告.json", help="输出的报告 JSON 文件；省略或“-”时输出到屏幕。")
def export_command(file: str, output: str | None) -> None:
    """把填好的模板导出为报告 JSON（符合 schema/report.schema.json）。

    合计一律按各分项重新计算，不采用工作簿里保存的合计值。

    \b
    例如：
      xl-disclosure export 报告.xlsx -o 报告.json
      xl-disclosure export 报告.xlsx > 报告.json
    """
    file = expand_one(file)
    result = api.export(file, output=to_file(output))
    if result.written is None:
        print_json(result.to_json())
    found = result.validation
    err = console(stderr=True)
    if found.findings:
        err.print(f"注意：{escape(file)} 有 {len(found.errors)} 个错误、{len(found.warnings)} 个警告，"
                  f"可用 xl-disclosure validate {escape(file)} 查看。")
    if result.written is not None:
        console(stderr=True, info=True).print(f"已写出 {escape(result.written)}")


@click.command("fill")
@click.option("--from", "source", required=True, metavar="报告.json", help="报告 JSON（export 的输出或同格式数据）。")
@click.option("-o", "--output", metavar="报告.xlsx", help="输出的填报模板；默认与 JSON 同名的 .xlsx。")
@click.option("--force", is_flag=True, help="输出文件已存在时替换它（默认不替换：它可能是已填好的报表）。")
def fill_command(source: str, output: str | None, force: bool) -> None:
    """用报告 JSON 生成一份已填好的填报模板（export 的逆操作）。输出文件已存在时不会替换它，除非加 --force。

    \b
    例如：
      xl-disclosure fill --from 报告.json -o 报告.xlsx
    """
    result = api.fill(expand_one(source), output=output, force=force)
    console(info=True).print(f"已写出 {escape(str(result.written))}")
