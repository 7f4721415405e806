"""``xl-disclosure fields``: the published map of the workbook (every input, total and check cell)."""

from __future__ import annotations

import click
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.cli.common import console, print_json, print_table
from xl_disclosure.form import FORM_VERSION, TEMPLATE_VERSION


@click.command("fields")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供其他程序使用）。")
def fields_command(as_json: bool) -> None:
    """列出填报模板的全部填报格、合计格和校验格：字段编号、所属部分、行列标题、位置、类型和相关规则。

    在终端中显示为表格；输出到文件或管道时每格一行、各列以制表符分隔，可直接粘贴到 Excel。

    \b
    例如：
      xl-disclosure fields
      xl-disclosure fields > 字段表.tsv
      xl-disclosure fields --json > 字段表.json
    """
    fmap = api.fields()
    if as_json:
        print_json(fmap.to_json())
        return
    out = console(soft_wrap=False)
    print_table(out, f"填报模板字段表（模板第 {TEMPLATE_VERSION} 版，{FORM_VERSION} 年格式）",
                ("字段编号", "部分", "行标题", "列标题", "位置", "类型", "规则"),
                [(e["id"], e["section"], escape(e["row_label"]), escape(e["col_label"]), f"{e['sheet']}!{e['cell']}",
                  e["kind"], "、".join(e["rules"]) or "—") for e in fmap.entries], no_wrap=("字段编号",))
    console(info=True).print("共 " + "，".join(f"{k} {v} 个" for k, v in fmap.counts().items()) + "。填报格和合计格都定义了与字段编号同名的名称。")
