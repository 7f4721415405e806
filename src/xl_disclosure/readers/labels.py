"""Label vocabulary of published reports: traditional characters, numbering variants, heading variants.

NFKC does not map traditional characters to simplified ones (資訊, 處理, 申請 …), and some reports are
published, or copied through a site's 繁體 switch, in traditional characters.  Only the characters of the
table labels and section headings matter for finding rows and sections, so a small table is enough; it is
applied to the matching keys only, never to the text kept for the report.
"""

from __future__ import annotations

_TRADITIONAL = (
    "資资 訊讯 處处 開开 請请 數数 結结 轉转 辦办 與与 機机 關关 認认 複复 議议 訴诉 訟讼 紀纪 計计 總总 項项 條条"
    " 維维 糾纠 審审 獲获 組组 織织 業业 構构 務务 規规 範范 廢废 現现 發发 許许 罰罚 強强 費费 決决 無无 護护"
    " 權权 內内 類类 過过 執执 檢检 詢询 製制 補补 確确 訪访 舉举 報报 復复 書书 經经 繳缴 納纳 應应 繼继 續续"
    " 會会 專专 體体 統统 況况 門门 當当 實实 際际 編编 寫写 說说 設设 個个 為为 對对 國国 點点 穩稳 險险 歸归"
    " 來来 時时 間间 問问 題题 進进 監监 導导 據据 層层 區区 縣县 鄉乡 鎮镇 廳厅 員员 額额 萬万 責责 庫库 產产"
    " 億亿 當当 劃划 嚴严 濟济 錄录 覽览 齊齐 圍围 滿满 頁页 擊击 證证 衛卫 財财 稅税 義义 戶户 儘尽 並并 寬宽"
    " 裏里 裡里 這这 們们 來来 於于 後后 處处 竊窃 據据 聯联 屬属"
    # 主動公開 (二’s heading), 單位 (the fee column’s unit), 隻計 ((二)部分公開), 平臺, 沒有現成信息
    " 動动 單单 隻只 臺台 沒没")
TRADITIONAL_MAP = {ord(pair[0]): pair[1] for pair in _TRADITIONAL.split()}


def simplify(text: str) -> str:
    """``text`` with the traditional characters of the label vocabulary made simplified."""
    return text.translate(TRADITIONAL_MAP)


#: Row labels of table 三 as real reports word them otherwise than the form (row key -> labels); the form's own
#: label is always read too.
S3_ROW_VARIANTS: dict[str, tuple[str, ...]] = {
    "deny_law": ("2.其他法律和行政法规禁止公开",),  # 平潭综合实验区君山片区管理局 2025
}


#: Title keys (after the numbering, 全角/半角 and punctuation ignored) that identify each statutory section,
#: including the variants seen in published reports.  A heading is recognised when its text starts with one.
SECTION_TITLE_KEYS: dict[str, tuple[str, ...]] = {
    "一": ("总体情况", "概述", "工作基本情况"),  # “一、工作基本情况” (微山县两城镇 2020)
    "二": ("主动公开政府信息情况", "主动公开政府信息"),
    "三": ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请", "收到和处理政府信息公开",
           "政府信息依申请公开办理情况"),  # the older title, “三、政府信息依申请公开办理情况” (巍山县牛街乡 2019)
    "四": ("政府信息公开行政复议行政诉讼情况", "政府信息公开行政复议和行政诉讼情况", "行政复议行政诉讼情况",
           "因政府信息公开工作被申请行政复议", "政府信息公开行政复议", "因政府信息公开申请行政复议",
           "政府信息公开行政法复议行政诉讼情况"),  # misprinted so (平潭 2022)
    "五": ("存在的主要问题及改进情况", "存在的主要问题", "存在问题及改进情况", "存在的问题及改进情况",
           "主要问题及改进情况", "存在的主要问题和改进情况", "存在问题和改进措施", "主要问题和改进措施", "存在的问题",
           "存在问题",
           # “五、当前存在的突出问题” (then “六、下一步改进举措”: 五 in two headings, 君山片区 2025)
           "当前存在的突出问题", "存在的突出问题",
           # “政府信息公开工作存在的主要问题…”, “政务公开工作中存在的问题…”, “工作中存在的主要问题…”, without
           # 工作 too: “五、政府信息公开存在的主要问题及改进情况” (平潭 农业农村局 2021)
           *(pre + mid + core for pre in ("政府信息公开工作", "政务公开工作", "信息公开工作", "工作", "政府信息公开",
                                          "政务公开", "信息公开")
             for mid in ("", "中") for core in ("存在的主要问题", "存在的问题", "存在问题"))),
    # “六、需要说明的其他事项与附表” (平潭 农业农村局 2021, 2025: the older format's words)
    "六": ("其他需要报告的事项", "其他需报告的事项", "其他需要报告事项", "其他需要说明的事项", "需要说明的其他事项",
           "其他需说明事项", "其他需说明的事项", "其他事项",
           # 六's own matter under a title of its own, numbered before 五 (“五、信息处理费收取情况”, a fee table,
           # then “六、存在的主要问题及改进措施”: 平潭 金井/苏平片区 2025)
           "信息处理费收取情况"),
}

#: Title keys, among those above, of the format before 2019 (the annual reports under the 2008 条例: “一、概述”,
#: “五、因政府信息公开申请行政复议、提起行政诉讼的情况”): a section printed under one is read, and its title
#: reported as the old format's (format.structure).  The 2021 format's sections 一 and 四 have other titles.
OLD_SECTION_TITLE_KEYS: dict[str, tuple[str, ...]] = {
    "一": ("概述",),
    "四": ("因政府信息公开工作被申请行政复议", "因政府信息公开申请行政复议"),
}

#: Title keys taken only with the section's own numeral: “政府信息依申请公开办理情况” is also how part （二）
#: of section 一 is titled (“（二）政府信息依申请公开办理情况”, 福清市江阴镇 2023).
STATUTORY_NUMERAL_KEYS = frozenset({"政府信息依申请公开办理情况"})

#: Phrases of the official 编写说明 (国办公开办函〔2021〕30号) that have no place in a report itself.
TEMPLATE_TEXT_MARKERS = (
    "这一项报告本机关",
    "年度报告内容要严格按照",
    "不能遗漏也不宜泛化",
    "各行政机关分管政府信息公开工作的领导人员是第一责任人",
    "报告格式适用于",
)

#: How the five parts of section 一 are titled in published reports, after the numbering: an optional
#: “政府信息公开/信息公开/政务公开” before the part's name, then “情况”, “方面”, “工作” or nothing
#: (“（一）主动公开情况。”, “（四）信息公开平台建设方面”, “（五）政府信息公开监督保障情况”).  Regular
#: expressions over the compact text (NFKC, simplified, spaces removed); the first that matches wins.
PART_TITLE_NAMES: dict[str, tuple[str, ...]] = {
    # “（一）加强主动公开和依申请公开办理方面” (平潭综合实验区交通与建设局 2022): the two parts in one title, taken whole
    "n1_proactive": ("主动公开(?:和|与|及)依申请公开(?:办理)?", "主动公开"),
    "n1_on_request": ("依申请公开", "政府信息公开申请"),
    # “（一）信息制作与管理：” (平潭 社会事业局 2025)
    "n1_management": ("政府信息管理", "信息管理", "信息制作(?:与|和|及)管理"),
    # “（四）平台载体建设方面” (平潭 2021), “（四）平台建设管理情况” (资阳市同城化发展工作局 2022), a few words
    # and 公开 before it: “（四）信息规范公开平台建设情况” (a town of 重庆, 2022), “政务公开平台建设”
    # “（三）栏目平台建设和政务新媒体建设方面” (平潭综合实验区交通与建设局 2022), “(四）平台建设保障情况” (平潭 农业农村局
    # 2021); “（四）公开平台阵地建设情况” (海坛片区 2025), a task after the platform: “（四）平台运维持续加强” (苏平片区
    # 2025), “（四）公开平台优化升级” (君山片区 2025); the building of 公开 itself, “（四）政府信息公开建设情况” (苏平片区
    # 2023), only right after “…公开”
    "n1_platform": ("(?:\\w{0,4}?公开|栏目)?平台(?:载体|阵地)?(?:建设(?:和?管理|和政务新媒体建设|保障)?|运维|优化|升级)",
                    "(?<=公开)建设"),
    # “工作机制保障” (上海市科委 2024: the part on organisation and procedures, under its own numbering);
    # “（四）监督管理方面” (平潭综合实验区旅游与文化体育局 2025), “（四）监督与能力建设：” (平潭 社会事业局 2025)
    # “（四）强化监督问效” (平潭综合实验区国有资产管理局 2022: 绩效考核, 扣分惩罚)
    "n1_oversight": ("监督(?:和|与|及)?(?:保障|管理)", "工作机制保障", "监督(?:和|与|及)能力建设", "监督问效"),
}
