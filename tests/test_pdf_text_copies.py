"""Text copied out of a PDF: what poppler's ``pdftotext`` (default, ``-layout``, ``-raw``) and PDFium (a browser's
PDF viewer) print for the corpus PDFs, one pattern a test, from their real lines (tests/data/published/real/
converted/*.pdftotext*.txt, *.pdfium.txt), each with near-misses that must place nothing."""

from __future__ import annotations

import pytest

from xl_disclosure.form import S3_COLUMNS, S3_TOTAL_COLUMN, s3_id
from xl_disclosure.readers.published import parse_text, validate_parsed

HEAD3 = "三、收到和处理政府信息公开申请情况\n自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
COLUMNS = [c for c, _ in S3_COLUMNS] + [S3_TOTAL_COLUMN[0]]


def row(r, key: str) -> list[int | float | None]:
    return [r.report.values[s3_id(key, c)] for c in COLUMNS]  # type: ignore[misc]


def placed(r) -> set[str]:
    """Rows of table 三 with at least one number placed."""
    return {f.split("_", 1)[1].rsplit("_", 1)[0] for f, v in r.report.values.items()
            if f.startswith("s3_") and isinstance(v, int | float)}


# --- a label wrapped so that its continuation line ends in “不计其他” -------------------------------------

#: 平潭 2023 printed by Chromium on A5, ``pdftotext -layout``: （二）部分公开's label wraps one word earlier than
#: on A4, and the line carrying its numbers ends in “不计其他”.
PARTIAL_WRAPPED = ("  三、本 （一）予以公开       22 0 0 0                                        0   0 22\n"
                   "  年度办\n"
                   "  理结果 （二）部分公开（区分处理\n"
                   "      的，只计这一情形，不计其他 19 1 0 0                                        0   0 20\n"
                   "      情形）\n"
                   "             （三） 1.属于国家秘密 0 0 0 0                                   0   0 0\n")


def test_continuation_ending_in_qita_is_the_wrapped_label_not_item_3_other():
    r = parse_text(HEAD3 + PARTIAL_WRAPPED)
    assert row(r, "partial") == [19, 1, 0, 0, 0, 0, 20]
    assert row(r, "other_misc") == [None] * 7
    assert row(r, "open") == [22, 0, 0, 0, 0, 0, 22]
    assert row(r, "deny_secret") == [0] * 7
    assert r.sources[s3_id("partial", "natural")]["line"] == 6


def test_item_3_other_after_its_numbering_is_still_read():
    for line in ("3.其他 941 17 0 1 3 3 965\n", "（六）其他处理 3.其他\t1\t0\t0\t0\t0\t0\t1\n",
                 "                         3.其他                        1      0 0 0       0       0 1\n"):
        r = parse_text(HEAD3 + line)
        assert row(r, "other_misc")[0] in (941, 1), line


# --- a row of numbers alone below a label, right after numbers no row took --------------------------------

#: 测试市 2025 printed by Chromium on A5, default ``pdftotext``: the numbers of 3.其他 come before its label,
#: the line below “3.其他” is （七）总计's.
OTHER_AFTER_ORPHANS = ("5.要求行政机关\n确认或重新出 5 0 0 0\n具已获取信息\n2.申请人逾期未\n按收费通知要\n求缴纳费用、 202 0 0 1 0 0 203\n行政机关不再\n处理其政府信\n"
                       "息公开申请\n941 17 0 1 3\n3 965\n3.其他\n13364 252 0 44 121 29 13810\n（七）总计\n783 6\n"
                       "0 2 25 3 819\n四、结转下年度继续办理\n")


def test_numbers_below_a_label_after_numbers_no_row_took_are_not_placed():
    r = parse_text(HEAD3 + OTHER_AFTER_ORPHANS)
    assert row(r, "other_unpaid") == [202, 0, 0, 1, 0, 0, 203]  # its numbers beside its own label's line
    assert row(r, "other_misc") == [None] * 7
    assert row(r, "results_total") == [None] * 7
    assert "未能对应行名的数字" in r.coverage.missing[s3_id("other_misc", "natural")]


def test_numbers_below_a_label_right_after_a_row_read_are_its_own():
    # PDFium's text of the same page: each row's numbers on the line after its label's last line (or on it)
    text = ("2.重复申请 147 1 0 0 0 0 148\n3.要求提供公开\n出版物\n0 0 0 0 0 0 0\n4.无正当理由大\n量反复申请\n"
            "100 1 0 0 0 0 101\n5.要求行政机关\n确认或重新出\n具已获取信息\n5 0 0 0 0 0 5\n（六）\n其他处\n理\n"
            "1.申请人无正当\n理由逾期不补\n正、行政机关\n不再处理其政\n315 3 0 0 0 0 318\n"
            "12/2/26, 5:16 AM 测试市2025年政府信息公开工作年度报告\n"
            "file:///tmp/convert-reports-2g8bs_4u/city-2025-anonymised.a5.html 3/5\n府信息公开申\n请\n"
            "2.申请人逾期未\n按收费通知要\n求缴纳费用、\n行政机关不再\n处理其政府信\n息公开申请\n202 0 0 1 0 0 203\n"
            "3.其他 941 17 0 1 3 3 965\n（七）总计 13364 252 0 44 121 29 13810\n")
    r = parse_text(HEAD3 + text)
    assert row(r, "reject_confirm") == [5, 0, 0, 0, 0, 0, 5]
    assert row(r, "reject_massive") == [100, 1, 0, 0, 0, 0, 101]
    assert row(r, "other_unpaid") == [202, 0, 0, 1, 0, 0, 203]
    assert row(r, "other_misc") == [941, 17, 0, 1, 3, 3, 965]
    assert row(r, "results_total") == [13364, 252, 0, 44, 121, 29, 13810]


# --- one cell a line, where a blank cell prints nothing --------------------------------------------------

#: 上海市政府办公厅 2019 as LibreOffice exports it, default ``pdftotext``: labels in a block, then a column of
#: numbers one a line; the report's blank cells print nothing, so the seven numbers below “5.属于三类内部事务信息”
#: are cells of other rows.
LABEL_BLOCK = ("3.补正后申请内容仍不明\n确\n\n25\n\n6.属于四类过程性信息\n7.属于行政执法案卷\n\n（五）不 1.信访举报投诉类申请\n"
               "予处理\n2.重复申请\n3.要求提供公开出版物\n4.无正当理由大量反复申\n请\n\n859\n18\n\n"
               "2.其他法律行政法规禁止\n公开\n\n（三）不 4.保护第三方合法权益\n予公开\n5.属于三类内部事务信息\n\n"
               "1\n\n148\n\n1\n\n5\n\n4\n\n1\n\n1\n\n5.要求行政机关确认或重\n新出具已获取信息\n（六）其他处理\n")


def test_numbers_one_a_line_below_a_block_of_labels_are_not_placed():
    r = parse_text(HEAD3 + LABEL_BLOCK)
    assert placed(r) <= {"unable_unclear"}  # “确 / 25”: one number for seven cells, not placed either
    assert row(r, "deny_internal") == [None] * 7
    assert "另有未带数字的行名" in r.coverage.missing[s3_id("deny_internal", "natural")]


def test_numbers_one_a_line_below_their_own_label_are_read():
    # 平潭 2023 as LibreOffice exports it, default ``pdftotext``: every label followed by its own cells
    cells = "".join(f"\n{v}\n" for v in (0, 0, 0, 1, 0, 0, 1))
    text = "1.属于国家秘密\n" + "".join("\n0\n" for _ in range(7)) + "4.保护第三方合法权益\n" + cells
    r = parse_text(HEAD3 + text)
    assert row(r, "deny_secret") == [0] * 7
    assert row(r, "deny_third_party") == [0, 0, 0, 1, 0, 0, 1]


# --- a group heading torn with its numbering alone on the first line ------------------------------------

#: 平潭 2023 printed by Chromium on A5, PDFium's text: “（四）无法提供” printed over three lines above its first
#: item's label, the item's numbers on the line below.
HEADING_TORN = ("8.属于行政查询事项 2 0 0 0 0 0 2\n（四）\n无法提\n供\n1.本机关不掌握相关\n政府信息\n31 0 0 0 0 0 31\n"
                "2.没有现成信息需要\n另行制作\n0 0 0 0 0 0 0\n")


def test_group_heading_with_its_numbering_alone_on_a_line_is_set_aside():
    r = parse_text(HEAD3 + HEADING_TORN)
    assert row(r, "deny_query") == [2, 0, 0, 0, 0, 0, 2]
    assert row(r, "unable_not_held") == [31, 0, 0, 0, 0, 0, 31]
    assert row(r, "unable_needs_making") == [0] * 7
    assert r.sources[s3_id("unable_not_held", "total")]["line"] == 9


#: The same page, ``pdftotext -raw``: the numbers on the last line of the item's label.
HEADING_TORN_RAW = ("8.属于行政查询事项 2 0 0 0 0 0 2\n（四）\n无法提\n供\n1.本机关不掌握相关\n政府信息 31 0 0 0 0 0 31\n"
                    "2.没有现成信息需要\n另行制作 0 0 0 0 0 0 0\n"
                    "12/2/26, 5:16 AM 平潭综合实验区2023年度政府信息公开工作年度报告_政府信息公开年报_…\n"
                    "file:///tmp/convert-reports-2g8bs_4u/pingtan-2023.a5.html 5/8\n"
                    "（五）\n不予处\n理\n1.信访举报投诉类申\n请 0 0 0 0 0 0 0\n2.重复申请 1 0 0 0 0 0 1\n")


def test_group_heading_above_a_label_whose_last_line_carries_the_numbers():
    r = parse_text(HEAD3 + HEADING_TORN_RAW)
    assert row(r, "unable_not_held") == [31, 0, 0, 0, 0, 0, 31]
    assert row(r, "unable_needs_making") == [0] * 7
    assert row(r, "reject_petition") == [0] * 7
    assert row(r, "reject_repeat") == [1, 0, 0, 0, 0, 0, 1]


def test_two_labels_under_a_group_heading_above_one_row_of_numbers_place_nothing():
    text = HEADING_TORN_RAW.replace("1.本机关不掌握相关\n", "1.本机关不掌握相关\n2.没有现成信息需要\n")
    r = parse_text(HEAD3 + text)
    assert row(r, "unable_not_held") == [None] * 7
    # the heading unfinished (“无法提” without “供”): not set aside, nothing placed
    r = parse_text(HEAD3 + HEADING_TORN_RAW.replace("供\n", "", 1))
    assert row(r, "unable_not_held") == [None] * 7


def test_page_number_and_browser_header_inside_table_three_part_nothing():
    # a page break inside table 三 as the copies print it: the page number as PDFium (“- 4 -”, 洪泽 2024) and
    # pdftotext -layout (“-3-”) give it, a browser print's footer (平潭 2023 on A5), between labels and numbers
    text = ("8.属于行政查询事项 0 0 0 0 0 0 0\n（四）无法提供 1.本机关不掌握相关政府\n- 4 -\n信息 9 0 0 0 0 0 9\n"
            "2.没有现成信息需要另行制作\n-3-\n0 0 0 0 0 0 0\n3.补正后申请内容仍不明确\n"
            "file:///tmp/convert-reports-2g8bs_4u/pingtan-2023.a5.html 5/8\n0 0 0 0 0 0 0\n")
    r = parse_text(HEAD3 + text)
    assert row(r, "unable_not_held") == [9, 0, 0, 0, 0, 0, 9]
    assert row(r, "unable_needs_making") == [0] * 7
    assert row(r, "unable_unclear") == [0] * 7


def test_lines_like_page_furniture_that_carry_a_row_are_still_rows():
    # a row whose label or numbers merely contain a date or a fraction is no page furniture
    text = "2.重复申请 1 0 0 0 0 0 1\n3.要求提供公开出版物（2024/1/5 起） 2 0 0 0 0 0 2\n"
    r = parse_text(HEAD3 + text)
    assert row(r, "reject_repeat") == [1, 0, 0, 0, 0, 0, 1]
    assert row(r, "reject_publication") == [2, 0, 0, 0, 0, 0, 2]


# --- a row label of table 三 numbered “一、” alone on its line -------------------------------------------

def _structure(text: str) -> list[str]:
    """The format.structure findings on ``text`` that say it has two numbering systems."""
    return [f.message for f in validate_parsed(parse_text(text)) if f.rule == "format.structure" and "两套" in f.message]


def test_row_label_of_table_three_on_a_line_of_its_own_is_no_second_numbering():
    # 测试市 2025 on A5, PDFium's text: “一、本年新收政府信息公开申 / 请数量 / 13612 …” in table 三
    text = ("一、总体情况\n本机关坚持……。\n" + HEAD3 + "一、本年新收政府信息公开申\n请数量\n13612 252 0 45 128 32 14069\n"
            "二、上年结转政府信息公开申请数量\n535 6 0 1 18 0 560\n")
    assert _structure(text) == []


def test_first_row_of_table_three_wrapped_over_two_lines_above_its_numbers():
    # the same lines: the first row of the body is found by its label on the two lines above its numbers
    text = HEAD3 + "一、本年新收政府信息公开申\n请数量\n13612 252 0 45 128 32 14069\n"
    r = parse_text(text)
    assert row(r, "new") == [13612, 252, 0, 45, 128, 32, 14069]
    assert r.sources[s3_id("new", "total")]["line"] == 5
    # a header's last lines (“其” / “他”) above it are no part of its label
    r = parse_text(HEAD3 + "其\n他\n" + "一、本年新收政府信息公开申\n请数量\n13612 252 0 45 128 32 14069\n")
    assert row(r, "new") == [13612, 252, 0, 45, 128, 32, 14069]
    assert placed(r) == {"new"}


def test_a_second_numbering_is_still_found():
    text = "一、总体情况\n本机关坚持……。\n一、本年工作\n本年……。\n" + HEAD3
    assert any("两套" in m for m in _structure(text))


# --- a number glued to its label in table 二 ---------------------------------------------------------------

#: 平潭 2023 printed by Chromium, ``pdftotext -raw``: no space between a label and the number after it.
S2_GLUED = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数本年废止件数现行有效件数\n"
            "12/2/26, 4:59 AM 平潭综合实验区2023年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会\n"
            "file:///tmp/convert-reports-dk3m0a58/pingtan-2023.html 1/5\n规章 0 0 0\n行政规范性文件77 132 470\n"
            "第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可 2629\n第二十条第（八）项\n"
            "信息内容 本年收费金额（单位：万元）\n行政事业性收费5949.088667\n三、收到和处理政府信息公开申请情况\n")


def test_number_glued_to_a_row_label_of_table_two_is_its_first_value():
    r = parse_text(S2_GLUED)
    v = r.report.values
    assert [v["s2_normative_issued"], v["s2_normative_repealed"], v["s2_normative_effective"]] == [77, 132, 470]
    assert v["s2_fees_amount"] == 5949.088667
    assert v["s2_licensing_decisions"] == 2629
    assert "77" in r.sources["s2_normative_issued"]["excerpt"]


def test_digits_glued_to_something_other_than_a_row_label_are_not_split_off():
    # what is left before the digits is not exactly a row's label: the row is not read
    for old, new, fid in (("行政规范性文件77 132 470", "行政规范性文件第77 132 470", "s2_normative_issued"),
                          ("行政许可 2629", "行政许可事项2629", "s2_licensing_decisions"),
                          ("行政事业性收费5949.088667", "行政事业性收费标准5949.088667", "s2_fees_amount")):
        r = parse_text(S2_GLUED.replace(old, new))
        assert r.report.values[fid] is None, new


# --- the title, as a browser's print copies it ----------------------------------------------------------

def test_title_after_a_browsers_print_stamp_and_year_printed_apart():
    # 上海市政府办公厅 2019 printed by Chromium: pdftotext -layout gives the page header first (date, time, the
    # page's title); the default mode on A5 prints the title's year on a line of its own
    layout = ("12/2/26, 4:59 AM                                     2019 年上海市人民政府办公厅政府信息公开工作年度报告\n"
              "                        年上海市人民政府办公厅政府信息公开工作年度报告\n                              2019\n\n"
              "                              发布日期：2020-01-31\n")
    default = ("12/2/26, 5:16 AM\n\n年上海市人民政府办公厅政府信息公开工作年度报告\n\n2019\n\n"
               "年上海市人民政府办公厅政府信息公开工作年度报告\n发布日期：2020-01-31\n")
    for text in (layout, default):
        v = parse_text(text + HEAD3).report.values
        assert (v["cover_year"], v["cover_agency_name"]) == (2019, "上海市人民政府办公厅"), text


def test_print_stamp_or_a_lone_year_is_no_title():
    for text in ("12/2/26, 5:16 AM\n本机关2025年……\n", "2019\n年度工作要点\n", "2019\n年上海市人民政府办公厅工作要点\n"):
        assert parse_text(text + HEAD3).report.values["cover_year"] is None, text


def test_page_furniture_inside_a_sentence_of_the_narrative_is_no_part_of_it():
    # 上海市政府办公厅 2019 printed by Chromium on A5, PDFium's text: a page ends inside “不予公开35件”
    text = ("一、总体情况\n（二）依申请公开\n答复政府信息公开申请805件。予以公开及部分公开258件，占33.9%；不予\n"
            "12/2/26, 5:16 AM 2019年上海市人民政府办公厅政府信息公开工作年度报告\n"
            "file:///tmp/convert-reports-2g8bs_4u/shanghai-bangongting-2019.a5.html 1/8\n"
            "公开35件，占4.34%；因本机关不掌握等原因无法提供265件。\n- 2 -\n（三）政府信息管理\n本机关……。\n")
    v = parse_text(text + HEAD3).report.values
    assert v["n1_on_request"] == "答复政府信息公开申请805件。予以公开及部分公开258件，占33.9%；不予\n公开35件，占4.34%；" \
                                 "因本机关不掌握等原因无法提供265件。"


#: 平潭 2023 printed by Chromium, ``pdftotext -layout``: （六）其他处理 torn into the lines of its item 2's label.
HEADING_IN_LABEL = ("                                 关不再处理其政府信息公开申请                        0   0   0   0     0   1\n"
                    "                   （六）其 2.申请人逾期未按收费通知要求缴纳费\n"
                    "                   他处理 用、行政机关不再处理其政府信息公开申 0                            0   0   0   0"
                    "     0   0\n                        请\n"
                    "                                 3.其他                             1    0   0   0   0     0   1\n")


def test_group_heading_torn_into_the_lines_of_a_label_is_set_aside():
    r = parse_text(HEAD3 + "2.重复申请 1 0 0 0 0 0 1\n" + HEADING_IN_LABEL)
    assert row(r, "other_unpaid") == [0] * 7
    assert row(r, "other_misc") == [1, 0, 0, 0, 0, 0, 1]
    assert r.sources[s3_id("other_unpaid", "total")]["line"] == 6


def test_label_lines_without_an_item_number_under_a_torn_heading_place_nothing():
    text = HEADING_IN_LABEL.replace("（六）其 2.申请人", "（六）其 申请人")
    r = parse_text(HEAD3 + "2.重复申请 1 0 0 0 0 0 1\n" + text)
    assert row(r, "other_unpaid") == [None] * 7
    assert row(r, "other_misc") == [1, 0, 0, 0, 0, 0, 1]


# --- a row's numbers split over the lines of its wrapped label -------------------------------------------

#: 平潭 2023 printed by Chromium, ``pdftotext -layout``: the numbers of （二） and of （五）5 printed on two lines.
SPLIT_NUMBERS = ("  三、本年度 （一）予以公开                 22 0 0 0                                           0     0   22\n"
                 "  办理结果\n"
                 "        （二）部分公开（区分处理的，只计这一情形，不计 19 1 0 0\n"
                 "        其他情形）                                                                      0     0   20\n\n"
                 "                                  要求行政机关确认或重新出具已获取信 0\n"
                 "                                 5.\n"
                 "                                 息                                     0   0   0   0     0   0\n")


def test_numbers_split_over_the_lines_of_a_wrapped_label_are_one_row():
    r = parse_text(HEAD3 + SPLIT_NUMBERS)
    assert row(r, "partial") == [19, 1, 0, 0, 0, 0, 20]
    assert row(r, "reject_confirm") == [0] * 7
    assert r.sources[s3_id("partial", "natural")]["line"] == 5
    assert r.sources[s3_id("partial", "total")]["line"] == 6
    assert r.sources[s3_id("partial", "total")]["label_line"] == 5
    assert r.sources[s3_id("reject_confirm", "total")]["line"] == 10


# --- a piece of a label that two rows' labels share -----------------------------------------------------

#: 测试市 2025 printed by Chromium with its cells padded, default ``pdftotext``: below “再处理其政府信息公开申请”
#: (the end of （六）2's label, and of （六）1's alike) come 3.其他's seven numbers, one a line.
SHARED_PIECE = ("1.申请人无正当理由逾期不\n0\n318\n补正、行政机关不再处理其 315 3 0 0 0\n政府信息公开申请\n"
                "（六）其 2.申请人逾期未按收费通知\n他处理 要求缴纳费用、行政机关不 202 0 0 1 0\n0\n203\n"
                "再处理其政府信息公开申请\n941\n17\n0\n1\n3\n3\n965\n3.其他\n13364 252\n0\n44\n121\n29 13810\n")


def test_a_piece_of_label_two_rows_share_names_neither_even_once_one_is_found():
    r = parse_text(HEAD3 + "5.要求行政机关确认或重新出具已获取信息 5 0 0 0 0 0 5\n" + SHARED_PIECE)
    assert row(r, "other_unpaid") == [None] * 7
    assert row(r, "other_misc") == [None] * 7


#: 测试市 2025 printed by Chromium with justified text, ``pdftotext -raw``: each row's first number glued to its
#: label, the label's characters spaced out.
S3_GLUED = ("一 、 本 年 新 收 政 府 信 息 公 开 申 请 数 量13612 252 0 45 128 32 14069\n"
            "二 、 上 年 结 转 政 府 信 息 公 开 申 请 数 量535 6 0 1 18 0 560\n三、本年\n度办理结\n"
            "（ 一 ） 予 以 公 开5345 129 0 41 19 14 5548\n"
            "果 （二）部分公开（区分处理的，只计这一情\n形 ， 不 计 其 他 情 形 ）2120 39 0 1 6 2 2168\n"
            "（三）不\n予 公 开\n1. 属 于 国 家 秘 密13 0 0 0 0 0 13\n2. 其他法律行政法规禁止公开30 0 0 0 0 0 30\n")


def test_first_number_glued_to_a_row_label_of_table_three():
    r = parse_text(HEAD3 + S3_GLUED)
    assert row(r, "new") == [13612, 252, 0, 45, 128, 32, 14069]
    assert row(r, "carried") == [535, 6, 0, 1, 18, 0, 560]
    assert row(r, "open") == [5345, 129, 0, 41, 19, 14, 5548]
    assert row(r, "partial") == [2120, 39, 0, 1, 6, 2, 2168]
    assert row(r, "deny_secret") == [13, 0, 0, 0, 0, 0, 13]
    assert row(r, "deny_law") == [30, 0, 0, 0, 0, 0, 30]
    assert "13612" in r.sources[s3_id("new", "natural")]["excerpt"]


def test_header_of_table_two_with_its_characters_spaced_out():
    # 测试市 2025 printed by Chromium with justified text, PDFium's text
    text = ("二、主动公开政府信息情况\n第 二 十 条 第 （ 五 ） 项\n信 息 内 容 本 年 处 理 决 定 数 量\n行 政 许 可 11398889\n"
            "第 二 十 条 第 （ 六 ） 项\n信 息 内 容 本 年 处 理 决 定 数 量\n行 政 处 罚 8066\n行 政 强 制 0\n"
            "三、收到和处理政府信息公开申请情况\n")
    v = parse_text(text).report.values
    assert (v["s2_licensing_decisions"], v["s2_penalty_decisions"], v["s2_enforcement_decisions"]) == (11398889, 8066, 0)
    # spaced out or not, a header naming no column of table 二 is none: the rows below it stay unread
    v = parse_text(text.replace("本 年 处 理 决 定 数 量", "本 年 数 量")).report.values
    assert v["s2_licensing_decisions"] is None


# --- one row of table 三 read from a page, one case a line ------------------------------------------------

NONE = [None] * 7
#: (what the case is, the lines after table 三's header, the row, its seven cells as read).
ONE_ROW = [
    # the line of （二）'s numbers ending in “不计其他” alone (its first line lost), and the shorter tails real
    # tables print: nothing is 3.其他
    ("qita tail, label lost", "      的，只计这一情形，不计其他 19 1 0 0 0 0 20\n", "other_misc", NONE),
    ("qita tail, short", "不计其他 19 1 0 0 0 0 20\n", "other_misc", NONE),
    ("qita tail, tabs", "情形，不计其他\t19\t1\t0\t0\t0\t0\t20\n", "other_misc", NONE),
    ("heading (六) alone", "（六）其他处理\t1\t0\t0\t0\t0\t0\t1\n", "other_misc", NONE),
    # “（四）” with nothing of “无法提供” after it, or followed by another group's words: not a heading set aside
    ("numbering alone", HEADING_TORN.replace("（四）\n无法提\n供\n", "（四）\n"), "unable_not_held", NONE),
    ("numbering, other group's words", HEADING_TORN.replace("（四）\n无法提\n供\n", "（四）\n不予处\n理\n"),
     "unable_not_held", NONE),
    # split numbers that do not add up or do not continue the label
    ("split, 19+1 ≠ 21: the order is not known", SPLIT_NUMBERS.replace("0     0   20", "0     0   21"), "partial", NONE),
    ("split, the next line is no rest of the label", SPLIT_NUMBERS.replace("其他情形）", "另有说明"), "partial", NONE),
    ("split, six numbers for seven cells", SPLIT_NUMBERS.replace("0     0   20", "0   20"), "partial", NONE),
    # “缴纳费用、行政机关不再处理其政” is in （六）2's label alone: it still names that row
    ("piece of one row's label", "3.要求提供公开出版物 0 0 0 0 0 0 0\n缴纳费用、行政机关不再处理其政 2 0 0 0 0 0 2\n",
     "other_unpaid", [2, 0, 0, 0, 0, 0, 2]),
    # glued digits are split off only where they make the row whole: with the glued number the row would have
    # six or eight numbers for seven cells, nothing placed
    ("glued, six numbers", "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n1. 属 于 国 家 秘 密13 0 0 0 0 13\n",
     "deny_secret", NONE),
    ("glued, eight numbers", "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n1. 属 于 国 家 秘 密13 0 0 0 0 0 0 13\n",
     "deny_secret", NONE),
    ("not glued, six numbers", "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n1. 属 于 国 家 秘 密 0 0 0 0 0 13\n",
     "deny_secret", NONE),
]


@pytest.mark.parametrize(("text", "key", "want"), [c[1:] for c in ONE_ROW], ids=[c[0] for c in ONE_ROW])
def test_one_row_of_table_three_as_read(text: str, key: str, want: list[int | None]) -> None:
    r = parse_text(HEAD3 + text)
    assert row(r, key) == want, text
