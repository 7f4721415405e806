"""Narrative section headings as real reports print them, and look-alikes that are no heading.

Wording from the real reports of tests/data/published (洪泽区 2023/2024, 淮安市 2024, 平潭 2021–2025, 上海市政府办公厅
2019/2025, 上海市科委 2024, the city-wide 2025 template).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pdf_helpers import H2023, H2024
from xl_disclosure.readers.published import N1_PARTS, parse_html, parse_text, validate_parsed
from xl_disclosure.readers.published_file import parse_file

TITLE = "淮安市洪泽区人民政府\n2024年政府信息公开工作年度报告\n"
N5 = "五、存在的主要问题及改进情况\n个别部门对复杂申请件的研判能力不足。\n"
N6 = "六、其他需要报告的事项\n全年收取政府信息公开信息处理费0元。\n"
REAL = Path(__file__).parent / "data" / "published" / "real"


def report(part_one: str, *, rest: str = N5 + N6) -> dict[str, object]:
    return parse_text(TITLE + "一、总体情况\n" + part_one + rest).report.values


def required(text: str) -> list[str]:
    return [f.field or "" for f in validate_parsed(parse_text(text)) if f.rule == "narrative.required"]


# ---------------------------------------------------------------- the parts of section 一

def test_heading_followed_by_its_body_on_the_same_line():
    # 洪泽区 2024, as its PDF prints 一 (each part's heading and body one paragraph)
    v = report("（一）主动公开情况。主要通过政府门户网站主动公开政府文件。\n"
               "（二）依申请公开情况。根据《条例》和上级部门关于依申请办理的规范要求。\n"
               "（三）政府信息管理情况。加强区政府门户网站及政务新媒体日常管理。\n"
               "（四）政府信息公开平台建设情况。加强对区政府网站、政务新媒体动态全面监管。\n"
               "（五）政府信息公开监督保障情况。将政府网站平台信息公开工作纳入全区高质量发展考核内容。\n")
    assert v["n1_proactive"] == "主要通过政府门户网站主动公开政府文件。"
    assert v["n1_on_request"] == "根据《条例》和上级部门关于依申请办理的规范要求。"
    assert v["n1_management"] == "加强区政府门户网站及政务新媒体日常管理。"
    assert v["n1_platform"] == "加强对区政府网站、政务新媒体动态全面监管。"
    assert v["n1_oversight"] == "将政府网站平台信息公开工作纳入全区高质量发展考核内容。"


def test_heading_with_a_colon_and_the_body_after_it():
    v = report("（一）主动公开情况：全年主动公开政府信息1136条。\n（二）依申请公开：全年受理申请21件。\n")
    assert v["n1_proactive"] == "全年主动公开政府信息1136条。"
    assert v["n1_on_request"] == "全年受理申请21件。"


@pytest.mark.parametrize("first, second, part, body", [
    # the heading wrapped before its last word: the continuation is the heading's, never the text's
    ("（四）政府信息公开平台建设", "情况。加强对区政府网站、政务新媒体动态全面监管。", "n1_platform",
     "加强对区政府网站、政务新媒体动态全面监管。"),
    ("（四）政府信息公开平台", "建设情况。加强对区政府网站、政务新媒体动态全面监管。", "n1_platform",
     "加强对区政府网站、政务新媒体动态全面监管。"),
    ("（五）政府信息公开监督保障", "情况", "n1_oversight", None),
    ("（三）政府信息管理", "方面：严格执行“分级审核、先审后发”程序。", "n1_management", "严格执行“分级审核、先审后发”程序。"),
])
def test_heading_wrapped_over_two_lines_is_one_heading(first, second, part, body):
    v = report(f"{first}\n{second}\n第二段正文。\n")
    assert v[part] == ("第二段正文。" if body is None else f"{body}\n第二段正文。")


def test_a_body_that_begins_like_a_continuation_is_kept():
    # “工作中…” after a heading that ended its line is the body, not a wrapped “工作”
    v = report("（一）主动公开\n工作中坚持以公开为常态。\n")
    assert v["n1_proactive"] == "工作中坚持以公开为常态。"


@pytest.mark.parametrize("heading, part", [
    ("（四）信息公开平台建设方面", "n1_platform"),  # 平潭 2022–2025
    ("（四）平台建设方面", "n1_platform"),  # 上海市政府办公厅 2019/2025
    ("（四）平台载体建设方面。", "n1_platform"),  # 平潭 2021
    ("（五）监督保障方面", "n1_oversight"),
    ("（五）政府信息公开监督保障情况", "n1_oversight"),  # 洪泽区, 淮安市
    ("（四）监督管理方面。", "n1_oversight"),  # 平潭综合实验区旅游与文化体育局 2025
    ("（三）栏目平台建设和政务新媒体建设方面。", "n1_platform"),  # 平潭综合实验区交通与建设局 2022
    ("(二) 依申请公开:", "n1_on_request"),  # the seed: half-width brackets, a colon
    ("（二）依申請公開方面", "n1_on_request"),  # traditional characters
    ("（三）政府資訊管理情況", "n1_management"),
    ("（1）主动公开政府信息情况", "n1_proactive"),
    ("1、主动公开情况", "n1_proactive"),
    ("1.主动公开", "n1_proactive"),
    ("一)主动公开", "n1_proactive"),  # 蠡县审计局 2022: the opening bracket left out
    ("四)政府信息公开平台建设", "n1_platform"),
    ("（四）平台建设管理情况。", "n1_platform"),  # 资阳市同城化发展工作局 2022
    ("（一）主动公开信息情况。", "n1_proactive"),  # 长春市 a department's 2023 report
    ("（二）依申请公开工作情况。", "n1_on_request"),
    ("（一）\u00a0信息制作与管理：", "n1_management"),  # 平潭 社会事业局 2025 (a no-break space after the numeral)
    ("（四）监督与能力建设：", "n1_oversight"),  # 平潭 社会事业局 2025
    ("(四）平台建设保障情况", "n1_platform"),  # 平潭 农业农村局 2021 (a half-width opening bracket)
    ("(三）政府信息管理情况", "n1_management"),
])
def test_real_heading_variants(heading, part):
    v = report(f"{heading}\n本部分的正文。\n")
    assert v[part] == "本部分的正文。"
    assert [f for f in N1_PARTS if v[f]] == [part]


def test_parts_numbered_as_sections_in_their_own_order():
    # 上海市科委 2024: 一 holds “二、工作机制保障 … 六、政府信息公开平台建设”, then 一、主动公开政府信息情况 (table 二)
    v = report("上海市科委2024年深入贯彻《政府信息公开条例》。\n"
               "二、工作机制保障\n市科委设立政务公开工作协调小组。\n"
               "三、主动公开工作情况\n市科委积极做好政府信息主动公开工作。\n"
               "四、政府信息公开申请情况\n全年收到政府信息公开申请34件。\n"
               "五、政府信息管理\n市科委及时发布本部门最新版本的政府信息公开指南。\n"
               "六、政府信息公开平台建设\n市科委根据市政府相关工作要求配合做好政策集中发布。\n", rest="")
    assert v["n1_oversight"] == "市科委设立政务公开工作协调小组。"
    assert v["n1_proactive"] == "市科委积极做好政府信息主动公开工作。"
    assert v["n1_on_request"] == "全年收到政府信息公开申请34件。"
    assert v["n1_management"] == "市科委及时发布本部门最新版本的政府信息公开指南。"
    assert v["n1_platform"] == "市科委根据市政府相关工作要求配合做好政策集中发布。"


def test_parts_of_a_run_on_page_text():
    # 平潭 2021, the crawler's one-line text: each part heading follows the end of a sentence
    v = parse_text(
        TITLE + "一、总体情况2021年，我区以习近平新时代中国特色社会主义思想为指导，……（一）主动公开方面。……全年主动公开"
        "我区各级单位政府信息2645条，……（二）依申请公开方面。……本年度全区共收到70件申请，及时依法依规办结69件，1件结转下"
        "年度继续办理。（三）政府信息管理方面。……（四）平台载体建设方面。……（五）监督保障方面。……二、主动公开政府信息情况"
        " 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章 000" + "。" * 200).report.values
    assert v["n1_proactive"] == "……全年主动公开我区各级单位政府信息2645条，……"
    assert v["n1_on_request"].startswith("……本年度全区共收到70件申请")
    assert v["n1_on_request"].endswith("1件结转下年度继续办理。")
    assert v["n1_management"] == v["n1_platform"] == v["n1_oversight"] == "……"


# ---------------------------------------------------------------- look-alikes that are no part heading

def test_an_enumeration_inside_a_paragraph_is_no_heading():
    v = report("（一）主动公开情况。主要做法：（一）加强组织领导；（二）依申请公开目录及时更新，（五）监督保障有力。\n")
    assert v["n1_proactive"] == "主要做法：（一）加强组织领导；（二）依申请公开目录及时更新，（五）监督保障有力。"
    assert not any(v[f] for f in N1_PARTS[1:])


def test_a_numbered_item_inside_a_part_stays_in_it():
    v = report("（四）信息公开平台建设方面\n一是开展门户网站提升服务项目。\n1.主动公开专栏全面改版。\n"
               "（五）监督保障方面\n常态化开展日监测、月通报。\n")
    assert v["n1_platform"] == "一是开展门户网站提升服务项目。\n1.主动公开专栏全面改版。"
    assert v["n1_oversight"] == "常态化开展日监测、月通报。"
    assert v["n1_proactive"] is None


def test_a_part_named_again_later_is_no_new_heading():
    v = report("（二）依申请公开方面。全年收到申请75件。\n（三）政府信息管理方面。……全区政府信息管理规范，（一）主动公开"
               "方面的信息均经审核。\n")
    assert v["n1_management"] == "……全区政府信息管理规范，（一）主动公开方面的信息均经审核。"
    assert v["n1_proactive"] is None


def test_list_items_in_sections_five_and_six_are_not_parts_of_one():
    v = report("（一）主动公开情况。全年主动公开政府信息2428条。\n",
               rest="五、存在的主要问题及改进情况\n（一）主动公开方面\n政策解读形式不够丰富。\n（二）改进措施\n"
                    "（一）加强组织领导。\n" + N6)
    assert v["n1_proactive"] == "全年主动公开政府信息2428条。"
    assert not any(v[f] for f in N1_PARTS[1:])
    assert v["n5_problems"] == "（一）主动公开方面\n政策解读形式不够丰富。\n（二）改进措施\n（一）加强组织领导。"


def test_rows_of_table_three_are_no_heading():
    text = (TITLE + "一、总体情况\n（一）主动公开情况。全年主动公开政府信息2428条。\n"
            "三、收到和处理政府信息公开申请情况\n自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
            "（五）不予处理\t1.信访举报投诉类申请\t1\t0\t0\t0\t0\t0\t1\n" + N5 + N6)
    r = parse_text(text)
    assert r.report.values["s3_reject_petition_total"] == 1
    assert r.report.values["n1_oversight"] is None
    assert r.report.values["n5_problems"] == "个别部门对复杂申请件的研判能力不足。"


# ---------------------------------------------------------------- sections 一, 五, 六

@pytest.mark.parametrize("heading", [
    "五、存在的主要问题及改进情况",
    "五、存在问题及改进情况",  # the city-wide 2025 template
    "五、政府信息公开工作存在的主要问题及改进情况",  # 上海市政府办公厅 2019
    "第五部分 存在的主要问题及改进情况",
    "五、存在的主要問題及改進情況",  # traditional characters
    "5、存在的主要问题及改进情况",  # Arabic numerals
    "5.政府信息公开工作存在的主要问题及改进情况",
    "５．存在的主要问题及改进情况",
    "（5）存在的主要问题及改进情况",
    "第5部分 存在的主要问题及改进情况",
    "政府信息公开工作存在的主要问题及改进情况",  # no numbering: a bold heading of a web page
    "存在的主要问题及改进情况：",
    "五、政务公开工作中存在的问题和改进措施",
    "五、存在的问题和不足",
])
def test_section_five_heading_variants(heading):
    v = report("（一）主动公开情况。全年主动公开政府信息2428条。\n",
               rest=f"{heading}\n个别部门对复杂申请件的研判能力不足。\n" + N6)
    assert v["n5_problems"] == "个别部门对复杂申请件的研判能力不足。"


@pytest.mark.parametrize("line, body", [
    ("五、存在的主要问题及改进情况。个别部门对复杂申请件的研判能力不足。", "个别部门对复杂申请件的研判能力不足。"),
    ("五、政府信息公开工作存在的主要问题及改进情况 一是政策解读形式不够丰富。", "一是政策解读形式不够丰富。"),
    ("五、存在问题及改进情况：一是政策解读形式不够丰富。", "一是政策解读形式不够丰富。"),
    ("5、存在的主要问题及改进情况：一是政策解读形式不够丰富。", "一是政策解读形式不够丰富。"),
    # 平潭 农业农村局 2021: “政府信息公开” before the title without “工作”
    ("五、政府信息公开存在的主要问题及改进情况 一是政策解读形式不够丰富。", "一是政策解读形式不够丰富。"),
    ("（5）政府信息公开工作存在的主要问题及改进情况。一是政策解读形式不够丰富。", "一是政策解读形式不够丰富。"),
])
def test_section_five_heading_with_its_body_on_the_line(line, body):
    v = report("（一）主动公开情况。全年主动公开政府信息2428条。\n", rest=f"{line}\n" + N6)
    assert v["n5_problems"] == body


@pytest.mark.parametrize("heading", [
    "六、其他需要报告的事项",
    "六、其他事项",
    "六、其他需要说明的事项",
    "六、需要说明的其他事项与附表",  # 平潭 农业农村局 2021, 2025
    "6、其他需要报告的事项",
    "（6）其他需要报告的事项",
    "其他需要报告的事项",  # no numbering
])
def test_section_six_heading_variants(heading):
    v = report("（一）主动公开情况。全年主动公开政府信息2428条。\n", rest=N5 + f"{heading}\n全年未收取信息处理费。\n")
    assert v["n5_problems"] == "个别部门对复杂申请件的研判能力不足。"
    assert v["n6_other"] == "全年未收取信息处理费。"


@pytest.mark.parametrize("line", [
    "4、存在的主要问题及改进情况",  # an Arabic numeral is taken only as the statutory one
    "（4）存在的主要问题及改进情况",
    "存在的主要问题及改进情况如下。",  # a sentence, not a title alone on its line
    "存在问题",  # too short to stand alone as a section's title
])
def test_look_alikes_of_section_five_begin_no_section(line):
    r = parse_text(TITLE + "一、总体情况\n（一）主动公开情况。全年主动公开政府信息2428条。\n" + line
                   + "\n个别部门对复杂申请件的研判能力不足。\n" + N6)
    assert r.report.values["n5_problems"] is None
    assert r.report.values["n1_proactive"].endswith("个别部门对复杂申请件的研判能力不足。")
    assert "五" not in r.coverage.sections_found


def test_a_short_title_under_another_numeral_is_no_section():
    # “三、其他事项” numbers an item of 五; “五、其他需要报告的事项” (上海市科委 2024) is section 六 renumbered
    v = report("（一）主动公开情况。全年主动公开政府信息2428条。\n",
               rest="五、存在的主要问题及改进情况\n一、主要问题\n研判能力不足。\n三、其他事项\n加强培训。\n" + N6)
    assert v["n5_problems"] == "一、主要问题\n研判能力不足。\n三、其他事项\n加强培训。"
    assert v["n6_other"] == "全年收取政府信息公开信息处理费0元。"
    r = parse_text(TITLE + "一、总体情况\n（一）主动公开情况。全年主动公开。\n五、其他需要报告的事项\n无。\n")
    assert r.report.values["n6_other"] == "无。"


def test_arabic_numbered_item_inside_section_one_is_no_section():
    # an item numbered “3.” that begins with the title of section 三 is no heading: the line is more than a title
    v = report("（一）主动公开情况\n2.主动公开政府信息情况月报按时发布。\n3.收到和处理政府信息公开申请情况按月通报。\n")
    assert v["n1_proactive"] == "2.主动公开政府信息情况月报按时发布。\n3.收到和处理政府信息公开申请情况按月通报。"


def test_an_unnumbered_part_titled_as_section_two_stays_in_section_one():
    # a part of 一 in bold without numbering, titled as section 二 is: only 五 and 六 are taken unnumbered as
    # sections; a whole line ending in 情况 that names a part of 一 is that part's heading
    v = report("主动公开政府信息情况\n全年主动公开政府信息2428条。\n")
    assert v["n1_proactive"] == "全年主动公开政府信息2428条。"
    assert "二" not in parse_text(TITLE + "一、总体情况\n主动公开政府信息情况\n全年主动公开政府信息2428条。\n"
                                  ).coverage.sections_found


def test_an_untitled_heading_inside_a_later_section_begins_no_section():
    # a title alone on a line counts only after the sections before it: “存在的主要问题及改进情况” inside 六
    v = report("（一）主动公开情况。全年主动公开政府信息2428条。\n",
               rest="六、其他需要报告的事项\n政府信息公开工作存在的主要问题及改进情况\n已按要求整改。\n")
    assert v["n6_other"] == "政府信息公开工作存在的主要问题及改进情况\n已按要求整改。"
    assert v["n5_problems"] is None


def test_arabic_and_untitled_headings_raise_no_structure_finding():
    text = (TITLE + "1、总体情况\n（一）主动公开情况。全年主动公开政府信息2428条。\n"
            "5、存在的主要问题及改进情况\n个别部门对复杂申请件的研判能力不足。\n其他需要报告的事项\n无。\n")
    r = parse_text(text)
    assert r.coverage.sections_found == ["一", "五", "六"]
    assert not [f for f in validate_parsed(r) if f.rule == "format.structure"]
    # a Chinese numeral off its section is still reported
    r = parse_text(text.replace("5、存在", "四、存在"))
    assert [f.rule for f in validate_parsed(r) if f.rule == "format.structure"] == ["format.structure"]


def test_untitled_bold_headings_of_a_real_web_page():
    # the city-wide 2025 page with its 五 and 六 headings printed in bold without numbering
    page = (REAL / "city-2025-anonymised.html").read_text(encoding="utf-8")
    assert "五、存在问题及改进情况" in page and "六、其他需要报告的事项" in page
    page = page.replace("五、存在问题及改进情况", "<strong>政府信息公开工作存在的主要问题及改进情况</strong>")
    page = page.replace("六、其他需要报告的事项", "<b>其他需要报告的事项</b>")
    r = parse_html(page)
    assert r.report.values["n5_problems"].startswith("对照新要求新任务，仍存在以下短板")
    assert r.report.values["n6_other"].startswith("依据《政府信息公开信息处理费管理办法》规定")
    assert not [f for f in validate_parsed(r) if f.rule == "narrative.required" and f.field in ("n5_problems",
                                                                                                "n6_other")]


def test_section_six_heading_with_its_body_on_the_line():
    v = report("（一）主动公开情况。全年主动公开政府信息2428条。\n",
               rest=N5 + "六、其他需要报告的事项。2023年，无收取信息处理费情况。\n")
    assert v["n6_other"] == "2023年，无收取信息处理费情况。"


def test_section_heading_wrapped_over_two_lines():
    v = report("（一）主动公开情况。全年主动公开政府信息2428条。\n",
               rest="五、政府信息公开工作存在的主要问题及改进\n情况\n个别部门对复杂申请件的研判能力不足。\n" + N6)
    assert v["n5_problems"] == "个别部门对复杂申请件的研判能力不足。"


def test_section_one_heading_with_its_first_part_on_the_line():
    v = parse_text(TITLE + "一、总体情况。（一）主动公开情况。全年主动公开政府信息2428条。\n" + N5 + N6).report.values
    assert v["n1_proactive"] == "全年主动公开政府信息2428条。"


def test_no_required_finding_for_parts_the_report_has():
    text = (TITLE + "一、总体情况\n（一）主动公开方面\n全年主动公开。\n（二）依申请公开方面\n全年收到申请75件。\n"
            "（三）政府信息管理方面\n规范信息发布。\n（四）信息公开平台建设方面\n开展门户网站提升服务项目。\n"
            "（五）政府信息公开监督保障情况。常态化开展日监测。\n" + N5 + N6)
    assert required(text) == []
    # and a part really absent is still reported
    assert required(text.replace("（四）信息公开平台建设方面\n开展门户网站提升服务项目。\n", "")) == ["n1_platform"]


# ---------------------------------------------------------------- the Hongze PDFs, checked against the page

#: The first words of each part's text, hand-read from `pdftotext -layout` of each PDF: the text begins where
#: the heading “（X）…情况。” ends.
HONGZE_STARTS = {
    H2023: {"n1_proactive": "主要通过政府门户网站主动公开政府", "n1_on_request": "进一步规范依申请公开流程，畅通",
            "n1_management": "加强区政府门户网站及政务新媒体日常管理", "n1_platform": "加强对区政府网站、政",
            "n1_oversight": "进一步细化分解政府门", "n5_problems": "2023年，洪泽区政府信息公开工作",
            "n6_other": "2023年，区政府严格落实"},
    H2024: {"n1_proactive": "主要通过政府门户网站主动公开政府", "n1_on_request": "根据《条例》和上级部门关于依申",
            "n1_management": "加强区政府门户网站及政务新媒", "n1_platform": "加强对区政府网站、政",
            "n1_oversight": "将政府网站平台信息公", "n5_problems": "2024年，全区政府信息公开工作虽取得",
            "n6_other": "2024年，区政府严格落实"},
}


@pytest.mark.parametrize("path", list(HONGZE_STARTS), ids=lambda p: p.stem)
def test_hongze_narratives_begin_where_their_headings_end(path):
    r = parse_file(path)
    for fid, start in HONGZE_STARTS[path].items():
        assert r.report.values[fid].startswith(start), (fid, r.report.values[fid][:30])
    assert not [f for f in validate_parsed(r) if f.rule == "narrative.required"]


# ---------------------------------------------------------------- section 五 whose heading was lost



@pytest.mark.parametrize("name, start", [
    # text extracted from the PDFs by another tool lost “五、存在的主要问题及改进情况”; its parts follow table 四
    ("shanghai-bangongting-2025-text-extraction.md", "（一）2024 年工作中存在问题的改进情况\n针对 2024 年工作中存在的主要问题"),
    ("shanghai-kewei-2024-text-extraction.md", "（一）主要问题\n市科委 2024 年根据本市机构改革工作安排"),
])
def test_section_five_without_its_heading_is_read_after_table_four(name, start):
    r = parse_file(REAL / name)
    assert r.report.values["n5_problems"].startswith(start)
    assert "n5_problems" not in [f.field for f in validate_parsed(r) if f.rule == "narrative.required"]
    assert any("未找到“五、存在的主要问题及改进情况”标题" in note for note in r.coverage.notes)


def test_a_problems_item_before_table_four_does_not_begin_section_five():
    text = (TITLE + "一、总体情况\n（一）主动公开情况。全年主动公开政府信息2428条。\n"
            "四、政府信息公开行政复议、行政诉讼情况\n（一）主要问题\n个别部门对复杂申请件的研判能力不足。\n" + N6)
    r = parse_text(text)
    assert r.report.values["n5_problems"] is None


# ---------------------------------------------------------------- section 一 not arranged in its five parts

def findings_of(r):
    fs = validate_parsed(r)
    return ([f for f in fs if f.rule == "format.structure"],
            sorted(f.field or "" for f in fs if f.rule == "narrative.required"))


def test_a_section_one_arranged_by_other_topics_is_one_finding():
    # 平潭 2020 (crawler text): 一 is “（一）强化组织协调……（二）围绕工作重点……”, its 依申请公开 and 平台建设 as items
    r = parse_file(REAL / "pingtan-2020-crawler-text.txt")
    structure, required_parts = findings_of(r)
    assert required_parts == []
    (f,) = structure
    assert "没有按（一）主动公开" in f.message
    assert "“（一）强化组织协调，着力规范公开工作”“（二）围绕工作重点，扎实推进主动公开”" in f.message
    assert r.report.values["n1_proactive"].startswith("2020年，我区以习近平新时代中国特色社会主义思想为指导")


@pytest.mark.parametrize("part_one, topics", [
    # a 2023 report of a city bureau (web page): 一 in four “一是……” paragraphs
    ("一是积极推进主动公开。坚持“以公开为常态、不公开为例外”，主动公开政府信息。\n"
     "二是及时规范办理依申请公开。2023年，我局未收到政府信息公开申请。\n"
     "三是及时回应社会关切。依托意见征集、12345热线等栏目，倾听群众诉求。\n"
     "四是强化监督保障。加强日常监测，对网站的整体运行情况进行日常巡检。\n",
     "，而是按“一是积极推进主动公开”“二是及时规范办理依申请公开”“三是及时回应社会关切”“四是强化监督保障”题目分段"),
    # a 2020 report of a county bureau: 一 one paragraph, no sub-heading at all
    ("我局积极落实政府信息公开工作要求，不断拓展政府信息公开的深度和广度，确保政府信息公开做到发布及时、分类科学。\n",
     "，也没有分段的小标题"),
    # headings on lines of their own, five of them: only four are quoted
    ("（一）加强组织领导\n成立领导小组。\n（二）完善制度建设\n修订制度。\n（三）突出公开重点\n公开预决算。\n"
     "（四）回应社会关切\n办理留言。\n（五）强化考核督查\n纳入考核。\n",
     "，而是按“（一）加强组织领导”“（二）完善制度建设”“（三）突出公开重点”“（四）回应社会关切”等题目分段"),
])
def test_section_one_without_its_parts(part_one, topics):
    r = parse_text(TITLE + "一、总体情况\n" + part_one + N5 + N6)
    structure, required_parts = findings_of(r)
    assert required_parts == []
    assert [f.message.split("叙述", 1)[1].split("；", 1)[0] for f in structure] == [topics]
    assert r.report.values["n1_proactive"] == part_one.strip()


def test_a_section_one_with_some_of_its_parts_still_reports_the_others():
    # city-wide 2025: （一）（二） only — the three parts it lacks are reported, each as missing
    r = parse_file(REAL / "city-2025-anonymised.html")
    structure, required_parts = findings_of(r)
    assert structure == []
    assert required_parts == ["n1_management", "n1_oversight", "n1_platform"]


def test_a_section_one_by_topics_one_of_them_naming_a_part_is_one_finding():
    # 平潭 公安局 2021: 一 by four topics, only the last (“（四）监督保障更有力”) naming a part — one finding, the
    # part keeps its text, the rest is the first part's; never four “未填写”
    text = (TITLE + "一、总体情况\n（一）责任落实更严格。全年累计公开信息317条。\n（二）工作机制更完善。修订公开指南4项。\n"
            "（三）公开渠道更丰富。召开新闻发布会6场。\n（四）监督保障更有力。登记备案信息29条。\n" + N5 + N6)
    r = parse_text(text)
    structure, required_parts = findings_of(r)
    assert required_parts == []
    (f,) = structure
    assert "而是按“（一）责任落实更严格”“（二）工作机制更完善”“（三）公开渠道更丰富”“（四）监督保障更有力”题目分段" in f.message
    assert "其中只有“（四）监督保障更有力”按格式的部分命名" in f.message
    assert "其余部分未逐个报“未填写”" in f.message
    v = r.report.values
    assert v["n1_oversight"].endswith("登记备案信息29条。")
    assert v["n1_proactive"].startswith("（一）责任落实更严格。全年累计公开信息317条。")
    assert "召开新闻发布会6场。" in v["n1_proactive"]


def test_topics_half_of_them_on_a_part_are_read_as_the_parts_they_name():
    # 平潭 国有资产管理局 2022: （一）强化组织领导 （二）加大主动公开力度 （三）加强政府信息管理 （四）强化监督问效 — as many
    # headings name a part as do not: the parts read as parts, the two it lacks are each missing, no format finding
    text = (TITLE + "一、总体情况\n（一）强化组织领导\n成立领导小组7人。\n（二）加大主动公开力度\n主动公开信息48条。\n"
            "（三）加强政府信息管理\n逐级签批信息发布。\n（四）强化监督问效\n纳入绩效考核，扣分2次。\n" + N5 + N6)
    r = parse_text(text)
    structure, required_parts = findings_of(r)
    assert structure == []
    assert required_parts == ["n1_on_request", "n1_platform"]
    v = r.report.values
    assert v["n1_proactive"].endswith("主动公开信息48条。")
    assert v["n1_management"] == "逐级签批信息发布。"
    # 监督问效 (supervision and accountability) names the part 监督保障
    assert v["n1_oversight"] == "纳入绩效考核，扣分2次。"


def test_a_missing_section_one_is_still_reported():
    r = parse_text(TITLE + N5 + N6)
    structure, required_parts = findings_of(r)
    assert structure == []
    assert required_parts == sorted(N1_PARTS)


def test_parts_titled_by_their_work_in_another_order_are_the_parts_they_name():
    # 平潭 社会事业局 2025: （一）信息制作与管理 （二）主动公开 （三）依申请公开 （四）监督与能力建设, none on 平台建设
    text = (TITLE + "一、总体情况\n（一）信息制作与管理：全年制发公文类政府信息383条。\n"
            "（二）主动公开渠道优化：政务新媒体发布推文787篇。\n（三）依申请公开规范办理：全年受理依申请公开3件。\n"
            "（四）监督与能力建设：开展信息公开专项检查。\n" + N5 + N6)
    v = parse_text(text).report.values
    assert v["n1_management"] == "全年制发公文类政府信息383条。"
    # the words after the part's name (“渠道优化：”) stay with its text
    assert v["n1_proactive"].endswith("政务新媒体发布推文787篇。")
    assert v["n1_on_request"].endswith("全年受理依申请公开3件。")
    assert v["n1_oversight"] == "开展信息公开专项检查。"
    assert v["n1_platform"] is None
    assert required(text) == ["n1_platform"]


@pytest.mark.parametrize("line", [
    "全年加强信息制作与管理，确保公开信息准确。",  # a sentence naming the work, not a heading
    "我局注重监督与能力建设。",
    "我局强化监督问效。",
])
def test_the_new_part_names_inside_a_sentence_begin_no_part(line):
    v = report(f"（一）主动公开情况。全年主动公开政府信息2428条。\n{line}\n")
    assert v["n1_proactive"] == f"全年主动公开政府信息2428条。\n{line}"
    assert v["n1_management"] is None and v["n1_oversight"] is None


def test_supervision_as_a_task_with_a_second_clause_is_a_topic_not_the_part():
    # 平潭 市场监督管理局 2025: 一 in six topics, one of them “（五）加强监督管理，保障工作质量” — no part of the format
    text = (TITLE + "一、总体情况\n（一）强化组织保障，夯实工作根基\n专人负责。\n（五）加强监督管理，保障工作质量\n定期自查。\n"
            + N5 + N6)
    v = parse_text(text).report.values
    assert v["n1_oversight"] is None
    # the part itself, and the format's own names as a task with a second clause, are still parts
    assert report("（四）监督管理方面。安排专人负责。\n")["n1_oversight"] == "安排专人负责。"
    assert report("（二）强化政务公开平台建设,不断丰富公开形式。\n")["n1_platform"] is not None


# ---------------------------------------------------------------- the parts of section 一 out of the form's order

def test_parts_printed_out_of_order_are_one_finding():
    # 平潭综合实验区国有资产管理局 2023: （一）平台建设情况 （二)政府信息管理情况 （三）主动公开情况 （四）依申请公开情况
    # （五）监督保障情况 — all five parts, 平台建设 first; each read as the part it names
    r = parse_file(REAL / "pingtan-gyz-2023.html")
    structure, required_parts = findings_of(r)
    assert required_parts == []
    (f,) = structure
    assert f.message == (
        "“一、总体情况”各部分的顺序与 2021 年格式不一致：印作“（一）平台建设情况”“（二)政府信息管理情况”“（三）主动公开情况”"
        "“（四）依申请公开情况”“（五）监督保障情况”，2021 年格式的顺序为（一）主动公开、（二）依申请公开、"
        "（三）政府信息管理、（四）政府信息公开平台建设、（五）监督保障。")
    assert r.format_findings[0]["source"]["excerpt"] == "（一）平台建设情况"
    assert f.expected == "（一）主动公开、（二）依申请公开、（三）政府信息管理、（四）政府信息公开平台建设、（五）监督保障"
    assert r.report.values["n1_platform"].startswith("2023年,我局进一步加强平台建设")
    assert r.report.values["n1_proactive"].startswith("2023年，我局通过")


def test_some_parts_out_of_order_quote_the_parts_printed():
    text = (TITLE + "一、总体情况\n（一）主动公开情况\n全年主动公开政府信息20条。\n（二）政府信息管理情况\n规范发布。\n"
            "（三）依申请公开情况\n全年未收到申请。\n" + N5 + N6)
    structure, required_parts = findings_of(parse_text(text))
    assert required_parts == ["n1_oversight", "n1_platform"]
    (f,) = structure
    assert "印作“（一）主动公开情况”“（二）政府信息管理情况”“（三）依申请公开情况”，" in f.message
    assert f.expected == "（一）主动公开、（二）依申请公开、（三）政府信息管理"


@pytest.mark.parametrize("part_one", [
    # the five parts in their order, or some of them in their order
    "（一）主动公开情况\n主动公开20条。\n（二）依申请公开情况\n未收到申请。\n（三）政府信息管理情况\n规范发布。\n"
    "（四）政府信息公开平台建设情况\n维护网站。\n（五）监督保障情况\n开展培训。\n",
    "（一）主动公开情况\n主动公开20条。\n（三）政府信息管理情况\n规范发布。\n（五）监督保障情况\n开展培训。\n",
    # 一 by topics of its own, none of them a part's title
    "（一）强化组织领导\n成立领导小组。\n（二）突出公开重点\n公开预决算。\n（三）回应社会关切\n办理留言。\n",
    # … or some of them, out of the form's order among the others (仙居县下各镇 2023): topics, no order of parts
    "(一)强化组织领导\n成立领导小组。\n(二)强化政务公开平台建设\n开辟宣传栏。\n(三)强化公开内容\n公开预决算。\n"
    "(四)主动公开\n主动公开20条。\n(五)依申请公开规范回复\n未收到申请。\n",
])
def test_parts_in_order_or_no_parts_raise_no_order_finding(part_one):
    structure, _ = findings_of(parse_text(TITLE + "一、总体情况\n" + part_one + N5 + N6))
    assert not [f for f in structure if "顺序" in f.message]
