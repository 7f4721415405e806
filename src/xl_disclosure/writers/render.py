"""Rendering the publishable annual report from report data: Word (.docx), HTML and Markdown.

The report is first laid out as a small document model — title, numbered
headings, paragraphs and tables whose merged headers are given as HTML-style
``rowspan``/``colspan`` cells — built entirely from :mod:`xl_disclosure.form`
(labels, row and column order) and the report's numbers, with every total
recomputed by :meth:`Report.total`.  Three writers then turn the same model
into a Word document (python-docx, A4, 公文-style fonts), one self-contained
HTML page and Markdown.  Rendering is pure: it never validates or refuses;
:func:`xl_disclosure.api.render_report` and :func:`xl_disclosure.api.render_summary`
decide whether a report may be published, or only as a draft.

A compile summary (:class:`~xl_disclosure.model.summary.Summary`, read by
:func:`~xl_disclosure.model.summary.load_summary`) renders as the compiling
office's consolidated report for its region.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from xl_disclosure.form import (
    FORM,
    N1_TITLE,
    N5_TITLE,
    N6_TITLE,
    Form,
    fmt,
)
from xl_disclosure.form.layout import LAYOUT, Column, Layout, Role, Section, TableLayout
from xl_disclosure.form.layout import Cell as LayoutCell
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.model.summary import TOTAL_GROUPS, Summary, SummaryError
from xl_disclosure.writers.atomic import OutputError, write_atomic, write_text_atomic

OUTPUT_SUFFIXES = (".docx", ".html", ".htm", ".md")

#: What the document shows where the data gives nothing (a number, a paragraph, a file name).
MISSING = "—"

TITLE_TAIL = "政府信息公开工作年度报告"
N1_PART_IDS = ("n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight")
N6_FEE_IDS = ("n6_fee_notices", "n6_fee_notice_amount", "n6_fee_collected")

# Font stacks: the first name is what Word/WPS look for; the rest are fallbacks.
TITLE_FONTS = ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "华文中宋", "STZhongsong", "SimSun", "宋体",
               "Noto Serif CJK SC", "Source Han Serif SC")
BODY_FONTS = ("仿宋", "仿宋_GB2312", "FangSong", "FangSong_GB2312", "STFangsong", "Noto Serif CJK SC",
              "Source Han Serif SC")
HEADING1_FONTS = ("黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC")
HEADING2_FONTS = ("楷体", "楷体_GB2312", "KaiTi", "KaiTi_GB2312", "STKaiti", "Noto Serif CJK SC")
WESTERN_FONT = "Times New Roman"


# ---------------------------------------------------------------------------
# Document model
# ---------------------------------------------------------------------------

#: Characters that XML 1.0 (Word) and HTML do not allow; clerk text pasted from elsewhere may carry them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text safe for Word and HTML: disallowed control characters removed."""
    return _CONTROL.sub("", text)


@dataclass
class Cell:
    text: str
    header: bool = False
    #: HTML scope of a header cell: col, colgroup, row, rowgroup.
    scope: str | None = None
    rowspan: int = 1
    colspan: int = 1
    align: Literal["center", "left"] = "center"
    numeric: bool = False

    def __post_init__(self) -> None:
        self.text = clean_text(self.text)


@dataclass
class RowGroup:
    kind: Literal["head", "body"]
    rows: list[list[Cell]]


@dataclass
class MdTable:
    """A flattened table for Markdown: an optional lead line, one header row, body rows."""

    header: list[str]
    rows: list[list[str]]
    lead: str = ""
    #: Right-aligned (numeric) columns; None means every column but the first.
    right: frozenset[int] | None = None


@dataclass
class Table:
    key: str
    caption: str
    groups: list[RowGroup]
    #: Column widths in centimetres (Word); they add up to the text width.
    widths: tuple[float, ...]
    font_pt: float
    markdown: list[MdTable]
    note: str = ""
    #: Repeat the head rows on every page the table spans (Word); not for table 二, whose blocks have own heads.
    repeat_head: bool = True

    @property
    def rows(self) -> list[list[Cell]]:
        return [row for g in self.groups for row in g.rows]

    def grid(self) -> list[tuple[int, int, Cell]]:
        """(row, column, cell) of every cell, by the HTML table layout rules."""
        taken: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        return out


@dataclass
class Heading:
    level: int
    text: str

    def __post_init__(self) -> None:
        self.text = clean_text(self.text)


@dataclass
class Paragraph:
    text: str
    indent: bool = True

    def __post_init__(self) -> None:
        self.text = clean_text(self.text)


Block = Heading | Paragraph | Table


@dataclass
class Document:
    #: Title lines (joined they are the full title; Word/HTML break the title between them).
    title_lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    draft: str = ""  # non-empty: the draft note shown on every page
    author: str = ""

    def __post_init__(self) -> None:
        self.title_lines = [clean_text(line) for line in self.title_lines]
        self.draft = clean_text(self.draft)
        self.author = clean_text(self.author)

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


# ---------------------------------------------------------------------------
# Formatting values
# ---------------------------------------------------------------------------

def fmt_number(v: int | float | None, decimals: int = 0) -> str:
    """A number as printed in the report: whole numbers without decimals, amounts without trailing zeros."""
    if v is None:
        return MISSING
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        text = f"{v:.{max(decimals, 1)}f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(v)


def field_value(report: Report, fid: str, form: Form = FORM) -> int | float | None:
    """The number to print for a field: totals recomputed, inputs as given."""
    return report.total(fid, form)


def field_text(report: Report, fid: str, form: Form = FORM) -> str:
    f = form.by_id[fid]
    return fmt_number(field_value(report, fid, form), f.decimals)


def _paragraphs(text: object) -> list[str]:
    if not isinstance(text, str):
        return []
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


# ---------------------------------------------------------------------------
# Tables 二, 三, 四 (from the form definition)
# ---------------------------------------------------------------------------

#: Header of the label column in Markdown, for a table whose own label column has no header (三).
MD_STUB = "项目"
#: Header of the first column of a table printed one line per column group (四).
MD_GROUP_STUB = "类别"


def _widths(table: TableLayout) -> tuple[float, ...]:
    """Word column widths (cm) of a table, adding up to the 15.6 cm text width."""
    n = table.value_columns
    if table.key == "s2":
        return (4.5,) + (3.7,) * n
    if table.key == "s3":
        return (1.4, 1.8, 4.8) + (7.6 / n,) * n
    return (15.6 / n,) * n


_SCOPES = {Role.GROUP: "colgroup", Role.COLUMN: "col", Role.STUB: "col", Role.ROWGROUP: "rowgroup", Role.ROW: "row"}


def _cell(c: LayoutCell) -> Cell:
    if c.role is Role.NOTE:  # prose in the corner, not a header
        return Cell(c.text, rowspan=c.rowspan, colspan=c.colspan, align="left")
    return Cell(c.text, header=True, scope=_SCOPES[c.role], rowspan=c.rowspan, colspan=c.colspan, align=c.align)


def _md_label(column: Column, common: set[str]) -> str:
    """A column's header in Markdown: its own label after the groups above it that not every column shares."""
    return "·".join([g for g in column.groups if g not in common] + [column.label])


def _markdown(report: Report, table: TableLayout, section: Section, form: Form) -> MdTable:
    common = set.intersection(*(set(c.groups) for c in section.columns))
    if not table.label_columns:  # one line per group of columns: 行政复议, 行政诉讼·未经复议直接起诉 …
        (body,) = section.body
        lines: dict[tuple[str, ...], list[str]] = {}
        labels: dict[tuple[str, ...], list[str]] = {}
        for column, v in zip(section.columns, body.values, strict=True):
            lines.setdefault(column.groups, []).append(field_text(report, v.field, form))
            labels.setdefault(column.groups, []).append(column.label)
        rows = [["·".join(groups), *texts] for groups, texts in lines.items()]
        return MdTable([MD_GROUP_STUB, *next(iter(labels.values()))], rows)
    stub = next((c.text for c in section.header if c.role is Role.STUB), MD_STUB)
    lead = table.note or next((c.text for c in section.header if c.colspan == table.columns), "")
    rows = [[" ".join(b.labels), *(field_text(report, v.field, form) for v in b.values)] for b in section.body]
    return MdTable([stub, *(_md_label(c, common) for c in section.columns)], rows, lead=lead)


def table_of(report: Report, table: TableLayout, form: Form = FORM) -> Table:
    """A table of the report as its layout has it, with the report's numbers (totals recomputed)."""
    groups: list[RowGroup] = []
    for i, section in enumerate(table.sections):
        head = [[_cell(c) for c in section.header if c.row == r] for r in section.header_range]
        body = [[_cell(c) for c in b.cells]
                + [Cell(field_text(report, v.field, form), numeric=True, colspan=v.colspan) for v in b.values]
                for b in section.body]
        if i == 0:
            groups += [RowGroup("head", head), RowGroup("body", body)]
        else:  # table 二's later blocks: their own header rows inside the body
            groups.append(RowGroup("body", head + body))
    md = [_markdown(report, table, s, form) for s in table.sections]
    return Table(table.key, table.title, groups, _widths(table), 10.5 if table.key == "s2" else 9, md,
                 note=table.note, repeat_head=len(table.sections) == 1)


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------

def report_title_lines(report: Report) -> list[str]:
    agency = report.agency or "（机关名称）"
    year = f"{report.year}年" if report.year is not None else "年度"
    return [agency, f"{year}{TITLE_TAIL}"]


def fee_sentence(report: Report) -> str:
    """The 信息处理费 figures that section 六 must state, with the form's labels and units."""
    parts = []
    for fid in N6_FEE_IDS:
        f = FORM.by_id[fid]
        label = f.row_label.split(" · ", 1)[-1]
        parts.append(f"{label} {field_text(report, fid)} {f.unit}")
    head = FORM.by_id[N6_FEE_IDS[0]].row_label.split(" · ", 1)[0]
    return f"{head}：" + "，".join(parts) + "。"


def build_document(report: Report, *, draft: str = "", layout: Layout = LAYOUT) -> Document:
    """The full annual report laid out in the official structure, its tables as ``layout`` has them."""
    doc = Document(report_title_lines(report), draft=draft, author=report.agency)
    doc.blocks.append(Heading(1, N1_TITLE))
    for fid in N1_PART_IDS:
        doc.blocks.append(Heading(2, layout.form.by_id[fid].row_label))
        doc.blocks += [Paragraph(p) for p in _paragraphs(report.get(fid))] or [Paragraph(MISSING)]
    for table in layout.tables:
        doc.blocks.append(Heading(1, table.title))
        doc.blocks.append(table_of(report, table, layout.form))
    doc.blocks.append(Heading(1, N5_TITLE))
    doc.blocks += [Paragraph(p) for p in _paragraphs(report.get("n5_problems"))] or [Paragraph(MISSING)]
    doc.blocks.append(Heading(1, N6_TITLE))
    doc.blocks += [Paragraph(p) for p in _paragraphs(report.get("n6_other"))]
    doc.blocks.append(Paragraph(fee_sentence(report)))
    return doc


# ---------------------------------------------------------------------------
# The regional consolidated report (from a compile summary)
# ---------------------------------------------------------------------------

def summary_report(summary: Summary) -> Report:
    """The aggregated tables of a compile summary as a Report (totals are recomputed when rendered)."""
    try:
        return Report.from_json({g: getattr(summary.totals, g) for g in TOTAL_GROUPS}, source=summary.source)
    except ReportFormatError as exc:
        raise SummaryError(str(exc)) from exc


def summary_region(summary: Summary) -> str:
    """The region's name: the one 上级汇总机关 all counted reports name, else ""."""
    parents = {
        (r.get("cover") or {}).get("cover_parent")
        for r in summary.reports
        if isinstance(r.get("cover"), Mapping)
    }
    parents.discard(None)
    parents.discard("")
    if len(parents) == 1:
        (only,) = parents
        if isinstance(only, str):
            return only.strip()
    return ""


def summary_title_lines(summary: Summary, region: str | None = None) -> list[str]:
    region = region if region is not None else summary_region(summary)
    year_text = f"{summary.year}年度" if summary.year is not None else "年度"
    tail = f"{year_text}{TITLE_TAIL}汇总"
    return [region, tail] if region else [tail]


def _simple_table(key: str, caption: str, header: list[str], rows: list[list[str]],
                  widths: tuple[float, ...], left: Iterable[int] = ()) -> Table:
    left = set(left)
    head = [[Cell(h, header=True, scope="col") for h in header]]
    body = [[Cell(v, header=(i == 1), scope="row" if i == 1 else None, align="left" if i in left else "center")
             for i, v in enumerate(row)] for row in rows]
    return Table(key, caption, [RowGroup("head", head), RowGroup("body", body)], widths, 9,
                 [MdTable(header, rows, right=frozenset({0}))])


def _text(v: object) -> str:
    return str(v).strip() if v not in (None, "") else MISSING


def build_summary_document(summary: Summary, *, region: str | None = None, draft: str = "") -> Document:
    """The compiling office's consolidated report for its region."""
    report = summary_report(summary)
    missing, duplicates = summary.missing, summary.duplicates
    counted_files = {f.file for f in summary.files if f.counted}
    counted = summary.counted if summary.counted is not None else len(counted_files)
    scope = "仅统计校验通过的报告" if summary.included == "valid" else "统计全部能读取的报告，含未通过校验的"
    gaps = (f"应报未报单位 {len(missing)} 个" if summary.list_given
            else "未提供应报送单位名单，未核对应报未报情况")
    pending = sum(1 for d in duplicates if d.pending)
    conflicts = f"，其中 {pending} 个单位报送的几份报告内容不同、尚待决定计入哪一份，未纳入统计" if pending else ""

    doc = Document(summary_title_lines(summary, region), draft=draft, author=region or "")
    doc.blocks.append(Heading(1, "一、汇总范围"))
    doc.blocks.append(Paragraph(
        f"本次汇总共收到报告 {len(summary.files) or len(summary.agencies)} 份，纳入统计 {counted} 份（{scope}）；"
        f"{gaps}；重复报送单位 {len(duplicates)} 个{conflicts}。以下各表为纳入统计的报告数字之和。"
    ))
    for table in LAYOUT.tables:
        doc.blocks.append(Heading(1, table.title))
        doc.blocks.append(table_of(report, table))

    doc.blocks.append(Heading(1, "五、纳入汇总的单位"))
    rows = []
    for i, a in enumerate(summary.agencies, 1):
        flag = a.counted if a.counted is not None else a.file in counted_files
        rows.append([str(i), _text(a.agency), _text(a.uscc), Path(a.file).name or MISSING, _text(a.status),
                     "是" if flag else "否"])
    if rows:
        doc.blocks.append(_simple_table("agencies", "纳入汇总的单位",
                                        ["序号", "单位名称", "统一社会信用代码", "报送文件", "校验结果", "纳入统计"],
                                        rows, (1.1, 4.4, 3.6, 3.3, 1.7, 1.5), left=(1, 3)))
    else:
        doc.blocks.append(Paragraph("无。"))

    doc.blocks.append(Heading(1, "六、应报未报及重复报送情况"))
    doc.blocks.append(Heading(2, "（一）应报未报单位"))
    if not summary.list_given:
        doc.blocks.append(Paragraph("汇总时未提供应报送单位名单，无法判断哪些单位应报未报。"))
    elif missing:
        rows = [[str(i), _text(m.agency), _text(m.uscc)] for i, m in enumerate(missing, 1)]
        doc.blocks.append(_simple_table("missing", "应报未报单位", ["序号", "单位名称", "统一社会信用代码"], rows,
                                        (1.6, 8.0, 6.0), left=(1,)))
    else:
        doc.blocks.append(Paragraph("无。"))
    doc.blocks.append(Heading(2, "（二）重复报送单位"))
    if duplicates:
        rows = []
        for i, d in enumerate(duplicates, 1):
            names = "、".join(Path(x).name for x in d.files)
            state = "待决定，均未纳入统计" if d.pending else f"纳入 {Path(d.files[0]).name}"
            rows.append([str(i), _text(d.agency), _text(d.uscc), _text(d.year), names or MISSING, state])
        doc.blocks.append(_simple_table("duplicates", "重复报送单位",
                                        ["序号", "单位名称", "统一社会信用代码", "年度", "报送文件", "处理"], rows,
                                        (1.1, 3.8, 3.4, 1.2, 3.9, 2.2), left=(1, 4, 5)))
    else:
        doc.blocks.append(Paragraph("无。"))
    if summary.prior_given:
        doc.blocks.append(Heading(2, "（三）与上年相比变化超过十倍的数字"))
        jumps = summary.jumps or []
        if jumps:
            rows = [[str(i), _text(j.agency), _text(j.label), fmt(j.last), fmt(j.this), f"{j.ratio:g}"]
                    for i, j in enumerate(jumps, 1)]
            doc.blocks.append(_simple_table("jumps", "与上年相比变化超过十倍的数字",
                                            ["序号", "单位名称", "数据项", "上年", "本年", "本年÷上年"], rows,
                                            (1.1, 4.0, 5.0, 1.8, 1.8, 1.9), left=(1, 2)))
        else:
            doc.blocks.append(Paragraph("无。"))
    return doc


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------

def render_document(doc: Document, target: str | Path) -> Path:
    """Write ``doc`` to ``target`` (format by suffix), atomically."""
    target = Path(target)
    suffix = target.suffix.lower()
    if suffix == ".docx":
        write_atomic(target, lambda tmp: write_docx(doc, tmp))
    elif suffix in (".html", ".htm"):
        write_text_atomic(target, to_html(doc))
    elif suffix == ".md":
        write_text_atomic(target, to_markdown(doc))
    else:
        raise OutputError(f"不支持的输出格式“{suffix or target.name}”：请用 .docx、.html 或 .md 作为输出文件的扩展名。")
    return target


def render_report(report: Report, target: str | Path, *, draft: str = "", layout: Layout = LAYOUT) -> Path:
    """Render one agency's annual report to ``target`` (.docx, .html or .md)."""
    return render_document(build_document(report, draft=draft, layout=layout), target)


def render_summary(summary: Summary, target: str | Path, *, region: str | None = None,
                   draft: str = "") -> Path:
    """Render the regional consolidated report of a compile summary (see :func:`load_summary`) to ``target``."""
    return render_document(build_summary_document(summary, region=region, draft=draft), target)


# ------------------------------------------------------------------ Word

#: Page setup after GB/T 9704-2012 (党政机关公文格式): A4, text area 156 mm × 225 mm.
PAGE_CM = (21.0, 29.7)
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PT = 28  # fixed line pitch: 22 lines a page

#: Fallbacks written into the document's font table (w:altName), for Word/WPS without the first choice.
#: name -> (alternate name, font family class).
FONT_ALTERNATES = {
    TITLE_FONTS[0]: ("宋体", "roman"),
    BODY_FONTS[0]: ("FangSong", "roman"),
    HEADING1_FONTS[0]: ("SimHei", "swiss"),
    HEADING2_FONTS[0]: ("KaiTi", "roman"),
}


def _set_fonts(element: Any, east: str, west: str = WESTERN_FONT) -> None:
    """Set the Latin and East Asian fonts of a run or style (w:rFonts), dropping theme fonts."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    rfonts.set(qn("w:ascii"), west)
    rfonts.set(qn("w:hAnsi"), west)
    rfonts.set(qn("w:cs"), west)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:hint"), "eastAsia")


def _style_run(run: Any, east: str, size_pt: float, *, bold: bool = False, color: str | None = None) -> None:
    from docx.shared import Pt, RGBColor

    _set_fonts(run._r, east)
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _setup_styles(d: Any) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    normal = d.styles["Normal"]
    _set_fonts(normal.element, BODY_FONTS[0])
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.makeelement(qn("w:lang"), {qn("w:val"): "en-US", qn("w:eastAsia"): "zh-CN"})
    rpr.append(lang)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(BODY_PT * 2)
    pf.widow_control = True
    for name, font in (("Heading 1", HEADING1_FONTS[0]), ("Heading 2", HEADING2_FONTS[0])):
        style = d.styles[name]
        _set_fonts(style.element, font)
        style.font.size = Pt(BODY_PT)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        hpf = style.paragraph_format
        hpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        hpf.line_spacing = Pt(LINE_PT)
        hpf.space_before = Pt(6 if name == "Heading 1" else 0)
        hpf.space_after = Pt(0)
        hpf.first_line_indent = Pt(BODY_PT * 2)
        hpf.keep_with_next = True


def _font_table_fallbacks(d: Any) -> None:
    """Declare the Chinese fonts with alternates and the GB2312 charset in word/fontTable.xml."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    for part in d.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = parse_xml(part.blob)
        for name, (alt, family) in FONT_ALTERNATES.items():
            root.append(parse_xml(
                f'<w:font {nsdecls("w")} w:name="{html.escape(name)}"><w:altName w:val="{html.escape(alt)}"/>'
                f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
            ))
        from lxml import etree

        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_page_number(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = 0
    _style_run(p.add_run("— "), "宋体", 14)
    fld = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    p._p.append(fld)
    _style_run(p.add_run(" —"), "宋体", 14)


def _add_draft_header(section: Any, note: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = 0
    _style_run(p.add_run("草稿"), HEADING1_FONTS[0], 22, bold=True, color="C00000")
    rest = note.removeprefix("草稿").lstrip("：: —")
    if rest:
        q = section.header.add_paragraph()
        q.alignment = WD_ALIGN_PARAGRAPH.CENTER
        q.paragraph_format.first_line_indent = 0
        _style_run(q.add_run(rest), BODY_FONTS[0], 10.5, color="C00000")


def _docx_table(d: Any, table: Table) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm, Pt

    rows = table.rows
    t = d.add_table(rows=len(rows), cols=len(table.widths))
    t.style = d.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tblpr = t._tbl.tblPr
    tblpr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
    ))
    for i, width in enumerate(table.widths):
        t.columns[i].width = Cm(width)
        for cell in t.columns[i].cells:
            cell.width = Cm(width)
    head_rows = len(table.groups[0].rows) if table.repeat_head and table.groups[0].kind == "head" else 0
    for r, row in enumerate(t.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))
        if r < head_rows:
            trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
    placed = table.grid()
    n = len(table.widths)
    # Table.cell() re-walks the whole table on every call; index the cells once before and once after merging.
    before = t._cells
    for r, c, cell in placed:
        if cell.rowspan > 1 or cell.colspan > 1:
            before[r * n + c].merge(before[(r + cell.rowspan - 1) * n + c + cell.colspan - 1])
    after = t._cells
    for r, c, cell in placed:
        tc = after[r * n + c]
        tc.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = tc.paragraphs[0]
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.align == "left" else WD_ALIGN_PARAGRAPH.CENTER
        _style_run(p.add_run(cell.text), BODY_FONTS[0], table.font_pt)
    # A small gap after the table.
    gap = d.add_paragraph()
    gap.paragraph_format.line_spacing = Pt(table.font_pt)


def write_docx(doc: Document, path: str | Path) -> None:
    """Write ``doc`` as a Word document (A4, 公文-style fonts, page numbers, 草稿 header when a draft)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm, Pt

    d = docx.Document()
    _setup_styles(d)
    _font_table_fallbacks(d)
    section = d.sections[0]
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
    section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
    section.header_distance, section.footer_distance = Cm(1.5), Cm(2.5)
    _add_page_number(section)
    if doc.draft:
        _add_draft_header(section, doc.draft)

    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tpf = title.paragraph_format
    tpf.first_line_indent = Pt(0)
    tpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tpf.line_spacing = Pt(36)
    tpf.space_after = Pt(LINE_PT)
    tpf.keep_with_next = True
    for i, line in enumerate(doc.title_lines):
        run = title.add_run(line)
        _style_run(run, TITLE_FONTS[0], TITLE_PT)
        if i < len(doc.title_lines) - 1:
            run.add_break()

    for block in doc.blocks:
        if isinstance(block, Heading):
            d.add_paragraph(block.text, style=f"Heading {block.level}")
        elif isinstance(block, Paragraph):
            p = d.add_paragraph(block.text)
            if not block.indent:
                p.paragraph_format.first_line_indent = Pt(0)
        else:
            _docx_table(d, block)

    # The stock template's preview picture would show a page that is not this report.
    package_rels = d.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            package_rels.pop(rid)
    props = d.core_properties
    props.title = doc.title
    props.author = doc.author
    props.language = "zh-CN"
    props.comments = doc.draft
    d.save(str(path))


# ------------------------------------------------------------------ HTML

def _css_fonts(names: Sequence[str], generic: str) -> str:
    return ",".join(f"'{n}'" for n in names) + f",{generic}"


HTML_CSS = f"""
@page {{ size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }}
html {{ background: #fff; color: #000; }}
body {{ font-family: {_css_fonts(BODY_FONTS, "serif")}; font-size: 16px; line-height: 1.9;
  max-width: 46em; margin: 2em auto; padding: 0 1em; }}
h1 {{ font-family: {_css_fonts(TITLE_FONTS, "serif")}; font-weight: normal; font-size: 1.9em;
  text-align: center; line-height: 1.5; margin: 0.5em 0 1em; }}
h2 {{ font-family: {_css_fonts(HEADING1_FONTS, "sans-serif")}; font-weight: normal; font-size: 1.15em;
  margin: 1.2em 0 0.4em; }}
h3 {{ font-family: {_css_fonts(HEADING2_FONTS, "serif")}; font-weight: normal; font-size: 1.05em;
  margin: 0.8em 0 0.3em; }}
p {{ margin: 0 0 0.4em; text-indent: 2em; text-align: justify; }}
.table-wrap {{ overflow-x: auto; margin: 0.6em 0 1em; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.8em; line-height: 1.4; }}
caption {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }}
th, td {{ border: 1px solid #000; padding: 0.25em 0.3em; text-align: center; vertical-align: middle; }}
th {{ font-weight: normal; }}
thead th, th[scope="colgroup"] {{ background: #f2f2f2; }}
.left {{ text-align: left; }}
td.num {{ font-variant-numeric: tabular-nums; white-space: nowrap; }}
.draft {{ position: sticky; top: 0; z-index: 1; border: 3px solid #c00; color: #c00; background: #fff;
  font-weight: bold; text-align: center; font-size: 1.2em; padding: 0.4em; margin: 0 0 1em; letter-spacing: 0.2em; }}
@media print {{
  body {{ max-width: none; margin: 0; padding: 0; }}
  .table-wrap {{ overflow: visible; }}
  tr {{ break-inside: avoid; }}
  /* Printed, the banner becomes a watermark on every page. */
  .draft {{ position: fixed; top: 40%; left: 0; right: 0; border: 0; background: transparent;
    color: rgba(192, 0, 0, 0.25); font-size: 3em; transform: rotate(-30deg); pointer-events: none; }}
}}
""".strip()


def _html_table(table: Table) -> str:
    e = html.escape
    out = [f'<div class="table-wrap"><table id="table-{table.key}">', f"<caption>{e(table.caption)}</caption>"]
    for group in table.groups:
        tag = "thead" if group.kind == "head" else "tbody"
        out.append(f"<{tag}>")
        for row in group.rows:
            cells = []
            for c in row:
                attrs = []
                name = "th" if c.header else "td"
                if c.header and c.scope:
                    attrs.append(f'scope="{c.scope}"')
                if c.rowspan > 1:
                    attrs.append(f'rowspan="{c.rowspan}"')
                if c.colspan > 1:
                    attrs.append(f'colspan="{c.colspan}"')
                classes = (["left"] if c.align == "left" else []) + (["num"] if c.numeric else [])
                if classes:
                    attrs.append(f'class="{" ".join(classes)}"')
                cells.append(f"<{name}{''.join(' ' + a for a in attrs)}>{e(c.text)}</{name}>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append(f"</{tag}>")
    out.append("</table></div>")
    return "\n".join(out)


def to_html(doc: Document) -> str:
    """One self-contained HTML page: inline CSS, no scripts, no external resources."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc.title)}{'（草稿）' if doc.draft else ''}</title>",
        f"<style>\n{HTML_CSS}\n</style>",
        "</head>",
        "<body>",
    ]
    if doc.draft:
        parts.append(f'<div class="draft" role="note">{e(doc.draft)}</div>')
    parts.append("<main>")
    parts.append("<h1>" + "<br>".join(e(line) for line in doc.title_lines) + "</h1>")
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = block.level + 1
            parts.append(f"<h{level}>{e(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{e(block.text)}</p>" if block.indent else f'<p class="left">{e(block.text)}</p>')
        else:
            parts.append(_html_table(block))
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


# ------------------------------------------------------------------ Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_LIST_START = re.compile(r"^(\d+)([.)])")


def md_escape(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", clean_text(text))
    text = _MD_LIST_START.sub(r"\1\\\2", text)
    if text.startswith(("-", "+", "=")):
        text = "\\" + text
    return text


def _md_table(t: MdTable) -> list[str]:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(md_escape(c).replace("\n", " ") for c in cells) + " |"

    out = []
    if t.lead:
        out += [f"**{md_escape(t.lead)}**", ""]
    out.append(row(t.header))
    right = t.right if t.right is not None else frozenset(range(1, len(t.header)))
    out.append("|" + "|".join(" ---: " if i in right else " --- " for i in range(len(t.header))) + "|")
    out += [row(r) for r in t.rows]
    out.append("")
    return out


def to_markdown(doc: Document) -> str:
    out = [f"# {md_escape(doc.title)}", ""]
    if doc.draft:
        out += [f"> **{md_escape(doc.draft)}**", ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * (block.level + 1)} {md_escape(block.text)}", ""]
        elif isinstance(block, Paragraph):
            out += [md_escape(block.text), ""]
        else:
            for t in block.markdown:
                out += _md_table(t)
    if doc.draft:
        out += [f"> **{md_escape(doc.draft)}**", ""]
    return "\n".join(out)


__all__ = [
    "Cell", "Document", "Heading", "MdTable", "OUTPUT_SUFFIXES", "Paragraph", "RowGroup",
    "Table", "build_document", "build_summary_document", "fmt_number",
    "render_document", "render_report", "render_summary", "summary_report", "table_of",
    "to_html", "to_markdown", "write_docx",
]
