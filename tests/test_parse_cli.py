"""The ``parse`` and ``compare`` commands, and published reports through api.validate_file and compile."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from parse_helpers import SEED_TEXT, html_report, seed_layout_text, stated
from xl_disclosure.api import load_report, validate_file
from xl_disclosure.cli.main import cli
from xl_disclosure.form import FORM, s3_id
from xl_disclosure.model.report import Report
from xl_disclosure.model.reportjson import load_report_json
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers.published import TABLE_FIELDS

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def report_schema_errors(data: object) -> list[str]:
    schema = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]


def test_parse_seed_to_json(tmp_path: Path):
    out = tmp_path / "seed.json"
    result = run("parse", str(SEED_TEXT), "-o", str(out), "--validate")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["kind"] == "xl-disclosure/parse"
    assert data["coverage"]["complete"] is True
    assert data["coverage"]["tables"]["section3"] == {"expected": 175, "read": 175}
    assert data["findings"] == []
    assert report_schema_errors(data["report"]) == []
    assert data["report"]["cover"]["cover_agency_name"] == "孟津区西霞院街道办事处"
    assert data["report"]["cover"]["cover_uscc"] is None  # not in a published report: null, not invented
    assert all(data["report"][f.group][f.id] == 0 for f in FORM.fields if f.id in TABLE_FIELDS)
    # the output loads back as report data
    back = load_report_json(out)
    assert back.year == 2024 and back.values[s3_id("new", "total")] == 0


def test_parse_keeps_unread_cells_null_in_json(tmp_path: Path):
    report = random_report(random.Random(4), scale=120)
    text = seed_layout_text(report).replace("2. 重复申请", "2. 不知道是什么").replace("(七) 总计", "")
    src = tmp_path / "report.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("parse", str(src), "-o", str(out), "--validate")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["report"]["section3"][s3_id("reject_repeat", "natural")] is None
    assert data["report"]["section3"][s3_id("results_total", "total")] is None  # the (七) row lost its label
    missing = {m["field"] for m in data["coverage"]["missing"]}
    assert s3_id("reject_repeat", "natural") in missing
    assert data["coverage"]["complete"] is False
    assert report_schema_errors(data["report"]) == []
    assert result.exit_code == 1  # the unread inputs are errors under --validate
    assert "未找到" in result.output  # the coverage summary on stderr


def test_parse_broken_reconciliation_exit_1(tmp_path: Path):
    report = random_report(random.Random(8), scale=120)
    report.values[s3_id("next", "natural")] = int(report.values[s3_id("next", "natural")] or 0) + 2  # type: ignore[arg-type]
    src = tmp_path / "broken.html"
    src.write_text(html_report(report), encoding="utf-8")
    out = tmp_path / "broken.json"
    result = run("parse", str(src), "--validate", "-o", str(out))
    assert result.exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "s3.balance" in {f["rule"] for f in data["findings"]}
    # without --validate the numbers are still read and exit is 0
    assert run("parse", str(src)).exit_code == 0


def test_parse_unreadable_exit_2(tmp_path: Path):
    src = tmp_path / "empty.txt"
    src.write_text("没有表格的文字\n", encoding="utf-8")
    result = run("parse", str(src))
    assert result.exit_code == 2
    assert "未找到年度报告的表格" in result.output and str(src) in result.output
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    result = run("parse", str(bad))
    assert result.exit_code == 2 and "Traceback" not in result.output


def _published(tmp_path: Path, report: Report, name: str = "published.html") -> Path:
    path = tmp_path / name
    path.write_text(html_report(report), encoding="utf-8")
    return path


def test_compare_identical_json(tmp_path: Path):
    report = random_report(random.Random(21), scale=120)
    sub = tmp_path / "submitted.json"
    sub.write_text(report.dumps(), encoding="utf-8")
    result = run("compare", str(sub), str(_published(tmp_path, report)))
    assert result.exit_code == 0, result.output
    assert "一致" in result.output


def test_compare_reports_each_difference(tmp_path: Path):
    report = random_report(random.Random(22), scale=120)
    sub = tmp_path / "submitted.json"
    sub.write_text(report.dumps(), encoding="utf-8")
    changed = Report(dict(report.values))
    changed.values["s2_penalty_decisions"] = int(report.values["s2_penalty_decisions"] or 0) + 7  # type: ignore[arg-type]
    changed.values[s3_id("open", "research")] = int(report.values[s3_id("open", "research")] or 0) + 1  # type: ignore[arg-type]
    pub = _published(tmp_path, changed)
    out = tmp_path / "diff.json"
    result = run("compare", str(sub), str(pub), "--json", str(out))
    assert result.exit_code == 1
    assert "s2_penalty_decisions" in result.output and "报送值" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    fields = {d["field"] for d in data["differences"]}
    # the changed input, and the totals that include it as printed in the published report
    assert fields == {"s2_penalty_decisions", s3_id("open", "research"), s3_id("open", "total"),
                      s3_id("results_total", "research"), s3_id("results_total", "total")}
    want = stated(changed)
    for d in data["differences"]:
        assert d["published"] == want[d["field"]]
        assert d["submitted"] == stated(report)[d["field"]]
        assert d["label"] == FORM.by_id[d["field"]].label
    assert data["count"] == 5


def test_compare_xlsx_against_published_text(tmp_path: Path):
    from xl_disclosure.writers.template import build_template, fill_values

    report = random_report(random.Random(23), scale=120)
    xlsx = tmp_path / "submitted.xlsx"
    build_template(xlsx, values=fill_values(report))
    txt = tmp_path / "published.txt"
    txt.write_text(seed_layout_text(report), encoding="utf-8")
    result = run("compare", str(xlsx), str(txt), "--json", "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["differences"] == []


def test_compare_missing_cell_is_a_difference(tmp_path: Path):
    report = random_report(random.Random(24), scale=120)
    sub = tmp_path / "submitted.json"
    sub.write_text(report.dumps(), encoding="utf-8")
    txt = tmp_path / "published.txt"
    txt.write_text(seed_layout_text(report).replace("8. 属于行政查询事项", "8. 看不懂的行"), encoding="utf-8")
    result = run("compare", str(sub), str(txt), "--json", "-")
    assert result.exit_code == 1
    diffs = json.loads(result.stdout)["differences"]
    assert {d["field"] for d in diffs} == {s3_id("deny_query", c) for c in
                                           ("natural", "commercial", "research", "ngo", "legal", "other", "total")}
    assert all(d["published"] is None and d["note"] for d in diffs)


def test_compare_unreadable_exit_2(tmp_path: Path):
    sub = tmp_path / "missing.json"
    result = run("compare", str(sub), str(SEED_TEXT))
    assert result.exit_code == 2


def test_api_reads_published_reports(tmp_path: Path):
    report = random_report(random.Random(31), scale=120)
    page = _published(tmp_path, report)
    result = validate_file(page)
    assert result.readable and result.report is not None
    assert all(result.report.values[fid] == stated(report)[fid] for fid in TABLE_FIELDS)
    assert not [f for f in result.findings if f.is_error], [f.message for f in result.findings]
    assert load_report(page).agency == report.agency


def test_compile_accepts_published_reports(tmp_path: Path):
    folder = tmp_path / "收到的报告"
    folder.mkdir()
    reports = [random_report(random.Random(40 + i), scale=60, agency=f"某某县第{i}局") for i in range(3)]
    (folder / "a.html").write_text(html_report(reports[0]), encoding="utf-8")
    (folder / "b.txt").write_text(seed_layout_text(reports[1]), encoding="utf-8")
    (folder / "c.json").write_text(reports[2].dumps(), encoding="utf-8")
    summary = tmp_path / "summary.json"
    result = run("compile", str(folder), "-o", str(tmp_path / "汇总.xlsx"), "--json", str(summary), "--jobs", "1")
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert len(data["files"]) == 3, result.output
    assert all(f["status"] != "无法读取" for f in data["files"]), data["files"]
    counted = [f for f in data["files"] if f["counted"]]
    # the published text keeps the seed's "no applications" narrative, a warning only; all three count
    assert len(counted) == 3, data["files"]
    want = sum(int(r.total(s3_id("new", "total")) or 0) for r in reports)
    assert data["totals"]["section3"][s3_id("new", "total")] == want


def test_parse_names_few_cells_not_found_one_by_one_and_a_table_of_them_in_one_line(tmp_path: Path):
    # the real PDF of two table 三 side by side has no table 二 or 四: 25 cells, one line per table
    pdf = ROOT / "tests" / "data" / "published" / "real" / "suqian-2023-vs-2024-comparison-table3.pdf"
    result = run("parse", str(pdf), "-o", str(tmp_path / "out.json"))
    lines = [line.strip() for line in result.output.splitlines() if line.strip().startswith("未找到 ")]
    assert lines == ["未找到 表二 10 格（“规章 · 本年制发件数”“规章 · 本年废止件数”“规章 · 现行有效件数”等）：未找到表二",
                     "未找到 表四 15 格（“行政复议 · 结果维持”“行政复议 · 结果纠正”“行政复议 · 其他结果”等）：未找到表四"]
    assert sum("出现两次且数字不同" in line for line in result.output.splitlines()) == 1
    # a row of 三 not found: its seven cells, each on its line with the reason
    text = seed_layout_text(random_report(random.Random(3))).replace("2. 重复申请", "2. 某某某某")
    src = tmp_path / "report.txt"
    src.write_text(text, encoding="utf-8")
    result = run("parse", str(src), "-o", str(tmp_path / "out2.json"))
    lines = [line.strip() for line in result.output.splitlines() if line.strip().startswith("未找到 ")]
    assert len(lines) == 7 and all("重复申请 · " in line and "未找到" in line.split("：", 1)[1] for line in lines)
