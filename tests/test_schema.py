"""JSON Schemas: committed files are fresh, and they accept real data and reject broken data."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from xl_disclosure.checks.validator import validate_report
from xl_disclosure.cli.main import cli
from xl_disclosure.form import FORM
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, seed_report
from xl_disclosure.model.schema import REPORT_SCHEMA, VALIDATION_SCHEMA
from xl_disclosure.model.schema_files import schema_texts, stale_files
from xl_disclosure.readers.workbook import read_workbook
from xl_disclosure.writers.template import build_template

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = ROOT / "schema"


def _validator(name: str):
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    assert cls is jsonschema.Draft202012Validator
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_committed_schemas_are_fresh():
    assert stale_files(SCHEMA_DIR) == [], "run: xl-disclosure schema"


def test_schema_check_command(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["schema", "--check", "--out-dir", str(tmp_path)])
    assert r.exit_code == 1 and "report.schema.json" in r.output
    r = runner.invoke(cli, ["schema", "--out-dir", str(tmp_path)])
    assert r.exit_code == 0
    r = runner.invoke(cli, ["schema", "--check", "--out-dir", str(tmp_path)])
    assert r.exit_code == 0
    data = json.loads((tmp_path / REPORT_SCHEMA).read_text(encoding="utf-8"))
    data["title"] = "changed"
    (tmp_path / REPORT_SCHEMA).write_text(json.dumps(data), encoding="utf-8")
    r = runner.invoke(cli, ["schema", "--check", "--out-dir", str(tmp_path)])
    assert r.exit_code == 1


def test_report_schema_accepts_reports():
    v = _validator(REPORT_SCHEMA)
    for report in (seed_report(), random_report(random.Random(1)), random_report(random.Random(2), fee=True)):
        errors = list(v.iter_errors(report.to_json()))
        assert not errors, [e.message for e in errors[:5]]
    schema = json.loads(schema_texts()[REPORT_SCHEMA])
    listed = {fid for g in ("cover", "section2", "section3", "section4", "narratives")
              for fid in schema["properties"][g]["properties"]}
    assert listed == {f.id for f in FORM.fields}


@pytest.mark.parametrize(("group", "fid", "value"), [
    ("section3", "s3_new_natural", "3"),
    ("section3", "s3_new_natural", True),
    ("section2", "s2_fees_amount", [1]),
    ("cover", "cover_year", 2024.5),
    ("cover", "cover_agency_name", 5),
    ("cover", "cover_date", "2025-13-45"),
])
def test_report_schema_rejects_bad_shapes(group, fid, value):
    data = random_report(random.Random(4)).to_json()
    data[group][fid] = value
    assert not _validator(REPORT_SCHEMA).is_valid(data)


@pytest.mark.parametrize(("group", "fid", "value"), [
    ("section3", "s3_new_natural", -1),
    ("section3", "s3_new_natural", 1.5),
    ("cover", "cover_year", 1999),
    ("cover", "cover_uscc", "123"),
])
def test_report_schema_records_invalid_values_faithfully(group, fid, value):
    # An export of a workbook with wrong entries is still well-formed data; the rules are the validator's.
    data = random_report(random.Random(4)).to_json()
    data[group][fid] = value
    assert _validator(REPORT_SCHEMA).is_valid(data)
    assert validate_report(Report.from_json(data))


def test_report_schema_rejects_unknown_fields():
    data = random_report(random.Random(4)).to_json()
    data["section3"]["s3_new_robots"] = 1
    assert not _validator(REPORT_SCHEMA).is_valid(data)
    data = random_report(random.Random(4)).to_json()
    del data["section4"]
    assert not _validator(REPORT_SCHEMA).is_valid(data)


def test_validation_schema(tmp_path):
    v = _validator(VALIDATION_SCHEMA)
    good = random_report(random.Random(8))
    path = tmp_path / "r.xlsx"
    values = {f.id: good.values[f.id] for f in FORM.inputs if good.values.get(f.id) is not None}
    values["s3_new_natural"] = int(values["s3_new_natural"]) + 1
    values["s2_rules_issued"] = "很多"
    build_template(path, values=values)
    result = read_workbook(path)
    assert result.findings
    data = result.to_json(include_report=True)
    assert not list(v.iter_errors(data))
    assert not list(v.iter_errors({"valid": False, "results": [data, data]}))
    unreadable = read_workbook(tmp_path / "missing.xlsx").to_json()
    assert not list(v.iter_errors(unreadable))
    schema = json.loads(schema_texts()[VALIDATION_SCHEMA])
    assert schema["$defs"]["finding"]["properties"]["rule"]["enum"] == list(FORM.rules)
    data["findings"][0]["rule"] = "made.up"
    assert not v.is_valid(data)
