"""Scanned PDFs with a recognised (OCR) text layer: their numbers are not taken for the numbers printed.

tests/data/published/hongze-2023.scanned-ocr.pdf and hongze-2024.scanned-ocr.pdf are the two real WPS reports
printed, scanned (150 dpi, slightly askew, JPEG) and recognised by Tesseract through ocrmypdf
(scripts/scan_pdf_copy.py), which lays an invisible text layer over each page's image as scanning programs do.
The cells they print were read by hand from the original pages (tests/pdf_helpers.py).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pdf_helpers import DATA, EXPECTED, H2024
from xl_disclosure.readers.pdf import pdf_lines, read_pages, read_pdf
from xl_disclosure.readers.published import OCR_NOTE, TABLE_FIELDS
from xl_disclosure.readers.published_file import parse_file, validate_published

SCANNED = {name: DATA / name.replace(".pdf", ".scanned-ocr.pdf") for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(SCANNED))
def test_every_page_of_a_scan_is_known_as_ocr_text(name: str) -> None:
    pages = read_pages(SCANNED[name])
    assert all(p.ocr for p in pages) and all(p.invisible == len(p.chars) for p in pages)
    assert not any(p.ocr for p in read_pages(DATA / name))  # the WPS export's text is drawn
    assert read_pdf(SCANNED[name]).every_page_ocr


def test_the_recognised_text_misreads_printed_numbers() -> None:
    """Why no number of OCR text is placed: 行政规范性文件 本年废止件数 is printed 5 and recognised as 1."""
    assert EXPECTED["hongze-2023.pdf"]["s2_normative_repealed"] == 5
    row = [line.text for line in pdf_lines(SCANNED["hongze-2023.pdf"]) if line.text.startswith("行政规范性文件")]
    assert row and row[0].split()[1:] == ["0", "1", "5"]


@pytest.mark.parametrize("name", sorted(SCANNED))
def test_no_number_of_a_scan_is_placed(name: str) -> None:
    result = parse_file(SCANNED[name])
    assert result.coverage.ocr_pages == [1, 2, 3, 4, 5]
    assert all(result.report.values[fid] is None for fid in TABLE_FIELDS)
    assert all(result.coverage.missing[fid] == OCR_NOTE for fid in TABLE_FIELDS)
    assert not any(fid in result.sources for fid in TABLE_FIELDS)
    # the title is text, and read as from the WPS export
    title = parse_file(DATA / name).report.values
    assert result.report.values["cover_agency_name"] == title["cover_agency_name"]
    assert title["cover_agency_name"].endswith("洪泽区人民政府")
    assert result.report.values["cover_year"] == int(name[7:11])


@pytest.mark.parametrize("name", sorted(SCANNED))
def test_a_scan_gets_one_finding_instead_of_a_flood(name: str) -> None:
    findings = validate_published(SCANNED[name]).findings
    rules = Counter(f.rule for f in findings)
    assert rules["input.ocr_text"] == 1, rules
    # neither the cells nor the parts OCR may have missed are reported one by one, nor is the file taken
    # for a part of a report because OCR missed the heading of 一
    assert not {"input.blank", "narrative.required", "input.partial"} & set(rules), rules
    ocr = next(f for f in findings if f.rule == "input.ocr_text")
    assert "第 1–5 页是扫描件" in ocr.message and "共 200 格的数字未读取" in ocr.message
    assert len(ocr.fields) == len(TABLE_FIELDS)


def test_a_text_pdf_has_no_ocr_finding() -> None:
    result = parse_file(H2024)
    assert result.coverage.ocr_pages == []
    assert "input.ocr_text" not in {f.rule for f in validate_published(H2024).findings}


def test_only_the_numbers_of_scanned_pages_are_withheld(tmp_path: Path) -> None:
    """Pages 2–3 of the scan (table 二, the head of 三) among pages 1, 4, 5 of the WPS export (the rest of 三,
    table 四): what the scanned pages print is not read, what the text pages print is."""
    text, scan = pdfium.PdfDocument(str(H2024)), pdfium.PdfDocument(str(SCANNED["hongze-2024.pdf"]))
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(text, [0])
    mixed.import_pages(scan, [1, 2])
    mixed.import_pages(text, [3, 4])
    path = tmp_path / "mixed.pdf"
    mixed.save(str(path))
    document = read_pdf(path)
    assert document.ocr_pages == [2, 3] and not document.every_page_ocr
    result = parse_file(path)
    want = EXPECTED["hongze-2024.pdf"]
    withheld = {fid for fid in TABLE_FIELDS if result.coverage.missing.get(fid) == OCR_NOTE}
    assert withheld and all(fid.startswith(("s2_", "s3_")) for fid in withheld)
    assert all(result.report.values[fid] is None for fid in TABLE_FIELDS if fid.startswith("s2_"))
    s4 = [fid for fid in TABLE_FIELDS if fid.startswith("s4_")]
    assert {fid: result.report.values[fid] for fid in s4} == {fid: want[fid] for fid in s4}
    # whatever is read comes from a text page and is the printed number
    for fid in TABLE_FIELDS:
        if result.report.values[fid] is not None:
            assert result.sources[fid]["page"] in (1, 4, 5) and result.report.values[fid] == want[fid], fid
    ocr = [f for f in validate_published(path).findings if f.rule == "input.ocr_text"]
    assert len(ocr) == 1 and "第 2–3 页是扫描件" in ocr[0].message


def test_compare_with_a_scan_says_why_its_numbers_are_not_found(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from xl_disclosure.cli.main import cli

    submitted = tmp_path / "submitted.json"
    submitted.write_text(parse_file(H2024).report.dumps(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", str(submitted), str(SCANNED["hongze-2024.pdf"])])
    assert result.exit_code == 1, result.output
    out = " ".join(result.output.split())
    assert "第 1–5 页是扫描件" in out and "Traceback" not in out
    # every cell stands on a scan: one line says none could be compared, no row of 未找到 for each
    listed = json.loads(CliRunner().invoke(cli, ["compare", str(submitted), str(SCANNED["hongze-2024.pdf"]),
                                                 "--json", "-"]).output)["differences"]
    sent = sum(1 for d in listed if d["published"] is None)
    assert sent == len(listed) > 100
    assert f"这些页上的表格数字未读取，报送的 {sent} 个数字未能与之比较" in out and "未能比较 " in out, out
    assert "未找到" not in out and "处差异" not in out
    # against the WPS export itself nothing is said of scans (its single （六） row leaves the submitted
    # （七）总计 uncomputed: those 7 cells are the only differences)
    result = CliRunner().invoke(cli, ["compare", str(submitted), str(H2024)])
    assert "扫描件" not in result.output and "7 处差异" in result.output, result.output


def _pictured(pages: list[int], tmp_path: Path) -> Path:
    """洪泽区 2024's WPS export with ``pages`` (1-based) replaced by pictures of themselves (PDFium's 150 dpi
    renders, placed over the whole page): tables pasted into a document as pictures."""
    source = pdfium.PdfDocument(str(H2024))
    doc = pdfium.PdfDocument.new()
    for i in range(len(source)):
        if i + 1 not in pages:
            doc.import_pages(source, [i])
            continue
        width, height = source[i].get_size()
        bitmap = source[i].render(scale=150 / 72)
        page = doc.new_page(width, height)
        image = pdfium.PdfImage.new(doc)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(image)
        page.gen_content()
    path = tmp_path / "pictured.pdf"
    doc.save(str(path))
    return path


def test_tables_printed_as_pictures_are_named_as_such(tmp_path: Path) -> None:
    """Pages 3–4 (the end of 二, tables 三 and 四, section 五) as pictures: 三 and 四 are said to be pictures."""
    path = _pictured([3, 4], tmp_path)
    assert read_pdf(path).picture_pages == [3, 4] and not read_pdf(path).ocr_pages
    result = parse_file(path)
    assert result.coverage.picture_pages == [3, 4]
    want = EXPECTED["hongze-2024.pdf"]
    assert result.report.values["s2_licensing_decisions"] == want["s2_licensing_decisions"]  # page 2: text
    for fid in TABLE_FIELDS:
        if fid.startswith(("s3_", "s4_")):
            assert result.report.values[fid] is None
            assert "可能是以图片印出的" in result.coverage.missing[fid], (fid, result.coverage.missing[fid])
    assert not any("图片" in note for fid, note in result.coverage.missing.items() if fid.startswith("s2_"))


def test_a_pdf_of_pictures_only_is_refused_as_pictures(tmp_path: Path) -> None:
    path = _pictured([2, 3, 4], tmp_path)
    outcome = validate_published(path)
    assert outcome.read_error and "第 2–4 页有大幅图片：表格看来是以图片印出的" in outcome.read_error
    assert not parse_file(H2024).coverage.picture_pages  # the WPS export draws its tables
