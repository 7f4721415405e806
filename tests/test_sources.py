"""Every number read from a real published report cites where it is printed.

For every real report of the corpus (text, HTML, XHTML and MHTML, Word, OpenDocument, RTF, and the PDFs,
tests/data/published/ and real/, with the converted copies in real/converted/), every number of tables 二, 三, 四 that ``parse`` reads
has a source whose excerpt holds that number as printed, and the place it cites holds it too: the
line of the text file (a row rebuilt from one cell a line cites the line of the cell, not its label's),
the table, row and column of the HTML or Word table, the page and the line on the page of the PDF
(and, in a ruled PDF table, its table, row and column) — the page's own glyphs holding the number.
Full-width digits and thousands separators count as the number they print.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from xl_disclosure.readers.doc import read_rtf
from xl_disclosure.readers.odt import odt_lines
from xl_disclosure.readers.pdf import pdf_lines, read_pages
from xl_disclosure.readers.published import (
    TABLE_FIELDS,
    Line,
    ParseResult,
    docx_lines,
    html_lines,
    parse_html,
    parse_text,
    read_html_file,
    read_mhtml_file,
    read_text_file,
)
from xl_disclosure.readers.published_file import parse_file

DATA = Path(__file__).parent / "data"
PUBLISHED = DATA / "published"
READABLE = (".txt", ".md", ".html", ".xhtml", ".mhtml", ".docx", ".odt", ".rtf", ".pdf")
FILES = sorted(p for p in (*PUBLISHED.glob("*"), *(PUBLISHED / "real").glob("*"),
                           *(PUBLISHED / "real" / "converted").glob("*"), DATA / "seed_xixiayuan_2024.txt")
               if p.suffix in READABLE)


def _printed(text: str) -> str:
    """``text`` with full-width digits made ASCII and thousands separators dropped."""
    return re.sub(r"(?<=\d)[,，](?=\d{3}(?!\d))", "", unicodedata.normalize("NFKC", text))


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _holds(text: str, value: float) -> bool:
    """Whether ``text`` prints ``value`` as a number of its own (not part of a longer one); a fraction may be
    printed with trailing zeros (收费 “18.8710” 万元, 阿巴嘎旗自然资源局 2023)."""
    shown = _shown(value)
    zeros = "0*" if "." in shown else ""
    return re.search(rf"(?<![\d.]){re.escape(shown)}{zeros}(?!\d|\.\d)", _printed(text)) is not None


@cache
def _pdf(path: Path) -> tuple[dict[tuple[int, int], Line], list[str]]:
    lines = {(line.page, line.line_no): line for line in pdf_lines(path) if line.page and line.line_no}
    return lines, ["".join(c.text for c in page.chars) for page in read_pages(path)]


def _faults(path: Path) -> list[str]:
    """What is wrong with the sources of the numbers read from the file ``path``."""
    suffix = path.suffix
    if suffix in (".txt", ".md"):
        return _text_faults(parse_file(path), read_text_file(path))
    if suffix in (".html", ".xhtml"):
        return _table_faults(parse_file(path), html_lines(read_html_file(path)))
    if suffix == ".docx":
        return _table_faults(parse_file(path), docx_lines(path))
    if suffix == ".mhtml":
        return _table_faults(parse_file(path), html_lines(read_mhtml_file(path)))
    if suffix == ".odt":
        return _table_faults(parse_file(path), odt_lines(path))
    if suffix == ".rtf":
        return _table_faults(parse_file(path), read_rtf(path, path.name, docx_lines))
    return _pdf_faults(parse_file(path), path)


def _numbers(result: ParseResult) -> Iterator[tuple[str, float, dict[str, Any]]]:
    """(field, value, source) of each number read into tables 二, 三, 四; ``{}`` for a number without one."""
    for fid in TABLE_FIELDS:
        v = result.report.values.get(fid)
        if isinstance(v, int | float) and not isinstance(v, bool):
            yield fid, v, result.sources.get(fid, {})


def _conflicts(result: ParseResult) -> Iterator[tuple[str, float, dict[str, Any]]]:
    """(field, the number not kept, where it is printed) of each cell printed twice with different numbers."""
    for fid, c in result.coverage.conflicts.items():
        yield f"{fid} (printed twice)", c["other"], c.get("source", {})


def _cited(fid: str, v: float, src: dict[str, Any]) -> str | None:
    if not src:
        return f"{fid}={v}: no source"
    if not _holds(src.get("excerpt", ""), v):
        return f"{fid}={v}: excerpt “{src.get('excerpt')}” does not print it"
    return None


def _text_faults(result: ParseResult, text: str) -> list[str]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    faults = []
    for fid, v, src in (*_numbers(result), *_conflicts(result)):
        if fault := _cited(fid, v, src):
            faults.append(fault)
            continue
        n = src.get("line", 0)
        if not 1 <= n <= len(raw) or not _holds(raw[n - 1], v):
            faults.append(f"{fid}={v}: line {n} of the file does not print it")
        label = src.get("label_line")
        if label is not None and not (1 <= label <= len(raw) and raw[label - 1].strip()):
            faults.append(f"{fid}={v}: label line {label} is not a line of the file")
    return faults


def _table_faults(result: ParseResult, doc: list[Line]) -> list[str]:
    rows = {(line.table, line.number): line for line in doc if line.table is not None}
    faults = []
    for fid, v, src in (*_numbers(result), *_conflicts(result)):
        if fault := _cited(fid, v, src):
            faults.append(fault)
            continue
        row, col = rows.get((src.get("table"), src.get("row"))), src.get("column", 0)
        if row is None or not 1 <= col <= len(row.cover) or not _holds(row.cover[col - 1], v):
            faults.append(f"{fid}={v}: table {src.get('table')} row {src.get('row')} column {col} does not print it")
    return faults


def _pdf_faults(result: ParseResult, path: Path) -> list[str]:
    lines, pages = _pdf(path)
    faults = []
    for fid, v, src in (*_numbers(result), *_conflicts(result)):
        if fault := _cited(fid, v, src):
            faults.append(fault)
            continue
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


HEAD3 = "三、收到和处理政府信息公开申请情况\n自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
NEW3 = "一、本年新收政府信息公开申请数量\t５\t0\t0\t0\t0\t0\t５\n"
H4 = "<p>四、政府信息公开行政复议、行政诉讼情况</p>"
RES = "".join(f"<td>{x}</td>" for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))


def _tr(*vals: object) -> str:
    return "<tr>" + "".join(f"<td>{v}</td>" for v in vals) + "</tr>"


TEXTS = {
    # the numbers on the middle line of a label wrapped over three
    "wrapped label": HEAD3 + NEW3 + "5.要求行政机关确认或重新出\n\t0\t0\t0\t0\t0\t2\t2\n具已获取信息\n",
    # a label printed garbled, and one torn with its tail on the value row
    "fuzzy and torn labels": HEAD3 + NEW3 + "2.其他法律行政止公开\t3\t0\t0\t0\t0\t0\t3\n"
                             "| 缴纳费用、 | 行政机关不再处理其政 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n",
    # （六） printed as one row
    "collapsed rows": HEAD3 + NEW3 + "（六）其他处理\t4\t0\t0\t0\t0\t0\t4\n（七）总计\t９\t0\t0\t0\t0\t0\t９\n",
    # table 四 as 15 numbers after its header words, and one cell a line ending “ |”
    "table 四 flattened": "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n"
                         + "结果维持 结果纠正 其他结果 尚未审结 总计 " * 3 + "\n0 1 1 0 2 1 0 0 0 1 0 0 0 0 0\n",
    "one cell a line": "二、主动公开政府信息情况\n|\n第二十条第(一)项 | |||\n|\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n"
                       "现行有效件数 |\n|\n规章 |\n1 |\n2 |\n3 |\n|\n行政规范性文件 |\n5 |\n1,204 |\n8 |\n",
    "one cell a line, no separator": "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\n本年处理决定数量\n"
                                     "行政许可\n\n29858\n\n第二十条第（六）项\n信息内容\n本年处理决定数量\n"
                                     "行政处罚\n\n１２\n\n行政强制\n\n3\n",
}
HTMLS = {
    "table 四 over two tables": H4 + f"<table><tr><td colspan=5>行政复议</td></tr><tr>{RES}</tr>" + _tr(1, 0, 0, 0, 1)
                                + "</table><table><tr><td colspan=10>行政诉讼</td></tr><tr><td colspan=5>未经复议直接起诉"
                                "</td><td colspan=5>复议后起诉</td>" + f"</tr><tr>{RES}{RES}</tr>"
                                + _tr(2, 0, 0, 1, 3, 0, 1, 0, 0, 1) + "</table>",
}


@pytest.mark.parametrize("name", TEXTS)
def test_each_text_layout_cites_the_line_of_each_number(name: str):
    result = parse_text(TEXTS[name])
    assert sum(1 for _ in _numbers(result)) >= 3, "the layout is read"
    assert not _text_faults(result, TEXTS[name])


@pytest.mark.parametrize("name", HTMLS)
def test_each_table_layout_cites_the_cell_of_each_number(name: str):
    result = parse_html(HTMLS[name])
    assert sum(1 for _ in _numbers(result)) >= 10
    assert not _table_faults(result, html_lines(HTMLS[name]))


def test_a_cell_on_a_line_of_its_own_is_cited_there_with_its_row():
    src = parse_text(TEXTS["one cell a line, no separator"]).sources["s2_licensing_decisions"]
    assert (src["line"], src["excerpt"], src["label_line"], src["row_excerpt"]) == (7, "29858", 5, "行政许可 29858")
