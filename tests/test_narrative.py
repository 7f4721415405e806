"""Narratives against the tables, section content and text reused from last year — on real wording.

Every narrative below is quoted from a published annual report; the source is given beside it (tests/data/
narrative/SOURCES.md lists them all).  Where the page showed the tables, the table values are the published ones;
where it did not, the table is set to agree with the text and a second case changes one cell, so the same real
sentence is seen both to pass and to fire.  Most cases are sentences that must NOT fire: the checks are meant
for precision first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.narrative_helpers import NEW_RULES, TODAY, blank_report, findings, fired, only, table

from xl_disclosure.checks import narrative, plausibility
from xl_disclosure.checks.validator import validate_report
from xl_disclosure.form import FORM, s3_id
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers.published import validate_parsed
from xl_disclosure.readers.published_file import parse_file

PUBLISHED = Path(__file__).parent / "data" / "published"


@dataclass
class Case:
    name: str
    agency: str
    year: int
    field: str
    text: str
    rows: dict[str, int | tuple[int, ...]]
    expect: list[str]
    values: dict[str, object] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# Narrative ↔ table: real sentences
# ---------------------------------------------------------------------------------------------------------------

CASES = [
    # js.changchun.gov.cn/zcbm/styjrswj/ndbg/202401/t20240115_3271106.html (长春市退役军人事务局 2023): the
    # narrative says 2, the published table 本年新收 says 3 (3 natural persons) — a real fault.
    Case("changchun-received-2-vs-3", "长春市退役军人事务局", 2023, "n1_on_request",
         "我局高度重视依申请公开事项的答复，严格依法依规做好政府信息依申请公开答复，由专人负责协调有关处室研究答复意见，"
         "并按照规定程序，在规定时限内答复申请人。本年度，共受理政府信息公开申请2件，都在法定期限内予以答复。",
         {"new": 3, "open": 3}, ["narrative.applications"]),
    # 淮安市洪泽区人民政府 2024 (shared corpus PDF): 区政府办 answers for the 区政府 only; table 三 counts the
    # whole district (95).  A scope statement, not a fault.
    Case("hongze-2024-on-behalf", "淮安市洪泽区人民政府", 2024, "n1_on_request",
         "（二）依申请公开情况。根据《条例》和上级部门关于依申请办理的规范要求，强化组织领导、规范办理流程，指导各部门\n"
         "采取自行办理、协同办理、会商办理相结合的工作方式，确保依申请答复工作规范高效。2024 年，区政府办代表区政府受理政府\n"
         "信息公开申请 17 件，均已在法定期限内予以答复。",
         {"new": 95, "open": 50, "partial": 9, "deny_safety": 1, "deny_process": 1, "deny_enforcement": 1,
          "unable_not_held": 31, "unable_needs_making": 1, "reject_petition": 1}, []),
    # 洪泽区人民政府 2023 (shared corpus PDF): 全区 in a district government's report is the whole table.
    Case("hongze-2023-whole-district", "洪泽区人民政府", 2023, "n1_on_request",
         "（二）依申请公开情况。进一步规范依申请公开流程，畅通依申请公开受理渠。2023 年全区受理政府信息公开申请 21 件，\n"
         "均在法定期限答复。", {"new": 21, "open": 21}, []),
    Case("hongze-2023-whole-district-differs", "洪泽区人民政府", 2023, "n1_on_request",
         "（二）依申请公开情况。进一步规范依申请公开流程，畅通依申请公开受理渠。2023 年全区受理政府信息公开申请 21 件，\n"
         "均在法定期限答复。", {"new": 20, "open": 20}, ["narrative.applications"]),
    # github.com/zxj6827111-blip/KIROGOVCOMPARE tests/fixtures/annual-report/shanghai-office-sample-source.md
    # (上海市人民政府办公厅 2025, text of the official PDF): every figure agrees with the table; “均在法定期限内答复”
    # with 293 carried forward is not a claim that all were settled; “未发生…被行政复议纠错或行政诉讼败诉” with 89
    # cases in table 四 (none corrected) is not a claim of no cases — the false alarm the old rule raised.
    Case("shanghai-office-2025", "上海市人民政府办公厅", 2025, "n1_on_request",
         "市政府共受理政府信息公开申请 1295 件，办结 1191 件（含\n上年结转 189 件），均在法定期限内答复。其中，予以公开及部\n"
         "分公开 208 件（17.46%），不予公开 20 件（1.68%），因本机关\n不掌握等原因无法提供 564 件（47.36%），属信访、重复申请等\n"
         "不予处理 80 件（6.72%），其他处理 319 件（26.78%，含申请人\n主动撤回 157 件）。全年未发生因依申请公开被行政复议纠错或\n"
         "行政诉讼败诉情形。",
         {"new": (1259, 36, 0, 0, 0, 0), "carried": (170, 15, 0, 0, 4, 0), "open": (201, 5, 0, 0, 0, 0),
          "partial": 2, "deny_secret": 4, "deny_safety": 1, "deny_internal": (8, 0, 0, 0, 1, 0), "deny_process": 1,
          "deny_query": 5, "unable_not_held": (484, 28, 0, 0, 1, 0), "unable_needs_making": (47, 1, 0, 0, 0, 0),
          "unable_unclear": 3, "reject_petition": (61, 1, 0, 0, 0, 0), "reject_repeat": 16, "reject_publication": 1,
          "reject_massive": 1, "other_no_correction": (40, 1, 0, 0, 2, 0), "other_misc": (264, 12, 0, 0, 0, 0),
          "next": (290, 3, 0, 0, 0, 0),
          "s4_reconsideration_upheld": 40, "s4_reconsideration_other": 10, "s4_reconsideration_pending": 5,
          "s4_direct_suit_upheld": 2, "s4_direct_suit_other": 4, "s4_direct_suit_pending": 6,
          "s4_suit_after_upheld": 6, "s4_suit_after_other": 9, "s4_suit_after_pending": 7}, []),
    # The same page, section 二: the office publishes the 市政府's 规章 (22) — no rule-making finding for the general
    # office of a provincial-level government; “市政府及市政府办公厅行政规范性文件 34 件” names two bodies: not compared.
    Case("shanghai-office-2025-documents", "上海市人民政府办公厅", 2025, "n1_proactive",
         "全年主动公开市政府规章 22 件、市政府及市政府办公厅行\n政规范性文件 34 件、人事任免文件 196 件、其他文件 84 件；扎\n"
         "实推进教育、养老服务、社会救助、就业、生态环境、医疗卫生\n等重点领域 125 项信息公开任务。",
         {"s2_rules_issued": 22, "s2_rules_effective": 235, "s2_normative_issued": 30, "s2_normative_effective": 189},
         []),
    Case("shanghai-office-2025-rules-differ", "上海市人民政府办公厅", 2025, "n1_proactive",
         "全年主动公开市政府规章 22 件、市政府及市政府办公厅行\n政规范性文件 34 件、人事任免文件 196 件、其他文件 84 件。",
         {"s2_rules_issued": 21, "s2_rules_effective": 235}, ["narrative.documents"]),
    # shanghai.gov.cn/nw12344/20230331/4a03b5fa47ae4c73b7ec42801de6be66.html (2022年上海市…年度报告): 13 规章
    # “含新制定5件，修改4件，废止4件” is a total over columns, not 本年制发.
    Case("shanghai-2022-rules-composite", "上海市人民政府办公厅", 2022, "n1_proactive",
         "2022年，在上海市人民政府网站、《上海市人民政府公报》主动公开市政府规章13件（含新制定5件，修改4件，废止4件），"
         "主动公开市政府和市政府办公厅行政规范性文件42件，人事任免文件106件，其他文件113件。",
         {"s2_rules_issued": 9, "s2_rules_repealed": 4, "s2_normative_issued": 60}, []),
    # hanyang.gov.cn …/202301/t20230119_2136694.shtml (武汉市汉阳区人民政府办公室 2022): 8 份, all natural persons,
    # outcomes in a list; “无下年度结转” checked against 第四项.
    Case("hanyang-office-2022", "武汉市汉阳区人民政府办公室", 2022, "n1_on_request",
         "2022年，区政府办公室共收到8份政府信息公开申请，均为自然人申请。其中，予以公开2件，部分公开2件，属于四类过程性性信息1件，"
         "本办不掌握相关政府信息2件，其他1件（申请人自主撤销）。无下年度结转。",
         {"new": 8, "open": 2, "partial": 2, "deny_process": 1, "unable_not_held": 2, "other_misc": 1}, []),
    Case("hanyang-office-2022-carried-forward", "武汉市汉阳区人民政府办公室", 2022, "n1_on_request",
         "2022年，区政府办公室共收到8份政府信息公开申请，均为自然人申请。其中，予以公开2件，部分公开2件，属于四类过程性性信息1件，"
         "本办不掌握相关政府信息2件，其他1件（申请人自主撤销）。无下年度结转。",
         {"new": 8, "open": 2, "partial": 1, "deny_process": 1, "unable_not_held": 2, "other_misc": 1, "next": 1},
         ["narrative.contradiction", "narrative.outcomes"]),
    # nanjing.gov.cn/zzb/zfxxgk/zfxxgknb/gqzf_72697/gcqrmzf/202302/t20230220_3830939.html (高淳区 2022): 全区,
    # 同比, percentages, 办复率100%.
    Case("gaochun-2022", "南京市高淳区人民政府", 2022, "n1_on_request",
         "2、依申请公开情况。2022年，全区共收到政府信息公开申请130件，申请量同比增长103%。为提升答复群众满意率，我区进一步规范政府"
         "信息公开申请答复流程，制定统一办理流程和答复文书，办复率100%，其中予以公开或部分公开59件、占45.3%；不予公开32件、"
         "占24.6%；无法提供26件、占20%；不予处理1件、占0.7%；其他处理12件、占9.2%。",
         {"new": 130, "open": 50, "partial": 9, "deny_process": 32, "unable_not_held": 26, "reject_repeat": 1,
          "other_misc": 12}, []),
    Case("gaochun-2022-outcome-differs", "南京市高淳区人民政府", 2022, "n1_on_request",
         "2022年，全区共收到政府信息公开申请130件，申请量同比增长103%。其中予以公开或部分公开59件、占45.3%；不予公开32件、"
         "占24.6%；无法提供26件、占20%；不予处理1件、占0.7%；其他处理12件、占9.2%。",
         {"new": 130, "open": 50, "partial": 9, "deny_process": 30, "unable_not_held": 28, "reject_repeat": 1,
          "other_misc": 12}, ["narrative.outcomes", "narrative.outcomes"]),
    # luchovivas.com/art/2024/1/19/art_1229230631_4234065.html (杭州市滨江区长河街道 2023): number before the noun.
    Case("changhe-2023", "杭州市滨江区长河街道办事处", 2023, "n1_on_request",
         "2023年，本街道共收到12件信息依申请公开，其中10件已经按时按规完成答复，剩余2件结转下年度继续办理。"
         "因政府信息公开引发行政复议2件、行政诉讼0件。",
         {"new": 12, "open": 10, "next": 2, "s4_reconsideration_pending": 2}, []),
    Case("changhe-2023-next-differs", "杭州市滨江区长河街道办事处", 2023, "n1_on_request",
         "2023年，本街道共收到12件信息依申请公开，其中10件已经按时按规完成答复，剩余2件结转下年度继续办理。"
         "因政府信息公开引发行政复议2件、行政诉讼0件。",
         {"new": 12, "open": 12, "s4_reconsideration_pending": 1}, ["narrative.appeals", "narrative.applications",
                                                                 "narrative.applications"]),
    # jsxishan.gov.cn/doc/2024/01/08/4153378.shtml (无锡市锡山区厚桥街道 2023): a Chinese numeral.
    Case("houqiao-2023", "无锡市锡山区厚桥街道办事处", 2023, "n1_on_request",
         "认真落实《条例》中对依申请公开的规范要求，做好受理登记、补正、办理、审查、答复、送达、归档等工作，咨询外聘法律顾问以"
         "规范答复内容。2023年度厚桥街道收到政府信息公开申请一件，已办理完毕。", {"new": 1, "open": 1}, []),
    Case("houqiao-2023-differs", "无锡市锡山区厚桥街道办事处", 2023, "n1_on_request",
         "2023年度厚桥街道收到政府信息公开申请一件，已办理完毕。", {"new": 2, "open": 2}, ["narrative.applications"]),
    # bjdx.gov.cn …/2292928/index.html (北京市大兴区, a town, 2024): “均在法定时限内完成答复” is about timeliness.
    Case("daxing-town", "北京市大兴区某镇人民政府", 2024, "n1_on_request",
         "（三）依申请公开。建立健全政府信息公开申请接收、审核、办理、答复全流程管理机制，明确办理时限和责任分工，优化申请办理"
         "会商机制。全年共收到政府信息公开申请16件，均在法定时限内完成答复，答复率100%，切实回应公众合理信息需求。",
         {"new": 16, "open": 14, "next": 2}, []),
    # meeb.sz.gov.cn/xxgk/qt/ndxxgkbg/content/post_11117680.html (深圳市生态环境局 2023): four figures of table 三.
    Case("shenzhen-eeb-2023", "深圳市生态环境局", 2023, "n1_proactive",
         "二是做好依申请公开工作。2023年共收到政府信息公开申请276件，上年结转7件，公开答复274件，转下年度办理9件。受疫情转段，"
         "经济社会活动明显回升影响，申请量同比增长42.9%，主要集中在行政审批领域。在履行政府信息公开工作职能过程中，均严格执行"
         "《条例》和相关规定，未向申请人收费。", {"new": 276, "carried": 7, "open": 274, "next": 9}, []),
    Case("shenzhen-eeb-2023-differs", "深圳市生态环境局", 2023, "n1_proactive",
         "2023年共收到政府信息公开申请276件，上年结转7件，公开答复274件，转下年度办理9件。",
         {"new": 276, "carried": 7, "open": 273, "next": 10}, ["narrative.applications", "narrative.applications"]),
    # 302yl.com/a2119/art_1229780028_87896.html (杭州市生态环境局临平分局 2023).
    Case("linping-2023", "杭州市生态环境局临平分局", 2023, "n1_on_request",
         "2023年，市生态环境局临平分局共收到政府信息公开申请3件，其中公开3件，未有结转下年度继续办理。全年未发生因政府信息公开"
         "导致的行政复议及行政诉讼。", {"new": 3, "open": 3}, []),
    Case("linping-2023-appeal", "杭州市生态环境局临平分局", 2023, "n1_on_request",
         "2023年，市生态环境局临平分局共收到政府信息公开申请3件，其中公开3件，未有结转下年度继续办理。全年未发生因政府信息公开"
         "导致的行政复议及行政诉讼。", {"new": 3, "open": 3, "s4_reconsideration_upheld": 1}, ["narrative.contradiction"]),
    # qingshan.gov.cn …/202401/t20240115_2341834.shtml (武汉市青山区, 环保部门 2023): 行政处罚信息 published is not a
    # decision count; “发生…行政复议情况1件；未发生…提起行政诉讼”.
    Case("qingshan-2023", "武汉市青山区生态环境局", 2023, "n1_on_request",
         "2023年我局收到和处理政府信息公开申请2件，发生因政府环境信息公开申请行政复议情况1件；未发生政府信息依申请公开提起行政诉讼"
         "举报投诉情况。", {"new": 2, "open": 2, "s4_reconsideration_upheld": 1}, []),
    Case("qingshan-2023-proactive", "武汉市青山区生态环境局", 2023, "n1_proactive",
         "2023年我局主动公开环境质量信息20篇；重点排污单位废水、废气、噪声监测结果共计58条；行政处罚信息31件、查封(扣押)信息1件；"
         "环评批复文件31条。", {"s2_penalty_decisions": 40, "s2_enforcement_decisions": 3}, []),
    # hljwch.gov.cn/hebwcs/c111341/202301/c01_592213.shtml (五常市背荫河镇 2022).
    Case("beiyinhe-2022", "五常市背荫河镇人民政府", 2022, "n1_on_request",
         "（二）依申请公开。2022年度，背荫河镇未收到和处理政府信息公开申请，零报告。", {}, []),
    Case("beiyinhe-2022-has-some", "五常市背荫河镇人民政府", 2022, "n1_on_request",
         "（二）依申请公开。2022年度，背荫河镇未收到和处理政府信息公开申请，零报告。", {"new": 1, "open": 1},
         ["narrative.contradiction"]),
    # zhanjiang.gov.cn …/post_1871569.html (湛江市人民政府地方志办公室 2023): 行政许可申请 is not a disclosure request.
    Case("zhanjiang-licensing-application", "湛江市人民政府地方志办公室", 2023, "n1_proactive",
         "2023年，我办全年未收到行政许可申请；各栏目共刊发文稿、通知、公告、公示等44篇。", {"new": 2, "open": 2}, []),
    # saintpaulhem.com/jxx/jxxrmzf/xxgknbgs/202403/…shtml (a 民政局, 2023): 12345 热线 “已全部办结” is other work.
    Case("hotline-all-done", "某县民政局", 2023, "n1_oversight",
         "按时办结人大代表建议、政协委员提案答复，并向社会公开。2023年，共办理政府12345热线47件，已全部办结，回复率和满意率均达100%。",
         {"new": 3, "open": 2, "next": 1}, []),
    # zwgk.changchun.gov.cn …/t20230117_3105437.html (长春市二道区房屋征收工作管理办公室 2022): 依申请信息56条.
    Case("erdao-2022", "长春市二道区房屋征收工作管理办公室", 2022, "n1_proactive",
         "2022年，我办受理依申请信息56条，现将有关情况汇报如下：", {"new": 56, "open": 18, "unable_not_held": 38}, []),
    Case("erdao-2022-differs", "长春市二道区房屋征收工作管理办公室", 2022, "n1_proactive",
         "2022年，我办受理依申请信息56条，现将有关情况汇报如下：", {"new": 55, "open": 18, "unable_not_held": 37},
         ["narrative.applications"]),
    # ccxi.gov.cn/info/1308/19392.htm (长兴岛, a bureau, 2022).
    Case("changxing-2022", "大连长兴岛经济区卫生健康局", 2022, "n1_on_request",
         "本年度，受理依申请公开政府信息0件，没有因政府信息公开引起的行政复议和行政诉讼事件。",
         {"s2_licensing_decisions": 1012, "s2_penalty_decisions": 2}, []),
    Case("changxing-2022-litigation", "大连长兴岛经济区卫生健康局", 2022, "n1_on_request",
         "本年度，受理依申请公开政府信息0件，没有因政府信息公开引起的行政复议和行政诉讼事件。",
         {"s4_direct_suit_upheld": 1}, ["narrative.contradiction"]),
    # xzkt (咸宁市生态环境局 2023): “其中5件…答复” is a part of the 6 handled.
    Case("xianning-2023", "咸宁市生态环境局", 2023, "n1_on_request",
         "严格按照政府信息公开申请办理要求，及时规范答复。全年共办理回复依申请公开件6件(含上年结转3件)，其中5件按规定程序及时答复"
         "申请人。", {"new": 3, "carried": 3, "open": 5, "other_no_correction": 1}, []),
    # shidz.gov.cn …/51abad86….html (高新区社会发展局 2022): 行政处罚3起 and 均已…公示 (not a settlement claim).
    Case("shidz-2022", "某高新区社会发展局", 2022, "n1_proactive",
         "针对现场检查中发现的卫生安全问题立即提出整改意见，责令限期改正，共计行政处罚3起，均已在高新区管委会网站进行公示。",
         {"s2_penalty_decisions": 3}, []),
    # jordynalvidrez.com …/1573694.htm (中江县, a bureau, 2022): a row of zeros.
    Case("zhongjiang-2022", "中江县某局", 2022, "n1_on_request",
         "（二）依申请公开方面。全年共收到依申请公开0件，公开0件，不予公开0件，因政府信息依申请公开引起行政复议0件，行政诉讼0件。",
         {"s2_licensing_decisions": 858, "s2_penalty_decisions": 40, "s2_enforcement_decisions": 1}, []),
    # chuanshan.gov.cn/gongkai/show/ec6922d0aa730e0791337d4d3b9bd6a1.html (遂宁市船山区人民政府办公室 2023):
    # 同比 with a percentage, 按期办结率达100% with nothing carried forward, 行政复议1件(已办结).
    Case("chuanshan-office-2023", "遂宁市船山区人民政府办公室", 2023, "n1_on_request",
         "2023年，区政府办公室共受理36件政府信息公开申请(均为自然人提交)，同比上升16.13%，其中按期办结36件，按期办结率达100%，"
         "无结转2024年继续办理件。全年收到因政府信息公开申请引起的行政复议1件(已办结)，未收到因政府信息公开申请引起的行政诉讼。",
         {"new": 36, "open": 30, "unable_not_held": 6, "s4_reconsideration_upheld": 1}, []),
    Case("chuanshan-office-2023-suit", "遂宁市船山区人民政府办公室", 2023, "n1_on_request",
         "2023年，区政府办公室共受理36件政府信息公开申请(均为自然人提交)，同比上升16.13%，其中按期办结36件，按期办结率达100%，"
         "无结转2024年继续办理件。全年收到因政府信息公开申请引起的行政复议1件(已办结)，未收到因政府信息公开申请引起的行政诉讼。",
         {"new": 36, "open": 35, "next": 1, "s4_reconsideration_upheld": 1, "s4_suit_after_upheld": 1},
         ["narrative.applications", "narrative.contradiction"]),  # 按期办结率 is not 办结率: no all_done
    # The same page, （三）政府信息管理: the documents sentence; then one 本年制发 off, as “公开行政规范性文件2件” against
    # a table of 3.
    Case("chuanshan-office-2023-documents", "遂宁市船山区人民政府办公室", 2023, "n1_management",
         "2023年，对主动公开规范性文件进行全面清理，制发行政规范性文件2件，废止行政规范性文件10件，现行有效件数14件。",
         {"s2_normative_issued": 2, "s2_normative_repealed": 10, "s2_normative_effective": 14}, []),
    Case("chuanshan-office-2023-documents-differ", "遂宁市船山区人民政府办公室", 2023, "n1_management",
         "2023年，对主动公开规范性文件进行全面清理，制发行政规范性文件2件，废止行政规范性文件10件，现行有效件数14件。",
         {"s2_normative_issued": 3, "s2_normative_repealed": 10, "s2_normative_effective": 15}, ["narrative.documents"]),
    # cqqj.gov.cn …/t20240327_13086081_wap.html (重庆市綦江区 2023): 全区, 除2件结转下年办理外.
    Case("qijiang-2023", "重庆市綦江区人民政府", 2023, "n1_on_request",
         "（二）抓好依申请公开。不断规范依申请公开办理流程，统一答复文书格式。实行各部门和街镇依申请公开向区政府办公室报备制度。"
         "2023年全区共收到依申请公开85件，除2件结转下年办理外，均依法依规答复，答复率100%。",
         {"new": 85, "open": 83, "next": 2}, []),
    Case("qijiang-2023-next-differs", "重庆市綦江区人民政府", 2023, "n1_on_request",
         "2023年全区共收到依申请公开85件，除2件结转下年办理外，均依法依规答复，答复率100%。",
         {"new": 85, "open": 82, "next": 3}, ["narrative.applications"]),
    # qiaokou.gov.cn …/t20240125_2349704.shtml (武汉市硚口区人民政府办公室 2023): “指导” in the sentence before.
    Case("qiaokou-office-2023", "武汉市硚口区人民政府办公室", 2023, "n1_on_request",
         "指导区政务服务和大数据管理局完善依申请信息登记、审核、归档等工作。2023年，共收到并办理依申请公开政府信息24件。",
         {"new": 24, "open": 24}, []),
    # ouhai.gov.cn/art/2024/1/31/art_1229780926_90066.html (温州市瓯海区人民政府办公室 2023).
    Case("ouhai-office-2023", "温州市瓯海区人民政府办公室", 2023, "n1_on_request",
         "2023年，区政府办公室共受理依申请公开51件，未发生信息公开行政诉讼败诉的情况。",
         {"new": 51, "open": 51, "s4_direct_suit_upheld": 3}, []),
    Case("ouhai-office-2023-lost-a-suit", "温州市瓯海区人民政府办公室", 2023, "n1_on_request",
         "2023年，区政府办公室共受理依申请公开51件，未发生信息公开行政诉讼败诉的情况。",
         {"new": 51, "open": 51, "s4_direct_suit_corrected": 1}, ["narrative.contradiction"]),
    # cgyfzs.com/art/2024/1/29/art_1229780563_89379.html (杭州市余杭区 2023): 处理…1717件 is new + carried, not
    # the 1646 answered; channels after 其中 are parts.
    Case("yuhang-2023", "杭州市余杭区人民政府", 2023, "n1_on_request",
         "2023年，全区共收到政府信息依申请公开1641件，其中，通过网络申请1156件，占70.44%；通过信函申请470件，占28.64%，"
         "通过当面申请15件，占比0.91%。全区共处理政府信息公开申请件1717件（包含上年结转76件），1646件已按规定在法定期限内予以答复，"
         "71件结转下年答复。区住建局、市规划资源局余杭分局处理政府信息公开申请件数量最多，征收事项、房产管理为政府信息依申请公开的"
         "高频事项。因政府信息公开引起的行政复议29件，行政诉讼案件22件。",
         {"new": 1641, "carried": 76, "open": 1646, "next": 71, "s4_reconsideration_upheld": 29,
          "s4_direct_suit_upheld": 20, "s4_suit_after_upheld": 2}, []),
    Case("yuhang-2023-differs", "杭州市余杭区人民政府", 2023, "n1_on_request",
         "全区共处理政府信息公开申请件1717件（包含上年结转76件），1646件已按规定在法定期限内予以答复，71件结转下年答复。"
         "因政府信息公开引起的行政复议29件，行政诉讼案件22件。",
         {"new": 1641, "carried": 76, "open": 1645, "next": 72, "s4_reconsideration_upheld": 29,
          "s4_direct_suit_upheld": 21}, ["narrative.appeals", "narrative.applications", "narrative.applications"]),
    # github.com/changwu/pingtan-gov-zwgk-archive …/ptzhsyqjjf/zfxxgknb/202601/104901 (平潭综合实验区经济发展局 2025):
    # the documents it made, counted by 公开属性 (主动公开 / 依申请公开 / 不予公开) — not applications nor their
    # outcomes: its 不予公开 88 is no figure of table 三 (whose 不予公开 rows are 0).
    Case("pingtan-jjf-2025-disclosure-attributes", "平潭综合实验区经济发展局", 2025, "n1_platform",
         "严格落实信息发布“三审三校”制度，规范政府门户网站和局微信公众号信息发布流程，确保发布信息内容准确、表述规范。"
         "2025年我局共制发政府信息405条，其中主动公开政府信息140条、依申请公开177条、不予公开88条。",
         {"new": 4, "open": 3, "unable_not_held": 1}, []),
    # github.com/changwu/pingtan-gov-zwgk-archive …/ptzhsyqgwh/zfxxgknb/202601/104919 (平潭综合实验区管委会办公室
    # 2025): the subject glossed in brackets, “实验区管委会（办公室）共受理公开申请34件”, is the office itself — its
    # 34 against table 三's 32 is the report's fault
    Case("pingtan-gwh-2025-bracketed-subject", "平潭综合实验区管委会办公室", 2025, "n1_on_request",
         "2025年，实验区管委会（办公室）共受理公开申请34件，均在法定期限内予以办理。",
         {"new": 32, "open": 32}, ["narrative.applications"]),
    # a bracket still open before the statement starts a clause of its own: “（其中区属部门受理12件）” is no
    # statement of the agency's
    Case("bracketed-clause-of-another-body", "平潭综合实验区管委会办公室", 2025, "n1_on_request",
         "2025年，全区共受理公开申请120件（其中区属部门受理12件）。",
         {"new": 32, "open": 32}, []),
    # The same kind of list about applications is still compared: 不予公开 2 against a table with none.
    Case("disclosure-outcomes-still-compared", "某某县交通运输局", 2025, "n1_on_request",
         "2025年，我局共收到政府信息公开申请6件，其中予以公开4件、不予公开2件。",
         {"new": 6, "open": 4, "unable_not_held": 2}, ["narrative.outcomes"]),
    # pingtan.gov.cn …/ptzhsyqshs/zfxxgknb/202601/t20260123_104794.htm (平潭综合实验区社会事业局 2025), 一（一）:
    # the documents made, by their disclosure attribute — its 不予公开13条 is no answer to an application.
    Case("pingtan-shs-2025-attributes", "平潭综合实验区社会事业局", 2025, "n1_management",
         "（一） 信息制作与管理：全年制发公文类政府信息383条，其中主动公开54条、依申请公开316条、不予公开13条；梳理更新机构职能、"
         "权责清单等基础信息，保障群众知情权。", {"new": 3, "unable_not_held": 2, "unable_needs_making": 1}, []),
    # (the same department, 2023): the counts named 信息数, the first without its unit.
    Case("pingtan-shs-2023-attributes", "平潭综合实验区社会事业局", 2023, "n1_proactive",
         "全年印发公文类政府信息共514条，其中主动公开信息数130，依申请公开信息数363条，不予公开21条；全年通过政府门户网站"
         "回应依申请公开信息1条（本机关不掌握相关政府信息）。", {"new": 1, "unable_not_held": 1}, []),
    # … the same counts listed 依申请公开 first, each without its unit: one rule for the sentence, whatever the order
    # and whether a count has its unit.
    Case("attributes-on-request-first-no-unit", "平潭综合实验区社会事业局", 2023, "n1_proactive",
         "全年印发公文类政府信息共514条，其中依申请公开信息数363，主动公开信息数130，不予公开21条。",
         {"new": 1, "unable_not_held": 1}, []),
    # … and the whole sentence is about documents: a count after the list is no application either.
    Case("attributes-then-a-count", "平潭综合实验区社会事业局", 2023, "n1_proactive",
         "其中主动公开信息数130，依申请公开信息数363条，不予公开21条，依申请公开答复2件。",
         {"new": 1, "unable_not_held": 1}, []),
    # … and applications answered so: 不予公开 after a list of outcomes is one.
    Case("attributes-look-alike-outcomes", "某局", 2025, "n1_on_request",
         "全年受理政府信息公开申请20件，其中予以公开4件、部分公开3件、不予公开13条。",
         {"new": 20, "open": 4, "partial": 3, "unable_not_held": 13}, ["narrative.outcomes"]),
    # yanting.gov.cn …timeFrame=2022 (盐亭县行政审批局 2022).
    Case("yanting-2022", "盐亭县行政审批局", 2022, "n1_on_request",
         "（二）依申请公开情况。2022年，我局未收到政府信息公开申请，未发生因政府信息公开申请行政复议和提起行政诉讼的案件。", {}, []),
    Case("yanting-2022-reconsideration", "盐亭县行政审批局", 2022, "n1_on_request",
         "（二）依申请公开情况。2022年，我局未收到政府信息公开申请，未发生因政府信息公开申请行政复议和提起行政诉讼的案件。",
         {"s4_reconsideration_corrected": 1}, ["narrative.contradiction"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_real_sentences(case: Case) -> None:
    r = table(blank_report(case.agency, case.year, **{case.field: case.text}, **case.values), **case.rows)
    assert fired(r) == sorted(case.expect), [f.message for f in findings(r)]


def test_shanghai_office_2019_four_real_faults() -> None:
    """2019年上海市人民政府办公厅…年度报告 (as kept in github.com/… 中国上海 page data, file id 18090078150).

    The narrative says 予以公开及部分公开 258 (table 275) and 无法提供 265 (table 337: only the 本机关不掌握 row);
    its categories add to 716 while it handled 805; “均获维持” while 3 cases are 尚未审结.  859 受理 “代表市政府”
    is a scope statement; 805, 18 and 72 agree with the table.
    """
    text = ("严格执行新出台的《条例》，进一步规范政府信息公开申请办理工作。\n"
            "市政府办公厅代表市政府共受理政府信息公开申请859件，申请数量较去年回落12.3%；答复政府信息公开申请805件（含上年度结转"
            "申请18件，另有72件申请按照《条例》顺延到下年度答复），均在法定期限内予以答复。予以公开及部分公开258件，占33.9%；"
            "不予公开35件，占4.34%；因本机关不掌握等原因无法提供265件，占32.9%；不予处理158件，占19.6%；其他处理0件。信息公开类"
            "行政复议7件，诉讼9件，均获维持，继续保持了省级政府零败诉的记录，维护了市政府依法行政、公开透明的良好形象。")
    r = table(blank_report("上海市人民政府办公厅", 2024, n1_on_request=text, n6_other="无。"),
              new=(821, 35, 0, 0, 2, 1), carried=18, open=(258, 12, 0, 0, 1, 1), partial=3, deny_secret=14,
              deny_internal=5, deny_process=(3, 1, 0, 0, 0, 0), deny_query=(10, 2, 0, 0, 0, 0),
              unable_not_held=(252, 12, 0, 0, 1, 0), unable_needs_making=(44, 3, 0, 0, 0, 0), unable_unclear=25,
              reject_petition=(148, 1, 0, 0, 0, 0), reject_repeat=(5, 4, 0, 0, 0, 0), next=72,
              s4_reconsideration_upheld=5, s4_reconsideration_pending=2, s4_direct_suit_upheld=8,
              s4_direct_suit_pending=1)
    fs = {f.rule: f for f in findings(r) if f.rule != "content.fees"}
    assert sorted(f.rule for f in findings(r)) == ["content.fees", "narrative.all_upheld", "narrative.outcome_sum",
                                                   "narrative.outcomes", "narrative.outcomes"]
    outcomes = sorted((f.actual, f.expected) for f in findings(r) if f.rule == "narrative.outcomes")
    assert outcomes == [(258, 275), (265, 337)]
    total = fs["narrative.outcome_sum"]
    assert (total.actual, total.expected) == (716, 805) and "相差 89 件" in total.message
    upheld = fs["narrative.all_upheld"]
    assert "均获维持" in upheld.message and "尚未审结” 2 件" in upheld.message and "尚未审结” 1 件" in upheld.message
    # each finding quotes the sentence and names the cell with both values
    unable = next(f for f in findings(r) if f.actual == 265)
    assert "因本机关不掌握等原因无法提供265件" in unable.message and "（四）无法提供" in unable.message
    assert "337" in unable.message and unable.field == "n1_on_request" and unable.sheet == "总体情况"


def test_workbook_finding_names_the_cell() -> None:
    r = table(blank_report("长春市退役军人事务局", 2023, parsed=False, cover_agency_type="设区的市级政府部门",
                           n1_on_request="本年度，共受理政府信息公开申请2件，都在法定期限内予以答复。"), new=3, open=3)
    f = only(findings(r), "narrative.applications")
    new_total = FORM.by_id[s3_id("new", "total")]
    assert f"{new_total.sheet}!{new_total.cell}" in f.message
    assert (f.expected, f.actual) == (3, 2) and f.fields == ("n1_on_request", s3_id("new", "total"))
    assert f.severity.value == "warning"


# ---------------------------------------------------------------------------------------------------------------
# Reading: numbers, sentences, scope
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
                                         ("一百零五", 105), ("三百", 300), ("一千二百", 1200), ("两万", 20000)])
def test_chinese_numerals(text: str, value: int) -> None:
    assert narrative.cn_number(text) == value


@pytest.mark.parametrize("text", ["", "一二", "是", "十二三"])
def test_not_chinese_numerals(text: str) -> None:
    assert narrative.cn_number(text) is None


@pytest.mark.parametrize("sentence, value", [
    ("本年度共受理政府信息公开申请两件。", 2),
    ("本年度共受理政府信息公开申请十二件。", 12),
    ("全年共收到政府信息公开申请 34 件。", 34),
    ("全年共收到政府信息公开申请３４件。", 34),  # 全角 digits
    ("全年共收到政府信息公开申请1.2万件。", 12000),
])
def test_received_figures_are_read(sentence: str, value: int) -> None:
    r = table(blank_report("某某县教育局", 2024, n1_on_request=sentence), new=value + 1, open=value + 1)
    f = only(findings(r), "narrative.applications")
    assert f.actual == value


@pytest.mark.parametrize("sentence", [
    "全年共收到政府信息公开申请近40件。",  # approximate
    "全年共收到政府信息公开申请40余件。",
    "全年共收到政府信息公开申请较上年增加5件。",  # a change
    "全年共收到政府信息公开申请数量同比增长5%。",
    "2023年共收到政府信息公开申请5件，本年度有所增加。",  # another year
    "上年度共收到政府信息公开申请5件。",
    "近三年共收到政府信息公开申请5件。",
    "县政府各部门共收到政府信息公开申请5件。",  # other bodies
    "县政府办代表县政府受理政府信息公开申请5件。",
    "其中通过网络受理政府信息公开申请5件。",
    "全市共收到政府信息公开申请5件。",  # a department's report: 全市 is more than the agency
    "通过政府网站在线受理政府信息公开申请5件。",  # one channel
])
def test_scope_words_keep_a_figure_out(sentence: str) -> None:
    r = table(blank_report("某某县教育局", 2024, n1_on_request=sentence), new=7, open=7)
    assert fired(r) == []


def test_a_later_figure_of_the_same_quantity_is_a_part() -> None:
    text = "全年共受理政府信息公开申请20件，其中网上受理15件，当面受理5件。"
    r = table(blank_report("某某县教育局", 2024, n1_on_request=text), new=20, open=20)
    assert fired(r) == []
    r = table(blank_report("某某县教育局", 2024, n1_on_request=text), new=21, open=21)
    assert [f.actual for f in findings(r)] == [20]


def test_sentences_join_wrapped_lines_and_keep_paragraphs() -> None:
    text = ("全年收到政府信息公开申请 34 件，上年结转政府信息公开\n申请 2 件，所有申请均已按要求办理完成。所有办结的信息公开\n"
            "申请中同意公开答复 9 件。\n二、工作机制\n市科委设立政务公开工作协调小组。")
    parts = narrative.sentences("n1_on_request", text)
    assert parts[0].quote.startswith("全年收到政府信息公开申请34件") and "上年结转政府信息公开申请2件" in parts[0].quote
    assert parts[1].quote == "所有办结的信息公开申请中同意公开答复9件。"
    assert [p.paragraph for p in parts] == [0, 0, 1, 2]


@pytest.mark.parametrize("subject, agency, expected", [
    ("", "某某县教育局", True), ("我局", "某某县教育局", True), ("本机关", "某某县教育局", True),
    ("市科委", "上海市科学技术委员会", True), ("区政府办公室", "武汉市汉阳区人民政府办公室", True),
    ("市政府", "上海市人民政府办公厅", True), ("区政府办", "淮安市洪泽区人民政府", False),
    ("县政府各部门", "某某县人民政府", False), ("全区", "淮安市洪泽区人民政府", True), ("全区", "某区教育局", False),
])
def test_is_self(subject: str, agency: str, expected: bool) -> None:
    level = plausibility.agency_level(blank_report(agency, 2024))
    assert narrative.is_self(subject, agency, level) is expected


@pytest.mark.parametrize("sentence", [
    "因未按期答复政府信息公开申请引发行政复议1件。",  # 未 belongs to 按期答复, not to the case
    "因无法提供政府信息引发政府信息公开行政复议1件。",
    "部分申请未收到申请人的补正材料，依法作其他处理。",  # 申请人, not 申请
    "本年度未收到申请人缴纳的信息处理费用。",  # not paid is not “not charged”
    "2023年未收到政府信息公开申请，本年度有所变化。",  # another year
    "区政府办代表区政府未收到政府信息公开申请。",
])
def test_statements_that_are_not_negations_of_a_figure(sentence: str) -> None:
    r = table(blank_report("某某县教育局", 2024, n1_on_request=sentence, n6_fee_notices=1, n6_fee_notice_amount=100.0,
                           n6_fee_collected=100.0, n6_other="本年度收取信息处理费100元。"),
              new=3, open=3, s4_reconsideration_upheld=1)
    assert fired(r) == []


# ---------------------------------------------------------------------------------------------------------------
# Internal contradictions
# ---------------------------------------------------------------------------------------------------------------

KEWEI = ("全年收到政府信息公开申请 34 件，上年结转政府信息公开\n申请 2 件，所有申请均已按要求办理完成。所有办结的信息公开\n"
         "申请中同意公开答复 9 件，部分公开答复 0 件，不予公开答复 2\n件，无法提供的 10 件，不予处理 0 件，其他处理 14 件，转下一\n"
         "年度办理答复的有 1 件。")
KEWEI_TABLE = {"new": (32, 2, 0, 0, 0, 0), "carried": 2, "open": 9, "deny_internal": 1, "deny_process": 1,
               "unable_not_held": 4, "unable_needs_making": 6, "other_no_correction": (8, 2, 0, 0, 0, 0),
               "other_misc": 4, "next": 1}


def test_all_done_but_one_carried_forward() -> None:
    """上海市科学技术委员会 2024 (shared corpus): “所有申请均已按要求办理完成” next to 1 carried forward."""
    r = table(blank_report("上海市科学技术委员会", 2024, n1_on_request=KEWEI), **KEWEI_TABLE)
    f = only(findings(r), "narrative.all_done")
    assert "所有申请均已按要求办理完成" in f.message and f.actual == 1
    # every figure of the paragraph agrees with the table, so nothing else fires
    assert fired(r) == ["narrative.all_done"]
    table(r, next=0, other_misc=5)
    assert fired(r) == ["narrative.applications", "narrative.outcome_sum", "narrative.outcomes"]


@pytest.mark.parametrize("sentence", [
    "共收到申请5件，除结转下年度的1件外，其余均已办结。",
    "上年结转的2件申请已全部办结。",
    "共收到政府信息公开申请5件，均在法定期限内予以答复。",
    "所有办结的信息公开申请中同意公开答复3件。",
])
def test_not_all_done_claims(sentence: str) -> None:
    r = table(blank_report("某某县教育局", 2024, n1_on_request=sentence), new=5, open=4, next=1, carried=2,
              other_misc=2)
    assert "narrative.all_done" not in fired(r)


@pytest.mark.parametrize("sentence, rows, expect", [
    ("全年发生政府信息公开行政复议1件，已审结的均获维持。", {"s4_reconsideration_pending": 1}, []),
    ("全年发生政府信息公开行政复议1件，均获维持。", {"s4_reconsideration_upheld": 1}, []),
    ("全年发生政府信息公开行政复议2件，均获维持。", {"s4_reconsideration_upheld": 1, "s4_reconsideration_corrected": 1},
     ["narrative.all_upheld"]),
    ("全年发生政府信息公开行政诉讼2件，均胜诉。", {"s4_direct_suit_upheld": 1, "s4_suit_after_pending": 1},
     ["narrative.all_upheld"]),
    ("全年发生政府信息公开行政诉讼1件，均胜诉。", {"s4_direct_suit_upheld": 1, "s4_reconsideration_pending": 1}, []),
])
def test_all_upheld(sentence: str, rows: dict, expect: list[str]) -> None:
    r = table(blank_report("某某县教育局", 2024, n1_on_request=sentence), **rows)
    assert [x for x in fired(r) if x != "narrative.appeals"] == expect


# ---------------------------------------------------------------------------------------------------------------
# Fees: 行政事业性收费 and 信息处理费 are different things
# ---------------------------------------------------------------------------------------------------------------

def test_fee_sentences() -> None:
    # 淮安市洪泽区人民政府 2024 (shared corpus): “全年收取政府信息公开信息处理费 0 元”.
    text = "2024 年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 0 元。"
    r = blank_report("淮安市洪泽区人民政府", 2024, parsed=False, cover_agency_type="县（市、区）级人民政府", n6_other=text,
                     s2_fees_amount=7545)
    assert fired(r) == []
    r.values["n6_fee_collected"] = 200.0
    r.values["n6_fee_notices"], r.values["n6_fee_notice_amount"] = 1, 200.0
    f = only(findings(r), "narrative.fees")
    assert (f.actual, f.expected) == (0, 200.0)
    # city-2025-anonymised.html (tests/data/published/real): “全市实际收取信息处理费共计400元” in 元; a city government
    r = blank_report("某市人民政府", 2025, parsed=False, cover_agency_type="设区的市级人民政府", n6_fee_notices=4,
                     n6_fee_notice_amount=400.0, n6_fee_collected=400.0,
                     n6_other="依据《政府信息公开信息处理费管理办法》规定，2025年全市实际收取信息处理费共计400元。")
    assert fired(r) == []
    r.values["n6_fee_collected"] = 300.0
    assert fired(r) == ["narrative.fees"]


def test_decisions() -> None:
    r = blank_report("某某县市场监督管理局", 2024, s2_penalty_decisions=35,
                     n1_proactive="全年作出行政处罚决定40件，均在门户网站公示。")
    f = only(findings(r), "narrative.decisions")
    assert (f.actual, f.expected) == (40, 35) and "行政处罚" in f.message
    r.values["s2_penalty_decisions"] = 40
    assert fired(r) == []


def test_admin_fees_in_wan_yuan() -> None:
    r = blank_report("某某县市场监督管理局", 2024, s2_fees_amount=12.5,
                     n1_proactive="全年行政事业性收费12.5万元，均按规定公示。")
    assert fired(r) == []
    r.values["n1_proactive"] = "全年行政事业性收费125000元，均按规定公示。"
    assert fired(r) == []
    r.values["s2_fees_amount"] = 1250
    assert fired(r) == ["narrative.fees"]


def test_no_fee_text_with_a_notice_not_paid() -> None:
    """A notice went out but the applicant did not pay: “未收取” is true, not a contradiction (a false alarm before)."""
    r = blank_report("某某县自然资源局", 2024, parsed=False, cover_agency_type="县（市、区）级政府部门",
                     n6_fee_notices=1, n6_fee_notice_amount=300.0, n6_fee_collected=0.0,
                     n6_other="本年度发出收费通知1件，申请人逾期未缴纳，未收取信息处理费。")
    assert fired(r) == []
    r.values["n6_fee_collected"] = 300.0
    assert fired(r) == ["narrative.contradiction"]


def test_fee_collected_for_last_years_notice() -> None:
    r = blank_report("某某县自然资源局", 2024, parsed=False, cover_agency_type="县（市、区）级政府部门",
                     n6_fee_notices=0, n6_fee_notice_amount=0.0, n6_fee_collected=200.0,
                     n6_other="本年度收取信息处理费200元（系上年12月发出的收费通知，申请人于本年1月缴纳）。")
    assert fired(r) == []
    r.values["n6_other"] = "本年度收取信息处理费200元。"
    assert fired(r) == ["fee.consistency"]


# ---------------------------------------------------------------------------------------------------------------
# Section content
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, fires", [
    ("无", True), ("无。", True), ("暂无。", True), ("（一）无", True), ("加强培训。", True),
    # 淮安市洪泽区人民政府 2023 section 五 (shared corpus)
    ("2023 年，洪泽区政府信息公开工作取得一定的成效，但对照上级要求，仍存在一定差距。如依申请公开工作规范性还有待提高、"
     "政务公开内容的深度和广度还有待提升、政务公开队伍建设有待加强等。", False),
    # 上海市科学技术委员会 2024 section 五 (shared corpus), its first heading and sentence
    ("（一）主要问题\n市科委 2024 年根据本市机构改革工作安排，内设机构和职能发生较大调整。", False),
])
def test_section_five(text: str, fires: bool) -> None:
    r = blank_report("某某县教育局", 2024, n5_problems=text)
    assert ("content.problems" in fired(r)) is fires


def test_section_six_silent_on_the_information_fee() -> None:
    # Published: section 六 “无。” (2019 上海市人民政府办公厅) — nothing about 信息处理费.
    r = blank_report("某某县教育局", 2024, n6_other="无。")
    assert fired(r) == ["content.fees"]
    # 行政事业性收费 is table 二's fee, not the 信息处理费
    r.values["n6_other"] = "本年度行政事业性收费0万元。"
    f = only(findings(r), "content.fees")
    assert "行政事业性收费" in f.message
    # 上海市人民政府办公厅 2025: “2025 年度本机关未收取信息公开处理费。” states it
    r.values["n6_other"] = "2025 年度本机关未收取信息公开处理费。"
    assert fired(r) == []
    # workbook: the figures are in their own cells; the text must say something only when a fee was charged
    w = blank_report("某某县教育局", 2024, parsed=False, cover_agency_type="县（市、区）级政府部门",
                     n6_other="本年度认真落实政务公开工作要点。")
    assert fired(w) == []
    w.values.update(n6_fee_notices=1, n6_fee_notice_amount=100.0, n6_fee_collected=100.0)
    assert fired(w) == ["content.fees"]


# ---------------------------------------------------------------------------------------------------------------
# Year over year
# ---------------------------------------------------------------------------------------------------------------

def test_text_reuse_hongze_2023_to_2024() -> None:
    """淮安市洪泽区人民政府 2023 and 2024 (the published PDFs): （三）政府信息管理 is 94% last year's, （一） 75%,
    （四） 62%; （二）依申请公开 is new; section 五 is 47% reused (under the 50% line)."""
    last = parse_file(PUBLISHED / "hongze-2023.pdf").report
    this = parse_file(PUBLISHED / "hongze-2024.pdf").report
    fs = [f for f in validate_report(this, prior=last, today=TODAY) if f.rule in ("cross_year.text_reuse",
                                                                                 "cross_year.magnitude")]
    reused = {f.field: f for f in fs if f.rule == "cross_year.text_reuse"}
    assert set(reused) == {"n1_proactive", "n1_management", "n1_platform"}
    assert reused["n1_management"].actual > 0.9 and "三审三校" in reused["n1_management"].message
    assert 0.45 < narrative.reuse(this.values["n5_problems"], last.values["n5_problems"])[0] < 0.5
    # 行政许可 550 → 9487 (17×)
    jump = only(fs, "cross_year.magnitude")
    assert jump.field == "s2_licensing_decisions" and (jump.expected, jump.actual) == (550, 9487)
    # the line is a parameter
    assert {f.field for f in narrative.check_text_reuse(this, last, threshold=0.4)} >= {"n5_problems"}


def test_text_reuse_measure() -> None:
    assert narrative.reuse("", "abc") == (0.0, None)
    ratio, run = narrative.reuse("今年我们新写了一段话。加强培训，完善制度，提升水平。", "加强培训，完善制度，提升水平。")
    assert 0.4 < ratio < 0.6 and run is not None
    same, _ = narrative.reuse("2024年加强培训完善制度提升水平", "2023年加强培训、完善制度、提升水平")
    assert same == 1.0  # years and punctuation do not make a copy new


# ---------------------------------------------------------------------------------------------------------------
# Correct reports in the repository and the shared corpus raise nothing they should not
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expect", [
    ("seed_xixiayuan_2024.txt", []),
    ("published/real/city-2025-anonymised.html", []),
    # eight figures in its narrative, every one as in the table (two of them in a list: 复议2件、诉讼7件)
    ("published/real/pingtan-2023.html", []),
    ("published/real/pdf-text-fragment-s2-s3.txt", []),
    ("published/hongze-2023.pdf", []),
    # “区政府办代表区政府受理…17件” against 95 in the table: a scope statement
    ("published/hongze-2024.pdf", []),
    # its one finding is the real fault the corpus notes: “所有申请均已按要求办理完成” with 1 carried forward
    ("published/real/shanghai-kewei-2024-text-extraction.md", ["narrative.all_done"]),
    # two real faults: categories adding to 716 of 805 answered, “均获维持” with 3 尚未审结 (258 and 265 are not
    # compared: the table leaves those rows' 总计 blank); section 六 “无。” is no fault in a 2019 report
    ("published/real/shanghai-bangongting-2019.html", ["narrative.all_upheld", "narrative.outcome_sum"]),
])
def test_published_reports(name: str, expect: list[str]) -> None:
    result = parse_file(Path(__file__).parent / "data" / name)
    assert sorted(f.rule for f in validate_parsed(result) if f.rule in NEW_RULES) == expect


def test_list_items_share_their_subject() -> None:
    """平潭综合实验区 2023 (tests/data/published/real/pingtan-2023.html): “行政复议案件2件、行政诉讼案件7件”."""
    r = parse_file(PUBLISHED / "real" / "pingtan-2023.html").report
    found = {c.quantity.key: c.value for c in narrative.claims(r, "n1_on_request", r.values["n1_on_request"], None)}
    assert found == {"handled": 81, "open_partial": 42, "deny": 5, "unable": 31, "reject": 1, "other": 2,
                     "reconsideration": 2, "litigation": 7}


def test_random_consistent_reports_raise_nothing_new() -> None:
    for seed in range(200):
        r = random_report(random.Random(seed))
        assert [f.rule for f in validate_report(r, today=TODAY) if f.rule in NEW_RULES] == [], seed


def test_the_fee_statement_is_asked_for_only_from_2021() -> None:
    """国办函〔2020〕109号 applies from 1 January 2021: a 2019 or 2020 report silent on 信息处理费 is no fault."""
    assert fired(blank_report("上海市人民政府办公厅", 2020, n6_other="无。")) == []
    assert fired(blank_report("上海市人民政府办公厅", 2021, n6_other="无。")) == ["content.fees"]
    charged = {"n6_fee_notices": 1, "n6_fee_notice_amount": 100}
    assert fired(blank_report("某县人民政府", 2020, parsed=False, n6_other="无。", **charged)) == []
    assert fired(blank_report("某县人民政府", 2021, parsed=False, n6_other="无。", **charged)) == ["content.fees"]
