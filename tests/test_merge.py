"""Merging compile summaries: two counties into one city, as if the city had compiled every file itself."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.compile_helpers import WorkbookFactory
from tests.conftest import assert_schema_valid

from xl_disclosure.cli.main import cli
from xl_disclosure.form import FORM, s3_id
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, random_uscc
from xl_disclosure.writers.summary_xlsx import SHEETS

YEAR = 2024


@dataclass
class Counties:
    root: Path
    summaries: dict[str, Path]  # county -> its summary.json
    direct: dict  # the summary of compiling every file at once
    reports: dict[str, Report]  # file name -> report
    shared: str  # USCC of the agency that reported to both counties
    expected_csv: Path
    missing: tuple[str, str]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def counties(tmp_path_factory: pytest.TempPathFactory) -> Counties:
    """Two counties' returned files; one agency sent its report to both, and one county got a file twice."""
    rng = random.Random(7)
    root = tmp_path_factory.mktemp("merge")
    factory = WorkbookFactory(root / "work")
    reports: dict[str, Report] = {}
    expected = ["机关名称,统一社会信用代码"]

    def agency(county: str, i: int) -> Report:
        name = f"{county}第{i:02d}号机关"
        report = random_report(rng, agency=name, year=YEAR)
        report.values["cover_uscc"] = random_uscc(rng)
        expected.append(f"{name},{report.values['cover_uscc']}")
        return report

    def write(county: str, name: str, report: Report) -> None:
        factory.write(root / county / f"{name}.xlsx", report)
        reports[f"{county}/{name}.xlsx"] = report

    for county in ("东县", "西县"):
        for i in range(6):
            write(county, f"r{i}", agency(county, i))
    shared = reports["东县/r1.xlsx"]
    write("西县", "r9-东县也收到", shared)  # the same agency, counted once, under 东县 (given first)
    write("西县", "r0-再次报送", reports["西县/r0.xlsx"])  # a duplicate inside one county
    broken = random_report(rng, agency="东县第99号机关", year=YEAR)
    broken.values[s3_id("new", "natural")] = (broken.values[s3_id("new", "natural")] or 0) + 5  # breaks the balance
    write("东县", "r7-不通过", broken)
    (root / "东县" / "r8-损坏.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    missing = ("南县某局", random_uscc(rng))
    expected.append(",".join(missing))
    expected_csv = root / "名单.csv"
    expected_csv.write_text("\n".join(expected) + "\n", encoding="utf-8")

    summaries = {}
    for county in ("东县", "西县"):
        summaries[county] = root / f"{county}.json"
        code, out = run("compile", root / county, "-o", root / f"{county}.xlsx", "--json", summaries[county],
                        "--year", YEAR, "--jobs", 1)
        assert code == (1 if county == "东县" else 0), out  # 东县 has a bad and an unreadable file
    code, out = run("compile", root / "东县", root / "西县", "-o", root / "direct.xlsx", "--json", root / "direct.json",
                    "--year", YEAR, "--jobs", 1)
    direct = json.loads((root / "direct.json").read_text(encoding="utf-8"))
    return Counties(root, summaries, direct, reports, shared.values["cover_uscc"], expected_csv, missing)


def merged(counties: Counties, *extra: str, order: tuple[str, ...] = ("东县", "西县")) -> tuple[int, str, dict]:
    out = counties.root / f"merged-{'-'.join(order)}-{len(extra)}"
    code, text = run("merge", *(counties.summaries[c] for c in order), "-o", out.with_suffix(".xlsx"),
                     "--json", out.with_suffix(".json"), *extra)
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8")) if out.with_suffix(".json").exists() else {}
    return code, text, data


def test_merge_equals_compiling_every_file_at_once(counties):
    code, text, data = merged(counties)
    assert code == 1, text  # the bad and the unreadable file are still there
    assert_schema_valid(data, "summary.schema.json")
    direct = counties.direct
    assert data["totals"] == direct["totals"]
    assert data["counted"] == direct["counted"] == 12
    assert data["status_counts"] == direct["status_counts"]
    # Every file once, with the summary it came from; same status and findings as compiling it directly.
    by_name = {f["file"].split("：", 1)[1]: f for f in data["files"]}
    assert len(by_name) == len(data["files"]) == len(direct["files"])
    for f in direct["files"]:
        m = by_name[f["file"]]
        assert (m["status"], m["counted"], m["errors"], m["warnings"]) == \
            (f["status"], f["counted"], f["errors"], f["warnings"]), f["file"]
        assert sorted(x["rule"] for x in m["findings"]) == sorted(x["rule"] for x in f["findings"]), f["file"]
    # The agency that reported to both counties: counted once, under the first summary given.
    dup = [d for d in data["duplicates"] if d["uscc"] == counties.shared]
    assert len(dup) == 1 and dup[0]["files"][0].startswith("东县：") and dup[0]["files"][1].startswith("西县：")
    assert len(data["duplicates"]) == len(direct["duplicates"]) == 2
    # Totals are recomputed from the reports, not copied from the summaries.
    expected = sum((r.total(s3_id("new", "total")) or 0) for name, r in counties.reports.items()
                   if "不通过" not in name and "-" not in name)
    assert data["totals"]["section3"][s3_id("new", "total")] == expected


def test_first_summary_given_wins(counties):
    _, _, data = merged(counties, order=("西县", "东县"))
    counted = [f["file"] for f in data["files"] if f["counted"]]
    assert any(f.startswith("西县：") and "r9-东县也收到" in f for f in counted)
    assert not any(f.startswith("东县：") and f.endswith("r1.xlsx") for f in counted)
    assert data["totals"] == counties.direct["totals"]  # the same report, whichever file counts


def test_missing_and_unexpected_against_the_whole_list(counties):
    _, _, data = merged(counties, "--expected", str(counties.expected_csv))
    assert data["missing"] == [{"agency": counties.missing[0], "uscc": counties.missing[1]}]
    notes = {f["file"]: f["note"] or "" for f in data["files"]}
    assert [f for f, n in notes.items() if "不在应报送名单中" in n] == \
        [f for f in notes if "r7-不通过" in f]  # the one agency not on the list


def test_merged_summary_merges_again_and_opens(counties):
    _, _, once = merged(counties)
    again = counties.root / "again"
    code, text = run("merge", counties.root / "merged-东县-西县-0.json", "-o", again.with_suffix(".xlsx"),
                     "--json", again.with_suffix(".json"))
    assert code == 1, text
    twice = json.loads(again.with_suffix(".json").read_text(encoding="utf-8"))
    assert twice["totals"] == once["totals"] and twice["counted"] == once["counted"]
    assert len(twice["files"]) == len(once["files"]) and twice["duplicates"] == [
        {**d, "files": [f"merged-东县-西县-0：{f}" for f in d["files"]],
         "evidence": [{**e, "file": f"merged-东县-西县-0：{e['file']}"} for e in d["evidence"]]}
        for d in once["duplicates"]]
    wb = openpyxl.load_workbook(again.with_suffix(".xlsx"), read_only=True)
    assert wb.sheetnames[:len(SHEETS)] == list(SHEETS)


def test_links_point_at_the_files_that_exist(counties):
    merged(counties)
    wb = openpyxl.load_workbook(counties.root / "merged-东县-西县-0.xlsx")
    ws = wb["校验状态"]
    linked = [ws.cell(r, 2).hyperlink for r in range(2, ws.max_row + 1)]
    assert all(link is not None for link in linked)  # compile was given paths the merge can still find


def test_years_must_agree_or_be_chosen(counties, tmp_path):
    rng = random.Random(3)
    factory = WorkbookFactory(tmp_path / "work")
    old = random_report(rng, agency="北县第01号机关", year=YEAR - 1)
    factory.write(tmp_path / "北县" / "r0.xlsx", old)
    summary = tmp_path / "北县.json"
    code, out = run("compile", tmp_path / "北县", "-o", tmp_path / "北县.xlsx", "--json", summary, "--jobs", 1)
    assert code == 0, out
    code, out = run("merge", counties.summaries["东县"], summary, "-o", tmp_path / "m.xlsx")
    assert code == 2 and "年度不同" in out and "--year" in out
    code, out = run("merge", counties.summaries["东县"], summary, "-o", tmp_path / "m.xlsx", "--json",
                    tmp_path / "m.json", "--year", YEAR)
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    row = next(f for f in data["files"] if f["file"].startswith("北县："))
    assert not row["counted"] and [x["rule"] for x in row["findings"]] == ["compile.year"]
    assert data["counted"] == 6  # 东县 counts its six good agencies


@pytest.mark.parametrize("damage", ["not-json", "not-a-summary", "report-removed", "finding-broken", "output-is-input"])
def test_bad_summaries_are_usage_errors_naming_the_file(counties, tmp_path, damage):
    bad = tmp_path / "坏.json"
    data = json.loads(counties.summaries["东县"].read_text(encoding="utf-8"))
    if damage == "not-json":
        bad.write_text("{not json", encoding="utf-8")
    elif damage == "not-a-summary":
        bad.write_text(json.dumps({"form": FORM.fields[0].id}), encoding="utf-8")
    else:
        if damage == "report-removed":
            data["reports"].pop()
        elif damage == "finding-broken":
            next(f for f in data["files"] if f["findings"])["findings"][0].pop("severity")
        bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = bad if damage == "output-is-input" else tmp_path / "m.json"
    code, out = run("merge", bad, counties.summaries["西县"], "-o", tmp_path / "m.xlsx", "--json", target)
    assert code == 2, out
    assert "坏.json" in out and "Traceback" not in out
    assert not (tmp_path / "m.xlsx").exists()


def test_summaries_counting_differently_are_not_merged(counties, tmp_path):
    everything = tmp_path / "东县-全部.json"
    code, out = run("compile", counties.root / "东县", "-o", tmp_path / "all.xlsx", "--json", everything,
                    "--year", YEAR, "--include-invalid", "--jobs", 1)
    assert code == 1, out
    code, out = run("merge", everything, counties.summaries["西县"], "-o", tmp_path / "m.xlsx")
    assert code == 2 and "计入范围不同" in out


def test_wildcards_are_expanded_and_folders_refused(counties, tmp_path):
    code, out = run("merge", str(counties.root / "*县.json"), "-o", tmp_path / "m.xlsx", "--json", tmp_path / "m.json")
    assert code == 1, out
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["counted"] == counties.direct["counted"]
    code, out = run("merge", counties.root, "-o", tmp_path / "n.xlsx")
    assert code == 2 and "文件夹" in out
    code, out = run("merge", str(counties.root / "没有*.json"), "-o", tmp_path / "n.xlsx")
    assert code == 2 and "没有与" in out
