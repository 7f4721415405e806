"""The published map of the workbook: every input, total and check cell, with its id, place and rules.

What ``xl-disclosure fields`` lists, and what other programs read (``--json``)
to find a value in a filled template without knowing the layout.
"""

from __future__ import annotations

from typing import Any

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


def field_map_json(entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The field map as published: the template's identity and version, then the entries."""
    return {"template_id": TEMPLATE_ID, "template_version": TEMPLATE_VERSION, "form_version": FORM_VERSION,
            "fields": field_map() if entries is None else entries}
