"""``xl-disclosure fields``: the published map of the workbook (every input, total and check cell)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xl_disclosure.form import FORM, FORM_VERSION, STATUS_CELL, STATUS_SHEET, TEMPLATE_ID, TEMPLATE_VERSION, Kind
from xl_disclosure.form.checksheet import check_rows

SECTION_CHECKS = "校验"


def field_map() -> list[dict[str, Any]]:
    """One entry per input, total and check cell, in workbook order."""
    out: list[dict[str, Any]] = []
    for f in FORM.fields:
        out.append({
            "id": f.id,
            "section": f.section,
            "group": f.group,
            "row_label": f.row_label,
            "col_label": f.col_label,
            "sheet": f.sheet,
            "cell": f.cell,
            "kind": f.kind.value,
            "input": f.is_input,
            "required": f.required if f.is_input else False,
            "unit": f.unit,
            "defined_name": f.id,
            "rules": list(FORM.rules_of_field[f.id]),
        })
    for row in check_rows():
        out.append({
            "id": row.key,
            "section": SECTION_CHECKS,
            "group": "checks",
            "row_label": row.description,
            "col_label": "结果",
            "sheet": SECTION_CHECKS,
            "cell": row.result_cell,
            "kind": Kind.CHECK.value,
            "input": False,
            "required": False,
            "unit": "",
            "defined_name": None,
            "rules": [row.rule],
        })
    out.append({
        "id": "status",
        "section": "封面",
        "group": "checks",
        "row_label": "填报状态（通过 / 未填完 / 不通过）",
        "col_label": "",
        "sheet": STATUS_SHEET,
        "cell": STATUS_CELL,
        "kind": Kind.CHECK.value,
        "input": False,
        "required": False,
        "unit": "",
        "defined_name": None,
        "rules": sorted({row.rule for row in check_rows()}),
    })
    return out


@click.command("fields")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供其他程序使用）。")
def fields_command(as_json: bool) -> None:
    """列出填报模板的全部填报格、合计格和校验格：字段编号、所属部分、行列标题、位置、类型和相关规则。"""
    entries = field_map()
    if as_json:
        doc = {"template_id": TEMPLATE_ID, "template_version": TEMPLATE_VERSION, "form_version": FORM_VERSION,
               "fields": entries}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"填报模板字段表（模板第 {TEMPLATE_VERSION} 版，{FORM_VERSION} 年格式）", show_lines=False)
    table.add_column("字段编号", no_wrap=True)
    for col in ("部分", "行标题", "列标题", "位置", "类型", "规则"):
        table.add_column(col, overflow="fold")
    for e in entries:
        table.add_row(e["id"], e["section"], escape(e["row_label"]), escape(e["col_label"]),
                      f"{e['sheet']}!{e['cell']}", e["kind"], "、".join(e["rules"]) or "—")
    console = Console(highlight=False)
    console.print(table)
    kinds: dict[str, int] = {}
    for e in entries:
        key = "填报格" if e["input"] else ("合计格" if e["kind"] == Kind.TOTAL.value else "校验格")
        kinds[key] = kinds.get(key, 0) + 1
    console.print("共 " + "，".join(f"{k} {v} 个" for k, v in kinds.items()) + "。填报格和合计格都定义了与字段编号同名的名称。")
