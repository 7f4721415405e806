"""What an agency of its level can plausibly report, and whether its report came out on time.

The level comes from the cover's 机关类型/层级 (``cover_agency_type``).  A published report has no
cover, so the level is inferred from the agency name in its title (…街道办事处, …镇人民政府,
…区人民政府, …局 …), and every finding that relies on the inference says so.  Where neither gives a
level (“其他”, a name that fits no pattern) no level rule is applied.

Rules (thresholds in :data:`MAGNITUDE_LIMITS`, documented in docs/checks.md):

* ``plausibility.rule_making`` (error) — 规章 figures above 0 from an agency that cannot make 规章.
  《立法法》第九十三条: 规章 are made by the 人民政府 of provinces, autonomous regions, municipalities,
  设区的市 and 自治州 (and by 国务院部门); townships, street offices, county-level governments and the
  departments of local governments cannot.  A government's general office (…人民政府办公厅/办公室),
  which compiles and publishes its government's own documents, is judged as that government.
* ``plausibility.street_normative`` (warning) — a 街道办事处 reporting 行政规范性文件 issued this year.
* ``plausibility.magnitude`` (warning) — a figure far above what an agency of the level handles.
* ``cross_year.magnitude`` (warning, with last year's report) — a figure more than
  :data:`JUMP_FACTOR` times, or under 1/:data:`JUMP_FACTOR` of, last year's, both at least
  :data:`JUMP_FLOOR`.
* ``timeliness.deadline`` (warning) — the 填报日期 (or a published report's date) after the statutory
  deadline: 31 January of the following year (条例第四十九条), 31 March for a 人民政府's own report,
  which its 政府信息公开工作主管部门 publishes (第五十条).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from xl_disclosure.checks.values import side_value
from xl_disclosure.form import FORM, RULES, Finding, fmt
from xl_disclosure.model.report import Report

# ---------------------------------------------------------------- agency level

PROVINCE, CITY, COUNTY, TOWN = "省级", "设区的市级", "县级", "乡镇级"
GOVERNMENT, DEPARTMENT, TOWNSHIP, STREET, NATIONAL = "人民政府", "政府部门", "乡镇人民政府", "街道办事处", "国务院部门"


@dataclass(frozen=True)
class Level:
    """Who the agency is, as far as the rules need to know."""

    kind: str  # GOVERNMENT, DEPARTMENT, TOWNSHIP, STREET or NATIONAL
    tier: str | None  # PROVINCE, CITY, COUNTY, TOWN; None when the name does not tell (…市人民政府)
    #: How the level was found, for the message: “封面机关类型为“…”” or “按机关名称“…”推断为…”.
    basis: str
    #: A government's general office (办公厅/办公室), judged as its government for 规章.
    office: bool = False

    @property
    def inferred(self) -> bool:
        return self.basis.startswith("按")

    @property
    def can_make_rules(self) -> bool | None:
        """Whether the agency may make 规章; None when the level does not settle it."""
        if self.kind is NATIONAL:
            return None
        if self.kind in (TOWNSHIP, STREET):
            return False
        if self.kind == DEPARTMENT and not self.office:
            return False
        if self.tier is None:
            return None
        return self.tier in (PROVINCE, CITY)

    @property
    def is_government(self) -> bool:
        """A 人民政府 (or its general office) above the township: its report is due by 31 March."""
        return self.kind == GOVERNMENT

    @property
    def covers_jurisdiction(self) -> bool:
        """Its tables cover its whole area (全区/全县/全镇 …): a government, a township, a street office."""
        return self.kind in (GOVERNMENT, TOWNSHIP, STREET) and not self.office

    @property
    def description(self) -> str:
        if self.kind in (TOWNSHIP, STREET, NATIONAL):
            return self.kind
        tier = self.tier or ""
        if self.office:
            return f"{tier}人民政府办公厅（室）"
        return f"{tier}{self.kind}" if tier else ("人民政府" if self.kind == GOVERNMENT else "政府部门")


_COVER_LEVELS: dict[str, tuple[str, str | None]] = {
    "省级人民政府": (GOVERNMENT, PROVINCE),
    "省级政府部门": (DEPARTMENT, PROVINCE),
    "设区的市级人民政府": (GOVERNMENT, CITY),
    "设区的市级政府部门": (DEPARTMENT, CITY),
    "县（市、区）级人民政府": (GOVERNMENT, COUNTY),
    "县（市、区）级政府部门": (DEPARTMENT, COUNTY),
    "乡镇人民政府": (TOWNSHIP, TOWN),
    "街道办事处": (STREET, TOWN),
}

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_STREET = re.compile(r"街道(?:办事处|办)?$")
_TOWNSHIP = re.compile(r"(?:乡|镇|苏木)(?:人民政府|政府)?$")
_OFFICE = re.compile(r"(?:人民)?政府办公[厅室]$|政府办$")
_GOVERNMENT = re.compile(r"(?:人民)?政府$")
#: One place name at the start of a local agency's name: 江苏省 / 淮安市 / 洪泽区 / 市 / 区 …
_PLACE = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:自治区|自治州|自治县|自治旗|特别行政区|省|市|州|盟|地区|县|旗|区)")
_DEPARTMENT_TAIL = re.compile(
    r"(?:厅|局|分局|委员会|委|办公室|办公厅|办|中心|署|处|支队|大队|站|所|院|馆|会|队)$")
_NATIONAL = re.compile(r"^(?:中华人民共和国|国务院|国家|中国)|^[\u4e00-\u9fff]{1,8}(?:部|总局|总署)$")


def _place_tier(place: str) -> str | None:
    """The tier of the last place name of a prefix (江苏省淮安市洪泽区 → 县级); None for a bare “…市”."""
    if place.endswith(("自治区", "省")) or place in _MUNICIPALITIES:
        return PROVINCE
    if place.endswith(("自治州", "州", "盟", "地区")):
        return CITY
    if place.endswith(("县", "旗", "区")):
        return COUNTY
    return None  # …市: a 设区的市 or a county-level city, or a 直辖市 named with more before it


def _places(name: str, *, whole: bool = False) -> str:
    """The run of place names a name begins with (淮安市洪泽区教育体育局 → 淮安市洪泽区).

    Unless ``whole``, something must follow the places (a department's own name)."""
    end = 0
    while (m := _PLACE.match(name, end)) and (whole or m.end() < len(name)):
        end = m.end()
    return name[:end]


def _name_level(name: str) -> Level | None:
    """The level an agency name states, or None when it states none (…中心 with no place, a garbled title)."""
    name = re.sub(r"\s+", "", name)
    if len(name) < 3 or re.search(r"\d", name):
        return None
    basis = f"按机关名称“{name}”推断"
    if _STREET.search(name):
        return Level(STREET, TOWN, basis)
    if _TOWNSHIP.search(name):
        return Level(TOWNSHIP, TOWN, basis)
    office = _OFFICE.search(name)
    if office or _GOVERNMENT.search(name):
        core = name[:office.start()] if office else _GOVERNMENT.sub("", name)
        tier = _place_tier(_places(core, whole=True)) if core else None
        if office:
            return Level(DEPARTMENT, tier, basis, office=True)
        return Level(GOVERNMENT, tier, basis)
    places = _places(name)
    if not places:
        return Level(NATIONAL, None, basis) if _NATIONAL.search(name) else None
    if not _DEPARTMENT_TAIL.search(name):
        return None
    return Level(DEPARTMENT, _place_tier(places), basis)


def agency_level(report: Report) -> Level | None:
    """The agency's level from the cover, else inferred from its name; None when neither tells."""
    name = report.agency
    office = bool(name and _OFFICE.search(re.sub(r"\s+", "", name)))
    choice = report.get("cover_agency_type")
    if isinstance(choice, str) and choice in _COVER_LEVELS:
        kind, tier = _COVER_LEVELS[choice]
        return Level(kind, tier, f"封面机关类型为“{choice}”", office=office and kind == DEPARTMENT)
    if isinstance(choice, str) and choice.strip():
        return None  # “其他”, or a choice the cover rule already reports
    return _name_level(name) if name else None


def _basis(level: Level) -> str:
    if level.inferred:
        return f"（封面未写明机关类型，{level.basis}为{level.description}）"
    return f"（{level.basis}）"


# ---------------------------------------------------------------- rules

RULE_FIELDS = ("s2_rules_issued", "s2_rules_repealed", "s2_rules_effective")

#: Largest plausible figure per level (key: (kind, tier)); above it → plausibility.magnitude.
#: Applications: a busy street office in a large city receives a few hundred a year; 1,000 is
#: far beyond what one handles.  Decisions and fees: townships with 综合行政执法 powers make
#: thousands of penalty decisions (广州 官洲街道 2023: 1,472), never tens of thousands.
MAGNITUDE_LIMITS: dict[tuple[str, str | None], dict[str, float]] = {
    (STREET, TOWN): {"s3_new_total": 1_000, "s2_licensing_decisions": 50_000, "s2_penalty_decisions": 50_000,
                     "s2_enforcement_decisions": 20_000, "s2_fees_amount": 10_000},
    (TOWNSHIP, TOWN): {"s3_new_total": 1_000, "s2_licensing_decisions": 50_000, "s2_penalty_decisions": 50_000,
                       "s2_enforcement_decisions": 20_000, "s2_fees_amount": 10_000},
    (DEPARTMENT, COUNTY): {"s3_new_total": 5_000},
    (GOVERNMENT, COUNTY): {"s3_new_total": 30_000},
    (DEPARTMENT, CITY): {"s3_new_total": 20_000},
    (GOVERNMENT, CITY): {"s3_new_total": 100_000},
}

#: Year over year: a figure more than JUMP_FACTOR times last year's (or under 1/JUMP_FACTOR of it) …
JUMP_FACTOR = 10.0
#: … when both years are at least this large (small counts jump by chance: 2 → 25 says nothing).
JUMP_FLOOR = 20
JUMP_FIELDS = ("s3_new_total", "s3_results_total_total", "s2_licensing_decisions", "s2_penalty_decisions",
               "s2_enforcement_decisions", "s2_fees_amount", "s2_normative_effective",
               "s4_reconsideration_total")


def check_plausibility(report: Report) -> list[Finding]:
    level = agency_level(report)
    if level is None:
        return []
    out = []
    if level.can_make_rules is False:
        shown = [(fid, v) for fid in RULE_FIELDS if (v := report.number(fid)) is not None and v > 0]
        if shown:
            who = "乡镇人民政府、街道办事处" if level.kind in (TOWNSHIP, STREET) else (
                "县级人民政府" if level.kind == GOVERNMENT else "地方人民政府的工作部门")
            out.append(RULES["plausibility.rule_making"].finding(
                field=FORM.by_id[shown[0][0]], expected=0, actual=shown[0][1], fields=tuple(fid for fid, _ in shown),
                figures="，".join(f"{FORM.by_id[fid].col_label} {fmt(v)}" for fid, v in shown), basis=_basis(level),
                who=who))
    if level.kind == STREET:
        issued = report.number("s2_normative_issued")
        if issued:
            out.append(RULES["plausibility.street_normative"].finding(
                field=FORM.by_id["s2_normative_issued"], expected=0, actual=issued, basis=_basis(level)))
    for fid, limit in MAGNITUDE_LIMITS.get((level.kind, level.tier), {}).items():
        v = side_value(report, fid)
        if v is not None and v > limit:
            f = FORM.by_id[fid]
            out.append(RULES["plausibility.magnitude"].finding(
                field=f, actual=v, unit=f.unit or "件", level=level.description, basis=_basis(level), limit=limit))
    return out


def check_jumps(report: Report, prior: Report) -> list[Finding]:
    out = []
    for fid in JUMP_FIELDS:
        this, last = side_value(report, fid), side_value(prior, fid)
        if this is None or last is None or this < JUMP_FLOOR or last < JUMP_FLOOR:
            continue
        ratio = this / last
        if 1 / JUMP_FACTOR <= ratio <= JUMP_FACTOR:
            continue
        f = FORM.by_id[fid]
        out.append(RULES["cross_year.magnitude"].finding(
            field=f, expected=last, actual=this, unit=f.unit or "件", factor=JUMP_FACTOR,
            how=f"是上年的 {ratio:.1f} 倍" if ratio > 1 else f"只有上年的 {ratio:.1%}"))
    return out


# ---------------------------------------------------------------- deadline

def deadline(report: Report, level: Level | None) -> tuple[dt.date, str] | None:
    """The publication deadline for the report's year, and its legal basis; None without a year."""
    year = report.year
    if year is None:
        return None
    if level is None or level.is_government:
        return dt.date(year + 1, 3, 31), "县级以上人民政府的年度报告由其政府信息公开工作主管部门于每年 3 月 31 日前公布（条例第五十条）"
    return dt.date(year + 1, 1, 31), "各行政机关应于每年 1 月 31 日前公布本机关上一年度的年度报告（条例第四十九条）"


def check_deadline(report: Report) -> list[Finding]:
    raw = report.get("cover_date")
    if not isinstance(raw, str):
        return []
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return []
    level = agency_level(report)
    due = deadline(report, level)
    if due is None or day <= due[0]:
        return []
    last, why = due
    published = "published" if report.source.get("parsed") else ""
    if level is None:
        return [RULES["timeliness.deadline"].finding(
            field=FORM.by_id["cover_date"], actual=day.isoformat(), deadline=last.isoformat(),
            wording=f"{published}_unknown_level" if published else "unknown_level")]
    return [RULES["timeliness.deadline"].finding(
        field=FORM.by_id["cover_date"], actual=day.isoformat(), deadline=last.isoformat(), basis=_basis(level),
        why=why, wording=published)]
