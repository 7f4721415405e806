"""Round trip through the project's own renderer: render (docx, HTML, Markdown) → parse → the same data.

Also text variants of the rendered reports: the HTML page copied as text (tabs,
spaces, 全角 digits), as a visitor's browser would give it.
"""

from __future__ import annotations

import random
from pathlib import Path

import lxml.html
import pytest

from parse_helpers import FULLWIDTH, stated
from xl_disclosure.form import s3_id
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers.published import FEE_FIELDS, N1_PARTS, TABLE_FIELDS, parse_text
from xl_disclosure.readers.published_file import parse_file, validate_published
from xl_disclosure.writers.render import build_document, render_report, to_html

TEXT_FIELDS = (*N1_PARTS, "n5_problems", "n6_other", "cover_agency_name", "cover_year")


def sample(seed: int) -> Report:
    rng = random.Random(seed)
    report = random_report(rng, scale=rng.choice((5, 60, 300)), fee=seed % 3 == 0)
    if seed % 4 == 1:
        report.values["s2_fees_amount"] = round(rng.random() * 900, 4)
    return report


def assert_same(parsed: Report, report: Report, fields: tuple[str, ...] = TABLE_FIELDS) -> None:
    want = stated(report)
    wrong = {fid: (want[fid], parsed.values.get(fid)) for fid in fields if parsed.values.get(fid) != want[fid]}
    assert not wrong, dict(list(wrong.items())[:6])


@pytest.mark.parametrize("suffix", [".html", ".md", ".docx"])
@pytest.mark.parametrize("seed", range(6))
def test_rendered_report_parses_back(tmp_path: Path, suffix: str, seed: int):
    report = sample(seed)
    path = render_report(report, tmp_path / f"report{suffix}")
    result = parse_file(path)
    assert result.coverage.complete, result.coverage.missing
    assert result.warnings == []
    assert_same(result.report, report)
    assert_same(result.report, report, TEXT_FIELDS)
    # 信息处理费 figures are stated by the renderer in section 六, and read back
    assert_same(result.report, report, FEE_FIELDS)
    # every number says where it was read: a table's row and column (HTML, Word), or a line (Markdown)
    place = ("line",) if suffix == ".md" else ("table", "row", "column")
    unplaced = [fid for fid in TABLE_FIELDS if not all(k in result.sources.get(fid, {}) for k in place)]
    assert not unplaced, unplaced[:6]


@pytest.mark.parametrize("seed", range(4))
def test_rendered_report_validates_like_the_data(tmp_path: Path, seed: int):
    report = sample(100 + seed)
    path = render_report(report, tmp_path / "report.html")
    result = validate_published(path)
    assert result.readable
    assert result.errors == [], [f.message for f in result.errors]


def _page_text(report: Report) -> str:
    """The rendered HTML page as a browser copies it: cells separated by tabs, rows by newlines."""
    root = lxml.html.document_fromstring(to_html(build_document(report)))
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = []
    for el in root.iter("h1", "h2", "h3", "p", "tr"):
        if el.tag == "tr":
            lines.append("\t".join(c.text_content().strip() for c in el if c.tag in ("td", "th")))
        else:
            lines.append(el.text_content().strip())
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(8))
def test_rendered_page_copied_as_text(seed: int):
    report = sample(200 + seed)
    text = _page_text(report)
    rnd = random.Random(seed)
    style = seed % 4
    if style == 1:
        text = "\n".join(" ".join(line.split("\t")) for line in text.split("\n"))  # spaces instead of tabs
    elif style == 2:
        text = text.translate(FULLWIDTH)  # 全角 digits
    elif style == 3:
        lines = text.split("\n")
        text = "\n".join(("\t" * rnd.randint(0, 2)) + line if "\t" in line else line for line in lines)  # shifted
    result = parse_text(text)
    assert_same(result.report, report)
    assert result.report.values["cover_agency_name"] == report.agency


def test_wrong_total_in_rendered_report_is_caught(tmp_path: Path):
    """A published page whose 总计 was edited by hand: the stated total is kept and flagged."""
    report = sample(300)
    path = render_report(report, tmp_path / "report.html")
    total = report.total(s3_id("new", "total"))
    assert total is not None
    page = path.read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(page)
    row = next(tr for tr in doc.iter("tr") if "本年新收" in tr.text_content())
    last = [c for c in row if c.tag in ("td", "th")][-1]
    assert last.text_content().strip() == str(total)
    last.text = str(total + 10)
    path.write_bytes(lxml.html.tostring(doc, encoding="utf-8"))
    result = validate_published(path)
    assert result.report.values[s3_id("new", "total")] == total + 10
    rules = {(f.rule, f.field) for f in result.findings}
    assert ("s3.row_total", s3_id("new", "total")) in rules
    assert ("s3.balance", s3_id("results_total", "total")) in rules

