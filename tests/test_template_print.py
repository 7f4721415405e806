"""How the template displays and prints: fonts, row heights, margins, page fit, merges, number formats,
protection; and, in LibreOffice, that table 三 prints on one page and no narrative is cut off."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries
from tests.print_helpers import checked_macro_workbook, page_count, pdf_text, seed_workbook, sheet_pdfs

from xl_disclosure.form import FORM, SHEET_OTHER, SHEET_OVERVIEW, SHEET_S2, SHEET_S3, SHEET_S4, Kind
from xl_disclosure.form.checksheet import COUNTER_COLUMNS, COUNTER_LABEL, counter_cells
from xl_disclosure.form.layout import LAYOUT
from xl_disclosure.model.samples import seed_report
from xl_disclosure.readers.workbook import read_workbook
from xl_disclosure.writers.results_sheet import RESULTS_HEADER_ROW, RESULTS_SHEET
from xl_disclosure.writers.template import (
    LINE_BREAK_HINT,
    NARRATIVE_CAPACITY,
    NARRATIVE_WIDTH,
    SUBTITLE,
    TemplateFiller,
    build_template,
    fill_values,
    lines_height,
    text_height,
    text_lines,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SEED_N5 = seed_report().values["n5_problems"]


def visible(wb):
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


# ---------------------------------------------------------------------------
# The text-fitting model itself
# ---------------------------------------------------------------------------

def test_line_model_counts_wide_and_narrow_characters():
    # 90 units = 720 px; 12 pt = 16 px per CJK character: 40 characters (with the wrap slack) on a line
    assert text_lines("字" * 40, 90, 12) == 1
    assert text_lines("字" * 41, 90, 12) == 2
    assert text_lines("1" * 60, 90, 12) == 1  # digits are half as wide
    assert text_lines("甲\n乙\n丙", 90, 12) == 3  # every line break starts a line
    assert lines_height(2, 11) > 2 * 11 * 1.3  # more than SimSun needs in Excel
    assert text_height("字" * 100_000, 90, 12) == 409  # Excel's largest row


# ---------------------------------------------------------------------------
# Properties in the file
# ---------------------------------------------------------------------------

def test_normal_font_is_a_cjk_font_named_in_styles_and_theme(blank):
    with zipfile.ZipFile(blank) as zf:
        styles = zf.read("xl/styles.xml").decode("utf-8")
        theme = zf.read("xl/theme/theme1.xml").decode("utf-8")
    normal = re.search(r"<fonts[^>]*><font>(.*?)</font>", styles).group(1)
    assert '<name val="宋体"/>' in normal and '<charset val="134"/>' in normal and '<scheme val="minor"/>' in normal
    minor = re.search(r"<a:minorFont>(.*?)</a:minorFont>", theme, re.S).group(1)
    assert '<a:latin typeface="宋体"/>' in minor and '<a:ea typeface="宋体"/>' in minor
    assert '<a:font script="Hans" typeface="宋体"/>' in minor
    assert "Calibri" not in styles


def test_every_font_is_marked_gb2312(wb):
    for ws in visible(wb):
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None and c.has_style:
                    assert c.font.charset == 134, (ws.title, c.coordinate, c.font.name)


def test_every_used_row_has_its_own_height(wb):
    for ws in visible(wb):
        for r in range(1, ws.max_row + 1):
            if any(c.value is not None for c in ws[r]):
                dim = ws.row_dimensions[r]
                assert dim.height and dim.customHeight, (ws.title, r)


def _width(ws, c1: int, c2: int) -> float:
    return sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width or 8.43 for c in range(c1, c2 + 1))


def test_wrapped_labels_have_the_rows_they_need(wb):
    for ws in visible(wb):
        spans = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or c.value.startswith("=") or not c.alignment.wrap_text:
                    continue
                rng = spans.get((c.row, c.column))
                c1, r1, c2, r2 = range_boundaries(rng.coord) if rng else (c.column, c.row, c.column, c.row)
                have = sum(ws.row_dimensions[r].height for r in range(r1, r2 + 1))
                need = text_height(c.value, _width(ws, c1, c2), c.font.sz)
                assert have >= need, (ws.title, c.coordinate, c.value[:20], have, need)


def test_table3_two_line_headers_do_not_overprint(wb):
    ws = wb[SHEET_S3]
    assert ws["E4"].value == "法人或其他组织" and ws["G5"].value == "社会公益组织"
    # 社会公益组织 / 法律服务机构 wrap to two lines in Excel's 宋体 at this width: their row is two lines high
    assert text_lines("社会公益组织", ws.column_dimensions["G"].width, 11) == 2
    assert ws.row_dimensions[5].height >= lines_height(2, 11)
    assert ws.row_dimensions[4].height >= lines_height(1, 11)


def test_footer_has_room_and_table3_fits_one_landscape_page(wb):
    for ws in visible(wb):
        m = ws.page_margins
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页", ws.title
        assert m.footer >= 0.2 and m.bottom - m.footer >= 0.4, ws.title  # a 10-pt line is 0.14 in
        assert m.header < m.top
    for sheet in (SHEET_S3, SHEET_S4):
        ws = wb[sheet]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1), sheet


def test_narratives_hold_the_longest_real_section(wb):
    assert 450 < len(SEED_N5) < NARRATIVE_CAPACITY
    for f in FORM.fields:
        if f.kind is not Kind.LONGTEXT:
            continue
        ws = wb[f.sheet]
        c = ws[f.cell]
        assert c.alignment.wrap_text and c.alignment.vertical == "top", f.id
        span = next((r for r in ws.merged_cells.ranges if r.min_row == f.row and r.min_col == c.column), None)
        c1, _, c2, _ = range_boundaries(span.coord) if span else (c.column, 0, c.column, 0)
        assert _width(ws, c1, c2) >= NARRATIVE_WIDTH, f.id
        height = ws.row_dimensions[f.row].height
        assert height >= text_height(SEED_N5, NARRATIVE_WIDTH, c.font.sz), f.id
        assert height >= text_height("字" * NARRATIVE_CAPACITY, NARRATIVE_WIDTH, c.font.sz), f.id


def test_a_prefilled_longer_narrative_gets_a_taller_row(tmp_path):
    long = "长" * 900
    path = tmp_path / "long.xlsx"
    build_template(path, values={"n5_problems": long})
    ws = openpyxl.load_workbook(path)[SHEET_OTHER]
    assert ws.row_dimensions[3].height >= text_height(long, NARRATIVE_WIDTH, 12) > text_height("字" * 600, 90, 12)


def test_fast_filler_grows_a_long_narrative_row_as_well(tmp_path):
    values = {"n5_problems": "长" * 900, "n1_proactive": "短"}
    (tmp_path / "fast.xlsx").write_bytes(TemplateFiller().fill(values))
    build_template(tmp_path / "slow.xlsx", values=values)
    fast, slow = (openpyxl.load_workbook(tmp_path / f"{n}.xlsx") for n in ("fast", "slow"))
    for ws in slow.worksheets:
        heights = {r: d.height for r, d in ws.row_dimensions.items()}
        assert {r: d.height for r, d in fast[ws.title].row_dimensions.items()} == heights, ws.title
    assert slow[SHEET_OTHER].row_dimensions[3].height > slow[SHEET_OVERVIEW].row_dimensions[3].height


def test_character_count_beside_every_narrative(wb):
    cells = counter_cells()
    assert len(cells) == sum(1 for f in FORM.fields if f.kind is Kind.LONGTEXT)
    for sheet, col in COUNTER_COLUMNS.items():
        assert wb[sheet][f"{col}2"].value == COUNTER_LABEL
    for (sheet, ref), formula in cells.items():
        assert wb[sheet][ref].value == "=" + formula and wb[sheet][ref].protection.locked
        target = re.fullmatch(r"LEN\(([A-Z]+\d+)\)", formula).group(1)
        field = FORM.field_at(sheet, target)
        assert field is not None and field.kind is Kind.LONGTEXT and field.row == int(ref[1:])


def test_no_number_format_can_show_a_trailing_dot(wb):
    for f in FORM.fields:
        if f.kind in (Kind.COUNT, Kind.AMOUNT, Kind.TOTAL):
            fmt = wb[f.sheet][f.cell].number_format
            assert fmt == "General", (f.id, fmt)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert not re.search(r"\.#", c.number_format), (ws.title, c.coordinate, c.number_format)


def test_table2_values_merged_across_the_three_columns(wb, tmp_path):
    ws = wb[SHEET_S2]
    merged = {str(r) for r in ws.merged_cells.ranges}
    wide = [v for v in LAYOUT.s2.values() if v.colspan > 1]
    assert {FORM.by_id[v.field].id for v in wide} == {"s2_licensing_decisions", "s2_penalty_decisions",
                                                      "s2_enforcement_decisions", "s2_fees_amount"}
    for v in wide:
        f = FORM.by_id[v.field]
        assert f"{f.cell}:D{f.row}" in merged, f.id
        (sheet, ref), = wb.defined_names[f.id].destinations
        assert (sheet, ref.replace("$", "")) == (SHEET_S2, f.cell)  # the name and the input are the top-left cell
        assert not ws[f.cell].protection.locked
    # a filled workbook reads back the same through the merged cells
    path = tmp_path / "seed.xlsx"
    report = seed_report()
    build_template(path, values=fill_values(report))
    got = read_workbook(path).report.values
    assert all(got[v.field] == report.values[v.field] for v in wide)


def test_protection_flags(wb):
    for ws in wb.worksheets:
        p = ws.protection
        # openpyxl's flags say what is protected: True = not allowed while the sheet is protected
        assert p.sheet and p.objects and p.sort and p.autoFilter, ws.title
        assert p.insertRows and p.deleteRows and p.insertColumns and p.deleteColumns, ws.title
        assert not p.formatRows and not p.formatColumns, ws.title  # rows may be made taller


def test_prompts_say_what_the_clerk_sees(wb):
    cover = wb["封面"]
    assert cover["A2"].value == SUBTITLE and "浅黄色" in SUBTITLE and "还没填" in SUBTITLE
    assert "Ctrl+Enter" in LINE_BREAK_HINT and "Alt+Enter" in LINE_BREAK_HINT
    assert LINE_BREAK_HINT in wb[SHEET_OVERVIEW]["B2"].value and LINE_BREAK_HINT in wb[SHEET_OTHER]["B2"].value
    guide = " ".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)
    assert "浅黄色" in guide and "选中" in guide and "鼠标停在" not in guide  # a data-validation prompt needs a click


# ---------------------------------------------------------------------------
# In LibreOffice
# ---------------------------------------------------------------------------

def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _content(pdf: Path, sheet: str) -> str:
    """The PDF's text without whitespace and without the row labels (which the text extraction
    interleaves with the lines of the narrative beside them)."""
    text = _squeeze(pdf_text(pdf))
    for label in sorted({f.row_label for f in FORM.sheets[sheet]}, key=len, reverse=True):
        text = text.replace(_squeeze(label), "")
    return text


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    sheets = [SHEET_S3, SHEET_S4, SHEET_OVERVIEW, SHEET_OTHER]
    return sheet_pdfs(seed_workbook, sheets, tmp_path_factory.mktemp("pdf"))


@pytest.mark.libreoffice
def test_libreoffice_prints_tables_3_and_4_on_one_page(printed):
    assert page_count(printed[SHEET_S3]) == 1
    assert page_count(printed[SHEET_S4]) == 1
    text = pdf_text(printed[SHEET_S3])
    assert "第 1 页，共 1 页" in text
    assert "社会公益组织" in text and "法律服务机构" in text and "法人或其他组织" in text


@pytest.mark.libreoffice
def test_libreoffice_prints_every_narrative_whole(printed):
    report = seed_report()
    other = _content(printed[SHEET_OTHER], SHEET_OTHER)
    assert _squeeze(SEED_N5) in other
    assert _squeeze(report.values["n6_other"]) in other
    overview = _content(printed[SHEET_OVERVIEW], SHEET_OVERVIEW)
    for f in FORM.sheets[SHEET_OVERVIEW]:
        assert _squeeze(report.values[f.id]) in overview, f.id
    assert str(len(SEED_N5)) in other  # the 字数 cell, computed by the engine


@pytest.mark.libreoffice
def test_libreoffice_prints_the_buttons_findings_whole(tmp_path):
    wb = checked_macro_workbook()
    messages = [str(row[3].value) for row in wb[RESULTS_SHEET].iter_rows(min_row=RESULTS_HEADER_ROW + 1)
                if row[3].value]
    assert len(messages) == 3
    pdf = sheet_pdfs(checked_macro_workbook, [RESULTS_SHEET], tmp_path)[RESULTS_SHEET]
    assert page_count(pdf) == 1
    text = _squeeze(pdf_text(pdf))
    for message in messages:
        assert _squeeze(message) in text, message
