"""Word files read as Word shows them: tracked changes accepted, content controls and smart tags opened.

Each case is the real city-2025 report as LibreOffice saved it in Word format (``converted/``), with one piece
of markup that Word writes put in by hand: a number changed with its changes tracked, a row deleted with its
changes tracked, cells and rows inside content controls (``w:sdt``), a heading inside a content control, a
date inside a smart tag, a text box (kept twice, as Word's drawing and as an older copy for other programs).
"""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from xl_disclosure.form import s3_id
from xl_disclosure.readers.published import docx_paragraph_text
from xl_disclosure.readers.published_file import parse_file

BASE = Path(__file__).parent / "data" / "published" / "real" / "converted" / "city-2025-anonymised.libreoffice.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def el(tag: str, *children: etree._Element, text: str | None = None, **attrs: str) -> etree._Element:
    ns, name = tag.split(":")
    e = etree.Element(qn(tag) if ns == "w" else f"{{{MC}}}{name}")
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), v)
    if text is not None:
        e.text = text
    e.extend(children)
    return e


def run(text: str, *, deleted: bool = False) -> etree._Element:
    return el("w:r", el("w:delText" if deleted else "w:t", text=text))


def row_of(table, label: str):
    return next(r for r in table.rows if r.cells[0].text.startswith(label))


def set_cell(cell, *runs: etree._Element) -> None:
    p = cell.paragraphs[0]._p
    for r in p.findall(qn("w:r")):
        p.remove(r)
    p.extend(runs)


def save(doc, tmp_path: Path) -> dict:
    path = tmp_path / "report.docx"
    doc.save(str(path))
    return parse_file(path).report.values


@pytest.fixture
def doc():
    return docx.Document(str(BASE))


def test_the_base_file_reads_the_numbers_the_cases_change(doc, tmp_path):
    values = save(doc, tmp_path)
    assert values[s3_id("new", "natural")] == 13612 and values[s3_id("carried", "natural")] == 535


def test_a_number_changed_with_tracked_changes_is_the_new_number(doc, tmp_path):
    row = row_of(doc.tables[1], "一、本年新收")
    deleted = el("w:del", run("13612", deleted=True), id="1", author="a")
    inserted = el("w:ins", run("13611"), id="2", author="a")
    set_cell(row.cells[3], deleted, inserted)
    assert save(doc, tmp_path)[s3_id("new", "natural")] == 13611


def test_a_row_deleted_with_tracked_changes_is_no_row(doc, tmp_path):
    table = doc.tables[1]._tbl
    carried = row_of(doc.tables[1], "二、上年结转")._tr
    old = copy.deepcopy(carried)  # the row as it was, deleted: its numbers kept as deleted text
    for t in old.iter(qn("w:t")):
        t.tag = qn("w:delText")
        if t.text == "535":
            t.text = "999"
    tr_pr = old.find(qn("w:trPr"))
    if tr_pr is None:
        tr_pr = el("w:trPr")
        old.insert(0, tr_pr)
    tr_pr.append(el("w:del", id="3", author="a"))
    table.insert(table.index(carried), old)
    values = save(doc, tmp_path)
    assert values[s3_id("carried", "natural")] == 535 and values[s3_id("carried", "total")] == 560


def test_rows_and_cells_inside_content_controls_are_read_in_place(doc, tmp_path):
    table = doc.tables[1]._tbl
    carried = row_of(doc.tables[1], "二、上年结转")._tr
    at = table.index(carried)
    table.remove(carried)
    table.insert(at, el("w:sdt", el("w:sdtContent", carried)))  # a repeating section around the row
    new = row_of(doc.tables[1], "一、本年新收")._tr
    cells = new.findall(qn("w:tc"))
    natural = cells[3]
    new.replace(natural, el("w:sdt", el("w:sdtContent", copy.deepcopy(natural))))  # one cell in a control
    values = save(doc, tmp_path)
    assert values[s3_id("carried", "natural")] == 535 and values[s3_id("carried", "total")] == 560
    assert values[s3_id("new", "natural")] == 13612 and values[s3_id("new", "commercial")] == 252


def test_a_heading_inside_a_content_control_is_found(doc, tmp_path):
    heading = next(p for p in doc.paragraphs if p.text.startswith("五、"))._p
    body = heading.getparent()
    at = body.index(heading)
    body.remove(heading)
    body.insert(at, el("w:sdt", el("w:sdtContent", heading)))
    path = tmp_path / "report.docx"
    doc.save(str(path))
    assert "五" in parse_file(path).coverage.sections_found


def test_paragraph_text_opens_smart_tags_and_insertions_and_skips_deletions_and_copies():
    p = el("w:p", run("共收到申请"), el("w:del", run("12", deleted=True)), el("w:ins", run("15")),
           el("w:smartTag", run("件"), element="x"), el("w:sdt", el("w:sdtContent", run("，"))),
           el("w:r", el("w:tab")), el("w:hyperlink", run("详见附件")),
           el("w:r", el("mc:AlternateContent",
                        el("mc:Choice", el("w:drawing", el("w:txbxContent", el("w:p", run("文本框"))))),
                        el("mc:Fallback", el("w:pict", el("w:txbxContent", el("w:p", run("文本框"))))))))
    assert docx_paragraph_text(p) == "共收到申请15件，\t详见附件"
