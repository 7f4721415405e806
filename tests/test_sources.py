"""Every number read from a real published report cites where it is printed.

For every real report of the corpus (text, HTML, Word, and the PDFs, tests/data/published/ and real/,
with the converted copies in real/converted/), every number of tables 二, 三, 四 that ``parse`` reads
has a source whose excerpt holds that number as printed, and the place it cites holds it too: the
line of the text file (a row rebuilt from one cell a line cites the line of the cell, not its label's),
the table, row and column of the HTML or Word table, the page and the line on the page of the PDF
(and, in a ruled PDF table, its table, row and column) — the page's own glyphs holding the number.
Full-width digits and thousands separators count as the number they print.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from xl_disclosure.readers.pdf import pdf_lines, read_pages
from xl_disclosure.readers.published import (
    TABLE_FIELDS,
    Line,
    docx_lines,
    html_lines,
    read_html_file,
    read_text_file,
)
from xl_disclosure.readers.published_file import parse_file

DATA = Path(__file__).parent / "data"
PUBLISHED = DATA / "published"
READABLE = (".txt", ".md", ".html", ".docx", ".pdf")
FILES = sorted(p for p in (*PUBLISHED.glob("*"), *(PUBLISHED / "real").glob("*"),
                           *(PUBLISHED / "real" / "converted").glob("*"), DATA / "seed_xixiayuan_2024.txt")
               if p.suffix in READABLE)


def _printed(text: str) -> str:
    """``text`` with full-width digits made ASCII and thousands separators dropped."""
    return re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", unicodedata.normalize("NFKC", text))


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _holds(text: str, value: float) -> bool:
    """Whether ``text`` prints ``value`` as a number of its own (not part of a longer one)."""
    return re.search(rf"(?<![\d.]){re.escape(_shown(value))}(?!\d|\.\d)", _printed(text)) is not None


@cache
def _pdf(path: Path) -> tuple[dict[tuple[int, int], Line], list[str]]:
    lines = {(line.page, line.line_no): line for line in pdf_lines(path) if line.page and line.line_no}
    return lines, ["".join(c.text for c in page.chars) for page in read_pages(path)]


def _faults(path: Path) -> list[str]:
    result = parse_file(path)
    suffix = path.suffix
    raw = read_text_file(path).replace("\r\n", "\n").replace("\r", "\n").split("\n") \
        if suffix in (".txt", ".md") else []
    rows: dict[tuple[int, int], Line] = {}
    if suffix in (".html", ".docx"):
        doc = html_lines(read_html_file(path)) if suffix == ".html" else docx_lines(path)
        rows = {(line.table, line.number): line for line in doc if line.table is not None}
    faults = []
    for fid in TABLE_FIELDS:
        v = result.report.values.get(fid)
        if not isinstance(v, int | float) or isinstance(v, bool):
            continue
        src = result.sources.get(fid)
        if src is None:
            faults.append(f"{fid}={v}: no source")
            continue
        if not _holds(src.get("excerpt", ""), v):
            faults.append(f"{fid}={v}: excerpt “{src.get('excerpt')}” does not print it")
            continue
        if suffix in (".txt", ".md"):
            n = src.get("line", 0)
            if not 1 <= n <= len(raw) or not _holds(raw[n - 1], v):
                faults.append(f"{fid}={v}: line {n} of the file does not print it")
            label = src.get("label_line")
            if label is not None and not (1 <= label <= len(raw) and raw[label - 1].strip()):
                faults.append(f"{fid}={v}: label line {label} is not a line of the file")
        elif suffix in (".html", ".docx"):
            row, col = rows.get((src.get("table"), src.get("row"))), src.get("column", 0)
            if row is None or not 1 <= col <= len(row.cover) or not _holds(row.cover[col - 1], v):
                faults.append(f"{fid}={v}: table {src.get('table')} row {src.get('row')} column {col} does not print it")
        else:
            lines, pages = _pdf(path)
            page, n = src.get("page", 0), src.get("line", 0)
            line = lines.get((page, n))
            if not 1 <= page <= len(pages) or line is None or not _holds(line.text, v):
                faults.append(f"{fid}={v}: page {page} line {n} does not print it")
            elif _shown(v) not in _printed(pages[page - 1]):  # the page's glyphs, in their order, without blanks
                faults.append(f"{fid}={v}: page {page}'s glyphs do not hold it")
            elif "column" in src and (src.get("table"), src.get("row")) != (line.table, line.number):
                faults.append(f"{fid}={v}: page {page} line {n} is not table {src['table']} row {src['row']}")
            elif "column" in src and not _holds(line.cover[src["column"] - 1], v):
                faults.append(f"{fid}={v}: column {src['column']} of that row does not print it")
    return faults


def test_the_corpus_has_every_kind_of_file():
    assert {p.suffix for p in FILES} == set(READABLE)
    assert len(FILES) >= 40


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_number_cites_where_it_is_printed(path: Path):
    faults = _faults(path)
    assert not faults, "\n".join(faults[:20])


def test_a_check_that_can_fail():
    # the label's line of a row rebuilt from one cell a line does not print its numbers: citing it fails
    text = "行政许可\n\n11839\n"
    assert not _holds(text.split("\n")[0], 11839) and _holds(text.split("\n")[2], 11839)
    assert _holds("１１,８３９ 件", 11839) and not _holds("118390", 11839) and not _holds("1.5", 1)
