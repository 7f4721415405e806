"""``render`` command: the publishable annual report (or a region's consolidated report) from data."""

from __future__ import annotations

import sys

import click
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.cli.common import console, expand_one, print_result, progress


@click.command("render")
@click.argument("file", metavar="文件", type=click.Path(dir_okay=False, path_type=str))
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
      “-”—— 从标准输入读取一份报告 JSON 或汇总 JSON。
    报告须先通过校验：有错误时不生成，并列出错误；加 --draft 可生成标注“草稿”的样稿。
    表格中的合计一律按各分项重新计算。

    \b
    例如：
      xl-disclosure render 报告.xlsx -o 年度报告.docx
      xl-disclosure render 汇总.json -o 全区汇总报告.docx --region 某某县
    退出码：0 = 已生成，1 = 数据有错误未生成，2 = 文件无法读取或用法错误。
    """
    err = console(stderr=True)
    try:
        with progress(f"生成 {output}"):
            result = api.render(expand_one(file), output, draft=draft, region=region)
    except api.RenderRefused as refused:
        if refused.validation is not None:
            print_result(err, refused.validation)
        for p in refused.problems:
            err.print(f"  [red]错误[/] {escape(p)}")
        err.print(f"[red]{escape(refused.title)}[/]：{escape(refused.detail)}")
        sys.exit(1)
    console(info=True).print(f"已生成{'草稿' if result.draft else '成稿'} {escape(str(result.written))}")
    if result.warnings:
        err.print(f"[yellow]注意[/]：{escape(file)} 有 {len(result.warnings)} 个警告，发布前请用 "
                  f"xl-disclosure validate {escape(file)} 查看并核实。")
