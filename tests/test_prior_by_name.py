"""compile --prior: last year's report paired by name when no code pairs it (淮安市洪泽区人民政府 ~ 洪泽区人民政府).

The real pair is 洪泽区's two published reports (tests/data/published/hongze-2023.pdf, hongze-2024.pdf): the
2023 title reads 洪泽区人民政府, the 2024 one 淮安市洪泽区人民政府, and neither prints a 统一社会信用代码.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.rule_cases import changed, prior_of

from pdf_helpers import H2023, H2024
from xl_disclosure.cli.main import cli
from xl_disclosure.model.agency import Identity, Prior, by_place_prefix, norm_name, place_tails
from xl_disclosure.model.report import Report


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def compile_json(inputs: Path, out: Path, *extra: object) -> dict:
    code, text = run("compile", inputs, "-o", out.with_suffix(".xlsx"), "--json", out.with_suffix(".json"),
                     "--jobs", "1", "--include-invalid", *extra)
    assert code in (0, 1), text
    return json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))


def write(path: Path, report: Report) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")


# ---------------------------------------------------------------- the names

@pytest.mark.parametrize("name, tails", [
    ("江苏省淮安市洪泽区人民政府", ["淮安市洪泽区人民政府", "洪泽区人民政府"]),
    ("淮安市洪泽区人民政府", ["洪泽区人民政府"]),
    ("浙江省杭州市西湖区人民政府", ["杭州市西湖区人民政府", "西湖区人民政府"]),
    ("新疆维吾尔自治区乌鲁木齐市天山区人民政府", ["乌鲁木齐市天山区人民政府", "天山区人民政府"]),
    ("河南省新密市城关镇人民政府", ["新密市城关镇人民政府", "城关镇人民政府"]),
    ("淮安市洪泽区公安局", ["洪泽区公安局"]),
    # what is left must name a place of its own, never the agency's body
    ("洪泽区人民政府", []),
    ("淮安市人民政府", []),
    ("淮安市市场监督管理局", []),
    ("淮安市住房和城乡建设局", []),
    ("淮安市城市管理局", []),
    ("上海市科学技术委员会", []),
])
def test_place_tails(name, tails):
    assert place_tails(norm_name(name)) == tails


def test_names_differing_in_a_middle_place_are_not_paired():
    assert by_place_prefix("淮安市洪泽区人民政府", "洪泽区人民政府")
    assert by_place_prefix("洪泽区人民政府", "江苏省淮安市洪泽区人民政府")
    assert not by_place_prefix("南京市鼓楼区人民政府", "福州市鼓楼区人民政府")
    assert not by_place_prefix("洪泽区人民政府", "洪泽区人民政府")  # the same name pairs by the usual rule


def test_a_code_the_other_contradicts_is_no_pair():
    prior = Prior()
    prior.add(Identity.of("洪泽区人民政府", "11320829014100000X"), {"n": 1})
    assert prior.by_place_prefix("淮安市洪泽区人民政府", "") == [(Identity.of("洪泽区人民政府", "11320829014100000X"),
                                                              {"n": 1})]
    assert prior.by_place_prefix("淮安市洪泽区人民政府", "113208000141000000") == []


# ---------------------------------------------------------------- compile --prior

def test_the_real_hongze_pair_is_matched_by_name(tmp_path):
    (tmp_path / "2023").mkdir()
    (tmp_path / "2023" / H2023.name).write_bytes(H2023.read_bytes())
    last = compile_json(tmp_path / "2023", tmp_path / "2023")
    assert [r["cover"]["cover_agency_name"] for r in last["reports"]] == ["洪泽区人民政府"]
    data = compile_json(H2024, tmp_path / "2024", "--prior", tmp_path / "2023.json")
    (row,) = data["files"]
    assert row["agency"] == "淮安市洪泽区人民政府"
    assert row["prior_matched"] is True
    assert "上年报告按名称对应（上年为“洪泽区人民政府”，没有可比的统一社会信用代码）" in row["note"]
    # and the year-over-year checks ran: the 2024 text repeats 2023's parts word for word
    assert "cross_year.text_reuse" in {f["rule"] for f in row["findings"]}
    assert row["reuse"] is not None


def test_two_candidates_last_year_is_no_match(tmp_path):
    # two 城关镇 of two county-level cities last year; this year a 城关镇人民政府 without its city
    this = changed(cover_agency_name="城关镇人民政府", cover_uscc=None)
    for n, city in enumerate(("新密市", "登封市")):
        write(tmp_path / "2023" / f"{n}.json", prior_of(this, cover_agency_name=f"河南省{city}城关镇人民政府"))
    write(tmp_path / "2024" / "a.json", this)
    compile_json(tmp_path / "2023", tmp_path / "2023")
    data = compile_json(tmp_path / "2024", tmp_path / "2024", "--prior", tmp_path / "2023.json")
    (row,) = data["files"]
    assert row["prior_matched"] is False
    assert ("上年数据中有 2 个名称相近的机关（“河南省新密市城关镇人民政府”、“河南省登封市城关镇人民政府”），"
            "无法确定哪个是本机关，未按名称对应上年报告") in row["note"]
    assert not any(f["rule"].startswith("cross_year") for f in row["findings"])


def test_two_candidates_this_year_is_no_match(tmp_path):
    # last year one 城关镇人民政府; this year the 城关镇 of two cities: which one it was cannot be told
    first = changed(cover_agency_name="新密市城关镇人民政府", cover_uscc=None)
    write(tmp_path / "2023" / "a.json", prior_of(first, cover_agency_name="城关镇人民政府"))
    write(tmp_path / "2024" / "a.json", first)
    write(tmp_path / "2024" / "b.json", changed(cover_agency_name="登封市城关镇人民政府", cover_uscc=None))
    compile_json(tmp_path / "2023", tmp_path / "2023")
    data = compile_json(tmp_path / "2024", tmp_path / "2024", "--prior", tmp_path / "2023.json")
    rows = {r["agency"]: r for r in data["files"]}
    assert [r["prior_matched"] for r in rows.values()] == [False, False]
    assert "上年的“城关镇人民政府”与本年的“登封市城关镇人民政府”名称也相近" in rows["新密市城关镇人民政府"]["note"]


def test_an_exact_match_is_kept_and_takes_its_report(tmp_path):
    # 洪泽区人民政府 matched exactly this year too: 淮安市洪泽区人民政府 cannot take the same report by name
    this = changed(cover_agency_name="洪泽区人民政府", cover_uscc=None)
    write(tmp_path / "2023" / "a.json", prior_of(this))
    write(tmp_path / "2024" / "a.json", this)
    write(tmp_path / "2024" / "b.json", changed(cover_agency_name="淮安市洪泽区人民政府", cover_uscc=None))
    compile_json(tmp_path / "2023", tmp_path / "2023")
    data = compile_json(tmp_path / "2024", tmp_path / "2024", "--prior", tmp_path / "2023.json")
    rows = {r["agency"]: r for r in data["files"]}
    assert rows["洪泽区人民政府"]["prior_matched"] is True
    assert "按名称对应" not in rows["洪泽区人民政府"]["note"]
    assert rows["淮安市洪泽区人民政府"]["prior_matched"] is False
