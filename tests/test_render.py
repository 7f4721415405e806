"""Rendering the annual report: every table cell equals the data, labels are exact, drafts are marked."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import docx
import lxml.html
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from render_helpers import (
    assert_grid,
    docx_grids,
    expected_s2,
    expected_s3,
    expected_s4,
    html_grids,
    s3_value,
    to_number,
)
from xl_disclosure.cli.main import cli
from xl_disclosure.form import (
    FORM,
    N1_TITLE,
    N5_TITLE,
    N6_TITLE,
    S2_TITLE,
    S3_COLUMNS,
    S3_ROWS,
    S3_TITLE,
    S3_TOTAL_COLUMN,
    S4_TITLE,
    s3_id,
)
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, seed_report
from xl_disclosure.model.summary import SUMMARY_KIND, Summary
from xl_disclosure.writers.render import render_report, render_summary

SEEDS = (0, 1, 2, 3, 11, 2024)
H1 = [N1_TITLE, S2_TITLE, S3_TITLE, S4_TITLE, N5_TITLE, N6_TITLE]
H2 = [FORM.by_id[f].row_label for f in ("n1_proactive", "n1_on_request", "n1_management", "n1_platform",
                                         "n1_oversight")]


def reports() -> list[Report]:
    return [random_report(random.Random(s), fee=(s % 2 == 0)) for s in SEEDS] + [seed_report()]


def title_of(report: Report) -> str:
    return f"{report.values['cover_agency_name']}{report.values['cover_year']}年政府信息公开工作年度报告"


@pytest.mark.parametrize("index", range(len(SEEDS) + 1))
def test_docx_tables_equal_the_data(tmp_path: Path, index: int) -> None:
    report = reports()[index]
    out = render_report(report, tmp_path / "r.docx")
    grids = docx_grids(out)
    assert len(grids) == 3
    assert_grid(grids[0], expected_s2(report.values), "二")
    assert_grid(grids[1], expected_s3(report.values), "三")
    assert_grid(grids[2], expected_s4(report.values), "四")


@pytest.mark.parametrize("index", range(len(SEEDS) + 1))
def test_html_tables_equal_the_data(tmp_path: Path, index: int) -> None:
    report = reports()[index]
    out = render_report(report, tmp_path / "r.html")
    grids = html_grids(out.read_text(encoding="utf-8"))
    assert set(grids) == {"table-s2", "table-s3", "table-s4"}
    assert_grid(grids["table-s2"], expected_s2(report.values), "二")
    assert_grid(grids["table-s3"], expected_s3(report.values), "三")
    assert_grid(grids["table-s4"], expected_s4(report.values), "四")


def test_stated_totals_are_not_trusted(tmp_path: Path) -> None:
    """A wrong stated total in the data is printed as the recomputed sum."""
    report = random_report(random.Random(5))
    report.values[s3_id("new", "total")] = 999999
    report.values[s3_id("results_total", "natural")] = 888888
    grids = docx_grids(render_report(report, tmp_path / "r.docx"))
    assert_grid(grids[1], expected_s3(report.values), "三")
    text = "".join(c for row in grids[1] for c in row)
    assert "999999" not in text and "888888" not in text


def test_docx_structure_fonts_and_page(tmp_path: Path) -> None:
    report = seed_report()
    d = docx.Document(str(render_report(report, tmp_path / "r.docx")))
    paragraphs = [p for p in d.paragraphs if p.text.strip()]
    assert paragraphs[0].text.replace("\n", "") == title_of(report)
    assert paragraphs[0].alignment == 1  # centered
    title_fonts = paragraphs[0].runs[0]._r.rPr.rFonts
    assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"] == H1
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 2"] == H2
    normal = d.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋"
    for name in ("Heading 1", "Heading 2"):
        assert d.styles[name].element.rPr.rFonts.get(qn("w:asciiTheme")) is None
    section = d.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in d.tables:
        widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(widths) * 635 <= text_width + 635 * len(widths)  # twips → EMU, rounding per column
    def repeated(table) -> list[bool]:
        return [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]

    assert repeated(d.tables[1]) == [True] * 3 + [False] * (len(d.tables[1].rows) - 3)  # table 三 spans pages
    assert not any(repeated(d.tables[0]))
    # Narratives appear in full, one Word paragraph per paragraph of the text.
    texts = [p.text for p in d.paragraphs]
    for fid in ("n1_proactive", "n1_oversight", "n5_problems", "n6_other"):
        lines = [ln.strip() for ln in str(report.values[fid]).splitlines() if ln.strip()]
        assert lines and all(ln in texts for ln in lines), fid
    assert len([ln for ln in str(report.values["n5_problems"]).splitlines() if ln.strip()]) > 1
    assert not any("草稿" in p.text for p in d.sections[0].header.paragraphs)


def test_section_six_states_the_fee_figures(tmp_path: Path) -> None:
    report = random_report(random.Random(8), fee=True)
    d = docx.Document(str(render_report(report, tmp_path / "r.docx")))
    texts = [p.text for p in d.paragraphs]
    after = texts[texts.index(N6_TITLE) + 1:]
    joined = "".join(after)
    assert str(report.values["n6_other"]) in joined
    numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", after[-1])]
    assert numbers == [float(report.values[f]) for f in ("n6_fee_notices", "n6_fee_notice_amount",
                                                          "n6_fee_collected")]
    assert "信息处理费" in after[-1]


def test_html_is_self_contained_and_accessible(tmp_path: Path) -> None:
    report = seed_report()
    text = render_report(report, tmp_path / "r.html").read_text(encoding="utf-8")
    lowered = text.lower()
    for bad in ("<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "http:", "https:", "//cdn"):
        assert bad not in lowered, bad
    root = lxml.html.fromstring(text)
    assert root.get("lang") == "zh-CN"
    assert root.xpath("string(//h1)") == title_of(report)
    assert [h.text_content() for h in root.iter("h2")] == H1
    assert [h.text_content() for h in root.iter("h3")] == H2
    assert "方正小标宋简体" in text and "FZXiaoBiaoSong-B05S" in text and "仿宋" in text
    for table in root.iter("table"):
        assert table.xpath("./caption")
        assert table.xpath("./thead/tr/th")
        for th in table.iter("th"):
            assert th.get("scope") in ("col", "colgroup", "row", "rowgroup")
    assert not root.xpath('//*[contains(@class, "draft")]')


def test_markdown_has_headings_and_numbers(tmp_path: Path) -> None:
    report = random_report(random.Random(4))
    text = render_report(report, tmp_path / "r.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {title_of(report)}\n")
    for h in H1:
        assert f"\n## {h}\n" in text
    for h in H2:
        assert f"\n### {h}\n" in text
    lines = text.splitlines()
    for row in S3_ROWS:
        label = " ".join(p for p in (row.level1, row.level2, row.level3) if p)
        line = next(ln for ln in lines if ln.startswith(f"| {label} |"))
        cells = [c.strip() for c in line.strip("|").split("|")][1:]
        expected = [s3_value(report.values, row.key, c) for c, _ in S3_COLUMNS + (S3_TOTAL_COLUMN,)]
        assert [to_number(c) for c in cells] == expected


def test_markdown_escapes_narrative(tmp_path: Path) -> None:
    report = seed_report()
    report.values["n5_problems"] = "# 不是标题 | 也不是表格 *强调*"
    text = render_report(report, tmp_path / "r.md").read_text(encoding="utf-8")
    assert "\\# 不是标题 \\| 也不是表格 \\*强调\\*" in text


def test_html_escapes_narrative(tmp_path: Path) -> None:
    report = seed_report()
    report.values["n5_problems"] = "<script>alert(1)</script>"
    text = render_report(report, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script" not in text and "&lt;script&gt;" in text


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------

def run(*args: str):
    return CliRunner().invoke(cli, ["render", *args])


def broken_report_json(tmp_path: Path) -> Path:
    report = random_report(random.Random(9))
    report.values[s3_id("new", "natural")] = int(report.values[s3_id("new", "natural")] or 0) + 3
    path = tmp_path / "坏报告.json"
    path.write_text(report.dumps(), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".docx", ".html", ".md"])
def test_cli_renders_valid_report(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / "seed.json"
    src.write_text(seed_report().dumps(), encoding="utf-8")
    out = tmp_path / f"年报{suffix}"
    result = run(str(src), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.exists() and out.stat().st_size > 0
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_refuses_report_with_errors(tmp_path: Path) -> None:
    src = broken_report_json(tmp_path)
    out = tmp_path / "out.docx"
    result = run(str(src), "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists()
    assert "未生成成稿" in result.output and "s3.balance" in result.output and "--draft" in result.output
    assert "依申请公开!D" in result.output  # names the cell


def test_cli_draft_marks_every_format(tmp_path: Path) -> None:
    src = broken_report_json(tmp_path)
    for suffix in (".docx", ".html", ".md"):
        out = tmp_path / f"draft{suffix}"
        result = run(str(src), "-o", str(out), "--draft")
        assert result.exit_code == 0, result.output
        assert "草稿" in result.output
    d = docx.Document(str(tmp_path / "draft.docx"))
    for section in d.sections:
        assert not section.header.is_linked_to_previous or section is d.sections[0]
        assert "草稿" in "".join(p.text for p in section.header.paragraphs)
    root = lxml.html.fromstring((tmp_path / "draft.html").read_text(encoding="utf-8"))
    banner = root.xpath('//*[contains(@class, "draft")]')
    assert banner and "草稿" in banner[0].text_content()
    assert "草稿" in root.xpath("string(//title)")
    md = (tmp_path / "draft.md").read_text(encoding="utf-8")
    assert md.splitlines()[2].startswith("> **草稿")


def test_cli_usage_and_read_errors(tmp_path: Path) -> None:
    src = tmp_path / "seed.json"
    src.write_text(seed_report().dumps(), encoding="utf-8")
    result = run(str(src), "-o", str(tmp_path / "out.pdf"))
    assert result.exit_code == 2 and "扩展名" in result.output
    result = run(str(tmp_path / "不存在.json"), "-o", str(tmp_path / "out.docx"))
    assert result.exit_code == 2 and "不存在.json" in result.output
    garbage = tmp_path / "乱码.json"
    garbage.write_text("{not json", encoding="utf-8")
    result = run(str(garbage), "-o", str(tmp_path / "out.docx"))
    assert result.exit_code == 2 and "乱码.json" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.docx").exists()


# ---------------------------------------------------------------------------
# The regional consolidated report
# ---------------------------------------------------------------------------

def make_summary(reps: list[Report], *, counted: list[bool] | None = None) -> dict:
    counted = counted or [True] * len(reps)
    totals: dict[str, dict] = {"section2": {}, "section3": {}, "section4": {}}
    for f in FORM.fields:
        if f.group in totals and f.is_input:
            totals[f.group][f.id] = sum(r.values[f.id] for r, c in zip(reps, counted, strict=True) if c)
    files = [{"file": f"/收件/{r.agency}.xlsx", "status": "通过" if c else "不通过", "agency": r.agency,
              "uscc": r.values["cover_uscc"], "year": 2024, "errors": 0 if c else 2, "warnings": 0,
              "findings": [], "counted": c, "note": ""} for r, c in zip(reps, counted, strict=True)]
    return {
        "kind": SUMMARY_KIND, "year": 2024, "included": "valid", "totals": totals, "files": files,
        "agencies": [{"agency": f["agency"], "uscc": f["uscc"], "file": f["file"], "status": f["status"]}
                     for f in files],
        "missing": [{"agency": "某某县审计局", "uscc": "11410322MB0000000X"}],
        "duplicates": [{"agency": reps[0].agency, "uscc": reps[0].values["cover_uscc"], "year": 2024,
                        "files": ["/收件/a.xlsx", "/收件/b.xlsx"]}],
        "reports": [r.to_json() for r, c in zip(reps, counted, strict=True) if c],
    }


def summed(reps: list[Report]) -> dict:
    return {f.id: sum(r.values[f.id] for r in reps) for f in FORM.fields if f.group.startswith("section") and f.is_input}


def test_summary_renders_aggregated_tables_and_agencies(tmp_path: Path) -> None:
    rng = random.Random(42)
    reps = [random_report(rng, agency=name) for name in ("某某县教育局", "某某县民政局", "某某县财政局")]
    summary = make_summary(reps, counted=[True, True, False])
    values = summed(reps[:2])
    out = render_summary(Summary.from_json(summary), tmp_path / "region.docx")
    grids = docx_grids(out)
    assert_grid(grids[0], expected_s2(values), "二")
    assert_grid(grids[1], expected_s3(values), "三")
    assert_grid(grids[2], expected_s4(values), "四")
    agencies = grids[3]
    assert agencies[0] == ["序号", "单位名称", "统一社会信用代码", "报送文件", "校验结果", "纳入统计"]
    assert [row[1] for row in agencies[1:]] == [r.agency for r in reps]
    assert [row[4] for row in agencies[1:]] == ["通过", "通过", "不通过"]
    assert [row[5] for row in agencies[1:]] == ["是", "是", "否"]
    assert grids[4][1][1] == "某某县审计局"  # missing
    assert grids[5][1][1] == reps[0].agency and "a.xlsx" in grids[5][1][4]  # duplicates
    d = docx.Document(str(out))
    title = d.paragraphs[0].text.replace("\n", "")
    assert title == "某某县人民政府办公室2024年度政府信息公开工作年度报告汇总"  # region from cover_parent
    body = "\n".join(p.text for p in d.paragraphs)
    assert "纳入统计 2 份" in body and "应报未报单位 1 个" in body and "重复报送单位 1 个" in body

    html = render_summary(Summary.from_json(summary), tmp_path / "region.html", region="某某县").read_text(encoding="utf-8")
    hgrids = html_grids(html)
    assert_grid(hgrids["table-s3"], expected_s3(values), "三")
    assert "<h1>某某县<br>2024年度政府信息公开工作年度报告汇总</h1>" in html


@pytest.mark.parametrize(("given", "missing", "says", "not_said"), [
    (False, [], "未提供应报送单位名单，未核对应报未报情况", "应报未报单位 0 个"),
    (True, [], "应报未报单位 0 个", "未提供应报送单位名单"),
    (None, [], "未提供应报送单位名单", "应报未报单位 0 个"),  # an older summary: nobody missing, no list known
])
def test_summary_says_whether_a_list_was_given(tmp_path: Path, given, missing, says, not_said) -> None:
    reps = [random_report(random.Random(5))]
    data = make_summary(reps)
    data["missing"] = missing
    if given is not None:
        data["expected_given"] = given
    md = render_summary(Summary.from_json(data), tmp_path / "r.md").read_text(encoding="utf-8")
    assert says in md and not_said not in md
    section = md.split("（一）应报未报单位", 1)[1].split("（二）", 1)[0]
    assert ("无法判断" in section) == (given is not True)


def test_cli_summary(tmp_path: Path) -> None:
    rng = random.Random(7)
    reps = [random_report(rng) for _ in range(3)]
    path = tmp_path / "summary.json"
    path.write_text(json.dumps(make_summary(reps), ensure_ascii=False), encoding="utf-8")
    result = run(str(path), "-o", str(tmp_path / "region.md"), "--region", "某某县")
    assert result.exit_code == 0, result.output
    md = (tmp_path / "region.md").read_text(encoding="utf-8")
    assert md.startswith("# 某某县2024年度政府信息公开工作年度报告汇总")

    # An aggregate that counted a report with errors (--include-invalid) is refused unless --draft.
    bad = make_summary(reps)
    bad["included"] = "all"
    bad["files"][1].update(status="不通过", errors=3)
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    result = run(str(path), "-o", str(tmp_path / "bad.docx"))
    assert result.exit_code == 1 and not (tmp_path / "bad.docx").exists()
    assert "未生成汇总报告" in result.output
    result = run(str(path), "-o", str(tmp_path / "bad.docx"), "--draft")
    assert result.exit_code == 0
    header = docx.Document(str(tmp_path / "bad.docx")).sections[0].header
    assert "草稿" in "".join(p.text for p in header.paragraphs)

    broken = make_summary(reps)
    broken["totals"] = "x"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    result = run(str(path), "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and "totals" in result.output


def test_cli_renders_filled_workbook(tmp_path: Path) -> None:
    from conftest import fill_workbook

    report = random_report(random.Random(21))
    src = fill_workbook(tmp_path / "填好的报告.xlsx", report)
    out = tmp_path / "年报.docx"
    result = run(str(src), "-o", str(out))
    assert result.exit_code == 0, result.output
    grids = docx_grids(out)
    assert_grid(grids[1], expected_s3(report.values), "三")
    assert_grid(grids[2], expected_s4(report.values), "四")

    report.values[s3_id("next", "natural")] = int(report.values[s3_id("next", "natural")] or 0) + 1
    bad = fill_workbook(tmp_path / "有错的报告.xlsx", report)
    result = run(str(bad), "-o", str(tmp_path / "bad.html"))
    assert result.exit_code == 1 and not (tmp_path / "bad.html").exists()
    assert "有错的报告.xlsx" in result.output and "s3.balance" in result.output


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_rendered_report_reads_back_with_the_same_data(tmp_path: Path, suffix: str) -> None:
    """The published-report parser reads our own output back to the same numbers and narratives."""
    from xl_disclosure.api import validate_file

    report = random_report(random.Random(33), fee=True)
    result = validate_file(render_report(report, tmp_path / f"r{suffix}"))
    assert result.readable, result.read_error
    assert not result.errors, [f.message for f in result.errors]
    for f in FORM.fields:
        if f.is_input and f.group != "cover":
            assert result.report.values.get(f.id) == report.values[f.id], f.id


def test_renders_the_compile_commands_summary(tmp_path: Path) -> None:
    """End to end: filled workbooks → compile --json → render; the tables are the sums of the counted reports."""
    from conftest import fill_workbook

    rng = random.Random(77)
    inbox = tmp_path / "收件"
    inbox.mkdir()
    reps = [random_report(rng, agency=name) for name in ("某某县教育局", "某某县民政局", "某某县财政局")]
    for r in reps:
        fill_workbook(inbox / f"{r.agency}.xlsx", r)
    broken = random_report(rng, agency="某某县交通运输局")
    broken.values[s3_id("new", "natural")] = int(broken.values[s3_id("new", "natural")] or 0) + 2
    fill_workbook(inbox / "某某县交通运输局.xlsx", broken)
    summary = tmp_path / "summary.json"
    result = CliRunner().invoke(cli, ["compile", str(inbox), "-o", str(tmp_path / "s.xlsx"), "--json", str(summary),
                                      "--year", "2024"])
    assert summary.exists(), result.output
    out = tmp_path / "region.docx"
    result = run(str(summary), "-o", str(out), "--region", "某某县")
    assert result.exit_code == 0, result.output
    grids = docx_grids(out)
    values = summed(reps)
    assert_grid(grids[0], expected_s2(values), "二")
    assert_grid(grids[1], expected_s3(values), "三")
    assert_grid(grids[2], expected_s4(values), "四")
    listed = {row[1]: (row[4], row[5]) for row in grids[3][1:]}
    assert listed == {**{r.agency: ("通过", "是") for r in reps}, "某某县交通运输局": ("不通过", "否")}


@pytest.mark.parametrize("suffix", [".docx", ".html", ".md"])
def test_control_characters_in_text_do_not_break_rendering(tmp_path: Path, suffix: str) -> None:
    report = seed_report()
    report.values["n5_problems"] = "第一段\x0b仍是第一段\x00。\n第二段\x1f。"
    report.values["cover_agency_name"] = "某某\x08县教育局"
    out = render_report(report, tmp_path / f"r{suffix}")
    if suffix == ".docx":
        texts = [p.text for p in docx.Document(str(out)).paragraphs]
        assert "第一段仍是第一段。" in texts and "第二段。" in texts
        assert texts[0].startswith("某某县教育局")
    else:
        text = out.read_text(encoding="utf-8")
        assert "第一段仍是第一段。" in text and "某某县教育局" in text
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
