"""compile --prior: each report's 重复率 against last year's text, and the 异常变化 list (figures 10× off last year's).

Both come from the rules' own measures (cross_year.text_reuse, cross_year.magnitude), follow the rule
selection, are written to the summary workbook, the JSON and the wide CSV, survive a merge, and
appear in the regional report.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.conftest import assert_schema_valid
from tests.rule_cases import changed, prior_of

from xl_disclosure import api
from xl_disclosure.checks.narrative import NARRATIVE_FIELDS, most_reused
from xl_disclosure.cli.main import cli
from xl_disclosure.form import FORM
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_uscc
from xl_disclosure.writers.summary_xlsx import REUSE_COLUMN, SHEET_JUMPS, SHEET_STATUS, STATUS_HEADER

#: This year's （三）政府信息管理 (淮安市洪泽区人民政府 2024, as in 2023 word for word).
MANAGEMENT = ("加强区政府门户网站及政务新媒体日常管理，运用第三方检测平台实行常态化监测，执行信息审核发布制度。严格执行"
              "“分级审核、先审后发”程序，落实“三审三校”制度，从严从实把好政治关、法律关、政策关、保密关、文字关。")
#: Last year's text for an agency that wrote every part afresh (淮安市洪泽区 style, nothing like this year's).
FRESH = ("围绕年度重点任务，聚焦群众关切，优化网上办事指南，完善依申请公开答复模板，推动基层公开标准目录动态调整，"
         "组织业务培训两期，开展专项检查一次，督促整改发现的问题，确保公开内容准确规范。")


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def write(path: Path, report: Report) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Three agencies: 甲 copies last year's text and jumps from 25 to 300 licensing decisions; 乙 wrote
    afresh; 丙 has no report last year.  Last year's reports compiled into the summary given as --prior."""
    tmp = tmp_path_factory.mktemp("yoy")
    rng = random.Random(16)
    codes = {name: random_uscc(rng) for name in ("甲", "乙", "丙")}
    this = {name: changed(cover_agency_name=f"某某县{name}局", cover_uscc=code, s2_licensing_decisions=300,
                          n1_management=MANAGEMENT)
            for name, code in codes.items()}
    last = {"甲": prior_of(this["甲"], s2_licensing_decisions=25),
            "乙": prior_of(this["乙"], **dict.fromkeys(NARRATIVE_FIELDS, FRESH))}
    for name, report in last.items():
        write(tmp / "2023" / f"{name}.json", report)
    for name, report in this.items():
        write(tmp / "2024" / f"{name}.json", report)
    prior = tmp / "2023.json"
    # prior_of makes last year's carry-over fit this year's, not last year's own balance: count them anyway.
    code, text = run("compile", tmp / "2023", "-o", tmp / "2023.xlsx", "--json", prior, "--jobs", "1",
                     "--include-invalid")
    assert json.loads(prior.read_text(encoding="utf-8"))["counted"] == 2, text
    return {"tmp": tmp, "this": this, "last": last, "prior": prior}


def compiled(years: dict, name: str, *extra: object, inputs: Path | None = None) -> tuple[dict, Path]:
    tmp: Path = years["tmp"]  # type: ignore[assignment]
    out = tmp / name
    code, text = run("compile", inputs or tmp / "2024", "-o", out.with_suffix(".xlsx"), "--json",
                     out.with_suffix(".json"), "--wide-csv", out.with_suffix(".csv"), "--jobs", "1", *extra)
    assert code in (0, 1), text
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert_schema_valid(data, "summary.schema.json")
    return data, out


def by_agency(data: dict) -> dict[str, dict]:
    return {entry["agency"][-2]: entry for entry in data["files"]}


def sheet_rows(path: Path, sheet: str) -> list[list[object]]:
    wb = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in wb[sheet].iter_rows()]


def test_reuse_ratio_is_the_rules_measure_per_report(years) -> None:
    data, out = compiled(years, "with-prior", "--prior", years["prior"])
    files = by_agency(data)
    ratio, part = most_reused(years["this"]["甲"], years["last"]["甲"])
    assert (files["甲"]["reuse"], files["甲"]["reuse_field"]) == (ratio, part) and ratio == 1.0
    assert files["乙"]["reuse"] is not None and files["乙"]["reuse"] < 0.2
    assert files["丙"]["reuse"] is None and files["丙"]["reuse_field"] is None  # nothing last year
    # The copied report is warned about, part by part; the fresh one is not.
    assert "cross_year.text_reuse" in {f["rule"] for f in files["甲"]["findings"]}
    assert "cross_year.text_reuse" not in {f["rule"] for f in files["乙"]["findings"]}
    rows = sheet_rows(out.with_suffix(".xlsx"), SHEET_STATUS)
    assert rows[0] == list(STATUS_HEADER)
    shown = {row[3][-2]: row[REUSE_COLUMN] for row in rows[1:]}
    assert shown == {"甲": 1.0, "乙": files["乙"]["reuse"], "丙": None}
    with open(out.with_suffix(".csv"), encoding="utf-8-sig", newline="") as fh:
        wide = list(csv.reader(fh))
    column = wide[1].index("reuse")
    assert wide[0][column] == "与上年重复率"
    assert {Path(row[0]).stem: row[column] for row in wide[2:]} == {"甲": "1.0", "乙": str(files["乙"]["reuse"]), "丙": ""}


def test_jumps_list_one_row_per_agency_and_field(years) -> None:
    data, out = compiled(years, "jumps", "--prior", years["prior"])
    assert data["prior_given"] is True
    label = FORM.by_id["s2_licensing_decisions"].label
    assert data["jumps"] == [{"agency": "某某县甲局", "uscc": years["this"]["甲"].get("cover_uscc"),
                              "file": data["jumps"][0]["file"], "field": "s2_licensing_decisions", "label": label,
                              "last": 25, "this": 300, "ratio": 12.0, "rule": "cross_year.magnitude"}]
    assert data["jumps"][0]["file"].endswith("甲.json")
    rows = sheet_rows(out.with_suffix(".xlsx"), SHEET_JUMPS)
    assert rows[1][:8] == ["序号", "机关名称", "统一社会信用代码", "数据项", "上年", "本年", "本年 ÷ 上年", "规则"]
    assert rows[2][:8] == [1, "某某县甲局", years["this"]["甲"].get("cover_uscc"), label, 25, 300, 12, "cross_year.magnitude"]
    assert rows[3] == [None] * 9 and "3 个机关中，2 个在上年数据中找到了上年报告" in rows[4][0]
    assert {e["agency"][-2]: e["prior_matched"] for e in data["files"]} == {"甲": True, "乙": True, "丙": False}


def test_jumps_sheet_says_none_or_why_there_is_nothing(years) -> None:
    tmp: Path = years["tmp"]
    only = tmp / "乙丙"
    for name in ("乙", "丙"):
        write(only / f"{name}.json", years["this"][name])
    data, out = compiled(years, "no-jumps", "--prior", years["prior"], inputs=only)
    assert data["jumps"] == [] and data["prior_given"] is True
    rows = sheet_rows(out.with_suffix(".xlsx"), SHEET_JUMPS)
    assert rows[2][0] == "无" and "2 个机关中，1 个在上年数据中找到了上年报告" in rows[4][0]
    data, out = compiled(years, "no-prior")
    assert data["jumps"] == [] and data["prior_given"] is False
    assert all(entry["reuse"] is None for entry in data["files"])
    assert "未提供上年数据" in sheet_rows(out.with_suffix(".xlsx"), SHEET_JUMPS)[2][0]


def test_switching_the_rules_off_empties_the_column_and_the_list(years) -> None:
    data, out = compiled(years, "steered", "--prior", years["prior"],
                         "--ignore", "cross_year.magnitude,cross_year.text_reuse")
    assert data["jumps"] == [] and all(entry["reuse"] is None for entry in data["files"])
    assert "cross_year.magnitude 未运行" in sheet_rows(out.with_suffix(".xlsx"), SHEET_JUMPS)[2][0]
    assert [row[REUSE_COLUMN] for row in sheet_rows(out.with_suffix(".xlsx"), SHEET_STATUS)[1:]] == [None] * 3


def test_merge_keeps_them_and_the_regional_report_lists_the_jumps(years) -> None:
    tmp: Path = years["tmp"]
    halves = []
    for i, names in enumerate((("甲",), ("乙", "丙"))):
        folder = tmp / f"half{i}"
        for name in names:
            write(folder / f"{name}.json", years["this"][name])
        halves.append(compiled(years, f"half{i}", "--prior", years["prior"], inputs=folder)[0])
    merged = tmp / "merged.json"
    code, text = run("merge", tmp / "half0.json", tmp / "half1.json", "-o", tmp / "merged.xlsx", "--json", merged)
    assert code == 0, text
    data = json.loads(merged.read_text(encoding="utf-8"))
    assert_schema_valid(data, "summary.schema.json")
    assert [(j["agency"], j["field"], j["ratio"]) for j in data["jumps"]] == \
        [("某某县甲局", "s2_licensing_decisions", 12.0)]
    assert {e["agency"][-2]: e["reuse"] for e in data["files"]} == \
        {e["agency"][-2]: e["reuse"] for half in halves for e in half["files"]}
    # Merged under a selection without the rule, the list is gone (it is the rule's findings).
    code, _ = run("merge", tmp / "half0.json", tmp / "half1.json", "-o", tmp / "m2.xlsx", "--json", tmp / "m2.json",
                  "--ignore", "cross_year.magnitude")
    assert code == 0 and json.loads((tmp / "m2.json").read_text(encoding="utf-8"))["jumps"] == []
    report = api.render(merged, tmp / "汇总报告.md")
    text = report.written.read_text(encoding="utf-8")
    assert "与上年相比变化超过十倍的数字" in text
    line = next(row for row in text.splitlines() if "某某县甲局" in row and "12" in row)
    assert FORM.by_id["s2_licensing_decisions"].label in line and "25" in line and "300" in line
