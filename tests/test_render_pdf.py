"""The Word output as LibreOffice prints it: every heading and every table number is on the PDF's pages."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from render_helpers import distinct_report, expected_numbers, pdf_pages, soffice_pdf
from test_render import H1, H2, make_summary, summed
from xl_disclosure.checks.validator import validate_report
from xl_disclosure.form import S2_BLOCKS
from xl_disclosure.model.samples import random_report
from xl_disclosure.model.summary import Summary
from xl_disclosure.writers.render import fmt_number, render_report, render_summary

pytestmark = pytest.mark.libreoffice


def numbers_in(text: str) -> Counter[str]:
    return Counter(re.findall(r"\d+(?:\.\d+)?", text))


def needed(values: dict) -> Counter[str]:
    return Counter(fmt_number(n, 4) for n in expected_numbers(values))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("render-pdf")
    report = distinct_report()
    assert not [f for f in validate_report(report) if f.is_error]
    reps = [random_report(random.Random(s), agency=f"某某县第{s}局") for s in (1, 2, 3)]
    docs = {
        "report": render_report(report, tmp / "report.docx"),
        "draft": render_report(report, tmp / "draft.docx", draft="草稿：仅供内部审阅，不得发布"),
        "summary": render_summary(Summary.from_json(make_summary(reps)), tmp / "summary.docx"),
    }
    converted = soffice_pdf(list(docs.values()), tmp / "pdf")
    pages = {key: pdf_pages(pdf) for key, pdf in zip(docs, converted, strict=True)}
    return {"report": report, "reps": reps, "pages": pages}


def test_pdf_has_every_heading_and_table_number(pdfs: dict) -> None:
    report = pdfs["report"]
    pages = pdfs["pages"]["report"]
    text = "\n".join(pages)
    flat = re.sub(r"\s+", "", text)
    title = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    assert title in flat
    for heading in H1 + H2 + [b.item for b in S2_BLOCKS]:
        assert heading in flat, heading
    missing = needed(report.values) - numbers_in(text)
    assert not missing, f"numbers missing from the PDF: {dict(missing)}"
    assert not any("草稿" in p for p in pages)
    # A4 text fits: the PDF has no empty overflow pages and every page is numbered.
    for i, page in enumerate(pages, 1):
        assert page.strip()
        assert re.search(rf"—\s*{i}\s*—", page), f"page {i} has no page number"


def test_pdf_draft_marked_on_every_page(pdfs: dict) -> None:
    pages = pdfs["pages"]["draft"]
    assert len(pages) >= 3
    for i, page in enumerate(pages, 1):
        assert "草稿" in page, f"page {i} is not marked 草稿"


def test_pdf_summary_has_headings_numbers_and_agencies(pdfs: dict) -> None:
    reps = pdfs["reps"]
    text = "\n".join(pdfs["pages"]["summary"])
    flat = re.sub(r"\s+", "", text)
    assert "2024年度政府信息公开工作年度报告汇总" in flat
    for heading in H1[1:4] + ["一、汇总范围", "五、纳入汇总的单位", "六、应报未报及重复报送情况"]:
        assert heading in flat, heading
    for r in reps:
        assert r.agency in flat
    missing = needed(summed(reps)) - numbers_in(text)
    assert not missing, f"numbers missing from the PDF: {dict(missing)}"
