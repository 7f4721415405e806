"""Reading a published report saved as PDF into the parser's document model (``list[Line]``).

A PDF has no paragraphs, no tables and no cells: only glyphs at positions and
the strokes and rectangles of the table rulings.  This module rebuilds what the
other readers get for free:

* **tables** — where rulings form a grid (Word/WPS/LibreOffice exports draw
  every cell border as a line or a filled rectangle), the grid lines give the
  columns and rows, a missing border between two grid cells makes them one
  merged cell, and every glyph goes into the cell under its centre.  Each row
  becomes a positional :class:`~xl_disclosure.readers.published.Line` with the text covering
  each grid column, exactly like an HTML or Word table, so the parser reads the
  headers by position.  A grid that goes on at the top of the next page with
  the same columns is the same table.  Without rulings the rows are rebuilt
  from the text alone: glyph runs separated by wide gaps are cells, and the
  lines of a row label that wraps around the line holding its numbers are
  joined to that row;
* **paragraphs** — text lines are joined while a line runs to the right margin
  and the next one is not indented, also across a page break;
* **page furniture** — page numbers (“- 4 -”, “第 4 页”) and running headers
  and footers repeated at the same place on most pages are dropped.

Every line remembers its page and its line number on the page.

Library: pypdfium2 (PDFium, Apache-2.0/BSD), chosen over pdfplumber/pdfminer.six
by measurement on real reports: both give identical characters (the same glyph
multiset as poppler's pdftotext on every page), but PDFium gives characters,
boxes and ruling paths of a five-page report in about 0.02 s against 0.3–0.7 s
for pdfplumber's words and table finder, and it refuses damaged or password
protected files with a clear error code.

Hostile files are bounded before PDFium parses any page: file size, the
decompressed size of page contents (a decompression bomb is refused from the raw
bytes), page count (from the cross-reference table); then characters and drawing
objects per page, and total time.
"""

from __future__ import annotations

import ctypes
import re
import time
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from xl_disclosure.form import S2_BLOCKS
from xl_disclosure.readers.published import ROW_START, UNREADABLE, Line, ParseError, heading_of, text_lines

#: Refuse larger files outright (a published report is well under a few MB).
MAX_BYTES = 64 * 1024 * 1024
#: Refuse PDFs with more pages, before reading any page.
MAX_PAGES = 200
#: Refuse a page with more characters (a report page has at most a few thousand).
MAX_PAGE_CHARS = 20_000
#: Refuse a document with more characters in all.
MAX_CHARS = 400_000
#: Drawing objects looked at per page for rulings; more are ignored (rulings then come from the first ones).
MAX_PATHS = 20_000
#: Page objects of all kinds looked at per page (paths, text, forms, images); more are ignored.
MAX_OBJECTS = 3 * MAX_PATHS
#: Stop reading after this many seconds.
MAX_SECONDS = 30.0

SCAN_MESSAGE = "这是扫描件，没有可读取的文字，请提供带文字的 PDF 或网页/Word 版本"

#: Positions closer than this (points) are the same grid line.
SNAP = 2.5
#: A glyph box less tall than this many ems is the glyph's outline, not its font box (“一” is a flat stroke).
FLAT_BOX = 0.6
#: The part of the em below the baseline, for a glyph box built from its baseline.
DESCENT = 0.12
GARBLED_MESSAGE = ("PDF 中的文字提取出来是乱码（所用字体没有附带文字编码，复制出来的文字也是乱码），无法读取。"
                   "请提供网页或 Word 版本，或用 WPS/Word 重新“导出为 PDF”。")
#: Unicode blocks a Chinese report's text is written in: ASCII and Latin-1, Greek, punctuation and symbols
#: (general punctuation to miscellaneous symbols and arrows, with enclosed numbers “①”), CJK symbols, enclosed
#: CJK and units, CJK ideographs (extension A, unified, compatibility), vertical forms, full-width forms.
REPORT_TEXT_BLOCKS = ((0x20, 0x7E), (0xA0, 0xFF), (0x370, 0x3FF), (0x2000, 0x2BFF), (0x3000, 0x303F),
                      (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
                      (0xFF00, 0xFFEF))
#: A PDF whose characters are at least this share outside :data:`REPORT_TEXT_BLOCKS` extracts as garbage (fonts
#: without a ToUnicode map: Arabic, Sinhala, Thai letters and control codes where the page shows Chinese); the
#: real reports and their conversions have none.
GARBLED_SHARE = 0.25
#: ... counted only over at least this many characters.
GARBLED_LEAST = 50
#: A page whose characters are at least this share invisible is a scan with a recognised (OCR) text layer.
OCR_SHARE = 0.5


# ---------------------------------------------------------------------------
# Page content
# ---------------------------------------------------------------------------

@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass
class Edge:
    """A ruling: horizontal (``pos`` = y, span in x) or vertical (``pos`` = x, span in y); top-down page space."""

    horizontal: bool
    pos: float
    start: float
    end: float


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    edges: list[Edge]
    #: How many of ``chars`` are drawn invisible (text render mode 3): the text layer an OCR program lays over a
    #: scanned page's image, so that the page can be searched and copied.
    invisible: int = 0
    #: The share of the page its largest image covers (0 when it has none).
    image_share: float = 0.0

    @property
    def ocr(self) -> bool:
        """Whether the page's text is an invisible layer over its image (a scan with recognised text)."""
        return bool(self.chars) and self.invisible >= OCR_SHARE * len(self.chars)


@dataclass
class TextLine:
    """Glyphs on one visual line, left to right."""

    chars: list[Char]
    page: int

    @property
    def x0(self) -> float:
        return min(c.x0 for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def size(self) -> float:
        return Counter(round(c.size) for c in self.chars).most_common(1)[0][0]

    def segments(self, gap: float) -> list[str]:
        """The line's text split where the glyphs are further apart than ``gap`` × glyph size."""
        out: list[list[Char]] = [[self.chars[0]]]
        for prev, ch in zip(self.chars, self.chars[1:], strict=False):
            if ch.x0 - prev.x1 > gap * min(prev.size, ch.size):
                out.append([])
            out[-1].append(ch)
        return [join_chars(run) for run in out]

    @property
    def text(self) -> str:
        return join_chars(self.chars)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def join_chars(chars: list[Char]) -> str:
    """Glyphs of one line as text: a space where a gap separates Latin letters or digits, none inside CJK text."""
    out = []
    prev: Char | None = None
    for ch in chars:
        if prev is not None:
            gap = ch.x0 - prev.x1
            em = min(prev.size, ch.size)
            wide = _is_wide(prev.text[-1]) or _is_wide(ch.text[0])
            if gap > (0.9 if wide else 0.2) * em:
                out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out)


def join_text(parts: Iterable[str]) -> str:
    """Lines of one paragraph or one cell: CJK lines run on, Latin words keep a space between them."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not _is_wide(out[-1]) and not _is_wide(part[0]) and out[-1] != "-":
            out += " "
        out += part
    return out


def group_lines(chars: list[Char], page: int) -> list[TextLine]:
    """Glyphs grouped into visual lines (a glyph whose centre lies within a line's height joins it).

    A line's height is measured from its middle glyph (in the order of their centres): a glyph set a little
    off the line (a group label's last character between two item lines, “理”) that begins a line does not
    then push the rest of that line's glyphs (“2.” in a Latin font, its centre lower) onto a line of their own.
    """
    lines: list[TextLine] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines:
            cur = lines[-1]
            ref = cur.chars[len(cur.chars) // 2]
            if abs(ch.cy - ref.cy) <= 0.45 * min(ch.size, ref.size):
                cur.chars.append(ch)
                continue
        lines.append(TextLine([ch], page))
    lines = [part for line in lines for part in _unstack(line)]
    for line in lines:
        line.chars.sort(key=lambda c: c.x0)
        # the same glyph drawn twice (a bold effect) counts once
        dedup: list[Char] = []
        for ch in line.chars:
            prev = dedup[-1] if dedup else None
            if (prev is not None and ch.text == prev.text and abs(ch.x0 - prev.x0) < 0.3 * (prev.x1 - prev.x0)
                    and abs(ch.top - prev.top) < 0.3 * ch.size):
                continue
            dedup.append(ch)
        line.chars = dedup
    return lines


def _unstack(line: TextLine) -> list[TextLine]:
    """A line holding glyphs stacked one above another, cut into the lines they stand on.

    Glyphs of one visual line never share their place across the line.  Tall glyph boxes (a Latin font's box
    is higher than the CJK one) can draw the two lines of a number wrapped in its narrow cell (“216” over “8”,
    set around the row's line) into the row's line, where read left to right they would give “2816”.
    """
    chars = line.chars
    if len(chars) < 2:
        return [line]
    by_x = sorted(chars, key=lambda c: c.x0)
    stacked = any(b.x0 < a.x1 - 0.5 * min(a.x1 - a.x0, b.x1 - b.x0) and abs(b.cy - a.cy) > 0.25 * min(a.size, b.size)
                  for a, b in zip(by_x, by_x[1:], strict=False))
    if not stacked:
        return [line]
    out: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: c.cy):
        if out and ch.cy - out[-1][-1].cy <= 0.25 * min(ch.size, out[-1][-1].size):
            out[-1].append(ch)
        else:
            out.append([ch])
    return [TextLine(part, line.page) for part in out]


#: A number wrapped in its cell: every line of the cell digits only.
_DIGITS = re.compile(r"\d+")


def wrapped_number(lines: list[TextLine], left: float, right: float) -> str | None:
    """The number a cell from ``left`` to ``right`` holds wrapped over ``lines`` (“1381” over “0”), or None.

    Each line but the last must run over the cell's whole width, so that the next digit had no room: two
    numbers of two rows merged into one cell (a ruling missed) stand short in it, and are not run together.
    """
    if len(lines) < 2 or not all(_DIGITS.fullmatch(join_chars(t.chars)) for t in lines):
        return None
    for t in lines[:-1]:
        em = t.size
        if t.x0 - left > 1.2 * em or right - t.x1 > 1.2 * em:
            return None
    return "".join(join_chars(t.chars) for t in lines)


# ---------------------------------------------------------------------------
# Opening the file
# ---------------------------------------------------------------------------

def _check_bytes(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ParseError(f"文件过大（{size // (1024 * 1024)} MB），已发布的年度报告不应超过 {MAX_BYTES // (1024 * 1024)} MB，未读取。")
    data = path.read_bytes()
    head, tail = data[:1024], data[-2048:]
    if b"%PDF-" not in head:
        raise ParseError("不是 PDF 文件（文件开头没有 PDF 标记），可能是改了扩展名的其他文件。请确认文件类型。")
    if b"%%EOF" not in tail:
        raise ParseError("PDF 文件不完整（缺少文件结尾，可能下载或复制时被截断），无法可靠读取。请重新下载或获取完整文件。")
    check_streams(data)


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_NOT_CONTENT = re.compile(rb"/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType)|/Length[123]\b|/Type\s*/(?:XRef|Metadata)")
#: Drawing instructions one stream may hold once decompressed (a report page has some tens of KB), and in all.
MAX_STREAM_BYTES = 4 * 1024 * 1024
MAX_CONTENT_BYTES = 32 * 1024 * 1024


def check_streams(data: bytes) -> None:
    """Refuse a decompression bomb before PDFium parses it: a few hundred KB of compressed page content can
    expand to gigabytes of drawing instructions, and PDFium builds an object for each.

    Page contents, form XObjects and object streams are inflated here with a cap (images and embedded
    fonts are skipped: they are large in ordinary reports and PDFium decodes them only to draw).
    Streams this check cannot decode (encrypted, other filters) are left to the page limits.
    """
    total = 0
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 2048):m.start()]
        start = head.rfind(b" obj")
        head = head[start:] if start >= 0 else head
        if _NOT_CONTENT.search(head):
            continue
        end = data.find(b"endstream", m.end())
        body = data[m.end():end if end >= 0 else len(data)]
        filters = re.findall(rb"/(\w+Decode|Fl|AHx|A85|LZW|RL|DCT)\b", head)
        if not filters:
            size = len(body)
        elif all(f in (b"FlateDecode", b"Fl") for f in filters) and len(filters) == 1:
            inflater = zlib.decompressobj()
            try:
                size = len(inflater.decompress(body, MAX_STREAM_BYTES + 1))
            except zlib.error:
                continue  # encrypted or damaged: PDFium decides
        else:
            continue
        total += size
        if size > MAX_STREAM_BYTES or total > MAX_CONTENT_BYTES:
            raise ParseError("PDF 中的页面内容解压后异常庞大（可能是恶意构造的文件），为安全起见未读取。")


def _open(path: Path):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise ParseError("PDF 已加密，需要密码才能打开，无法读取。请提供未加密的 PDF 或网页/Word 版本。") from exc
        if code == raw.FPDF_ERR_SECURITY:
            raise ParseError("PDF 使用了不支持的加密方式，无法读取。请提供未加密的 PDF 或网页/Word 版本。") from exc
        raise ParseError("PDF 文件已损坏或格式不正确，无法打开。请重新下载或获取完整文件。") from exc
    return doc


def read_pages(path: str | Path) -> list[Page]:
    """Characters and rulings of every page (top-down coordinates, points); ParseError for files to refuse."""
    import pypdfium2.raw as raw

    path = Path(path)
    _check_bytes(path)
    started = time.monotonic()
    doc = _open(path)
    try:
        n = len(doc)
        if n > MAX_PAGES:
            raise ParseError(f"PDF 共 {n} 页，超过 {MAX_PAGES} 页的上限，不像一份年度报告，未读取。")
        if n == 0:
            raise ParseError("PDF 没有页面，无法读取。")
        pages = []
        total = 0
        matrix = raw.FS_MATRIX()
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        for i in range(n):
            if time.monotonic() - started > MAX_SECONDS:
                raise ParseError(f"PDF 读取超过 {MAX_SECONDS:.0f} 秒仍未完成（第 {i + 1} 页），文件可能异常，已停止。")
            page = doc[i]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                count = textpage.count_chars()
                if count > MAX_PAGE_CHARS:
                    raise ParseError(f"PDF 第 {i + 1} 页有 {count} 个字符，超过每页 {MAX_PAGE_CHARS} 个的上限，文件可能异常，未读取。")
                total += count
                if total > MAX_CHARS:
                    raise ParseError(f"PDF 的文字超过 {MAX_CHARS} 个字符的上限，不像一份年度报告，未读取。")
                paths, in_forms, images = _page_objects(page)
                chars = []
                invisible = 0
                for k in range(count):
                    if raw.FPDFText_IsGenerated(textpage, k) == 1:
                        continue
                    code = raw.FPDFText_GetUnicode(textpage, k)
                    if code in (0, 0xFFFE, 0xFFFF) or chr(code).isspace() or 0xD800 <= code < 0xE000:
                        continue
                    obj = raw.FPDFText_GetTextObject(textpage, k)
                    shown = not obj or raw.FPDFTextObj_GetTextRenderMode(obj) != raw.FPDF_TEXTRENDERMODE_INVISIBLE
                    left, bottom, right, top = box = textpage.get_charbox(k, loose=True)
                    if in_forms:
                        left, bottom, right, top = _char_on_page(textpage, k, in_forms, box)
                    raw.FPDFText_GetMatrix(textpage, k, matrix)
                    em = raw.FPDFText_GetFontSize(textpage, k) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                    placed = (left, bottom, right, top) != box  # taken from a form's space: PDFium's box is mended
                    # only where it is in the page's own space
                    if not placed and em > 0 and (right - left > 2 * em or top - bottom > 2 * em):
                        # PDFium's font-based box is sometimes far off (seen on one-glyph-per-line labels):
                        # an em square around the glyph's own outline stands in for it
                        tl, tb, tr, tt = textpage.get_charbox(k)
                        cx, cy = (tl + tr) / 2, (tb + tt) / 2
                        left, bottom, right, top = cx - em / 2, cy - em / 2, cx + em / 2, cy + em / 2
                    elif not placed and em > 0 and top - bottom < FLAT_BOX * em:
                        # no font box, only the glyph's outline (Chromium's printed PDFs, for “一”, “二”): a
                        # flat stroke would sit off its line and look a tenth of the text's size; an em box
                        # on the glyph's baseline stands in for it, as for every other glyph of its line
                        raw.FPDFText_GetCharOrigin(textpage, k, origin_x, origin_y)
                        bottom, top = origin_y.value - DESCENT * em, origin_y.value + (1 - DESCENT) * em
                        left = min(left, origin_x.value)
                    if right <= left or top <= bottom:
                        continue
                    chars.append(Char(chr(code), left, right, height - top, height - bottom))
                    invisible += not shown
                textpage.close()
                edges = _page_edges(paths, width, height)
            finally:
                page.close()
            pages.append(Page(i + 1, width, height, chars, edges, invisible, _image_share(images, width, height)))
    finally:
        doc.close()
    if not any(p.chars for p in pages):
        raise ParseError(SCAN_MESSAGE)
    if garbled(c.text for p in pages for c in p.chars):
        raise ParseError(GARBLED_MESSAGE)
    return pages


def _report_text(ch: str) -> bool:
    code = ord(ch)
    return any(a <= code <= b for a, b in REPORT_TEXT_BLOCKS)


def garbled(chars: Iterable[str]) -> bool:
    """Whether text extracted from a PDF is garbage rather than the report's Chinese (see GARBLED_SHARE)."""
    seen = [_report_text(ch) for ch in chars]
    return len(seen) >= GARBLED_LEAST and seen.count(False) >= GARBLED_SHARE * len(seen)


Box = tuple[float, float, float, float]


def _image_share(images: list[Box], width: float, height: float) -> float:
    """The share of a ``width`` × ``height`` page its largest image covers, clipped to the page."""
    best = 0.0
    for left, bottom, right, top in images:
        w = min(right, width) - max(left, 0.0)
        h = min(top, height) - max(bottom, 0.0)
        if w > 0 and h > 0:
            best = max(best, w * h / (width * height))
    return best


def _box_on_page(matrix, left: float, bottom: float, right: float, top: float) -> Box:  # type: ignore[no-untyped-def]
    corners = [matrix.on_point(x, y) for x in (left, right) for y in (bottom, top)]
    return (min(x for x, _ in corners), min(y for _, y in corners), max(x for x, _ in corners),
            max(y for _, y in corners))


def _inside(box: Box, area: Box) -> bool:
    pad = 0.5 * max(box[2] - box[0], box[3] - box[1], 1.0)
    return (box[0] >= area[0] - pad and box[1] >= area[1] - pad and box[2] <= area[2] + pad
            and box[3] <= area[3] + pad)


def _char_on_page(textpage, k: int, in_forms: dict[int, tuple[Box, Box, object]],  # type: ignore[no-untyped-def]
                  box: Box) -> Box:
    """A glyph's box on the page.  PDFium gives some glyphs of a text object inside a Form XObject (seen with
    a substituted font in a browser's print-to-PDF) in the form's space: a box that lies in the object's
    bounds in the form's space, not in its bounds on the page, is taken onto the page by the form's matrix."""
    import pypdfium2.raw as raw

    get_object = getattr(raw, "FPDFText_GetTextObject", None)
    obj = get_object(textpage, k) if get_object is not None else None
    hit = in_forms.get(ctypes.cast(obj, ctypes.c_void_p).value or 0) if obj else None
    if hit is None:
        return box
    bounds, on_page, matrix = hit
    if _inside(box, on_page) or not _inside(box, bounds):
        return box
    return _box_on_page(matrix, *box)


def _page_objects(page):  # type: ignore[no-untyped-def]
    """The page's paths, each with the matrix taking it onto the page (None at the page's own level), and the
    text objects inside Form XObjects: raw address -> (bounds in the form's space, bounds on the page, the
    matrix onto the page).

    Browsers' print-to-PDF puts the page in one or several Form XObjects; PDFium gives the bounds of an
    object inside a form in that form's space, so the matrices of its forms, innermost first, take it onto
    the page."""
    import pypdfium2.raw as raw

    to_page: dict[int, tuple[object, object]] = {}  # id(form) -> (form, matrix onto the page)
    paths: list[tuple[object, object]] = []
    texts: dict[int, tuple[Box, Box, object]] = {}
    images: list[Box] = []
    for n, obj in enumerate(page.get_objects(max_depth=4)):
        if n >= MAX_OBJECTS:
            break
        container = getattr(obj, "container", None)  # pypdfium2 5 names an object's form
        outer = to_page.get(id(container), (None, None))[1] if container is not None else None
        if obj.type == raw.FPDF_PAGEOBJ_FORM:
            inner = obj.get_matrix()
            to_page[id(obj)] = (obj, inner if outer is None else inner.multiply(outer))  # type: ignore[attr-defined]
        elif obj.type == raw.FPDF_PAGEOBJ_PATH:
            if len(paths) >= MAX_PATHS:
                continue
            paths.append((obj, outer))
        elif obj.type == raw.FPDF_PAGEOBJ_TEXT and outer is not None and len(texts) < MAX_PAGE_CHARS:
            bounds = obj.get_bounds()
            texts[ctypes.cast(obj.raw, ctypes.c_void_p).value or 0] = (bounds, _box_on_page(outer, *bounds), outer)
        elif obj.type == raw.FPDF_PAGEOBJ_IMAGE and len(images) < MAX_PATHS:
            bounds = obj.get_bounds()
            images.append(bounds if outer is None else _box_on_page(outer, *bounds))
    return paths, texts, images


def _page_edges(paths, width: float, height: float) -> list[Edge]:  # type: ignore[no-untyped-def]
    """Visible rulings of a page: stroked paths, and filled ones that are not white (paper-coloured fills
    behind paragraphs and cells are invisible, so they draw no border); thin shapes are lines, others rectangles."""
    import pypdfium2.raw as raw

    out: list[Edge] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    for obj, matrix in paths:
        if not raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke)):
            continue
        visible = False
        if stroke.value and raw.FPDFPageObj_GetStrokeColor(obj.raw, r, g, b, a):
            visible = a.value > 0 and min(r.value, g.value, b.value) < 235
        if not visible and fill.value and raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a):
            visible = a.value > 0 and min(r.value, g.value, b.value) < 235
        if not visible:
            continue
        left, bottom, right, top = obj.get_bounds()
        if matrix is not None:
            left, bottom, right, top = _box_on_page(matrix, left, bottom, right, top)
        x0, x1, y0, y1 = left, right, height - top, height - bottom
        w, h = x1 - x0, y1 - y0
        if w > 0.95 * width and h > 0.95 * height:
            continue  # a page background
        if h <= 3 and w > 3:
            out.append(Edge(True, (y0 + y1) / 2, x0, x1))
        elif w <= 3 and h > 3:
            out.append(Edge(False, (x0 + x1) / 2, y0, y1))
        elif w > 3 and h > 3 and raw.FPDFPath_CountSegments(obj.raw) <= 6:
            out += [Edge(True, y0, x0, x1), Edge(True, y1, x0, x1), Edge(False, x0, y0, y1), Edge(False, x1, y0, y1)]
    return out


# ---------------------------------------------------------------------------
# Ruled tables
# ---------------------------------------------------------------------------

def merge_edges(edges: list[Edge]) -> list[Edge]:
    """Collinear rulings snapped together and joined where they touch or overlap."""
    out: list[Edge] = []
    for horizontal in (True, False):
        group = sorted((e for e in edges if e.horizontal is horizontal), key=lambda e: e.pos)
        rows: list[list[Edge]] = []
        for e in group:
            if rows and e.pos - rows[-1][0].pos <= SNAP:
                rows[-1].append(e)
            else:
                rows.append([e])
        for row in rows:
            pos = sum(e.pos for e in row) / len(row)
            spans = sorted((e.start, e.end) for e in row)
            cur = list(spans[0])
            for s, t in spans[1:]:
                if s <= cur[1] + SNAP:
                    cur[1] = max(cur[1], t)
                else:
                    out.append(Edge(horizontal, pos, cur[0], cur[1]))
                    cur = [s, t]
            out.append(Edge(horizontal, pos, cur[0], cur[1]))
    return out


def _touch(h: Edge, v: Edge) -> bool:
    return h.start - SNAP <= v.pos <= h.end + SNAP and v.start - SNAP <= h.pos <= v.end + SNAP


@dataclass
class Grid:
    """A ruled table on one page: grid lines and the rulings that draw it."""

    page: int
    xs: list[float]
    ys: list[float]
    edges: list[Edge]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


def _cluster(values: Iterable[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def find_grids(page: Page, *, min_rows: int = 2) -> list[Grid]:
    """Tables drawn with rulings: groups of crossing rulings with at least ``min_rows`` rows and two columns."""
    edges = merge_edges(page.edges)
    hs = [e for e in edges if e.horizontal]
    vs = [e for e in edges if not e.horizontal]
    parent = list(range(len(edges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = {id(e): i for i, e in enumerate(edges)}
    for h in hs:
        for v in vs:
            if _touch(h, v):
                a, b = find(index[id(h)]), find(index[id(v)])
                if a != b:
                    parent[a] = b
    groups: dict[int, list[Edge]] = {}
    for i, e in enumerate(edges):
        groups.setdefault(find(i), []).append(e)
    grids = []
    for group in groups.values():
        xs = _cluster(e.pos for e in group if not e.horizontal)
        ys = _cluster(e.pos for e in group if e.horizontal)
        if not xs or not ys:
            continue
        # a table broken by a page often has no rule below its last row (or above its first): the side
        # rulings still show where it ends
        v_top = min(e.start for e in group if not e.horizontal)
        v_bottom = max(e.end for e in group if not e.horizontal)
        if v_top < ys[0] - 3 * SNAP:
            ys.insert(0, v_top)
        if v_bottom > ys[-1] + 3 * SNAP:
            # ... and when a cell merged down goes on to the next page (“（五）不予处理” over five rows), its
            # side rulings run on below the last row, whose other cells' rulings all end where that row does
            # (Chromium): that end is the row's bottom, as if ruled, or the whole row would be one cell
            ends = [e for e in group if not e.horizontal and ys[-1] + 3 * SNAP < e.end < v_bottom - 3 * SNAP]
            for y in _cluster(e.end for e in ends):
                at_y = [e for e in ends if abs(e.end - y) <= SNAP]
                if len(at_y) >= 3:  # ruled from the first of them to the table's right side (its labels are left)
                    group.append(Edge(True, y, min(e.pos for e in at_y), xs[-1]))
                    ys.append(y)
            ys.append(v_bottom)
        if len(xs) >= 3 and len(ys) >= min_rows + 1:
            grids.append(Grid(page.number, xs, ys, group))
    grids.sort(key=lambda g: g.ys[0])
    return grids


def _covered(edges: list[Edge], horizontal: bool, pos: float, a: float, b: float) -> bool:
    """A ruling at ``pos`` runs over most of the stretch a..b."""
    need = (b - a) * 0.6
    got = 0.0
    for e in edges:
        if e.horizontal is horizontal and abs(e.pos - pos) <= SNAP:
            got += max(0.0, min(b, e.end) - max(a, e.start))
    return got >= need


@dataclass
class Cell:
    r0: int
    c0: int
    r1: int  # inclusive
    c1: int
    #: The grid lines of the table's columns (shared by its cells): the cell spans xs[c0] to xs[c1 + 1].
    xs: list[float]
    chars: list[Char] = field(default_factory=list)
    page: int = 0

    @property
    def left(self) -> float:
        return self.xs[self.c0]

    @property
    def right(self) -> float:
        return self.xs[self.c1 + 1]

    def text(self) -> str:
        lines = group_lines(self.chars, self.page)
        wrapped = wrapped_number(lines, self.left, self.right)
        return wrapped if wrapped is not None else join_text(join_chars(line.chars) for line in lines)


@dataclass
class Table:
    """A ruled table, possibly continued over several pages: its grids (one per page) share the columns."""

    grids: list[Grid]

    @property
    def first(self) -> Grid:
        return self.grids[0]


def continues_columns(table: list[float], b: Grid) -> bool:
    """Grid ``b`` has the columns of a table whose parts so far have the grid lines ``table``.

    A part may lack the table's first columns: a cell merged down the left (“三、本年度办理结果” over twenty
    rows) goes on at the top of the next page without the rulings that closed it on the page before
    (Chromium draws them only there).  Its grid lines are then all among the table's, or it has every line
    of the table right of its first and one more: the line between the group labels (“（三）不予公开”) and
    their items, which the rows above did not draw where “（一）予以公开” spans both.
    """
    if abs(table[-1] - b.xs[-1]) > 3 * SNAP:
        return False
    if abs(table[0] - b.xs[0]) > 3 * SNAP:
        if b.xs[0] < table[0] or len(b.xs) < 3:
            return False
        new = [x for x in b.xs if not any(abs(x - y) <= SNAP for y in table)]
        right = [x for x in table if x > b.xs[0] + SNAP]
        return not new or (len(new) == 1 and len(right) >= 3
                           and all(any(abs(x - y) <= SNAP for y in b.xs) for x in right))
    small, big = (table, b.xs) if len(table) <= len(b.xs) else (b.xs, table)
    hits = sum(1 for x in small if any(abs(x - y) <= SNAP for y in big))
    return hits >= max(2, (len(small) + 1) // 2)


def _merged_cells(g: Grid, xs: list[float]) -> dict[tuple[int, int], Cell]:
    """Grid position (row, column) -> the cell covering it: neighbours with no ruling between them are one cell."""
    ys = g.ys
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    x_lo, x_hi = g.xs[0] - SNAP, g.xs[-1] + SNAP
    for r in range(nr):
        for c in range(nc):
            if not (x_lo <= xs[c] and xs[c + 1] <= x_hi):
                continue  # a column of the table that this page's part does not reach
            if c + 1 < nc and xs[c + 2] <= x_hi and not _covered(g.edges, False, xs[c + 1], ys[r], ys[r + 1]):
                union((r, c), (r, c + 1))
            if r + 1 < nr and not _covered(g.edges, True, ys[r + 1], xs[c], xs[c + 1]):
                union((r, c), (r + 1, c))
    cells: dict[tuple[int, int], Cell] = {}
    for k in parent:
        root = find(k)
        cell = cells.get(root)
        if cell is None:
            cell = cells[root] = Cell(k[0], k[1], k[0], k[1], xs, page=g.page)
        cell.r0, cell.c0 = min(cell.r0, k[0]), min(cell.c0, k[1])
        cell.r1, cell.c1 = max(cell.r1, k[0]), max(cell.c1, k[1])
    return {k: cells[find(k)] for k in parent}


def table_lines(table: Table, chars_of: dict[int, list[Char]], number: int) -> list[Line]:
    """Rows of a ruled table as positional Lines; glyphs in its cells are taken out of ``chars_of`` (per page).

    The parts of a table on successive pages share one set of columns, so a header read on the first
    page names the columns of the rows on the next.
    """
    xs = _cluster(x for g in table.grids for x in g.xs)
    nc = len(xs) - 1
    out: list[Line] = []
    for g in table.grids:
        at = _merged_cells(g, xs)
        kept = []
        for ch in chars_of.get(g.page, []):
            c, r = _index(xs, ch.cx), _index(g.ys, ch.cy)
            if c is None or r is None:
                kept.append(ch)
            else:
                at[(r, c)].chars.append(ch)  # a glyph belongs to the cell under its centre
        chars_of[g.page] = kept
        texts = {id(cell): cell.text() for cell in at.values()}
        for cell in _overflowing(g, at, kept):
            texts[id(cell)] = OVERFLOW  # the rest of its text runs out of the table (past the page's edge)
        for r in range(len(g.ys) - 1):
            cover = [texts[id(at[(r, c)])] for c in range(nc)]
            row_cells = [(c, texts[id(at[(r, c)])]) for c in range(nc)
                         if at[(r, c)].r0 == r and at[(r, c)].c0 == c and texts[id(at[(r, c)])]]
            if row_cells:  # an empty row is the rest of a cell broken over the page, or a spacer
                out.append(Line(" ".join(t for _, t in row_cells), row_cells, number, cover, number=len(out) + 1,
                                page=g.page))
    return out


#: The text of a cell whose glyphs run out of the table: no number (a part of one would be read as all of it).
OVERFLOW = UNREADABLE


def _overflowing(g: Grid, at: dict[tuple[int, int], Cell], outside: list[Char]) -> list[Cell]:
    """Cells of the grid's first or last column whose text goes on past its outer ruling.

    A table wider than the page is cut at the page's edge (LibreOffice and Word draw its last ruling there):
    “14069” in the 总计 column leaves “1” in the cell and “4069” beyond it.  A glyph outside the grid, level
    with a row and touching the grid's outer ruling, marks the cell it goes on from.
    """
    out: list[Cell] = []
    nc = max(c for _, c in at) + 1
    for ch in outside:
        r = _index(g.ys, ch.cy)
        if r is None:
            continue
        if abs(ch.x0 - g.xs[-1]) <= 0.6 * ch.size or ch.x0 < g.xs[-1] < ch.x1:
            cell = at.get((r, nc - 1))
        elif abs(ch.x1 - g.xs[0]) <= 0.6 * ch.size or ch.x0 < g.xs[0] < ch.x1:
            cell = at.get((r, 0))
        else:
            continue
        if cell is not None and cell.chars and cell not in out:
            out.append(cell)
    return out


def _index(bounds: list[float], v: float) -> int | None:
    if v < bounds[0] or v > bounds[-1]:
        return None
    for i in range(len(bounds) - 1):
        if v <= bounds[i + 1]:
            return i
    return None


# ---------------------------------------------------------------------------
# Page furniture
# ---------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―─_]*\s*\d{1,4}\s*[-—–－―─_]*|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$", re.IGNORECASE)
#: Share of the page height at the top and at the bottom where headers, footers and page numbers sit.
MARGIN_ZONE = 0.12


def drop_furniture(lines_by_page: dict[int, list[TextLine]], pages: list[Page]) -> None:
    heights = {p.number: p.height for p in pages}

    def zone(line: TextLine) -> bool:
        h = heights[line.page]
        return line.bottom < h * MARGIN_ZONE or line.top > h * (1 - MARGIN_ZONE)

    def shape(line: TextLine) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", unicodedata.normalize("NFKC", line.text)))

    repeated: Counter[tuple[str, int]] = Counter()
    for lines in lines_by_page.values():
        for s in {(shape(line), round(line.top / 10)) for line in lines if zone(line)}:
            repeated[s] += 1
    many = max(2, (len(pages) + 1) // 2)
    for number, lines in lines_by_page.items():
        kept = []
        for line in lines:
            if zone(line):
                text = unicodedata.normalize("NFKC", line.text).strip()
                if _PAGE_NUMBER.match(text) or (len(pages) > 1 and repeated[(shape(line), round(line.top / 10))] >= many):
                    continue
            kept.append(line)
        lines_by_page[number] = kept


# ---------------------------------------------------------------------------
# Text outside ruled tables
# ---------------------------------------------------------------------------

#: Glyph runs further apart than this many glyph heights are separate cells (text tables without rulings).
CELL_GAP = 1.6
#: Pieces of a row's label further apart than this are in different columns (a cell's padding; a space is 0.25).
LABEL_GAP = 0.5


@dataclass
class Block:
    """A paragraph or a row of an unruled table, with the page and top of its first line."""

    page: int
    top: float
    lines: list[TextLine]
    cells: list[str] | None = None  # set for a table-like row


def _numberish(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).strip()
    return bool(re.fullmatch(r"[+-]?[\d,]+(?:\.\d+)?(?:件|万元|元|个|条)?|[-—–－/／]+", t))


def _words(chars: list[Char]) -> list[list[Char]]:
    """Glyphs of a line split where a visible gap separates them (as a space would)."""
    out: list[list[Char]] = [[chars[0]]]
    for prev, ch in zip(chars, chars[1:], strict=False):
        wide = _is_wide(prev.text[-1]) or _is_wide(ch.text[0])
        if ch.x0 - prev.x1 > (0.9 if wide else 0.2) * min(prev.size, ch.size):
            out.append([])
        out[-1].append(ch)
    return out


def value_split(line: TextLine, columns: Iterable[tuple[float, float]] = ()) -> int | None:
    """Where the trailing numbers of a table row start (an index into ``line.chars``), or None.

    Two or more numbers at the end of the line, or one number set well apart from the text before it;
    a narrative line that happens to end in a number is not a row.  A number glued to the label before
    it (a cell's padding narrower than the gap between words: “行政规范性文件564 984 4185”) is a value
    only where it stands in a value column of the page's other rows (``columns``, see
    :func:`value_columns`): in running text digits follow CJK glyphs as closely.
    """
    words = _words(line.chars)
    n = 0
    while n < len(words) and _numberish(join_chars(words[-1 - n])):
        n += 1
    glued = _glued_number(words[-1 - n], columns, alone=n == 0, row=n >= 2) if n < len(words) else 0
    if n == 0 and not glued:
        glued = _glued_to_single_value_label(words)
    if n == 0 and not glued:
        return None
    split = len(line.chars) - sum(len(w) for w in words[-n:]) - glued if n else len(line.chars) - glued
    if n == 1 and len(words) > 1 and not glued:
        first, before = words[-1], words[-2][-1]
        if first[0].x0 - before.x1 < CELL_GAP * min(before.size, first[0].size):
            return None
    return split


#: A number at the end of a word of CJK text (the glyphs after the last CJK one).
_GLUED = re.compile(r"[\d,]*\d(?:\.\d+)?$")
#: A glued number and a value column of the page are the same column when an edge or the centre is this close (points).
ALIGN = 1.5


def _glued_number(word: list[Char], columns: Iterable[tuple[float, float]], *, alone: bool = False,
                  row: bool = False) -> int:
    """How many glyphs at the end of ``word`` are a number glued to CJK text and set in a value column (0: none).

    A number ``alone`` at the end of its line must share a column's left edge or centre: a line of running
    text ends at the right margin, where a column of right-aligned numbers may end too.  Before two or more
    numbers set apart (``row``: the line is a table row) the glued number is a value wherever it stands: a
    label spread over its cell (分散对齐, “规 章3  5  74”) leaves only the cell's padding before the first
    number, in every row of that column, so no row of the page shows the column.
    """
    text = "".join(c.text for c in word)
    m = _GLUED.search(text)
    if m is None or m.start() == 0 or not _is_wide(text[m.start() - 1]) or len(text) != len(word):
        return 0
    digits = word[m.start():]
    if row:
        return len(digits)
    x0, x1 = digits[0].x0, digits[-1].x1
    for c0, c1 in columns:
        if abs(c0 - x0) <= ALIGN or (abs(c1 - x1) <= ALIGN and not alone) or abs((c0 + c1) - (x0 + x1)) <= 2 * ALIGN:
            return len(digits)
    return 0


#: Labels of table 二's rows that hold one number (“行政许可”, “行政事业性收费”), spaces removed.
_SINGLE_VALUE_LABELS = frozenset(label for block in S2_BLOCKS if len(block.columns) == 1 for _, label in block.rows)


def _glued_to_single_value_label(words: list[list[Char]]) -> int:
    """How many glyphs end the line ``words`` as a number glued to the whole label of a one-number row of table 二.

    A line that is nothing but “行政事业性收费316441” (or “行 政 许 可11398889”, the label spread over its cell)
    is that row, whatever the page's columns: no running text is a bare label and a number (the row alone at
    the top of a page has no other rows to align with).
    """
    chars = [c for w in words for c in w]
    text = unicodedata.normalize("NFKC", "".join(c.text for c in chars))
    m = _GLUED.search(text)
    if m is None or len(text) != len(chars) or text[:m.start()] not in _SINGLE_VALUE_LABELS:
        return 0
    if len(text) - m.start() > len(words[-1]):  # the number itself spread over the cell
        return 0
    return len(text) - m.start()


def value_columns(lines: Iterable[TextLine]) -> list[tuple[float, float]]:
    """(x0, x1) of the numbers of the rows of a page that have two or more numbers set apart at their end."""
    out: list[tuple[float, float]] = []
    for line in lines:
        words = _words(line.chars)
        n = 0
        while n < len(words) and _numberish(join_chars(words[-1 - n])):
            n += 1
        if n >= 2:
            out.extend((w[0].x0, w[-1].x1) for w in words[-n:])
    return out


def vertical_stacks(chars: list[Char], page: int) -> tuple[list[Char], list[list[Char]]]:
    """Labels written one glyph per line (“三、本年度办理结果” down a merged cell) taken out of the text.

    A stack is three or more CJK glyphs, each alone on its visual line (nothing within an em either
    side), one under the other at the same x with less than half an em between them.  Numbers and
    placeholders are never part of one: a column of values is not a label.
    """
    lonely: list[Char] = []
    for line in group_lines(chars, page):
        cs = line.chars
        for i, ch in enumerate(cs):
            if not _is_wide(ch.text) or ch.text in "无空—－" or ch.text.isdigit():
                continue
            left_gap = ch.x0 - cs[i - 1].x1 if i else 1e9
            right_gap = cs[i + 1].x0 - ch.x1 if i + 1 < len(cs) else 1e9
            if min(left_gap, right_gap) > ch.size:
                lonely.append(ch)
    stacks: list[list[Char]] = []
    for ch in sorted(lonely, key=lambda c: (round(c.cx / 4), c.top)):
        for stack in stacks:
            last = stack[-1]
            if abs(last.cx - ch.cx) < 0.35 * ch.size and 0 <= ch.top - last.bottom + 0.2 * ch.size < 0.7 * ch.size:
                stack.append(ch)
                break
        else:
            stacks.append([ch])
    stacks = [st for st in stacks if len(st) >= 3]
    taken = {id(c) for st in stacks for c in st}
    return [c for c in chars if id(c) not in taken], stacks


def _is_section_heading(line: TextLine) -> bool:
    return heading_of(Line(line.text, [(0, line.text)])) is not None


#: A label line this many of its glyph heights (or less) above or below a row of numbers may be that row's,
#: or more where the page's lines are set further apart (see :func:`line_spacing`).
ATTACH_GAP = 0.8


#: The heading of a block of table 二 (“第二十条第（六）项”): a row of its own, never a piece of a row's label.
_ARTICLE_ITEM = re.compile(r"\s*第二十条第\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]\s*项\s*$")


def line_spacing(lines: list[TextLine]) -> float:
    """The gap between successive lines of most of the page, in glyph heights (0 for a page of few lines).

    Text set with wide line spacing (line-height 2) leaves more than a glyph's height between the lines of a
    wrapped row label, as between the lines of a paragraph.
    """
    ordered = sorted(lines, key=lambda t: t.top)
    gaps = Counter(round((b.top - a.bottom) / a.size, 1) for a, b in zip(ordered, ordered[1:], strict=False)
                   if 0 < b.top - a.bottom < 3 * a.size)
    if sum(gaps.values()) < 5:
        return 0.0
    return gaps.most_common(1)[0][0]


def text_blocks(lines: list[TextLine], left: float, right: float) -> list[Block]:
    """Visual lines of one page as paragraphs, and as table rows where they hold numbers or separate cells.

    A row label wrapping over lines around the line with its numbers: label lines next to a row of
    numbers, left of its first number and closer to it than to any other row, belong to that row.
    """
    blocks: list[Block] = []
    valued: list[tuple[TextLine, int]] = []
    plain: list[TextLine] = []
    columns = value_columns(lines)
    splits: dict[int, int | None] = {}  # value_split of the lines neither join changed, by id
    touched: set[int] = set()
    lines = join_wrapped_header_cells(join_wrapped_values(lines, columns, splits), touched)
    reach = max(ATTACH_GAP, 1.25 * line_spacing(lines))
    for line in lines:
        key = id(line)
        split = splits[key] if key in splits and key not in touched else value_split(line, columns)
        if split is not None:
            valued.append((line, split))
        elif len(line.segments(CELL_GAP)) >= 2:
            blocks.append(Block(line.page, line.top, [line], line.segments(CELL_GAP)))  # e.g. a header row
        else:
            plain.append(line)
    attach: dict[int, list[TextLine]] = {}
    loose: list[TextLine] = []
    for line in plain:
        best: tuple[float, TextLine] | None = None
        for vline, split in valued:
            gap = max(vline.top - line.bottom, line.top - vline.bottom, 0.0)
            if line.x1 <= vline.chars[split].x0 and gap <= reach * line.size and (best is None or gap < best[0]):
                best = (gap, vline)
        if best is not None and not _is_section_heading(line) and not _ARTICLE_ITEM.match(line.text):
            attach.setdefault(id(best[1]), []).append(line)
        else:
            loose.append(line)
    if attach and loose:
        loose = _chain_label_lines(valued, attach, loose, reach)
    for line, split in valued:
        extra = attach.get(id(line), [])
        own = [TextLine(line.chars[:split], line.page)] if split else []
        labels = label_cells([*extra, *own])
        values = [join_chars(w) for w in _words(line.chars[split:])]
        blocks.append(Block(line.page, min([line.top, *(t.top for t in extra)]), [line], [*labels, *values]))
    for para in paragraphs(loose, left, right):
        blocks.append(Block(para[0].page, para[0].top, para))
    blocks.sort(key=lambda b: b.top)
    return blocks


def _chain_label_lines(valued: list[tuple[TextLine, int]], attach: dict[int, list[TextLine]],
                       loose: list[TextLine], reach: float) -> list[TextLine]:
    """Label lines of a row wrapped over four lines or more (a narrow page), the numbers on a middle one: a
    line too far from the numbers, but within reach of the row's topmost or lowest label line, left of its
    numbers and nearer to it than to any other row's numbers, is that row's too — going up to the line that
    starts the label with its numbering (“（六）1.申请人无正当理由逾”), going down to a line that does not
    start another row's label.  Returns the lines left loose."""
    left = list(loose)
    for vline, split in valued:
        own = attach.get(id(vline))
        if not own:
            continue  # a label on the numbers' line alone, or none: nothing wraps
        first_x = vline.chars[split].x0
        for upward in (True, False):
            while True:
                edge = min([*own, vline], key=lambda t: t.top) if upward else max([*own, vline], key=lambda t: t.bottom)
                if upward and ROW_START.match(edge.text):
                    break  # the label's first line
                best: tuple[float, TextLine] | None = None
                for line in left:
                    if (line.top >= edge.top) if upward else (line.top <= edge.top):
                        continue
                    gap = max(edge.top - line.bottom if upward else line.top - edge.bottom, 0.0)
                    if (gap <= reach * line.size and line.x1 <= first_x
                            and (upward or not ROW_START.match(line.text)) and (best is None or gap < best[0])
                            and not _is_section_heading(line) and not _ARTICLE_ITEM.match(line.text)):
                        best = (gap, line)
                if best is None:
                    break
                gap, line = best
                if any(max(v.top - line.bottom, line.top - v.bottom, 0.0) <= gap for v, _ in valued
                       if v is not vline):
                    break  # as near another row's numbers: whose it is is not known
                own.append(line)
                left.remove(line)
    return left


def join_wrapped_values(lines: list[TextLine], columns: list[tuple[float, float]],
                        splits: dict[int, int | None] | None = None) -> list[TextLine]:
    """Numbers wrapped in their narrow cells (no rulings) put back together on their rows' lines.

    A line of digits alone, just below a row's number and starting where it starts (“1381” / “0”), goes on
    that number; two such lines just above and just below a row, in a column where the row has no number
    (“216” / “8”, the cell's text centred on the row), are that row's number there.  The number above must be
    at least as long as the rest; anything else stays as it is.

    ``splits``, when given, gets the :func:`value_split` of every line looked at and left unchanged (by the
    line's id), so that the caller need not split them again.
    """
    rows: list[tuple[TextLine, list[list[Char]]]] = []
    frags: list[TextLine] = []
    found: dict[int, int | None] = {} if splits is None else splits
    for line in lines:
        words = _words(line.chars)
        if len(words) == 1 and _DIGITS.fullmatch(join_chars(words[0])):
            frags.append(line)
            continue
        split = found[id(line)] = value_split(line, columns)
        if split is not None:  # a labelled row, or a row of numbers alone (table 四)
            rows.append((line, _words(line.chars[split:])))
    if not frags or not rows:
        return lines
    gone: set[int] = set()

    def cy(chars: list[Char]) -> float:
        return sorted(c.cy for c in chars)[len(chars) // 2]

    def one_line_apart(upper: list[Char], lower: list[Char]) -> bool:
        """``lower`` on the next line after ``upper``, in the same size (glyph boxes of tall fonts overlap)."""
        size = max(c.size for c in upper)
        return (0.6 * size <= cy(lower) - cy(upper) <= 1.6 * size
                and abs(max(c.size for c in lower) - size) <= 0.25 * size)

    def overlaps(frag: TextLine, x0: float, x1: float) -> bool:
        return frag.x0 < x1 and x0 < frag.x1

    for row, values in rows:
        row_cy = cy([c for w in values for c in w])
        for frag in frags:
            if id(frag) in gone:
                continue
            word = next((w for w in values if overlaps(frag, w[0].x0, w[-1].x1)), None)
            if word is not None:
                if (one_line_apart(word, frag.chars) and abs(word[0].x0 - frag.x0) <= ALIGN
                        and len(word) >= len(frag.chars)):
                    word[-1].text += join_chars(frag.chars)
                    gone.add(id(frag))
                    found.pop(id(row), None)  # its glyphs changed: split again
                continue
            if cy(frag.chars) <= row_cy:
                continue
            above = next((f for f in frags if id(f) not in gone and f is not frag and overlaps(f, frag.x0, frag.x1)
                          and one_line_apart(f.chars, frag.chars)), None)
            if (above is None or len(above.chars) < len(frag.chars)
                    or abs((cy(above.chars) + cy(frag.chars)) / 2 - row_cy) > 0.3 * frag.size
                    or (abs(above.x0 - frag.x0) > ALIGN and abs(above.x0 + above.x1 - frag.x0 - frag.x1) > 2 * ALIGN)):
                continue
            text = join_chars(above.chars) + join_chars(frag.chars)
            row.chars.append(Char(text, min(above.x0, frag.x0), max(above.x1, frag.x1), row.top, row.bottom))
            row.chars.sort(key=lambda c: c.x0)
            gone.update((id(frag), id(above)))
            found.pop(id(row), None)
    return [line for line in lines if id(line) not in gone]


def join_wrapped_header_cells(lines: list[TextLine], touched: set[int] | None = None) -> list[TextLine]:
    """Header cells whose last glyph wrapped (“本年制发件” over “数”, in every column) put back together.

    A line of single glyphs set apart (“数  数  数”), each just below a cell of a line of text above and
    within it (or, where the cells filled to their edges touch, at the start of one), with no digit in
    either line, is the rest of those cells.  The ids of the lines whose cells were lengthened are added to
    ``touched`` when it is given.
    """
    gone: set[int] = set()
    for lower in lines:
        pieces = _runs(lower.chars, CELL_GAP)
        if len(pieces) < 2 or any(len(p) != 1 or not _is_wide(p[0].text) or p[0].text.isdigit() for p in pieces):
            continue
        for upper in lines:
            size = upper.size
            if (upper is lower or id(upper) in gone or any(c.text.isdigit() for c in upper.chars)
                    or not 0.6 * size <= lower.chars[0].cy - upper.chars[0].cy <= 1.6 * size):
                continue
            cells = _header_cells(upper, pieces)
            if cells is None:
                continue
            for piece, cell in zip(pieces, cells, strict=True):
                cell[-1].text += piece[0].text + " "  # cells that touch: a space keeps them apart
            gone.add(id(lower))
            if touched is not None:
                touched.add(id(upper))
            break
    return [line for line in lines if id(line) not in gone]


def _header_cells(upper: TextLine, pieces: list[list[Char]]) -> list[list[Char]] | None:
    """The cells of ``upper`` that ``pieces`` (wrapped glyphs, one per cell) stand under, or None."""
    size = upper.size
    cells = _runs(upper.chars, CELL_GAP)
    under = [next((c for c in cells if c[0].x0 - 0.5 * size <= p[0].x0 and p[0].x1 <= c[-1].x1 + 0.5 * size), None)
             for p in pieces]
    if all(c is not None for c in under) and len({id(c) for c in under}) == len(under):
        return [c for c in under if c is not None]
    # cells filled to their edges run together: each wrapped glyph stands at the start of its cell
    starts = [next((k for k, c in enumerate(upper.chars) if abs(c.x0 - p[0].x0) <= 0.3 * size), None) for p in pieces]
    found = [k for k in starts if k is not None]
    if len(found) != len(pieces) or found != sorted(set(found)):
        return None
    bounds = [*found, len(upper.chars)]
    return [upper.chars[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _runs(chars: list[Char], gap: float) -> list[list[Char]]:
    """Glyphs of one line cut where they are further apart than ``gap`` × glyph size."""
    out: list[list[Char]] = [[chars[0]]]
    for prev, ch in zip(chars, chars[1:], strict=False):
        if ch.x0 - prev.x1 > gap * min(prev.size, ch.size):
            out.append([])
        out[-1].append(ch)
    return out


#: An item's numbering right after another column's text on the same line (“度办理结（一）予以公开”); never
#: “第（一）项”, whose numbering is part of the words.
_INNER_NUMBERING = re.compile(r"(?<=[\u4e00-\u9fff])(?<!第)(?:[（(][一二三四五六七][)）]|\d{1,2}[.．、](?=[\u4e00-\u9fff]))"
                              # an item's numbering right after its group's (“（六）1.申请人……”)
                              r"|(?<=^[（(][一二三四五六七][)）])\d{1,2}[.．、](?=[\u4e00-\u9fff])")


def _cut_at_numbering(run: list[Char]) -> list[list[Char]]:
    """A run of label glyphs cut where an item's numbering begins after CJK text: two columns whose texts
    touch (a narrow group column filled to its edge, and the item beside it)."""
    text = "".join(c.text for c in run)
    if len(text) != len(run):
        return [run]
    cuts = [m.start() for m in _INNER_NUMBERING.finditer(text)]
    if not cuts:
        return [run]
    bounds = [0, *cuts, len(run)]
    return [run[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _cut_at_column(run: list[Char], starts: list[float]) -> list[list[Char]]:
    """``run`` cut before a glyph (not its first) that begins where one of ``starts`` is."""
    cuts = [k for k in range(1, len(run)) if run[0].x0 < run[k].x0 - ALIGN
            and any(abs(run[k].x0 - x) <= ALIGN for x in starts)]
    bounds = [0, *cuts, len(run)]
    return [run[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def label_cells(lines: list[TextLine]) -> list[str]:
    """The label cells of an unruled table row from its label lines, one per column, left to right.

    A row's label can stand in two columns (the group “三、本年度办理结果” or “（六）其他处理” beside the
    item), each wrapped over lines of its own, the numbers on a middle line: read line by line, the two
    columns' pieces alternate (“三、本年 / 度办理结 （一）予以公开 / 果”).  A piece set apart on its line
    that starts with a row's numbering starts a column, and so does a piece of another line starting where
    such a piece starts (a gap alone may be a justified line's spacing); the pieces are grouped by the
    columns they stand in (overlapping x ranges), and each column's pieces are read top to bottom.
    """
    pieces: list[tuple[float, float, float, str]] = []
    split = [[part for run in _runs(t.chars, LABEL_GAP) for part in _cut_at_numbering(run)] for t in lines]
    # a new column starts with a row's numbering (“（一）”, “2.”), and the label's other lines start that
    # column where it started; a wide gap alone may be a justified line's spacing
    starts = [run[0].x0 for runs in split for run in runs if ROW_START.match(join_chars(run))]
    if starts:
        # a run of another line that comes from the left across where the item begins (“2.” of “2.没有现成信息
        # 需 / 要另行制作”) holds the narrow group column's wrapped text too (“无法要另行制作”, the group “（四）无法
        # 提供” one or two glyphs a line beside the item): it is cut there
        split = [[part for run in runs for part in _cut_at_column(run, starts)] for runs in split]
    for line_runs in split:
        runs: list[list[Char]] = []
        for run in line_runs:
            if runs and not ROW_START.match(join_chars(run)) and not any(abs(run[0].x0 - x) <= ALIGN for x in starts):
                runs[-1].extend(run)
            else:
                runs.append(run)
        pieces.extend((run[0].x0, run[-1].x1, run[0].top, join_chars(run)) for run in runs)
    columns: list[list[tuple[float, float, float, str]]] = []
    for piece in sorted(pieces):
        col = columns[-1] if columns else None
        if col is not None and piece[0] < max(p[1] for p in col):
            col.append(piece)
        else:
            columns.append([piece])
    return [join_text(p[3] for p in sorted(col, key=lambda p: p[2])) for col in columns]


def paragraphs(lines: list[TextLine], left: float, right: float) -> list[list[TextLine]]:
    """Lines joined into paragraphs: a line continues the one above if that ran to the right margin."""
    out: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda t: t.top):
        if out and continues(out[-1][-1], line, left, right):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def continues(prev: TextLine, line: TextLine, left: float, right: float, *, same_page: bool = True) -> bool:
    em = prev.size
    if abs(line.size - em) > 0.25 * em:
        return False
    if prev.x1 < right - 1.5 * em:  # the line above ended short: end of paragraph
        return False
    if line.x0 > left + 0.6 * em:  # indented: a new paragraph
        return False
    if _is_section_heading(line):  # a heading flush left under a full line (at the top of a page, say)
        return False
    return not same_page or line.top - prev.bottom < 1.2 * em


def _margins(lines: list[TextLine]) -> tuple[float, float]:
    """Left margin (most common line start) and right margin (where most long lines end) of the body text."""
    if not lines:
        return 0.0, 0.0
    starts = Counter(round(t.x0) for t in lines)
    left = float(starts.most_common(1)[0][0])
    ends = sorted(t.x1 for t in lines)
    right = ends[int(0.8 * (len(ends) - 1))]
    return left, right


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------

@dataclass
class PdfDocument:
    """A PDF report read: its paragraphs and table rows in reading order, and the pages whose text is a scan's
    recognised (OCR) layer, whose numbers are what the OCR program recognised."""

    lines: list[Line]
    ocr_pages: list[int]
    #: Whether every page with text is OCR text (a scanned report), so that no table is printed as text.
    every_page_ocr: bool
    #: Pages of drawn text that carry a large picture (:data:`PICTURE_SHARE`): a table may be printed as one.
    picture_pages: list[int] = field(default_factory=list)


#: A page whose largest image covers at least this share of it carries a picture large enough to be a table.
PICTURE_SHARE = 0.15


def read_pdf(path: str | Path) -> PdfDocument:
    pages = read_pages(path)
    ocr = [p.number for p in pages if p.ocr]
    return PdfDocument(document_lines(pages), ocr, bool(ocr) and all(p.ocr for p in pages if p.chars),
                       [p.number for p in pages if not p.ocr and p.image_share >= PICTURE_SHARE])


def pdf_lines(path: str | Path) -> list[Line]:
    """The document model of a PDF report: paragraphs and table rows in reading order, each with its page."""
    return read_pdf(path).lines


def document_lines(pages: list[Page]) -> list[Line]:
    """The paragraphs and table rows of ``pages`` in reading order, each with its page and line on the page."""
    chars_of = {p.number: list(p.chars) for p in pages}
    # ruled tables, continued across pages when the next page starts with a grid of the same columns
    tables: list[Table] = []
    for page in pages:
        for grid in find_grids(page, min_rows=1):
            # tables printed side by side each go on at the top of the next page in their own column
            prev = next((t for t in reversed(tables) if t.grids[-1].page == page.number - 1
                         and continues_columns(_cluster(x for g in t.grids for x in g.xs), grid)), None)
            if prev is not None and _nothing_between(prev.grids[-1], grid, chars_of, pages):
                prev.grids.append(grid)  # a table's last row alone at the top of a page goes on too
            elif len(grid.ys) > 2:
                tables.append(Table([grid]))
    items: list[tuple[int, float, int, Line | Block]] = []  # (page, top, order, item)
    for n, table in enumerate(tables, 1):
        for k, line in enumerate(table_lines(table, chars_of, n)):
            assert line.page is not None
            items.append((line.page, _row_top(table, line), k, line))
    for p in pages:
        chars_of[p.number], stacks = vertical_stacks(chars_of[p.number], p.number)
        for st in stacks:
            items.append((p.number, st[0].top, 0, Block(p.number, st[0].top, [TextLine([c], p.number) for c in st])))
    lines_by_page = {p.number: group_lines(chars_of[p.number], p.number) for p in pages}
    drop_furniture(lines_by_page, pages)
    left, right = _margins([t for ls in lines_by_page.values() for t in ls if len(t.segments(CELL_GAP)) == 1])
    for number, lines in lines_by_page.items():
        for block in text_blocks(lines, left, right):
            items.append((number, block.top, 0, block))
    items.sort(key=lambda it: (it[0], it[1], it[2]))
    # paragraphs broken by a page break are one paragraph
    merged: list[Line | Block] = []
    for _, _, _, item in items:
        last = merged[-1] if merged else None
        if (isinstance(item, Block) and item.cells is None and isinstance(last, Block) and last.cells is None
                and last.page == item.page - 1 and continues(last.lines[-1], item.lines[0], left, right,
                                                              same_page=False)):
            last.lines.extend(item.lines)
            continue
        merged.append(item)
    out: list[Line] = []
    line_no: Counter[int] = Counter()
    for item in merged:
        if isinstance(item, Line):
            assert item.page is not None
            line_no[item.page] += 1
            item.line_no = line_no[item.page]
            out.append(item)
            continue
        if item.cells is not None:
            made = text_lines("  ".join(c for c in item.cells if c))
        else:
            made = text_lines(join_text(t.text for t in item.lines))
        for line in made:
            line_no[item.page] += 1
            line.page, line.line_no = item.page, line_no[item.page]
            line.number = 0  # a line of this block, not of the file: the page and line_no say where it is
            out.append(line)
    return out


def _row_top(table: Table, line: Line) -> float:
    grid = next(g for g in table.grids if g.page == line.page)
    return grid.ys[0]


def _nothing_between(a: Grid, b: Grid, chars_of: dict[int, list[Char]], pages: list[Page]) -> bool:
    """No body text below grid ``a`` on its page nor above grid ``b`` on the next (page furniture aside)."""
    height = {p.number: p.height for p in pages}
    below = [c for c in chars_of[a.page] if c.top > a.ys[-1] and c.top < height[a.page] * (1 - MARGIN_ZONE)]
    above = [c for c in chars_of[b.page] if c.bottom < b.ys[0] and c.bottom > height[b.page] * MARGIN_ZONE]
    return not below and not above
