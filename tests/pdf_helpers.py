"""The two real published reports in PDF, every cell of tables 二, 三 and 四 read by hand.

tests/data/published/hongze-2023.pdf and hongze-2024.pdf are public documents of 淮安市洪泽区人民政府
(PDF exported by WPS). The numbers below were read by hand from their rendered pages, not produced by the
code under test. tests/test_pdf.py checks what the parser must read (``EXPECTED``); tests/test_real_reports.py
scores them with the rest of the real-report corpus against what is printed (``PRINTED``).
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from xl_disclosure.form import S3_COLUMNS, S3_ROWS, S3_TOTAL_COLUMN, s3_id
from xl_disclosure.readers.published import TABLE_FIELDS

DATA = Path(__file__).resolve().parent / "data" / "published"
H2023 = DATA / "hongze-2023.pdf"
H2024 = DATA / "hongze-2024.pdf"

S3_COLS = [c for c, _ in S3_COLUMNS] + [S3_TOTAL_COLUMN[0]]

#: Table 三 as printed, row by row: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
#: None = a row the report does not have: it prints a single （六）其他处理 row instead of its items 1-3.
ROWS_2023 = {
    "new": [21, 0, 0, 0, 0, 0, 21],
    "carried": [0] * 7,
    "open": [0] * 7,
    "partial": [4, 0, 0, 0, 0, 0, 4],
    "deny_secret": [1, 0, 0, 0, 0, 0, 1],
    "deny_law": [0] * 7,
    "deny_safety": [0] * 7,
    "deny_third_party": [0] * 7,
    "deny_internal": [0] * 7,
    "deny_process": [1, 0, 0, 0, 0, 0, 1],
    "deny_enforcement": [1, 0, 0, 0, 0, 0, 1],
    "deny_query": [0] * 7,
    "unable_not_held": [10, 0, 0, 0, 0, 0, 10],
    "unable_needs_making": [3, 0, 0, 0, 0, 0, 3],
    "unable_unclear": [0] * 7,
    "reject_petition": [1, 0, 0, 0, 0, 0, 1],
    "reject_repeat": [0] * 7,
    "reject_publication": [0] * 7,
    "reject_massive": [0] * 7,
    "reject_confirm": [0] * 7,
    "other_no_correction": None,
    "other_unpaid": None,
    "other_misc": None,
    "results_total": [21, 0, 0, 0, 0, 0, 21],
    "next": [0] * 7,
}
ROWS_2024 = {
    **ROWS_2023,
    "new": [95, 0, 0, 0, 0, 0, 95],
    "open": [50, 0, 0, 0, 0, 0, 50],
    "partial": [9, 0, 0, 0, 0, 0, 9],
    "deny_secret": [0] * 7,
    "deny_safety": [1, 0, 0, 0, 0, 0, 1],
    "unable_not_held": [31, 0, 0, 0, 0, 0, 31],
    "unable_needs_making": [1, 0, 0, 0, 0, 0, 1],
    "results_total": [95, 0, 0, 0, 0, 0, 95],
}
S4_ORDER = [f"s4_{g}_{r}" for g in ("reconsideration", "direct_suit", "suit_after")
            for r in ("upheld", "corrected", "other", "pending", "total")]


def printed(s2: list[int | float], s3: dict[str, list[int] | None], s4: list[int]) -> dict[str, int | float | None]:
    """Field id -> the number printed in the report (None: not in its tables)."""
    s2_ids = ["s2_rules_issued", "s2_rules_repealed", "s2_rules_effective", "s2_normative_issued",
              "s2_normative_repealed", "s2_normative_effective", "s2_licensing_decisions",
              "s2_penalty_decisions", "s2_enforcement_decisions", "s2_fees_amount"]
    out: dict[str, int | float | None] = dict(zip(s2_ids, s2, strict=True))
    assert list(s3) == [r.key for r in S3_ROWS]
    for row, values in s3.items():
        for col, v in zip(S3_COLS, values or [None] * 7, strict=True):
            out[s3_id(row, col)] = v
    out.update(zip(S4_ORDER, s4, strict=True))
    assert sorted(out) == sorted(TABLE_FIELDS)
    return out


PRINTED = {
    "hongze-2023.pdf": printed([0, 0, 0, 0, 5, 5, 550, 4119, 195, 7730.28], ROWS_2023,
                               [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]),
    "hongze-2024.pdf": printed([0, 0, 0, 3, 0, 8, 9487, 2776, 84, 7545], ROWS_2024,
                               [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3]),
}

#: Rows printed under an altered label (“2.其他法律行政止公开” for 2.其他法律行政法规禁止公开): the label is close
#: to that one row of its number and to no other, so its numbers are read (see ``fuzzy_match``).
#: What the parser must read: every printed number.
EXPECTED = PRINTED

#: The statutory sections each report has (all six, under their 2021 headings).
SECTIONS = ("一", "二", "三", "四", "五", "六")
#: The parts of section 一 each report has (all five, “（一）主动公开情况。” … “（五）政府信息公开监督保障情况。”).
PARTS = ("n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight")


def strip_rulings(src: Path, target: Path) -> Path:
    """The same PDF with every drawn path (table borders, cell fills) removed: text only."""
    doc = pdfium.PdfDocument(str(src))
    for i in range(len(doc)):
        page = doc[i]
        for obj in list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1)):
            page.remove_obj(obj)
        page.gen_content()
    doc.save(str(target))
    return target
