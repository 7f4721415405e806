"""Parsing published reports: the seed, messy text/HTML/Word variants, missing cells, broken tables."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parse_helpers import (
    SEED_TEXT,
    docx_report,
    drop_totals_text,
    html_report,
    org_subtotal_text,
    seed_layout_text,
    squeeze_labels,
    stated,
)
from xl_disclosure.form import FORM, S3_COLUMNS, S3_ROWS, Kind, s3_id
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers.published import (
    FEE_FIELDS,
    TABLE_FIELDS,
    ParseError,
    parse_docx,
    parse_html,
    parse_text,
    validate_parsed,
)
from xl_disclosure.readers.published_file import parse_file, validate_published

INPUTS = [fid for fid in TABLE_FIELDS if FORM.by_id[fid].kind is not Kind.TOTAL]
TOTALS = [fid for fid in TABLE_FIELDS if FORM.by_id[fid].kind is Kind.TOTAL]


def assert_numbers(parsed: Report, expected: Report, fields: list[str] | tuple[str, ...] = TABLE_FIELDS) -> None:
    want = stated(expected)
    wrong = {fid: (want[fid], parsed.values.get(fid)) for fid in fields if parsed.values.get(fid) != want[fid]}
    assert not wrong, f"{len(wrong)} cells differ (expected, parsed): {dict(list(wrong.items())[:6])}"


def busy_report(seed: int) -> Report:
    """A random report with many non-zero numbers, so a shifted column cannot go unnoticed."""
    return random_report(random.Random(seed), scale=200)


# ---------------------------------------------------------------------------
# The seed
# ---------------------------------------------------------------------------

def test_seed_parses_completely():
    result = parse_file(SEED_TEXT)
    assert result.coverage.complete, result.coverage.missing
    assert result.coverage.tables_found == ["二", "三", "四"]
    for fid in TABLE_FIELDS:
        assert result.report.values[fid] is not None, fid
        assert result.report.values[fid] == 0, fid
    assert sorted(result.coverage.read) == sorted([*TABLE_FIELDS, "cover_agency_name", "cover_year"])
    assert result.warnings == []


def test_seed_cover_and_narratives():
    result = parse_file(SEED_TEXT)
    v = result.report.values
    assert v["cover_agency_name"] == "孟津区西霞院街道办事处"
    assert v["cover_year"] == 2024
    assert str(v["n1_proactive"]).startswith("2024 年, 西霞院街道严格执行")
    assert str(v["n1_on_request"]).endswith("本年度未收到政府信息公开申请。")
    assert "保密审查制度" in str(v["n1_oversight"])
    assert str(v["n5_problems"]).startswith("当前，我街道在政务公开方面仍存在部分问题")
    assert "针对上述问题" in str(v["n5_problems"])
    assert v["n6_other"] == "本单位 2024 年度未收取政府信息公开信息处理费"
    # the seed states no fee figures: they are missing, not 0
    for fid in FEE_FIELDS:
        assert v[fid] is None
        assert fid in result.coverage.missing


def test_seed_validates_clean():
    result = validate_published(SEED_TEXT)
    assert result.readable
    assert result.findings == []
    assert result.status == "通过"


# ---------------------------------------------------------------------------
# The seed's web-page layout with other numbers, and messy variants of it
# ---------------------------------------------------------------------------

VARIANTS = {
    "tabs": {},
    "single spaces": {"sep": " "},
    "double spaces, 全角 digits and brackets": {"sep": "  ", "fullwidth": True, "brackets": "full"},
    "半角 brackets": {"brackets": "half"},
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("seed", range(6))
def test_seed_layout_with_numbers(variant: str, seed: int):
    report = busy_report(seed)
    result = parse_text(seed_layout_text(report, **VARIANTS[variant]))  # type: ignore[arg-type]
    assert_numbers(result.report, report)
    assert result.coverage.complete
    assert result.report.values["cover_agency_name"] == report.agency
    assert result.report.values["cover_year"] == report.year


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), shift=st.integers(0, 10**9), sep=st.sampled_from(["\t", " ", "   "]),
       fullwidth=st.booleans(), squeeze=st.booleans())
def test_messy_text_round_trip(seed: int, shift: int, sep: str, fullwidth: bool, squeeze: bool):
    report = random_report(random.Random(seed), scale=150)
    text = seed_layout_text(report, fullwidth=fullwidth, shift=random.Random(shift))
    if squeeze:
        text = squeeze_labels(text)
    if sep != "\t":
        text = "\n".join(sep.join(c for c in line.split("\t") if c.strip()) for line in text.split("\n"))
    result = parse_text(text)
    assert_numbers(result.report, report)


def test_shifted_label_row_is_read():
    """(六)3.其他 sits in the first column in the seed; its numbers still belong to that row."""
    report = busy_report(7)
    v = stated(report)
    result = parse_text(seed_layout_text(report))
    for ckey, _ in (*S3_COLUMNS, ("total", "")):
        assert result.report.values[s3_id("other_misc", ckey)] == v[s3_id("other_misc", ckey)]


def test_amount_with_decimals():
    report = busy_report(3)
    report.values["s2_fees_amount"] = 12.3456
    result = parse_text(seed_layout_text(report, fullwidth=True))
    assert result.report.values["s2_fees_amount"] == pytest.approx(12.3456)


def test_missing_totals_columns():
    report = busy_report(11)
    result = parse_text(drop_totals_text(report))
    s3_s4 = [fid for fid in INPUTS if FORM.by_id[fid].section in ("三", "四")]
    assert_numbers(result.report, report, s3_s4)
    for fid in TOTALS:
        if FORM.by_id[fid].col_label == "总计":
            assert result.report.values[fid] is None, fid  # not printed: not invented
            assert "总计" in result.coverage.missing[fid]
    assert not result.coverage.complete
    # missing totals are not blanks: only the missing table 二 is reported, the balance still holds
    findings = validate_parsed(result)
    table = [f for f in findings if f.field in TABLE_FIELDS]
    assert [f.rule for f in table] == ["input.blank"]  # the ten cells of table 二 in one finding
    assert set(table[0].fields) == {fid for fid in INPUTS if FORM.by_id[fid].section == "二"}
    assert "表二有 10 格未读到数字" in table[0].message and "未找到表二" in table[0].message
    assert {f.rule for f in findings if f not in table} == {"narrative.required"}  # the text has no narratives


def test_extra_subtotal_column():
    report = busy_report(12)
    result = parse_text(org_subtotal_text(report))
    s3 = [fid for fid in TABLE_FIELDS if FORM.by_id[fid].section == "三"]
    assert_numbers(result.report, report, s3)


# ---------------------------------------------------------------------------
# HTML and Word
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(8))
def test_html_rowspan_colspan(seed: int):
    report = busy_report(100 + seed)
    result = parse_html(html_report(report, fullwidth=seed % 2 == 1))
    assert_numbers(result.report, report)
    assert result.coverage.complete
    assert result.report.values["cover_agency_name"] == report.agency
    assert result.report.values["cover_year"] == report.year
    assert result.report.values["n5_problems"] == report.values["n5_problems"]
    assert result.report.values["n1_platform"] == report.values["n1_platform"]


def test_html_file_in_gb18030(tmp_path: Path):
    report = busy_report(5)
    page = html_report(report).replace('charset="utf-8"', 'charset="gb2312"')
    path = tmp_path / "报告.htm"
    path.write_bytes(page.encode("gb18030"))
    result = parse_file(path)
    assert_numbers(result.report, report)


def test_html_with_text_tables_in_paragraphs():
    """Some pages carry the tables as text lines (<p> with spaces), not as <table>."""
    report = busy_report(21)
    text = seed_layout_text(report, sep="  ")
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</body></html>"
    result = parse_html(page)
    assert_numbers(result.report, report)


@pytest.mark.parametrize("seed", range(3))
def test_docx_merged_cells(tmp_path: Path, seed: int):
    report = busy_report(200 + seed)
    result = parse_docx(docx_report(report, tmp_path / "report.docx"))
    assert_numbers(result.report, report)
    assert result.coverage.complete
    assert result.report.values["cover_agency_name"] == report.agency
    assert result.report.values["n1_management"] == report.values["n1_management"]


def test_docx_with_text_tables(tmp_path: Path):
    """A Word file whose tables were pasted as tab-separated paragraphs."""
    import docx

    report = busy_report(31)
    d = docx.Document()
    for line in seed_layout_text(report).split("\n"):
        d.add_paragraph(line)
    path = tmp_path / "pasted.docx"
    d.save(str(path))
    assert_numbers(parse_file(path).report, report)


# ---------------------------------------------------------------------------
# Never invent a number
# ---------------------------------------------------------------------------

def _replace_row(text: str, label: str, new: str | None) -> str:
    lines = text.split("\n")
    hit = [i for i, line in enumerate(lines) if label in line]
    assert len(hit) == 1, hit
    if new is None:
        del lines[hit[0]]
    else:
        lines[hit[0]] = new
    return "\n".join(lines)


def test_blank_cell_is_missing_not_zero():
    report = busy_report(41)
    text = seed_layout_text(report)
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if "2. 重复申请" in line)
    cells = lines[i].split("\t")
    first = next(n for n, c in enumerate(cells) if c.strip().isdigit())
    cells[first + 1] = "—"  # 商业企业 column
    lines[i] = "\t".join(cells)
    result = parse_text("\n".join(lines))
    fid = s3_id("reject_repeat", "commercial")
    assert result.report.values[fid] is None
    assert fid in result.coverage.missing
    assert result.report.values[s3_id("reject_repeat", "natural")] == stated(report)[s3_id("reject_repeat", "natural")]
    findings = validate_parsed(result)
    assert not [f for f in findings if f.rule == "input.blank"]
    (blank,) = [f for f in findings if f.rule == "format.blank_cells"]  # printed “—”: none, not a number
    assert blank.fields == (fid,) and "表三有 1 格空着或印作“—”" in blank.message


def test_dropped_row_is_missing():
    report = busy_report(42)
    text = _replace_row(seed_layout_text(report), "5. 属于三类内部事务信息", None)
    result = parse_text(text)
    ids = [s3_id("deny_internal", c) for c, _ in (*S3_COLUMNS, ("total", ""))]
    for fid in ids:
        assert result.report.values[fid] is None
        assert "未找到" in result.coverage.missing[fid]
    others = [fid for fid in TABLE_FIELDS if fid not in ids and not fid.startswith("s3_results_total")]
    assert_numbers(result.report, report, others)
    assert not result.coverage.complete


def test_row_with_wrong_number_of_cells_is_not_guessed():
    report = busy_report(43)
    text = _replace_row(seed_layout_text(report), "一、本年新收", "一、本年新收政府信息公开申请数量\t\t1\t2\t3")
    result = parse_text(text)
    for ckey, _ in (*S3_COLUMNS, ("total", "")):
        fid = s3_id("new", ckey)
        assert result.report.values[fid] is None
        assert "3 个数字" in result.coverage.missing[fid]


# ---------------------------------------------------------------------------
# Broken tables are flagged with the right rule
# ---------------------------------------------------------------------------

def test_broken_reconciliation_is_flagged():
    report = busy_report(51)
    broken = Report(dict(report.values))
    broken.values[s3_id("new", "natural")] = int(report.values[s3_id("new", "natural")] or 0) + 3  # type: ignore[arg-type]
    result = validate_published_text(seed_layout_text(broken))
    rules = {(f.rule, f.field) for f in result}
    assert ("s3.balance", s3_id("results_total", "natural")) in rules
    assert ("s3.balance", s3_id("results_total", "total")) in rules
    # (the seed's narrative says no applications were received, hence also narrative.contradiction)
    assert {f.rule for f in result if not f.rule.startswith("narrative.")} == {"s3.balance"}


def test_wrong_stated_total_is_kept_and_flagged():
    report = busy_report(52)
    text = seed_layout_text(report)
    v = stated(report)
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("二、上年结转"))
    cells = lines[i].split("\t")
    last = max(n for n, c in enumerate(cells) if c.strip().isdigit())
    cells[last] = str(int(v[s3_id("carried", "total")]) + 5)  # type: ignore[call-overload]
    lines[i] = "\t".join(cells)
    result = parse_text("\n".join(lines))
    assert result.report.values[s3_id("carried", "total")] == int(v[s3_id("carried", "total")]) + 5  # type: ignore[call-overload]
    findings = validate_parsed(result)
    assert ("s3.row_total", s3_id("carried", "total")) in {(f.rule, f.field) for f in findings}
    assert all(f.rule in ("s3.row_total", "s3.balance") for f in findings)


def validate_published_text(text: str):
    return validate_parsed(parse_text(text))


def test_results_total_row_label_matches_form():
    """Every data row of table 三 is recognised by its label alone (no position needed)."""
    report = busy_report(60)
    lines = seed_layout_text(report).split("\n")
    rnd = random.Random(1)
    head_end = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    tail_start = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开行政复议"))
    rows = lines[head_end:tail_start]
    body = [r for r in rows if r.strip()]
    rnd.shuffle(body)
    result = parse_text("\n".join(lines[:head_end] + body + lines[tail_start:]))
    for row in S3_ROWS:
        fid = s3_id(row.key, "natural")
        assert result.report.values[fid] == stated(report)[fid], row.label


# ---------------------------------------------------------------------------
# Unreadable files
# ---------------------------------------------------------------------------

def test_no_tables_is_read_error(tmp_path: Path):
    path = tmp_path / "notice.txt"
    path.write_text("关于做好2024年政务公开工作的通知\n各单位：请按要求报送。\n", encoding="utf-8")
    result = validate_published(path)
    assert not result.readable
    assert str(path) in str(result.read_error)
    assert "未找到年度报告的表格" in str(result.read_error)


def test_old_format_is_recognised(tmp_path: Path):
    path = tmp_path / "old.txt"
    path.write_text("某某局2017年政府信息公开工作年度报告\n一、概述\n二、主动公开政府信息情况\n三、政府信息公开的收费及减免情况\n",
                    encoding="utf-8")
    result = validate_published(path)
    assert not result.readable
    assert "旧格式" in str(result.read_error)


@pytest.mark.parametrize("name, content", [
    ("broken.docx", b"PK\x03\x04 not really a zip"),
    ("old.doc", b"\xd0\xcf\x11\xe0 legacy"),
    ("data.pdf", b"%PDF-1.4"),
])
def test_bad_files_raise_parse_error(tmp_path: Path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ParseError) as info:
        parse_file(path)
    assert str(path) in str(info.value)
    result = validate_published(path)
    assert not result.readable and str(path) in str(result.read_error)


def test_missing_file(tmp_path: Path):
    result = validate_published(tmp_path / "nope.html")
    assert result.read_error and "不存在" in result.read_error


def test_html_inside_layout_table():
    """Government sites often wrap the whole article in a layout table."""
    report = busy_report(71)
    page = html_report(report)
    body = page[page.index("<body>") + 6:page.index("</body>")]
    wrapped = ("<html><body><table width='100%'><tr><td>网站导航</td></tr><tr><td>" + body
               + "</td></tr><tr><td>版权所有</td></tr></table></body></html>")
    result = parse_html(wrapped)
    assert_numbers(result.report, report)
    assert result.report.values["cover_agency_name"] == report.agency


@pytest.mark.parametrize("title, agency, year", [
    ("某某县财政局2024年政府信息公开工作年度报告", "某某县财政局", 2024),
    ("2023年度某某镇人民政府政府信息公开工作年度报告", "某某镇人民政府", 2023),
    ("某某县教育局\n二〇二二年政府信息公开工作年度报告", "某某县教育局", 2022),
    ("《某某街道办事处 2025 年政府信息公开工作年度报告》", "某某街道办事处", 2025),
])
def test_title_forms(title: str, agency: str, year: int):
    text = seed_layout_text(busy_report(72), title=False)
    result = parse_text(title + "\n" + text)
    assert result.report.values["cover_agency_name"] == agency
    assert result.report.values["cover_year"] == year


def test_tables_found_without_headings():
    report = busy_report(81)
    text = seed_layout_text(report).replace("二、主动公开政府信息情况", "").replace(
        "四、政府信息公开行政复议、行政诉讼情况", "")
    result = parse_text(text)
    assert_numbers(result.report, report)
    assert any("按表格内容识别" in n for n in result.coverage.notes)


def test_missing_table_four_is_not_invented():
    report = busy_report(82)
    text = seed_layout_text(report)
    a, b = text.index("四、政府信息公开行政复议"), text.index("五、存在的主要问题")
    result = parse_text(text[:a] + text[b:])
    s4 = [fid for fid in TABLE_FIELDS if FORM.by_id[fid].section == "四"]
    assert all(result.report.values[fid] is None for fid in s4)
    assert all(result.coverage.missing[fid] == "未找到表四" for fid in s4)
    assert result.coverage.tables_found == ["二", "三"]
    assert_numbers(result.report, report, [fid for fid in TABLE_FIELDS if fid not in s4])


@pytest.mark.parametrize("seed", range(4))
def test_pipe_separated_web_text(seed: int):
    """Some sites' text copies put “ | ” between cells and after the last one, with spaces inside labels."""
    report = busy_report(90 + seed)
    text = seed_layout_text(report, sep=" | ").replace("商业企业", "商业 企业").replace("科研机构", "科研 机构")
    text = "\n".join(line + " |" if " | " in line or line in ("规章", "行政许可") else line
                     for line in text.split("\n"))
    result = parse_text(text)
    assert_numbers(result.report, report)
    assert result.report.values["n5_problems"] and "|" not in str(result.report.values["n5_problems"])


def test_pipe_text_blank_cells_are_missing():
    report = busy_report(95)
    text = seed_layout_text(report, sep=" | ")
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("二、上年结转"))
    cells = lines[i].split(" | ")
    cells[2] = cells[3] = " "  # 商业企业, 科研机构 left blank
    lines[i] = " | ".join(cells) + " |"
    result = parse_text("\n".join(lines))
    v = stated(report)
    for ckey in ("commercial", "research"):
        assert result.report.values[s3_id("carried", ckey)] is None
    for ckey in ("natural", "ngo", "legal", "other", "total"):
        assert result.report.values[s3_id("carried", ckey)] == v[s3_id("carried", ckey)]


def test_one_cell_per_line_text():
    """Text where every cell sits on its own line ending in “ |” (as some sites copy their tables)."""
    report = busy_report(96)
    text = seed_layout_text(report)
    a, b = text.index("二、主动公开政府信息情况"), text.index("五、存在的主要问题")
    out = []
    for line in text[a:b].split("\n"):
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if not cells or cells[0].startswith(("二、主动", "三、收到", "四、政府")) and len(cells) == 1:
            out.append(line)
            continue
        out += [f"{c} |" for c in cells]
    result = parse_text(text[:a] + "\n".join(out) + "\n" + text[b:])
    assert_numbers(result.report, report)


def test_s4_header_split_character_by_character():
    """PDF text: the result labels of table 四 come out one or two characters per line."""
    report = busy_report(97)
    v = stated(report)
    values = " ".join(str(v[f.id]) for f in FORM.groups["section4"])
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n"
            "结 结 其 尚\n果 果 他 未 总\n维 纠 结 审 计\n持 正 果 结\n" + values + "\n五、存在的主要问题及改进情况\n无。\n")
    result = parse_text(text)
    s4 = [f.id for f in FORM.groups["section4"]]
    assert_numbers(result.report, report, s4)


def test_merged_cell_bomb_is_bounded(tmp_path: Path):
    import time

    cell = "<td rowspan='99999' colspan='99999'>1</td>"
    page = "<html><body><table>" + ("<tr>" + cell * 40 + "</tr>") * 150 + "</table></body></html>"
    path = tmp_path / "bomb.html"
    path.write_text(page, encoding="utf-8")
    start = time.process_time()
    result = validate_published(path)
    assert time.process_time() - start < 20
    assert not result.readable


def test_space_split_header_labels_and_blank_cell_not_guessed():
    """“商业 企业” split by a space is still a header label; a row missing one number is not guessed."""
    report = busy_report(98)
    text = seed_layout_text(report, sep=" ").replace("商业企业", "商业 企业")
    lines = text.split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    parts = lines[i].split(" ")
    del parts[2]  # one number lost (a blank cell in the original)
    lines[i] = " ".join(parts)
    result = parse_text("\n".join(lines))
    for ckey, _ in (*S3_COLUMNS, ("total", "")):
        assert result.report.values[s3_id("new", ckey)] is None
    assert_numbers(result.report, report, [fid for fid in TABLE_FIELDS if not fid.startswith("s3_new_")])
