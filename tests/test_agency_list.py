"""One agency-list reader for every command, and one rule for "the same agency" everywhere."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.compile_helpers import compiled_summary

from xl_disclosure import api
from xl_disclosure.batch.agencies import read_agency_list
from xl_disclosure.batch.compile import Placing, compile_reports
from xl_disclosure.cli.main import cli
from xl_disclosure.errors import UsageError
from xl_disclosure.form import S3_COLUMNS, s3_id
from xl_disclosure.model.agency import Agency, AgencyIndex, Identity
from xl_disclosure.model.samples import random_report, random_uscc
from xl_disclosure.model.summary import Compilation, FileRow, Totals
from xl_disclosure.readers.workbook import read_workbook


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def codes(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [random_uscc(rng) for _ in range(n)]


def excel_csv(path: Path, rows: list[tuple[str, ...]], *, encoding: str = "gbk",
              header: tuple[str, ...] = ("机关名称", "统一社会信用代码", "机关类型")) -> Path:
    """A list as Excel on Chinese Windows saves "CSV (逗号分隔)": GBK, CRLF, quotes only where needed."""
    def cell(text: str) -> str:
        return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\n') else text

    text = "".join(",".join(cell(c) for c in row) + "\r\n" for row in [header, *rows])
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------------------
# Reading lists
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "says"), [
    ("1.13201E+17", "第 3 行的统一社会信用代码被 Excel 改成了科学计数法（“1.13201E+17”）"),
    ("9.14103E17", "第 3 行的统一社会信用代码被 Excel 改成了科学计数法"),
    ("114103000000000000", "第 3 行的统一社会信用代码“114103000000000000”末尾几位被 Excel 改成了 0"),
    ("14103005680123", "第 3 行的统一社会信用代码“14103005680123”只有 14 位数字"),
])
def test_a_code_mangled_by_excel_is_refused_by_template_and_compile_alike(tmp_path: Path, raw: str, says: str) -> None:
    good = codes(2)
    listed = excel_csv(tmp_path / "名单.csv", [("某某县教育局", good[0], ""), ("某某县民政局", raw, ""),
                                              ("某某县财政局", good[1], "")])
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.json").write_text(random_report(random.Random(1)).dumps(), encoding="utf-8")
    for r in (run("template", "--agencies", listed, "--out-dir", tmp_path / "out"),
              run("compile", tmp_path / "in", "-o", tmp_path / "s.xlsx", "--expected", listed),
              run("merge", tmp_path / "none.json", "-o", tmp_path / "m.xlsx", "--expected", listed)):
        text = r.output.replace("\n", "")
        assert r.exit_code == 2, r.output
        assert says in text and "名单.csv" in text and "请把该列设为文本后重新输入" in text, r.output
        assert "GBK" in text and "Traceback" not in r.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "s.xlsx").exists()


def test_a_checksum_invalid_code_names_its_row(tmp_path: Path) -> None:
    bad = codes(1)[0][:-1] + ("0" if codes(1)[0][-1] != "0" else "1")
    listed = excel_csv(tmp_path / "l.csv", [("某局", bad, "")])
    with pytest.raises(UsageError, match=r"第 2 行的统一社会信用代码.*校验位"):
        read_agency_list(listed)


def test_delimiter_comes_from_the_header_not_from_the_data(tmp_path: Path) -> None:
    """A quoted name with a comma after the first 4 KB stays one name (a sniffer of the start would not know)."""
    c = codes(120, seed=2)
    rows = [(f"某某县第{i:03d}号机关（内设机构较多，名称较长）", c[i], "") for i in range(100)]
    rows.append(("某某县人民政府办公室,某某县政务公开办公室", c[100], "县（市、区）级人民政府"))
    path = excel_csv(tmp_path / "long.csv", rows)
    assert path.read_bytes().index("政务公开办公室".encode("gbk")) > 4096
    listed = read_agency_list(path)
    assert len(listed) == 101
    assert listed[100] == Agency("某某县人民政府办公室,某某县政务公开办公室", c[100], "县（市、区）级人民政府", 102)
    # Tab-separated data full of commas: the header says tab.
    tabbed = tmp_path / "tab.txt"
    tabbed.write_text("机关名称\t统一社会信用代码\n甲,乙,丙局\t" + c[101] + "\n", encoding="utf-8")
    assert [(a.name, a.uscc) for a in read_agency_list(tabbed)] == [("甲,乙,丙局", c[101])]
    assert read_agency_list(tabbed).describe() == "UTF-8 编码，制表符分隔，共 1 行"


@pytest.mark.parametrize(("encoding", "bom", "stated"), [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", b"\xef\xbb\xbf", "UTF-8（带 BOM）"),
    ("gbk", b"", "GBK"),
    ("gb18030", b"", "GB18030"),
    ("utf-16-le", b"\xff\xfe", "UTF-16"),
    ("utf-16-be", b"\xfe\xff", "UTF-16"),
    ("utf-16-le", b"", "UTF-16"),
])
def test_encodings_are_detected_and_stated(tmp_path: Path, encoding: str, bom: bytes, stated: str) -> None:
    c = codes(2, seed=3)
    name = "某某县䶮山街道办事处" if encoding == "gb18030" else "某某县民政局"  # 䶮 is outside GBK
    delimiter = "\t" if encoding.startswith("utf-16") else ","  # Excel's "Unicode 文本" is tab-separated
    text = delimiter.join(["机关名称", "统一社会信用代码"]) + "\r\n" + delimiter.join([name, c[0]]) + "\r\n" \
        + delimiter.join(["某某县（市）财政局", c[1]]) + "\r\n"
    path = tmp_path / "l.csv"
    path.write_bytes(bom + text.encode(encoding))
    listed = read_agency_list(path)
    assert [(a.name, a.uscc) for a in listed] == [(name, c[0]), ("某某县（市）财政局", c[1])]
    assert listed.encoding == stated
    assert listed.describe().startswith(f"{stated} 编码")


def test_full_width_comma_header_and_bad_rows_all_listed(tmp_path: Path) -> None:
    c = codes(2, seed=4)
    path = tmp_path / "l.csv"
    path.write_text(f"机关名称，统一社会信用代码\n甲局，{c[0]}\n乙局，{c[0]}\n，\n丙局，{c[1]}\n，{c[1]}x\n",
                    encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        read_agency_list(path)
    text = str(caught.value)
    assert "全角逗号分隔" in text and "有 2 处错误" in text
    assert "第 3 行（乙局）：统一社会信用代码" in text and "同一代码只能属于一个机关" in text
    assert "第 6 行的统一社会信用代码" in text


def test_a_repeated_row_is_one_agency_for_compile_and_refused_for_templates(tmp_path: Path) -> None:
    c = codes(1, seed=5)
    path = excel_csv(tmp_path / "l.csv", [("某局", c[0], ""), ("某局", c[0], ""), ("另一局", "", "")])
    assert len(read_agency_list(path)) == 3
    with pytest.raises(UsageError, match="与第 2 行重复"):
        read_agency_list(path, templates=True)
    r = run("template", "--agencies", path, "--out-dir", tmp_path / "o")
    assert r.exit_code == 2 and "未生成任何模板" in r.output
    (tmp_path / "in").mkdir()
    report = random_report(random.Random(2), agency="某局", year=2024)
    report.values["cover_uscc"] = c[0]
    (tmp_path / "in" / "r.json").write_text(report.dumps(), encoding="utf-8")
    r = run("compile", tmp_path / "in", "-o", tmp_path / "s.xlsx", "--json", tmp_path / "s.json",
            "--expected", path, "--jobs", 1)
    assert "应报送 2 个机关，未报送 1 个：另一局" in r.output, r.output
    assert "机关名单" in r.output and "GBK 编码，逗号分隔，共 3 行" in r.output


# ---------------------------------------------------------------------------
# One identity rule
# ---------------------------------------------------------------------------

def test_full_width_space_and_brackets_match_in_compile_and_template_prior_alike(tmp_path: Path) -> None:
    rng = random.Random(8)
    last = random_report(rng, agency="某某县（市）　人民政府 办公室", year=2023)
    last.values["cover_uscc"] = None
    prior = compiled_summary([last], tmp_path / "2023")
    # template --prior: the list writes the name with half-width brackets and no spaces.
    listed = excel_csv(tmp_path / "l.csv", [("某某县(市)人民政府办公室", "", "")])
    r = run("template", "--agencies", listed, "--out-dir", tmp_path / "out", "--prior", prior)
    assert r.exit_code == 0, r.output
    assert "上年数据匹配 1/1 个机关" in r.output
    (made,) = (tmp_path / "out").iterdir()
    filled = read_workbook(made).report
    for ckey, _ in S3_COLUMNS:
        assert filled.values[s3_id("carried", ckey)] == last.values[s3_id("next", ckey)]
    # compile --prior: the same agency this year, its name typed with a full-width space.
    this = random_report(rng, agency="某某县(市)人民政府　办公室", year=2024)
    this.values["cover_uscc"] = None
    prior_obj = api.load_prior(prior)
    assert prior_obj.match("", this.agency) is not None
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.json").write_text(this.dumps(), encoding="utf-8")
    with compile_reports([tmp_path / "in"], prior=prior_obj, jobs=1) as comp:
        (row,) = comp.rows
        assert row.prior_applications == last.total(s3_id("new", "total"))
        rules = {f["rule"] for findings in comp.findings_of() for f in findings}
    assert rules & {"cross_year.carryover", "cross_year.effective"}  # last year's report was used


def test_same_name_different_codes_are_two_agencies_everywhere() -> None:
    a, b = codes(2, seed=9)
    index: AgencyIndex[str] = AgencyIndex()
    index.add(Identity.of("某某镇人民政府", a), "A")
    assert index.first(Identity.of("某某镇人民政府", b)) is None
    assert index.first(Identity.of("某某镇 人民政府", "")) == (Identity.of("某某镇人民政府", a), "A")
    assert index.first(Identity.of("另一个名称", a.lower())) is not None  # the code decides


NAMES = ["某某县教育局", "某某县（市）民政局", "某某镇人民政府", "某某街道办事处"]


def variant(name: str, how: int) -> str:
    """The same name as a clerk may type it: full-width/half-width brackets, spaces of either width."""
    if how == 1:
        return name.replace("（", "(").replace("）", ")")
    if how == 2:
        return name[:2] + "\u3000" + name[2:]
    if how == 3:
        return " " + name.replace("县", "县 ") + " "
    return name


agency = st.tuples(st.sampled_from(NAMES), st.integers(0, 3), st.sampled_from(["", *codes(3, seed=10)]))


@settings(max_examples=150, deadline=None)
@given(listed=st.lists(agency, max_size=6), received=st.lists(agency, max_size=6))
def test_membership_is_symmetric(listed, received) -> None:
    """With a list, every agency is exactly one of 已报送 / 未报送 / 名单外, by the one matching rule."""
    expected = [Agency(variant(n, how), code) for n, how, code in listed]
    comp = Compilation(rows=[], totals=Totals(), year=None, include_invalid=False, expected=expected, missing=[],
                       duplicates=[], prior=None, spool_dir=Path("."))
    placing = Placing(comp, None)  # type: ignore[arg-type]  # no report figures: nothing is spooled
    for i, (n, how, code) in enumerate(received):
        row = FileRow(index=i, file=f"{i}.xlsx", path="", agency=variant(n, how), uscc=code, year=2024)
        comp.rows.append(row)
        placing.place(row, [], {"figures": None})
    placing.finish()
    ids = [a.identity for a in expected]
    recorded = [comp.rows[i] for i in comp.agency_rows]
    for row in recorded:  # each agency received: on the list (已报送) or not (名单外), by the rule
        on_list = any(Identity.of(row.agency, row.uscc).matches(x) for x in ids)
        assert (row.index in comp.unexpected) == (not on_list)
        assert ("不在应报送名单中" in row.note) == (not on_list)
    missing = {id(a) for a in comp.missing}
    for a in expected:  # each listed agency: reported, or 未报送 — never both
        reported = any(Identity.of(r.agency, r.uscc).matches(a.identity) for r in recorded)
        assert (id(a) in missing) == (not reported)
    for x in ids:
        for y in ids:
            assert x.matches(y) == y.matches(x)
