"""OpenDocument text (.odt) of published reports: the paragraphs and tables of its ``content.xml``.

A report written in LibreOffice Writer, or saved by WPS as OpenDocument, is a zip whose ``content.xml``
holds the body: paragraphs (``text:p``, ``text:h``, inside lists and sections too) and tables
(``table:table``, rows grouped or not, a merged cell giving its ``number-columns-spanned`` /
``number-rows-spanned`` and the cells it covers written ``table:covered-table-cell``).  Those are read
into the parser's lines exactly as an HTML page's are: each table a grid with its merged cells expanded.
Read with the bounds of a Word file: the file's size, its entries, the decompressed size of the part (a zip
bomb is stopped at the limit), no DTD, and the number of elements, all before the XML is parsed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from xl_disclosure.readers import published
from xl_disclosure.readers.published import (
    MAX_DOCX_ELEMENTS,
    MAX_LINES,
    Budget,
    Line,
    ParseError,
)
from xl_disclosure.readers.zipparts import TooLarge, has_dtd, read_bounded

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_P, _H = f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"
_S, _TAB, _BREAK = f"{{{_TEXT}}}s", f"{{{_TEXT}}}tab", f"{{{_TEXT}}}line-break"
_NOTE = f"{{{_TEXT}}}note"
_TBL, _ROW = f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row"
_CELL, _COVERED = f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"
_BODY_TEXT = f"{{{_OFFICE}}}body/{{{_OFFICE}}}text"
#: The mimetype of an OpenDocument text (and of its template).
TEXT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
_LIMIT = "未读取。若确是年度报告，请另存为 .docx 或 PDF 后再试"


def odt_lines(path: str | Path) -> list[Line]:
    """Lines of an OpenDocument text's body: its paragraphs, and the rows of its tables; ParseError past the bounds."""
    text = _odt_body(Path(path))
    budget = Budget()
    # counted before any table is expanded (nested tables included; a repeated cell as the cells it stands for)
    Budget().take(tables=sum(1 for _ in text.iter(_TBL)),
                  cells=sum(_span(c, "number-columns-repeated") for c in text.iter(_CELL, _COVERED)))
    lines: list[Line] = []
    tables = [0]

    def walk(el: Any, depth: int) -> None:
        if depth > published.MAX_DEPTH:
            raise ParseError(f"OpenDocument 文件的元素嵌套超过 {published.MAX_DEPTH} 层，{_LIMIT}。")
        for child in el.iterchildren():
            if child.tag in (_P, _H):
                for part in _inline_text(child).split("\n"):
                    if part.strip():
                        lines.extend(published._paragraph_lines(part, budget))
            elif child.tag == _TBL:
                tables[0] += 1
                lines.extend(published._grid_lines(_table_rows(child), tables[0], budget))
            elif isinstance(child.tag, str):
                walk(child, depth + 1)  # lists, list items, sections, index bodies
            if len(lines) > MAX_LINES:
                raise ParseError(f"OpenDocument 文件有超过 {MAX_LINES} 个段落和表格行，{_LIMIT}。")

    walk(text, 0)
    return lines


def _odt_body(path: Path) -> Any:
    """The ``office:text`` of ``content.xml``, read with bounds."""
    from lxml import etree

    zf = published.open_document_zip(path, "OpenDocument 文件")
    mimetype = _part(zf, "mimetype", 1024).decode("ascii", "replace").strip()
    if mimetype not in TEXT_MIMETYPES:
        raise ValueError(f"not an OpenDocument text, mimetype is '{mimetype}'")
    blob = _part(zf, "content.xml", published.MAX_DOCX_PART)
    elements = blob.count(b"<")
    if elements > MAX_DOCX_ELEMENTS:
        raise ParseError(f"OpenDocument 文件的正文有 {elements} 个 XML 标记，超过 {MAX_DOCX_ELEMENTS} 个的上限，{_LIMIT}。")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(blob, parser)
    body = root.find(_BODY_TEXT)
    if body is None:
        raise KeyError("no office:text")
    return body


def _part(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = next((i for i in zf.infolist() if i.filename == name), None)
    if info is None:
        raise KeyError(f"no part {name}")
    try:
        blob = read_bounded(zf, info, limit)
    except TooLarge as exc:
        raise ParseError(f"OpenDocument 文件内部部件 {name} 解压后超过 {limit // (1024 * 1024)} MB（疑似压缩炸弹），"
                         f"{_LIMIT}。") from exc
    if has_dtd(blob):
        raise ParseError(f"OpenDocument 文件内部部件 {name} 含有文档类型定义（DTD/实体声明），正常的文件不会有，"
                         f"可能是恶意构造的文件，未读取。")
    return blob


def _inline_text(el: Any, *, in_cell: bool = False) -> str:
    """The text of a paragraph: spans and links as they read, ``text:s`` as blanks, tabs and line breaks kept
    (a line break inside a table cell is a blank, as in a page's cell), notes left out."""
    parts: list[str] = [el.text or ""]
    for child in el.iterchildren():
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == _S:
            try:
                parts.append(" " * max(1, min(100, int(child.get(f"{{{_TEXT}}}c", "1")))))
            except ValueError:
                parts.append(" ")
        elif tag == _TAB:
            parts.append(" " if in_cell else "\t")
        elif tag == _BREAK:
            parts.append(" " if in_cell else "\n")
        elif tag and tag != _NOTE:
            parts.append(_inline_text(child, in_cell=in_cell))
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_text(cell: Any) -> str:
    return published._clean(" ".join(_inline_text(p, in_cell=True) for p in cell.iter(_P, _H)))


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(100, int(cell.get(f"{{{_TABLE}}}{name}", "1"))))
    except ValueError:
        return 1


def _table_rows(table: Any) -> list[list[tuple[str, int, int]]]:
    """(text, rowspan, colspan) of the cells of each row of ``table`` (not of tables nested in it); a cell
    repeated (``number-columns-repeated``, an empty run of cells) stands once per column it covers."""
    rows = []
    for tr in table.iter(_ROW):
        if next(tr.iterancestors(_TBL), None) is not table:
            continue
        cells: list[tuple[str, int, int]] = []
        for tc in tr.iterchildren(_CELL, _COVERED):
            if tc.tag == _COVERED:
                continue  # the grid expands the cell that covers it
            repeat = _span(tc, "number-columns-repeated")
            text = _cell_text(tc)
            cells.extend([(text, _span(tc, "number-rows-spanned"), _span(tc, "number-columns-spanned"))] * repeat)
        rows.append(cells)
    return rows


__all__ = ["TEXT_MIMETYPES", "odt_lines"]
