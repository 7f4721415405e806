"""Plausibility by agency level, the publication deadline and year-over-year jumps, on real cases.

Sources are given beside each case (tests/data/narrative/SOURCES.md lists them all).
"""

from __future__ import annotations

import pytest
from tests.narrative_helpers import DATA, NEW_RULES, TODAY, blank_report, findings, fired, only

from xl_disclosure.checks import plausibility
from xl_disclosure.checks.validator import validate_report
from xl_disclosure.model.samples import seed_report
from xl_disclosure.readers.published import parse_text, validate_parsed

# ---------------------------------------------------------------------------------------------------------------
# Plausibility by level
# ---------------------------------------------------------------------------------------------------------------

def test_township_reporting_rules() -> None:
    """桃江县松木塘镇人民政府 2022 (jw.taojiang.gov.cn/25074/25162/37354/39633/index.htm): 规章 2 0 2 — a town."""
    r = blank_report("桃江县松木塘镇人民政府", 2022, s2_rules_issued=2, s2_rules_effective=2, s2_normative_issued=2,
                     s2_normative_effective=2, s2_penalty_decisions=9,
                     n1_on_request="（二）依申请公开情况。2022年我镇全年共收到依申请公开0件，公开0件，不予公开0件，因政府信息"
                                   "依申请公开引起行政复议0件，行政诉讼0件")
    f = only(findings(r), "plausibility.rule_making")
    assert f.severity.value == "error" and f.field == "s2_rules_issued" and f.fields == ("s2_rules_issued",
                                                                                          "s2_rules_effective")
    assert "按机关名称“桃江县松木塘镇人民政府”推断为乡镇人民政府" in f.message and "立法法" in f.message
    assert fired(r) == ["plausibility.rule_making"]


@pytest.mark.parametrize("agency, kind, fires", [
    ("某某县城关镇人民政府", "乡镇人民政府", True),
    ("某某县教育局", "县（市、区）级政府部门", True),
    ("某某县人民政府", "县（市、区）级人民政府", True),
    ("江西省生态环境厅", "省级政府部门", True),
    ("某市人民政府", "设区的市级人民政府", False),
    ("某省人民政府", "省级人民政府", False),
    ("上海市人民政府办公厅", "省级政府部门", False),  # the office publishes its government's 规章
    ("某某县人民政府办公室", "县（市、区）级政府部门", True),
    ("国家某某局", "其他", False),
])
def test_rule_making_power_from_the_cover(agency: str, kind: str, fires: bool) -> None:
    r = blank_report(agency, 2024, parsed=False, cover_agency_type=kind, s2_rules_issued=1, s2_rules_effective=3)
    assert ("plausibility.rule_making" in fired(r)) is fires
    if fires:
        assert f"封面机关类型为“{kind}”" in only(findings(r), "plausibility.rule_making").message


def test_street_office_issuing_normative_documents() -> None:
    # the seed: 孟津区西霞院街道办事处 2024, all zeros — clean; one 行政规范性文件 issued is questioned
    r = seed_report()
    assert [f for f in validate_report(r, today=TODAY) if f.rule in NEW_RULES] == []
    r.values["s2_normative_issued"] = 1
    r.values["s2_normative_effective"] = 1
    assert sorted(f.rule for f in validate_report(r, today=TODAY) if f.rule in NEW_RULES) == [
        "plausibility.street_normative"]


def test_implausible_magnitude_for_a_township() -> None:
    r = seed_report()
    r.values["s3_new_natural"] = 10_000
    r.values["s3_open_natural"] = 10_000
    r.values["n1_on_request"] = "本年度按要求办理政府信息公开申请。"
    f = only([x for x in validate_report(r, today=TODAY) if x.rule in NEW_RULES], "plausibility.magnitude")
    assert f.actual == 10_000 and "街道办事处" in f.message and "1000" in f.message
    r.values["s3_new_natural"] = r.values["s3_open_natural"] = 900
    assert not [x for x in validate_report(r, today=TODAY) if x.rule in NEW_RULES]


@pytest.mark.parametrize("name, kind, tier", [
    ("孟津区西霞院街道办事处", "街道办事处", "乡镇级"), ("桃江县松木塘镇人民政府", "乡镇人民政府", "乡镇级"),
    ("五常市背荫河镇", "乡镇人民政府", "乡镇级"), ("淮安市洪泽区人民政府", "人民政府", "县级"),
    ("江苏省人民政府", "人民政府", "省级"), ("黔东南苗族侗族自治州人民政府", "人民政府", "设区的市级"),
    ("南京市人民政府", "人民政府", None), ("上海市科学技术委员会", "政府部门", "省级"),
    ("淮安市洪泽区教育体育局", "政府部门", "县级"), ("深圳市生态环境局", "政府部门", None),
    ("武汉市汉阳区人民政府办公室", "政府部门", "县级"), ("国家税务总局", "国务院部门", None),
])
def test_level_inferred_from_the_name(name: str, kind: str, tier: str | None) -> None:
    level = plausibility.agency_level(blank_report(name, 2024))
    assert level is not None and (level.kind, level.tier) == (kind, tier) and level.inferred


@pytest.mark.parametrize("name", ["上海市", "信息公开规定》的要求,市科委编制了 2024", "某某中心", ""])
def test_no_level_from_a_name_that_does_not_tell(name: str) -> None:
    r = blank_report(name, 2024, s2_rules_issued=1, s2_rules_effective=1)
    assert plausibility.agency_level(r) is None and "plausibility.rule_making" not in fired(r)


# ---------------------------------------------------------------------------------------------------------------
# Deadline
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, day, fires", [
    ("县（市、区）级政府部门", "2025-01-31", False), ("县（市、区）级政府部门", "2025-02-01", True),
    ("街道办事处", "2025-02-10", True), ("乡镇人民政府", "2025-01-20", False),
    ("县（市、区）级人民政府", "2025-03-31", False), ("县（市、区）级人民政府", "2025-04-01", True),
    ("设区的市级人民政府", "2025-03-15", False), ("其他", "2025-03-15", False), ("其他", "2025-04-02", True),
])
def test_deadline(kind: str, day: str, fires: bool) -> None:
    r = blank_report("某某机关", 2024, parsed=False, cover_agency_type=kind, cover_date=day)
    assert ("timeliness.deadline" in fired(r)) is fires


def test_published_date_is_read_and_checked() -> None:
    # The seed report signed “2025年3月25日” at the end, as 道县文广新局 signed its report “2014年3月25日”
    # (m.dwrock.com/dx/ndbg/201502/80b8ce1f6cda48d19d0a6426dc18b574.shtml): after 31 January.
    text = (DATA / "seed_late.txt").read_text(encoding="utf-8")
    result = parse_text(text)
    assert result.report.values["cover_date"] == "2025-03-25"
    fs = [f for f in validate_parsed(result) if f.rule == "timeliness.deadline"]
    assert len(fs) == 1 and "2025-01-31" in fs[0].message and "落款" in fs[0].message
    # a web page's head: “发布时间:…” before the title
    head = parse_text("发布时间:2025-02-20 10:15\n" + text.replace("2025年3月25日", ""))
    assert head.report.values["cover_date"] == "2025-02-20"
    assert [f.rule for f in validate_parsed(head) if f.rule == "timeliness.deadline"] == ["timeliness.deadline"]
    on_time = parse_text(text.replace("2025年3月25日", "二〇二五年一月二十日"))
    assert on_time.report.values["cover_date"] == "2025-01-20"
    assert not [f for f in validate_parsed(on_time) if f.rule == "timeliness.deadline"]


# ---------------------------------------------------------------------------------------------------------------
# Year over year
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("this, last, fires", [(300, 25, True), (25, 300, True), (200, 25, False), (300, 15, False),
                                               (15, 300, False)])
def test_figure_jumps(this: int, last: int, fires: bool) -> None:
    now = blank_report("某某县教育局", 2024, s2_penalty_decisions=this)
    before = blank_report("某某县教育局", 2023, s2_penalty_decisions=last)
    assert ("cross_year.magnitude" in fired(now, before)) is fires
