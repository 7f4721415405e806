"""What the narratives say, read back against the tables.

A narrative states figures — “共受理政府信息公开申请2件”, “行政复议7件，诉讼9件，均获维持”,
“未收取信息处理费” — and this module compares each statement with the cell it is about.  It is
built for precision: a statement is compared only when it unambiguously names

* the **same quantity** — a verb and a noun that together mean one cell (受理 … 申请 → 本年新收;
  结转下年度 → 第四项; 予以公开及部分公开 → the sum of two rows), with the number right after them
  (or right before, as in “剩余2件结转下年度继续办理”);
* the **same year** — no other year, no 上年/去年/同比/较上年/近三年/以来 in its clause, no change
  (增长/下降/增加/减少) between the noun and the number, no percentage, no approximation
  (近/约/余/多/左右);
* the **same agency** — no 代表…/各部门/所属/本级 in the sentence, and a subject that is empty, 我局/本机关
  …, a short form of the agency's own name (市科委 for 上海市科学技术委员会), or 全区/全县 … for a
  government whose tables cover its area.  “区政府办代表区政府受理…17件” in a district's report
  whose table counts 95 for the whole district is a statement about part of the work, not a fault.

A later figure of the same quantity in the same sentence, or one after 其中, is a part of the first
and is not compared.  Chinese numerals are read (两件, 十二件, 一百零五件).

Besides figures, the module reads statements that rule a figure out (“未收到政府信息公开申请”,
“未发生…行政复议”, “未收取信息处理费”: ``narrative.contradiction``), statements that every
application was settled (``narrative.all_done``) or every case upheld (``narrative.all_upheld``),
a full breakdown of outcomes whose parts do not add up (``narrative.outcome_sum``), section 五 and
六 with nothing in them (``content.*``) and text reused from last year's report
(``cross_year.text_reuse``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from xl_disclosure.checks.plausibility import Level, agency_level
from xl_disclosure.checks.values import side_sum, side_value
from xl_disclosure.form import FORM, RULES, S3_ROWS, Finding, fmt, s3_id
from xl_disclosure.model.report import Number, Report

NARRATIVE_FIELDS = ("n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight",
                    "n5_problems", "n6_other")
FEE_FIELDS = ("n6_fee_notices", "n6_fee_notice_amount", "n6_fee_collected")

# ---------------------------------------------------------------- quantities


@dataclass(frozen=True)
class Quantity:
    """A figure a narrative can state, and the cells whose sum it must equal."""

    key: str
    rule: str
    label: str  # how the message names the figure
    cells: tuple[str, ...]
    where: str  # how the message names the cells
    unit: str = "件"
    #: Family for the “a part of the first” rule: figures of one family in one sentence after the first are parts.
    family: str = ""


def _s3_group(prefix: str) -> tuple[str, ...]:
    return tuple(s3_id(r.key, "total") for r in S3_ROWS if r.key.startswith(prefix + "_"))


def _s3(label: str, key: str, cells: tuple[str, ...] | None = None, rule: str = "narrative.outcomes",
        where: str = "") -> Quantity:
    cells = cells or (s3_id(key, "total"),)
    return Quantity(key, rule, label, cells, where or f"表三“{label}”总计", family=key)


_SUB_ITEMS = {r.key: r.label.split(".", 1)[-1] for r in S3_ROWS if r.level3}

QUANTITIES: dict[str, Quantity] = {q.key: q for q in (
    _s3("本年新收政府信息公开申请", "new", rule="narrative.applications",
        where="表三“一、本年新收政府信息公开申请数量”总计"),
    _s3("上年结转政府信息公开申请", "carried", rule="narrative.applications",
        where="表三“二、上年结转政府信息公开申请数量”总计"),
    _s3("本年度办理（答复）的申请", "handled", (s3_id("results_total", "total"),), rule="narrative.applications",
        where="表三“（七）总计”"),
    _s3("结转下年度继续办理的申请", "next", rule="narrative.applications",
        where="表三“四、结转下年度继续办理”总计"),
    _s3("予以公开", "open"),
    _s3("部分公开", "partial"),
    _s3("予以公开和部分公开", "open_partial", (s3_id("open", "total"), s3_id("partial", "total")),
        where="表三“（一）予以公开”与“（二）部分公开”总计之和"),
    _s3("不予公开", "deny", _s3_group("deny"), where="表三“（三）不予公开”各项总计之和"),
    _s3("无法提供", "unable", _s3_group("unable"), where="表三“（四）无法提供”各项总计之和"),
    _s3("不予处理", "reject", _s3_group("reject"), where="表三“（五）不予处理”各项总计之和"),
    _s3("其他处理", "other", _s3_group("other"), where="表三“（六）其他处理”各项总计之和"),
    *(_s3(label, key, where=f"表三“{label}”总计") for key, label in _SUB_ITEMS.items()),
    Quantity("reconsideration", "narrative.appeals", "政府信息公开行政复议", ("s4_reconsideration_total",),
             "表四“行政复议”总计", family="reconsideration"),
    Quantity("litigation", "narrative.appeals", "政府信息公开行政诉讼", ("s4_direct_suit_total", "s4_suit_after_total"),
             "表四“行政诉讼”两栏（未经复议直接起诉、复议后起诉）总计之和", family="litigation"),
    *(Quantity(f"{g}_{res}", "narrative.appeals", f"{glabel}{rlabel}", cells, f"表四“{glabel}·{rlabel}”",
               family=f"{g}_{res}")
      for g, glabel, groups in (("reconsideration", "行政复议", ("reconsideration",)),
                                ("litigation", "行政诉讼", ("direct_suit", "suit_after")))
      for res, rlabel in (("upheld", "结果维持"), ("corrected", "结果纠正"), ("pending", "尚未审结"))
      for cells in (tuple(f"s4_{x}_{res}" for x in groups),)),
    *(Quantity(f"{doc}_{col}", "narrative.documents", f"{dlabel}{clabel}", (f"s2_{doc}_{col}",),
               f"表二“{dlabel}·{clabel}”", family=f"{doc}_{col}")
      for doc, dlabel in (("rules", "规章"), ("normative", "行政规范性文件"))
      for col, clabel in (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("effective", "现行有效件数"))),
    *(Quantity(key, "narrative.decisions", f"{label}处理决定", (f"s2_{key}_decisions",),
               f"表二“{label}·本年处理决定数量”", family=key)
      for key, label in (("licensing", "行政许可"), ("penalty", "行政处罚"), ("enforcement", "行政强制"))),
    Quantity("fees", "narrative.fees", "行政事业性收费金额", ("s2_fees_amount",),
             "表二“行政事业性收费·本年收费金额”", unit="万元", family="fees"),
    Quantity("fee_notices", "narrative.fees", "发出信息处理费收费通知", ("n6_fee_notices",),
             "第六部分“发出收费通知件数”", family="fee_notices"),
    Quantity("fee_notice_amount", "narrative.fees", "信息处理费收费通知总金额", ("n6_fee_notice_amount",),
             "第六部分“收费通知总金额”", unit="元", family="fee_notice_amount"),
    Quantity("fee_collected", "narrative.fees", "实际收取的信息处理费", ("n6_fee_collected",),
             "第六部分“实际收取总金额”", unit="元", family="fee_collected"),
)}

OUTCOME_GROUPS = ("open", "partial", "deny", "unable", "reject", "other")

# ---------------------------------------------------------------- text

#: Full-width ASCII variants to ASCII, one character for one, so positions stay the same.
_COMMON_WIDE = (("，", ","), ("；", ";"), ("：", ":"), ("（", "("), ("）", ")"), ("％", "%"), ("！", "!"), ("？", "?"))
_OTHER_WIDE = re.compile("[\uff01-\uff5e]")


def halfwidth(text: str) -> str:
    """``text`` with full-width ASCII variants as ASCII (，→, ３→3), one character for one.

    str.translate is slow on Chinese text (a dictionary look-up per character); the common marks are
    replaced directly, the rare others one by one.
    """
    for wide, narrow in _COMMON_WIDE:
        text = text.replace(wide, narrow)
    return _OTHER_WIDE.sub(_narrow, text) if _OTHER_WIDE.search(text) else text


def _narrow(m: re.Match[str]) -> str:
    return chr(ord(m.group()) - 0xFEE0)
_TERMINAL = "。!?;！？；"
_WRAPPED = 20  # a line this long that does not end a sentence was wrapped (PDF/web text), not ended


_BREAK = re.compile(r"[。!?;！？；]|\n")
_WS = re.compile(r"\s+")
_ASCII_GAP = re.compile(r"(?<=[0-9A-Za-z])\s+(?=[0-9A-Za-z])")


@dataclass(eq=False)
class Sentence:
    fid: str
    index: int
    paragraph: int
    norm: str  # half-width punctuation, no whitespace
    raw: str  # as written
    #: Names a request (申请, not 申请人).
    requests: bool = False
    #: About requests for disclosure: 依申请, or 申请 with 公开.
    asks: bool = False
    #: About disclosure cases: 复议 or 诉讼 with 公开.
    appeals: bool = False

    @cached_property
    def quote(self) -> str:
        """As written, without line breaks and spacing (a space kept between two Latin letters or digits)."""
        return _WS.sub("", _ASCII_GAP.sub("\x00", self.raw)).replace("\x00", " ")

    def excerpt(self, start: int, end: int, width: int = 90) -> str:
        """The quote, or around norm[start:end] when the sentence is long."""
        quote = self.quote
        if len(quote) <= width:
            return quote
        where = [k for k, ch in enumerate(quote) if ch != " "]  # norm index → quote index
        a = where[min(start, len(where) - 1)]
        b = where[min(max(end - 1, 0), len(where) - 1)] + 1
        pad = max(0, (width - (b - a)) // 2)
        lo, hi = max(0, a - pad), min(len(quote), b + pad)
        return ("…" if lo else "") + quote[lo:hi] + ("…" if hi < len(quote) else "")


@functools.lru_cache(maxsize=64)
def sentences(fid: str, text: str) -> tuple[Sentence, ...]:
    """The sentences of a narrative: split at 。！？； and at line ends that end a paragraph.

    A line that is long and does not end a sentence was wrapped (PDF or web text), and goes on
    in the next line.  Cached: every check of one report reads the same text.
    """
    shadow = halfwidth(text)
    out: list[Sentence] = []
    start = line_start = paragraph = 0
    for m in _BREAK.finditer(shadow):
        i = m.start()
        if m.group() != "\n":
            _add(out, fid, text, shadow, start, i + 1, paragraph)
            start = i + 1
            continue
        line = shadow[line_start:i].strip()
        if not line or line[-1] in _TERMINAL or len(line) < _WRAPPED:
            _add(out, fid, text, shadow, start, i, paragraph)
            start = i + 1
            paragraph += 1
        line_start = i + 1
    _add(out, fid, text, shadow, start, len(text), paragraph)
    return tuple(out)


def _add(out: list[Sentence], fid: str, text: str, shadow: str, a: int, b: int, paragraph: int) -> None:
    norm = _WS.sub("", shadow[a:b])
    if _CJK.search(norm):
        requests = _REQUEST.search(norm) is not None
        disclosure = "公开" in norm
        out.append(Sentence(fid, len(out), paragraph, norm, text[a:b], requests,
                            "依申请" in norm or (requests and disclosure),
                            disclosure and _CASE.search(norm) is not None))


_CJK = re.compile(r"[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=64)
def flat(text: str) -> str:
    """A whole narrative as the sentences see it (half-width, no whitespace): to see quickly whether a check has
    anything to read in it before splitting it."""
    return _WS.sub("", halfwidth(text))


_REQUEST = re.compile(r"申请(?!人)")
_CASE = re.compile(r"复议|诉讼")
_GOES_ON = re.compile(r"其中|此外|另|共|全年|本年度?|均")


# ---------------------------------------------------------------- numbers

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10_000}


def cn_number(text: str) -> int | None:
    """A Chinese numeral as a number (十二 → 12, 一百零五 → 105, 两 → 2); None if it is not one."""
    if not text:
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in "零〇":
            if digit is not None:
                return None  # 一零: not how a count is written
            continue
        if ch in _CN_DIGIT:
            if digit is not None and _CN_DIGIT[ch] != 0:
                return None  # 十二三: not a number
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            unit = _CN_UNIT[ch]
            if unit == 10_000:
                total = (total + section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
        else:
            return None
    return total + section + (digit or 0)


#: The end of a figure: its last numeral, then the unit (the numerals before are read backwards from there; a
#: pattern that starts with the number is several times slower on Chinese text).
_FIGURE_END = re.compile(r"[\d零〇一二两三四五六七八九十百千](?P<wan>万(?!元))?(?P<approx>余|多)?"
                         r"(?P<unit>万元|元|件|份|条|个|宗|起|次|项|篇|部)")
_CN_NUMERALS = frozenset("零〇一二两三四五六七八九十百千")
_NOT_EXACT_AFTER = ("左右", "以上", "以下", "之多", "多")
#: Before a number: it is not exact (近40件, 约40件) or not a count (第3件).
_NOT_EXACT_BEFORE = ("近", "约", "超过", "逾", "超", "不足", "第")


@dataclass(frozen=True)
class Figure:
    value: Number
    unit: str
    start: int
    end: int
    exact: bool


def figures(norm: str) -> Iterator[Figure]:
    """The counts and amounts in a sentence: 34件, 两件, 十二件, 1.2万件, 7545万元."""
    for m in _FIGURE_END.finditer(norm):
        last = m.start()
        start = last
        if norm[last].isdigit():
            while start and (norm[start - 1].isdigit() or (norm[start - 1] == "." and start > 1
                                                           and norm[start - 2].isdigit())):
                start -= 1
            raw = norm[start:last + 1]
            value: Number = float(raw) if "." in raw else int(raw)
        else:
            while start and norm[start - 1] in _CN_NUMERALS:
                start -= 1
            if start and norm[start - 1].isdigit():
                continue
            parsed = cn_number(norm[start:last + 1])
            if parsed is None or norm.startswith("一件事", start):  # “高效办成一件事”: a slogan
                continue
            value = parsed
        if m.group("wan"):
            value = value * 10_000
        exact = not (m.group("approx") or norm.startswith(_NOT_EXACT_AFTER, m.end())
                     or norm.endswith(_NOT_EXACT_BEFORE, 0, start))
        yield Figure(value, m.group("unit"), start, m.end(), exact)


# ---------------------------------------------------------------- statements

_MID = r"[^,;:()\d、。]"  # a character inside a phrase: no number, no clause break
_TAIL = r"(?:的有|共计|合计|总计|累计|达到|共|为|达|是|有|计|的|了|分别为)*"
_APPLY = r"(?:政府信息公开申请|信息公开申请|公开申请|依申请公开(?:政府信息)?(?:申请|事项|件)?|依申请信息|申请)"
_NOT_APPLICATION = re.compile(r"许可|复议|诉讼|审批|补正|延期|撤回|赔偿|信访|投诉|举报|咨询|留言|建议|提案|热线|专利|审查|"
                              r"行政|办件|服务事项|政务服务|登记|低保|救助|补贴|资金")

#: Documents counted by their disclosure attribute (公开属性), not applications and their outcomes: “制发政府信息405条，
#: 其中主动公开政府信息140条、依申请公开177条、不予公开88条” (平潭 经济发展局 2025), “其中主动公开信息数130，依申请
#: 公开信息数363条，不予公开21条” (平潭 社会事业局 2023: the first count without its unit).  A sentence that counts
#: 主动公开 and 依申请公开 side by side, in either order, unit or none, is about documents: none of its figures (its
#: 不予公开 and 依申请公开 least of all) is compared with table 三.
_ATTRIBUTE_COUNT = r"[^,;:。]{0,12}?\d[\d,]*(?:\.\d+)?[条件项篇份个]?[^;。]{0,6}?"
_DISCLOSURE_ATTRIBUTES = re.compile(rf"主动公开{_ATTRIBUTE_COUNT}依申请公开[^,;:。]{{0,8}}?\d"
                                    rf"|依申请公开{_ATTRIBUTE_COUNT}主动公开[^,;:。]{{0,12}}?\d")

_STATEMENTS: tuple[tuple[str, str], ...] = (
    ("new", rf"(?:收到|受理|接收|接到|新收|收|登记)(?:了|各类)?(?P<mid>{_MID}{{0,16}}?){_APPLY}(?:数量|数|总数|件数|总量)?"),
    ("new", r"本年(?:度)?新收(?:政府信息公开)?申请(?:数量|数)?"),
    ("carried", rf"(?:上年度?|上一年度?|去年)结转(?P<mid>{_MID}{{0,12}}?)"),
    # 办结/答复 only: 办理 and 处理 cover applications still in hand (“处理…1717件（包含上年结转76件）”).
    ("handled", rf"(?:办结|(?:公开)?答复|回复|完成答复|作出答复|予以答复|办理完毕|办复)(?:了)?(?P<mid>{_MID}{{0,16}}?)"),
    ("next", rf"(?:结转|顺延|转|延)(?:入|至|到)?下(?:一)?(?:个)?年度?(?:继续)?(?:办理|答复|处理)?(?P<mid>{_MID}{{0,8}}?)"),
    ("open", r"(?:予以公开|同意公开|全部公开|准予公开)(?:答复|的|决定)?"),
    ("partial", r"部分公开(?:答复|的|决定)?"),
    ("open_partial", r"(?:予以公开|同意公开|全部公开)(?:答复)?(?:及|和|或|与|、|或者|以及)部分公开(?:答复|的)?"),
    ("deny", r"不予公开(?:答复|的|决定)?"),
    ("unable", r"无法提供(?:答复|的|信息)?"),
    ("reject", r"不予处理(?:答复|的|决定)?"),
    ("other", r"其他处理(?:答复|的|方式)?"),
    ("deny_secret", r"(?:属于)?国家秘密(?:的)?"),
    ("deny_third_party", r"(?:保护)?第三方合法权益(?:的)?"),
    ("deny_internal", r"(?:属于)?三类内部事务信息(?:的)?"),
    ("deny_process", r"(?:属于)?(?:四类)?过程性信息(?:的)?"),
    ("deny_enforcement", r"(?:属于)?行政执法案卷(?:的)?"),
    ("deny_query", r"(?:属于)?行政查询事项(?:的)?"),
    ("unable_not_held", r"(?:本机关|本单位|本局|本办|本委|本厅|本部门|本街道|本镇|我局|我办|我委|我单位|我街道|我镇)?"
                        r"不掌握(?:相关)?(?:政府)?(?:信息)?(?:的)?"),
    ("unable_needs_making", r"(?:没有现成信息)?需要?另行制作(?:的)?"),
    ("unable_unclear", r"补正后申请内容仍不明确(?:的)?"),
    ("reject_petition", r"信访举报投诉类(?:申请)?(?:的)?"),
    ("reject_repeat", r"重复申请(?:的)?"),
    ("reject_publication", r"要求提供公开出版物(?:的)?"),
    ("reconsideration", rf"(?:行政)?复议(?:案件|申请|情况)?(?P<mid>{_MID}{{0,6}}?)(?:数量|数|件数)?"),
    ("litigation", rf"(?:行政)?诉讼(?:案件|情况)?(?P<mid>{_MID}{{0,6}}?)(?:数量|数|件数)?"),
    ("rules", rf"(?P<verb>制发|印发|出台|制定|新制定|发布|公开|主动公开|公布|颁布|现行有效|有效|废止|失效)(?P<mid>{_MID}{{0,14}}?)规章"),
    ("normative", rf"(?P<verb>制发|印发|出台|制定|新制定|发布|公开|主动公开|公布|现行有效|有效|废止|失效)(?P<mid>{_MID}{{0,14}}?)"
                  r"(?:行政)?规范性文件"),
    ("licensing", r"(?P<verb>作出|办理|办结|实施)?行政许可(?:处理)?决定(?:书)?(?:数量|数)?"),
    ("licensing", r"(?P<verb>作出|办理|办结|审批)(?:各类)?行政许可(?:事项|件)?(?:数量|数)?"),
    ("penalty", r"(?P<verb>作出|实施)?行政处罚(?:处理)?决定(?:书)?(?:数量|数)?"),
    ("penalty", r"(?P<verb>作出|办结|实施)(?:各类)?行政处罚(?:案件)?(?:数量|数)?"),
    ("penalty_cases", r"行政处罚(?:案件)?"),
    ("enforcement", r"(?P<verb>作出|实施)?行政强制(?:处理)?决定(?:书)?(?:数量|数)?"),
    ("enforcement", r"(?P<verb>作出|实施)(?:各类)?行政强制(?:措施)?(?:案件)?(?:数量|数)?"),
    ("fees", r"行政事业性收费(?:金额|总额|收入|总金额)?"),
    ("fee_notices", r"(?:发出|出具|送达|制发)(?:信息处理费)?收费通知(?:书)?"),
    ("fee_notice_amount", r"收费通知(?:书)?(?:的)?(?:总)?金额"),
    ("fee_collected", rf"(?:收取|收缴|实收|实际收取|收|征收)(?P<mid>{_MID}{{0,12}}?)(?:信息)?处理费(?:用)?(?:总额|金额)?"),
)
#: A word each statement of a kind contains: the statement's pattern is tried only when the word is there.
_ANCHORS = {
    "new": ("申请", "依申请"), "carried": ("结转",), "handled": ("办结", "答复", "回复", "办复", "办理完毕"), "next": ("下",),
    "open": ("公开",), "partial": ("部分公开",), "open_partial": ("部分公开",), "deny": ("不予公开",), "unable": ("无法提供",),
    "reject": ("不予处理",), "other": ("其他处理",), "deny_secret": ("国家秘密",), "deny_third_party": ("第三方",),
    "deny_internal": ("内部事务",), "deny_process": ("过程性",), "deny_enforcement": ("执法案卷",),
    "deny_query": ("查询事项",), "unable_not_held": ("不掌握",), "unable_needs_making": ("另行制作",),
    "unable_unclear": ("不明确",), "reject_petition": ("信访",), "reject_repeat": ("重复申请",),
    "reject_publication": ("出版物",), "reconsideration": ("复议",), "litigation": ("诉讼",), "rules": ("规章",),
    "normative": ("规范性文件",), "licensing": ("行政许可",), "penalty": ("行政处罚",), "penalty_cases": ("行政处罚",),
    "enforcement": ("行政强制",), "fees": ("行政事业性收费",), "fee_notices": ("收费通知",), "fee_notice_amount": ("收费通知",),
    "fee_collected": ("处理费",),
}
# A statement ends right before the number: pattern + _TAIL + $ on the text before the figure.
_BEFORE: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...] = tuple(
    (key, frozenset(_ANCHORS[key]), re.compile(p + _TAIL + "$")) for key, p in _STATEMENTS)
_ALL_ANCHORS = frozenset(a for anchors in _ANCHORS.values() for a in anchors)

_GENERIC = frozenset({"new", "handled"})
#: The longest statement before its number: verb, up to 16 characters, noun, connectors.
_WINDOW = 48

# A statement that starts right after the number (“剩余2件结转下年度继续办理”, “共收到12件信息依申请公开”).
_AFTER: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = (
    ("next", re.compile(rf"^(?:申请)?{_MID}{{0,12}}?(?:结转|顺延|转|延)(?:入|至|到)?下(?:一)?(?:个)?年度?"), None),
    ("new", re.compile(rf"^{_MID}{{0,6}}?{_APPLY}"), re.compile(r"(?:收到|受理|接收|接到)(?:了)?$")),
    ("handled", re.compile(rf"^(?:申请)?(?:已经?|均已|已全部)?{_MID}{{0,12}}?(?:办结|完成答复|予以答复|作出答复|办理完毕|答复完毕)"),
     re.compile(r"(?:其中|共|已)$|^$")),
    ("normative", re.compile(r"^(?:行政)?规范性文件"),
     re.compile(r"(?P<verb>制发|印发|出台|制定|发布|公开|主动公开|废止)(?:了)?$")),
)

# The documents' column follows from the verb.
_DOC_COLUMN = {"现行有效": "effective", "有效": "effective", "废止": "repealed", "失效": "repealed"}

#: Scope words anywhere before a figure in its sentence: the figure is about part of the work.
_PART = re.compile(r"代表|各(?:部门|单位|乡镇|街道|镇|县|区|市|级|地|处室|科室|职能部门|成员单位)|所属|下属|直属|本级|"
                   r"区级|县级|市级|乡镇级|分别|指导|督促")
#: Words in the figure's clause that put it in another year or make it a change.
_OTHER_TIME = re.compile(r"上年|上一年|去年|同比|较上|比上|与上|环比|以来|至今|历年|近(?:\d+|[两三四五六七八九十])年|"
                         r"往年|前年|累计.*以来|自.{0,8}起")
_CHANGE = re.compile(r"增长|下降|增加|减少|上升|回落|降低|提高|提升|翻|增幅|降幅")
_YEAR = re.compile(r"((?:19|20)\d{2})(?:年|年度)")
_SELF = re.compile(r"^(?:我|本)(?:局|委|办|厅|院|署|会|机关|单位|部门|街道|街|镇|乡|区|县|市|中心|处|所|站|馆|政府|办事处|分局)$")
_WHOLE = re.compile(r"^全(?:区|县|市|省|旗|镇|乡|街道|州|盟)$")
_TIME_WORDS = r"(?:19|20)\d{2}年度?|本年度?|今年|全年|年内|当年|年度内|截至(?:19|20)?\d*年?底?|截止(?:19|20)?\d*年?底?"
_LEAD = re.compile(rf"^(?:{_TIME_WORDS}|其中|此外|另外|同时|目前)*")
_TRAIL = re.compile(rf"(?:共|共计|总共|累计|合计|依法|依规|依法依规|先后|已|均|{_TIME_WORDS}|一共|陆续|全部|还|另|另有|新|"
                    r"剩余|其余|尚有|还有|余下|除|按期|按时|如期|"
                    r"严格|按规定|按要求|及时|积极|认真|主动)*$")


@dataclass(frozen=True)
class Claim:
    quantity: Quantity
    value: Number
    sentence: Sentence
    start: int  # where the statement starts in sentence.norm
    end: int

    @property
    def quote(self) -> str:
        return self.sentence.excerpt(self.start, self.end)


def _short(name: str) -> str:
    return (name.replace("人民政府", "政府").replace("办公室", "办").replace("办公厅", "厅")
            .replace("中华人民共和国", ""))


#: A topic before the statement, not a body: “（全年）政府信息公开申请共办结148件”.
_TOPIC_SUBJECT = re.compile(r"(?:政府信息|信息)?(?:公开)?(?:依)?申请(?:公开)?(?:工作|方面)?")


def is_self(subject: str, agency: str, level: Level | None) -> bool:
    """Whether a sentence's subject is the reporting agency itself (or no body at all, only the topic)."""
    if not subject or _SELF.match(subject) or _TOPIC_SUBJECT.fullmatch(subject):
        return True
    if _WHOLE.match(subject):
        return level is not None and level.covers_jurisdiction
    if not agency:
        return False
    a, s = _short(agency), _short(subject.replace("(", "").replace(")", ""))
    if len(s) < 2:
        return False
    it = iter(a)
    return all(ch in it for ch in s)  # the subject's characters in order in the name: 市科委 ⊂ 上海市科学技术委员会


def _clause_start(norm: str, pos: int) -> int:
    cut = max(norm.rfind(c, 0, pos) for c in ",:")
    # an opening bracket starts a clause unless it closes before ``pos``: “实验区管委会(办公室)共受理” — the
    # bracket is a gloss within the subject
    bracket = norm.rfind("(", 0, pos)
    if bracket > cut and norm.find(")", bracket, pos) < 0:
        cut = bracket
    return cut + 1


#: Before an appeal or a document, what says what kind it is, not who: 信息公开类, 因政府信息公开引发, 被申请 …
_KIND_WORDS = re.compile(r"(?:[^,]{0,16}?(?:公开|申请)[^,]{0,8}?)?(?:发生|出现|引发|引起|涉及|产生|被申请|提起|被提起|被|"
                         r"收到|办理|有)?$")


def subject_of(text: str, family: str = "") -> str:
    """The subject of a clause, without time words, adverbs and (for appeals) what kind of case it is."""
    text = _LEAD.sub("", text)
    text = _TRAIL.sub("", text)
    if family.startswith(("reconsideration", "litigation")):
        text = _TRAIL.sub("", _KIND_WORDS.sub("", text))
    return text


#: The end of an earlier item of a list in the same clause: a figure, then 、.
_LIST_ITEM = re.compile(r"(?:\d|[零〇一二两三四五六七八九十百千])(?:万元|元|件|份|条|个|宗|起|次|项|篇|部)、(?!.*(?:\d|[零〇一二两三四五六七八九十百千])(?:万元|元|件|份|条|个|宗|起|次|项|篇|部)、)")
#: A topic, not a body, before a statement ruling something out: “依申请公开方面未收到…”, “复议诉讼工作未发生…”.
_TOPIC = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:工作|方面|情况|依申请公开|申请)[\u4e00-\u9fff]{0,4}")


def _in_scope(s: Sentence, start: int, end: int, report: Report, level: Level | None,
              *, family: str = "", outcome: bool = False, negation: bool = False) -> bool:
    """The statement norm[start:end] is about this agency and this year (the rules in the module docstring)."""
    norm = s.norm
    if _PART.search(norm, 0, start):
        return False
    clause = _clause_start(norm, start)
    if _OTHER_TIME.search(norm, clause, start):
        return False
    if not negation:
        if _CHANGE.search(norm, start, end) or (family != "carried" and _OTHER_TIME.search(norm, start, end)):
            return False
        if family.startswith(("rules", "normative", "licensing", "penalty", "enforcement")) \
                and re.search(r"累计|历年|总计|共有|已有", norm[clause:end]):
            return False  # 累计公开规范性文件120件: documents of many years
        if family.startswith(("reconsideration", "litigation")) and re.search(r"新(?:增|发生|收到|受理)?$", norm[clause:start]):
            return False  # 新发生行政复议2件: the table counts cases carried over from last year as well
    years = [int(y) for y in _YEAR.findall(norm, 0, end)]
    if years and report.year is not None and years[-1] != report.year:
        return False
    if outcome:
        return True  # “因本机关不掌握等原因无法提供265件”: an outcome has a reason before it, not a subject
    item = _LIST_ITEM.search(norm, clause, start)
    if item is not None:  # “行政复议案件2件、行政诉讼案件7件”: an item of a list has the subject of the first
        clause = item.end()
    subject = subject_of(norm[clause:start], family)
    return is_self(subject, report.agency, level) or (negation and _TOPIC.fullmatch(subject) is not None)


@dataclass
class Context:
    """What the paragraph so far has been about: a list “不予公开35件；无法提供265件” goes on a topic."""

    paragraph: int = -1
    applications: bool = False
    appeals: bool = False
    #: Quantity families stated so far: a figure after 其中 of one of them is a part of it.
    stated: set[str] = field(default_factory=set)

    def enter(self, s: Sentence) -> None:
        if s.paragraph != self.paragraph:
            self.paragraph, self.applications, self.appeals = s.paragraph, False, False
            self.stated = set()

    def leave(self, s: Sentence) -> None:
        self.applications = self.applications or s.asks
        self.appeals = self.appeals or s.appeals


def _about_applications(s: Sentence, ctx: Context, *, strict: bool = False) -> bool:
    """The sentence is about applications for disclosure; ``strict`` for generic verbs (受理, 办理)."""
    if s.asks or (s.requests and s.fid == "n1_on_request"):
        return True
    if strict:
        return ctx.applications and _GOES_ON.match(s.norm) is not None
    return ctx.applications or s.fid == "n1_on_request"


def _about_appeals(s: Sentence, ctx: Context) -> bool:
    return "公开" in s.norm or ctx.appeals


def claims(report: Report, fid: str, text: str, level: Level | None) -> list[Claim]:
    """The figures a narrative states that can be compared with a cell."""
    out: list[Claim] = []
    ctx = Context()
    for s in sentences(fid, text):
        ctx.enter(s)
        out += _sentence_claims(report, s, ctx, level)
        ctx.leave(s)
    return out


def _sentence_claims(report: Report, s: Sentence, ctx: Context, level: Level | None) -> list[Claim]:
    norm = s.norm
    found: list[Claim] = []
    here: set[str] = set()  # families stated earlier in this sentence
    candidates: list[tuple[str, frozenset[str], re.Pattern[str]]] | None = None
    for fig in figures(norm):
        if candidates is None:  # the statements whose word is in the sentence
            present = {a for a in _ALL_ANCHORS if a in norm}
            candidates = [entry for entry in _BEFORE if not present.isdisjoint(entry[1])]
        clause = _clause_start(norm, fig.start)
        hit = _statement(norm[clause:fig.start], norm[fig.end:], candidates)
        if hit is None:
            continue
        key, kw_start, mid, verb, number_first = hit
        start = clause + kw_start
        q = _resolve(key, verb, norm, s, ctx, "" if number_first else mid, fig)
        if q is None:
            continue
        family = q.family
        part_of = family in here or (family in ctx.stated and re.search(r"其中", norm[:start]) is not None)
        here.add(family)
        value = _convert(fig, q)
        if part_of or value is None or not fig.exact:
            continue
        if not _in_scope(s, start, fig.start, report, level, family=family, outcome=q.rule == "narrative.outcomes"):
            continue
        found.append(Claim(q, value, s, start, fig.end))
    ctx.stated |= here
    return found


def _statement(before: str, after: str, candidates: list[tuple[str, frozenset[str], re.Pattern[str]]]
               ) -> tuple[str, int, str, str, bool] | None:
    """(quantity key, where the statement starts in ``before``, mid text, verb, number first) or None.

    A named result (予以公开, 上年结转, 规章 …) wins over a generic verb (受理, 办理, 答复), which would
    otherwise swallow it: “办结的信息公开申请中同意公开答复9件” is 予以公开, not 办结.  Among named results
    the longest wins (予以公开及部分公开 over 部分公开).
    """
    off = max(0, len(before) - _WINDOW)  # a statement is short: look only at the text just before the number
    before = before[off:]
    best: tuple[int, int, str, str, str] | None = None  # (generic, start, key, mid, verb)
    for key, _, pattern in candidates:
        m = pattern.search(before)
        if m is None:
            continue
        groups = m.groupdict()
        candidate = (int(key in _GENERIC), off + m.start(), key, groups.get("mid") or "", groups.get("verb") or "")
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    if best is not None:
        return best[2], best[1], best[3], best[4], False
    for key, pattern, needs in _AFTER:
        m = pattern.match(after)
        if m is None:
            continue
        v = needs.search(before) if needs is not None else None
        if needs is not None and v is None:
            continue
        verb = (v.groupdict().get("verb") or "") if v is not None else ""
        return key, off + (v.start() if v is not None else len(before)), m.group(0), verb, True
    return None


def _resolve(key: str, verb: str, norm: str, s: Sentence, ctx: Context, mid: str,
             fig: Figure) -> Quantity | None:
    """The quantity a statement is about, once its context agrees; None when it does not."""
    if key in ("new", "handled", "carried", "next") or key in OUTCOME_GROUPS or key == "open_partial" \
            or key.startswith(("deny_", "unable_", "reject_")):
        if not _about_applications(s, ctx, strict=key in ("new", "handled")) or _DISCLOSURE_ATTRIBUTES.search(norm):
            return None
        if key in ("new", "handled") and _NOT_APPLICATION.search(mid):
            return None
        if key == "handled" and mid and not re.search(r"申请|依申请|^(?:各类|政府信息公开)?$", mid):
            return None
        if key == "new" and not ("公开" in mid or s.asks or s.fid == "n1_on_request"):
            return None
        return QUANTITIES[key] if fig.unit not in ("元", "万元") else None
    if key in ("reconsideration", "litigation"):
        if not _about_appeals(s, ctx) or fig.unit in ("元", "万元", "项", "篇", "部", "条"):
            return None
        if key == "litigation" and not re.search(r"行政诉讼|行政复议", norm):
            return None
        outcome = _appeal_outcome(mid)
        if outcome == "":
            return None
        return QUANTITIES[f"{key}_{outcome}" if outcome else key]
    if key in ("rules", "normative"):
        if _NOT_DOCUMENT.search(mid) or fig.unit in ("元", "万元", "次", "起", "宗", "项"):
            return None
        if re.search(r"[(]含|[(]其中", norm[fig.end:fig.end + 3]) and re.search(r"废止|修改|修订", norm[fig.end:]):
            return None  # 规章13件（含新制定5件，修改4件，废止4件）: a total of several columns
        column = _DOC_COLUMN.get(verb, "issued")
        if column == "issued" and re.search(r"现行有效|有效", mid):
            column = "effective"
        return QUANTITIES[f"{key}_{column}"]
    if key in ("licensing", "penalty", "enforcement"):
        return QUANTITIES[key] if fig.unit in ("件", "个", "份", "宗", "起", "次", "项") else None
    if key == "penalty_cases":  # “共计行政处罚3起”: cases, not published items (“行政处罚信息31条”)
        return QUANTITIES["penalty"] if fig.unit in ("起", "宗") else None
    if key == "fees":
        return QUANTITIES[key] if fig.unit in ("元", "万元") else None
    if key == "fee_notices":
        return QUANTITIES[key] if fig.unit in ("件", "份", "个", "次") else None
    if key in ("fee_notice_amount", "fee_collected"):
        if key == "fee_collected" and _NOT_FEE.search(mid):
            return None
        return QUANTITIES[key] if fig.unit in ("元", "万元") else None
    return None


_NOT_DOCUMENT = re.compile(r"部门|党内|各|转发|解读|清理|审查|备案|合法性|征求|草案|上级|国家|省|市级|区级|县级|相关|涉及|起草|"
                           r"和|及|与|、|其他|配套|宣传")
_NOT_FEE = re.compile(r"行政事业性|工本|押金|其他")


def _appeal_outcome(mid: str) -> str | None:
    """'' to drop (an outcome we do not model), None for the total, else the outcome key."""
    if re.search(r"纠错|纠正|撤销|败诉|确认违法", mid):
        return "corrected"
    if re.search(r"维持|胜诉", mid):
        return "upheld"
    if re.search(r"未审结|尚未审结|审理中|未结", mid):
        return "pending"
    if re.search(r"驳回|撤回|终止|和解|调解|其他|结转|后起诉|后诉讼|直接起诉", mid):
        return ""
    return None


def _convert(fig: Figure, q: Quantity) -> Number | None:
    if q.unit == "万元":
        return fig.value if fig.unit == "万元" else (fig.value / 10_000 if fig.unit == "元" else None)
    if q.unit == "元":
        return fig.value * 10_000 if fig.unit == "万元" else (fig.value if fig.unit == "元" else None)
    return fig.value


# ---------------------------------------------------------------- findings

def _where(report: Report, q: Quantity) -> str:
    """How a message names the cells: by label, and in a workbook also by address (依申请公开!J6)."""
    if report.source.get("parsed"):
        return q.where
    cells = [FORM.by_id[c] for c in q.cells]
    shown = "、".join(c.cell for c in cells[:3]) + ("等" if len(cells) > 3 else "")
    return f"{q.where}（{cells[0].sheet}!{shown}）"


def _close(a: Number, b: Number, unit: str) -> bool:
    if unit in ("万元", "元"):
        return abs(a - b) <= max(0.005 * max(abs(a), abs(b)), 0.01)  # an amount rounded in the text
    return abs(a - b) < 1e-6


def check_claims(report: Report, level: Level | None) -> list[Finding]:
    out: list[Finding] = []
    reported: set[tuple[str, str]] = set()
    for fid in NARRATIVE_FIELDS:
        text = report.get(fid)
        if not isinstance(text, str) or not text.strip():
            continue
        found = claims(report, fid, text, level) if _FIGURE_END.search(flat(text)) else []
        for c in found:
            q = c.quantity
            table = side_sum(report, q.cells)
            if table is None or _close(c.value, table, q.unit) or (fid, q.key) in reported:
                continue
            reported.add((fid, q.key))
            out.append(RULES[q.rule].finding(
                field=FORM.by_id[fid], expected=table, actual=c.value, fields=(fid, *q.cells), quote=c.quote,
                what=q.label, unit=q.unit, where=_where(report, q)))
        out += _outcome_sum(report, fid, found)
    return out


#: The rules a sentence printed in section 三 beside its table is read back under: such a sentence is about the
#: applications of the year and nothing else.
_PROSE_RULES = frozenset({"narrative.applications", "narrative.outcomes"})


def check_table_prose(report: Report, prose: dict[str, tuple[str, str]],
                      reported: Collection[tuple[str, ...]] = ()) -> list[Finding]:
    """What a published report writes beside its tables 三 and 四 (``prose``: "三"/"四" -> (the section's heading,
    its sentences)), read back against them as a narrative is, under the same statements and scope rules: the
    figures section 三 states (“2023年，共收到政府信息公开申请0条。”), and what the sentences of 三 and 四 rule out
    (“2023年，没有政府信息公开行政复议及行政诉讼情况。” beside cases in 四).  One finding a quantity, named by the
    section's heading; a quantity whose cells are in ``reported`` (a part of 一 already contradicts them) is not
    reported again."""
    level = agency_level(report)
    out: list[Finding] = []
    done = set(reported)
    fields = {f"prose_{name}": entry for name, entry in prose.items()}
    out += _negations(report, level, fields, done)
    done |= {f.fields for f in out}
    if "三" not in prose:
        return out
    for c in claims(report, "s3_prose", prose["三"][1], level):
        q = c.quantity
        if q.rule not in _PROSE_RULES or q.cells in done:
            continue
        table = side_sum(report, q.cells)
        if table is None or _close(c.value, table, q.unit):
            continue
        done.add(q.cells)
        out.append(RULES[q.rule].finding(
            field=FORM.by_id[q.cells[0]], expected=table, actual=c.value, fields=q.cells, quote=c.quote,
            what=q.label, unit=q.unit, where=_where(report, q), row_label=prose["三"][0]))
    return out


def _outcome_sum(report: Report, fid: str, found: list[Claim]) -> list[Finding]:
    """A narrative giving every outcome (（一）到（六）) whose parts do not add up to the handled total."""
    parts: dict[str, Claim] = {}
    for c in found:
        k = c.quantity.key
        keys = ("open", "partial") if k == "open_partial" else (k,)
        if k not in (*OUTCOME_GROUPS, "open_partial") or any(x in parts for x in keys):
            continue
        for x in keys:
            parts[x] = c
    if set(parts) != set(OUTCOME_GROUPS):
        return []
    claimed = {id(c): c for c in parts.values()}
    total = sum(c.value for c in claimed.values())
    handled = next((c for c in found if c.quantity.key == "handled"), None)
    against = handled.value if handled is not None else side_value(report, s3_id("results_total", "total"))
    if against is None or abs(total - against) < 1e-6:
        return []
    listed = "、".join(f"{c.quantity.label} {fmt(c.value)} 件" for c in claimed.values())
    return [RULES["narrative.outcome_sum"].finding(
        field=FORM.by_id[fid], expected=against, actual=total, fields=(fid, s3_id("results_total", "total")),
        listed=listed, wording="" if handled is not None else "table")]


# ---------------------------------------------------------------- statements that rule a figure out

_NEG = r"(?:未|没有|无|尚未|暂无|暂未|未曾|均未)"
_NO_APPLICATIONS = re.compile(
    _NEG + r"(?:收到|受理|接到|接收|收|发生|产生)(?:过|到|有)?"
    r"(?:任何|过|关于|有关|公众|群众|社会公众|公民、法人或者?其他组织|公民|申请人|提出的|的|涉及本机关的|本机关|[和或]处理|"
    r"[和或]办理)*"
    r"(?:政府信息公开|信息公开|依申请公开|公开)(?:政府信息)?(?:的)?(?:申请|来信|事项)(?!人)"
    r"|(?:政府信息公开|依申请公开)申请(?:数量|件数|数)?为\s*(?:0|零)件?")
_NO_APPEALS = re.compile(
    r"(?:(?:未|没有|尚未|均未|未曾)(?:发生|出现|收到|接到|涉及|有|产生|引发|引起|被)(?P<mid>[^,;。:]{0,24}?)"
    r"|(?:无|暂无|零|没有)(?P<mid2>(?:因|涉及|有关|关于|政府信息公开|信息公开|依申请公开|方面|类|工作|引起|引发|导致|的)*))"
    r"(?P<what>行政复议|行政诉讼|复议|诉讼)(?P<rest>[^,;。]{0,24})")
_NO_CORRECTION = re.compile(r"未被(?:复议机关|复议审查机关|法院|人民法院)?(?:纠错|纠正|撤销|确认违法)|零败诉|无一败诉|未(?:发生|出现)?败诉")
_NO_FEE = re.compile(_NEG + r"(?:收取|收缴|产生|发生|收(?!到))(?:过|任何)?(?P<mid>[^,;。]{0,16}?)(?:信息处理费|处理费|费用|收费)")
_NO_NOTICE = re.compile(_NEG + r"(?:发出|出具|制发|送达)(?:过|任何)?(?:信息处理费)?收费通知")
_ANY_NEGATION = re.compile(r"未|没有|无|零|不存在")
_NO_NEXT = re.compile(r"(?:无|没有|未有|不存在)(?:[^,;。]{0,4})(?:结转|顺延)(?:至|到|入)?下(?:一)?年度?|(?:无|没有)下(?:一)?年度?结转")


_GROUP_NAMES = {"reconsideration": "行政复议", "litigation": "行政诉讼"}


def _negations(report: Report, level: Level | None,
               prose: dict[str, tuple[str, str]] | None = None,
               reported: Collection[tuple[str, ...]] = ()) -> list[Finding]:
    """Statements that rule a figure out, in the narrative fields — or, given ``prose`` (a pseudo field ->
    (heading, text) of the sentences printed beside a table), in those: located by the table's cells and named by
    the heading; a contradiction whose cells are in ``reported`` is not said again."""
    out: list[Finding] = []
    new_total = side_value(report, s3_id("new", "total"))
    next_total = side_value(report, s3_id("next", "total"))
    fees = {i: report.number(i) for i in FEE_FIELDS}
    groups = {"reconsideration": ("s4_reconsideration_total",),
              "litigation": ("s4_direct_suit_total", "s4_suit_after_total")}
    corrected = {"reconsideration": ("s4_reconsideration_corrected",),
                 "litigation": ("s4_direct_suit_corrected", "s4_suit_after_corrected")}
    done: set[str] = set()

    def add(key: str, fid: str, s: Sentence, m: re.Match[str], actual: Number, fields: tuple[str, ...],
            wording: str = "", **values: str) -> None:
        if key in done or fields in reported:
            return
        done.add(key)
        if prose is None:
            field, named = FORM.by_id[fid], (fid, *fields)
        else:
            field, named = FORM.by_id[fields[0]], fields
            values = {**values, "row_label": prose[fid][0]}
        out.append(RULES["narrative.contradiction"].finding(
            field=field, expected=0, actual=actual, fields=named, wording=wording,
            quote=s.excerpt(m.start(), m.end()), **values))

    texts = {fid: report.get(fid) for fid in NARRATIVE_FIELDS} if prose is None else \
        {fid: text for fid, (_, text) in prose.items()}
    for fid, text in texts.items():
        if not isinstance(text, str) or not text.strip():
            continue
        if not _ANY_NEGATION.search(flat(text)):
            continue
        for s in sentences(fid, text):
            norm = s.norm
            if not _ANY_NEGATION.search(norm):
                continue
            if new_total and (m := _NO_APPLICATIONS.search(norm)) and _negation_in_scope(s, m.start(), report, level):
                add("applications", fid, s, m, new_total, (s3_id("new", "total"),))
            if next_total and (m := _NO_NEXT.search(norm)) and _about_applications(s, Context()) \
                    and _negation_in_scope(s, m.start(), report, level):
                add("next", fid, s, m, next_total, (s3_id("next", "total"),), wording="next")
            for m in _NO_APPEALS.finditer(norm):
                if not _negation_in_scope(s, m.start(), report, level) or "公开" not in norm:
                    continue
                span = (m.group("mid") or m.group("mid2") or "") + m.group("what") + m.group("rest")
                named = [g for g, word in (("reconsideration", "复议"), ("litigation", "诉讼")) if word in span]
                outcome = re.search(r"纠错|纠正|败诉|撤销|确认违法", span)
                cells = corrected if outcome else groups
                for g in named:
                    v = side_sum(report, cells[g])
                    if not v:
                        continue
                    add(f"appeals.{g}.{bool(outcome)}", fid, s, m, v, cells[g],
                        wording="corrected" if outcome else "appeals", group=_GROUP_NAMES[g])
            for m in _NO_CORRECTION.finditer(norm):
                if not _negation_in_scope(s, m.start(), report, level):
                    continue
                near = norm[max(0, m.start() - 30):m.end()]
                named = [g for g, word in (("reconsideration", "复议"), ("litigation", "诉讼")) if word in near]
                if "败诉" in m.group(0):
                    named = ["litigation"]
                for g in named or ["reconsideration", "litigation"]:
                    v = side_sum(report, corrected[g])
                    if v:
                        add(f"appeals.{g}.True", fid, s, m, v, corrected[g], wording="corrected", group=_GROUP_NAMES[g])
            if fid == "n6_other" or "信息处理费" in norm:
                collected, notices = fees["n6_fee_collected"], fees["n6_fee_notices"]
                m = _NO_FEE.search(norm)
                if m and collected and not re.search(r"行政事业性|工本|其他费用", m.group("mid")) \
                        and _negation_in_scope(s, m.start(), report, level):
                    add("fee", fid, s, m, collected, ("n6_fee_collected",), wording="fee")
                m = _NO_NOTICE.search(norm)
                if m and notices and _negation_in_scope(s, m.start(), report, level):
                    add("notice", fid, s, m, notices, ("n6_fee_notices",), wording="notice")
    return out


def _negation_in_scope(s: Sentence, start: int, report: Report, level: Level | None) -> bool:
    return _in_scope(s, start, start, report, level, negation=True)


# ---------------------------------------------------------------- 全部办结 / 均获维持

_ALL_DONE = re.compile(
    r"(?:所有|全部|均|均已|全都|悉数|一律)(?P<mid>[^,;。]{0,12}?)(?:办结|办理完成|办理完毕|处理完毕|答复完毕|完成办理|办理完|处理完成|答复完成)"
    r"(?!的|率)|(?<!按期)(?<!按时)办结率(?:达到?|为)?100%")
_ALL_UPHELD = re.compile(r"(?:均|全部|都|全都|一律|皆)(?:已)?(?:获|被|予以|得到|获得)?(?:法院|复议机关|人民法院)?(?:判决)?(?:维持|胜诉)")
_ANY_UNIVERSAL = re.compile(r"所有|全部|均|全都|悉数|一律|皆|都|办结率")
_NOT_ALL = re.compile(r"其余|剩余|除.{0,12}外|上年结转|以往|历年|12345|热线|建议|提案|信访|留言|咨询|投诉|举报|已审结的|审结的|结案的")


def _universals(report: Report, level: Level | None) -> list[Finding]:
    out: list[Finding] = []
    next_total = side_value(report, s3_id("next", "total"))
    pending = {g: side_value(report, f"s4_{g}_pending") for g in ("reconsideration", "direct_suit", "suit_after")}
    corrected = {g: side_value(report, f"s4_{g}_corrected") for g in ("reconsideration", "direct_suit", "suit_after")}
    done_rules: set[str] = set()
    for fid in NARRATIVE_FIELDS:
        text = report.get(fid)
        if not isinstance(text, str) or not text.strip():
            continue
        if not _ANY_UNIVERSAL.search(flat(text)):
            continue
        ctx = Context()
        for s in sentences(fid, text):
            ctx.enter(s)
            norm = s.norm
            if not _ANY_UNIVERSAL.search(norm):
                ctx.leave(s)
                continue
            m = _ALL_DONE.search(norm)
            if m and next_total and "all_done" not in done_rules and _about_applications(s, ctx) \
                    and not _NOT_ALL.search(norm, _clause_start(norm, m.start()), m.end()) \
                    and _negation_in_scope(s, m.start(), report, level):
                done_rules.add("all_done")
                f = FORM.by_id[s3_id("next", "total")]
                out.append(RULES["narrative.all_done"].finding(
                    field=FORM.by_id[fid], expected=0, actual=next_total, fields=(fid, f.id),
                    quote=s.excerpt(m.start(), m.end())))
            m = _ALL_UPHELD.search(norm)
            if m and "all_upheld" not in done_rules and (re.search(r"复议|诉讼", norm) or ctx.appeals) \
                    and not _NOT_ALL.search(norm, _clause_start(norm, m.start()), m.end()) \
                    and _in_scope(s, m.start(), m.start(), report, level, family="reconsideration", negation=True):
                named = [g for g, word in (("reconsideration", "复议"), ("direct_suit", "诉讼"), ("suit_after", "诉讼"))
                         if word in norm[:m.start()]] or ["reconsideration", "direct_suit", "suit_after"]
                bad = [(g, "尚未审结", pending[g]) for g in named if pending[g]] + \
                      [(g, "结果纠正", corrected[g]) for g in named if corrected[g]]
                if bad:
                    done_rules.add("all_upheld")
                    names = {"reconsideration": "行政复议", "direct_suit": "未经复议直接起诉", "suit_after": "复议后起诉"}
                    shown = "，".join(f"{names[g]}“{what}” {fmt(v)} 件" for g, what, v in bad)
                    out.append(RULES["narrative.all_upheld"].finding(
                        field=FORM.by_id[fid], expected=0, actual=bad[0][2],
                        fields=(fid, *(f"s4_{g}_{'pending' if w == '尚未审结' else 'corrected'}" for g, w, _ in bad)),
                        quote=s.excerpt(m.start(), m.end()), shown=shown))
            ctx.leave(s)
    return out


# ---------------------------------------------------------------- sections 五 and 六

_NOTHING = re.compile(r"^(?:无|暂无|没有|无问题|无其他事项|无其他需要报告的事项|本年度无|无。)$")
#: Shorter than this (letters and CJK, no punctuation) is not a sentence about problems and improvements.
MIN_SECTION5_CHARS = 15


_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def _letters(text: str) -> str:
    return _NOT_LETTER_OR_DIGIT.sub("", text)


def check_sections(report: Report) -> list[Finding]:
    out = []
    text = report.get("n5_problems")
    if isinstance(text, str) and text.strip():
        core = _letters(halfwidth(text))
        if _NOTHING.match(core) or _NOTHING.match(text.strip().rstrip("。.")) or len(core) < MIN_SECTION5_CHARS:
            out.append(RULES["content.problems"].finding(
                field=FORM.by_id["n5_problems"], actual=text.strip()[:40], least=MIN_SECTION5_CHARS))
    out += _fee_statement(report)
    return out


_FEE_WORDS = re.compile(r"信息处理费|处理费|收费通知|收费|收取.{0,6}费")


#: The first report year to which 国办函〔2020〕109号 applies (in force from 1 January 2021, with the new format).
FIRST_FEE_YEAR = 2021


def _fee_statement(report: Report) -> list[Finding]:
    """Section 六 must state the 信息处理费 (国办函〔2020〕109号); 行政事业性收费 is another thing.

    Only from FIRST_FEE_YEAR: a 2019 or 2020 report had no 信息处理费 to state.
    """
    if report.year is not None and report.year < FIRST_FEE_YEAR:
        return []
    text = report.get("n6_other")
    text = text if isinstance(text, str) else ""
    shadow = halfwidth(text)
    mentions = [m for m in _FEE_WORDS.finditer(shadow)
                if not re.search(r"行政事业性收?费?$", shadow[max(0, m.start() - 6):m.start() + 2])]
    if mentions:
        return []
    fees = {i: report.number(i) for i in FEE_FIELDS}
    if report.source.get("parsed"):
        if not text.strip():
            return []  # no section 六 at all: narrative.required says so
        return [RULES["content.fees"].finding(field=FORM.by_id["n6_other"], actual=text.strip()[:40],
                                              wording="admin" if "行政事业性收费" in text else "")]
    charged = [i for i, v in fees.items() if v]
    if not charged:
        return []
    shown = "，".join(f"{FORM.by_id[i].row_label.split(' · ')[-1]} {fmt(fees[i])}" for i in charged)
    return [RULES["content.fees"].finding(field=FORM.by_id["n6_other"], actual=text.strip()[:40] or None,
                                          fields=("n6_other", *charged), wording="charged", figures=shown)]


# ---------------------------------------------------------------- year over year: reused text

#: A narrative part is flagged when this share of its text is found in the same part of last year's report.
REUSE_THRESHOLD = 0.5
#: Text is compared in runs of this many characters (letters and CJK; digits and punctuation left out).
REUSE_GRAM = 5
#: Parts shorter than this (after normalising) are not compared: “无。” reused says nothing.
REUSE_MIN_CHARS = 60


_NOT_WORDING = re.compile(r"[\W\d_]+")
_WORDING = re.compile(r"[^\W\d_]")


def _normalised(text: str) -> str:
    """Letters and CJK only: no digits (years, counts and page numbers change, the wording does not), no
    punctuation, no spacing."""
    return _NOT_WORDING.sub("", halfwidth(text)).lower()


def reuse(this: str, last: str, gram: int = REUSE_GRAM) -> tuple[float, tuple[int, int] | None]:
    """Share of ``this``'s character n-grams found in ``last`` (containment), and the longest reused run.

    The run is given as (start, end) positions in ``this``.  Containment, not a symmetric ratio:
    a report that copies last year's text and adds a paragraph is still a copy.  The share counts
    the characters of ``this`` that lie in at least one n-gram also found in ``last``.
    """
    a, b = _normalised(this), _normalised(last)
    if len(a) < gram or len(b) < gram:
        return 0.0, None
    theirs = {b[i:i + gram] for i in range(len(b) - gram + 1)}
    covered = 0
    reach = 0  # characters up to here are covered
    best: tuple[int, int] | None = None
    run_start: int | None = None
    for i in range(len(a) - gram + 1):
        if a[i:i + gram] in theirs:
            covered += i + gram - max(i, reach)
            reach = i + gram
            if run_start is None:
                run_start = i
        elif run_start is not None:
            if best is None or (i - 1 + gram) - run_start > best[1] - best[0]:
                best = (run_start, i - 1 + gram)
            run_start = None
    if run_start is not None and (best is None or len(a) - run_start > best[1] - best[0]):
        best = (run_start, len(a))
    ratio = covered / len(a)
    if best is None:
        return ratio, None
    where = [m.start() for m in _WORDING.finditer(halfwidth(this))]  # normalised index → position in ``this``
    return ratio, (where[best[0]], where[best[1] - 1] + 1)


def reuse_by_part(report: Report, prior: Report) -> Iterator[tuple[str, float, tuple[int, int] | None]]:
    """(narrative field, :func:`reuse` share, longest reused run) of every part compared with last year's:
    both years have text there and this year's has at least :data:`REUSE_MIN_CHARS` characters of wording."""
    for fid in NARRATIVE_FIELDS:
        this, last = report.get(fid), prior.get(fid)
        if not isinstance(this, str) or not isinstance(last, str):
            continue
        if len(_normalised(this)) < REUSE_MIN_CHARS:
            continue
        yield (fid, *reuse(this, last))


def most_reused(report: Report, prior: Report) -> tuple[float, str] | None:
    """The highest share of any part (:func:`reuse_by_part`) and that part's field; None when no part was compared.

    The 重复率 compile shows per report: the part a reviewer marks down, not an average that hides it.
    """
    best: tuple[float, str] | None = None
    for fid, ratio, _ in reuse_by_part(report, prior):
        if best is None or ratio > best[0]:
            best = (ratio, fid)
    return None if best is None else (round(best[0], 3), best[1])


def check_text_reuse(report: Report, prior: Report, threshold: float = REUSE_THRESHOLD) -> list[Finding]:
    out = []
    for fid, ratio, run in reuse_by_part(report, prior):
        this = report.get(fid)
        assert isinstance(this, str)
        if ratio <= threshold or run is None:
            continue
        passage = re.sub(r"\s+", "", this[run[0]:run[1]])
        if len(passage) > 60:
            passage = passage[:60] + "……"
        rule = RULES["cross_year.text_reuse"]
        if prior.year:
            out.append(rule.finding(field=FORM.by_id[fid], actual=round(ratio, 3), share=f"{ratio:.0%}",
                                    line=f"{threshold:.0%}", gram=REUSE_GRAM, passage=passage, year=prior.year))
        else:
            out.append(rule.finding(field=FORM.by_id[fid], actual=round(ratio, 3), share=f"{ratio:.0%}",
                                    line=f"{threshold:.0%}", gram=REUSE_GRAM, passage=passage, wording="no_year"))
    return out


# ---------------------------------------------------------------- entry

def check_narrative_figures(report: Report) -> list[Finding]:
    """Every narrative rule that needs only this year's report."""
    level = agency_level(report)
    return _negations(report, level) + check_claims(report, level) + _universals(report, level) + check_sections(report)
