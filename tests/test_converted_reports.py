"""Patterns of real reports as real engines convert them (tests/data/published/real/converted/).

The files were made from the corpus's real HTML reports by LibreOffice Writer and Chromium
(scripts/convert_real_reports.py); these tests read only the committed files, never the engines.
Each test is one pattern those engines produce, checked on the real file and, where it can be made
without the engine, on a small text of the same shape.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from xl_disclosure.readers.odt import odt_lines
from xl_disclosure.readers.pdf import (
    Char,
    Grid,
    TextLine,
    continues_columns,
    join_chars,
    label_cells,
    pdf_lines,
    read_pages,
    value_columns,
    value_split,
)
from xl_disclosure.readers.published import ParseError, parse_html, parse_text, text_lines
from xl_disclosure.readers.published_file import parse_file

CONVERTED = Path(__file__).parent / "data" / "published" / "real" / "converted"
CITY_CHROMIUM = CONVERTED / "city-2025-anonymised.chromium.pdf"


def test_flat_glyph_of_chromium_pdf_gets_an_em_box():
    # Chromium's PDFs give “一” and “二” no font box, only their outline: “一” is a stroke 1 pt tall
    pages = read_pages(CITY_CHROMIUM)
    flat = [c for p in pages for c in p.chars if c.bottom - c.top < 4]  # the running header's 7 pt is the least
    assert not flat, [c.text for c in flat[:10]]
    ones = [c for p in pages for c in p.chars if c.text == "一"]
    assert ones and all(11 <= c.bottom - c.top <= 13 for c in ones)  # the page's text is 12 pt


def test_row_starting_with_a_flat_glyph_stays_one_row():
    # “一、本年新收政府信息公开申请数量” was torn into “本年 府 13612 …” and “一、 新收政 信息公开申请数量”
    rows = [[t for _, t in line.cells] for line in pdf_lines(CITY_CHROMIUM) if "本年新收" in line.text]
    assert rows == [["一、本年新收政府信息公开申请数量", "13612", "252", "0", "45", "128", "32", "14069"]]


HEAD3_TORN = ("三、收到和处理政府信息公开申请情况\n"
              "申请人情况\n"
              "自然\n"
              "法人或其他组织 总计\n"
              "人\n"
              "商业 科研 社会公 法律服 其\n"
              "企业 机构 益组织 务机构 他\n"
              "一、本年新收政府信息公开申请数量 13612 252 0 45 128 32 14069\n")


def test_six_numbers_under_a_header_printing_a_total_are_not_placed():
    # a Chromium-printed table: the header's labels torn over lines, 总计 among them; a row shows six numbers
    # (the first glued to its wrapped label): one of its seven cells is blank, and which one is not known
    r = parse_text(HEAD3_TORN + "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开 3 0 0 0 0 318\n")
    v = r.report.values
    assert v["s3_new_natural"] == 13612 and v["s3_new_total"] == 14069
    assert all(v[f"s3_other_no_correction_{c}"] is None for c in ("natural", "commercial", "other", "total"))
    assert "无法确定各列" in r.coverage.missing["s3_other_no_correction_natural"]


def test_six_numbers_under_a_header_without_total_are_the_six_applicant_columns():
    text = HEAD3_TORN.replace(" 总计", "") + "1.属于国家秘密 3 0 0 0 0 1\n"
    v = parse_text(text).report.values
    assert (v["s3_deny_secret_natural"], v["s3_deny_secret_other"], v["s3_deny_secret_total"]) == (3, 1, None)


def _copied(rows: list[list[str]], *, bare: bool = False) -> str:
    """Rows as Chromium's innerText copies a table whose cells hold ``<p>`` (``bare``: cells without paragraphs)."""
    if bare:
        return "\n".join("\t".join(r) for r in rows)
    return "\n\n\n".join("\n\n\t\n\n".join(c if c else "\xa0" for c in r) for r in rows)


def test_browser_copy_of_paragraph_cells_is_put_back_into_rows():
    # 平潭 2023's TRS tables hold a <p> in every cell: copied, every cell is on a line of its own
    text = ("二、主动公开政府信息情况\n\n第二十条第（一）项\n\n\n\n" + _copied([
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["行政规范性文件", "77", "132", "470"]]) +
        "\n\n三、收到和处理政府信息公开申请情况\n\n" + _copied([
            ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
            ["一、本年新收政府信息公开申请数量", "80", "1", "0", "0", "0", "0", "81"],
            ["二、上年结转政府信息公开申请数量", "18", "", "", "", "", "", "18"]]) +
        "\n\n四、政府信息公开行政复议、行政诉讼情况\n\n五、存在的主要问题及改进情况\n\n无。\n")
    r = parse_text(text)
    v = r.report.values
    assert (v["s2_normative_issued"], v["s2_normative_repealed"], v["s2_normative_effective"]) == (77, 132, 470)
    assert v["s3_new_natural"] == 80 and v["s3_new_total"] == 81
    # blank cells (&nbsp;) keep their place: 18 is 自然人's and 总计's, the rest blank
    assert (v["s3_carried_natural"], v["s3_carried_commercial"], v["s3_carried_total"]) == (18, None, 18)
    assert "五" in r.coverage.sections_found  # the heading after the tables is not taken into a row
    # each number is cited at the line it is printed on, the row's label at its own line
    lines = text.split("\n")
    label = lines.index("一、本年新收政府信息公开申请数量")
    src = r.sources["s3_new_total"]
    assert (src["line"], src["excerpt"], src["label_line"]) == (lines.index("81", label) + 1, "81", label + 1)
    assert src["row_excerpt"] == "一、本年新收政府信息公开申请数量 80 1 0 0 0 0 81"
    assert r.sources["s3_new_natural"]["line"] == lines.index("80", label) + 1


def test_browser_copy_text_without_lone_tabs_is_left_to_the_one_cell_a_line_reading():
    # not a browser's copy (no lone tabs between cells): read as web text one cell a line (a short label, then
    # its numbers), not as the copy's paragraphs
    text = "规章\n\n0\n\n0\n\n0\n"
    assert [line.text for line in text_lines(text)] == ["规章 0 0 0"]


def test_table4_tab_row_with_its_last_cells_blank():
    # 上海市政府办公厅 2019, copied: table 四's row ends in five blank (&nbsp;) cells
    head = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n"
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n"
            + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2) + "\n")
    v = parse_text(head + "5\t\xa0\t\xa0\t2\t7\t8\t\xa0\t\xa0\t1\t9\t\xa0\t\xa0\t\xa0\t\xa0\t\xa0\n").report.values
    assert (v["s4_reconsideration_upheld"], v["s4_reconsideration_total"], v["s4_direct_suit_total"]) == (5, 7, 9)
    assert v["s4_suit_after_total"] is None and v["s4_reconsideration_corrected"] is None
    # a row one cell short of the table: which cell is missing is not known, nothing is placed
    v = parse_text(head + "5\t\xa0\t\xa0\t2\t7\t8\t\xa0\t\xa0\t1\t9\t\xa0\t\xa0\t\xa0\t\xa0\n").report.values
    assert all(v[f"s4_{g}_{res}"] is None for g in ("reconsideration", "direct_suit", "suit_after")
               for res in ("upheld", "total"))


def test_browser_copy_row_with_an_empty_first_cell_without_paragraph():
    # a bare empty first cell (<td></td>) gives no line of its own: the row starts with its tab
    text = ("第二十条第（一）项\n\n\n\n信息内容\n\n\t\n\n本年制发件数\n\n\t\n\n本年废止件数\n\n\n"
            "\t\n\n规章\n\n\t\n\n0\n\n\n\n\n行政规范性文件")
    assert [[t for _, t in line.cells] for line in text_lines(text)] == [
        ["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数"], ["规章", "0"], ["行政规范性文件"]]
    assert [line.width for line in text_lines(text)][1:3] == [3, 3]  # 规章 is in the row's second column


def _line(*pieces: tuple[float, str], top: float = 100.0, size: float = 12.0) -> TextLine:
    """A visual line of glyphs: each piece's text from x, CJK glyphs an em wide, digits half an em."""
    chars = []
    for x, text in pieces:
        for ch in text:
            w = size if ord(ch) > 0x2E80 else size / 2
            chars.append(Char(ch, x, x + w, top, top + size))
            x += w
    return TextLine(chars, 1)


def test_number_glued_to_its_label_is_a_value_where_it_stands_in_a_value_column():
    # Chromium and LibreOffice print an unbordered table with a cell padding of a quarter em: “行政规范性文件564”
    rules = _line((36, "规章"), (120, "3"), (190, "5"), (265, "74"), top=80)
    normative = _line((36, "行政规范性文件"), (120.5, "564"), (190, "984"), (265, "4185"))
    columns = value_columns([rules, normative])
    split = value_split(normative, columns)
    assert split is not None and join_chars(normative.chars[:split]) == "行政规范性文件"
    # out of the page's value columns, digits glued before two numbers set apart are still the row's first
    # value: they can only stand in the cell next to the label (a blank cell between would leave a gap), and no
    # label of the form ends in digits; a label spread over its cell glues them so in every row
    moved = _line((36, "行政规范性文件"), (120.5 - 30, "564"), (190, "984"), (265, "4185"))
    split = value_split(moved, columns)
    assert split is not None and join_chars(moved.chars[:split]) == "行政规范性文件"
    # before one number alone they stay in the label (“行政规范性文件564”, no row of the form)
    alone = _line((36, "行政规范性文件"), (120.5 - 30, "564"), (265, "4185"))
    split = value_split(alone, columns)
    assert split is not None and join_chars(alone.chars[:split]) == "行政规范性文件564"
    # a line of running text ending in digits is no row, whatever its place
    assert value_split(_line((36, "主动公开政府信息"), (132, "13561")), []) is None


def test_label_in_two_columns_is_read_column_by_column():
    # “三、本年度办理结果” wrapped in its own column beside “（一）予以公开”, the numbers on the middle line
    lines = [_line((60, "三、本年"), top=88), _line((60, "度办理结"), (118, "（一）予以公开"), top=100),
             _line((60, "果"), top=112)]
    assert label_cells(lines) == ["三、本年度办理结果", "（一）予以公开"]
    # a justified line's wide gap is no column: only a piece starting with a row's numbering starts one
    lines = [_line((104, "（二）部分公开（区分处理的，只计这一情"), (339, "形，不"), top=100),
             _line((104, "计其他情形）"), top=112)]
    assert label_cells(lines) == ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]


def test_unbordered_tables_printed_by_both_engines_read_every_row():
    for name in ("city-2025-anonymised.libreoffice.pdf", "city-2025-anonymised.chromium.pdf"):
        rows = {t[0] if len(t) > 1 else "": t[1:] for t in
                ([c for _, c in line.cells] for line in pdf_lines(CONVERTED / name))}
        assert rows["行政规范性文件"] == ["564", "984", "4185"], name
        assert rows["行政事业性收费"] == ["316441"], name
        assert any(k.endswith("不再处理其政府信息公开申请") and v[:2] == ["315", "3"] for k, v in rows.items()), name


S3_CELLS_HEAD = ("三、收到和处理政府信息公开申请情况\n申请人情况\n\n自然人\n法人或其他组织\n总计\n\n\n商业\n企业\n科研\n机构\n"
                 "社会公益组织\n法律服务机构\n其他\n\n")


def test_word_saved_as_text_one_cell_a_line_is_put_back_into_rows():
    # LibreOffice's plain-text export of the Word file: every cell on a line, “\xa0” for a cell printed blank
    text = S3_CELLS_HEAD + "\n".join([
        "一、本年新收政府信息公开申请数量", "821", "35", "\xa0", "\xa0", "2", "1", "859",
        "二、上年结转政府信息公开申请数量", "18", "\xa0", "\xa0", "\xa0", "\xa0", "\xa0", "18",
        "三、本年度办理结果", "（一）予以公开", "258", "12", "0", "0", "1", "1", "272", "",
        "（三）不予公开", "1.属于国家秘密", "14", "0", "0", "0", "0", "0", "14", "", ""]) + "\n"
    v = parse_text(text).report.values
    assert (v["s3_new_natural"], v["s3_new_research"], v["s3_new_legal"], v["s3_new_total"]) == (821, None, 2, 859)
    assert (v["s3_carried_natural"], v["s3_carried_commercial"], v["s3_carried_total"]) == (18, None, 18)
    assert (v["s3_open_natural"], v["s3_open_total"], v["s3_deny_secret_total"]) == (258, 272, 14)


def test_word_saved_as_text_row_cut_by_an_empty_line_is_not_placed():
    # an empty cell with no space in it is an empty line, like the end of a merged cell: the run stops there
    rows = ["1.属于国家秘密", "14", "0", "", "0", "0", "0", "14"] + ["2.重复申请", "1", "0", "0", "0", "0", "0", "1"] * 3
    v = parse_text(S3_CELLS_HEAD + "\n".join(rows) + "\n").report.values
    assert all(v[f"s3_deny_secret_{c}"] is None for c in ("natural", "commercial", "research", "other", "total"))
    assert v["s3_reject_repeat_total"] == 1


def test_text_with_rows_of_numbers_is_not_read_one_cell_a_line():
    # not Word saved as text (a line holds three numbers): thirty numbers under 规章 are no row of three cells
    text = "二、主动公开政府信息情况\n信息内容 本年制发件数 本年废止件数 现行有效件数\n" + "\n".join(
        ["规章", *["0"] * 30, "行政规范性文件 1 2 3"])
    v = parse_text(text).report.values
    assert v["s2_rules_issued"] is None and v["s2_rules_effective"] is None
    assert (v["s2_normative_issued"], v["s2_normative_effective"]) == (1, 3)


def test_running_text_ending_at_the_margin_is_not_split_by_a_right_aligned_column():
    # a column of right-aligned numbers ends at 300; a line of running text ending in digits ends there too
    rows = [_line((36, "规章"), (200, "3"), (288, "74"), top=80), _line((36, "行政许可"), (194, "15"), (282, "115"), top=92)]
    text = _line((102, "本年度共主动公开政府信息条目"), (270, "13561"), top=120)  # glued: 270–300
    assert value_split(text, value_columns(rows)) is None


def test_label_column_started_by_numbering_on_one_line_is_a_column_on_the_others():
    # A5 print: “三、本年度办理结果” wraps beside the three lines of （二）'s label, only the first of which is numbered
    lines = [_line((36, "本年"), (70, "（二）部分公开（区分"), top=88), _line((36, "度办"), (70, "处理的，只计这一情"), top=100),
             _line((36, "理结"), (70, "形，不计其他情形）"), top=112)]
    assert label_cells(lines) == ["本年度办理结", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]


def test_table_part_without_its_first_columns_continues_the_table():
    # Chromium closes a cell merged down the left (三、本年度办理结果) only on the page where it starts: on the
    # next page the grid of table 三 starts at its second column
    table = [35.0, 82.0, 135.0, 209.0, 234.0, 384.0]
    assert continues_columns(table, Grid(2, [82.0, 135.0, 209.0, 234.0, 384.0], [30.0, 50.0], []))
    assert not continues_columns(table, Grid(2, [82.0, 150.0, 209.0, 234.0, 384.0], [30.0, 50.0], []))  # a new column
    assert not continues_columns(table, Grid(2, [82.0, 135.0, 209.0, 234.0, 300.0], [30.0, 50.0], []))  # narrower
    lines = pdf_lines(CONVERTED / "shanghai-bangongting-2019.chromium-a5.pdf")
    header = next(line for line in lines if line.table and "法人或其他组织" in line.text)
    last = next(line for line in lines if "结转下年度继续办理" in line.text)
    assert last.table == header.table and last.page is not None and header.page is not None
    assert last.page > header.page + 1  # the table runs over pages whose parts lack its first column


# ---------------------------------------------------------------- the Word file as XHTML and OpenDocument

def test_xhtml_page_with_its_xml_declaration_is_read_as_html():
    # LibreOffice's XHTML export starts “<?xml version="1.0" encoding="UTF-8"?>”: lxml refuses a decoded page
    # that declares its encoding, so the page was refused (“无法解析 HTML”) even when named .html
    page = (CONVERTED / "shanghai-bangongting-2019.libreoffice.xhtml").read_text(encoding="utf-8")
    assert page.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    v = parse_html(page).report.values
    assert (v["s3_new_natural"], v["s3_new_commercial"], v["s3_new_total"]) == (821, 35, 859)
    small = ('<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
             "<p>二、主动公开政府信息情况</p><table><tr><td>第二十条第（五）项</td></tr><tr><td>信息内容</td>"
             "<td>本年处理决定数量</td></tr><tr><td>行政许可</td><td>2629</td></tr></table></body></html>")
    assert parse_html(small).report.values["s2_licensing_decisions"] == 2629


ODT = CONVERTED / "shanghai-bangongting-2019.libreoffice.odt"


def test_odt_table_rows_expand_merged_cells_as_a_page_does():
    # 三、本年度办理结果 spans 22 rows and （三）不予公开 8: every row of the grid carries them (covered cells)
    secret = next(line for line in odt_lines(ODT) if "1.属于国家秘密" in line.text)
    assert secret.table is not None
    assert secret.cover[:3] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert [t for _, t in secret.cells] == ["（三）不予公开", "1.属于国家秘密", "14"]  # blank cells stay blank
    assert secret.cover[3] == "14" and len(secret.cover) == 10
    after = next(line for line in odt_lines(ODT) if "5.属于三类内部事务信息" in line.text)
    assert after.cover[:2] == ["三、本年度办理结果", "（三）不予公开"]  # covered by the cells above
    assert [t for _, t in after.cells] == ["5.属于三类内部事务信息", "5"]


def test_odt_paragraph_text_keeps_spans_and_spaces():
    texts = [line.text for line in odt_lines(ODT) if line.table is None]
    assert "一、总体情况" in texts
    assert any(t.startswith("2019年上海市人民政府办公厅政府信息公开工作年度报告") for t in texts)


def _odt(tmp_path: Path, content: bytes, mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> Path:
    path = tmp_path / "年度报告.odt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", mimetype)
        zf.writestr("content.xml", content)
    return path


_ODT_BODY = ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>{}'
             '</office:text></office:body></office:document-content>')


def test_odt_written_by_hand_reads_rows_with_spans_and_repeats(tmp_path):
    body = ('<text:h>二、主动公开政府信息情况</text:h><table:table>'
            '<table:table-row><table:table-cell table:number-columns-spanned="3"><text:p>第二十条第（五）项</text:p>'
            '</table:table-cell><table:covered-table-cell/><table:covered-table-cell/></table:table-row>'
            '<table:table-row><table:table-cell><text:p>信息内容</text:p></table:table-cell>'
            '<table:table-cell table:number-columns-spanned="2"><text:p>本年处理<text:line-break/>决定数量</text:p>'
            '</table:table-cell><table:covered-table-cell/></table:table-row><table:table-row>'
            '<table:table-cell><text:p><text:span>行政</text:span>许可</text:p></table:table-cell>'
            '<table:table-cell table:number-columns-spanned="2"><text:p>2629</text:p></table:table-cell>'
            '<table:covered-table-cell/></table:table-row></table:table>')
    v = parse_file(_odt(tmp_path, _ODT_BODY.format(body).encode())).report.values
    assert v["s2_licensing_decisions"] == 2629


def test_odt_that_is_a_spreadsheet_or_damaged_is_refused_in_words(tmp_path):
    sheet = _odt(tmp_path, _ODT_BODY.format("").encode(), b"application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(ParseError, match=r"年度报告\.odt：无法作为 OpenDocument 文本（\.odt）文件打开"):
        parse_file(sheet)
    damaged = tmp_path / "损坏.odt"
    damaged.write_bytes(b"PK\x03\x04" + bytes(200))
    with pytest.raises(ParseError, match=r"损坏\.odt：无法作为 OpenDocument 文本（\.odt）文件打开"):
        parse_file(damaged)


def test_odt_with_a_dtd_is_refused_unread(tmp_path):
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "2629">]>' + _ODT_BODY.format("<text:p>&e;</text:p>").encode()
    with pytest.raises(ParseError, match="含有文档类型定义"):
        parse_file(_odt(tmp_path, evil))


# ---------------------------------------------------------------- pandoc's Markdown and plain text

PANDOC_MD = CONVERTED / "pingtan-2023.pandoc.md"
PANDOC_TXT = CONVERTED / "shanghai-bangongting-2019.pandoc.txt"


def test_raw_html_table_in_markdown_is_read_as_a_table_citing_the_line_of_each_cell():
    # pandoc's gfm keeps a table with merged cells as raw HTML, one <td> a line: read as the page's table was
    r = parse_file(PANDOC_MD)
    assert r.report.values["s3_new_natural"] == 80 and r.report.values["s3_new_total"] == 81
    src = r.sources["s3_new_natural"]
    raw = PANDOC_MD.read_text(encoding="utf-8").split("\n")
    assert raw[src["line"] - 1] == "<td><p>80</p></td>" and "table" in src and src["column"] == 4


def test_raw_html_table_in_text_with_the_text_around_it():
    text = ("二、主动公开政府信息情况\n\n<table>\n<tr><td>第二十条第（五）项</td></tr>\n"
            "<tr><td>信息内容</td><td>本年处理决定数量</td></tr>\n<tr>\n<td>行政许可</td>\n<td>2629</td>\n</tr>\n"
            "</table>\n\n三、收到和处理政府信息公开申请情况\n")
    r = parse_text(text)
    assert r.report.values["s2_licensing_decisions"] == 2629
    assert r.sources["s2_licensing_decisions"]["line"] == 8  # the line of its <td>
    assert "三" in r.coverage.sections_found


def test_unclosed_raw_table_is_left_as_text_and_places_nothing():
    # near miss: “<table” that never closes is no table; its rows are not read as a grid
    text = "二、主动公开政府信息情况\n<table>\n<tr><td>行政许可</td><td></td><td>2629</td>\n"
    lines = text_lines(text)
    assert all(line.table is None for line in lines)


def test_table_drawn_with_dashes_is_cut_at_its_columns_blank_cells_kept():
    # pandoc's plain text: a CJK character two columns wide; “1.属于国家秘密” with 14 under 自然人, the rest blank
    r = parse_file(PANDOC_TXT)
    v = r.report.values
    assert [v[f"s3_deny_secret_{c}"] for c in ("natural", "commercial", "research", "ngo", "legal", "other",
                                                "total")] == [14, None, None, None, None, None, None]
    assert "s3_deny_secret_commercial" in r.coverage.blank  # printed blank: known blank, not unread
    raw = PANDOC_TXT.read_text(encoding="utf-8").split("\n")
    assert "1.属于国家秘密" in raw[r.sources["s3_deny_secret_natural"]["line"] - 1]


def test_dash_table_header_labels_cover_the_columns_under_them():
    # table 四: “行政诉讼” over “未经复议直接起诉 … 复议后起诉” over five results each, the row 5 · · 2 7 8 · · 1 9
    v = parse_file(PANDOC_TXT).report.values
    assert (v["s4_reconsideration_upheld"], v["s4_reconsideration_corrected"], v["s4_reconsideration_total"]) == \
        (5, None, 7)
    assert (v["s4_direct_suit_upheld"], v["s4_direct_suit_pending"], v["s4_direct_suit_total"]) == (8, 1, 9)


def _drawn(rows: list[list[str]], widths: list[int]) -> str:
    """``rows`` drawn as pandoc draws a table: cells padded to ``widths`` display columns, a CJK character two."""
    def pad(text: str, width: int) -> str:
        return text + " " * (width - sum(2 if "\u4e00" <= ch <= "\u9fff" or ch in "（）、" else 1 for ch in text))
    rule = "  " + " ".join("-" * w for w in widths)
    body = ["  " + " ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join([rule, *body, rule]) + "\n"


WIDTHS = [34, 8, 16, 8, 8, 8, 4, 6]
DASH = "三、收到和处理政府信息公开申请情况\n\n" + _drawn([
    ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "商业企业", "科研机构", "社会公益", "法律服务", "其他", ""],
    ["一、本年新收政府信息公开申请数量", "5", "1", "", "", "", "", "6"],
], WIDTHS)


def test_dash_table_row_with_blank_cells_is_read_by_position():
    v = parse_text(DASH).report.values
    assert [v[f"s3_new_{c}"] for c in ("natural", "commercial", "research", "total")] == [5, 1, None, 6]


def test_dash_table_whose_text_crosses_a_column_edge_is_not_read_by_position():
    # near miss: a number printed over the edge between two columns (“12” from 自然人's into 商业企业's): the
    # table is no clean grid, and the row of three numbers for seven columns is left unread, never shifted
    shifted = DASH.replace("5        1 ", "5       12 ")
    assert shifted != DASH
    lines = text_lines(shifted)
    assert all(line.table is None for line in lines)
    v = parse_text(shifted).report.values
    assert all(v.get(f"s3_new_{c}") is None for c in ("natural", "commercial", "research", "total"))


def test_table_pandoc_wrote_as_placeholder_is_said_lost_and_no_other_table_taken_for_it():
    r = parse_file(CONVERTED / "pingtan-2023.pandoc.txt")
    assert all(r.report.values.get(f) is None for f in ("s3_new_natural", "s3_results_total_total"))
    assert not r.coverage.blank  # table 四's header is not read as a row of 三 printed blank
    assert any("[TABLE]" in n and "转换" in n for n in r.coverage.notes)
    assert r.report.values["s4_reconsideration_total"] == 2  # table 四, drawn with dashes, read


PANDOC_PIPES = CONVERTED / "shanghai-bangongting-2019.pandoc.md"


def test_aligned_markdown_table_is_a_grid_its_blank_cells_known_blank():
    # pandoc's gfm draws 上海's table 三 as a pipe table padded to its columns, the merged cells flattened: the
    # row “| | （三）不予公开 | 1.属于国家秘密 | 14 | | … |” has 14 under 自然人 and its other cells printed blank
    r = parse_file(PANDOC_PIPES)
    v = r.report.values
    assert [v[f"s3_deny_secret_{c}"] for c in ("natural", "commercial", "total")] == [14, None, None]
    assert {"s3_deny_secret_commercial", "s3_deny_secret_total"} <= set(r.coverage.blank)
    src = r.sources["s3_deny_secret_natural"]
    raw = PANDOC_PIPES.read_text(encoding="utf-8").split("\n")
    assert "1.属于国家秘密" in raw[src["line"] - 1] and "table" in src


def _pipes(rows: list[list[str]], widths: list[int]) -> str:
    def pad(text: str, width: int) -> str:
        return text + " " * (width - sum(2 if "\u4e00" <= ch <= "\u9fff" or ch in "（）、" else 1 for ch in text))
    line = ["|" + "|".join(" " + pad(c, w) + " " for c, w in zip(r, widths, strict=True)) + "|" for r in rows]
    return "\n".join([line[0], "|" + "|".join("-" * (w + 2) for w in widths) + "|", *line[1:]]) + "\n"


PIPE_ROWS = [
    ["", "自然人", "法人或其他组织", "", "总计"],
    ["", "", "商业企业", "科研机构", ""],
    ["一、本年新收政府信息公开申请数量", "5", "", "1", "6"],
    ["二、上年结转政府信息公开申请数量", "", "", "", "0"],
]


def test_aligned_markdown_table_row_with_blank_cells_is_read_by_position():
    text = "三、收到和处理政府信息公开申请情况\n\n" + _pipes(PIPE_ROWS, [34, 8, 16, 8, 4])
    lines = [line for line in text_lines(text) if line.table is not None]
    assert len(lines) == 4 and lines[1].cover[1] == "自然人"  # 自然人 merged down to the header's last row
    assert [t for _, t in lines[2].cells] == ["一、本年新收政府信息公开申请数量", "5", "1", "6"]
    assert lines[2].cover[2] == "" and lines[2].text_line == 6


def test_markdown_table_not_drawn_aligned_or_too_short_is_read_as_text():
    # near misses: the same rows unpadded (an extraction tool's Markdown), and an aligned table of one row
    ragged = "\n".join("| " + " | ".join(r) + " |" for r in PIPE_ROWS[:1]) + "\n|---|---|---|---|---|\n" + \
        "\n".join("| " + " | ".join(r) + " |" for r in PIPE_ROWS[1:]) + "\n"
    short = _pipes(PIPE_ROWS[2:3], [34, 8, 16, 8, 4])
    for text in (ragged, short):
        assert all(line.table is None for line in text_lines(text)), text


# ---------------------------------------------------------------- single-file web pages (.mht/.mhtml)

def test_page_saved_as_a_single_file_reads_as_the_page():
    # Chromium's “网页，单个文件”: the page quoted-printable inside a MIME message; read as an .html it gave nothing
    path = CONVERTED / "city-2025-anonymised.chromium.mhtml"
    assert "quoted-printable" in path.read_text(encoding="utf-8")[:2000]
    assert parse_file(path).report.values["s3_new_total"] == 14069
    assert parse_html(path.read_text(encoding="utf-8")).report.values.get("s3_new_total") is None


def test_word_single_file_web_page_in_gb2312(tmp_path):
    # Word's “单个文件网页” (.mht): a multipart/related message, the page in the charset it names
    from email.charset import QP, Charset
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    page = ("<html><body><p class=MsoNormal>二、主动公开政府信息情况</p><table><tr><td><p class=MsoNormal>"
            "第二十条第（五）项</p></td></tr><tr><td><p class=MsoNormal>信息内容</p></td><td><p class=MsoNormal>"
            "本年处理决定数量</p></td></tr><tr><td><p class=MsoNormal><span lang=EN-US>行政许可<o:p></o:p></span>"
            "</p></td><td><p class=MsoNormal><span lang=EN-US>2629</span></p></td></tr></table></body></html>")
    message = MIMEMultipart("related")
    charset = Charset("gb2312")
    charset.body_encoding = QP  # as Word writes it
    message.attach(MIMEText(page, "html", charset))
    path = tmp_path / "年度报告.mht"
    path.write_bytes(message.as_bytes())
    assert b"2629" in path.read_bytes() and "行政许可".encode("gb2312") not in path.read_bytes()  # encoded
    assert parse_file(path).report.values["s2_licensing_decisions"] == 2629


def test_mht_without_a_page_is_refused_in_words(tmp_path):
    path = tmp_path / "年度报告.mht"
    path.write_text("MIME-Version: 1.0\nContent-Type: text/plain\n\n二、主动公开政府信息情况\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"年度报告\.mht：扩展名是 \.mht/\.mhtml，但文件中没有网页内容"):
        parse_file(path)


def test_multiline_dash_table_joins_the_lines_of_each_row():
    # pandoc's plain text of the Word file: the Word table's widths make a multiline table, a blank line
    # between rows, “本年新 / 制作数量” a header cell over two lines
    path = CONVERTED / "shanghai-bangongting-2019.pandoc-docx.txt"
    lines = [line for line in text_lines(path.read_text(encoding="utf-8")) if line.table is not None]
    header = next(line for line in lines if line.cells and line.cells[0][1] == "信息内容")
    assert [t for _, t in header.cells] == ["信息内容", "本年新 制作数量", "本年新 公开数量", "对外公开总数量"]
    assert header.cell_lines is None  # every cell starts on the row's first line
    v = parse_file(path).report.values
    assert [v[f"s3_deny_secret_{c}"] for c in ("natural", "commercial", "total")] == [14, None, None]


def test_multiline_dash_table_cell_starting_on_a_later_line_cites_that_line():
    rule = "  " + "-" * 20 + " " + "-" * 8
    at = " " * 23  # the second column starts at display column 23
    text = "\n".join([rule, "  第二十条第（五）项", "", "  信息内容" + " " * 13 + "本年处理", at + "决定数量", "",
                      "  行政许可", at + "2629", rule]) + "\n"
    lines = [line for line in text_lines(text) if line.table is not None]
    assert [t for _, t in lines[2].cells] == ["行政许可", "2629"] and lines[2].text_line == 7
    assert lines[2].cell_lines == {1: (8, "2629")}


def test_odt_cells_repeated_past_the_bound_are_refused_before_expanding(tmp_path):
    # 3,000 cells each repeated 100 times stand for 300,000 cells: past the document's 200,000, counted first
    row = '<table:table-cell table:number-columns-repeated="100"><text:p>0</text:p></table:table-cell>' * 30
    body = "<table:table>" + f"<table:table-row>{row}</table:table-row>" * 100 + "</table:table>"
    with pytest.raises(ParseError, match="单元格超过"):
        parse_file(_odt(tmp_path, _ODT_BODY.format(body).encode()))


def test_mht_of_too_many_parts_is_refused_before_parsing(tmp_path):
    path = tmp_path / "年度报告.mht"
    parts = "".join("--b\nContent-Type: image/png\n\nx\n" for _ in range(10_000))
    path.write_text(f'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b"\n\n{parts}--b--\n',
                    encoding="utf-8")
    with pytest.raises(ParseError, match="部件超过 2000 个"):
        parse_file(path)
