"""``xl-disclosure fields``: the published workbook map agrees with the generated template."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from xl_disclosure.cli.main import cli
from xl_disclosure.form import FORM, SHEET_CHECKS, TEMPLATE_VERSION
from xl_disclosure.writers.template import build_template


@pytest.fixture(scope="module")
def fields_json():
    r = CliRunner().invoke(cli, ["fields", "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_every_field_and_check_listed(fields_json):
    entries = fields_json["fields"]
    assert fields_json["template_version"] == TEMPLATE_VERSION
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    assert {f.id for f in FORM.fields} <= set(ids)
    cells = [(e["sheet"], e["cell"]) for e in entries]
    assert len(cells) == len(set(cells))
    by_id = {e["id"]: e for e in entries}
    for f in FORM.fields:
        e = by_id[f.id]
        assert (e["sheet"], e["cell"], e["kind"], e["row_label"], e["col_label"], e["section"]) == (
            f.sheet, f.cell, f.kind.value, f.row_label, f.col_label, f.section)
    # rule ids: a field takes part in an equation iff the equation lists it
    for eq in FORM.equations:
        for fid in eq.fields:
            assert eq.rule in by_id[fid]["rules"]
    assert "s3.balance" in by_id["s3_new_natural"]["rules"]
    assert by_id["cover_agency_name"]["rules"] == []
    assert all(r in FORM.rules for e in entries for r in e["rules"])


def test_map_matches_the_workbook(fields_json, tmp_path):
    path = tmp_path / "t.xlsx"
    build_template(path)
    wb = openpyxl.load_workbook(path)
    for e in fields_json["fields"]:
        cell = wb[e["sheet"]][e["cell"]]
        if e["input"]:
            assert not cell.protection.locked, e["id"]
            assert e["defined_name"] in wb.defined_names
        else:
            assert isinstance(cell.value, str) and cell.value.startswith("="), e["id"]
    checks = [e for e in fields_json["fields"] if e["kind"] == "check" and e["sheet"] == SHEET_CHECKS]
    assert len(checks) >= len(FORM.equations)
    assert {e["id"] for e in checks} >= {eq.key for eq in FORM.equations}


def test_human_table():
    r = CliRunner().invoke(cli, ["fields"], env={"COLUMNS": "240"})
    assert r.exit_code == 0
    assert "s3_new_natural" in r.output and "依申请公开" in r.output and "填报格" in r.output
