"""``xl-disclosure fields``: the published map of the workbook (every input, total and check cell)."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from xl_disclosure import api
from xl_disclosure.cli.common import console, print_json
from xl_disclosure.form import FORM_VERSION, TEMPLATE_VERSION


@click.command("fields")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供其他程序使用）。")
def fields_command(as_json: bool) -> None:
    """列出填报模板的全部填报格、合计格和校验格：字段编号、所属部分、行列标题、位置、类型和相关规则。"""
    fmap = api.fields()
    if as_json:
        print_json(fmap.to_json())
        return
    table = Table(title=f"填报模板字段表（模板第 {TEMPLATE_VERSION} 版，{FORM_VERSION} 年格式）", show_lines=False)
    table.add_column("字段编号", no_wrap=True)
    for col in ("部分", "行标题", "列标题", "位置", "类型", "规则"):
        table.add_column(col, overflow="fold")
    for e in fmap.entries:
        table.add_row(e["id"], e["section"], escape(e["row_label"]), escape(e["col_label"]),
                      f"{e['sheet']}!{e['cell']}", e["kind"], "、".join(e["rules"]) or "—")
    out = console(soft_wrap=False)
    out.print(table)
    out.print("共 " + "，".join(f"{k} {v} 个" for k, v in fmap.counts().items()) + "。填报格和合计格都定义了与字段编号同名的名称。")
