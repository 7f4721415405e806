"""The locked Excel template clerks fill in (templates/report_template.xlsx).

Everything here is derived from :mod:`xl_disclosure.form`: the layout of each
sheet, the defined names (one per field id), the formulas of every total and
check cell, data validation, conditional formatting and the 校验 sheet.

Every formula it writes comes from :mod:`xl_disclosure.form.checksheet`, whose
:func:`~xl_disclosure.form.checksheet.formula_cells` the workbook reader
compares a returned workbook against to detect tampering, so the two cannot drift.

Two ways to fill values:

* :func:`make_workbook` / :func:`build_template` write them with openpyxl (the
  reference path; other builders such as the .xlsm variant start from
  :func:`make_workbook`);
* :class:`TemplateFiller` saves the blank template once and patches input cells
  straight into the worksheet XML — used for batch distribution, where it is
  many times faster.  Tests check both paths give the same workbook.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.theme import theme_xml

from xl_disclosure import __version__
from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.form import (
    FORM,
    FORM_VERSION,
    N1_TITLE,
    N5_TITLE,
    N6_TITLE,
    NUMERIC_KINDS,
    SHEET_CHECKS,
    SHEET_COVER,
    SHEET_GUIDE,
    SHEET_META,
    SHEET_OTHER,
    SHEET_OVERVIEW,
    STATUS_CELL,
    STATUS_SHEET,
    TEMPLATE_ID,
    TEMPLATE_VERSION,
    YEAR_MAX,
    YEAR_MIN,
    Equation,
    Field,
    Form,
    Kind,
)
from xl_disclosure.form.checksheet import (
    CHECK_COLUMNS,
    CHECK_FIRST_ROW,
    CHECK_HEADER_ROW,
    COUNTER_COLUMNS,
    COUNTER_LABEL,
    DEFAULT_PASSWORD,
    EPS_DIGITS,
    SHEET_ORDER,
    STATUS_FAIL,
    STATUS_INCOMPLETE,
    STATUS_PASS,
    blank_count,
    check_rows,
    counter_cells,
    input_sheets,
    inputs_of,
    link_to,
    number_limit,
    rects,
    status_formula,
    text_blank,
)
from xl_disclosure.form.formulas import quote_sheet, sum_of, total_formula
from xl_disclosure.form.layout import LAYOUT, Cell, Layout, Role, TableLayout
from xl_disclosure.model.report import Report
from xl_disclosure.writers.atomic import write_atomic

#: The hidden identity sheet: key → cell holding its value (the key itself is in column A).
META_CELLS: dict[str, str] = {
    "template_id": "B1",
    "template_version": "B2",
    "form_version": "B3",
    "generator": "B4",
}

GENERATOR = f"xl-disclosure {__version__}"

#: Fixed document metadata, so regenerating the committed template is reproducible.
DOC_CREATED = dt.datetime(2021, 1, 1)
DOC_CREATOR = "xl-disclosure"
DOC_TITLE = "政府信息公开工作年度报告填报表"


# ---------------------------------------------------------------------------
# Fonts and styles
# ---------------------------------------------------------------------------

FONT_BODY = "宋体"  # table text, and the workbook's Normal font (SimSun: on every Chinese Windows and WPS install)
FONT_TEXT = "仿宋"  # narratives, as in government documents
FONT_TITLE = "黑体"
#: Every font is marked GB2312 (charset 134) and "modern" (family 3, as Excel writes 宋体): where the named
#: font is missing, Excel and WPS take the system's GB2312 font and LibreOffice its CJK substitute.
FONT_CHARSET = 134
FONT_FAMILY = 3
NORMAL_SIZE = 11
#: The workbook's Normal style font.  Column widths are in units of its digit width and every row
#: height below is computed for it, not for Calibri (openpyxl's default).
NORMAL_FONT = Font(name=FONT_BODY, sz=NORMAL_SIZE, family=FONT_FAMILY, charset=FONT_CHARSET, scheme="minor",
                   color=None)


def theme_with_cjk_fonts() -> bytes:
    """openpyxl's Office theme with 宋体 as the minor (body) and 黑体 as the major (heading) font.

    The Normal font refers to the theme's minor font (``scheme="minor"``), which Excel prefers to the
    font's own name; naming 宋体 in the theme too (Latin, East Asian and the Hans script) makes both
    readings the same font in every locale.
    """
    xml = theme_xml
    for block, face in (("minorFont", FONT_BODY), ("majorFont", FONT_TITLE)):
        start, end = xml.index(f"<a:{block}>"), xml.index(f"</a:{block}>")
        part = re.sub(r'<a:latin typeface="[^"]*"/>', f'<a:latin typeface="{face}"/>', xml[start:end])
        part = part.replace('<a:ea typeface=""/>', f'<a:ea typeface="{face}"/>')
        part = re.sub(r'<a:font script="Hans" typeface="[^"]*"/>', f'<a:font script="Hans" typeface="{face}"/>', part)
        xml = xml[:start] + part + xml[end:]
    return xml.encode("utf-8")


# ---------------------------------------------------------------------------
# Text fitting: how many lines a text takes in a cell, and the row height that shows them
# ---------------------------------------------------------------------------

#: Excel's column-width unit is the digit width of the Normal font: 8 px for 宋体 11 pt at 96 dpi.
DIGIT_PX = 8
#: Excel's 5 px of column padding, plus the borders and LibreOffice's cell indent.
CELL_PADDING_PX = 9
#: Line height per point of font size: SimSun in Excel needs ~1.3, the Noto CJK fonts LibreOffice
#: substitutes ~1.45.  The larger, so that no engine cuts a line off.
LINE_FACTOR = 1.45
ROW_PADDING_PT = 4
#: Excel's (and WPS's) largest row height.
MAX_ROW_HEIGHT = 409
#: Wrapped text loses room at line ends (a Latin word or a closing mark moves to the next line).
WRAP_SLACK = 1.1
#: Characters every narrative cell shows without scrolling, on screen and in print: more than the longest
#: real section we have (section 五 of the seed report, ~500 characters).
NARRATIVE_CAPACITY = 600


def _char_em(ch: str) -> float:
    """Width of a character in em: CJK, full-width and ambiguous-width marks (“”、…) take a whole em."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.6


def text_lines(text: str, width: float, pt: float) -> int:
    """Lines ``text`` wraps to at ``pt`` points in a cell ``width`` column-width units wide (Excel's units)."""
    room = max(1.0, width * DIGIT_PX - CELL_PADDING_PX)
    em = pt * 96 / 72
    return sum(max(1, math.ceil(sum(_char_em(c) for c in para) * em * WRAP_SLACK / room))
               for para in str(text).split("\n"))


def lines_height(lines: int, pt: float) -> float:
    """The row height (points) that shows ``lines`` lines of ``pt``-point text."""
    return min(MAX_ROW_HEIGHT, math.ceil(lines * pt * LINE_FACTOR + ROW_PADDING_PT))


def text_height(text: str, width: float, pt: float) -> float:
    return lines_height(text_lines(text, width, pt), pt)

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_UNLOCKED = Protection(locked=False)
_LOCKED = Protection(locked=True)

_RED = DifferentialStyle(fill=PatternFill("solid", bgColor="FF9999", fgColor="FF9999"),
                         font=Font(color="9C0006", bold=True))
_INVALID = DifferentialStyle(fill=PatternFill("solid", bgColor="FFC000", fgColor="FFC000"),
                             font=Font(color="9C0006", bold=True))
_BLANK = DifferentialStyle(fill=PatternFill("solid", bgColor="FFF2CC", fgColor="FFF2CC"))
_GREEN = DifferentialStyle(fill=PatternFill("solid", bgColor="C6EFCE", fgColor="C6EFCE"),
                           font=Font(color="006100", bold=True))


def cell_font(size: float = 11, *, bold: bool = False, name: str = FONT_BODY) -> Font:
    return Font(name=name, size=size, bold=bold, family=FONT_FAMILY, charset=FONT_CHARSET)


_font = cell_font


# ---------------------------------------------------------------------------
# Workbook construction
# ---------------------------------------------------------------------------

def _cell(ws: Worksheet, ref: str, value: Any = None, *, font: Font | None = None,
          align: Alignment | None = None, fill: PatternFill | None = None, border: bool = True) -> Any:
    c = ws[ref]
    if value is not None:
        c.value = value
    c.font = font or _font()
    c.alignment = align or _CENTER
    if fill is not None:
        c.fill = fill
    if border:
        c.border = _BORDER
    return c


def _merge(ws: Worksheet, rng: str, value: Any, *, font: Font | None = None, align: Alignment | None = None,
           fill: PatternFill | None = None, border: bool = True) -> None:
    first = rng.split(":")[0]
    _cell(ws, first, value, font=font, align=align, fill=fill, border=border)
    if ":" in rng and border:
        for row in ws[rng]:
            for c in row:
                c.border = _BORDER
    if ":" in rng:
        ws.merge_cells(rng)


def _title(ws: Worksheet, rng: str, text: str) -> None:
    _merge(ws, rng, text, font=_font(16, bold=True, name=FONT_TITLE), border=False)
    ws.row_dimensions[1].height = 30


#: The page footer, and the margins (inches) that leave it room: the footer line sits ``footer`` from the
#: paper's edge, and the table stops ``bottom`` from it, so a 10-point line fits between them.
FOOTER = "第 &P 页，共 &N 页"
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.8, "header": 0.3, "footer": 0.3}


def print_setup(ws: Worksheet, *, landscape: bool = False, title_rows: str | None = None,
                 one_page: bool = False) -> None:
    """A4, scaled to the page width (and to one page where the official table fits on one), footer 第 N 页."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = FOOTER  # type: ignore[union-attr]
    ws.oddFooter.center.size = 10  # type: ignore[union-attr]


def _widths(ws: Worksheet, widths: Mapping[str, float]) -> None:
    for col, w in widths.items():
        ws.column_dimensions[col].width = w


#: Counts, totals and amounts: General shows a number as typed — 12 as "12", 1.5 as "1.5", 0.1234 as
#: "0.1234" — in Excel, WPS and LibreOffice alike.  A format such as ``0.####`` shows "12." in Excel and
#: WPS; a fixed ``0.0000`` would round away the extra decimals the validator asks about
#: (input.precision quotes what was typed), and ``0`` would show a count of 1.5 as "2".
NUMBER_FORMAT = "General"


def _number_format(f: Field) -> str:
    if f.kind in (Kind.COUNT, Kind.TOTAL, Kind.AMOUNT):
        return NUMBER_FORMAT
    if f.kind is Kind.YEAR:
        return "0"
    if f.kind is Kind.DATE:
        return "yyyy-mm-dd"
    return "@"


def _style_field(ws: Worksheet, f: Field) -> None:
    c = ws[f.cell]
    c.border = _BORDER
    c.number_format = _number_format(f)
    if f.kind is Kind.LONGTEXT:
        c.font = _font(12, name=FONT_TEXT)
        c.alignment = _TOP_LEFT
    elif f.kind in (Kind.TEXT, Kind.CHOICE, Kind.USCC, Kind.PHONE, Kind.DATE, Kind.YEAR):
        c.font = _font(12)
        c.alignment = _LEFT
    else:
        c.font = _font(11)
        c.alignment = _CENTER
    if f.kind is Kind.TOTAL:
        c.fill = _TOTAL_FILL
        c.font = _font(11, bold=True)
        c.protection = _LOCKED
    else:
        c.fill = _INPUT_FILL
        c.protection = _UNLOCKED


def _layout_cover(ws: Worksheet, form: Form) -> None:
    _title(ws, "A1:C1", DOC_TITLE)
    _merge(ws, "A2:C2", SUBTITLE, font=_font(10), border=False)
    _cell(ws, "A3", "填报状态", font=_font(12, bold=True), fill=_HEADER_FILL)
    _cell(ws, STATUS_CELL, None, font=_font(14, bold=True, name=FONT_TITLE))
    _cell(ws, "C3", "通过＝已填完且勾稽关系正确；未填完＝还有空白格；不通过＝有错误，请看“校验”表",
          font=_font(10), align=_LEFT)
    ws.row_dimensions[3].height = 32
    for col, text in zip("ABC", ("项目", "填写内容", "填写说明"), strict=True):
        _cell(ws, f"{col}4", text, font=_font(11, bold=True), fill=_HEADER_FILL)
    for f in form.sheets[SHEET_COVER]:
        label = f.row_label + ("" if f.required else "（选填）")
        _cell(ws, f"A{f.row}", label, font=_font(12), fill=_HEADER_FILL)
        _cell(ws, f"C{f.row}", f.note, font=_font(10), align=_LEFT)
        # a name may take two lines (up to ~40 characters); the other entries one
        ws.row_dimensions[f.row].height = lines_height(2 if f.kind is Kind.TEXT else 1, 12)
    _widths(ws, {"A": 22, "B": 44, "C": 46})
    print_setup(ws)


#: The cover's subtitle: what the colours the clerk sees mean.
SUBTITLE = ("（国办公开办函〔2021〕30号格式 · 浅黄色＝必填但还没填（填好后变白色），白色＝已填或选填；"
            "灰色表头和蓝色合计自动生成，不用填）")
#: How to start a new line inside a cell, in each program.
LINE_BREAK_HINT = "格子内换行：Excel、WPS 按 Alt+Enter，LibreOffice 按 Ctrl+Enter"
NARRATIVE_WIDTH = 90  # column-width units of a narrative's cell (merged area)


def narrative_height(text: str = "") -> float:
    """Row height of a narrative cell: room for :data:`NARRATIVE_CAPACITY` characters, or for ``text`` if longer."""
    return max(text_height("字" * NARRATIVE_CAPACITY, NARRATIVE_WIDTH, 12), text_height(text, NARRATIVE_WIDTH, 12))


def _counters(ws: Worksheet, sheet: str, header_row: int, form: Form) -> None:
    col = COUNTER_COLUMNS[sheet]
    _cell(ws, f"{col}{header_row}", COUNTER_LABEL, font=_font(11, bold=True), fill=_HEADER_FILL)
    for (where, ref), formula in counter_cells(form).items():
        if where == sheet:
            _cell(ws, ref, "=" + formula, font=_font(10))
    ws.column_dimensions[col].width = 8


def _layout_overview(ws: Worksheet, form: Form) -> None:
    _title(ws, "A1:C1", N1_TITLE)
    _cell(ws, "A2", "部分", font=_font(11, bold=True), fill=_HEADER_FILL)
    _cell(ws, "B2", f"内容（直接在格子里输入；{LINE_BREAK_HINT}）", font=_font(11, bold=True), fill=_HEADER_FILL)
    for f in form.sheets[SHEET_OVERVIEW]:
        _cell(ws, f"A{f.row}", f.row_label, font=_font(12, bold=True), fill=_HEADER_FILL)
        ws.row_dimensions[f.row].height = narrative_height()
    _widths(ws, {"A": 22, "B": NARRATIVE_WIDTH})
    _counters(ws, SHEET_OVERVIEW, 2, form)
    print_setup(ws, title_rows="1:2")


def _layout_other(ws: Worksheet, form: Form) -> None:
    _title(ws, "A1:D1", f"{N5_TITLE}　{N6_TITLE}")
    _cell(ws, "A2", "部分", font=_font(11, bold=True), fill=_HEADER_FILL)
    _merge(ws, "B2:C2", f"内容（{LINE_BREAK_HINT}）", font=_font(11, bold=True), fill=_HEADER_FILL)
    fields = form.sheets[SHEET_OTHER]
    longs = [f for f in fields if f.kind is Kind.LONGTEXT]
    nums = [f for f in fields if f.kind is not Kind.LONGTEXT]
    for f in longs:
        _cell(ws, f"A{f.row}", f.row_label, font=_font(12, bold=True), fill=_HEADER_FILL)
        ws.merge_cells(f"B{f.row}:C{f.row}")
        for c in "BC":
            ws[f"{c}{f.row}"].border = _BORDER
        ws.row_dimensions[f.row].height = narrative_height()
    if nums:
        head = nums[0].row - 1
        _merge(ws, f"A{head}:D{head}", "六、其他需要报告的事项 · 信息处理费（《政府信息公开信息处理费管理办法》国办函〔2020〕109号）",
               font=_font(11, bold=True), fill=_HEADER_FILL)
        ws.row_dimensions[head].height = lines_height(1, 11)
    for f in nums:
        _cell(ws, f"A{f.row}", f.row_label.split(" · ")[-1], font=_font(12), fill=_HEADER_FILL)
        _merge(ws, f"C{f.row}:D{f.row}", f.unit, font=_font(11))
        ws.row_dimensions[f.row].height = lines_height(1, 12)
    _widths(ws, {"A": 30, "B": NARRATIVE_WIDTH - 10, "C": 10})
    _counters(ws, SHEET_OTHER, 2, form)
    print_setup(ws, title_rows="1:2")


@dataclass(frozen=True)
class _Look:
    """How a table looks on its sheet; what it holds and where comes from its layout."""

    label_widths: tuple[float, ...]
    value_width: float
    label_pt: float
    #: Height of a body row whose label fits, and of one whose label is over 20 characters.
    body_heights: tuple[float, float]
    header_height: float | None = None
    landscape: bool = False
    #: Printed on one page (the official table is one page).
    one_page: bool = False


_LOOKS = {
    "s2": _Look((26,), 20, 11, (22, 22)),
    "s3": _Look((12, 14, 46), 11, 10.5, (20, 30), landscape=True, one_page=True),
    "s4": _Look((), 10, 11, (26, 26), header_height=22, landscape=True, one_page=True),
}


def _layout_table(ws: Worksheet, table: TableLayout) -> None:
    """A table's title, unit, header and label cells as its layout has them (value cells are styled as fields)."""
    look = _LOOKS[table.key]

    def col(c: int) -> str:
        return get_column_letter(table.sheet_col(c))

    def rng(c: Cell) -> str:
        first = f"{col(c.col)}{table.sheet_row(c.row)}"
        return first if c.rowspan == c.colspan == 1 else f"{first}:{col(c.last_col)}{table.sheet_row(c.last_row)}"

    first, last = col(0), col(table.columns - 1)
    _title(ws, f"{first}1:{last}1", table.title)
    if table.unit:
        _merge(ws, f"{first}2:{last}2", f"单位：{table.unit}", font=_font(10), align=Alignment(horizontal="right"),
               border=False)
    hdr: dict[str, Any] = {"font": _font(11, bold=True), "fill": _HEADER_FILL}
    for section in table.sections:
        for cell in section.header:
            if cell.role is Role.NOTE:
                _merge(ws, rng(cell), cell.text, font=_font(10), fill=_HEADER_FILL, align=_CENTER)
            else:
                _merge(ws, rng(cell), cell.text, **hdr)
        if look.header_height is not None:
            for r in section.header_range:
                ws.row_dimensions[table.sheet_row(r)].height = look.header_height
        def label(cell: Cell, *, bold: bool = False) -> None:
            _merge(ws, rng(cell), cell.text, font=_font(look.label_pt, bold=bold),
                   align=_LEFT if cell.align == "left" else _CENTER)

        for body in section.body:
            for cell in body.cells:
                if cell.role is Role.ROW:
                    label(cell, bold=body.total)
            for v in body.values:  # a value over several columns is merged, as in the official table
                if v.colspan > 1:  # the field's cell (its name, its input) is the top-left one
                    r = table.sheet_row(v.row)
                    for c in range(v.col + 1, v.last_col + 1):
                        _cell(ws, f"{col(c)}{r}", None)
                    ws.merge_cells(f"{col(v.col)}{r}:{col(v.last_col)}{r}")
            ws.row_dimensions[table.sheet_row(body.row)].height = look.body_heights[len(body.label) > 20]
        # then the labels over several rows, outermost first
        groups = (cell for body in section.body for cell in body.cells if cell.role is Role.ROWGROUP)
        for cell in sorted(groups, key=lambda c: (c.col, c.row)):
            label(cell)
    _widths(ws, {**{col(i): w for i, w in enumerate(look.label_widths)},
                 **{col(table.label_columns + i): look.value_width for i in range(table.value_columns)}})
    (head, *more) = table.sections
    if more:  # every block has its own header: repeat only the title
        print_setup(ws, landscape=look.landscape, title_rows="1:1", one_page=look.one_page)
        return
    if table.label_columns:
        ws.freeze_panes = f"{col(table.label_columns)}{table.sheet_row(head.body[0].row)}"
    rows = head.header_range
    print_setup(ws, landscape=look.landscape, one_page=look.one_page,
                 title_rows=f"{table.sheet_row(rows.start)}:{table.sheet_row(rows.stop - 1)}")


def _layout_checks(ws: Worksheet, form: Form) -> None:
    last = CHECK_COLUMNS[-1][0]
    _title(ws, f"A1:{last}1", "校验结果（自动计算，随填随变；本表不用填写）")
    for col, text, width in CHECK_COLUMNS:
        _cell(ws, f"{col}{CHECK_HEADER_ROW}", text, font=_font(11, bold=True), fill=_HEADER_FILL)
        ws.column_dimensions[col].width = width
    for row in check_rows(form):
        r = row.row
        _cell(ws, f"A{r}", row.rule, font=_font(9))
        _cell(ws, f"B{r}", row.description, font=_font(10), align=_LEFT)
        _cell(ws, f"C{r}", "=" + row.left, font=_font(10))
        _cell(ws, f"D{r}", "=" + row.right if row.right != "0" else 0, font=_font(10))
        _cell(ws, f"E{r}", "=" + row.result, font=_font(11, bold=True))
        link = _cell(ws, f"F{r}", f"{row.anchor_sheet}!{row.anchor_cell}",
                     font=Font(name=FONT_BODY, size=10, color="0563C1", underline="single", family=FONT_FAMILY,
                               charset=FONT_CHARSET))
        link.hyperlink = Hyperlink(ref=f"F{r}", location=link_to(row.anchor_sheet, row.anchor_cell),
                                   display=f"{row.anchor_sheet}!{row.anchor_cell}")
        ws.row_dimensions[r].height = 28
    rows = check_rows(form)
    rng = f"E{rows[0].row}:E{rows[-1].row}"
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f'E{rows[0].row}="{STATUS_FAIL}"'], stopIfTrue=True,
                                                   fill=_RED.fill, font=_RED.font))
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f'E{rows[0].row}="{STATUS_INCOMPLETE}"'],
                                                   stopIfTrue=True, fill=_BLANK.fill))
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f'E{rows[0].row}="{STATUS_PASS}"'], stopIfTrue=True,
                                                   fill=_GREEN.fill, font=_GREEN.font))
    ws.freeze_panes = f"A{CHECK_FIRST_ROW}"
    print_setup(ws, title_rows=f"{CHECK_HEADER_ROW}:{CHECK_HEADER_ROW}")


def guide_paragraphs(password: str, form: Form = FORM) -> list[tuple[str, str]]:
    """The 填报说明 sheet: (style, text) where style is 'h' for a heading, 'p' for a paragraph."""
    inputs = {s: sum(1 for f in form.sheets[s] if f.is_input) for s in input_sheets(form)}
    where = "、".join(f"“{s}”（{n} 格）" for s, n in inputs.items())
    return [
        ("h", "填报说明（请先读完再填写）"),
        ("p", "本工作簿是《中华人民共和国政府信息公开工作年度报告》的电子填报表，格式依据国办公开办函〔2021〕30号。"
              "填好后按要求报送，上级机关用它自动汇总、检查，不需要再另外做表。"),
        ("h", "一、在哪里填"),
        ("p", f"需要填写的工作表是：{where}。可以输入的是浅黄色（必填、还没填）和白色（已填或选填）的格子，"
              "其他格子（标题、灰色表头、蓝色合计）已锁定，点不进去是正常的。选中（点一下）格子时会出现填写提示。"),
        ("p", f"文字较长的部分（总体情况、存在的问题、其他事项）直接在格子里写，旁边的“{COUNTER_LABEL}”格显示已写的字数。"
              f"{LINE_BREAK_HINT}。格子约能完整显示和打印 {NARRATIVE_CAPACITY} 字；写得更长时，请拖动行号下边线把这一行拉高。"),
        ("p", "合计（蓝色格子）和“（七）总计”“总计”等由公式自动计算，不用也不能填写。"),
        ("h", "二、数字怎么填"),
        ("p", "只填阿拉伯数字，不要带“件”“万元”等单位，单位已写在表头。件数填整数；行政事业性收费按“万元”填写，信息处理费按“元”填写。"),
        ("p", "【重要】没有发生的事项请填 0，不要空着。空白格会被当作“没填完”，校验不能通过。"),
        ("p", "不要插入、删除行或列，不要合并或拆分单元格，不要复制粘贴整张表到别的文件。需要复制数字时，请用“选择性粘贴—数值”。"),
        ("h", "三、颜色是什么意思"),
        ("p", "浅黄色：必填但还空着的格子。填上内容（没有的填 0）后黄色就消失。"),
        ("p", "橙色：这个格子里的内容不算数，例如填了文字（包括文本格式的数字“3”、全角的“５”、“5件”、“无”“—”）、负数，"
              "或件数带了小数。表格的合计不会把它算进去，请删除后重新输入数字。橙色优先于红色：所在的列变红时，要改的就是橙色的格子。"),
        ("p", "红色：勾稽关系不成立。依申请公开表每一列都必须满足“第一项加第二项之和，等于第三项加第四项之和”，"
              "即 本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理。某一列不相等，这一列的相关格子就会变红，改对后自动恢复。"
              "这一列还有空白格时不会变红，先把它填完。"),
        ("h", "四、怎么知道填对了"),
        ("p", "打开“封面”表，第 3 行“填报状态”会自动显示：“通过”表示已填完且没有发现错误；“未填完”表示还有空白格；"
              "“不通过”表示有错误。"),
        ("p", "“校验”表逐条列出每一项检查、左右两边的数值和结果。结果为“不通过”或“未填完”的，点击该行最后一列的蓝色链接可以直接跳到相关格子。"),
        ("p", "WPS 或 Excel 如果没有自动计算，请按 F9 重新计算。"),
        ("h", "五、报送"),
        ("p", "“填报状态”显示“通过”后保存文件（保持 .xlsx 格式，不要另存为 .xls、.et 或 PDF，不要设置打开密码），"
              "文件名建议为“年度_机关名称.xlsx”，按上级政务公开主管部门要求的方式报送电子文件；纸质报告盖章后另行报送。"),
        ("h", "六、给技术人员"),
        ("p", f"各工作表已设保护，保护密码为：{password}（由下发单位设定，可在生成模板时修改）。"
              "请不要撤销保护后改动表格结构，否则汇总程序会拒收。每个填报格都有与字段编号同名的名称（公式—名称管理器），"
              "可供其他程序读取。"),
    ]


def _layout_guide(ws: Worksheet, password: str, form: Form) -> None:
    ws.column_dimensions["A"].width = 80  # narrower than the page: LibreOffice does not scale down one wider column
    for i, (style, text) in enumerate(guide_paragraphs(password, form), start=1):
        c = ws.cell(row=i, column=1, value=text)
        if style == "h":
            c.font = _font(14 if i == 1 else 12, bold=True, name=FONT_TITLE)
            c.alignment = _LEFT
            ws.row_dimensions[i].height = 28 if i == 1 else 22
        else:
            c.font = _font(12, name=FONT_TEXT)
            c.alignment = _LEFT
    print_setup(ws)


DEFAULT_WIDTH = 8.43  # a column without a width of its own
DEFAULT_HEIGHT = 15.0


def _fit_rows(ws: Worksheet, skip: set[str]) -> None:
    """Give every row holding a label the height its wrapped text needs in Excel's units and LibreOffice's fonts.

    Rows only grow (a height set by the layout is a minimum); a label over several rows grows its last row.
    Cells in ``skip`` (the input cells, sized for what they may hold) are left alone.
    """
    def width(c1: int, c2: int) -> float:
        out = 0.0
        for c in range(c1, c2 + 1):
            letter = get_column_letter(c)
            dim = ws.column_dimensions.get(letter)  # not [letter]: that would add the column
            out += dim.width if dim is not None and dim.width else DEFAULT_WIDTH
        return out

    spans = {(r.min_row, r.min_col): (r.max_row, r.max_col) for r in ws.merged_cells.ranges}
    needs: list[tuple[int, int, float]] = []
    for row in ws.iter_rows():
        for c in row:
            if not isinstance(c.value, str) or c.value.startswith("=") or c.coordinate in skip:
                continue
            assert c.row is not None and c.column is not None
            last_row, last_col = spans.get((c.row, c.column), (c.row, c.column))
            pt = float(c.font.sz or NORMAL_SIZE)
            wrap = bool(c.alignment.wrap_text)
            lines = text_lines(c.value, width(c.column, last_col), pt) if wrap else c.value.count("\n") + 1
            needs.append((c.row, last_row, lines_height(lines, pt)))
    for first, last, need in sorted(needs, key=lambda n: n[1] - n[0]):  # single rows first
        rows = range(first, last + 1)
        have = sum(ws.row_dimensions[r].height or DEFAULT_HEIGHT for r in rows)
        if have < need:
            ws.row_dimensions[last].height = (ws.row_dimensions[last].height or DEFAULT_HEIGHT) + need - have


def _meta_items() -> list[tuple[str, str | int]]:
    values: dict[str, str | int] = {
        "template_id": TEMPLATE_ID,
        "template_version": TEMPLATE_VERSION,
        "form_version": FORM_VERSION,
        "generator": GENERATOR,
    }
    return [(k, values[k]) for k in META_CELLS]


def _layout_meta(ws: Worksheet) -> None:
    for key, value in _meta_items():
        cell = META_CELLS[key]
        row = int(cell[1:])
        ws[f"A{row}"] = key
        ws[cell] = value
    ws.sheet_state = "veryHidden"


# ---------------------------------------------------------------------------
# Data validation and conditional formatting
# ---------------------------------------------------------------------------

def _validation_spec(f: Field) -> dict[str, Any]:
    note = f.note
    if f.kind is Kind.COUNT:
        return dict(type="whole", operator="greaterThanOrEqual", formula1="0",
                    prompt=f"{note}。填非负整数，没有的填 0。", error="只能填 0 或正整数（不带单位）。")
    if f.kind is Kind.AMOUNT:
        return dict(type="decimal", operator="greaterThanOrEqual", formula1="0",
                    prompt=f"{note}。单位：{f.unit}，最多 {f.decimals} 位小数，没有的填 0。",
                    error=f"只能填不小于 0 的数字，单位为{f.unit}，不带单位文字。")
    if f.kind is Kind.YEAR:
        return dict(type="whole", operator="between", formula1=str(YEAR_MIN), formula2=str(YEAR_MAX),
                    prompt=note, error=f"请填 {YEAR_MIN} 至 {YEAR_MAX} 之间的四位年份，如 2024。")
    if f.kind is Kind.USCC:
        return dict(type="textLength", operator="equal", formula1="18",
                    prompt=note, error="统一社会信用代码应为 18 位（数字和大写字母）。")
    if f.kind is Kind.CHOICE:
        return dict(type="list", formula1='"' + ",".join(f.choices) + '"', prompt=note,
                    error="请点击格子右侧的下拉箭头，从列表中选择。")
    if f.kind is Kind.DATE:
        return dict(type="date", operator="between", formula1=f"DATE({YEAR_MIN},1,1)",
                    formula2=f"DATE({YEAR_MAX + 1},12,31)", prompt=note,
                    error="请填写日期，如 2025-01-15。")
    if f.kind is Kind.LONGTEXT:
        return dict(type="textLength", operator="lessThanOrEqual", formula1="32000",
                    prompt=note, error="内容过长（单个格子最多 32000 字），请精简。")
    if f.kind is Kind.PHONE:
        return dict(type="textLength", operator="between", formula1="5", formula2="40",
                    prompt=note, error="请填写有效的联系电话，如 0379-12345678。")
    return dict(type="textLength", operator="lessThanOrEqual", formula1="200",
                prompt=note, error="内容过长（最多 200 字）。")


def _add_validations(ws: Worksheet, fields: list[Field]) -> None:
    groups: dict[tuple[Any, ...], list[str]] = {}
    specs: dict[tuple[Any, ...], dict[str, Any]] = {}
    for f in fields:
        spec = _validation_spec(f)
        key = tuple(sorted(spec.items()))
        groups.setdefault(key, []).append(f.cell)
        specs[key] = spec
    for key, cells in groups.items():
        spec = dict(specs[key])
        prompt, error = spec.pop("prompt"), spec.pop("error")
        dv = DataValidation(allow_blank=True, showInputMessage=True, showErrorMessage=True,
                            promptTitle="填写提示", prompt=prompt[:255], errorTitle="输入有误",
                            error=error[:255], errorStyle="stop", **spec)
        dv.sqref = " ".join(cells)  # type: ignore[assignment]
        ws.add_data_validation(dv)


def _absolute(formula: str) -> str:
    return re.sub(r"(?<![A-Za-z$])([A-Z]{1,3})(\d+)\b", r"$\1$\2", formula)


def equation_cf_formula(eq: Equation, sheet: str, form: Form = FORM) -> str:
    """The conditional-formatting formula that is TRUE while ``eq`` is broken (never while a cell it adds up is blank)."""
    left, right = sum_of(eq.lhs, from_sheet=sheet, form=form), sum_of(eq.rhs, from_sheet=sheet, form=form)
    blank = blank_count((form.by_id[i] for i in inputs_of(eq.fields, form)), from_sheet=sheet)
    return f"AND({_absolute(blank)}=0,ROUND({_absolute(left)}-{_absolute(right)},{EPS_DIGITS})<>0)"


def invalid_cf_formula(kind: Kind, tl: str) -> str:
    """TRUE where a number cell holds what the 校验 sheet counts as a problem (see checksheet._invalid_formula).

    Nested IFs, so an error value or text never reaches the arithmetic (an error would switch the colour off).
    """
    limit = number_limit(kind)
    bad_number = f"OR({tl}<0,{tl}<>INT({tl}),{tl}>={limit})" if kind is Kind.COUNT else f"OR({tl}<0,{tl}>={limit})"
    return f"IF(ISNUMBER({tl}),{bad_number},IF(ISERROR({tl}),TRUE,LEN({tl})>0))"


def _add_conditional_formats(ws: Worksheet, sheet: str, form: Form) -> None:
    """Orange (not a usable number) first and final on its cell, then red (broken equation), then yellow (blank).

    The order is the priority: the cell a clerk has to fix shows orange even inside a red column.
    """
    fields = [f for f in form.sheets.get(sheet, ()) if f.kind is not Kind.CHECK]
    # 1. invalid entries
    for kind in (Kind.COUNT, Kind.AMOUNT):
        cells = [f.cell for f in fields if f.kind is kind]
        for rng in rects(cells):
            tl = rng.split(":")[0]
            ws.conditional_formatting.add(rng, FormulaRule(formula=[invalid_cf_formula(kind, tl)], stopIfTrue=True,
                                                           fill=_INVALID.fill, font=_INVALID.font))
    # 2. broken reconciliation: every cell of the equation turns red
    for eq in form.equations:
        members = [form.by_id[fid] for fid in eq.fields]
        if any(c.sheet != sheet for c in members):
            continue
        ws.conditional_formatting.add(" ".join(c.cell for c in members),
                                      FormulaRule(formula=[equation_cf_formula(eq, sheet, form)], stopIfTrue=True,
                                                  fill=_RED.fill, font=_RED.font))
    # 3. blank required inputs (as the 校验 sheet counts them)
    for numeric in (True, False):
        required = [f.cell for f in fields if f.is_input and f.required and (f.kind in NUMERIC_KINDS) is numeric]
        for rng in rects(required):
            tl = rng.split(":")[0]
            blank = f"LEN({tl})=0" if numeric else text_blank(tl)
            ws.conditional_formatting.add(rng, FormulaRule(formula=[blank], stopIfTrue=True, fill=_BLANK.fill))


def _status_formats(ws: Worksheet) -> None:
    c = STATUS_CELL
    ws.conditional_formatting.add(c, FormulaRule(formula=[f'{c}="{STATUS_FAIL}"'], fill=_RED.fill, font=_RED.font))
    ws.conditional_formatting.add(c, FormulaRule(formula=[f'{c}="{STATUS_INCOMPLETE}"'], fill=_BLANK.fill))
    ws.conditional_formatting.add(c, FormulaRule(formula=[f'{c}="{STATUS_PASS}"'], fill=_GREEN.fill,
                                                 font=_GREEN.font))


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

class TemplateValueError(XlDisclosureError, ValueError):
    """A value that cannot be written into an input cell; the message is Chinese."""


def cell_value(f: Field, value: Any) -> Any:
    """The value to store in ``f``'s cell: numbers stay numbers, dates become dates, text stays text."""
    if value is None:
        return None
    if not f.is_input:
        raise TemplateValueError(f"{f.id}（{f.label}）是自动计算的单元格，不能预填。")
    if f.kind in (Kind.COUNT, Kind.AMOUNT, Kind.YEAR):
        if isinstance(value, bool):
            raise TemplateValueError(f"{f.id}（{f.label}）应为数字，实际为 {value!r}。")
        if isinstance(value, float) and not math.isfinite(value):
            raise TemplateValueError(f"{f.id}（{f.label}）不是有效的数字：{value!r}。")
        if isinstance(value, int | float):
            return int(value) if f.kind is not Kind.AMOUNT and float(value).is_integer() else value
        return _text(value)  # the clerk / reader sees and explains odd text
    if f.kind is Kind.DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                return _text(value)
        return _text(value)
    return _text(value)


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value: Any) -> str:
    return _ILLEGAL_XML.sub("", str(value))


def _check_values(values: Mapping[str, Any] | None, form: Form = FORM) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fid, v in (values or {}).items():
        f = form.by_id.get(fid)
        if f is None:
            raise TemplateValueError(f"未知字段“{fid}”，不能写入模板。")
        cv = cell_value(f, v)
        if cv is not None:
            out[fid] = cv
    return out


def cover_values(*, year: int | None = None, agency: str | None = None, code: str | None = None,
                 agency_type: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fid, v in (("cover_year", year), ("cover_agency_name", agency), ("cover_uscc", code),
                   ("cover_agency_type", agency_type)):
        if v is not None and v != "":
            out[fid] = v
    return out


def make_workbook(*, year: int | None = None, agency: str | None = None, code: str | None = None,
                  agency_type: str | None = None, values: Mapping[str, Any] | None = None,
                  password: str = DEFAULT_PASSWORD, layout: Layout = LAYOUT) -> Workbook:
    """The complete, protected template as an openpyxl Workbook (not saved), of ``layout``'s form."""
    form = layout.form
    merged = {**dict(values or {}), **cover_values(year=year, agency=agency, code=code, agency_type=agency_type)}
    cells = _check_values(merged, form)
    wb = Workbook()
    # The Normal style's font is font 0 (openpyxl offers no public setter): 宋体, not Calibri.
    wb._fonts = IndexedList([NORMAL_FONT])  # type: ignore[attr-defined]
    wb._named_styles["Normal"].font = NORMAL_FONT  # type: ignore[attr-defined]
    wb.loaded_theme = theme_with_cjk_fonts()
    default = wb.active
    sheets: dict[str, Worksheet] = {}
    for name in SHEET_ORDER:
        sheets[name] = wb.create_sheet(name)
    if default is not None:
        wb.remove(default)

    _layout_cover(sheets[SHEET_COVER], form)
    _layout_overview(sheets[SHEET_OVERVIEW], form)
    for table in layout.tables:
        _layout_table(sheets[table.sheet], table)
    _layout_other(sheets[SHEET_OTHER], form)
    _layout_checks(sheets[SHEET_CHECKS], form)
    _layout_guide(sheets[SHEET_GUIDE], password, form)
    _layout_meta(sheets[SHEET_META])

    for name, ws in sheets.items():
        fields = [f for f in form.sheets.get(name, ()) if f.kind is not Kind.CHECK]
        for f in fields:
            _style_field(ws, f)
            if f.kind is Kind.TOTAL:
                ws[f.cell].value = "=" + total_formula(f, form)
        inputs = [f for f in fields if f.is_input]
        if inputs:
            _add_validations(ws, inputs)
        _add_conditional_formats(ws, name, form)
        if name != SHEET_META:
            ws.sheet_view.showGridLines = False
            _fit_rows(ws, {f.cell for f in inputs})
        _protect(ws, password)

    cover = sheets[STATUS_SHEET]
    cover[STATUS_CELL].value = "=" + status_formula(form)
    _status_formats(cover)

    for f in form.fields:
        if f.kind is Kind.CHECK:
            continue
        wb.defined_names[f.id] = DefinedName(f.id, attr_text=f"{quote_sheet(f.sheet)}!{_absolute(f.cell)}")

    for fid, v in cells.items():
        f = form.by_id[fid]
        c = sheets[f.sheet][f.cell]
        c.value = v
        if isinstance(v, str):
            c.data_type = "s"  # text that looks like a formula stays text
        if f.kind is Kind.LONGTEXT:
            sheets[f.sheet].row_dimensions[f.row].height = narrative_height(str(v))

    wb.security = WorkbookProtection(lockStructure=True)
    if password:
        wb.security.workbookPassword = password
    _set_properties(wb)
    wb.active = 0
    return wb


def _protect(ws: Worksheet, password: str) -> None:
    """Sheet protection.  openpyxl's flags say what is *protected*: True = the clerk may not do it."""
    p = ws.protection
    p.sheet = True
    p.objects = True  # shapes (the .xlsm's 校验 button) cannot be moved, resized or deleted
    p.scenarios = True
    p.sort = True  # no sorting: it would move the clerk's numbers between rows of the official table
    p.autoFilter = True
    p.insertRows = p.insertColumns = p.deleteRows = p.deleteColumns = True
    p.formatCells = True
    p.formatRows = False  # clerks may make narrative rows taller
    p.formatColumns = False
    if password:
        p.password = password


def _set_properties(wb: Workbook) -> None:
    p = wb.properties
    p.creator = DOC_CREATOR
    p.lastModifiedBy = DOC_CREATOR
    p.title = DOC_TITLE
    p.subject = "政府信息公开工作年度报告"
    p.created = DOC_CREATED
    p.modified = DOC_CREATED
    for key, value in _meta_items():
        wb.custom_doc_props.append(  # type: ignore[attr-defined]
            StringProperty(name=key, value=str(value)))


def build_template(path: str | Path, *, year: int | None = None, agency: str | None = None,
                   code: str | None = None, agency_type: str | None = None,
                   values: Mapping[str, Any] | None = None, password: str = DEFAULT_PASSWORD,
                   layout: Layout = LAYOUT) -> None:
    """Write the locked template (optionally pre-filled) to ``path`` atomically.

    The macro-enabled variant (.xlsm) with 校验 buttons is :func:`xl_disclosure.excel.build.build_macro_template`.
    """
    wb = make_workbook(year=year, agency=agency, code=code, agency_type=agency_type, values=values,
                       password=password, layout=layout)
    write_atomic(path, lambda tmp: wb.save(tmp))


def template_bytes(**kwargs: Any) -> bytes:
    """The template as xlsx bytes (same arguments as :func:`make_workbook`)."""
    buf = io.BytesIO()
    make_workbook(**kwargs).save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Fast filling: patch input cells in the saved XML
# ---------------------------------------------------------------------------

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class TemplateFiller:
    """Fill many copies of one blank template quickly by patching worksheet XML.

    The blank template is built once; each input cell is stored by openpyxl as an
    empty styled element (``<c r="B5" s="7"/>``), which is replaced by the same
    element carrying the value (inline string for text, number otherwise).
    """

    def __init__(self, password: str = DEFAULT_PASSWORD) -> None:
        self.password = password
        self._blank = template_bytes(password=password)
        with zipfile.ZipFile(io.BytesIO(self._blank)) as zf:
            self._infos = zf.infolist()
            self._members = {i.filename: zf.read(i.filename) for i in self._infos}
            parts = _sheet_part_names(zf)
        self._parts = parts  # sheet name -> member name
        self._epoch = dt.date(1899, 12, 30)

    def fill(self, values: Mapping[str, Any]) -> bytes:
        cells = _check_values(values)
        by_part: dict[str, dict[str, Any]] = {}
        heights: dict[str, dict[int, float]] = {}
        for fid, v in cells.items():
            f = FORM.by_id[fid]
            by_part.setdefault(self._parts[f.sheet], {})[f.cell] = v
            if f.kind is Kind.LONGTEXT:  # as make_workbook: a long narrative's row grows
                heights.setdefault(self._parts[f.sheet], {})[f.row] = narrative_height(str(v))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self._infos:
                data = self._members[info.filename]
                patch = by_part.get(info.filename)
                if patch:
                    data = self._patch(data, patch, info.filename)
                    data = _patch_heights(data, heights.get(info.filename, {}), info.filename)
                out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        return buf.getvalue()

    def write(self, path: str | Path, values: Mapping[str, Any]) -> None:
        data = self.fill(values)
        write_atomic(path, lambda tmp: tmp.write_bytes(data))

    def _patch(self, xml: bytes, patch: Mapping[str, Any], part: str) -> bytes:
        text = xml.decode("utf-8")
        for ref, value in patch.items():
            pattern = re.compile(rf'<c r="{ref}"( s="\d+")?(?: t="n")?\s*(?:/>|></c>)')
            m = pattern.search(text)
            if m is None:  # pragma: no cover - guards against an openpyxl change
                raise RuntimeError(f"template cell {ref} not found empty in {part}")
            style = m.group(1) or ""
            text = text[:m.start()] + self._cell_xml(ref, style, value) + text[m.end():]
        return text.encode("utf-8")

    def _cell_xml(self, ref: str, style: str, value: Any) -> str:
        if isinstance(value, dt.date):
            value = (value - self._epoch).days
        if isinstance(value, bool):  # pragma: no cover - rejected by cell_value
            value = str(value)
        if isinstance(value, int | float):
            return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
        escaped = xml_escape(str(value))
        space = ' xml:space="preserve"' if escaped != escaped.strip() or "\n" in escaped else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def _patch_heights(xml: bytes, heights: Mapping[int, float], part: str) -> bytes:
    """The sheet XML with the given rows' heights (rows the blank template gives a height of their own)."""
    text = xml.decode("utf-8")
    for row, height in heights.items():
        pattern = re.compile(rf'(<row r="{row}"[^>]*? ht=")[^"]*(")')
        text, n = pattern.subn(rf"\g<1>{height:g}\g<2>", text, count=1)
        if n != 1:  # pragma: no cover - guards against an openpyxl change
            raise RuntimeError(f"template row {row} has no height in {part}")
    return text.encode("utf-8")


def _sheet_part_names(zf: zipfile.ZipFile) -> dict[str, str]:
    import posixpath
    import xml.etree.ElementTree as ET  # our own bytes, not untrusted input

    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    pkg_ns = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{pkg_ns}Relationship"):
        t = rel.get("Target", "")
        targets[rel.get("Id")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
    return {s.get("name", ""): targets[s.get(f"{rel_ns}id")] for s in book.iter(f"{{{_NS_MAIN}}}sheet")}


def fill_values(report: Report, form: Form = FORM) -> dict[str, Any]:
    """The input values of a report, ready to write into the template."""
    return {f.id: report.values.get(f.id) for f in form.inputs if report.values.get(f.id) is not None}
