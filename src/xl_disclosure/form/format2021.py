"""The one declarative definition of the 2021 national annual-report format.

Everything else — the Excel template, its defined names, formulas, data
validation and conditional formatting, the 校验 sheet, the JSON Schemas, the
reader, the validator, the renderers and the parser — is derived from the
objects built in this module.  Adding a row to a table, a field to the cover or
an arithmetic rule is a change here and nowhere else.

Official labels are verbatim from 国办公开办函〔2021〕30号 as printed in real
reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from xl_disclosure.form.cells import column_index as column_index_from_string
from xl_disclosure.form.cells import column_letter as get_column_letter
from xl_disclosure.form.model import Equation, Field, Form, Kind
from xl_disclosure.form.rules import RULES

FORM_ID = "gov-info-disclosure-annual-report"
FORM_VERSION = "2021"
TEMPLATE_ID = "xl-disclosure/annual-report"
#: Bumped whenever the template layout changes in a way the reader must know.
TEMPLATE_VERSION = 1
#: Template versions this release can read.
READABLE_TEMPLATE_VERSIONS = frozenset({1})

YEAR_MIN = 2021  # the 2021 format is in force for reports on 2021 and later
YEAR_MAX = 2100
#: Plausibility bounds of a number cell (exclusive), checked alike by the template and the validator.
MAX_COUNT = 10**8  # no body handles a hundred million of anything in a year
MAX_AMOUNT = 10**9


# --------------------------------------------------------------------------
# Sheet names
# --------------------------------------------------------------------------

SHEET_COVER = "封面"
SHEET_OVERVIEW = "总体情况"
SHEET_S2 = "主动公开"
SHEET_S3 = "依申请公开"
SHEET_S4 = "复议诉讼"
SHEET_OTHER = "问题及其他"
SHEET_CHECKS = "校验"
SHEET_GUIDE = "填报说明"
SHEET_META = "_meta"

#: The cell on the first sheet that shows the overall live status.
STATUS_SHEET = SHEET_COVER
STATUS_CELL = "B3"

# --------------------------------------------------------------------------
# Cover
# --------------------------------------------------------------------------

AGENCY_TYPES = (
    "省级人民政府",
    "省级政府部门",
    "设区的市级人民政府",
    "设区的市级政府部门",
    "县（市、区）级人民政府",
    "县（市、区）级政府部门",
    "乡镇人民政府",
    "街道办事处",
    "其他",
)

COVER_FIRST_ROW = 5

_COVER_SPEC: tuple[tuple[str, Kind, str, bool, str], ...] = (
    ("agency_name", Kind.TEXT, "机关名称", True, "填写机关全称，与公章一致"),
    ("uscc", Kind.USCC, "统一社会信用代码", True, "18 位统一社会信用代码"),
    ("agency_type", Kind.CHOICE, "机关类型/层级", True, "从下拉列表中选择"),
    ("year", Kind.YEAR, "报告年度", True, "填写报告所属年度，如 2024"),
    ("preparer", Kind.TEXT, "填报人", True, "填报人姓名"),
    ("phone", Kind.PHONE, "联系电话", True, "座机或手机号码"),
    ("date", Kind.DATE, "填报日期", True, "如 2025-01-15"),
    ("parent", Kind.TEXT, "上级汇总机关", False, "负责汇总本报告的政务公开主管部门"),
)


def _cover_fields() -> list[Field]:
    out = []
    for i, (key, kind, label, required, note) in enumerate(_COVER_SPEC):
        out.append(
            Field(
                id=f"cover_{key}",
                kind=kind,
                section="封面",
                group="cover",
                sheet=SHEET_COVER,
                cell=f"B{COVER_FIRST_ROW + i}",
                row_label=label,
                required=required,
                choices=AGENCY_TYPES if kind is Kind.CHOICE else (),
                note=note,
            )
        )
    return out


# --------------------------------------------------------------------------
# Narratives (sections 一, 五, 六)
# --------------------------------------------------------------------------

N1_TITLE = "一、总体情况"
N5_TITLE = "五、存在的主要问题及改进情况"
N6_TITLE = "六、其他需要报告的事项"

_N1_PARTS = (
    ("n1_proactive", "（一）主动公开"),
    ("n1_on_request", "（二）依申请公开"),
    ("n1_management", "（三）政府信息管理"),
    ("n1_platform", "（四）政府信息公开平台建设"),
    ("n1_oversight", "（五）监督保障"),
)

#: Structured figures that section 六 must state (信息处理费, 国办函〔2020〕109号).
_N6_FEES = (
    ("n6_fee_notices", Kind.COUNT, "发出收费通知件数", "件", 0),
    ("n6_fee_notice_amount", Kind.AMOUNT, "收费通知总金额", "元", 2),
    ("n6_fee_collected", Kind.AMOUNT, "实际收取总金额", "元", 2),
)


def _narrative_fields() -> list[Field]:
    out = []
    for i, (fid, label) in enumerate(_N1_PARTS):
        out.append(
            Field(fid, Kind.LONGTEXT, "一", "narratives", SHEET_OVERVIEW, f"B{3 + i}", label,
                  note="请如实叙述本年度工作情况")
        )
    out.append(
        Field("n5_problems", Kind.LONGTEXT, "五", "narratives", SHEET_OTHER, "B3", N5_TITLE,
              note="上年度问题的改进情况及本年度存在的问题和改进措施")
    )
    out.append(
        Field("n6_other", Kind.LONGTEXT, "六", "narratives", SHEET_OTHER, "B4", N6_TITLE,
              note="须说明信息处理费收取情况，以及政务公开工作要点落实等其他事项")
    )
    for i, (fid, kind, label, unit, decimals) in enumerate(_N6_FEES):
        out.append(
            Field(fid, kind, "六", "narratives", SHEET_OTHER, f"B{7 + i}",
                  f"信息处理费 · {label}", unit=unit, decimals=decimals,
                  note=f"单位：{unit}；没有的填 0")
        )
    return out


# --------------------------------------------------------------------------
# Section 二 — 主动公开
# --------------------------------------------------------------------------

S2_TITLE = "二、主动公开政府信息情况"
S2_DOC_COLUMNS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("effective", "现行有效件数"))
S2_CONTENT_HEADER = "信息内容"  # header of the label column in every block
S2_DECISIONS = "本年处理决定数量"
S2_FEE_COLUMN = "本年收费金额（单位：万元）"


#: Sheet row of the first block's heading; each block follows the one above without a gap.
S2_FIRST_ROW = 3


@dataclass(frozen=True)
class S2Block:
    """One 第二十条 block of table 二: a heading row, a header row, data rows."""

    item: str  # 第二十条第（一）项
    rows: tuple[tuple[str, str], ...]  # (key, label)
    columns: tuple[tuple[str, str], ...]  # (key, label)
    kind: Kind = Kind.COUNT
    unit: str = "件"
    decimals: int = 0


S2_BLOCKS = (
    S2Block("第二十条第（一）项", (("rules", "规章"), ("normative", "行政规范性文件")), S2_DOC_COLUMNS),
    S2Block("第二十条第（五）项", (("licensing", "行政许可"),), (("decisions", S2_DECISIONS),)),
    S2Block("第二十条第（六）项", (("penalty", "行政处罚"), ("enforcement", "行政强制")),
            (("decisions", S2_DECISIONS),)),
    S2Block("第二十条第（八）项", (("fees", "行政事业性收费"),), (("amount", S2_FEE_COLUMN),),
            kind=Kind.AMOUNT, unit="万元", decimals=4),
)


def s2_id(row: str, col: str) -> str:
    return f"s2_{row}_{col}"


def s2_first_rows(blocks: tuple[S2Block, ...]) -> tuple[int, ...]:
    """Sheet row of each block's heading: a heading row, a header row and the data rows, one block after another."""
    out, row = [], S2_FIRST_ROW
    for block in blocks:
        out.append(row)
        row += 2 + len(block.rows)
    return tuple(out)


def _s2_fields(d: Definition) -> list[Field]:
    out = []
    for block, first_row in zip(d.s2_blocks, s2_first_rows(d.s2_blocks), strict=True):
        for r, (rkey, rlabel) in enumerate(block.rows):
            for c, (ckey, clabel) in enumerate(block.columns):
                out.append(
                    Field(s2_id(rkey, ckey), block.kind, "二", "section2", SHEET_S2,
                          f"{get_column_letter(2 + c)}{first_row + 2 + r}",
                          rlabel, clabel, unit=block.unit, decimals=block.decimals,
                          note=f"{block.item} · {rlabel} · {clabel}")
                )
    return out


# --------------------------------------------------------------------------
# Section 三 — 收到和处理政府信息公开申请情况
# --------------------------------------------------------------------------

S3_TITLE = "三、收到和处理政府信息公开申请情况"
S3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
S3_APPLICANT_HEADER = "申请人情况"
S3_ORG_HEADER = "法人或其他组织"
S3_RESULTS_LABEL = "三、本年度办理结果"

#: (key, label) of the six applicant columns, in order: 自然人, then the five kinds of 法人或其他组织
#: (S3_ORG_COLUMNS); 总计 (S3_TOTAL_COLUMN) follows them.
S3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("ngo", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他"),
)
#: The applicant columns under the 法人或其他组织 header (next to each other in S3_COLUMNS).
S3_ORG_COLUMNS = ("commercial", "research", "ngo", "legal", "other")
S3_TOTAL_COLUMN = ("total", "总计")
S3_FIRST_INPUT_COLUMN = "D"
#: The header's three rows: 申请人情况 / 自然人 · 法人或其他组织 · 总计 / the five kinds of organisation.
S3_HEADER_ROWS = (3, 4, 5)
S3_FIRST_ROW = S3_HEADER_ROWS[-1] + 1


@dataclass(frozen=True)
class S3Row:
    key: str
    level1: str  # 一、… / 二、… / 三、本年度办理结果 / 四、…
    level2: str = ""  # (一) 予以公开 …
    level3: str = ""  # 1. 属于国家秘密 …
    computed: bool = False  # (七) 总计

    @property
    def label(self) -> str:
        return self.level3 or self.level2 or self.level1

    @property
    def full_label(self) -> str:
        parts = [p for p in (self.level1, self.level2, self.level3) if p]
        return " ".join(parts)


def _s3_rows() -> tuple[S3Row, ...]:
    r = S3_RESULTS_LABEL
    rows = [
        S3Row("new", "一、本年新收政府信息公开申请数量"),
        S3Row("carried", "二、上年结转政府信息公开申请数量"),
        S3Row("open", r, "（一）予以公开"),
        S3Row("partial", r, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ]
    groups = (
        ("deny", "（三）不予公开", (
            ("secret", "1.属于国家秘密"),
            ("law", "2.其他法律行政法规禁止公开"),
            ("safety", "3.危及“三安全一稳定”"),
            ("third_party", "4.保护第三方合法权益"),
            ("internal", "5.属于三类内部事务信息"),
            ("process", "6.属于四类过程性信息"),
            ("enforcement", "7.属于行政执法案卷"),
            ("query", "8.属于行政查询事项"),
        )),
        ("unable", "（四）无法提供", (
            ("not_held", "1.本机关不掌握相关政府信息"),
            ("needs_making", "2.没有现成信息需要另行制作"),
            ("unclear", "3.补正后申请内容仍不明确"),
        )),
        ("reject", "（五）不予处理", (
            ("petition", "1.信访举报投诉类申请"),
            ("repeat", "2.重复申请"),
            ("publication", "3.要求提供公开出版物"),
            ("massive", "4.无正当理由大量反复申请"),
            ("confirm", "5.要求行政机关确认或重新出具已获取信息"),
        )),
        ("other", "（六）其他处理", (
            ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("misc", "3.其他"),
        )),
    )
    for gkey, glabel, items in groups:
        for ikey, ilabel in items:
            rows.append(S3Row(f"{gkey}_{ikey}", r, glabel, ilabel))
    rows.append(S3Row("results_total", r, "（七）总计", computed=True))
    rows.append(S3Row("next", "四、结转下年度继续办理"))
    return tuple(rows)


S3_ROWS = _s3_rows()


def s3_row_index(rows: tuple[S3Row, ...]) -> dict[str, int]:
    """Sheet row of each row of table 三."""
    return {row.key: S3_FIRST_ROW + i for i, row in enumerate(rows)}


S3_ROW_INDEX = s3_row_index(S3_ROWS)


def s3_column_letter(index: int) -> str:
    """Letter of the index-th applicant column (0-based); 6 is 总计."""
    return get_column_letter(column_index_from_string(S3_FIRST_INPUT_COLUMN) + index)


def s3_id(row: str, col: str) -> str:
    return f"s3_{row}_{col}"


def _s3_fields(d: Definition) -> list[Field]:
    out = []
    all_cols = d.s3_columns + (S3_TOTAL_COLUMN,)
    result_rows = [row.key for row in d.s3_rows if row.level1 == S3_RESULTS_LABEL and not row.computed]
    row_index = s3_row_index(d.s3_rows)
    for row in d.s3_rows:
        for ci, (ckey, clabel) in enumerate(all_cols):
            fid = s3_id(row.key, ckey)
            cell = f"{s3_column_letter(ci)}{row_index[row.key]}"
            if ckey == "total":
                out.append(Field(fid, Kind.TOTAL, "三", "section3", SHEET_S3, cell, row.full_label, clabel,
                                 unit="件", addends=tuple(s3_id(row.key, c) for c, _ in d.s3_columns)))
            elif row.computed:
                out.append(Field(fid, Kind.TOTAL, "三", "section3", SHEET_S3, cell, row.full_label, clabel,
                                 unit="件", addends=tuple(s3_id(r, ckey) for r in result_rows)))
            else:
                out.append(Field(fid, Kind.COUNT, "三", "section3", SHEET_S3, cell, row.full_label, clabel,
                                 unit="件", note=f"{row.label} · {clabel}"))
    return out


# --------------------------------------------------------------------------
# Section 四 — 行政复议、行政诉讼
# --------------------------------------------------------------------------

S4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"
S4_LITIGATION = "行政诉讼"
S4_GROUPS = (
    ("reconsideration", "行政复议"),
    ("direct_suit", "未经复议直接起诉"),
    ("suit_after", "复议后起诉"),
)
#: The groups under the 行政诉讼 header (next to each other in S4_GROUPS).
S4_LITIGATION_GROUPS = ("direct_suit", "suit_after")
S4_RESULTS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)
S4_TOTAL = ("total", "总计")
#: Below the header's three rows: 行政复议 · 行政诉讼 / results · 未经复议直接起诉 · 复议后起诉 / results.
S4_DATA_ROW = 6


def s4_id(group: str, result: str) -> str:
    return f"s4_{group}_{result}"


def _s4_fields(d: Definition) -> list[Field]:
    out = []
    col = 1
    for gkey, glabel in d.s4_groups:
        ids = []
        for rkey, rlabel in d.s4_results:
            fid = s4_id(gkey, rkey)
            ids.append(fid)
            out.append(Field(fid, Kind.COUNT, "四", "section4", SHEET_S4, f"{get_column_letter(col)}{S4_DATA_ROW}",
                             glabel, rlabel, unit="件", note=f"{glabel} · {rlabel}"))
            col += 1
        out.append(Field(s4_id(gkey, S4_TOTAL[0]), Kind.TOTAL, "四", "section4", SHEET_S4,
                         f"{get_column_letter(col)}{S4_DATA_ROW}", glabel, S4_TOTAL[1], unit="件",
                         addends=tuple(ids)))
        col += 1
    return out


# --------------------------------------------------------------------------
# The definition of the tables
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Definition:
    """The rows and columns of tables 二, 三 and 四.

    The form's table fields (:func:`build_form`) and the layout of every table
    (:mod:`xl_disclosure.form.layout`) are built from one of these; a row or a
    column added here reaches the template, the summary workbook, the
    published report and the parser with no other change.
    """

    s2_blocks: tuple[S2Block, ...] = S2_BLOCKS
    s3_columns: tuple[tuple[str, str], ...] = S3_COLUMNS
    s3_org_columns: tuple[str, ...] = S3_ORG_COLUMNS
    s3_rows: tuple[S3Row, ...] = S3_ROWS
    s4_groups: tuple[tuple[str, str], ...] = S4_GROUPS
    s4_litigation_groups: tuple[str, ...] = S4_LITIGATION_GROUPS
    s4_results: tuple[tuple[str, str], ...] = S4_RESULTS


DEFINITION = Definition()


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------

def _equations(d: Definition) -> list[Equation]:
    eqs: list[Equation] = []
    for ckey, clabel in d.s3_columns + (S3_TOTAL_COLUMN,):
        eqs.append(Equation(
            "s3.balance", f"s3.balance.{ckey}",
            f"三、{clabel}列：第一项加第二项之和等于第三项（七）总计加第四项之和",
            lhs=(s3_id("new", ckey), s3_id("carried", ckey)),
            rhs=(s3_id("results_total", ckey), s3_id("next", ckey)),
            anchor=s3_id("results_total", ckey),
        ))
    return eqs


def _total_equations(fields: list[Field], d: Definition) -> list[Equation]:
    """Each computed total equals the sum of its addends."""
    eqs = []
    for f in fields:
        if f.kind is not Kind.TOTAL:
            continue
        if f.section == "三" and f.col_label == "总计":
            rule, title = "s3.row_total", f"三、{d.s3_rows[f.row - S3_FIRST_ROW].label}：总计等于六类申请人之和"
        elif f.section == "三":
            rule, title = "s3.results_total", f"三、{f.col_label}列：（七）总计等于（一）至（六）各项之和"
        else:
            rule, title = "s4.total", f"四、{f.row_label}：总计等于结果维持、结果纠正、其他结果、尚未审结之和"
        eqs.append(Equation(rule, f"{rule}.{f.id}", title, lhs=(f.id,), rhs=f.addends, anchor=f.id))
    return eqs


def build_form(definition: Definition = DEFINITION) -> Form:
    """The form: cover, narratives and the fields of the tables as ``definition`` has them, with their rules."""
    d = definition
    fields = _cover_fields() + _narrative_fields() + _s2_fields(d) + _s3_fields(d) + _s4_fields(d)
    ids = [f.id for f in fields]
    assert len(ids) == len(set(ids)), "duplicate field id"
    positions = [(f.sheet, f.cell) for f in fields]
    assert len(positions) == len(set(positions)), "two fields share a cell"
    equations = _equations(d) + _total_equations(fields, d)
    return Form(tuple(fields), tuple(equations), RULES)


FORM = build_form()

GROUP_TITLES = {
    "cover": "封面",
    "narratives": "文字部分（一、五、六）",
    "section2": S2_TITLE,
    "section3": S3_TITLE,
    "section4": S4_TITLE,
}
