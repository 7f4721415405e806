"""Hostile published reports (text, HTML, Word, PDF) for the corpus of tests/hostile/make_corpus.py.

Each case is a file the published-report reader must refuse with a clear Chinese message, or read
correctly, within the bounds of docs/threat-model.md (< 5 s CPU, < 500 MB).  Files are built in well
under a second each: bombs are deflated from a repeated compressed block (``bomb_stream``), never
from the inflated bytes.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from xl_disclosure.model.samples import seed_report
from xl_disclosure.writers.render import build_document, render_report, to_html

if TYPE_CHECKING:
    from tests.hostile.make_corpus import Case

ROOT = Path(__file__).resolve().parents[2]
#: A real published PDF report (tests/data/published/SOURCES: 洪泽区 2024).
REAL_PDF = ROOT / "tests" / "data" / "published" / "hongze-2024.pdf"

_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REFUSED = frozenset({2})
READ = frozenset({0, 1})
_TAG = frozenset({"published"})


def _text(n: int, line: Callable[[int], str]) -> bytes:
    return "".join(line(k) for k in range(n)).encode("utf-8")


def repeated_report(size: int) -> str:
    """``size`` bytes (about) of a real published report's text repeated: what a 2 MB text file costs."""
    one = (ROOT / "tests" / "data" / "seed_xixiayuan_2024.txt").read_text(encoding="utf-8")
    return "\n".join([one] * (size // len(one.encode("utf-8")) + 1))


# ---------------------------------------------------------------- Word

def docx_members(tmp: Path) -> dict[str, bytes]:
    """The parts of the seed report rendered as Word (writers.render)."""
    path = render_report(seed_report(), tmp / "_published-base.docx")
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_docx(path: Path, members: dict[str, bytes], document: bytes | None = None, *,
               raw_document: tuple[bytes, int, int] | None = None, extra: int = 0) -> None:
    """A Word file of ``members`` with its document part replaced by ``document``, or by a pre-deflated
    ``raw_document`` (data, CRC, size: a bomb); ``extra`` empty entries added."""
    from tests.hostile.make_corpus import Member, deflate, write_zip

    parts = []
    for name, data in members.items():
        if name == "word/document.xml" and raw_document is not None:
            packed, crc, size = raw_document
            parts.append(Member(name, packed, crc, size))
        elif name == "word/document.xml" and document is not None:
            parts.append(deflate(name, document))
        else:
            parts.append(deflate(name, data))
    parts += [deflate(f"customXml/x{i}.xml", b"") for i in range(extra)]
    write_zip(path, parts)


def _body(inner: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + _W + b"><w:body>" + inner + b"</w:body></w:document>"


# ---------------------------------------------------------------- PDF

def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; object 1 the catalog) with a cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _page_pdf(content: bytes, *, compress: bool = True, resources: bytes = b"", catalog: bytes = b"") -> bytes:
    body = zlib.compress(content, 9) if compress else content
    flt = b" /Filter /FlateDecode" if compress else b""
    return pdf_file([
        b"<< /Type /Catalog /Pages 2 0 R" + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >>" + resources + b" >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(body), flt) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def many_pages_pdf(pages: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
    body = b"BT /F1 12 Tf 100 700 Td (page) Tj ET"
    return pdf_file([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
                     b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream", *([page] * pages)])


def broken_startxref(src: Path) -> bytes:
    """A real PDF whose ``startxref`` points past the end of the file (the reader rebuilds the table)."""
    return re.sub(rb"startxref\s+\d+", b"startxref\n999999", src.read_bytes())


def zeroed_xref(src: Path) -> bytes:
    """A real PDF whose last 400 bytes before ``startxref`` (its cross-reference stream) are zeroed."""
    data = src.read_bytes()
    at = data.rfind(b"startxref")
    return data[:at - 400] + b"\x00" * 400 + data[at:]


def with_javascript(src: Path) -> bytes:
    """A real PDF with an incremental update that gives its catalog an /OpenAction running JavaScript
    and a document-level JavaScript name tree (a reader must never run either)."""
    data = src.read_bytes()
    root = int(re.findall(rb"/Root (\d+) 0 R", data)[-1])
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    m = re.search(rb"\n%d 0 obj\s*<<(.*?)>>\s*endobj" % root, data, re.S)
    assert m is not None, "catalog not found"
    js = size
    catalog = (b"<<" + m.group(1) + b"/OpenAction %d 0 R /Names << /JavaScript << /Names [(a) %d 0 R] >> >> >>"
               % (js, js))
    catalog = re.sub(rb"/Names <</Dests \d+ 0 R>>", b"", catalog)
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    at_catalog = len(out)
    out += b"%d 0 obj\n" % root + catalog + b"\nendobj\n"
    at_js = len(out)
    out += b"%d 0 obj\n<< /S /JavaScript /JS (app.alert\\('x'\\); this.exportDataObject\\({}\\);) >>\nendobj\n" % js
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n%d 1\n%010d 00000 n \n" % (
        root, at_catalog, js, at_js)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (js + 1, root, start, xref)
    return bytes(out)


# ---------------------------------------------------------------- the cases

def published_cases(out: Path, marker_file: Path) -> list[tuple[Case, Callable[[Path], object]]]:
    from tests.hostile.make_corpus import Case, bomb_stream, xxe_doctype

    def case(name: str, exit: frozenset[int], reason: tuple[str, ...], note: str, *, marker: bool = False) -> Case:
        return Case(name, exit, reason, note, marker=marker, tags=_TAG)

    cases: list[tuple[Case, Callable[[Path], object]]] = []
    add = cases.append

    # -- text -----------------------------------------------------------------------------
    add((case("published-2mb.txt", READ, (), "2 MB of a real report's text repeated: read in linear time"),
         lambda p: p.write_text(repeated_report(2 * 1024 * 1024), encoding="utf-8")))
    add((case("published-5mb.txt", REFUSED, ("超过 4 MB",), "5 MB of text: past the 4 MB cap"),
         lambda p: p.write_text(repeated_report(5 * 1024 * 1024), encoding="utf-8")))
    add((case("published-many-lines.txt", REFUSED, ("超过 30000 行",), "40,000 lines that each look like a table row"),
         lambda p: p.write_bytes(_text(40_000, lambda k: f"行政复议{k} 1 2 3 4 5\n"))))
    add((case("published-rows.txt", REFUSED, ("未找到",),
              "29,000 rows with numbers and unknown labels (just under the line cap): the costliest text"),
         lambda p: p.write_bytes(_text(29_000, lambda k: f"行政复议{k} 1 2 3 4 5\n"))))
    s3_head = "三、收到和处理政府信息公开申请情况\n申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
    add((case("published-unknown-rows.txt", REFUSED, ("但其下读不出表格",),
              "table 三 with 20,000 numbered rows of no known label (each would be matched fuzzily)"),
         lambda p: p.write_bytes(s3_head.encode() + _text(20_000, lambda k: f"1.行政复议结果{k} 1 2 3 4 5 6 7 8\n"))))
    add((case("published-long-line.txt", REFUSED, ("个字符，超过每行",), "one line of 300,000 one-digit cells"),
         lambda p: p.write_bytes(b"1 " * 300_000)))

    # -- HTML -----------------------------------------------------------------------------
    html_page = to_html(build_document(seed_report()))
    add((case("published-nested-tables.html", REFUSED, ("嵌套超过",), "10^5 nested tables"),
         lambda p: p.write_text("<html><body>" + "<table>" * 100_000 + "1</body></html>", encoding="utf-8")))
    add((case("published-nested-cells.html", REFUSED, ("个标记，超过",), "10^5 nested tables, each with a row and a cell"),
         lambda p: p.write_text("<html><body>" + "<table><tr><td>" * 100_000 + "1</body></html>", encoding="utf-8")))
    add((case("published-colspan.html", REFUSED, ("未找到",), "1,000 cells of colspan and rowspan 100000"),
         lambda p: p.write_text("<html><body><table><tr>" + '<td colspan="100000" rowspan="100000">1</td>' * 1000
                                + "</tr>" * 1000 + "</table></body></html>", encoding="utf-8")))
    add((case("published-colspan-report.html", READ, (),
              "a real report page whose first cell has colspan=100000: read within bounds"),
         lambda p: p.write_text(html_page.replace("<td", '<td colspan="100000" rowspan="100000"', 1),
                                encoding="utf-8")))
    add((case("published-many-tables.html", REFUSED, ("表格超过 2000 个",), "50,000 tables"),
         lambda p: p.write_text("<html><body>" + "<table>1</table>" * 50_000 + "</body></html>", encoding="utf-8")))
    add((case("published-many-cells.html", REFUSED, ("单元格超过",), "199,000 cells in one table"),
         lambda p: p.write_text("<html><body><table>" + ("<tr>" + "<td>1" * 995) * 200 + "</table></body></html>",
                                encoding="utf-8")))
    add((case("published-17mb.html", REFUSED, ("超过 16 MB",), "a 17 MB page"),
         lambda p: p.write_text(html_page.replace("</body>", "<!--" + "x" * (17 << 20) + "--></body>"),
                                encoding="utf-8")))

    # -- Word -----------------------------------------------------------------------------
    members = docx_members(out)

    def bomb_honest(p: Path) -> None:
        head = _body(b"<w:p><w:r><w:t>")[:-len(b"</w:body></w:document>")]
        tail = b"</w:t></w:r></w:p></w:body></w:document>"
        packed, crc = bomb_stream(head, tail)
        write_docx(p, members, raw_document=(packed, crc, len(head) + (1 << 30) + len(tail)))

    add((case("published-bomb.docx", REFUSED, ("疑似压缩炸弹",), "document part inflating to 1 GB (size declared)"),
         bomb_honest))
    add((case("published-bomb-lying.docx", REFUSED, ("Word",), "document part inflating to 1 GB, declaring 1 KB"),
         lambda p: _lying_bomb(p, members)))
    add((case("published-paragraphs.docx", REFUSED, ("个 XML 标记，超过",), "2,000,000 empty paragraphs"),
         lambda p: write_docx(p, members, _body(b"<w:p/>" * 2_000_000))))
    add((case("published-text-paragraphs.docx", REFUSED, ("超过 30000 个",), "40,000 paragraphs with text"),
         lambda p: write_docx(p, members, _body(b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % k
                                                         for k in range(40_000))))))
    add((case("published-many-tables.docx", REFUSED, ("超过 30000 个",), "100,000 tables"),
         lambda p: write_docx(p, members, _body(b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>" * 100_000))))
    add((case("published-many-cells.docx", REFUSED, ("单元格超过",), "300,000 cells in one table"),
         lambda p: write_docx(p, members, _body(b"<w:tbl>" + (b"<w:tr>" + b"<w:tc><w:p/></w:tc>" * 1000 + b"</w:tr>") * 300
                                                + b"</w:tbl>"))))
    add((case("published-gridspan.docx", REFUSED, ("未找到",), "gridSpan 100000 on 10,000 cells: clamped, bounded"),
         lambda p: write_docx(p, members, _body(b"<w:tbl>" + (b"<w:tr>" + b'<w:tc><w:tcPr><w:gridSpan w:val="100000"/>'
                                                              b"</w:tcPr><w:p/></w:tc>" * 100 + b"</w:tr>") * 100
                                                + b"</w:tbl>"))))
    add((case("published-entries.docx", REFUSED, ("内部部件",), "20,000 zip entries"),
         lambda p: write_docx(p, members, extra=20_000)))
    add((case("published-xxe.docx", REFUSED, ("DTD",), "the document part declares an external entity", marker=True),
         lambda p: write_docx(p, members, members["word/document.xml"].replace(
             b"?>", b"?><!DOCTYPE w:document [" + xxe_doctype(marker_file).encode() + b"]>", 1).replace(
             b"<w:t>", b"<w:t>&xxe;", 1))))
    add((case("published-report.docx", READ, (), "control: the seed report rendered as Word"),
         lambda p: write_docx(p, members)))

    # -- PDF ------------------------------------------------------------------------------
    add((case("published-bomb.pdf", REFUSED, ("异常庞大",), "a content stream inflating to 64 MB of drawing"),
         lambda p: p.write_bytes(_page_pdf(b"BT /F1 1 Tf " + b"(x) Tj " * ((64 << 20) // 7) + b"ET"))))
    add((case("published-huge-stream.pdf", REFUSED, ("异常庞大",), "an 8 MB uncompressed content stream"),
         lambda p: p.write_bytes(_page_pdf(b"BT /F1 1 Tf " + b"(x) Tj " * ((8 << 20) // 7) + b"ET", compress=False))))
    add((case("published-deep-nesting.pdf", REFUSED, ("未找到",), "page resources nested 100,000 arrays deep"),
         lambda p: p.write_bytes(_page_pdf(b"BT /F1 12 Tf 100 700 Td (Hello) Tj ET",
                                           resources=b" /X " + b"[" * 100_000 + b"]" * 100_000))))
    add((case("published-deep-dicts.pdf", REFUSED, ("未找到",), "page resources nested 50,000 dictionaries deep"),
         lambda p: p.write_bytes(_page_pdf(b"BT /F1 12 Tf 100 700 Td (Hello) Tj ET",
                                           resources=b" /X " + b"<< /A " * 50_000 + b">> " * 50_000))))
    add((case("published-many-pages.pdf", REFUSED, ("超过 200 页",), "5,000 pages"),
         lambda p: p.write_bytes(many_pages_pdf(5_000))))
    add((case("published-bad-startxref.pdf", READ, (), "a real report whose startxref points nowhere: rebuilt, read"),
         lambda p: p.write_bytes(broken_startxref(REAL_PDF))))
    add((case("published-bad-xref.pdf", REFUSED, ("已损坏",), "a real report whose cross-reference stream is zeroed"),
         lambda p: p.write_bytes(zeroed_xref(REAL_PDF))))
    add((case("published-javascript.pdf", READ, (), "a real report with an /OpenAction and document JavaScript"),
         lambda p: p.write_bytes(with_javascript(REAL_PDF))))
    return cases


def _lying_bomb(p: Path, members: dict[str, bytes]) -> None:
    from tests.hostile.make_corpus import bomb_stream

    head = _body(b"<w:p><w:r><w:t>")[:-len(b"</w:body></w:document>")]
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    packed, crc = bomb_stream(head, tail)
    write_docx(p, members, raw_document=(packed, crc, 1024))

