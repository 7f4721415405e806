"""Published reports in PDF: two real reports read cell by cell, the same without rulings, refusals, round trip.

The expected numbers of the two real reports were read by hand from their rendered
pages (tests/pdf_helpers.py), not produced by the code under test.
"""

from __future__ import annotations

import re
import shutil
import zlib
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from click.testing import CliRunner
from tests.hostile.published_cases import pdf_file

from pdf_helpers import DATA, EXPECTED, H2023, H2024, S3_COLS, strip_rulings
from xl_disclosure.api import validate_file
from xl_disclosure.cli.main import cli
from xl_disclosure.form import s3_id
from xl_disclosure.readers.pdf import GARBLED_MESSAGE, MAX_PAGES, SCAN_MESSAGE, garbled, pdf_lines, read_pages
from xl_disclosure.readers.published import TABLE_FIELDS, ParseError, find_sections, parse_number, validate_parsed
from xl_disclosure.readers.published_file import parse_file, validate_published


def assert_cells(path: Path, want: dict[str, int | float | None]) -> None:
    result = parse_file(path)
    got = {fid: result.report.values.get(fid) for fid in TABLE_FIELDS}
    wrong = {fid: (want[fid], got[fid]) for fid in TABLE_FIELDS if got[fid] != want[fid]}
    assert not wrong, f"{len(wrong)} cells differ (hand-read, parsed): {dict(list(wrong.items())[:8])}"
    for fid, v in want.items():
        if v is None:
            assert fid in result.coverage.missing, fid


# ---------------------------------------------------------------------------
# The real reports, cell by cell
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_report_every_cell(name: str) -> None:
    assert_cells(DATA / name, EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_report_without_rulings_reads_the_same(name: str, tmp_path: Path) -> None:
    bare = strip_rulings(DATA / name, tmp_path / name)
    assert not any(line.positional for line in pdf_lines(bare))  # really no grid left
    assert_cells(bare, EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_single_other_row_is_not_read_as_its_sub_rows(name: str) -> None:
    result = parse_file(DATA / name)
    for sub in ("other_no_correction", "other_unpaid", "other_misc"):
        for col in S3_COLS:
            assert result.report.values[s3_id(sub, col)] is None
            assert s3_id(sub, col) in result.coverage.missing
    # reported once, as the format finding for a group printed as one row, not as an unknown row
    assert [f["rule"] for f in result.format_findings if "“（六）其他处理”只印了一行" in f["message"]] == ["format.rows"]
    assert not any("（六）其他处理" in w for w in result.warnings)
    # the altered label is read as the one row it can be, and reported
    assert "表三中“2.其他法律行政止公开”与表格行“2.其他法律行政法规禁止公开”不完全一致，按该行读取（只有这一行与之相符）；请核对标签。" \
        in result.warnings


def test_2023_wrong_totals_of_table_four_are_errors() -> None:
    result = validate_published(H2023)
    totals = {f.field: f for f in result.findings if f.rule == "s4.total"}
    assert set(totals) == {"s4_reconsideration_total", "s4_suit_after_total"}
    assert (totals["s4_reconsideration_total"].expected, totals["s4_reconsideration_total"].actual) == (11, 0)
    assert (totals["s4_suit_after_total"].expected, totals["s4_suit_after_total"].actual) == (5, 0)


def test_2024_tables_add_up() -> None:
    result = validate_published(H2024)
    assert not [f for f in result.findings if f.rule.startswith(("s3.", "s4.", "s2."))], result.findings


def test_wrapped_row_label_is_one_row() -> None:
    """2024 （五）5: “5.要求行政机关确认或重 新出具” / “已获取信息” in one cell, the numbers beside it."""
    rows = [line for line in pdf_lines(H2024) if line.positional and "已获取信息" in line.text]
    assert len(rows) == 1
    assert rows[0].cells[0][1].endswith("5.要求行政机关确认或重新出具已获取信息")
    assert [t for _, t in rows[0].cells[1:]] == ["0"] * 7
    # the two-line label of （二）部分公开 likewise
    partial = [line for line in pdf_lines(H2024) if "部分公开" in line.text]
    assert len(partial) == 1 and "计其他情形" in partial[0].text and partial[0].cells[-1] == (9, "9")


def test_cover_sections_and_narratives() -> None:
    for path, agency, year in ((H2023, "洪泽区人民政府", 2023), (H2024, "淮安市洪泽区人民政府", 2024)):
        lines = pdf_lines(path)
        assert set(find_sections(lines)) == {"一", "二", "三", "四", "五", "六"}
        result = parse_file(path)
        v = result.report.values
        assert (v["cover_agency_name"], v["cover_year"]) == (agency, year)
        assert str(v["n5_problems"]).startswith(f"{year}年")
        assert "信息处理费0元" in str(v["n6_other"])
    # a paragraph broken by the page break is one paragraph
    management = str(parse_file(H2023).report.values["n1_management"])
    assert "严格执行“分级审核、先审后发”程序" in management


def test_pages_and_line_numbers() -> None:
    lines = pdf_lines(H2023)
    assert all(line.page is not None and line.line_no is not None for line in lines)
    assert not any(re.fullmatch(r"[-—\s]*\d+[-—\s]*", line.text) for line in lines)  # page numbers dropped
    heading = next(line for line in lines if line.text == "四、政府信息公开行政复议、行政诉讼情况")
    assert heading.page == 4
    s3_rows = [line for line in lines if line.positional and "本年新收" in line.text]
    next_year = [line for line in lines if line.positional and "结转下年度" in line.text]
    assert (s3_rows[0].page, next_year[0].page) == (3, 4)
    assert s3_rows[0].table == next_year[0].table  # one table across the page break
    per_page: dict[int, list[int]] = {}
    for line in lines:
        assert line.page is not None and line.line_no is not None
        per_page.setdefault(line.page, []).append(line.line_no)
    assert all(nums == list(range(1, len(nums) + 1)) for nums in per_page.values())


# ---------------------------------------------------------------------------
# Provenance: the page and line of every number read
# ---------------------------------------------------------------------------

#: Pages of some rows, read from the rendered pages: table 三 starts on page 3 and ends on page 4.
PAGES_2024 = {"s2_licensing_decisions": 2, "s3_new_total": 3, "s3_results_total_total": 4,
              "s4_reconsideration_total": 4}


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "text-only"])
def test_sources_name_the_page_and_line_of_each_number(ruled: bool, tmp_path: Path) -> None:
    path = H2024 if ruled else strip_rulings(H2024, tmp_path / "bare.pdf")
    result = parse_file(path)
    at = {(line.page, line.line_no): line for line in pdf_lines(path)}
    read = [fid for fid in TABLE_FIELDS if result.report.values[fid] is not None]
    assert len(read) == sum(v is not None for v in EXPECTED[H2024.name].values())
    assert set(read) <= set(result.sources)
    for fid in read:
        src = result.sources[fid]
        line = at[(src["page"], src["line"])]  # a line of the document, on that page ...
        assert src["excerpt"].rstrip("…") in " ".join(line.text.split())
        assert result.report.values[fid] in [parse_number(t)[1] for _, t in line.cells]  # ... holding the number
        assert ("table" in src) is ruled and ("column" in src) is ruled
    assert {fid: result.sources[fid]["page"] for fid in PAGES_2024} == PAGES_2024
    if ruled:  # one table across the page break: rows counted on from page 3
        first, last = result.sources["s3_new_total"], result.sources["s3_results_total_total"]
        assert first["table"] == last["table"] and first["row"] < last["row"]
        assert first["column"] == last["column"] == 10


def test_format_finding_names_its_page() -> None:
    result = validate_published(H2024)
    (rows,) = [f for f in result.findings if f.rule == "format.rows"]
    src = next(f["source"] for f in parse_file(H2024).format_findings if f["rule"] == "format.rows")
    assert src["page"] == 4
    assert rows.message.endswith(f"（第 4 页第 {src['line']} 行，第 {src['table']} 个表格第 {src['row']} 行："
                                 f"“（六）其他处理 0 0 0 0 0 0 0”）")


def test_cli_explain_shows_page_and_line() -> None:
    run = CliRunner().invoke(cli, ["parse", str(H2024), "--explain"], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    rows = {line.split()[0]: line for line in run.stdout.splitlines() if line.strip()}
    sources = parse_file(H2024).sources
    s2, s3 = sources["s2_licensing_decisions"], sources["s3_results_total_total"]
    assert re.search(rf" 9487 +第 2 页第 {s2['line']} 行，第 {s2['table']} 个表格第 {s2['row']} 行第 2 列：“行政许可 9487”$",
                     rows["s2_licensing_decisions"])
    assert re.search(rf" 95 +第 4 页第 {s3['line']} 行，第 {s3['table']} 个表格第 {s3['row']} 行第 10 列：“（七）总计 95 0 ",
                     rows["s3_results_total_total"])
    assert re.search(r" （未读出） +表三“（六）其他处理”只有一行，没有分列 3 个细项$", rows["s3_other_misc_total"])


def test_cli_parse_validate_pdf(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["parse", str(H2023), "--validate", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # the published totals are wrong
    assert "表二 10/10，表三 154/175，表四 15/15" in result.output
    assert "行政复议 · 总计：总计应为 11" in result.output
    vr = validate_file(H2024)
    assert vr.readable and vr.report is not None
    assert vr.report.values["s2_licensing_decisions"] == 9487


# ---------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------

def _refused(path: Path) -> str:
    with pytest.raises(ParseError) as info:
        parse_file(path)
    msg = str(info.value)
    assert msg.startswith(str(path)), msg
    vr = validate_file(path)
    assert not vr.readable and vr.read_error == msg
    return msg


def test_scan_without_text_layer(tmp_path: Path) -> None:
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    bitmap = pdfium.PdfBitmap.new_native(200, 100, pdfium_c.FPDFBitmap_BGRA)
    bitmap.fill_rect((40, 40, 40, 255), 20, 20, 160, 20)  # a dark bar where text would be
    image = pdfium.PdfImage.new(doc)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(400, 200).translate(100, 500))
    page.insert_obj(image)
    page.gen_content()
    doc.save(str(tmp_path / "scan.pdf"))
    assert SCAN_MESSAGE in _refused(tmp_path / "scan.pdf")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fonts_without_a_text_map_are_refused_as_garbage(name: str, tmp_path: Path) -> None:
    """The real WPS export with its fonts' ToUnicode maps taken out, as older PDF writers make them: PDFium's
    text is then Sinhala, Arabic, Thai letters and control codes (what a reader who copies it gets), never read."""
    writer = pypdf.PdfWriter(clone_from=str(DATA / name))
    removed = 0
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/ToUnicode" in font:
                del font["/ToUnicode"]
                removed += 1
    target = tmp_path / name
    with target.open("wb") as fh:
        writer.write(fh)
    assert removed
    assert GARBLED_MESSAGE in _refused(target)


def test_the_real_pdfs_are_not_garbage() -> None:
    for path in sorted(DATA.glob("*.pdf")) + sorted((DATA / "real").rglob("*.pdf")):
        assert not garbled(c.text for p in read_pages(path) for c in p.chars), path.name
    assert garbled("ᆹᐲ४Ӫ᭯ᓌ" * 10) and not garbled("行政规范性文件 0 5 5 ①—“” ％" * 10)


def test_encrypted(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=str(H2024))
    writer.encrypt(user_password="secret", owner_password="owner")
    target = tmp_path / "locked.pdf"
    with target.open("wb") as fh:
        writer.write(fh)
    assert "已加密" in _refused(target)


def test_owner_password_only_is_read(tmp_path: Path) -> None:
    """Restrictions without an open password (common on official sites) do not stop reading."""
    writer = pypdf.PdfWriter(clone_from=str(H2024))
    writer.encrypt(user_password="", owner_password="owner")
    target = tmp_path / "restricted.pdf"
    with target.open("wb") as fh:
        writer.write(fh)
    assert parse_file(target).report.values["s2_licensing_decisions"] == 9487


def test_truncated_and_not_a_pdf(tmp_path: Path) -> None:
    data = H2023.read_bytes()
    (tmp_path / "half.pdf").write_bytes(data[: len(data) // 2])
    assert "不完整" in _refused(tmp_path / "half.pdf")
    (tmp_path / "page.pdf").write_text("<html><body>404</body></html>", encoding="utf-8")
    assert "不是 PDF" in _refused(tmp_path / "page.pdf")
    # a PDF header and end marker around garbage
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 500 + b"\n%%EOF\n")
    assert "已损坏" in _refused(tmp_path / "broken.pdf")


def test_too_many_pages_refused_before_reading(tmp_path: Path) -> None:
    doc = pdfium.PdfDocument.new()
    for _ in range(MAX_PAGES + 1):
        doc.new_page(595, 842)
    doc.save(str(tmp_path / "long.pdf"))
    assert f"共 {MAX_PAGES + 1} 页" in _refused(tmp_path / "long.pdf")


# ---------------------------------------------------------------------------
# Our own report, printed to PDF by LibreOffice, reads back to its numbers
# ---------------------------------------------------------------------------

@pytest.mark.libreoffice
def test_rendered_report_printed_to_pdf_parses_back(tmp_path: Path) -> None:
    from render_helpers import distinct_report, soffice_pdf
    from xl_disclosure.writers.render import render_report

    assert shutil.which("soffice") or shutil.which("libreoffice")
    report = distinct_report(11)
    (pdf,) = soffice_pdf([render_report(report, tmp_path / "report.docx")], tmp_path)
    result = parse_file(pdf)
    assert result.coverage.complete, result.coverage.missing
    assert result.warnings == []
    want = report.with_totals().values
    wrong = {fid: (want[fid], result.report.values[fid]) for fid in TABLE_FIELDS
             if result.report.values[fid] != want[fid]}
    assert not wrong, dict(list(wrong.items())[:8])
    assert result.report.values["cover_agency_name"] == report.agency


def _one_page_pdf(content: bytes) -> bytes:
    """A minimal PDF whose single page draws ``content`` (Flate-compressed)."""
    body = zlib.compress(content, 9)
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                     b"/Resources << /Font << /F1 5 0 R >> >> >>",
                     b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
                     b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def test_decompression_bomb_refused_before_parsing(tmp_path: Path) -> None:
    small = tmp_path / "hello.pdf"
    small.write_bytes(_one_page_pdf(b"BT /F1 12 Tf 100 700 Td (Hello 2024) Tj ET"))
    assert [line.text for line in pdf_lines(small)] == ["Hello 2024"]  # the writer makes a readable PDF
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_one_page_pdf(b"BT /F1 1 Tf " + b"(x) Tj " * 8_000_000 + b"ET"))  # 56 MB of text drawing
    assert bomb.stat().st_size < 200_000
    assert "异常庞大" in _refused(bomb)
    dense = tmp_path / "dense.pdf"
    dense.write_bytes(_one_page_pdf(b"BT /F1 1 Tf " + b"(x) Tj " * 100_000 + b"ET"))  # under the size cap
    assert "个字符，超过每页" in _refused(dense)


# ---------------------------------------------------------------------------
# A browser's print-to-PDF: two reports' table 三 side by side, rulings inside Form XObjects
# ---------------------------------------------------------------------------

#: Pages 8–9 of a real PDF printed by headless Chrome (Skia): 宿迁市's 2023 and 2024 table 三 side by side,
#: continued over the page break with the header repeated (see real/SOURCES.md).
SUQIAN = DATA / "real" / "suqian-2023-vs-2024-comparison-table3.pdf"
#: Both tables as printed (left: 2023, right: 2024), read by hand from the rendered pages; in each, every
#: row adds up to its 总计, every column adds up to （七）总计, and 一 + 二 = （七） + 四.
SUQIAN_ROWS = {
    "new": ([3402, 99, 0, 4, 5, 1, 3511], [3440, 75, 0, 1, 6, 3, 3525]),
    "carried": ([91, 3, 0, 0, 2, 0, 96], [118, 3, 0, 0, 0, 0, 121]),
    "open": ([1175, 12, 0, 3, 1, 0, 1191], [1408, 21, 0, 0, 2, 0, 1431]),
    "partial": ([319, 7, 0, 0, 2, 0, 328], [462, 9, 0, 0, 0, 0, 471]),
    "deny_secret": ([0, 0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0, 2]),
    "deny_law": ([27, 0, 0, 0, 0, 0, 27], [1, 0, 0, 0, 0, 0, 1]),
    "deny_safety": ([6, 0, 0, 0, 0, 0, 6], [4, 0, 0, 0, 0, 0, 4]),
    "deny_third_party": ([38, 0, 0, 0, 0, 0, 38], [16, 1, 0, 0, 0, 0, 17]),
    "deny_internal": ([20, 0, 0, 0, 0, 0, 20], [21, 0, 0, 0, 0, 0, 21]),
    "deny_process": ([9, 0, 0, 0, 0, 0, 9], [10, 1, 0, 0, 0, 0, 11]),
    "deny_enforcement": ([21, 0, 0, 0, 0, 0, 21], [21, 2, 0, 0, 0, 0, 23]),
    "deny_query": ([20, 1, 0, 0, 0, 0, 21], [13, 0, 0, 0, 0, 0, 13]),
    "unable_not_held": ([968, 74, 0, 1, 3, 1, 1047], [859, 33, 0, 0, 3, 2, 897]),
    "unable_needs_making": ([26, 2, 0, 0, 0, 0, 28], [35, 1, 0, 0, 0, 0, 36]),
    "unable_unclear": ([3, 0, 0, 0, 0, 0, 3], [8, 0, 0, 0, 0, 0, 8]),
    "reject_petition": ([305, 0, 0, 0, 0, 0, 305], [86, 1, 0, 0, 0, 0, 87]),
    "reject_repeat": ([39, 0, 0, 0, 0, 0, 39], [26, 1, 0, 0, 0, 0, 27]),
    "reject_publication": ([0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]),
    "reject_massive": ([58, 0, 0, 0, 0, 0, 58], [3, 0, 0, 0, 0, 0, 3]),
    "reject_confirm": ([4, 0, 0, 0, 0, 0, 4], [0, 0, 0, 0, 0, 0, 0]),
    "other_no_correction": ([40, 0, 0, 0, 0, 0, 40], [75, 1, 0, 1, 0, 0, 77]),  # printed “1.逾期不补正”
    "other_unpaid": ([10, 0, 0, 0, 0, 0, 10], [38, 0, 0, 0, 0, 0, 38]),  # printed “2.逾期不缴费”
    "other_misc": ([287, 3, 0, 0, 1, 0, 291], [352, 2, 0, 0, 0, 0, 354]),
    "results_total": ([3375, 99, 0, 4, 7, 1, 3486], [3440, 73, 0, 1, 5, 2, 3521]),
    "next": ([118, 3, 0, 0, 0, 0, 121], [118, 5, 0, 0, 1, 1, 125]),
}


def test_suqian_hand_reading_adds_up() -> None:
    for side in (0, 1):
        rows = {k: v[side] for k, v in SUQIAN_ROWS.items()}
        for k, v in rows.items():
            assert sum(v[:6]) == v[6], k
        results = [k for k in rows if k not in ("new", "carried", "results_total", "next")]
        for c in range(7):
            assert sum(rows[k][c] for k in results) == rows["results_total"][c]
            assert rows["new"][c] + rows["carried"][c] == rows["results_total"][c] + rows["next"][c]


def test_rulings_and_glyphs_inside_form_xobjects_are_placed_on_the_page() -> None:
    from xl_disclosure.readers.pdf import find_grids, read_pages

    for page in read_pages(SUQIAN):
        # PDFium gives the bounds of paths (and of some glyphs) inside a form in the form's own space
        for ch in page.chars:
            assert ch.x0 >= -1 and ch.x1 <= page.width + 1 and ch.top >= -1 and ch.bottom <= page.height + 1, ch
        left, right = find_grids(page)  # the two reports' tables, not one grid over both
        assert left.xs[-1] < right.xs[0] and right.xs[-1] <= page.width
        assert len(left.xs) == len(right.xs) == 13
    labels = [line.text for line in pdf_lines(SUQIAN) if line.positional]
    # the glyphs PDFium put in the form's space are back in their labels
    assert any("2.其他法律行政法规禁止公开" in t for t in labels)
    assert any("4.保护第三方合法权益" in t for t in labels)


def test_two_tables_side_by_side_are_read_from_the_first_and_every_difference_is_named() -> None:
    result = parse_file(SUQIAN)
    got = {fid: result.report.values.get(fid) for fid in TABLE_FIELDS if fid.startswith("s3_")}
    want = {s3_id(k, c): v[0][i] for k, v in SUQIAN_ROWS.items() for i, c in enumerate(S3_COLS)}
    wrong = {fid: (want[fid], got[fid]) for fid in want if got[fid] != want[fid]}
    assert not wrong, wrong
    assert all(v is None for fid, v in result.report.values.items() if fid in TABLE_FIELDS and fid not in want)
    # the right-hand table is never taken silently: one warning says how many of its numbers differ, with
    # examples from different rows, and the JSON names each with both numbers and where the other is printed
    differ = {s3_id(k, c): (left[i], right[i]) for k, (left, right) in SUQIAN_ROWS.items()
              for i, c in enumerate(S3_COLS) if left[i] != right[i]}
    (named,) = [w for w in result.warnings if "出现两次且数字不同" in w]
    assert f"表三有 {len(differ)} 格出现两次且数字不同" in named
    assert "（3402 与 3440）" in named and "（91 与 118）" in named and named.count("与") == 3
    conflicts = result.coverage.conflicts
    assert {fid: (c["kept"], c["other"]) for fid, c in conflicts.items()} == differ
    # and the file is said to hold two reports' tables, once, with where the second is printed
    (two,) = [f for f in validate_parsed(result) if f.rule == "format.two_reports"]
    assert f"表三印了两份，其中 {len(differ)} 格数字不同" in two.message and "（3402 与 3440）" in two.message
    assert "第 2 个表格" in two.message
    assert all(c["source"]["table"] == 2 and str(c["other"]) in c["source"]["excerpt"].split() for c in conflicts.values())
    # （六）'s items printed short are read by their group and number, and said so (once each)
    short = [w for w in result.warnings if "的简写" in w]
    assert len(short) == 2 and "逾期不补正" in short[0] and "逾期不缴费" in short[1]


def test_a_cell_holding_several_numbers_is_not_one_number() -> None:
    # what one cell of a grid drawn around both tables held before the form's rulings were placed
    assert parse_number("0 0 0 471 0 0 0 2 0 0 0 1 0 0 0 4") == (False, None)
    assert parse_number("3 2") == (False, None)
    assert parse_number("12 345") == (True, 12345)  # a thousands separator
    assert parse_number("3 件") == (True, 3)


def test_tables_side_by_side_each_go_on_in_their_own_column() -> None:
    lines = [line for line in pdf_lines(SUQIAN) if line.positional]
    # the left and the right table each continue at the top of page 2 (one table, not a new one per page)
    assert sorted({(line.page, line.table) for line in lines}) == [(1, 1), (1, 2), (2, 1), (2, 2)]
    first = {line.table: line for line in lines if "一、本年新收" in line.text}
    last = {line.table: line for line in lines if "四、结转下年度" in line.text}
    assert first[1].cells[-1][1] == "3511" and last[1].cells[-1][1] == "121" and last[1].page == 2
    assert first[2].cells[-1][1] == "3525" and last[2].cells[-1][1] == "125" and last[2].page == 2


CONVERTED_DIR = DATA / "real" / "converted"


def test_a_heading_at_the_top_of_a_page_is_no_continuation_of_the_paragraph_before() -> None:
    # the serif print: page 2 ends in a paragraph running to the margin, page 3 begins with the heading of 六
    lines = pdf_lines(CONVERTED_DIR / "city-2025-anonymised.chromium-serif.pdf")
    six = [ln for ln in lines if ln.text.startswith("六、其他需要报告的事项")]
    assert [(ln.page, ln.text) for ln in six] == [(3, "六、其他需要报告的事项")]
    assert not any("规范。六、" in ln.text for ln in lines)


def test_a_table_part_whose_items_are_first_ruled_on_the_next_page_goes_on() -> None:
    # page 3 rules no line between group and item (（一）（二） span both); page 4 begins inside （三） without
    # the merged first column, with that line drawn: still table 三, its columns the same
    lines = pdf_lines(CONVERTED_DIR / "shanghai-bangongting-2019.chromium-padded.pdf")
    first = next(ln for ln in lines if ln.text.startswith("一、本年新收"))
    secret = next(ln for ln in lines if "1.属于国家秘密" in ln.text)
    assert secret.page == first.page + 1 and secret.table == first.table
    values = parse_file(CONVERTED_DIR / "shanghai-bangongting-2019.chromium-padded.pdf").report.values
    assert values[s3_id("deny_secret", "natural")] == 14 and values[s3_id("deny_secret", "commercial")] is None


def test_a_table_s_last_row_alone_at_the_top_of_a_page_goes_on() -> None:
    # the zoomed print: 四、结转下年度继续办理 is the only row of its page's grid, 72 under 自然人 and 总计
    path = CONVERTED_DIR / "shanghai-bangongting-2019.chromium-zoom.pdf"
    lines = pdf_lines(path)
    first = next(ln for ln in lines if ln.text.startswith("一、本年新收"))
    carried = next(ln for ln in lines if ln.text.startswith("四、结转下年度继续办理"))
    assert carried.page > first.page and carried.table == first.table
    values = parse_file(path).report.values
    assert [values[s3_id("next", c)] for c in S3_COLS] == [72, None, None, None, None, None, 72]


def test_a_number_glued_to_a_one_number_label_of_table_two_is_its_value() -> None:
    from xl_disclosure.readers.pdf import Char, TextLine, value_split

    def line(text: str, gap_at: int | None = None) -> TextLine:
        chars, x = [], 50.0
        for i, ch in enumerate(text):
            w = 10.5 if ord(ch) > 0x2E80 else 5.5
            if i == gap_at:
                x += 20
            chars.append(Char(ch, x, x + w, 100, 110.5))
            x += w + 0.3
        return TextLine(chars, 1)

    assert value_split(line("行政事业性收费316441")) == len("行政事业性收费")
    assert value_split(line("行政许可11839")) == len("行政许可")
    spread = line("行政许可11839")  # the label spread over its cell (分散对齐): its glyphs wide apart
    for k, ch in enumerate(spread.chars):
        shift = 14.0 * min(k, 3)
        ch.x0, ch.x1 = ch.x0 + shift, ch.x1 + shift
    assert value_split(spread) == len("行政许可")
    # before two numbers set apart, a number glued to the label is the row's first value (a spread label)
    row = line("规章3574", gap_at=4)
    for ch in row.chars[3:]:
        ch.x0, ch.x1 = ch.x0 + 20, ch.x1 + 20
    assert [c.text for c in row.chars] == list("规章3574") and value_split(row) == len("规章")
    # before one number only, glued digits stay in the label (running text may end so)
    assert value_split(line("规章35", gap_at=3)) == len("规章3")
    # a row of three numbers, a longer label, or running text: no value glued to it on its own
    assert value_split(line("规章12")) is None
    assert value_split(line("本年收取行政事业性收费316441")) is None
    assert value_split(line("共收取费用2025")) is None


def test_a_narrative_line_ending_in_glued_digits_and_one_number_is_no_row() -> None:
    from xl_disclosure.readers.pdf import Char, TextLine, value_split

    chars, x = [], 50.0
    for ch in "共受理申请112 件":
        if ch == " ":
            x += 20
            continue
        w = 10.5 if ord(ch) > 0x2E80 else 5.5
        chars.append(Char(ch, x, x + w, 100, 110.5))
        x += w + 0.3
    assert value_split(TextLine(chars, 1)) is None


def test_glyphs_of_one_line_in_two_fonts_stay_one_line_beside_a_label_set_between_lines() -> None:
    from xl_disclosure.readers.pdf import Char, group_lines

    # “理” (the group label's last glyph) sits between two item lines; the items' “2.” in a Latin font
    # centres 0.3 pt lower than their CJK glyphs
    chars = [Char("理", 97.2, 104.0, 722.3, 729.0)]
    chars += [Char(c, 146.1 + 3.3 * k, 149.4 + 3.3 * k, 725.2, 732.7) for k, c in enumerate("2.")]
    chars += [Char(c, 151.1 + 6.8 * k, 157.9 + 6.8 * k, 725.3, 732.0) for k, c in enumerate("重复申请")]
    lines = group_lines(chars, 1)
    assert [ln.text.replace(" ", "") for ln in lines] == ["理2.重复申请"]


def _glyphs(text: str, x: float, top: float, *, size: float = 10.0, pitch: float | None = None) -> list:
    from xl_disclosure.readers.pdf import Char

    out = []
    for ch in text:
        w = size if ord(ch) > 0x2E80 else size / 2
        out.append(Char(ch, x, x + w, top, top + size))
        x += pitch if pitch is not None else w
    return out


def test_a_number_wrapped_in_its_ruled_cell_is_one_number_only_where_it_fills_the_cell():
    from xl_disclosure.readers.pdf import TextLine, wrapped_number

    # a 22 pt wide cell: “1381” fills it, “0” wrapped to the next line
    lines = [TextLine(_glyphs("1381", 101, 100), 1), TextLine(_glyphs("0", 101, 112), 1)]
    assert wrapped_number(lines, 100, 122) == "13810"
    # two rows' numbers in one cell (a ruling missed): short in a wide cell, never run together
    short = [TextLine(_glyphs("12", 140, 100), 1), TextLine(_glyphs("3", 140, 112), 1)]
    assert wrapped_number(short, 100, 160) is None
    assert wrapped_number([TextLine(_glyphs("12", 101, 100), 1), TextLine(_glyphs("行", 101, 112), 1)], 100, 122) is None


def test_numbers_wrapped_in_unruled_cells_are_put_back_on_their_row():
    from xl_disclosure.readers.pdf import TextLine, join_chars, join_wrapped_values

    def row(*cells: tuple[float, str], top: float = 100) -> TextLine:
        return TextLine([g for x, t in cells for g in _glyphs(t, x, top)], 1)

    total = row((20, "（七）总计"), (200, "13364"), (260, "252"), (320, "1381"))
    wrapped = row((320, "0"), top=112)
    out = join_wrapped_values([total, wrapped], [])
    assert [join_chars(t.chars) for t in out] == ["（七）总计 13364 252 13810"]
    # the same digit a little to the right is no wrap of that number: left alone
    total = row((20, "（七）总计"), (200, "13364"), (260, "252"), (320, "1381"))
    out = join_wrapped_values([total, row((326, "0"), top=112)], [])
    assert len(out) == 2 and join_chars(out[0].chars).endswith(" 1381")
    # a cell's two lines set around the row's line, the row printing nothing there: that row's number
    partial = row((20, "（二）部分公开"), (200, "2120"), (260, "39"), top=100)
    above, below = row((320, "216"), top=95), row((320, "8"), top=105)
    out = join_wrapped_values([above, partial, below], [])
    assert [join_chars(t.chars) for t in out] == ["（二）部分公开 2120 39 2168"]
    # digits above the row only (no line below): left alone
    partial = row((20, "（二）部分公开"), (200, "2120"), (260, "39"), top=100)
    assert len(join_wrapped_values([row((320, "216"), top=95), partial], [])) == 2


def test_glyphs_stacked_on_one_line_are_cut_into_their_lines():
    from xl_disclosure.readers.pdf import Char, group_lines

    # tall Latin glyph boxes: “216” (above) and “8” (below) both within half a box of the row's line
    # (the glyph boxes of 洪泽-like Word exports in 18 pt, as LibreOffice draws them)
    chars = (_glyphs("2120", 326.5, 653.4, size=23.1) + _glyphs("216", 587.5, 643.1, size=23.1)
             + _glyphs("8", 587.5, 663.7, size=23.1))
    assert all(isinstance(c, Char) for c in chars)
    texts = [ln.text.replace(" ", "") for ln in group_lines(chars, 1)]
    assert texts == ["216", "2120", "8"]


def test_header_cells_whose_last_glyph_wrapped_are_put_back_together():
    from xl_disclosure.readers.pdf import TextLine, join_wrapped_header_cells

    # cells filled to their edges run together; the wrapped “数” of each starts its column
    upper = TextLine(_glyphs("本年制发件", 148, 280) + _glyphs("本年废止件", 226, 280) + _glyphs("现行有效件", 303, 280), 1)
    lower = TextLine(_glyphs("数", 148, 293) + _glyphs("数", 226, 293) + _glyphs("数", 303, 293), 1)
    out = join_wrapped_header_cells([upper, lower])
    assert len(out) == 1 and out[0].text.split() == ["本年制发件数", "本年废止件数", "现行有效件数"]
    # glyphs under nothing of the line above, or digits: left alone
    upper = TextLine(_glyphs("本年制发件", 148, 280), 1)
    assert len(join_wrapped_header_cells([upper, lower])) == 2


def test_an_item_s_numbering_after_another_column_s_text_starts_a_column():
    from xl_disclosure.readers.pdf import TextLine, label_cells

    # the narrow group column filled to its edge touches the item: “度办理结（一）予以公开”
    lines = [TextLine(_glyphs("三、本年", 60, 88), 1), TextLine(_glyphs("度办理结（一）予以公开", 60, 100), 1),
             TextLine(_glyphs("果", 60, 112), 1)]
    assert label_cells(lines) == ["三、本年度办理结果", "（一）予以公开"]
    assert label_cells([TextLine(_glyphs("第二十条第（一）项", 60, 100), 1)]) == ["第二十条第（一）项"]


def test_a_narrow_group_column_wrapped_beside_an_item_is_a_column_of_its_own():
    from xl_disclosure.readers.pdf import TextLine, label_cells

    # 平潭君山片区 2025 exported by LibreOffice without rulings: the group “（四）无法提供” one or two glyphs a
    # line in a narrow column just left of the items, its “无法” on the line of the item's wrapped end
    # (“2.没有现成信息需” / “无法要另行制作”): the glyphs from the item's start on are the item's
    item = _glyphs("2.没有现成信息需", 180, 238)
    lower = [*_glyphs("无法", 151, 256), *_glyphs("要另行制作", 180, 256)]
    lines = [TextLine(_glyphs("）", 151, 225), 1), TextLine(item, 1), TextLine(lower, 1)]
    assert label_cells(lines) == ["）无法", "2.没有现成信息需要另行制作"]
    # and likewise when the gap between the two columns is as narrow as a glyph's spacing
    lower = [*_glyphs("处理", 151, 256, pitch=11), *_glyphs("反复申请", 175, 256)]
    lines = [TextLine([*_glyphs("不予", 151, 238), *_glyphs("4.无正当理由大量", 175, 238)], 1), TextLine(lower, 1)]
    assert label_cells(lines) == ["不予处理", "4.无正当理由大量反复申请"]
    # a label in one column wrapped under itself is one cell
    lines = [TextLine(_glyphs("1.本机关不掌握相", 180, 238), 1), TextLine(_glyphs("关政府信息", 189, 256), 1)]
    assert label_cells(lines) == ["1.本机关不掌握相关政府信息"]


def test_a_row_label_wrapped_over_five_lines_is_one_label():
    from xl_disclosure.readers.pdf import TextLine, text_blocks

    # 平潭君山片区 2025 printed by Chromium on A5: （六）1.'s label over five lines in its narrow cell, the numbers
    # on the third; its first and last lines are further from the numbers than a label line may be, but each
    # is as near the label's next line as the label's lines are to one another
    def row(top: float, *cells: tuple[float, str]) -> TextLine:
        return TextLine([c for x, text in cells for c in _glyphs(text, x, top, size=12)], 1)

    numbers = [(244 + 20 * k, str(n)) for k, n in enumerate((6, 0, 0, 0, 0, 2, 8))]
    lines = [row(297.6, (118, "5.要求行政机关确认或")), row(305.1, *[(244 + 20 * k, "0") for k in range(7)]),
             row(315.7, (118, "重新出具已获取信息")),
             row(359.1, (80, "（六）1.申请人无正当理由逾")), row(377.2, (118, "期不补正、行政机关不")),
             row(384.6, (80, "其他"), *numbers), row(395.2, (118, "再受理其政府信息公开")),
             row(413.2, (118, "申请")), row(419.2, (80, "处理")),
             row(456.6, (118, "2.申请人逾期未按收费")), row(474.7, (118, "通知要求缴纳费用、行")),
             row(482.1, *[(244 + 20 * k, "0") for k in range(7)]), row(492.7, (118, "政机关不再受理其政府"))]
    rows = [b.cells for b in text_blocks(lines, 36, 400) if b.cells and "6" in b.cells]
    assert rows == [["（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再受理其政府信息公开申请",
                     "6", "0", "0", "0", "0", "2", "8"]], rows
    # the next row's label keeps its own lines: its first starts with its numbering
    (after,) = [b.cells for b in text_blocks(lines, 36, 400) if b.cells and b.top > 450]
    assert after[0] == "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再受理其政府", after


def test_a_number_cut_at_the_page_s_edge_is_not_read_as_the_part_that_shows():
    # table 三 wider than the page: its last ruling drawn at the edge, “14069” leaves “1” inside the grid
    path = CONVERTED_DIR / "city-2025-anonymised.libreoffice-ruled-table14.pdf"
    result = parse_file(path)
    values = result.report.values
    assert values[s3_id("new", "total")] is None and values[s3_id("carried", "total")] is None
    assert values[s3_id("new", "natural")] == 13612  # the cells inside the page are read
    assert "越过表格边线" in result.coverage.missing[s3_id("new", "total")]


def test_a_table_s_last_row_before_a_page_break_under_a_group_going_on_is_not_one_cell() -> None:
    # 平潭 2021 printed by Chromium: the last row of page 3 (（五）1.信访举报投诉类申请) has no rule below it, and
    # the merged cells “三、本年度办理结果” and “（五）不予处理” go on to page 4, so their side rulings run on below
    # the row while the others end with it; the row was one cell over all the columns, its seven numbers lost
    from xl_disclosure.readers.pdf import Edge, Page, _merged_cells, find_grids
    xs = [34.9, 101.6, 163.1, 382.1, 408.4, 428.6, 449.6, 493.1, 536.6, 556.9, 577.9]
    long_sides = {34.9, 101.6, 577.9}
    edges = [Edge(True, 496.1, 34.5, 577.5)]  # the rule above the page's part of the table
    edges += [Edge(True, y, 101.2 if y == 676.1 else 162.8, 577.5) for y in (541.1, 586.1, 631.1, 676.1)]
    edges += [Edge(False, x, 27.8, 764.2 if x in long_sides else 720.8) for x in xs]
    (grid,) = find_grids(Page(3, 612.0, 792.0, [], edges))
    assert any(abs(y - 720.8) < 1 for y in grid.ys) and abs(grid.ys[-1] - 764.2) < 1
    row = next(i for i, y in enumerate(grid.ys) if abs(y - 676.1) < 1)
    cells = _merged_cells(grid, grid.xs)
    # the item and each of its seven numbers a cell of its own; the group label's cell goes on below the row
    assert len({id(cells[(row, c)]) for c in range(2, len(xs) - 1)}) == len(xs) - 3
    assert all(cells[(row, c)].r1 == row for c in range(2, len(xs) - 1))
    assert cells[(row, 1)].r1 == row + 1
    # and the real print reads that row
    path = CONVERTED_DIR / "pingtan-2021.chromium.pdf"
    line = next(ln for ln in pdf_lines(path) if "1.信访举报投诉类申请" in ln.text)
    assert line.page == 3 and len(line.cells) >= 8
    values = parse_file(path).report.values
    assert [values[s3_id("reject_petition", c)] for c in S3_COLS] == [0] * 7
