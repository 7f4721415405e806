"""Identity you can trust: files claiming one agency are never told apart by the order of their paths.

Two reports of one agency and year are counted once only when they are the same (byte for byte;
in merge, the same report data), or when the office has said which counts (``--prefer`` or the
list's 文件名 column).  Otherwise both are listed as a conflict — 重复报送, with the evidence —
and neither is counted, so a file claiming another agency's code cannot push the real report out.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.compile_helpers import WorkbookFactory
from tests.conftest import assert_schema_valid

from xl_disclosure import api
from xl_disclosure.batch.agencies import read_agency_list
from xl_disclosure.cli.main import cli
from xl_disclosure.form import s3_id
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, random_uscc
from xl_disclosure.model.summary import load_summary

YEAR = 2024
NEW = s3_id("new", "total")
REAL = "孟津区西霞院街道办事处"


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def report(rng: random.Random, name: str, code: str) -> Report:
    r = random_report(rng, agency=name, year=YEAR)
    r.values["cover_uscc"] = code
    return r


def put(path: Path, r: Report) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(r.dumps(), encoding="utf-8")
    return path


class Inbox:
    """收到的/: the real report of 西霞院街道, an impersonator's file claiming its code that sorts first, and
    two other agencies."""

    def __init__(self, root: Path) -> None:
        rng = random.Random(18)
        self.root, self.inbox = root, root / "收到的"
        self.code = random_uscc(rng)
        self.real = put(self.inbox / "西霞院街道.json", report(rng, REAL, self.code))
        fake = report(rng, REAL, self.code)
        fake.values[s3_id("new", "natural")] = (fake.values[s3_id("new", "natural")] or 0)  # a report that passes
        self.fake = put(self.inbox / "0001_冒名.json", fake)
        self.others = [put(self.inbox / f"机关{i}.json", report(rng, f"某某县第{i}局", random_uscc(rng)))
                       for i in range(2)]
        assert sorted([self.fake.name, self.real.name])[0] == self.fake.name  # the impersonator sorts first

    def compile(self, *extra: object, name: str = "s") -> tuple[int, str, dict]:
        out = self.root / name
        code, text = run("compile", self.inbox, "-o", out.with_suffix(".xlsx"), "--json", out.with_suffix(".json"),
                         "--jobs", 1, *extra)
        path = out.with_suffix(".json")
        return code, text, json.loads(path.read_text(encoding="utf-8")) if code in (0, 1) else {}


def total_of(*paths: Path) -> float:
    return sum(Report.from_json(json.loads(p.read_text(encoding="utf-8"))).total(NEW) or 0 for p in paths)


def by_file(data: dict) -> dict[str, dict]:
    return {Path(f["file"]).name: f for f in data["files"]}


@pytest.fixture
def inbox(tmp_path: Path) -> Inbox:
    return Inbox(tmp_path)


def test_an_impersonator_that_sorts_first_is_not_counted_and_the_real_report_is_not_dropped(inbox):
    code, text, data = inbox.compile()
    assert code == 1, text  # a conflict awaits the office: not a clean run
    assert_schema_valid(data, "summary.schema.json")
    files = by_file(data)
    for name in (inbox.fake.name, inbox.real.name):
        assert files[name]["status"] == "重复报送" and files[name]["counted"] is False, files[name]
        assert [f["rule"] for f in files[name]["findings"]] == ["compile.conflict"]
        assert "待决定" in files[name]["note"]
    assert data["counted"] == 2 and data["totals"]["section3"][NEW] == total_of(*inbox.others)
    assert data["status_counts"]["重复报送"] == 2
    (dup,) = data["duplicates"]
    assert dup["decided"] is None and dup["uscc"] == inbox.code
    assert [Path(f).name for f in dup["files"]] == [inbox.fake.name, inbox.real.name]  # file order, none counted
    for ev, path in zip(dup["evidence"], (inbox.fake, inbox.real), strict=True):
        assert ev["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert ev["modified"] and ev["agency"] == REAL and ev["uscc"] == inbox.code and ev["counted"] is False
    # Both claimants are listed among the agencies received (明细), neither counted.
    assert sorted(Path(a["file"]).name for a in data["agencies"] if a["uscc"] == inbox.code) == \
        sorted([inbox.fake.name, inbox.real.name])
    assert "待决定的重复报送 1 起" in text and inbox.real.name in text and "--prefer" in text
    # --strict: the same exit code
    assert inbox.compile("--strict", name="strict")[0] == 1


def test_the_office_decides_with_prefer_by_file_name_or_path(inbox):
    for given in (inbox.real.name, str(inbox.real)):
        code, text, data = inbox.compile("--prefer", given)
        assert code == 0, text
        files = by_file(data)
        assert files[inbox.real.name]["counted"] is True and files[inbox.real.name]["status"] == "通过"
        fake = files[inbox.fake.name]
        assert fake["counted"] is False and fake["status"] == "重复报送"
        assert [f["rule"] for f in fake["findings"]] == ["compile.duplicate"] and "--prefer" in fake["findings"][0][
            "message"]
        assert data["totals"]["section3"][NEW] == total_of(inbox.real, *inbox.others)
        (dup,) = data["duplicates"]
        assert dup["decided"] == "--prefer" and Path(dup["files"][0]).name == inbox.real.name
    # A decided duplicate is a warning-like status: --strict fails on it.
    assert inbox.compile("--prefer", inbox.real.name, "--strict", name="strict")[0] == 1


def test_prefer_must_name_one_file_of_a_conflict(inbox):
    code, text, _ = inbox.compile("--prefer", "没有这个文件.json")
    assert code == 2 and "不是本次要汇总的文件" in text
    code, text, _ = inbox.compile("--prefer", inbox.others[0].name)
    assert code == 2 and "没有与其他文件重复报送" in text and "Traceback" not in text
    code, text, _ = inbox.compile("--prefer", inbox.real.name, "--prefer", inbox.fake.name)
    assert code == 2 and "两份以上" in text
    assert not (inbox.root / "s.xlsx").exists()  # a usage error writes nothing


def test_byte_identical_copies_count_once(inbox):
    copy = inbox.inbox / "机关0-再发一次.json"
    copy.write_bytes(inbox.others[0].read_bytes())
    code, text, data = inbox.compile("--prefer", inbox.real.name)
    assert code == 0, text
    files = by_file(data)
    first, second = sorted([copy.name, inbox.others[0].name])  # the first of identical copies is counted
    assert files[first]["counted"] is True and files[first]["status"] == "通过"
    assert files[second]["counted"] is False and "重复（内容相同）" in files[second]["note"]
    assert files[second]["status"] == "重复报送"
    decided = {d["decided"] for d in data["duplicates"]}
    assert decided == {"内容相同", "--prefer"}
    assert data["totals"]["section3"][NEW] == total_of(inbox.real, *inbox.others)  # the copy is not added twice


def test_same_figures_in_different_bytes_is_still_a_conflict(inbox):
    """Compile compares the files, not what it read of them: a re-saved copy is for the office to decide."""
    again = json.loads(inbox.others[1].read_text(encoding="utf-8"))
    (inbox.inbox / "机关1-另存.json").write_text(json.dumps(again, ensure_ascii=False, indent=1), encoding="utf-8")
    code, _, data = inbox.compile("--prefer", inbox.real.name)
    assert code == 1
    assert [d["decided"] for d in data["duplicates"] if d["uscc"] != inbox.code] == [None]


def test_the_list_file_name_column_decides(inbox):
    listed = inbox.root / "名单.csv"
    listed.write_text("机关名称,统一社会信用代码,文件名\n"
                      f"{REAL},{inbox.code},{inbox.real.name}\n"
                      + "".join(f"{r['cover_agency_name']},{r['cover_uscc']},\n" for r in (
                          json.loads(p.read_text(encoding="utf-8"))["cover"] for p in inbox.others)),
                      encoding="utf-8")
    assert [a.file for a in read_agency_list(listed)] == [inbox.real.name, "", ""]
    code, text, data = inbox.compile("--expected", listed)
    assert code == 0, text
    (dup,) = data["duplicates"]
    assert dup["decided"] == "应报送名单" and Path(dup["files"][0]).name == inbox.real.name
    assert by_file(data)[inbox.real.name]["counted"] is True and data["missing"] == []


def test_a_name_and_code_that_disagree_with_the_list_are_a_finding(inbox, tmp_path):
    rng = random.Random(5)
    listed_code = random_uscc(rng)
    listed = tmp_path / "名单.csv"
    # The list knows 西霞院街道 by its code under another name, and 某某县第0局 with another code.
    others = [json.loads(p.read_text(encoding="utf-8"))["cover"] for p in inbox.others]
    listed.write_text("机关名称,统一社会信用代码\n"
                      f"西霞院街道办,{inbox.code}\n"
                      f"{others[0]['cover_agency_name']},{listed_code}\n"
                      f"{others[1]['cover_agency_name']},{others[1]['cover_uscc']}\n", encoding="utf-8")
    inbox.fake.unlink()
    code, text, data = inbox.compile("--expected", listed)
    files = by_file(data)
    (by_code,) = files[inbox.real.name]["findings"]
    assert by_code["rule"] == "identity.mismatch" and by_code["severity"] == "warning"
    assert "西霞院街道办" in by_code["message"] and REAL in by_code["message"]
    assert files[inbox.real.name]["counted"] is True  # the code decides whose report it is
    (by_name,) = files[inbox.others[0].name]["findings"]
    assert by_name["rule"] == "identity.mismatch" and listed_code in by_name["message"]
    assert "不在应报送名单中" in files[inbox.others[0].name]["note"]
    assert files[inbox.others[1].name]["findings"] == []
    assert "名称与统一社会信用代码和名单不一致的文件 2 个" in text


def test_the_workbook_shows_the_conflict_and_its_evidence(inbox):
    inbox.compile()
    wb = openpyxl.load_workbook(inbox.root / "s.xlsx", read_only=True)
    status = {Path(str(r[1])).name: r[2] for r in wb["校验状态"].iter_rows(min_row=2, values_only=True)}
    assert status[inbox.fake.name] == status[inbox.real.name] == "重复报送"
    rows = [r for r in wb["未报送与重复"].iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r[:4] == ("序号", "机关名称", "统一社会信用代码", "处理"))
    first, second = rows[head + 1], rows[head + 2]
    assert first[1] == REAL and str(first[3]).startswith("待决定")
    assert [Path(str(first[4])).name, Path(str(second[4])).name] == [inbox.fake.name, inbox.real.name]
    assert second[8] == hashlib.sha256(inbox.real.read_bytes()).hexdigest() and first[5] == second[5] == "否"
    summary_line = next(r[0] for r in wb["汇总"].iter_rows(values_only=True) if r[0] and "收到文件" in str(r[0]))
    assert "1 起内容不同、待决定" in summary_line


def test_the_regional_report_says_what_awaits_a_decision(inbox, tmp_path):
    inbox.compile()
    with pytest.raises(api.RenderRefused) as refused:
        api.render_summary(inbox.root / "s.json", tmp_path / "r.md")
    assert any("尚待决定" in p for p in refused.value.problems)
    api.render_summary(inbox.root / "s.json", tmp_path / "r.md", draft=True)
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "其中 1 个单位报送的几份报告内容不同、尚待决定计入哪一份" in text
    decided = load_summary(inbox.compile("--prefer", inbox.real.name, name="d")[2] and inbox.root / "d.json")
    api.render_summary(decided, tmp_path / "d.md")  # decided: nothing holds the report back
    assert "尚待决定" not in (tmp_path / "d.md").read_text(encoding="utf-8")


def test_saved_time_of_a_workbook_is_part_of_the_evidence(tmp_path):
    rng = random.Random(4)
    factory = WorkbookFactory(tmp_path / "work")
    code = random_uscc(rng)
    for name in ("a.xlsx", "b.xlsx"):
        factory.write(tmp_path / "in" / name, report(rng, REAL, code))
    rc, text = run("compile", tmp_path / "in", "-o", tmp_path / "s.xlsx", "--json", tmp_path / "s.json", "--jobs", 1)
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    (dup,) = data["duplicates"]
    assert rc == 1 and all(ev["saved"] for ev in dup["evidence"]), dup["evidence"]


# ---------------------------------------------------------------------------
# merge: the same rule across summaries
# ---------------------------------------------------------------------------

def _county(root: Path, name: str, files: dict[str, Report]) -> Path:
    for file, r in files.items():
        put(root / name / file, r)
    code, text = run("compile", root / name, "-o", root / f"{name}.xlsx", "--json", root / f"{name}.json",
                     "--jobs", 1)
    assert code == 0, text
    return root / f"{name}.json"


def test_merge_holds_an_agency_whose_reports_differ_across_summaries(tmp_path):
    rng = random.Random(21)
    code = random_uscc(rng)
    east = _county(tmp_path, "东县", {"a.json": report(rng, REAL, code), "b.json": report(rng, "东县某局", random_uscc(rng))})
    west = _county(tmp_path, "西县", {"a2.json": report(rng, REAL, code)})
    out = tmp_path / "m"
    rc, text = run("merge", east, west, "-o", out.with_suffix(".xlsx"), "--json", out.with_suffix(".json"))
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert rc == 1 and "待决定" in text
    (dup,) = data["duplicates"]
    assert dup["decided"] is None and [f.split("：")[0] + "：" + Path(f).name for f in dup["files"]] == \
        ["东县：a.json", "西县：a2.json"]
    assert data["counted"] == 1 and not any(f["counted"] for f in data["files"] if "a" in Path(f["file"]).stem[:1])
    rc, text = run("merge", east, west, "-o", out.with_suffix(".xlsx"), "--json", out.with_suffix(".json"),
                   "--prefer", "a2.json")
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert rc == 0, text
    (dup,) = data["duplicates"]
    assert dup["decided"] == "--prefer" and dup["files"][0].startswith("西县：") and data["counted"] == 2
    rc, text = run("merge", east, west, "-o", out.with_suffix(".xlsx"), "--prefer", "b.json")
    assert rc == 2 and "没有与其他文件重复报送" in text


def test_merge_counts_identical_reports_once_under_the_first_summary(tmp_path):
    rng = random.Random(22)
    same = report(rng, REAL, random_uscc(rng))
    east = _county(tmp_path, "东县", {"a.json": same})
    west = _county(tmp_path, "西县", {"a.json": same})
    out = tmp_path / "m.json"
    rc, text = run("merge", west, east, "-o", tmp_path / "m.xlsx", "--json", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert rc == 0, text
    (dup,) = data["duplicates"]
    assert dup["decided"] == "内容相同" and [f.split("：")[0] for f in dup["files"]] == ["西县", "东县"]
    assert data["counted"] == 1


def test_merge_keeps_a_county_decision_and_a_county_conflict(tmp_path):
    rng = random.Random(23)
    code, other = random_uscc(rng), random_uscc(rng)
    put(tmp_path / "东县" / "a.json", report(rng, REAL, code))
    put(tmp_path / "东县" / "b.json", report(rng, REAL, code))
    put(tmp_path / "东县" / "c.json", report(rng, "东县某局", other))
    put(tmp_path / "东县" / "d.json", report(rng, "东县某局", other))
    rc, text = run("compile", tmp_path / "东县", "-o", tmp_path / "e.xlsx", "--json", tmp_path / "e.json",
                   "--prefer", "b.json")
    assert rc == 1, text  # c/d still await a decision
    rc, text = run("merge", tmp_path / "e.json", "-o", tmp_path / "m.xlsx", "--json", tmp_path / "m.json")
    data = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert rc == 1
    decided = {d["uscc"]: d["decided"] for d in data["duplicates"]}
    assert decided == {code: "--prefer", other: None}
    assert [Path(f["file"]).name for f in data["files"] if f["counted"]] == ["b.json"]


def test_a_list_file_name_that_names_none_of_them_leaves_the_conflict_pending(inbox):
    listed = inbox.root / "名单.csv"
    listed.write_text(f"机关名称,统一社会信用代码,文件名\n{REAL},{inbox.code},另一个文件.xlsx\n", encoding="utf-8")
    code, _, data = inbox.compile("--expected", listed)
    assert code == 1 and [d["decided"] for d in data["duplicates"]] == [None]
    assert not any(f["counted"] for f in data["files"] if f["uscc"] == inbox.code)


def test_switching_the_conflict_finding_off_still_counts_neither(inbox):
    code, _, data = inbox.compile("--ignore", "compile.conflict")
    files = by_file(data)
    assert files[inbox.real.name]["findings"] == [] and files[inbox.real.name]["counted"] is False
    assert files[inbox.real.name]["status"] == "重复报送" and code == 1


def test_merge_prefer_accepts_the_name_the_merged_summary_shows(tmp_path):
    rng = random.Random(24)
    code = random_uscc(rng)
    east = _county(tmp_path, "东县", {"a.json": report(rng, REAL, code)})
    west = _county(tmp_path, "西县", {"a.json": report(rng, REAL, code)})
    out = tmp_path / "m.json"
    run("merge", east, west, "-o", tmp_path / "m.xlsx", "--json", out)
    shown = json.loads(out.read_text(encoding="utf-8"))["duplicates"][0]["files"][1]
    assert shown.startswith("西县：")
    rc, text = run("merge", east, west, "-o", tmp_path / "m.xlsx", "--json", out, "--prefer", shown)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert rc == 0, text
    assert [f["file"] for f in data["files"] if f["counted"]] == [shown]
    rc, text = run("merge", east, west, "-o", tmp_path / "m.xlsx", "--prefer", "a.json")  # both are a.json
    assert rc == 2 and "两份以上" in text
