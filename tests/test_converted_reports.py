"""Patterns of real reports as real engines convert them (tests/data/published/real/converted/).

The files were made from the corpus's real HTML reports by LibreOffice Writer and Chromium
(scripts/convert_real_reports.py); these tests read only the committed files, never the engines.
Each test is one pattern those engines produce, checked on the real file and, where it can be made
without the engine, on a small text of the same shape.
"""

from __future__ import annotations

from pathlib import Path

from xl_disclosure.readers.pdf import pdf_lines, read_pages
from xl_disclosure.readers.published import parse_text

CONVERTED = Path(__file__).parent / "data" / "published" / "real" / "converted"
CITY_CHROMIUM = CONVERTED / "city-2025-anonymised.chromium.pdf"


def test_flat_glyph_of_chromium_pdf_gets_an_em_box():
    # Chromium's PDFs give “一” and “二” no font box, only their outline: “一” is a stroke 1 pt tall
    pages = read_pages(CITY_CHROMIUM)
    flat = [c for p in pages for c in p.chars if c.bottom - c.top < 4]  # the running header's 7 pt is the least
    assert not flat, [c.text for c in flat[:10]]
    ones = [c for p in pages for c in p.chars if c.text == "一"]
    assert ones and all(11 <= c.bottom - c.top <= 13 for c in ones)  # the page's text is 12 pt


def test_row_starting_with_a_flat_glyph_stays_one_row():
    # “一、本年新收政府信息公开申请数量” was torn into “本年 府 13612 …” and “一、 新收政 信息公开申请数量”
    rows = [[t for _, t in line.cells] for line in pdf_lines(CITY_CHROMIUM) if "本年新收" in line.text]
    assert rows == [["一、本年新收政府信息公开申请数量", "13612", "252", "0", "45", "128", "32", "14069"]]


HEAD3_TORN = ("三、收到和处理政府信息公开申请情况\n"
              "申请人情况\n"
              "自然\n"
              "法人或其他组织 总计\n"
              "人\n"
              "商业 科研 社会公 法律服 其\n"
              "企业 机构 益组织 务机构 他\n"
              "一、本年新收政府信息公开申请数量 13612 252 0 45 128 32 14069\n")


def test_six_numbers_under_a_header_printing_a_total_are_not_placed():
    # a Chromium-printed table: the header's labels torn over lines, 总计 among them; a row shows six numbers
    # (the first glued to its wrapped label): one of its seven cells is blank, and which one is not known
    r = parse_text(HEAD3_TORN + "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开 3 0 0 0 0 318\n")
    v = r.report.values
    assert v["s3_new_natural"] == 13612 and v["s3_new_total"] == 14069
    assert all(v[f"s3_other_no_correction_{c}"] is None for c in ("natural", "commercial", "other", "total"))
    assert "无法确定各列" in r.coverage.missing["s3_other_no_correction_natural"]


def test_six_numbers_under_a_header_without_total_are_the_six_applicant_columns():
    text = HEAD3_TORN.replace(" 总计", "") + "1.属于国家秘密 3 0 0 0 0 1\n"
    v = parse_text(text).report.values
    assert (v["s3_deny_secret_natural"], v["s3_deny_secret_other"], v["s3_deny_secret_total"]) == (3, 1, None)
