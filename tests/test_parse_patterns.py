"""Layout patterns of real published reports, one test each, from their real wording (see tests/data/published/real)."""

from __future__ import annotations

from pathlib import Path

from xl_disclosure.cli.parse import explain_text
from xl_disclosure.readers.published import parse_html, parse_text, validate_parsed
from xl_disclosure.readers.published_file import parse_file

HEAD3 = "三、收到和处理政府信息公开申请情况\n自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"


def test_continuation_of_partial_label_is_not_item_3_other():
    # 2023 provincial report, text from its PDF: the numbers of （二） are on its label's second line
    text = HEAD3 + ("（二）部分公开（区分处理的，只计这一情\n"
                    "形，不计其他情形） 447 7 0 0 0 0 454\n")
    r = parse_text(text)
    assert r.report.values["s3_partial_natural"] == 447
    assert r.report.values["s3_partial_total"] == 454
    assert all(r.report.values[f"s3_other_misc_{c}"] is None for c in ("natural", "commercial", "total"))


def test_label_wrapped_over_three_lines_numbers_on_middle_line():
    text = HEAD3 + ("5.要求行政机关确认或重新出\n"
                    "\t0\t0\t0\t0\t0\t2\t2\n"
                    "具已获取信息\n"
                    "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1\n")
    r = parse_text(text)
    assert r.report.values["s3_reject_confirm_other"] == 2
    assert r.report.values["s3_other_no_correction_natural"] == 1
    assert r.sources["s3_reject_confirm_total"]["line"] == 4


def test_numbering_variants_and_traditional_characters():
    text = HEAD3 + ("（1）属於國家秘密\t3\t0\t0\t0\t0\t0\t3\n"
                    "1、本機關不掌握相關政府資訊\t4\t0\t0\t0\t0\t0\t4\n"
                    "四、結轉下年度繼續辦理\t1\t0\t0\t0\t0\t0\t1\n")
    r = parse_text(text)
    assert r.report.values["s3_deny_secret_natural"] == 3
    assert r.report.values["s3_unable_not_held_total"] == 4
    assert r.report.values["s3_next_total"] == 1


def test_blank_cell_keeps_the_row():
    # Markdown row whose 总计 is printed blank (上海市科委 2024)
    text = HEAD3 + "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |\n"
    r = parse_text(text)
    assert r.report.values["s3_next_natural"] == 1
    assert r.report.values["s3_next_total"] is None
    # HTML row with an empty 法人 cell (上海市政府办公厅 2019)
    html = ("<p>三、收到和处理政府信息公开申请情况</p><table><tr><td colspan=3></td><td>自然人</td><td>商业企业</td>"
            "<td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>总计</td></tr>"
            "<tr><td colspan=3>一、本年新收政府信息公开申请数量</td><td>821</td><td>35</td><td>&nbsp;</td><td>&nbsp;</td>"
            "<td>2</td><td>1</td><td>859</td></tr></table>")
    r = parse_html(html)
    assert r.report.values["s3_new_natural"] == 821
    assert r.report.values["s3_new_research"] is None
    assert r.report.values["s3_new_total"] == 859
    assert "为空" in r.coverage.missing["s3_new_research"]


def test_placeholder_is_none_not_zero():
    text = HEAD3 + "二、上年结转政府信息公开申请数量\t—\t/\t(空)\t0\t0\t0\t0\n"
    r = parse_text(text)
    assert r.report.values["s3_carried_natural"] is None
    assert r.coverage.placeholders["s3_carried_natural"] == "—"
    assert r.coverage.placeholders["s3_carried_research"] == "(空)"
    assert r.report.values["s3_carried_ngo"] == 0


def test_table2_normative_without_xingzheng_and_trial_format():
    text = ("二、主动公开政府信息情况\n第二十条第（一）项\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
            "| 规章 | 0 | 0 | 0 |\n| 规范性文件 | 13 | 0 | 55 |\n")
    r = parse_text(text)
    assert [r.report.values[f"s2_normative_{c}"] for c in ("issued", "repealed", "effective")] == [13, 0, 55]
    trial = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
             "规章\t13\t13\t524\n")
    r = parse_text(trial)
    assert r.report.values["s2_rules_issued"] is None  # another column: not invented
    assert [f["rule"] for f in r.format_findings] == ["format.version"]
    rules = [f.rule for f in validate_parsed(r)]
    assert rules.count("format.version") == 1
    assert not [f for f in validate_parsed(r) if f.rule == "input.blank" and f.field and f.field.startswith("s2_")]


def test_collapsed_other_row_is_one_finding():
    text = HEAD3 + ("（五）不予处理 5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0\n"
                    "（六）其他处理\t4\t0\t0\t0\t0\t0\t4\n"
                    "（七）总计\t4\t0\t0\t0\t0\t0\t4\n")
    r = parse_text(text)
    assert all(r.report.values[f"s3_other_misc_{c}"] is None for c in ("natural", "total"))
    assert [f["rule"] for f in r.format_findings] == ["format.rows"]
    blanks = [f for f in validate_parsed(r) if f.rule == "input.blank" and f.field and f.field.startswith("s3_other_")]
    assert not blanks


def test_section_heading_variants_and_renumbering():
    text = ("一、总体情况\n（四）信息公开平台建设方面\n平台。\n（五）政府信息公开监督保障情况\n考核。\n"
            "一、主动公开政府信息情况\n五、存在问题及改进情况\n问题。\n五、其他需要报告的事项\n无。\n")
    r = parse_text(text)
    assert r.coverage.sections_found == ["一", "二", "五", "六"]
    assert any(f["rule"] == "format.structure" for f in r.format_findings)
    r = parse_text("一、总体情况\n五、政府信息公开工作存在的主要问题及改进情况\n问题。\n")
    assert "五" in r.coverage.sections_found


def test_template_text_left_in():
    r = parse_text("一、总体情况\n这一项报告本机关政府信息公开工作总体情况，对本机关贯彻落实条例情况进行综述。\n")
    assert [f["rule"] for f in r.format_findings] == ["format.template_text"]


def test_near_misses_place_nothing():
    """Look-alike labels, continuation lines, shifted columns and numbers in headers: nothing is placed."""
    cases = [
        HEAD3 + "形，不计其他情形） 447 7 0 0 0 0 454\n",  # a continuation alone
        HEAD3 + "其他情形\t1\t0\t0\t0\t0\t0\t1\n",  # looks like 3.其他, is not
        HEAD3 + "（六）其他处理\t1\t0\t0\t0\t0\t0\t1\n",  # the group, not its item 3
        HEAD3 + "本年新收申请数量较上年增长\t12\n",  # a narrative-like line with a number
        HEAD3 + "5.属于三类内部事务信\n息\n1.本机关不掌握相关政\n府信息\n| 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n",  # two labels above
        "二、主动公开政府信息情况\n第二十条第（一）项\n规章\t3\t0\t15\n",  # no column header
        "二、主动公开政府信息情况\n信息内容 2024 本年处理决定数量\n行政许可 12 7\n",  # number in a header, shifted columns
        "801000081二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开220000022",  # glued cells
    ]
    for text in cases:
        r = parse_text(text)
        placed = {fid: v for fid, v in r.report.values.items() if fid[:3] in ("s2_", "s3_", "s4_") and v is not None}
        assert not placed, (text, placed)


def test_explain_lists_every_cell_with_its_source():
    text = HEAD3 + "一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t0\t5\n"
    r = parse_text(text)
    out = explain_text(r)
    assert "s3_new_natural" in out and "第 3 行" in out and "（未读出）" in out
    assert r.to_json()["sources"]["s3_new_total"]["excerpt"].startswith("一、本年新收")


NEW3 = "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"


def _s3_placed(r, skip=("s3_new_",)):
    return {k: v for k, v in r.report.values.items() if k.startswith("s3_") and v is not None and not k.startswith(skip)}


def test_garbled_label_read_as_the_one_row_it_can_be():
    # 洪泽区 2023/2024 (WPS PDF): 2.其他法律行政法规禁止公开 printed as “2.其他法律行政止公开”
    r = parse_text(HEAD3 + NEW3 + "（三）不予公开 1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n2.其他法律行政止公开\t3\t0\t0\t0\t0\t0\t3\n")
    assert [r.report.values[f"s3_deny_law_{c}"] for c in ("natural", "commercial", "total")] == [3, 0, 3]
    assert any("2.其他法律行政止公开" in w and "按该行读取" in w for w in r.warnings)
    # near misses: another number, too far from any label, a label whose row was already read
    for label in ("3.其他法律行政止公开", "2.其他法律法规", "其他法律行政止公开",
                  "2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0\n2.其他法律行政止公开"):
        r = parse_text(HEAD3 + NEW3 + label + "\t3\t0\t0\t0\t0\t0\t3\n")
        assert 3 not in _s3_placed(r).values(), (label, _s3_placed(r))


def test_torn_label_piece_of_one_row_only():
    # 上海市政府办公厅 2025, text extracted from its PDF: the label of （六）2 torn, its tail on the value row
    r = parse_text(HEAD3 + NEW3 + "| 缴纳费用、 | 行政机关不再处理其政 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n")
    assert [r.report.values[f"s3_other_unpaid_{c}"] for c in ("natural", "total")] == [2, 2]
    # the tail of （六）1's label is also a piece of （六）2's: two rows fit, nothing is placed
    r = parse_text(HEAD3 + NEW3 + "| 行政机关不再处理其政府信息公 | 40 | 1 | 0 | 0 | 2 | 0 | 43 |\n")
    assert not _s3_placed(r)
    # a short piece (a continuation line) names no row
    r = parse_text(HEAD3 + NEW3 + "| 按收费通知要求 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n")
    assert not _s3_placed(r)


H4 = "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
RES = "".join(f"<td>{x}</td>" for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))


def _row(*vals):
    return "<tr>" + "".join(f"<td>{v}</td>" for v in vals) + "</tr>"


def test_table4_split_over_two_tables():
    html = (H4 + f"<table><tr><td colspan=5>行政复议</td></tr><tr>{RES}</tr>" + _row(1, 0, 0, 0, 1) + "</table>"
            + "<table><tr><td colspan=10>行政诉讼</td></tr><tr><td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td>"
            + f"</tr><tr>{RES}{RES}</tr>" + _row(2, 0, 0, 1, 3, 0, 1, 0, 0, 1) + "</table>")
    v = parse_html(html).report.values
    assert [v[f"s4_reconsideration_{x}"] for x in ("upheld", "total")] == [1, 1]
    assert [v[f"s4_direct_suit_{x}"] for x in ("upheld", "pending", "total")] == [2, 1, 3]
    assert [v[f"s4_suit_after_{x}"] for x in ("corrected", "total")] == [1, 1]
    # three tables, each headed by its group (“行政诉讼（未经复议直接起诉）”); a repeated group is not read twice
    html = (H4 + f"<table><tr><td colspan=5>行政复议</td></tr><tr>{RES}</tr>" + _row(1, 0, 0, 0, 1) + "</table>"
            + f"<table><tr><td colspan=5>行政诉讼（未经复议直接起诉）</td></tr><tr>{RES}</tr>" + _row(2, 0, 0, 1, 3)
            + "</table>" + f"<table><tr><td colspan=5>行政复议</td></tr><tr>{RES}</tr>" + _row(9, 9, 9, 9, 36)
            + "</table>" + f"<table><tr><td colspan=5>行政诉讼（复议后起诉）</td></tr><tr>{RES}</tr>"
            + _row(0, 1, 0, 0, 1) + "</table>")
    v = parse_html(html).report.values
    assert [v[f"s4_{g}_total"] for g in ("reconsideration", "direct_suit", "suit_after")] == [1, 3, 1]
    # a further table whose header names no group (no 行政诉讼 / 直接起诉) adds nothing
    html = (H4 + f"<table><tr><td colspan=5>行政复议</td></tr><tr>{RES}</tr>" + _row(1, 0, 0, 0, 1) + "</table>"
            + f"<table><tr>{RES}</tr>" + _row(2, 0, 0, 1, 3) + "</table>")
    v = parse_html(html).report.values
    assert v["s4_reconsideration_total"] == 1
    assert all(v[f"s4_{g}_{x}"] is None for g in ("direct_suit", "suit_after") for x in ("upheld", "total"))


def test_run_on_page_text_is_cut_at_its_headings():
    # 平潭 2022 as a crawler extracted the page: all on one line, 四's heading misprinted “行政法复议”, and
    # table 四 as 15 numbers separated by spaces after its header words
    text = ("一、总体情况 2022年，平潭综合实验区坚持以习近平新时代中国特色社会主义思想为指导。" + "……" * 60
            + " 三、收到和处理政府信息公开申请情况 申请人情况 自然人 一、本年新收政府信息公开申请数量 713000074"
            + "二、上年结转政府信息公开申请数量 1000001 四、政府信息公开行政法复议、行政诉讼情况行政复议 行政诉讼 "
            + "结果维持结果纠正其他结果尚未审结总计 未经复议直接起诉 复议后起诉 结果维持结果纠正其他结果尚未审结总计"
            + "结果维持结果纠正其他结果尚未审结总计 0 1 1 0 2 1 0 0 0 1 0 0 0 0 0 五、存在的主要问题及改进情况 "
            + "2022年，……六、其他需要报告的事项 2022年，无收取信息处理费情况。")
    r = parse_text(text)
    assert r.coverage.sections_found == ["一", "三", "四", "五", "六"]
    v = r.report.values
    assert [v[f"s4_reconsideration_{x}"] for x in ("upheld", "corrected", "other", "pending", "total")] == [0, 1, 1, 0, 2]
    assert [v[f"s4_direct_suit_{x}"] for x in ("upheld", "total")] == [1, 1]
    assert v["s4_suit_after_total"] == 0
    assert not _s3_placed(r, skip=()), "glued cells of 三 stay unread"
    # a long line with one heading only is a paragraph, not a page: not cut
    r = parse_text("本报告包括总体情况等六个部分。" + "……" * 200 + "四、政府信息公开行政复议、行政诉讼情况 0 1 1 0 2 1 0 0 0 1 0 0 0 0 0")
    assert not [k for k, x in r.report.values.items() if k.startswith("s4_") and x is not None]


def test_web_text_one_cell_per_line_with_a_blank_cell():
    # 武汉市汉阳区人民政府办公室 2022 (web page text, one cell a line, each ending “ |”; 规章's 现行有效 printed blank)
    def cells(*c: str) -> str:
        return "|\n" + "".join(f"{x} |\n" if x != "" else "|\n" for x in c)

    text = ("二、主动公开政府信息情况\n|\n第二十条第(一)项 | |||\n"
            + cells("信息内容", "本年制发件数", "本年废止件数", "现行有效件数 (历史累计)")
            + cells("规章", "0", "0", "") + cells("行政规范性文件", "5", "12", "8")
            + "|\n第二十条第(五)项 | |||\n" + cells("信息内容", "本年处理决定数量 | |") + cells("行政许可", "0 | |")
            + "三、收到和处理政府信息公开申请情况\n"
            + cells("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况 | ||||||||||||||")
            + cells("自然人", "法人或其他组织", "总计 | |||||||||||||")
            + cells("商业 企业", "科研 机构", "社会公益组织", "法律服务机构", "其他 | |||||||||||")
            + cells("一、本年新收政府信息公开申请数量", "8", "0", "0", "0", "0", "0", "8 | ||||||||"))
    r = parse_text(text)
    v = r.report.values
    assert [v[f"s2_normative_{c}"] for c in ("issued", "repealed", "effective")] == [5, 12, 8]
    assert v["s2_licensing_decisions"] == 0
    assert [v[f"s3_new_{c}"] for c in ("natural", "commercial", "total")] == [8, 0, 8]
    # the row with a blank last cell: its empty cell's lone “|” and the next row's opening “|” stand together;
    # the row is read as printed, its blank cell blank, and that blank is the report's fault
    assert [v[f"s2_rules_{c}"] for c in ("issued", "repealed", "effective")] == [0, 0, None]
    findings = validate_parsed(r)
    assert "format.blank_cells" in [f.rule for f in findings]
    assert not [f for f in findings if f.rule == "input.blank" and "规章" in f.message]


def test_lone_bar_lines_between_rows_not_opened_by_a_bar_are_no_empty_cells():
    # rows not each opened by a lone “|”: two lone “|” lines after a row's numbers say nothing of its last cell
    text = ("二、主动公开政府信息情况\n第二十条第(一)项 | |||\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n"
            "规章 |\n0 |\n0 |\n|\n|\n行政规范性文件 |\n5 |\n12 |\n8 |\n")
    v = parse_text(text).report.values
    assert [v[f"s2_rules_{c}"] for c in ("issued", "repealed", "effective")] == [None] * 3
    assert [v[f"s2_normative_{c}"] for c in ("issued", "repealed", "effective")] == [5, 12, 8]


def test_table2_row_with_its_last_cell_printed_empty_on_one_line():
    text = ("二、主动公开政府信息情况\n第二十条第(一)项 | | | |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
            "规章 | 0 | 0 | |\n行政规范性文件 | 5 | 12 | 8 |\n"
            # one empty cell short of the block's columns: where the two numbers stand is unknown
            "第二十条第(五)项 | | |\n信息内容 | 本年处理决定数量 |\n行政许可 | |\n")
    r = parse_text(text)
    v = r.report.values
    assert [v[f"s2_rules_{c}"] for c in ("issued", "repealed", "effective")] == [0, 0, None]
    assert [v[f"s2_normative_{c}"] for c in ("issued", "repealed", "effective")] == [5, 12, 8]
    assert "format.blank_cells" in [f.rule for f in validate_parsed(r)]


def test_blank_cells_and_blank_totals_of_a_real_report_are_one_finding_each():
    """上海市人民政府办公厅 2019 (a CMS page): zero cells left blank, and the 总计 of rows with numbers blank too
    (“（一）予以公开 | 258 | 12 |  |  | 1 | 1 | ”); 上海市科委 2024 leaves only 四、结转下年度继续办理's 总计 blank."""
    from pathlib import Path

    from xl_disclosure.readers.published_file import parse_file

    real = Path(__file__).parent / "data" / "published" / "real"
    findings = validate_parsed(parse_file(real / "shanghai-bangongting-2019.html"))
    assert not [f for f in findings if f.rule == "input.blank"]
    (total,) = [f for f in findings if f.rule == "format.blank_total"]
    assert total.severity.value == "error" and total.fields == tuple(f"s3_{row}_total" for row in (
        "open", "partial", "deny_secret", "deny_internal", "deny_process", "deny_query", "unable_not_held",
        "unable_needs_making", "unable_unclear", "reject_petition", "reject_repeat"))
    assert "表三有 11 个总计格空着" in total.message and "（一）予以公开 258 12 1 1" in total.message
    # the blank cells of tables 三 and 四: one warning for the report, counted per table
    (cells,) = [f for f in findings if f.rule == "format.blank_cells"]
    assert cells.severity.value == "warning" and "表三 108 格、表四 9 格空着" in cells.message
    # the rows printed with every cell empty (“2.其他法律行政法规禁止公开 |  | … |  ”) are blank rows, not missing
    assert {"s3_deny_law_natural", "s3_reject_publication_total"} <= set(cells.fields)
    assert cells.fields[-9:] == ("s4_reconsideration_corrected", "s4_reconsideration_other", "s4_direct_suit_corrected",
                                 "s4_direct_suit_other", "s4_suit_after_upheld", "s4_suit_after_corrected",
                                 "s4_suit_after_other", "s4_suit_after_pending", "s4_suit_after_total")
    assert len(cells.fields) == 117
    kewei = validate_parsed(parse_file(real / "shanghai-kewei-2024-text-extraction.md"))
    assert [f.fields for f in kewei if f.rule.startswith("format.blank")] == [("s3_next_total",)]


def test_many_unread_cells_of_a_table_are_one_finding():
    """A table whose cells cannot be told apart (平潭 2022's glued digits) gives one finding, not 144."""
    from pathlib import Path

    from xl_disclosure.readers.published_file import parse_file

    real = Path(__file__).parent / "data" / "published" / "real"
    blank = [f for f in validate_parsed(parse_file(real / "pingtan-2022-crawler-text.txt")) if f.rule == "input.blank"]
    assert [(f.fields[0][:2], len(f.fields)) for f in blank] == [("s2", 10), ("s3", 144)]
    assert "表三有 144 格未读到数字" in blank[1].message


def test_a_2019_report_in_the_format_of_its_time_is_one_finding():
    """上海市人民政府办公厅 2019: table 二 and （六）其他处理 as the 2019 trial format had them — no error for that."""
    from pathlib import Path

    from xl_disclosure.readers.published_file import parse_file

    real = Path(__file__).parent / "data" / "published" / "real"
    findings = validate_parsed(parse_file(real / "shanghai-bangongting-2019.html"))
    rules = [f.rule for f in findings]
    assert rules[0] == "format.period" and rules.count("format.period") == 1
    assert not {"format.version", "format.rows", "cover.year"} & set(rules)
    assert findings[0].severity.value == "warning" and "这是 2019 年度的报告" in findings[0].message
    assert "表二（栏目不同）、表三“（六）其他处理”的 3 个细项" in findings[0].message
    # the same tables in a 2022 report are a real deviation
    text = (real / "pingtan-2020-crawler-text.txt").read_text(encoding="utf-8").replace("2020年度", "2022年度")
    assert {"format.version"} <= {f.rule for f in validate_parsed(parse_text(text))}


def test_item_printed_short_read_by_its_group_and_number():
    # 宿迁市 2023/2024 as printed in a comparison PDF (tests/test_pdf.py): （六）'s items 1 and 2 printed short
    rows = "（六）其他处理 1.逾期不补正\t40\t0\t0\t0\t0\t0\t40\n2.逾期不缴费\t10\t0\t0\t0\t0\t0\t10\n3.其他\t7\t0\t0\t0\t0\t0\t7\n"
    r = parse_text(HEAD3 + NEW3 + rows)
    assert [r.report.values[f"s3_other_{k}_total"] for k in ("no_correction", "unpaid", "misc")] == [40, 10, 7]
    assert sum("的简写" in w for w in r.warnings) == 2
    # near misses: no group to take the number from, nothing in common with the item, no such item, an item
    # already read, a number in another group's place
    for text in ("2.逾期不缴费\t10\t0\t0\t0\t0\t0\t10\n",
                 "（六）其他处理 1.不予受理\t10\t0\t0\t0\t0\t0\t10\n",
                 "（六）其他处理 4.逾期不缴费\t10\t0\t0\t0\t0\t0\t10\n",
                 "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1\n"
                 "1.逾期不补正\t10\t0\t0\t0\t0\t0\t10\n",
                 "（五）不予处理 1.信访举报投诉类申请\t1\t0\t0\t0\t0\t0\t1\n3.逾期不缴费\t10\t0\t0\t0\t0\t0\t10\n"):
        r = parse_text(HEAD3 + NEW3 + text)
        assert 10 not in _s3_placed(r).values(), (text, _s3_placed(r))
def test_web_text_one_cell_per_line_without_separators():
    # 长春新区管委会 2025 (web page text: one cell a line, blank lines between, no “|” or tab at all)
    def lines(*c: str) -> str:
        return "".join(f"{x}\n\n" for x in c)

    text = ("二、主动公开政府信息情况\n\n"
            + lines("第二十条  第(一)项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
                    "规章", "0", "0", "0", "行政规范性文件", "1", "8", "15",
                    "第二十条  第(五)项", "信息内容", "本年处理决定数量", "行政许可", "29858",
                    "第二十条  第(六)项", "信息内容", "本年处理决定数量", "行政处罚", "912", "行政强制", "7",
                    "第二十条  第(八)项", "信息内容", "本年收费金额(单位:万元)", "行政事业性收费", "5125.11"))
    v = parse_text(text).report.values
    assert [v[f"s2_rules_{c}"] for c in ("issued", "repealed", "effective")] == [0, 0, 0]
    assert [v[f"s2_normative_{c}"] for c in ("issued", "repealed", "effective")] == [1, 8, 15]
    assert (v["s2_licensing_decisions"], v["s2_penalty_decisions"], v["s2_enforcement_decisions"]) == (29858, 912, 7)
    assert v["s2_fees_amount"] == 5125.11
    # 西安市高陵区行政审批服务局 2021: the same form with cells printed “/” — “none”, never 0
    gaoling = parse_text("二、主动公开政府信息情况\n\n" + lines(
        "第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "/", "/", "/",
        "第二十条第(五)项", "信息内容", "本年处理决定数量", "行政许可", "11839"))
    assert gaoling.report.values["s2_licensing_decisions"] == 11839
    assert gaoling.report.values["s2_rules_issued"] is None
    assert gaoling.coverage.placeholders.get("s2_rules_issued") == "/"
    # a blank cell left out (two numbers under three columns): not placed, never shifted
    v = parse_text("二、主动公开政府信息情况\n" + lines("第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数",
                                                  "现行有效件数", "行政规范性文件", "3", "101")).report.values
    assert [v[f"s2_normative_{c}"] for c in ("issued", "repealed", "effective")] == [None, None, None]
    # a number alone on a line after a sentence is no cell of that sentence's row
    v = parse_text("二、主动公开政府信息情况\n全年办理行政许可事项，详见下表。\n5\n").report.values
    assert v["s2_licensing_decisions"] is None


def test_web_text_row_whose_first_cells_are_blank():
    # 徐闻县司法局 (web page text, a row a line with the empty cells kept; only 总计 filled; the rowspan
    # cells of 三 written as leading empty cells “| |”)
    text = ("三、收到和处理政府信息公开申请情况\n"
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
            "自然人 | 法人或其他组织 | 总计 |\n"
            "商业 | 科研 | 社会公益组织 | 法律服务机构 | 其他 |\n"
            "企业 | 机构 |\n"
            "一、本年新收政府信息公开申请数量 | 0 | | | | | | 0 |\n"
            "二、上年结转政府信息公开申请数量 | | | | | | | 0 |\n"
            "三、本年度办理结果 | (一)予以公开 | | | | | | | 0 |\n"
            "| (二)部分公开(区分处理的,只计这一情形,不计其他情形) | | | | | | | 0 |\n"
            "| (三)不予公开 | 1.属于国家秘密 | | | | | | | 0 |\n"
            "| | 2.其他法律行政法规禁止公开 | | | | | | | 0 |\n"
            "| | 3.危及“三安全一稳定” | | | | | 2 |\n")
    v = parse_text(text).report.values
    cols = ("natural", "commercial", "research", "ngo", "legal", "other", "total")
    assert [v[f"s3_new_{c}"] for c in cols] == [0, None, None, None, None, None, 0]
    for row in ("carried", "open", "partial", "deny_secret", "deny_law"):
        assert [v[f"s3_{row}_{c}"] for c in cols] == [None] * 6 + [0], row
    # cells from the label to the last number fewer than the columns: where the blank ones were is unknown
    assert [v[f"s3_deny_safety_{c}"] for c in cols] == [None] * 7


def test_flip_book_page_title_and_table_four():
    # 威海市文登区信访局 2022: page 8 of the report's PDF flip-book, published as HTML (basic-html/page8.html)
    text = ("Page 8 - 威海市文登区信访局2022年政府信息公开工作年度报告\nP. 8\n"
            "四、因政府信息公开工作被申请行政复议提起行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n"
            "结果 结果 其他 尚未 总\n维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总\n"
            "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计\n0 0 0 0 1 0 0 0 0 0 0 0 0 0 0\n"
            "五、政府信息公开工作存在的主要问题及改进情况\n总结我局本年度政府信息公开工作，公开信息数量明显增加。\n")
    r = parse_text(text)
    assert r.report.values["cover_agency_name"] == "威海市文登区信访局"
    assert r.report.values["cover_year"] == 2022
    assert r.report.values["s4_reconsideration_total"] == 1
    assert r.report.values["s4_reconsideration_upheld"] == 0
    assert r.coverage.sections_found == ["四", "五"]


def test_a_flip_book_page_is_one_partial_finding():
    """A page of a report (its running header “Page 8 - <title>”, then table 四 and 五) is one input.partial
    finding naming what is not on it, not 一's five parts, tables 二 and 三 and 六 reported one by one."""
    text = ("Page 8 - 威海市文登区信访局2022年政府信息公开工作年度报告\nP. 8\n"
            "四、因政府信息公开工作被申请行政复议提起行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n"
            "结果 结果 其他 尚未 总\n维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总\n"
            "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
            "五、政府信息公开工作存在的主要问题及改进情况\n总结我局本年度政府信息公开工作，公开信息数量明显增加。\n")
    # (and 四's title, the format's before 2019, is a finding of its own: format.structure)
    part, structure = validate_parsed(parse_text(text))
    assert structure.rule == "format.structure" and "旧格式" in structure.message
    assert part.rule == "input.partial" and part.severity.value == "error"
    assert "从表四起，到“五、存在的主要问题及改进情况”止" in part.message
    assert "“一、总体情况”、表二、表三、“六、其他需要报告的事项”不在文件中" in part.message
    assert {"n1_proactive", "s2_rules_issued", "s3_new_total", "n6_other"} <= set(part.fields)
    assert not {f for f in part.fields if f.startswith(("s4_", "n5_"))}
    # the same page with the report's own title at its head is a report lacking 一, 二, 三 and 六: reported as such
    whole = validate_parsed(parse_text(text.replace("Page 8 - ", "")))
    assert "input.partial" not in {f.rule for f in whole} and "narrative.required" in {f.rule for f in whole}


def test_a_web_excerpt_cut_inside_table_three_is_one_partial_finding():
    """深圳市龙岗区 2024 (the page store's excerpt ends in （三）7.属于行政执法案卷, before its 总计): the rows read
    before the cut are kept, and the cut row, the rest of 三, table 四, 五 and 六 are one finding."""
    real = Path(__file__).parent / "data" / "published" / "real"
    findings = validate_parsed(parse_file(real / "longgang-dept-2024-web-text.txt"))
    assert sorted(f.rule for f in findings) == ["format.structure", "input.partial"]
    (part,) = [f for f in findings if f.rule == "input.partial"]
    assert "从报告开头起，到表三中间（“三、本年度办理结果 （三）不予公开 7.属于行政执法案卷”行处中断）止" in part.message
    assert "表三的其余 105 格、表四、“五、" in part.message
    assert "s3_deny_process_total" not in part.fields and "s3_deny_enforcement_natural" in part.fields


def test_a_title_with_a_field_label_names_the_agency_without_it():
    """平潭 archive's page.txt starts “标题: 平潭综合实验区2022年度政府信息公开工作年度报告”: the label is no part of
    the agency (it kept the report from being matched to its prior year by name)."""
    text = ("标题: 平潭综合实验区2022年度政府信息公开工作年度报告\n发布时间: 2023-02-20 15:07\n文号: \n发布机构: \n"
            "栏目: 政府信息公开年报\n==================== 正文 ====================\n一、总体情况\n内容。\n")
    v = parse_text(text).report.values
    assert v["cover_agency_name"] == "平潭综合实验区" and v["cover_year"] == 2022
    assert v["cover_date"] == "2023-02-20"


def test_header_labels_split_over_two_lines_are_no_order_of_the_rest():
    # 徐闻县司法局: “商业 | 科研 | 社会公益组织 | 法律服务机构 | 其他 |” above “企业 | 机构 |” (each of the first two
    # labels split over two lines). Read as the form's seven columns, never as the five labels that match whole:
    # a row short of cells stays unread instead of being placed under 自然人, 社会公益组织, 法律服务机构, 其他, 总计
    head = ("三、收到和处理政府信息公开申请情况\n"
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
            "自然人 | 法人或其他组织 | 总计 |\n"
            "商业 | 科研 | 社会公益组织 | 法律服务机构 | 其他 |\n"
            "企业 | 机构 |\n")
    cols = ("natural", "commercial", "research", "ngo", "legal", "other", "total")
    for short in ("| 1 | 2 | 3 | 4 | 5 |", "1 2 3 4 5", "| 1 | 2 | 3 | 4 | 5 | 6 |"):
        v = parse_text(head + f"一、本年新收政府信息公开申请数量 {short}\n").report.values
        assert [v[f"s3_new_{c}"] for c in cols] == [None] * 7, short
    v = parse_text(head + "一、本年新收政府信息公开申请数量 | 1 | 2 | 3 | 4 | 5 | 6 | 21 |\n").report.values
    assert [v[f"s3_new_{c}"] for c in cols] == [1, 2, 3, 4, 5, 6, 21]


def test_six_numbers_without_any_header_are_not_placed():
    # a row of six numbers under no header at all (a page of 三 without its header, text torn from a PDF):
    # the form has seven columns, so a cell is missing and which one is unknown
    cols = ("natural", "commercial", "research", "ngo", "legal", "other", "total")
    v = parse_text("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 2 3 4 5 6\n").report.values
    assert [v[f"s3_new_{c}"] for c in cols] == [None] * 7
    # a header that shows the six columns and no 总计: the six numbers are those columns (总计 not found)
    v = parse_text("三、收到和处理政府信息公开申请情况\n申请人情况\n自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
                   "一、本年新收政府信息公开申请数量 1 2 3 4 5 6\n").report.values
    assert [v[f"s3_new_{c}"] for c in cols] == [1, 2, 3, 4, 5, 6, None]


def test_a_text_whose_table_cells_run_together_is_refused_saying_so():
    """平潭 2021's crawler text: every heading present, the digits of each row glued (“规章000”): the refusal says
    the tables' headings were found and why their numbers cannot be read, not that there are no tables."""
    from xl_disclosure.readers.published import no_tables_message

    real = Path(__file__).parent / "data" / "published" / "real"
    result = parse_file(real / "pingtan-2021-crawler-text.txt")
    assert not result.found_tables
    message = no_tables_message("平潭2021.txt", result)
    assert message.startswith("平潭2021.txt：找到了表格部分的标题（二、主动公开政府信息情况；三、收到和处理")
    assert "各格的数字连在一起" in message and "未找到年度报告的表格" not in message


def test_a_table_printed_twice_is_one_warning_with_examples():
    # 宿迁 2023 vs 2024 (PDF): two reports' table 三 side by side; each cell that differs is not a warning of its own
    first = "一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t0\t5\n二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
    second = "一、本年新收政府信息公开申请数量\t7\t1\t0\t0\t0\t0\t8\n二、上年结转政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2\n"
    r = parse_text(HEAD3 + first + HEAD3 + second)
    assert [r.report.values[f"s3_new_{c}"] for c in ("natural", "commercial", "total")] == [5, 0, 5]  # the first
    (w,) = [w for w in r.warnings if "出现两次" in w]
    assert w.startswith("表三有 5 格出现两次且数字不同") and "（5 与 7）" in w and "（1 与 2）" in w
    assert {fid: (c["kept"], c["other"]) for fid, c in r.coverage.conflicts.items()} == {
        "s3_new_natural": (5, 7), "s3_new_commercial": (0, 1), "s3_new_total": (5, 8),
        "s3_carried_natural": (1, 2), "s3_carried_total": (1, 2)}
    assert r.coverage.conflicts["s3_new_total"]["source"]["line"] == 7  # where the number not kept is printed
    # one cell printed twice: that cell, in words
    r = parse_text(HEAD3 + first + first.replace("\t5\t0", "\t4\t0", 1))
    assert [w for w in r.warnings if "出现两次" in w] == [
        "一、本年新收政府信息公开申请数量 · 自然人出现两次且数字不同（5 与 4），采用第一次的数字。"]


# 上海市科委 2024, text extracted from its PDF by another tool (tests/data/published/real): three labels printed
# together, the heading （五）不予处理 torn over their first lines, and below them their three rows of numbers
TORN_BEFORE = "| 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n\n"
TORN_LABELS = ["（五）不", "予处理4.无正当理由大量反复", "申请", "5.要求行政机关确认或", "重新出具已获取信息",
               "1.申请人无正当理由逾", "期不补正、行政机关不", "再处理其政府信息公开", "申请"]
TORN_ROWS = ["| 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "|---|---|---|---|---|---|---|", "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
             "|---|---|---|---|---|---|---|", "| 8 | 2 | 0 | 0 | 0 | 0 | 10 |"]
TORN_KEYS = ("reject_massive", "reject_confirm", "other_no_correction")
COLS = ("natural", "commercial", "research", "ngo", "legal", "other", "total")


def _torn(labels=TORN_LABELS, rows=TORN_ROWS, before=TORN_BEFORE):
    return parse_text(HEAD3 + NEW3 + before + "\n".join([*labels, *rows]) + "\n")


def _torn_placed(r):
    return {k: v for k, v in _s3_placed(r).items() if k.startswith(tuple(f"s3_{t}_" for t in TORN_KEYS))}


def test_labels_printed_above_their_rows_are_paired_in_order():
    r = _torn()
    got = {t: [r.report.values[f"s3_{t}_{c}"] for c in COLS] for t in TORN_KEYS}
    assert got == {"reject_massive": [0] * 7, "reject_confirm": [0] * 7,
                   "other_no_correction": [8, 2, 0, 0, 0, 0, 10]}
    # each number cites the line it is printed on, and the line its label starts on
    # (lines 1-5: HEAD3, NEW3, the row above, a blank line; “4.” starts on line 7, “5.” on 9, “1.” on 11)
    at = {t: (r.sources[f"s3_{t}_total"]["line"], r.sources[f"s3_{t}_total"]["label_line"]) for t in TORN_KEYS}
    assert at == {"reject_massive": (15, 7), "reject_confirm": (17, 9), "other_no_correction": (19, 11)}
    assert r.sources["s3_other_no_correction_total"]["excerpt"] == "| 8 | 2 | 0 | 0 | 0 | 0 | 10 |"
    assert any("3 个行标签" in w and "按表格行的顺序" in w for w in r.warnings)
    # distinct numbers: the i-th label is the i-th row's
    rows = ["| 1 | 0 | 0 | 0 | 0 | 0 | 1 |", "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |", "| 3 | 0 | 0 | 0 | 0 | 0 | 3 |"]
    r = _torn(rows=rows)
    assert [r.report.values[f"s3_{t}_total"] for t in TORN_KEYS] == [1, 2, 3]


def test_labels_torn_with_their_group_heading_are_paired():
    # 上海市科委 2024: （四）无法提供 printed down the lines of its items 2 and 3 (“法提供行制作”)
    text = (HEAD3 + NEW3 + "| 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n\n"
            "（四）无2.没有现成信息需要另\n法提供行制作\n3.补正后申请内容仍不\n明确\n"
            "| 6 | 0 | 0 | 0 | 0 | 0 | 6 |\n|---|---|---|---|---|---|---|\n| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
            "|---|---|---|---|---|---|---|\n| 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n")
    v = parse_text(text).report.values
    assert [v[f"s3_unable_needs_making_{c}"] for c in COLS] == [6, 0, 0, 0, 0, 0, 6]
    assert [v[f"s3_unable_unclear_{c}"] for c in COLS] == [0] * 7
    assert v["s3_unable_not_held_total"] is None
    # held by the row below (（五）1 follows （四）3 in the form); without it, by nothing
    v = parse_text(text.rsplit("| 1.信访", 1)[0]).report.values
    assert v["s3_unable_needs_making_total"] is None and v["s3_unable_unclear_total"] is None


TORN_REASONS = {"k labels, k-1 rows": "3 个行名，其下 2 行数字", "a blank line between labels and rows": "其下没有紧接着",
                "a row short of a cell": "不是表头的 7 格", "labels out of form order": "按顺序相连",
                "a row without a label above the block": "整块错开一行", "k labels, k+1 rows": "3 个行名，其下 4 行数字",
                "a blank line between the rows": "之后隔着别的行还有"}


def test_torn_labels_near_misses_place_nothing():
    rows3 = ["| 1 | 0 | 0 | 0 | 0 | 0 | 1 |", "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |", "| 3 | 0 | 0 | 0 | 0 | 0 | 3 |"]
    lab = TORN_LABELS
    cases = {
        "k labels, k-1 rows": (lab, rows3[:2], TORN_BEFORE),
        "k labels, k+1 rows": (lab, [*rows3, "| 4 | 0 | 0 | 0 | 0 | 0 | 4 |"], TORN_BEFORE),
        "a blank line between labels and rows": (lab, ["", *rows3], TORN_BEFORE),
        "a text line between labels and rows": (lab, ["注：单位为件", *rows3], TORN_BEFORE),
        "a lone number between (a page number)": (lab, ["1", *rows3], TORN_BEFORE),
        "a blank line between the rows": (lab, [rows3[0], "", *rows3[1:]], TORN_BEFORE),
        "labels out of form order": ([*lab[:1], "予处理5.要求行政机关确认或", "重新出具已获取信息",
                                      "4.无正当理由大量反复", "申请", *lab[5:]], rows3, TORN_BEFORE),
        "a label that is no row's whole label": ([*lab[:2], *lab[3:]], rows3, TORN_BEFORE),
        "a label for several rows (the group alone)": (["（五）不予处理"], rows3[:1], TORN_BEFORE),
        "a label of a row already read": (lab, rows3, "| 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n\n"),
        "a row short of a cell": (lab, [*rows3[:2], "| 3 | 0 | 0 | 0 | 0 | 3 |"], TORN_BEFORE),
        "a row with an empty cell more": (lab, [*rows3[:2], "| 3 | 0 | 0 | 0 | 0 | 0 | 3 | |"], TORN_BEFORE),
        "a group heading left unfinished": (["（五）不", *lab[1:]], rows3, TORN_BEFORE.replace("\n\n", "\n") +
                                            "（六）其\n"),
        "labels not right after a row of numbers": (lab, rows3, TORN_BEFORE + "注：\n\n"),
        "text before the first numbered label": (["续表", *lab], rows3, TORN_BEFORE),
        "labels of rows apart in the form": ([*lab[:3], *lab[5:]], rows3[:2], TORN_BEFORE),
        # a row of numbers printed above its label would shift the block: it must be held by a row read
        # by its own label, the form's row right before the first label's (or right after the last one's)
        "a row without a label above the block": (lab, rows3, "| 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n\n"),
        "the row above is not the one before": (lab, rows3, "| 2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n\n"),
    }
    for name, (labels, rows, before) in cases.items():
        r = _torn(labels, rows, before)
        placed = {k: v for k, v in _torn_placed(r).items() if not k.startswith("s3_reject_massive_") or
                  "already" not in name}
        assert not placed, (name, placed)
        if name in TORN_REASONS:  # the rows named stay unread with the reason
            note = r.coverage.missing["s3_reject_confirm_total"]
            assert "对应不能确定" in note and TORN_REASONS[name] in note, (name, note)


def test_torn_labels_of_real_reports_that_stay_unread():
    # 上海市科委 2024: two labels (（三）5 and （四）1) above one row of numbers, the other row further down
    text = (HEAD3 + NEW3 + "| 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n\n（三）不\n予公开\n5.属于三类内部事务信\n息\n"
            "1.本机关不掌握相关政\n府信息\n| 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n|---|---|---|---|---|---|---|\n"
            "| 6.属于四类过程性信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n")
    r = parse_text(text)
    v = r.report.values
    assert v["s3_deny_internal_total"] is None and v["s3_unable_not_held_total"] is None
    # each stays unread with its reason
    for fid in ("s3_deny_internal_total", "s3_unable_not_held_total"):
        assert "2 个行名，其下 1 行数字" in r.coverage.missing[fid], r.coverage.missing[fid]
    assert v["s3_deny_process_total"] == 1
    # 上海市政府办公厅 2025: labels of （五）5 and （六）1 above rows that carry labels of their own
    text = (HEAD3 + NEW3 + "| 2.没有现成信息需要另行制作 | 47 | 1 | 0 | 0 | 0 | 0 | 48 |\n\n三、本法提供\n年度办\n理结果\n"
            "5.要求行政机关确认或重新出具\n已获取信息\n1.申请人无正当理由逾期不补正、\n开申请\n"
            "| 3.补正后申请内容仍不明确 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n")
    v = parse_text(text).report.values
    assert v["s3_unable_unclear_total"] == 3
    assert v["s3_reject_confirm_total"] is None and v["s3_other_no_correction_total"] is None


def test_an_amount_printed_to_the_fen_is_no_fault_of_a_published_report():
    """平潭综合实验区 2023 prints 本年收费金额 5949.088667 万元: the template's four places are the clerk's rule."""
    from pathlib import Path

    from xl_disclosure.checks.validator import validate_report
    from xl_disclosure.readers.published_file import parse_file

    r = parse_file(Path(__file__).parent / "data" / "published" / "real" / "pingtan-2023.html")
    assert "input.precision" in {f.rule for f in validate_report(r.report)}  # the template's rule would fire
    assert "input.precision" not in {f.rule for f in validate_parsed(r)}


COLS3 = ("natural", "commercial", "research", "ngo", "legal", "other", "total")


def test_web_text_each_cell_closed_by_a_bar_line_of_its_own():
    # a town of 尼勒克县 2023 (web page text, every cell on a line and its closing “|” on the line after it)
    def cells(*c: str) -> str:
        return "".join(f"{x}\n|\n" for x in c)

    text = ("二、主动公开政府信息情况\n第二十条第(一)项\n|\n"
            + cells("信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "0", "0", "6",
                    "行政规范性文件", "0", "0", "0")
            + "第二十条第(五)项\n|\n" + cells("信息内容", "本年处理决定数量", "行政许可", "0")
            + "三、收到和处理政府信息公开申请情况\n"
            + cells("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况", "自然人",
                    "法人或其他组织", "总计")
            + "商业\n" + cells("企业") + "科研\n"
            + cells("机构", "社会公益组织", "法律服务机构", "其他",
                    "一、本年新收政府信息公开申请数量", "3", "0", "0", "0", "0", "1", "4",
                    "二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"))
    r = parse_text(text)
    v = r.report.values
    assert [v[f"s2_rules_{c}"] for c in ("issued", "repealed", "effective")] == [0, 0, 6]
    assert v["s2_licensing_decisions"] == 0
    assert [v[f"s3_new_{c}"] for c in COLS3] == [3, 0, 0, 0, 0, 1, 4]
    assert [v[f"s3_carried_{c}"] for c in COLS3] == [0] * 7
    # each number's source is the line it is printed on
    assert r.sources["s3_new_total"]["line"] == text.split("\n").index("4") + 1


def test_bar_lines_near_misses_place_nothing():
    # a few lone “|” lines in a text are no layout: the prose line before one is not made a cell
    text = ("三、收到和处理政府信息公开申请情况\n申请人情况\n自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
            "本年新收申请3件，其中自然人3件\n|\n一、本年新收政府信息公开申请数量\n|\n")
    v = parse_text(text).report.values
    assert [v[f"s3_new_{c}"] for c in COLS3] == [None] * 7


def test_web_text_empty_cells_as_lone_bar_lines_before_the_total():
    # a district's 统计局 2023 (web page text, one cell a line ending “ |”; 三's applicant cells left empty,
    # each a lone “|” line; only 总计 printed)
    text = ("三、收到和处理政府信息公开申请情况\n"
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) |\n申请人情况 |\n||||||||\n"
            "自然人 |\n法人或其他组织 |\n总计 |\n|||||||\n商业企业 |\n科研机构 |\n社会公益组织 |\n法律服务机构 |\n其他 |\n"
            "|||||\n"
            "一、本年新收政府信息公开申请数量 |\n" + "|\n" * 6 + "0 |\n||\n"
            "二、上年结转政府信息公开申请数量 |\n" + "|\n" * 6 + "2 |\n||\n"
            # five empty cells before the number: fewer than the six applicant columns, where it stands is unknown
            "三、本年度办理结果 |\n(一)予以公开 |\n" + "|\n" * 5 + "1 |\n||\n"
            # a filler line closes a row: a lone “|” after it is no empty cell of that row
            "(二)部分公开(区分处理的,只计这一情形,不计其他情形) |\n||\n|\n5 |\n")
    v = parse_text(text).report.values
    assert [v[f"s3_new_{c}"] for c in COLS3] == [None] * 6 + [0]
    assert [v[f"s3_carried_{c}"] for c in COLS3] == [None] * 6 + [2]
    assert [v[f"s3_open_{c}"] for c in COLS3] == [None] * 7
    assert [v[f"s3_partial_{c}"] for c in COLS3] == [None] * 7


def test_rows_with_the_year_in_brackets_and_results_numbered_like_their_items():
    # 嵊州市石璜镇 2021 (web text, one cell a line): “一、本年(2021)新收…”, “二、上年(2020)结转…”, and the
    # results numbered “1.予以公开 2.部分公开 3.不予公开” like the items under them (numbers changed so that
    # a row read as another shows)
    def row(label: str, *v: int) -> str:
        return "\n\n".join([label, *map(str, v)]) + "\n\n"

    text = ("三、收到和处理政府信息公开申请情况\n\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\n\n"
            "申请人情况\n\n自然人\n\n法人或其他组织\n\n总计\n\n商业企业\n\n科研机构\n\n社会公益组织\n\n法律服务机构\n\n其他\n\n"
            + row("一、本年(2021)新收政府信息公开申请数量", 5, 1, 0, 0, 0, 0, 6)
            + row("二、上年（2020年）结转政府信息公开申请数量", 2, 0, 0, 0, 0, 0, 2)
            + "三、本年度办理结果\n\n"
            + row("1.予以公开", 3, 0, 0, 0, 0, 0, 3)
            + row("2.部分公开(区分处理的,只计这一情形,不计其他情形)", 1, 1, 0, 0, 0, 0, 2)
            + "3.不予公开\n\n" + row("1.属于国家秘密", 4, 0, 0, 0, 0, 0, 4)
            + row("2.其他法律行政法规禁止公开", 0, 0, 0, 0, 0, 1, 1))
    v = parse_text(text).report.values
    assert [v[f"s3_new_{c}"] for c in COLS3] == [5, 1, 0, 0, 0, 0, 6]
    assert [v[f"s3_carried_{c}"] for c in COLS3] == [2, 0, 0, 0, 0, 0, 2]
    assert v["s3_open_total"] == 3 and v["s3_partial_total"] == 2
    assert v["s3_deny_secret_total"] == 4 and v["s3_deny_law_other"] == 1


def test_table2_header_printed_short_of_its_last_character():
    # 昌图县七家子镇 2023 (web text, one cell a line between blank lines): the header “现行有效件” (数 lost)
    def cells(*c: str) -> str:
        return "".join(f"{x}\n\n" for x in c)

    head = "二、主动公开政府信息情况\n\n" + cells("第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数")
    rows = cells("规章", "0", "0", "0", "行政规范性文件", "2", "1", "7")
    v = parse_text(head + cells("现行有效件") + rows).report.values
    assert [v[f"s2_normative_{c}"] for c in ("issued", "repealed", "effective")] == [2, 1, 7]
    # near misses: a cell much shorter than the label, or another word, names no column; the rows stay unread
    for short in ("现行有", "现行", "有效件数以外"):
        v = parse_text(head + cells(short) + rows).report.values
        assert [v[f"s2_normative_{c}"] for c in ("issued", "repealed", "effective")] == [None] * 3, short


def test_table2_printed_on_one_line():
    # 衡阳市商务局 2022 (web text: table 二 on one line, “ | ” between cells, empty cells “| |”, “124件”)
    text = ("二、主动公开政府信息情况 第二十条第(一)项 | 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 | "
            "规章 | | | | 行政规范性文件 | 4 | 0 | 4 | 第二十条第(五)项 | 信息内容 | 本年处理决定数量 | "
            "行政许可 | 124件 | 第二十条第(六)项 | 信息内容 | 本年处理决定数量 | 行政处罚 | 3 | 行政强制 | | "
            "第二十条第(八)项 | 信息内容 | 本年收费金额(单位:万元) | 行政事业性收费 | 1.5 |\n"
            "三、收到和处理政府信息公开申请情况\n")
    r = parse_text(text)
    v = r.report.values
    assert [v[f"s2_normative_{c}"] for c in ("issued", "repealed", "effective")] == [4, 0, 4]
    assert (v["s2_licensing_decisions"], v["s2_penalty_decisions"], v["s2_fees_amount"]) == (124, 3, 1.5)
    # the rows printed blank stay blank, one finding for the table's empty cells
    assert [v[f"s2_rules_{c}"] for c in ("issued", "repealed", "effective")] == [None] * 3
    assert v["s2_enforcement_decisions"] is None
    assert "s2_rules_issued" in r.coverage.blank and "s2_enforcement_decisions" in r.coverage.blank
    assert r.sources["s2_licensing_decisions"]["line"] == 1


def test_table2_on_one_line_near_misses_place_nothing():
    # one 第二十条 block on a line is no flattened table: a row whose numbers stand after another block's
    # header is not split off and read under it
    text = ("二、主动公开政府信息情况\n第二十条第(一)项 | 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
            "规章 | 1 | 2 | 行政规范性文件 | 4 | 0 | 4 |\n")
    v = parse_text(text).report.values
    assert [v[f"s2_rules_{c}"] for c in ("issued", "repealed", "effective")] == [None] * 3
    # a flattened table whose header names no column (the 2019 trial format's): nothing placed
    text = ("二、主动公开政府信息情况 第二十条第(一)项 | 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 | "
            "规章 | 0 | 0 | 0 | 规范性文件 | 5 | 5 | 5 | 第二十条第(五)项 | 信息内容 | 上一年项目数量 | 本年增/减 | "
            "处理决定数量 | 行政许可 | 6 | 0 | 2 | 其他对外管理服务事项 | 0 | 0 | 0 |\n")
    v = parse_text(text).report.values
    assert all(v[f] is None for f in v if f.startswith("s2_"))


def test_section_one_titled_work_basics_and_platform_part_with_words_before_it():
    # 微山县两城镇 2020: section 一 titled “一、工作基本情况”
    r = parse_text("一、工作基本情况\n本报告是根据《条例》要求编制。\n二、主动公开政府信息情况\n")
    assert r.coverage.sections_found[:2] == ["一", "二"]
    # a town of 重庆 2022: “（四）信息规范公开平台建设情况”
    text = ("一、总体情况\n（一）政府信息主动公开情况。全年主动公开政府信息171条。\n（二）依申请公开政府信息情况。未收到。\n"
            "（三）政府信息管理情况。审核。\n（四）信息规范公开平台建设情况。依托政府信息公开网站发布。\n"
            "（五）政府信息监督保障情况。领导小组。\n二、主动公开政府信息情况\n")
    v = parse_text(text).report.values
    assert "依托政府信息公开网站" in (v["n1_platform"] or "")
    assert "领导小组" in (v["n1_oversight"] or "")
    # near misses: a sentence about a platform is no part heading; a sub-heading “（一）基本情况” is no section
    v = parse_text("一、总体情况\n（一）主动公开情况。我镇加强公开平台建设，发布信息。\n二、主动公开政府信息情况\n").report.values
    assert not v["n1_platform"]
    r = parse_text("一、总体情况\n（一）基本情况。我镇。\n二、主动公开政府信息情况\n")
    assert r.coverage.sections_found[:2] == ["一", "二"]


def test_table3_row_labels_on_lines_of_their_own_are_no_second_numbering():
    # 佳县螅镇 2022 / a township of 雄县 2019: tables printed with labels only, one a line; “一、本年新收…”
    # is table 三's row, not a second “一、” of the report
    text = ("一、总体情况\n我镇公开信息。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n申请人情况\n自然人\n"
            "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n三、本年度办理结果\n(一)予以公开\n"
            "四、结转下年度继续办理\n四、政府信息公开行政复议、行政诉讼情况\n")
    r = parse_text(text)
    assert not [f for f in r.format_findings if "两套" in f["message"]]
    placed = [f for f, v in r.report.values.items() if f[:3] in ("s2_", "s3_", "s4_") and v is not None]
    assert not placed
    # 琼海市大路镇 2019: the page store's excerpt ends inside the first such label
    r = parse_text("一、总体情况\n我镇公开信息。\n三、收到和处理政府信息公开申请情况\n申请人情况\n一、本年新收政府信息公开\n")
    assert not [f for f in r.format_findings if "两套" in f["message"]]
    # a real second numbering is still one finding
    r = parse_text("一、总体情况\n我镇公开信息。\n一、主动公开情况\n二、依申请公开情况\n二、主动公开政府信息情况\n")
    assert [f for f in r.format_findings if "两套" in f["message"]]


def test_year_of_a_report_without_its_title_from_the_statistics_period():
    # 微山县两城镇 2020 (the page's text without its title): the year is the statistics' period's
    text = ("一、工作基本情况\n本报告中所列数据的统计期限为2020年1月1日至2020年12月31日。\n二、主动公开政府信息情况\n"
            "第二十条第(一)项 | ||||\n信息内容 | 本年新 | 本年新 | 对外公开总数量 | |\n规章 | 0 | 0 | 0 | |\n")
    r = parse_text(text)
    assert r.report.values["cover_year"] == 2020
    assert [f.rule for f in validate_parsed(r) if f.rule.startswith("format.")][:1] == ["format.period"]
    assert parse_text("一、总体情况\n本报告所列数据统计期限为2024年1月1日至12月31日。\n").report.values["cover_year"] == 2024
    # near misses: a period of other than one calendar year, or dates that are no statistics' period, give no year
    for line in ("本报告所列数据的统计期限为2019年1月1日至2020年12月31日。", "2020年1月1日至12月31日，我镇开展培训。",
                 "统计期限为2023年7月1日至2024年6月30日。"):
        assert parse_text(f"一、总体情况\n{line}\n").report.values["cover_year"] is None, line
    # a title's year wins over the period's
    text = "××镇2023年政府信息公开工作年度报告\n一、总体情况\n本报告统计期限为2022年1月1日至2022年12月31日。\n"
    assert parse_text(text).report.values["cover_year"] == 2023


def test_a_page_cut_inside_a_2019_trial_table_two_is_one_partial_finding():
    # 湖口县大垅乡 2020 (the page store's excerpt ends inside table 二 of the 2019 trial format): what is not in
    # the file is one input.partial, not “未读到” for 三 and 四 and “未填写” for 五 and 六
    text = ("湖口县大垅乡2020年政府信息公开工作年度报告\n一、总体情况\n2020年，大垅乡推进信息公开。\n二、主动公开政府信息情况\n"
            "|\n第二十条第(一)项 | ||||\n|\n信息内容 |\n本年新制作数量 |\n本年新公开数量 |\n对外公开总数量 | |\n"
            "|\n规章 |\n0 |\n0 |\n0 | |\n|\n规范性文件 |\n0 |\n0 |\n0 | |\n")
    rules = [f.rule for f in validate_parsed(parse_text(text))]
    assert rules.count("input.partial") == 1 and "format.period" in rules
    assert "input.blank" not in rules and "narrative.required" not in rules
    # a whole report of that format lacking its later parts is no fragment when a part after the table is there
    whole = text + "五、存在的主要问题及改进情况\n问题。\n"
    rules = [f.rule for f in validate_parsed(parse_text(whole))]
    assert "input.partial" not in rules and "input.blank" in rules


def test_year_of_a_report_without_title_or_period_from_the_opening_of_section_one():
    # 岳阳市南湖新区 a bureau 2019, a township of 雄县 2019: no title, no period; 一 opens with the year
    trial = ("二、主动公开政府信息情况\n第二十条第(一)项 |\n信息内容 |\n本年新 制作数量 |\n本年新 公开数量 |\n对外公开总数量 |\n"
             "规章 |\n0 |\n0 |\n0 |\n")
    for opening, year in (("2019年我局政府信息公开工作运行良好。", 2019), ("2019年,我乡明确专人负责政务公开工作。", 2019),
                          ("2023年以来，我局认真落实《条例》。", 2023)):
        r = parse_text(f"一、总体情况\n{opening}\n{trial}")
        assert r.report.values["cover_year"] == year, opening
    assert "format.period" in {f.rule for f in validate_parsed(parse_text(f"一、总体情况\n2019年我局公开信息。\n{trial}"))}
    # near misses: a year inside the sentence, or one of another kind (“2019年度报告显示”), gives no year
    for opening in ("我局于2019年成立领导小组。", "2019年度报告显示，我局公开信息。", "2019年12月，我局成立领导小组。"):
        assert parse_text(f"一、总体情况\n{opening}\n{trial}").report.values["cover_year"] is None, opening


def test_a_table_printed_with_labels_only_says_so():
    # a township of 雄县 2019: table 三's row labels one a line and no number: the unread cells say why
    labels = ("一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n三、本年度办理结果\n(一)予以公开\n"
              "(二)部分公开(区分处理的,只计这一情形,不计其他情形)\n")
    text = ("一、总体情况\n我乡公开信息。\n三、收到和处理政府信息公开申请情况\n申请人情况\n自然人\n法人或其他组织\n总计\n"
            + labels + "四、政府信息公开行政复议、行政诉讼情况\n行政复议\n五、存在的主要问题及改进情况\n问题。\n")
    r = parse_text(text)
    assert "只印了行名" in r.coverage.missing["s3_new_natural"]
    assert not [f for f, v in r.report.values.items() if f.startswith("s3_") and v is not None]
    # near misses: a table with a number somewhere, or a heading with no labels under it, is not “labels only”
    r = parse_text(text.replace("(一)予以公开\n", "(一)予以公开 3 0 0 0 0 0 3\n"))
    assert "只印了行名" not in r.coverage.missing.get("s3_new_natural", "")
    r = parse_text("一、总体情况\n我乡公开信息。\n三、收到和处理政府信息公开申请情况\n本年未收到申请。\n五、存在的主要问题及改进情况\n问题。\n")
    assert "只印了行名" not in r.coverage.missing["s3_new_natural"]


def _without_table_three(s4_body: str, heading3: bool) -> str:
    seed = (Path(__file__).parent / "data" / "seed_xixiayuan_2024.txt").read_text(encoding="utf-8").split("\n")
    head = "\n".join(seed[:43]) + "\n"
    tail = "\n".join(seed[81:])
    return (head + ("三、收到和处理政府信息公开申请情况\n" if heading3 else "")
            + "四、政府信息公开行政复议、行政诉讼情况\n" + s4_body + tail)


def test_a_report_lacking_table_three_has_table_four_read_as_four():
    # table 四 one cell a line: its last header cell “总计” and the fifteen numbers below it are no （七）总计 row
    res = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    nums = ["3", "1", "0", "0", "4", "2", "0", "0", "1", "3", "0", "0", "0", "0", "0"]
    body = "\n".join(["行政复议", "行政诉讼", *res, "未经复议直接起诉", "复议后起诉", *res, *res, *nums]) + "\n"
    for heading3 in (True, False):
        r = parse_text(_without_table_three(body, heading3))
        assert r.coverage.tables_found == ["二", "四"]
        assert "三" in r.coverage.sections_found if heading3 else "三" not in r.coverage.sections_found
        assert not [k for k, x in r.report.values.items() if k.startswith("s3_") and x is not None]
        assert [r.report.values[f"s4_reconsideration_{c}"] for c in ("upheld", "corrected", "total")] == [3, 1, 4]
        assert [r.report.values[f"s4_suit_after_{c}"] for c in ("upheld", "total")] == [0, 0]
        (blank,) = [f for f in validate_parsed(r) if f.rule == "input.blank"]
        assert "表三" in blank.message and "未找到表三" in blank.message


REAL = Path(__file__).parent / "data" / "published" / "real"


def test_a_file_holding_two_reports_one_after_the_other_is_one_finding_and_the_first_read():
    # two real reports in one file (上海市科委 2024, then 上海市人民政府办公厅 2025): nothing of the second mixed in
    first = (REAL / "shanghai-kewei-2024-text-extraction.md").read_text(encoding="utf-8")
    # (the extraction's first line “正文” left out: it would end the first report's text)
    second = (REAL / "shanghai-bangongting-2025-text-extraction.md").read_text(encoding="utf-8").removeprefix("正文\n")
    alone, both = parse_text(first), parse_text(first + "\n" + second)
    assert both.report.values == alone.report.values
    found = validate_parsed(both)
    (two,) = [f for f in found if f.rule == "format.two_reports"]
    at = len(first.split("\n")) + second.split("\n").index("2025 年上海市人民政府办公厅政府信息公开") + 1
    assert f"第 {at} 行“2025 年上海市人民政府办公厅政府信息公开工作年度报告”起" in two.message
    assert "第 2 行“2024 年上海市科委政府信息公开工作年度报告”" in two.message
    assert sorted(f.message for f in found if f is not two) == sorted(f.message for f in validate_parsed(alone))


def test_one_report_with_its_headings_repeated_in_its_text_is_not_two():
    # “一、总体情况” quoted again at the end of a report, with no later section after it, begins no second report
    text = (REAL / "shanghai-kewei-2024-text-extraction.md").read_text(encoding="utf-8")
    r = parse_text(text + "\n一、总体情况\n本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。\n")
    assert "format.two_reports" not in [f.rule for f in validate_parsed(r)]


def test_a_section_under_the_title_of_the_format_before_2019_is_one_structure_finding():
    # 威海市文登区信访局 2022, page 8: 四 under “因政府信息公开工作被申请行政复议提起行政诉讼情况”
    r = parse_file(REAL / "wendeng-xinfang-2022-flipbook-page.txt")
    (structure,) = [f for f in validate_parsed(r) if f.rule == "format.structure"]
    assert "“四、因政府信息公开工作被申请行政复议提起行政诉讼情况”" in structure.message
    assert "2021 年格式为“四、政府信息公开行政复议、行政诉讼情况”" in structure.message
    assert "第 3 行" in structure.message
    assert [r.report.values[f"s4_reconsideration_{c}"] for c in ("upheld", "total")] == [0, 0]  # read all the same


def test_section_titles_of_the_2021_format_and_their_variants_are_no_old_titles():
    for title in ("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议和行政诉讼情况", "四、行政复议、行政诉讼情况"):
        text = (f"一、总体情况\n内容。\n{title}\n行政复议\t行政诉讼\n五、存在的主要问题及改进情况\n问题。\n"
                "六、其他需要报告的事项\n无。\n")
        assert not _old_title_findings(parse_text(text)), title
    # the old title's words inside a sentence of 一 are no heading
    text = ("一、总体情况\n本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼情况。\n"
            "五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。\n")
    assert not _old_title_findings(parse_text(text))
    # the same page with its title the 2021 format's: no such finding (the finding says what it is about)
    page = (REAL / "wendeng-xinfang-2022-flipbook-page.txt").read_text(encoding="utf-8")
    assert not _old_title_findings(parse_text(page.replace("因政府信息公开工作被申请行政复议提起行政诉讼情况",
                                                           "政府信息公开行政复议、行政诉讼情况")))


def _old_title_findings(r):
    return [f for f in validate_parsed(r) if f.rule == "format.structure" and "旧格式" in f.message]


def test_a_table_of_contents_before_the_report_is_no_first_report():
    text = (REAL / "shanghai-kewei-2024-text-extraction.md").read_text(encoding="utf-8")
    contents = ("目录\n一、总体情况……1\n二、主动公开政府信息情况……3\n三、收到和处理政府信息公开申请情况……4\n"
                "四、政府信息公开行政复议、行政诉讼情况……5\n五、存在的主要问题及改进情况……6\n六、其他需要报告的事项……7\n")
    r = parse_text(contents + text)
    assert "format.two_reports" not in [f.rule for f in validate_parsed(r)]
    assert r.report.values["s3_new_natural"] == parse_text(text).report.values["s3_new_natural"] == 32


def test_table_two_in_traditional_characters():
    # a report's page served in traditional characters (遂溪县北坡镇 2022, 抚远市自然资源局 2022): 二's heading
    # “主動公開” and the fee column's unit “(單位:萬元)” are read as the simplified labels; distinct numbers, so
    # a shifted column would show
    text = ("一、總體情況\n本機關2022年主動公開信息73條。\n"
            "二、主動公開政府信息情況\n"
            "第二十條第(一)項 | |||\n"
            "信息內容 | 本年制發件數 | 本年廢止件數 | 現行有效件數 |\n"
            "規章 | 0 | 0 | 0 |\n"
            "行政規范性文件 | 3 | 1 | 17 |\n"
            "第二十條第(五)項 | |||\n"
            "信息內容 | 本年處理決定數量 | ||\n"
            "行政許可 | 76 | ||\n"
            "第二十條第(六)項 | |||\n"
            "信息內容 | 本年處理決定數量 | ||\n"
            "行政處罰 | 2 | ||\n"
            "行政強制 | 5 | ||\n"
            "第二十條第(八)項 | |||\n"
            "信息內容 | 本年收費金額(單位:萬元) | ||\n"
            "行政事業性收費 | 26.55 |\n"
            "三、收到和處理政府信息公開申請情況\n")
    r = parse_text(text)
    v = r.report.values
    assert "二" in r.coverage.sections_found
    assert (v["s2_normative_issued"], v["s2_normative_repealed"], v["s2_normative_effective"]) == (3, 1, 17)
    assert (v["s2_licensing_decisions"], v["s2_penalty_decisions"], v["s2_enforcement_decisions"]) == (76, 2, 5)
    assert v["s2_fees_amount"] == 26.55


def test_section_heading_numbered_as_a_list_item():
    # 定兴县肖村乡 2021: “三是收到和处理政府信息公开申请情况” heads table 三; the statutory numeral and the whole
    # line the title, so that “一是…”, “二是…” items of a text are not headings
    head = "一、总体情况\n2021年度我乡主动公开政务信息8条。\n二、主动公开政府信息情况\n"
    r = parse_text(head + "三是收到和处理政府信息公开申请情况\n" + HEAD3.split("\n", 1)[1]
                   + "一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t1\t3\n")
    assert "三" in r.coverage.sections_found
    assert r.report.values["s3_new_total"] == 3
    for item in ("二是收到和处理政府信息公开申请情况\n", "三是收到和处理政府信息公开申请情况良好，均按时答复。\n"):
        assert "三" not in parse_text(head + item).coverage.sections_found, item


def test_table_two_header_glossing_the_year():
    # 绍兴市越城区东湖街道 2023: “本年(2023)制发件数 | 本年(2023)废止件数”, a title row above the first block,
    # and the row labelled “规范性文件”; distinct numbers, so a shifted column would show
    text = ("二、主动公开政府信息情况\n"
            "主动公开政府信息情况 | |||\n"
            "第二十条第(一)项 | |||\n"
            "信息内容 | 本年(2023)制发件数 | 本年（2023年）废止件数 | 现行有效件数 |\n"
            "规章 | 0 | 0 | 0 |\n"
            "规范性文件 | 2 | 1 | 9 |\n"
            "第二十条第(五)项 | |||\n"
            "信息内容 | 本年(2023)处理决定数量 | ||\n"
            "行政许可 | 41 | ||\n")
    v = parse_text(text).report.values
    assert (v["s2_normative_issued"], v["s2_normative_repealed"], v["s2_normative_effective"]) == (2, 1, 9)
    assert v["s2_rules_effective"] == 0
    assert v["s2_licensing_decisions"] == 41


def test_table_two_row_with_its_last_cell_printed_empty():
    # 喀左县卫生健康局 2025: “| 规章 | 0 | 0 | |” — as many cells as the header row, the last one empty: the
    # numbers stand under the columns their cells are in and the empty cell is blank (format.blank_cells)
    head = ("二、主动公开政府信息情况\n| 第二十条第(一)项 | |||\n"
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n")
    r = parse_text(head + "| 规章 | 4 | 7 | |\n| 行政规范性文件 | 3 | | 12 |\n"
                   "| 第二十条第(五)项 | |||\n| 信息内容 | 本年处理决定数量 | ||\n| 行政许可 | 1300 | ||\n")
    v = r.report.values
    assert (v["s2_rules_issued"], v["s2_rules_repealed"], v["s2_rules_effective"]) == (4, 7, None)
    assert (v["s2_normative_issued"], v["s2_normative_repealed"], v["s2_normative_effective"]) == (3, None, 12)
    assert v["s2_licensing_decisions"] == 1300
    assert "format.blank_cells" in {f.rule for f in validate_parsed(r)}
    # its first cell empty: the numbers still stand under the columns the header puts their cells in
    v = parse_text(head + "| 规章 | | 7 | 9 |\n| 行政规范性文件 | 3 | 5 | 12 |\n").report.values
    assert (v["s2_rules_issued"], v["s2_rules_repealed"], v["s2_rules_effective"]) == (None, 7, 9)
    assert (v["s2_normative_issued"], v["s2_normative_repealed"], v["s2_normative_effective"]) == (3, 5, 12)
    # a row of fewer cells than its header cannot tell an empty cell from one merged away: not placed
    v = parse_text(head + "| 规章 | 4 | 7 |\n").report.values
    assert (v["s2_rules_issued"], v["s2_rules_repealed"], v["s2_rules_effective"]) == (None, None, None)


def test_parts_of_section_one_titled_as_tasks():
    # 绍兴市越城区东湖街道 2023: the five parts numbered as the form, titled as tasks — a verb before the part's name
    # (“规范依申请公开办理”, “完善政府信息管理”, “加强监督保障工作”), and （一） by a topic of its own
    text = ("一、总体情况\n根据《条例》的要求,特编制2023年政府信息公开年度报告。\n"
            "(一)加大公开力度\n主动公开政府信息47条。\n"
            "(二)规范依申请公开办理\n办理信息公开申请3件。\n"
            "(三)完善政府信息管理\n定期回审已发布的信息。\n"
            "(四)加强公开平台建设\n规范政务新媒体工作。\n"
            "(五)加强监督保障工作\n指定专人负责。\n"
            "二、主动公开政府信息情况\n")
    r = parse_text(text)
    v = r.report.values
    assert v["n1_proactive"] == "主动公开政府信息47条。"
    assert v["n1_on_request"] == "办理信息公开申请3件。"
    assert v["n1_management"] == "定期回审已发布的信息。"
    assert v["n1_platform"] == "规范政务新媒体工作。"
    assert v["n1_oversight"] == "指定专人负责。"
    assert not [f for f in validate_parsed(r) if f.rule == "narrative.required"]
    # without a （二）依申请公开 after it, a （一） titled by a topic is no part by its number
    r = parse_text("一、总体情况\n(一)加大公开力度\n主动公开政府信息47条。\n(三)完善政府信息管理\n定期回审。\n"
                   "二、主动公开政府信息情况\n")
    assert r.report.values["n1_proactive"] is None
    # a task-worded title is a part only numbered “（X）” with that part's numeral: an item “5.加强平台建设” is not
    r = parse_text("一、总体情况\n(一)加强组织领导\n成立领导小组。\n5.加强平台建设\n更新栏目。\n"
                   "二、主动公开政府信息情况\n")
    assert r.report.values["n1_platform"] is None


def _parts(text: str) -> dict[str, str]:
    v = parse_text(text).report.values
    return {f: v[f] for f in ("n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight")
            if isinstance(v.get(f), str) and v[f].strip()}


def test_parts_of_section_one_numbered_past_five():
    # a town of 北京市大兴区: 一 in seven parts, two of its own among the five (“（七）监督保障”)
    text = ("一、总体情况\n（一）组织领导。我镇高度重视。\n（二）主动公开。全年公开100余条。\n（三）依申请公开。收到16件。\n"
            "（四）政府信息管理。加强源头管理。\n（五）政府信息公开平台建设情况。依托门户网站。\n（六）教育培训。参加培训。\n"
            "（七）监督保障。健全三级审核制度。\n二、主动公开政府信息情况\n")
    parts = _parts(text)
    assert set(parts) == {"n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight"}
    assert "三级审核" in parts["n1_oversight"] and "三级审核" not in parts["n1_platform"]
    # near miss: “（七）” inside a paragraph, after a colon, names no part
    parts = _parts("一、总体情况\n（一）主动公开。一是公开；（七）监督保障另行报告。\n二、主动公开政府信息情况\n")
    assert set(parts) == {"n1_proactive"}


def test_a_part_titled_with_a_verb_before_its_name():
    # 云浮市工业和信息化局 2024: “（三）加强政府信息管理”
    text = ("一、总体情况\n（一）主动公开情况\n发布215条。\n（二）依申请公开情况\n收到1件。\n（三）加强政府信息管理\n"
            "落实审核制度。\n二、主动公开政府信息情况\n")
    assert "落实审核制度" in _parts(text)["n1_management"]
    # near miss: an item “5.加强平台建设” run into a paragraph (平潭 2020's topics) is no part heading
    text = ("一、总体情况\n（一）强化组织协调，着力规范公开工作……4.认真办理依申请公开，受理21件。……5.加强平台建设，"
            "优化网站。……\n二、主动公开政府信息情况\n")
    assert set(_parts(text)) == {"n1_proactive"}
    assert "format.structure" in {f.rule for f in validate_parsed(parse_text(text))}


def test_parts_of_section_one_titled_further_with_a_verb():
    # 平潭综合实验区农业农村局 2023: every part titled “（X）进一步” + a verb + its name, one topic of its own among them
    text = ("一、总体情况\n2023年，我局严格按照《条例》规定推进公开。\n"
            "（一）进一步深化主动公开。2023年主动公开政府信息260条。\n"
            "（二）进一步规范依申请公开。共收到政府信息公开申请7份。\n"
            "（三）进一步加强政府信息管理。更新完善审批表。\n"
            "（四）进一步推动平台建设。依托“三农信息”专栏。\n"
            "（五）进一步丰富解读回应。发布8篇政策解读。\n"
            "（六）进一步落实监督保障。召开部署会3次。\n"
            "二、主动公开政府信息情况\n")
    r = parse_text(text)
    parts = _parts(text)
    assert set(parts) == {"n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight"}
    assert "260条" in parts["n1_proactive"] and "7份" in parts["n1_on_request"]
    assert "审批表" in parts["n1_management"]
    # the topic of its own (（五）解读回应) stays in the part before it; （六） is 监督保障
    assert "8篇" in parts["n1_platform"] and parts["n1_oversight"] == "召开部署会3次。"
    assert not {"format.structure", "narrative.required"} & {f.rule for f in validate_parsed(r)}
    # near miss: an item “2.进一步推动平台建设” inside a part names no part
    parts = _parts("一、总体情况\n（一）主动公开情况。公开45条。\n2.进一步推动平台建设，更新栏目9个。\n"
                   "二、主动公开政府信息情况\n")
    assert set(parts) == {"n1_proactive"} and "栏目9个" in parts["n1_proactive"]


def test_section_one_by_topics_with_only_a_later_part_titled_as_one():
    # 平潭综合实验区市场监督管理局 2021 / 社会事业局 2021: 一 by topics of its own, the last one titled as a part
    # (“（六）监督保障”, “（五）强化监督保障”), the figures of 主动公开 and 依申请公开 in its opening paragraph
    text = ("一、总体情况\n截至12月31日，主动公开政府信息394条。依申请公开政府信息5条。\n"
            "（一）加强人员队伍建设。安排1名业务人员。\n"
            "（二）健全信息公开机制。建立健全政府信息公开目录。\n"
            "（三）持续推进政务新媒体发展。发送信息736条。\n"
            "（六）监督保障。每月报送台账12份。\n"
            "二、主动公开政府信息情况\n")
    r = parse_text(text)
    v = r.report.values
    assert "394条" in v["n1_proactive"] and "736条" in v["n1_proactive"]
    assert v["n1_oversight"] == "每月报送台账12份。"
    rules = [f.rule for f in validate_parsed(r)]
    assert rules.count("format.structure") == 1 and "narrative.required" not in rules
    message = next(f.message for f in validate_parsed(r) if f.rule == "format.structure")
    assert "只有“（六）监督保障”按格式的部分命名" in message and "“（一）加强人员队伍建设”" in message
    # 平潭综合实验区综合执法与应急管理局 2021: the later topic titled with 主动公开 in it, “（三）加强主动公开政府信息管理”
    r = parse_text("一、总体情况\n2021年，共制作政府信息（文件）888份，其中主动公开489份。\n"
                   "（一）加强机制建设。一是加强组织领导。\n（二）全面推进政务公开。一是持续推进“五公开”。\n"
                   "（三）加强主动公开政府信息管理。通过专栏公开政府信息489条。\n二、主动公开政府信息情况\n")
    rules = [f.rule for f in validate_parsed(r)]
    assert rules.count("format.structure") == 1 and "narrative.required" not in rules
    assert "“（三）加强主动公开政府信息管理”按格式的部分命名" in next(
        f.message for f in validate_parsed(r) if f.rule == "format.structure")
    assert "888份" in r.report.values["n1_proactive"] and "专栏公开政府信息489条" in r.report.values["n1_proactive"]
    # near misses: one topic before a later part is not yet 一 by topics (the parts it lacks stay reported)
    r = parse_text("一、总体情况\n（一）加大公开力度\n公开47条。\n（三）完善政府信息管理\n定期回审。\n"
                   "二、主动公开政府信息情况\n")
    assert r.report.values["n1_proactive"] is None
    assert "format.structure" not in {f.rule for f in validate_parsed(r)}
    # nor topics beside a part titled （二）依申请公开: that part is read, the first by its number
    r = parse_text("一、总体情况\n（一）加强人员队伍建设。安排2名人员。\n（二）健全公开机制。建立目录。\n"
                   "（三）依申请公开。收到3件。\n二、主动公开政府信息情况\n")
    assert r.report.values["n1_on_request"] == "收到3件。"
    assert "format.structure" not in {f.rule for f in validate_parsed(r)}


def test_parts_titled_without_numbering_on_lines_of_their_own():
    # 潜江市熊口管理区 2025: “政府信息主动公开情况:” … each part's title alone on its line, ended by a colon
    text = ("一、总体情况\n2025年，熊口管理区推进公开。\n政府信息主动公开情况:\n一是聚焦重点领域深化公开。\n"
            "政府信息依申请公开情况:\n未收到申请。\n政府信息管理情况:\n主动公开政府信息188条。\n二、主动公开政府信息情况\n")
    parts = _parts(text)
    assert set(parts) == {"n1_proactive", "n1_on_request", "n1_management"}
    assert parts["n1_on_request"] == "未收到申请。"
    # near misses: a sentence naming a part, and a title line for an earlier part than the one it is in
    text = ("一、总体情况\n（一）主动公开情况\n全年公开信息45条。\n（二）依申请公开情况\n政府信息管理情况良好。\n"
            "主动公开情况:\n未收到申请。\n二、主动公开政府信息情况\n")
    parts = _parts(text)
    assert set(parts) == {"n1_proactive", "n1_on_request"}
    assert "政府信息管理情况良好" in parts["n1_on_request"] and "未收到申请" in parts["n1_on_request"]


def test_section_two_in_traditional_characters_and_the_older_title_of_section_three():
    # 蓬江區發展和改革局 2024 (a 繁體 copy): “二、主動公開政府信息情況”
    r = parse_text("一、總體情況\n我局公開信息188條。\n二、主動公開政府信息情況\n三、收到和處理政府信息公開申請情況\n")
    assert r.coverage.sections_found[:3] == ["一", "二", "三"]
    # 巍山县牛街乡 2019: “三、政府信息依申请公开办理情况”
    r = parse_text("一、总体情况\n我乡公开信息。\n二、主动公开政府信息情况\n累计公开3条。\n三、政府信息依申请公开办理情况\n"
                   "（一）受理申请的数量：目前未收到。\n")
    assert r.coverage.sections_found == ["一", "二", "三"]
    # near miss: the same words title part （二） of 一 (福清市江阴镇 2023), never section 三
    r = parse_text("一、总体情况\n（一）主动公开政府信息情况\n公开15条。\n（二）政府信息依申请公开办理情况\n收到1件。\n")
    assert r.coverage.sections_found == ["一"]
    assert "收到1件" in (r.report.values["n1_on_request"] or "")
    # nor with another section's numeral (a report numbering 一's parts “一、” “二、”)
    r = parse_text("一、总体情况\n一、主动公开情况\n公开15条。\n二、政府信息依申请公开办理情况\n收到1件。\n")
    assert "三" not in r.coverage.sections_found


def test_a_web_excerpt_cut_inside_section_one_is_one_partial_finding():
    # 白城市 2025 (the page store's excerpt ends in the middle of a sentence of （三）): the parts after it, the
    # tables and 五, 六 are one input.partial, not three “未找到表” and four “未填写”
    text = ("白城市人民政府2025年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开情况\n主动公开政府信息5729条。\n"
            "（二）依申请公开情况\n共受理申请449件。\n（三）政府信息管理情况\n梳理法定主动公开事项清单，强化清单内政府信息\n")
    (part,) = validate_parsed(parse_text(text))
    assert part.rule == "input.partial"
    assert "到“一、总体情况”中间（“（三）政府信息管理”的一句话中断）止" in part.message
    assert "“（四）政府信息公开平台建设”、“（五）监督保障”、表二、表三、表四" in part.message
    assert {"n1_platform", "n1_oversight", "s2_rules_issued", "n5_problems"} <= set(part.fields)
    assert "n1_management" not in part.fields
    # a part's heading opening the line the excerpt ends in (“（五）监督保障。持续健全……公”)
    cut = text.replace("（三）政府信息管理情况\n梳理", "（三）政府信息管理情况。梳理")
    (part,) = validate_parsed(parse_text(cut))
    assert "（“（三）政府信息管理”的一句话中断）" in part.message
    # 建水县青龙镇 2019: cut inside 五 — only 六 is outside
    five = ("一、总体情况\n我镇公开2条信息。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
            "四、政府信息公开行政复议、行政诉讼情况\n五、存在问题和改进措施\n（一）问题\n1.公开内容需要进一步深化。政府机关主动公开的政府信息\n")
    parts = [f for f in validate_parsed(parse_text(five)) if f.rule == "input.partial"]
    assert len(parts) == 1 and "“六、其他需要报告的事项”不在文件中" in parts[0].message
    # near misses: a report whose text ends with its sentence's end lacks the rest — reported as such, one by one
    whole = text.replace("强化清单内政府信息\n", "强化清单内政府信息公开。\n")
    rules = [f.rule for f in validate_parsed(parse_text(whole))]
    assert "input.partial" not in rules and rules.count("narrative.required") == 4 and "input.blank" in rules
    dated = text + "白城市人民政府办公室\n2026年3月12日\n"
    assert "input.partial" not in {f.rule for f in validate_parsed(parse_text(dated))}
    # and a whole report whose 六 ends in a page's footer (no punctuation) is no excerpt
    full = ("一、总体情况\n（一）主动公开\n公开4条。\n（二）依申请公开\n未收到。\n（三）政府信息管理\n规范。\n（四）平台建设\n网站。\n"
            "（五）监督保障\n考核。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
            "五、存在的主要问题及改进情况\n培训不足。\n六、其他需要报告的事项\n未收取信息处理费。\n扫一扫在手机打开当前页\n")
    assert "input.partial" not in {f.rule for f in validate_parsed(parse_text(full))}


# 平潭 2021 and 2019 (tests/data/published/real/pingtan-2021.html, pingtan-2019.html): the layouts of table 三 of two
# whole published pages, with a distinct number in every cell, so that a cell read one column or one row off shows.
_S3_COLS = ("natural", "commercial", "research", "ngo", "legal", "other", "total")


def _s3_rows_html(rows, cell_html, *, result_spans):
    """Rows of table 三 as the pages print them: ``rows`` are (key, level1, level2, level3); ``result_spans`` gives
    the rowspan of each 三、本年度办理结果 cell in order (the 2019 page prints that label twice)."""
    from xl_disclosure.form.layout import run_lengths
    out, spans = [], list(result_spans)
    l2 = run_lengths([r[2] if r[3] else f"#{i}" for i, r in enumerate(rows)])
    left = 0
    for i, (key, l1, lv2, lv3) in enumerate(rows):
        cells = ""
        if not lv2:
            cells += f'<td colspan="3"><p>{l1}</p></td>'
        else:
            if left == 0:
                left = spans.pop(0)
                cells += f'<td rowspan="{left}"><p>{l1}</p></td>'
            left -= 1
            if not lv3:
                cells += f'<td colspan="2"><p>{lv2}</p></td>'
            else:
                if l2[i]:
                    cells += f'<td rowspan="{l2[i]}"><p>{lv2}</p></td>'
                cells += f"<td><p>{lv3}</p></td>"
        out.append(f"<tr>{cells}{cell_html(i, key)}</tr>")
    return "".join(out)


def _value(i, j):
    return (i + 1) * 10 + j  # row i, column j: every cell of the table distinct


def test_table3_whose_header_grid_does_not_line_up_with_its_rows():
    # 平潭 2021 (pasted from Word): 自然人 spans two columns without a rowspan, an empty cell under its first, and
    # 商业企业 spans two columns under its second; every row writes 商业企业's number in a colspan="2" cell
    from xl_disclosure.form import S3_ROWS
    rows = [(r.key, r.level1, r.level2, r.level3) for r in S3_ROWS]

    def cells(i, key):
        v = [_value(i, j) for j in range(7)]
        return (f"<td><p>{v[0]}</p></td><td colspan=\"2\"><p>{v[1]}</p></td>"
                + "".join(f"<td><p>{x}</p></td>" for x in v[2:]))
    html = ("<p>三、收到和处理政府信息公开申请情况</p><table border=\"1\"><tbody>"
            "<tr><td colspan=\"3\" rowspan=\"3\"><p>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p>"
            "</td><td colspan=\"8\"><p>申请人情况</p></td></tr>"
            "<tr><td colspan=\"2\"><p>自然人</p></td><td colspan=\"5\"><p>法人或其他组织</p></td>"
            "<td rowspan=\"2\"><p>总计</p></td></tr>"
            "<tr><td><p>&nbsp;</p></td><td colspan=\"2\"><p>商业</p><p>企业</p></td><td><p>科研</p><p>机构</p></td>"
            "<td><p>社会公益组织</p></td><td><p>法律服务机构</p></td><td><p>其他</p></td></tr>"
            + _s3_rows_html(rows, cells, result_spans=[22]) + "</tbody></table>")
    values = parse_html(html).report.values
    got = {(key, c): values[f"s3_{key}_{c}"] for key, *_ in rows for c in _S3_COLS}
    assert got == {(key, c): _value(i, j) for i, (key, *_) in enumerate(rows) for j, c in enumerate(_S3_COLS)}


def test_table3_whose_results_label_is_printed_twice():
    # 平潭 2019 (2019 trial format, a Word table continued on a new page): 三、本年度办理结果 printed again,
    # rowspan 10 each, over （一）–（三）8. and over （四）–（七）; （六）其他处理 one row, as the trial format had it
    from xl_disclosure.form import S3_ROWS
    rows = [(r.key, r.level1, r.level2, r.level3) for r in S3_ROWS if not r.key.startswith("other_")]
    at = next(i for i, r in enumerate(rows) if r[0] == "results_total")
    rows.insert(at, ("other", "三、本年度办理结果", "（六）其他处理", ""))

    def cells(i, key):
        return "".join(f"<td><p>{_value(i, j)}</p></td>" for j in range(7))
    html = ("<p>三、收到和处理政府信息公开申请情况</p><table border=\"1\"><tbody>"
            "<tr><td colspan=\"3\" rowspan=\"3\"><p>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p>"
            "</td><td colspan=\"7\"><p>申请人情况</p></td></tr>"
            "<tr><td rowspan=\"2\"><p>自然人</p></td><td colspan=\"5\"><p>法人或其他组织</p></td>"
            "<td rowspan=\"2\"><p>总计</p></td></tr>"
            "<tr><td><p>商业企业</p></td><td><p>科研机构</p></td><td><p>社会公益组织</p></td><td><p>法律服务机构</p></td>"
            "<td><p>其他</p></td></tr>"
            + _s3_rows_html(rows, cells, result_spans=[10, 10]) + "</tbody></table>")
    r = parse_html(html)
    values = r.report.values
    printed = [(i, key) for i, (key, *_) in enumerate(rows) if key != "other"]
    got = {(key, c): values[f"s3_{key}_{c}"] for _, key in printed for c in _S3_COLS}
    assert got == {(key, c): _value(i, j) for i, key in printed for j, c in enumerate(_S3_COLS)}
    # the single （六） row is not spread over （六）1.–3.: they stay blank, and it is said once
    assert all(values[f"s3_{k}_{c}"] is None for k in ("other_no_correction", "other_unpaid", "other_misc")
               for c in _S3_COLS)
    assert [f.rule for f in validate_parsed(r)].count("format.rows") == 1


def _section_one_html(parts: str) -> str:
    return ("<html><body><p>一、总体情况</p><p>2025年，我局推进政务公开。</p>" + parts
            + "<p>二、主动公开政府信息情况</p><p>五、存在的主要问题及改进情况</p><p>主要问题是解读不够。</p>"
              "<p>六、其他需要报告的事项</p><p>本年度未收取信息处理费。</p></body></html>")


def test_first_part_written_for_proactive_and_on_request_together_is_one_format_finding():
    # 平潭综合实验区旅游与文化体育局 2025: （一）信息公开方面 tells of 主动公开 and of the applications, then
    # （二）信息管理 （三）平台建设 （四）监督管理 — one format.structure, no “（二）依申请公开 未填写”
    r = parse_html(_section_one_html(
        "<p>（一）信息公开方面。全年主动公开各类政府信息80条；规范做好依申请公开信息答复工作，全年办理政府信息公开申请3件。</p>"
        "<p>（二）信息管理方面。规范政府信息发布流程。</p><p>（三）平台建设方面。开设公共文化体育栏目。</p>"
        "<p>（四）监督管理方面。安排专人负责政府信息公开工作。</p>"))
    v = r.report.values
    assert v["n1_proactive"].startswith("全年主动公开各类政府信息80条")
    assert v["n1_on_request"] in (None, "")
    assert v["n1_oversight"] == "安排专人负责政府信息公开工作。"
    rules = [f.rule for f in validate_parsed(r)]
    assert rules.count("format.structure") == 1
    assert not [f for f in validate_parsed(r) if f.rule == "narrative.required" and "依申请" in f.message]
    # near miss: a first part titled 信息公开 that tells nothing of applications is the 主动公开 part alone, and
    # the part on applications is missing
    r = parse_html(_section_one_html(
        "<p>（一）信息公开方面。全年主动公开各类政府信息80条。</p>"
        "<p>（二）信息管理方面。规范政府信息发布流程。</p><p>（三）平台建设方面。开设栏目。</p>"
        "<p>（四）监督保障方面。安排专人负责。</p>"))
    assert [f.rule for f in validate_parsed(r)].count("format.structure") == 0
    assert any(f.rule == "narrative.required" and "依申请" in f.message for f in validate_parsed(r))


def test_second_part_on_disclosure_as_a_whole_after_a_topic_is_one_format_finding():
    # 平潭 海坛片区 2021: （一）强化组织领导, then （二）常态化推进政府信息公开 tells of 主动公开 and, as its 二是, of the
    # applications, then （三）…管理 （四）…平台建设 （五）强化监督管理 — 主动公开 read from （二), one format.structure,
    # no “（一）主动公开 / （二）依申请公开 未填写”
    r = parse_html(_section_one_html(
        "<p>（一）强化组织领导。将政务公开工作纳入重要议事日程。</p>"
        "<p>（二）常态化推进政府信息公开。2021年我局共公开政府信息267条。二是依法做好依申请公开信息工作，2021年暂未接到申请。</p>"
        "<p>（三）规范政府信息管理。一是推进标准化规范化建设。</p><p>（四）加强公开平台建设。一是办好专栏。</p>"
        "<p>（五）强化监督管理。严格落实信息公开制度。</p>"))
    v = r.report.values
    assert v["n1_proactive"].startswith("2021年我局共公开政府信息267条")
    assert "组织领导" not in v["n1_proactive"]
    assert v["n1_oversight"] == "严格落实信息公开制度。"
    found = validate_parsed(r)
    assert [f.rule for f in found].count("format.structure") == 1
    assert not [f for f in found if f.rule == "narrative.required"]
    # near misses: the same （二） telling nothing of applications, or a second part on another topic, leave 一's
    # first two parts unread as before
    for second in ("<p>（二）常态化推进政府信息公开。2021年我局共公开政府信息267条。</p>",
                   "<p>（二）常态化推进作风建设。依申请公开工作有序。</p>"):
        r = parse_html(_section_one_html(
            "<p>（一）强化组织领导。将政务公开工作纳入重要议事日程。</p>" + second
            + "<p>（三）规范政府信息管理。一是推进建设。</p><p>（四）加强公开平台建设。一是办好专栏。</p>"
              "<p>（五）强化监督管理。严格落实制度。</p>"))
        assert [f.rule for f in validate_parsed(r)].count("format.structure") == 0, second
        assert any(f.rule == "narrative.required" for f in validate_parsed(r)), second


def test_section_heading_with_its_numeral_glued_to_the_title():
    # 平潭 金井片区 2020: “一总体情况” (no 、) heads section 一; the statutory numeral and the whole line the title,
    # so that a sentence or another section's numeral is no heading
    tail = "<p>二、主动公开政府信息情况</p><p>五、存在的主要问题及改进情况</p><p>解读不够。</p></body></html>"
    r = parse_html("<html><body><p>一总体情况</p><p>2020年，我局推进政务公开。</p>" + tail)
    assert "一" in r.coverage.sections_found
    for line in ("一总体情况良好，稳步推进", "二总体情况"):
        r = parse_html(f"<html><body><p>{line}</p><p>2020年，我局推进政务公开。</p>" + tail)
        assert "一" not in r.coverage.sections_found, line


def test_first_part_titled_with_both_names_is_one_format_finding():
    # 平潭综合实验区交通与建设局 2022: “（一）加强主动公开和依申请公开办理方面。” then （二）…管理 （三）栏目平台建设和
    # 政务新媒体建设 （四）监督保障 — the title is taken whole (not “和依申请公开办理方面。” as the text of 主动公开)
    r = parse_html(_section_one_html(
        "<p>（一）加强主动公开和依申请公开办理方面。2022年，我局主动公开政府信息126条。全年我局共收到政府信息公开申请11件。</p>"
        "<p>（二）强化政府信息管理工作方面。规范信息采集、审核、发布。</p>"
        "<p>（三）栏目平台建设和政务新媒体建设方面。一是新增专栏。</p><p>（四）监督保障方面。一是加强组织领导。</p>"))
    v = r.report.values
    assert v["n1_proactive"].startswith("2022年，我局主动公开政府信息126条")
    assert v["n1_platform"] == "一是新增专栏。"
    found = validate_parsed(r)
    assert [f.rule for f in found].count("format.structure") == 1
    assert "加强主动公开和依申请公开办理方面" in next(f.message for f in found if f.rule == "format.structure")
    assert not [f for f in found if f.rule == "narrative.required"]


def test_a_page_whose_report_is_an_attachment_is_refused_naming_it():
    """平潭公安局 2020: the page's article body holds only the title, the report is the attached .doc (附件下载).
    The refusal names the attachment and says to read it; no number is placed; a page with its tables is not
    affected by a link to its attachments."""
    from xl_disclosure.readers.published import html_attachments, no_tables_message

    page = ('<div class="TRS_Editor"><p>某局2020年政府信息公开工作年度报告</p></div><div class="article_attachment">'
            '<p>附件下载</p><ul><li><a href="./P0202407.doc">某局2020年政府信息公开工作年度报告.doc</a></li>'
            '<li><a href=\'/files/t1.PDF?v=2\' target="_blank"><span>统计表</span></a></li>'
            '<li><a href="./P0202407.doc">某局2020年政府信息公开工作年度报告.doc</a></li>'
            '<li><a href="https://example.gov.cn/a/b/报告附表.xlsx"></a></li><li><a href="./x.html">上一篇</a></li></ul></div>')
    assert html_attachments(page) == ["某局2020年政府信息公开工作年度报告.doc", "统计表", "报告附表.xlsx"]
    r = parse_html(page)
    assert not r.found_tables and r.report.values.get("s3_new_total") is None
    assert r.coverage.attachments == ["某局2020年政府信息公开工作年度报告.doc", "统计表", "报告附表.xlsx"]
    assert r.coverage.to_json()["attachments"] == r.coverage.attachments
    assert r.coverage.missing["s2_rules_issued"].startswith("未找到表二（网页附有附件“某局2020年")
    message = no_tables_message("局.html", r)
    assert message.startswith("局.html：网页中没有年度报告的表格；网页附有附件“某局2020年政府信息公开工作年度报告.doc”"
                              "“统计表”“报告附表.xlsx”，报告（或其表格）看来是以附件发布的。请下载附件")
    # the headings on the page, the tables in the attachment: both said
    r = parse_html("<p>二、主动公开政府信息情况</p><p>详见附件。</p><p>三、收到和处理政府信息公开申请情况</p>"
                   '<p>附件：<a href="t.docx">附表</a></p>')
    assert no_tables_message("局.html", r).startswith(
        "局.html：找到了表格部分的标题（二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况），但其下没有表格；"
        "网页附有附件“附表”")
    # a page with no attachment is refused as before
    assert "未找到年度报告的表格" in no_tables_message("局.html", parse_html("<p>某局2020年政府信息公开工作年度报告</p>"))
    # a page that holds its tables reads them; its attachments are only listed
    real = Path(__file__).parent / "data" / "published" / "real"
    text = (real / "pingtan-gwh-2025.html").read_text(encoding="utf-8")
    text = text.replace("</body>", '<ul><li><a href="./P1.pdf">原文.pdf</a></li></ul></body>')
    r = parse_html(text)
    assert r.coverage.complete and r.coverage.attachments == ["原文.pdf"]
    assert r.report.values["s3_new_total"] == 32 and not any("附件" in n for n in r.coverage.missing.values())


def test_table_three_variant_wording_of_a_row_label():
    # 平潭综合实验区君山片区管理局 2025: “2.其他法律和行政法规禁止公开” (the form: 其他法律行政法规禁止公开), beside
    # its group's label as a cell of its own
    head = "三、收到和处理政府信息公开申请情况\n| | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
    text = (head + "| 一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |\n"
            "| （三）不予公开 | 2.其他法律和行政法规禁止公开 | 3 | 0 | 0 | 0 | 1 | 0 | 4 |\n")
    v = parse_text(text).report.values
    assert [v[f"s3_deny_law_{c}"] for c in ("natural", "legal", "total")] == [3, 1, 4]
    assert v["s3_deny_secret_natural"] is None and v["s3_reject_repeat_natural"] is None


def test_table_three_ruled_row_broken_by_a_page_reads_its_label_on_the_next_page():
    # 平潭社会事业局 2025 exported by LibreOffice: （六）1.'s row broken by the page, “1.申请人无” and its numbers at the
    # foot of page 3, the rest of its label “正当理由逾期不补正、……” the first row of page 4, without numbers
    from dataclasses import replace

    from xl_disclosure.readers.published import html_lines, parse_lines

    lines = html_lines(REAL.joinpath("pingtan-2024.html").read_text(encoding="utf-8"))
    at = next(i for i, line in enumerate(lines) if "逾期不补正" in line.text)
    row = lines[at]
    label_col = row.cells[1][0]
    numbers = [(c, str(n)) for (c, _), n in zip(row.cells[2:], (6, 0, 0, 0, 0, 2, 8), strict=True)]
    head = replace(row, text="（六 1.申请人无", cells=[(row.cells[0][0], "（六"), (label_col, "1.申请人无"), *numbers])
    rest = replace(row, text="）其他处理 正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                   cells=[(row.cells[0][0], "）其他处理"), (label_col, "正当理由逾期不补正、行政机关不再处理其政府信息公开申请")])
    paged = [replace(line, page=3 if i <= at else 4) for i, line in enumerate([*lines[:at], head, rest,
                                                                                *lines[at + 1:]])]
    v = parse_lines(paged).report.values
    assert [v[f"s3_other_no_correction_{c}"] for c in ("natural", "other", "total")] == [6, 2, 8]
    assert v["s3_other_unpaid_natural"] == 0  # the next row is read as before
    # on one page, a row of no numbers below is no continuation of the label: the row is not placed
    flat = [replace(line, page=3) for line in paged]
    assert parse_lines(flat).report.values["s3_other_no_correction_natural"] is None


S3_HEAD = ("<p>三、收到和处理政府信息公开申请情况</p><table><tr><td colspan=3 rowspan=2>（本列数据的勾稽关系为：第一项加第二项之和，"
           "等于第三项加第四项之和）</td><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>"
           "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
           "<tr><td colspan=3>一、本年新收政府信息公开申请数量</td>" + "".join(f"<td>{x}</td>" for x in (4, 0, 0, 0, 0, 1, 5))
           + "</tr>")
OTHER = ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
         "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他")


def _merged_other(first: tuple[object, ...]) -> str:
    """Table 三's （六） rows with the seven numbers of 1. merged down over 1.–3. (平潭 市场监督管理局 2023)."""
    cells = "".join(f"<td rowspan=3>{x}</td>" for x in first)
    return (S3_HEAD + f"<tr><td rowspan=3>三、本年度办理结果</td><td rowspan=3>（六）其他处理</td><td>{OTHER[0]}</td>{cells}"
            f"</tr><tr><td>{OTHER[1]}</td></tr><tr><td>{OTHER[2]}</td></tr></table>")


def test_a_zero_merged_down_over_item_rows_is_each_of_their_values():
    v = parse_html(_merged_other((0,) * 7)).report.values
    cols = ("natural", "commercial", "research", "ngo", "legal", "other", "total")
    for key in ("other_no_correction", "other_unpaid", "other_misc"):
        assert [v[f"s3_{key}_{c}"] for c in cols] == [0] * 7, key
    assert [v[f"s3_new_{c}"] for c in ("natural", "other", "total")] == [4, 1, 5]


def test_a_number_other_than_zero_merged_down_is_not_repeated():
    # 2 merged over three rows may be their total, or one row's: no row gets it, not even the first
    v = parse_html(_merged_other((2, 0, 0, 0, 0, 0, 2))).report.values
    for key in ("other_no_correction", "other_unpaid", "other_misc"):
        assert [v[f"s3_{key}_{c}"] for c in ("natural", "total")] == [None, None], key
        assert v[f"s3_{key}_commercial"] == 0, key


def test_a_zero_merged_down_over_a_wrapped_label_is_not_a_second_row():
    # the label of 5. wrapped over two table rows, its numbers merged down over both: one row, read once
    html = (S3_HEAD + "<tr><td rowspan=2>三、本年度办理结果</td><td rowspan=2>（五）不予处理</td><td>5.要求行政机关确认或重新出</td>"
            + "".join("<td rowspan=2>0</td>" for _ in range(7)) + "</tr><tr><td>具已获取信息</td></tr></table>")
    r = parse_html(html)
    assert [r.report.values[f"s3_reject_confirm_{c}"] for c in ("natural", "total")] == [0, 0]
    assert r.report.values["s3_other_misc_natural"] is None


def test_platform_part_titled_with_other_words():
    # 平潭 海坛片区 2025 “（四）公开平台阵地建设情况。”, 苏平片区 2025 “（四）平台运维持续加强。”, 君山片区 2025
    # “（四）公开平台优化升级，……”: part （四） each time
    for head in ("（四）公开平台阵地建设情况。", "（四）平台运维持续加强。", "（四）公开平台优化升级，互动渠道更加畅通。",
                 "（四）政府信息公开建设情况。"):
        text = (f"一、总体情况\n（一）主动公开情况。公开129条。\n（二）依申请公开情况。受理7件。\n{head}推送文章460篇。\n"
                "（五）监督保障情况。定期自查。\n二、主动公开政府信息情况\n")
        parts = _parts(text)
        assert set(parts) == {"n1_proactive", "n1_on_request", "n1_platform", "n1_oversight"}, head
        assert parts["n1_platform"].endswith("推送文章460篇。"), head
    # near miss: the platform named inside a sentence of another part is no heading
    parts = _parts("一、总体情况\n（一）主动公开情况。通过公开平台优化升级发布信息31条。\n二、主动公开政府信息情况\n")
    assert set(parts) == {"n1_proactive"}
    # nor is 建设 without 公开 before it (“（四）建设项目审批”)
    parts = _parts("一、总体情况\n（一）主动公开情况。公开31条。\n（四）建设项目审批公开。公开5条。\n二、主动公开政府信息情况\n")
    assert "n1_platform" not in parts


def test_sections_five_and_six_swapped_with_a_fee_table():
    # 平潭 金井/苏平片区 2025: “五、信息处理费收取情况” and its table, then “六、存在的主要问题及改进措施”; no
    # “其他需要报告的事项” heading.  The fee table is 六's content: its figures read by their column headers, one
    # format.structure finding for the swap, no “六 未填写”
    html = ("<p>一、总体情况</p><p>（一）主动公开情况</p><p>公开20条。</p><p>四、政府信息公开行政复议、行政诉讼情况</p>"
            "<p>五、信息处理费收取情况</p><table border=\"1\"><tbody>"
            "<tr><td><br/></td><td><p>通知收取</p><p>件数</p></td><td><p>通知收取金额（元）</p></td>"
            "<td><p>实际收取</p><p>金额（元）</p></td></tr>"
            "<tr><td><p>信息处理费收取情况</p></td><td><p>3</p></td><td><p>450</p></td><td><p>300.5</p></td></tr>"
            "</tbody></table><p>六、存在的主要问题及改进措施</p><p>主动公开深度、广度不足。对此，我局将加强培训。</p>")
    r = parse_html(html)
    v = r.report.values
    assert (v["n6_fee_notices"], v["n6_fee_notice_amount"], v["n6_fee_collected"]) == (3, 450, 300.5)
    assert r.sources["n6_fee_notice_amount"]["row"] == 2
    assert "主动公开深度" in v["n5_problems"]
    findings = validate_parsed(r)
    structure = [f for f in findings if f.rule == "format.structure"]
    assert len(structure) == 1 and "五、信息处理费收取情况" in structure[0].message
    assert not [f for f in findings if f.rule in ("narrative.required", "content.fees") and f.field == "n6_other"]
    # near misses: a fee table in 万元, or one whose headers do not name all three figures, places nothing
    for header in ("<td><p>通知收取件数</p></td><td><p>通知收取金额（万元）</p></td><td><p>实际收取金额（万元）</p></td>",
                   "<td><p>通知收取件数</p></td><td><p>金额（元）</p></td><td><p>实际收取金额（元）</p></td>"):
        r = parse_html(f"<p>六、其他需要报告的事项</p><table border=\"1\"><tbody><tr>{header}</tr>"
                       "<tr><td><p>3</p></td><td><p>450</p></td><td><p>300</p></td></tr></tbody></table>")
        assert all(r.report.values[f] is None for f in ("n6_fee_notices", "n6_fee_notice_amount", "n6_fee_collected"))


def test_sections_under_other_titles_and_numbers():
    # 平潭 君山片区 2025: 一 titled by a topic (“一、年度工作核心成效”, its parts below it), 五 in two headings
    # (“五、当前存在的突出问题” “六、下一步改进举措”), 六 numbered “七、其他需说明事项”
    text = ("一、年度工作核心成效\n（一）主动公开多点发力，覆盖范围持续拓宽。全年公开55条。\n"
            "（二）依申请公开规范高效，办理质量稳步提升。受理1件。\n（三）信息管理体系健全，基础保障不断夯实。审核。\n"
            "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
            "五、当前存在的突出问题\n信息公开的时效性有待进一步提升。\n六、下一步改进举措\n一是优化信息更新机制。\n"
            "七、其他需说明事项\n全年未产生政府信息公开信息处理费。\n")
    r = parse_text(text)
    assert r.coverage.sections_found == ["一", "二", "三", "四", "五", "六"]
    v = r.report.values
    assert "55条" in v["n1_proactive"] and "受理1件" in v["n1_on_request"] and v["n1_management"]
    assert "时效性" in v["n5_problems"] and "优化信息更新机制" in v["n5_problems"]
    assert "信息处理费" in v["n6_other"]
    structure = [f.message for f in validate_parsed(r) if f.rule == "format.structure"]
    assert len(structure) == 1 and "七、其他需说明事项" in structure[0]
    # near misses: a “一、” item line with no parts of 一 below it is no section 一; nor one after 二's heading
    r = parse_text("一、加强组织领导\n成立领导小组。\n二、主动公开政府信息情况\n")
    assert "一" not in r.coverage.sections_found
    r = parse_text("二、主动公开政府信息情况\n一、主动公开情况\n（一）主动公开多点发力。\n（二）依申请公开规范高效。\n")
    assert "一" not in r.coverage.sections_found


def test_table2_header_misprinted_by_one_character():
    # 平潭 海坛片区 2023: “先行有效件数” for 现行有效件数, beside 本年制发件数 and 本年废止件数: that column, said once
    def html(third, first="本年制发件数"):
        return ("<p>二、主动公开政府信息情况</p><table border=\"1\"><tbody>"
                "<tr><td colspan=\"4\"><p>第二十条第（一）项</p></td></tr>"
                f"<tr><td><p>信息内容</p></td><td><p>{first}</p></td><td><p>本年废止件数</p></td><td><p>{third}</p></td></tr>"
                "<tr><td><p>行政规范性文件</p></td><td><p>3</p></td><td><p>1</p></td><td><p>27</p></td></tr>"
                "</tbody></table>")
    r = parse_html(html("先行有效件数"))
    v = r.report.values
    assert (v["s2_normative_issued"], v["s2_normative_repealed"], v["s2_normative_effective"]) == (3, 1, 27)
    assert [n for n in r.coverage.notes if "先行有效件数" in n and "现行有效件数" in n]
    # near misses: two characters off, or a misprint beside one column named exactly, leave the row unread
    for third, first in (("先行无效件数", "本年制发件数"), ("先行有效件数", "本年发文件数")):
        v = parse_html(html(third, first)).report.values
        assert v["s2_normative_effective"] is None and v["s2_normative_issued"] is None, (third, first)


# ---------------------------------------------------------------- a row of table 二 not printed at all

def _seed_without(*labels: str, change: dict[str, str] | None = None) -> str:
    from tests.parse_helpers import seed_layout_text
    from tests.rule_cases import base
    lines = [line for line in seed_layout_text(base()).split("\n") if not line.startswith(labels)]
    text = "\n".join(lines)
    for a, b in (change or {}).items():
        assert a in text
        text = text.replace(a, b)
    return text


def test_table2_printed_without_its_rules_row_is_one_format_finding():
    # 平潭综合实验区海峡合作服务中心 2025: 二 prints 行政规范性文件, 行政许可, 行政处罚, 行政强制, 行政事业性收费 — no 规章
    r = parse_file(Path(__file__).parent / "data" / "published" / "real" / "pingtan-hzs-2025.html")
    findings = validate_parsed(r)
    assert not [f for f in findings if f.rule == "input.blank"]
    (f,) = [f for f in findings if f.rule == "format.rows"]
    assert f.message.startswith("表二没有印“规章”行（印出的行：“行政规范性文件”“行政许可”“行政处罚”“行政强制”"
                                "“行政事业性收费”）")
    assert f.fields == ("s2_rules_issued", "s2_rules_repealed", "s2_rules_effective")
    assert "表二没有印“规章”行" in r.coverage.missing["s2_rules_issued"]


def test_rows_of_table2_not_printed_are_one_finding_and_a_row_without_numbers_stays_unread():
    findings = validate_parsed(parse_text(_seed_without("规章\t", "行政强制\t")))
    assert not [f for f in findings if f.rule == "input.blank"]
    (f,) = [f for f in findings if f.rule == "format.rows"]
    assert f.message.startswith("表二没有印“规章”“行政强制”行（印出的行：“行政规范性文件”“行政许可”“行政处罚”"
                                "“行政事业性收费”）")
    assert len(f.fields) == 4
    # near misses: a row printed with its label and no number is no missing row (its cell is reported unread) …
    findings = validate_parsed(parse_text(_seed_without(change={"行政许可\t0": "行政许可"})))
    assert not [f for f in findings if f.rule == "format.rows"]
    assert [f.field for f in findings if f.rule == "input.blank"] == ["s2_licensing_decisions"]
    # … nor a row whose label the table prints where no row is read (a label wrapped, the numbers on a line
    # of their own): which row those numbers are is not known, the cells stay unread, reported as such
    findings = validate_parsed(parse_text(_seed_without(change={"规章\t0\t0\t0": "规\n0\t0\t0"})))
    assert not [f for f in findings if f.rule == "format.rows"]
    assert [f.field for f in findings if f.rule == "input.blank"] == ["s2_rules_issued"]


def test_a_number_other_than_zero_merged_down_over_item_rows_is_placed_in_none_of_them():
    # 2, 3, 1 and 6 merged over （六）1.–3.: which of the three rows they are (or whether they are the rows' total)
    # the page does not say — no row gets them; the zeros merged down are each row's, as before
    r = parse_html(_merged_other((2, 3, 0, 0, 0, 1, 6)))
    v = r.report.values
    for key in ("other_no_correction", "other_unpaid", "other_misc"):
        assert [v[f"s3_{key}_{c}"] for c in ("natural", "commercial", "other", "total")] == [None] * 4, key
        assert [v[f"s3_{key}_{c}"] for c in ("research", "ngo", "legal")] == [0, 0, 0], key
    findings = validate_parsed(r)
    (f,) = [f for f in findings if f.rule == "format.rows"]
    assert f.message.startswith(
        "表三“三、本年度办理结果 （六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”"
        "“2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请”“3.其他”共 3 行的数字印在合并单元格里"
        "（“自然人”2、“商业企业”3、“其他”1、“总计”6，各跨这 3 行）")
    assert {f"s3_{key}_{c}" for key in ("other_no_correction", "other_unpaid", "other_misc")
            for c in ("natural", "commercial", "other", "total")} <= r.covered
    assert r.format_findings[-1]["source"]["excerpt"].endswith("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
                                                               " 2 3 0 0 0 1 6")
    # (the fragment holds no other row of 三: those are reported unread, none of （六）'s)
    assert not [fid for f in findings if f.rule in ("input.blank", "format.blank_cells") for fid in f.fields
                if fid.startswith("s3_other_")]
    assert "合并为一格，印作“2”" in r.coverage.missing["s3_other_unpaid_natural"]
    # the rows after are read as printed
    assert [v[f"s3_new_{c}"] for c in ("natural", "other", "total")] == [4, 1, 5]


def _merged_other_docx(path: Path, first: tuple[int, ...]) -> Path:
    """The same rows in a Word table: the numbers of 1. merged down (vMerge) over 1.–3."""
    import docx

    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=6, cols=10)
    t.cell(0, 0).merge(t.cell(1, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t.cell(0, 3).merge(t.cell(1, 3)).text = "自然人"
    t.cell(0, 4).merge(t.cell(0, 8)).text = "法人或其他组织"
    t.cell(0, 9).merge(t.cell(1, 9)).text = "总计"
    for i, h in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")):
        t.cell(1, 4 + i).text = h
    t.cell(2, 0).merge(t.cell(2, 2)).text = "一、本年新收政府信息公开申请数量"
    for i, x in enumerate((4, 0, 0, 0, 0, 1, 5)):
        t.cell(2, 3 + i).text = str(x)
    t.cell(3, 0).merge(t.cell(5, 0)).text = "三、本年度办理结果"
    t.cell(3, 1).merge(t.cell(5, 1)).text = "（六）其他处理"
    for i, label in enumerate(OTHER):
        t.cell(3 + i, 2).text = label
    for i, x in enumerate(first):
        t.cell(3, 3 + i).merge(t.cell(5, 3 + i)).text = str(x)
    d.save(str(path))
    return path


def test_numbers_merged_down_over_item_rows_of_a_word_table(tmp_path):
    from xl_disclosure.readers.published import parse_docx
    r = parse_docx(_merged_other_docx(tmp_path / "merged.docx", (2, 3, 0, 0, 0, 1, 6)))
    v = r.report.values
    for key in ("other_no_correction", "other_unpaid", "other_misc"):
        assert [v[f"s3_{key}_{c}"] for c in ("natural", "commercial", "other", "total")] == [None] * 4, key
        assert [v[f"s3_{key}_{c}"] for c in ("research", "ngo", "legal")] == [0, 0, 0], key
    (f,) = [f for f in validate_parsed(r) if f.rule == "format.rows"]
    assert "（“自然人”2、“商业企业”3、“其他”1、“总计”6，各跨这 3 行）" in f.message
    assert [v[f"s3_new_{c}"] for c in ("natural", "other", "total")] == [4, 1, 5]

HZS_2023 = Path(__file__).parent / "data" / "published" / "real" / "pingtan-hzs-2023.html"
S3_HEADING = "<p>三、收到和处理政府信息公开申请情况</p>"


def _with_s3_prose(prose: str, on_request: str | None = None) -> list:
    """平潭 行政审批局 2023 (新收 7, 予以公开 0, 部分公开 1; every total adds up) with ``prose`` printed between
    section 三's heading and its table, as 经济发展局 2023 prints “2023年，共收到政府信息公开申请0条。”."""
    page = HZS_2023.read_text(encoding="utf-8")
    assert page.count(S3_HEADING) == 1
    page = page.replace(S3_HEADING, S3_HEADING + prose)
    if on_request is not None:
        page = page.replace("收到公民、法人和其他组织政府信息公开申请7件", on_request)
    return validate_parsed(parse_html(page))


def test_figures_printed_beside_table_three_are_read_back_against_it():
    found = [f for f in _with_s3_prose("<p>本年度，共收到政府信息公开申请9件，其中予以公开3件。</p>")
             if f.rule.startswith("narrative.")]
    assert sorted(f.rule for f in found) == ["narrative.applications", "narrative.outcomes"]
    applications = next(f for f in found if f.rule == "narrative.applications")
    assert (applications.actual, applications.expected) == (9, 7)
    assert applications.fields == ("s3_new_total",)
    assert applications.message.startswith("“三、收到和处理政府信息公开申请情况”写有“本年度，共收到政府信息公开申请9件")
    outcomes = next(f for f in found if f.rule == "narrative.outcomes")
    assert (outcomes.actual, outcomes.expected) == (3, 0)


def test_figures_beside_table_three_near_misses_raise_nothing():
    for prose in ("<p>本年度，共收到政府信息公开申请7件，其中部分公开1件。</p>",  # as the table says
                  "<p>2022年，共收到政府信息公开申请5件。</p>",  # another year
                  "<p>各部门共收到政府信息公开申请12件。</p>",  # part of the work, not the agency's own
                  "<p>本年度共收到政府信息公开申请9件</p>"):  # no sentence's end: a label line of a table
        assert not [f.rule for f in _with_s3_prose(prose) if f.rule.startswith("narrative.")], prose


def test_a_count_one_part_and_table_three_both_contradict_is_one_finding():
    found = _with_s3_prose("<p>本年度，共收到政府信息公开申请9件。</p>",
                           on_request="共收到政府信息公开申请9件")
    applications = [f for f in found if f.rule == "narrative.applications"]
    assert len(applications) == 1
    assert applications[0].field == "n1_on_request"  # the part of 一 says it first


S4_HEADING = "<p>四、政府信息公开行政复议、行政诉讼情况</p>"


def test_what_the_sentences_beside_tables_three_and_four_rule_out_is_read_back():
    # 行政审批局 2023 prints 新收 7, 行政复议 1 (结果维持) and 复议后起诉 1: sentences saying there were none contradict it
    page = HZS_2023.read_text(encoding="utf-8")
    page = page.replace(S3_HEADING, S3_HEADING + "<p>本年度未收到政府信息公开申请。</p>")
    page = page.replace(S4_HEADING, S4_HEADING + "<p>2023年，没有政府信息公开行政复议及行政诉讼情况。</p>")
    found = [f for f in validate_parsed(parse_html(page)) if f.rule == "narrative.contradiction"]
    by_cells = {f.fields: f for f in found}
    assert set(by_cells) == {("s3_new_total",), ("s4_reconsideration_total",),
                             ("s4_direct_suit_total", "s4_suit_after_total")}
    assert by_cells[("s3_new_total",)].actual == 7
    assert by_cells[("s4_reconsideration_total",)].actual == 1
    assert by_cells[("s4_direct_suit_total", "s4_suit_after_total")].actual == 1
    assert by_cells[("s4_reconsideration_total",)].message.startswith(
        "“四、政府信息公开行政复议、行政诉讼情况”写有“2023年，没有政府信息公开行政复议及行政诉讼情况。”")


def test_negations_beside_tables_near_misses_raise_nothing():
    page = HZS_2023.read_text(encoding="utf-8")
    for s3, s4 in (("<p>本年度未收到行政许可申请。</p>", "<p>本年度未发生行政处罚案件。</p>"),  # not applications or appeals
                   ("<p>2022年未收到政府信息公开申请。</p>", "<p>2022年没有政府信息公开行政诉讼。</p>")):  # another year
        changed = page.replace(S3_HEADING, S3_HEADING + s3).replace(S4_HEADING, S4_HEADING + s4)
        assert not [f for f in validate_parsed(parse_html(changed)) if f.rule.startswith("narrative.")], (s3, s4)
