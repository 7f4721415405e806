"""Reading published annual reports (text, HTML, Word) back into report data, for audit.

Published reports are web pages and Word files whose tables 二, 三 and 四 follow
the 2021 national format more or less faithfully: text copied from a web page
loses the table grid (cells become tabs or spaces, merged header cells end up
on several lines, a row label may land in the wrong column), HTML tables carry
``rowspan``/``colspan``, Word tables carry merged cells, numbers may be
written with 全角 digits.  The parser therefore finds rows by their
*labels* — normalised and matched against the labels in :mod:`xl_disclosure.form`
— and columns by the table's header, never by fixed positions.

It never invents a number: a cell it cannot read stays ``None`` and is listed
in the coverage statement with the reason.  Stated totals are kept as printed,
so the validator can flag a wrong 总计.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import gc
import html
import io
import posixpath
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, MutableSet, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, TypeVar, cast

from xl_disclosure.checks.narrative import check_table_prose
from xl_disclosure.checks.validator import validate_report
from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.form import (
    FORM,
    FORM_ID,
    FORM_VERSION,
    N1_TITLE,
    N5_TITLE,
    N6_TITLE,
    RULES,
    S2_BLOCKS,
    S2_CONTENT_HEADER,
    S2_TITLE,
    S3_TITLE,
    S4_TITLE,
    S4_TOTAL,
    YEAR_MIN,
    Kind,
    s3_id,
)
from xl_disclosure.form.layout import LAYOUT, Layout, Role
from xl_disclosure.model.findings import CoverageEntry, Finding, UnreadPart
from xl_disclosure.model.inputs import InputFileError, read_capped
from xl_disclosure.model.report import GROUP_ORDER, Report, Value
from xl_disclosure.model.textfile import read_text
from xl_disclosure.readers.labels import (
    OLD_SECTION_TITLE_KEYS,
    PART_TITLE_NAMES,
    S3_ROW_VARIANTS,
    SECTION_TITLE_KEYS,
    STATUTORY_NUMERAL_KEYS,
    TEMPLATE_TEXT_MARKERS,
    simplify,
)
from xl_disclosure.readers.zipparts import TooLarge, directory_size, has_dtd, read_bounded

PARSE_KIND = "xl-disclosure/parse"

#: Table fields whose numbers a published report must show (inputs and totals of 二, 三, 四).
TABLE_FIELDS: tuple[str, ...] = tuple(
    f.id for f in FORM.fields if f.group in ("section2", "section3", "section4")
)
FEE_FIELDS = ("n6_fee_notices", "n6_fee_notice_amount", "n6_fee_collected")
N1_PARTS = ("n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight")
#: Cover fields a published report does not show (only the title's agency and year are read).
UNPUBLISHED_COVER = tuple(
    f.id for f in FORM.groups["cover"] if f.id not in ("cover_agency_name", "cover_year")
)


class ParseError(XlDisclosureError):
    """A published report that cannot be read at all; the message is Chinese and names the file."""

    heading = "无法读取"


# ---------------------------------------------------------------------------
# Bounds (docs/threat-model.md): a real report is some tens of KB of text, a few hundred lines,
# three to ten tables of a few hundred cells.  Anything far beyond is refused before it costs
# seconds or hundreds of MB; every pass of the parser is linear in what these bounds allow.
# ---------------------------------------------------------------------------

#: Largest text (.txt/.md) report read, and largest HTML page (markup, scripts and inline images included).
MAX_TEXT_BYTES = 4 * 1024 * 1024
MAX_HTML_BYTES = 16 * 1024 * 1024
#: Markup tags (“<” counted in the raw bytes) of an HTML page, and how deep its elements may nest.
MAX_HTML_TAGS = 200_000
MAX_DEPTH = 200
#: Lines (paragraphs, text lines and table rows) of one document, and cells in all of them
#: (table cells counted as the grid they cover, merged cells expanded).
MAX_LINES = 30_000
MAX_CELLS = 200_000
#: Characters of one line or paragraph, and tables of one document.
MAX_LINE_CHARS = 200_000
MAX_TABLES = 2_000
#: A Word file: its size, its entries, the decompressed size of its document part (a real report's is
#: well under 1 MB) and of its package and content-type parts, and the elements of the document part.
MAX_DOCX_BYTES = 64 * 1024 * 1024
MAX_DOCX_ENTRIES = 10_000
MAX_DOCX_PART = 16 * 1024 * 1024
MAX_DOCX_SMALL_PART = 1024 * 1024
MAX_DOCX_ELEMENTS = 1_000_000
_LIMIT = "远超一份年度报告，可能是异常或恶意构造的文件，未读取"


@dataclass
class Budget:
    """What one document has used of the bounds above; ``take`` refuses the document once it is past one."""

    lines: int = 0
    cells: int = 0
    tables: int = 0

    def take(self, lines: int = 0, cells: int = 0, tables: int = 0) -> None:
        self.lines += lines
        self.cells += cells
        self.tables += tables
        if self.lines > MAX_LINES:
            raise ParseError(f"内容超过 {MAX_LINES} 行（段落、文字行和表格行），{_LIMIT}。")
        if self.cells > MAX_CELLS:
            raise ParseError(f"表格和文字行中的单元格超过 {MAX_CELLS} 个，{_LIMIT}。")
        if self.tables > MAX_TABLES:
            raise ParseError(f"表格超过 {MAX_TABLES} 个，{_LIMIT}。")

    @staticmethod
    def check_line(text: str, number: int = 0) -> None:
        if len(text) > MAX_LINE_CHARS:
            where = f"第 {number} 行" if number else "一个段落"
            raise ParseError(f"{where}有 {len(text)} 个字符，超过每行 {MAX_LINE_CHARS} 个的上限，{_LIMIT}。")


# ---------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------

@dataclass
class Coverage:
    """Which fields were read from the published report and which were not found (with a reason)."""

    read: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    tables_found: list[str] = field(default_factory=list)
    narratives_found: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Statutory sections (一 … 六) whose heading was found, in document order.
    sections_found: list[str] = field(default_factory=list)
    #: Cells printed with a placeholder (“—”, “/”, “(空)”): field -> the placeholder (“none”, not a number).
    placeholders: dict[str, str] = field(default_factory=dict)
    #: Cells the table prints but leaves without a number (blank, or a placeholder), field -> where: each
    #: one is reported in one finding per table (format.blank_cells, format.blank_total), not cell by cell.
    blank: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Cells printed twice with different numbers (two tables of a kind): field -> the number kept (the
    #: first), the other and where the other is printed; one warning per table says how many and shows some.
    conflicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Pages of a PDF whose text is a scan's recognised (OCR) layer (input.ocr_text), in page order.
    ocr_pages: list[int] = field(default_factory=list)
    #: Pages of a PDF that carry a picture large enough to be a table, in page order.
    picture_pages: list[int] = field(default_factory=list)
    #: Documents a web page links to as attachments (“附件下载”: a report published as an attached .doc or
    #: .pdf), each as the page names it, in page order.
    attachments: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every number of tables 二, 三 and 四 was read."""
        return not any(fid in self.missing for fid in TABLE_FIELDS)

    def withheld(self) -> list[str]:
        """Table cells not read because they stand on a scan's recognised (OCR) text, in form order."""
        return [fid for fid in TABLE_FIELDS if self.missing.get(fid) == OCR_NOTE]

    def table_counts(self) -> dict[str, dict[str, int]]:
        out = {}
        for group in ("section2", "section3", "section4"):
            ids = [f.id for f in FORM.groups[group]]
            out[group] = {"expected": len(ids), "read": sum(1 for i in ids if i in self.read)}
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "tables_found": list(self.tables_found),
            "tables": self.table_counts(),
            "read": list(self.read),
            "missing": [
                {"field": fid, "label": FORM.by_id[fid].label, "note": note} for fid, note in self.missing.items()
            ],
            "narratives_found": list(self.narratives_found),
            "sections_found": list(self.sections_found),
            "placeholders": dict(self.placeholders),
            "blank": sorted(self.blank),
            "conflicts": [{"field": fid, "label": FORM.by_id[fid].label, **c} for fid, c in self.conflicts.items()],
            "notes": list(self.notes),
            "ocr_pages": list(self.ocr_pages),
            "picture_pages": list(self.picture_pages),
            "attachments": list(self.attachments),
        }

    #: At most this many reasons are listed per file (the rest are counted in the last one).
    MAX_UNREAD_REASONS = 12

    def entry(self) -> CoverageEntry:
        """The compact statement compile keeps per file: tables found, cells read/expected, what was not read and why."""
        counts = self.table_counts()
        why: dict[str, int] = {}
        for fid in TABLE_FIELDS:
            if fid in self.missing:
                reason = self.missing[fid]
                why[reason] = why.get(reason, 0) + 1
        parts = list(why.items())
        if len(parts) > self.MAX_UNREAD_REASONS:
            rest = sum(n for _, n in parts[self.MAX_UNREAD_REASONS - 1:])
            parts = [*parts[:self.MAX_UNREAD_REASONS - 1], ("其他原因", rest)]
        return CoverageEntry(tables_found=list(self.tables_found),
                             cells_read=sum(c["read"] for c in counts.values()),
                             cells_expected=sum(c["expected"] for c in counts.values()),
                             unread=[UnreadPart(why=w, cells=n) for w, n in parts])

    def summary(self) -> str:
        counts = self.table_counts()
        parts = [
            f"{name} {c['read']}/{c['expected']}"
            for name, c in zip(("表二", "表三", "表四"), counts.values(), strict=True)
        ]
        head = "表格数字全部读出" if self.complete else "有表格数字未找到"
        return f"{head}（{'，'.join(parts)}）"


@dataclass
class ParseResult:
    report: Report
    coverage: Coverage
    warnings: list[str] = field(default_factory=list)
    file: str = ""
    #: Where each number came from: field -> {line | table, row, column, excerpt, row_label, column_label}.
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Findings about the report's format (format.version, format.rows, format.structure,
    #: format.template_text): {rule, message, source?} each, reported once instead of cell by cell.
    format_findings: list[dict[str, Any]] = field(default_factory=list)
    #: The same, as findings made by their rules (the message with the line it was found on).
    format_found: list[Finding] = field(default_factory=list)
    #: Table fields a format finding covers (not reported blank one by one).
    covered: set[str] = field(default_factory=set)
    #: The report's title was found at the head of the file (not only as a page's running header, “Page 8 - …”).
    titled: bool = False
    #: The narrative field (a part of 一, or 五) the file's text ends inside, cut in the middle of a sentence with
    #: no later section after it (a web page's stored excerpt), or "".
    ends_in: str = ""
    #: Table -> (row key -> its label as printed, where the table starts) for a table whose every line of numbers
    #: is one of its rows: a row of the form not among them is not printed (format.rows), not merely unread.
    printed_rows: dict[str, tuple[dict[str, str], dict[str, Any]]] = field(default_factory=dict)
    #: The sentences printed beside tables 三 and 四 (“2023年，共收到政府信息公开申请0条。”): "三"/"四" -> (the
    #: section's heading, the text).  Read back against the tables (``validate_parsed``); no field of the form.
    table_prose: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def found_tables(self) -> bool:
        return bool(self.coverage.tables_found)

    def report_json(self) -> dict[str, Any]:
        """Report JSON (same shape as ``Report.to_json``) with stated totals kept and unread cells null."""
        out: dict[str, Any] = {"form": FORM_ID, "form_version": FORM_VERSION}
        for group in GROUP_ORDER:
            out[group] = {f.id: _json_value(self.report.values.get(f.id)) for f in FORM.groups[group]}
        return out

    def to_json(self, findings: Sequence[Finding] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": PARSE_KIND,
            "file": self.file,
            "report": self.report_json(),
            "coverage": self.coverage.to_json(),
            "sources": {fid: dict(src) for fid, src in self.sources.items()},
            "format": [dict(f) for f in self.format_findings],
            "warnings": list(self.warnings),
        }
        if findings is not None:
            out["findings"] = [f.to_json() for f in findings]
        return out


def _json_value(v: Value) -> Value:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
_NUMBERING = re.compile(r"^\s*(?:[（(]\s*)?(?:[一二三四五六七八九十]+|\d+)\s*(?:[)）]\s*)?[、.．,，:：]?\s*")


#: Cached: every pass over the document (sections, tables 二 三 四, narratives, structure) looks at the same
#: lines and cells again; the caches make each string's normalisation a one-time cost.  They are emptied
#: after each document (``_per_document``), so a long-running process keeps nothing of what it read.
_CACHE = 1 << 16


@functools.lru_cache(maxsize=_CACHE)
def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ").replace("\xa0", " ")


#: What ``key`` drops: every character that is not alphanumeric (``\\w`` is exactly ``str.isalnum`` plus “_”).
_NOT_ALNUM = re.compile(r"[\W_]+")
#: Spaces of any kind (an NBSP after “（一）” in a web page), taken out of a heading quoted or compared.
_WS_RUN = re.compile(r"\s+")


@functools.lru_cache(maxsize=_CACHE)
def key(text: str) -> str:
    """A label reduced to its letters, digits and CJK characters (全角/半角, spacing and punctuation ignored)."""
    return _NOT_ALNUM.sub("", simplify(nfkc(text))).replace("资讯", "信息")


def body_key(label: str) -> str:
    """``key`` of a label without its leading numbering (一、 / （一） / 1.)."""
    return key(_NUMBERING.sub("", nfkc(label), count=1))


_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
#: A cell printed as a dash, a slash or “(空)” means “none”: it is a value cell whose value is None (never 0),
#: kept apart from a number and from an empty cell (see ``_Parser.placeholders``).
_PLACEHOLDER = re.compile(r"^(?:[-—–－―─/／\\]+|无|空|[(（]空[)）]|空白)$")
#: The units a cell may print after its number.
_UNITS = "件|万元|元|个|条"
_UNIT = re.compile(rf"(?:{_UNITS})$")
#: Spaces inside a number: only as a thousands separator (“12 345”), or around a unit or a sign.
_SPACED_GROUPS = re.compile(rf"^[+-]? ?\d{{1,3}}(?: \d{{3}})+(?:\.\d+)? ?(?:{_UNITS})?$|^[+-]? ?[\d,.]+ ?(?:{_UNITS})?$")


#: The text a reader gives a value cell it cannot read (a number running out of the table past the page's
#: edge): a value cell without a value that is not blank either.
UNREADABLE = "（超出表格，未读）"
#: The text a table cell gets where a number other than 0 is merged down over several item rows of table 三
#: (``rowspan``): one number for rows the form counts apart, none of whose values it is (Line.merged says which).
MERGED = "（合并单元格，未读）"


@functools.lru_cache(maxsize=_CACHE)
def parse_number(text: str) -> tuple[bool, int | float | None]:
    """(is a value cell, value): a number, or a placeholder such as “—” (value None)."""
    if text in (UNREADABLE, MERGED):
        return True, None
    t = nfkc(text).strip()
    if " " in t:
        if not _SPACED_GROUPS.match(t):
            # several numbers in one cell ("0 0 0 471 0 0 0 2"): glyphs of neighbouring cells that one cell
            # caught; read as one number they would be a number the report does not print
            return False, None
        t = t.replace(" ", "")
    if not t:
        return False, None
    if _PLACEHOLDER.match(t):
        return True, None
    t = _UNIT.sub("", t)
    if not _NUMBER.match(t):
        return False, None
    t = t.replace(",", "")
    if "." in t or len(t) > _MAX_INT_DIGITS:
        # a number longer than any count is kept as the float it reads as (inf past 1e308, never an error):
        # the validator reports it as implausible and it is never summed (Report.drop_implausible)
        return True, float(t)
    return True, int(t)


#: Digits of the longest number read as an integer (a count is below 10^8, an amount below 10^9).
_MAX_INT_DIGITS = 15


# ---------------------------------------------------------------------------
# Document model: lines of cells, from text, HTML or Word
# ---------------------------------------------------------------------------

@dataclass
class Line:
    """One line of the document: a paragraph or a table row."""

    text: str
    #: (column, text) of the cells that carry text; column is the grid column for table rows.
    cells: list[tuple[int, str]]
    #: Set for rows of a real table (HTML/Word): the table number and, per grid column, the text
    #: covering it (merged cells repeated) — used to read headers by position.
    table: int | None = None
    cover: list[str] = field(default_factory=list)
    #: Where the line is in its file: the text line number (1-based), or the row of its table (1-based).
    number: int = 0
    #: Number of cells including empty ones, for text lines split at tabs or “|” (0 when unknown).
    width: int = 0
    #: Where the line is in a paged document (PDF): 1-based page and line number on that page.
    page: int | None = None
    line_no: int | None = None
    #: A plain text line (no separator) that value lines following it, one cell a line, were joined to.
    joined: bool = False
    #: A row of one cell a line ending “ |”: lone “|” lines read since its last cell (empty cells, placed once
    #: a value follows them), and whether a filler line (“||”) has closed it to such empty cells.
    pending_empty: int = 0
    filler_closed: bool = False
    #: Such a row opened by a lone “|” line of its own (each row of the table is): the last lone “|” before
    #: the next row is that row's opening, not an empty cell of this one.
    opened_by_bar: bool = False
    #: A row rebuilt from one cell a line: per column, the text line its cell is printed on (its number in
    #: the file and its text), for the cells printed on a line other than the row's own (``number``).
    cell_lines: dict[int, tuple[int, str]] | None = None
    #: A text line with something other than a Markdown separator row (a blank line, a cell joined to the line
    #: above) between it and the line before it; the first line of a text too.
    gap_before: bool = False
    #: A row of numbers printed without its label, paired with a label printed on lines above it: the text
    #: line the label starts on (cited as the source's ``label_line``).
    label_line: int | None = None
    #: A row of a table inside a text file (raw HTML in Markdown, a table drawn with dashes): the line of the
    #: file it starts on (``number`` is its row in the table); its cells' own lines are in ``cell_lines``.
    text_line: int | None = None
    #: Per grid column, a number other than 0 merged down over item rows (cell text ``MERGED``): the number as
    #: printed, the row it is written in and how many rows it spans.
    merged: dict[int, tuple[str, int, int]] | None = None

    def cell_line(self, column: int, number: int, text: str) -> None:
        """Record that the cell in ``column`` is printed on line ``number`` of the file, reading ``text``."""
        if number != self.number:
            if self.cell_lines is None:
                self.cell_lines = {}
            self.cell_lines[column] = (number, text)

    @property
    def positional(self) -> bool:
        return self.table is not None


def _split_text_line(line: str) -> list[tuple[int, str]]:
    stripped = line.strip()
    if stripped.startswith("|") or stripped.endswith("|") or " | " in stripped:
        # Markdown, or text copied from a web page with “ | ” between cells
        if re.fullmatch(r"\|?[\s:|-]+\|?", stripped):
            return []  # Markdown separator row
        parts = [p.replace("\\", "") for p in re.split(r"(?<!\\)\|", stripped.strip("|"))]
    elif "\t" in line:
        parts = line.split("\t")
    else:
        parts = re.split(r"\s+", line)
    return [(i, p.strip()) for i, p in enumerate(parts) if p.strip()]


_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>~])")


def _unmarkdown(line: str) -> str:
    """Markdown decoration removed (headings, quotes, bold, escapes); plain text is left as it is."""
    line = _MD_PREFIX.sub("", line).replace("**", "")
    return _MD_ESCAPE.sub(r"\1", line)


def _text_width(line: str) -> int:
    stripped = line.strip()
    if stripped.startswith("|") or stripped.endswith("|") or " | " in stripped:
        return len(re.split(r"(?<!\\)\|", stripped.strip("|")))
    if "\t" in line:
        return len(line.rstrip("\n").split("\t"))
    return 0


#: A page's whole text on one line (as a crawler extracts it) is longer than this: such a line is cut at the
#: statutory headings it holds (at least two), so that each section and its table start a line of their own.
RUN_ON_LINE = 300
#: At most this many “X、” of such a line are looked at (a page has six headings and a few row numerals).
RUN_ON_CANDIDATES = 64
#: A line longer than this is no page of a report (those run to some 20,000 characters): it is left whole.
RUN_ON_MAX = 100_000
_INLINE_HEADING = re.compile(r"(?<![（(])([一二三四五六])\s*、")


def _run_on_pieces(raw: str) -> list[str]:
    """``raw`` cut before and after each statutory heading inside it, when it is a run-on page text."""
    if not RUN_ON_LINE < len(raw) <= RUN_ON_MAX:
        return [raw]
    cuts: list[tuple[int, int]] = []
    for n, m in enumerate(_INLINE_HEADING.finditer(raw)):
        if n >= RUN_ON_CANDIDATES:
            break
        after = raw[m.end():m.end() + 40]
        k = key(after)
        best = max((t for t in SECTION_KEYS[m.group(1)] if t and k.startswith(t)), key=len, default="")
        if not best:
            continue
        end = next(i for i in range(1, len(after) + 1) if key(after[:i]) == best)
        if not cuts or m.start() >= cuts[-1][1]:
            cuts.append((m.start(), m.end() + end))
    if len(cuts) < 2:
        return [raw]
    pieces, pos = [], 0
    for a, b in cuts:
        pieces += [raw[pos:a], raw[a:b]]
        pos = b
    pieces.append(raw[pos:])
    return [piece for piece in pieces if piece.strip()]


#: A line holding only tabs (and blanks): in a browser's copy of a table whose cells hold paragraphs
#: (``innerText``), what stands between two cells of a row, the cells' text on lines of their own.
_TAB_LINE = re.compile(r"[ \t\xa0\u3000]*\t[ \t\xa0\u3000]*")
#: A text with fewer such lines is not such a copy (left as it is).
MIN_TAB_LINES = 4


#: A line of a text as the reader takes it: (index of its first line, its text, and for a row put back
#: together from lines of their own, the index of the line each of its tab-separated cells is printed on).
RawRow = tuple[int, str, "list[int | None] | None"]


def _copied_rows(raws: list[str]) -> list[RawRow]:
    """(line index, text, cell lines) of the lines of ``raws``, with the rows of a browser's copy put back together.

    Copying a page whose table cells hold ``<p>`` paragraphs gives every cell on a line of its own, a line
    with only a tab between two cells of a row, one blank line around each, and more blank lines between
    rows (“规章\\n\\n\\t\\n\\n0\\n\\n\\t\\n\\n0”).  A row is rebuilt as one tab-separated line: the text line
    just above its first tab is its first cell, each tab starts the next cell (k tabs on a line: k − 1
    empty cells between), a cell's text is what stands before the next tab (more paragraphs of a middle
    cell joined), and the row ends at its last cell's text — or, its last cell empty, at more than one
    blank line.  Any other line is left as it is.
    """
    tab_at = [bool(_TAB_LINE.fullmatch(r)) for r in raws]
    if sum(tab_at) < MIN_TAB_LINES:
        return [(i, r, None) for i, r in enumerate(raws)]
    next_content: list[int | None] = [None] * (len(raws) + 1)
    # a blank line is empty; a line of only “\xa0” is the paragraph of an empty cell (“<p>&nbsp;</p>”)
    blank = [not r.strip(" ") for r in raws]
    for i in range(len(raws) - 1, -1, -1):
        next_content[i] = i if (tab_at[i] or not blank[i]) else next_content[i + 1]
    out: list[RawRow] = []
    row: list[list[str]] | None = None
    at: list[int | None] = []  # the line each cell of ``row`` starts on
    start = 0
    blanks = 0  # blank lines since the last line with content
    last_text = False  # the last line kept was a text line (a row's first cell can be taken from it)
    closed = False  # the row's last cell was complete on its tab line

    def flush() -> None:
        nonlocal row
        if row is not None:
            out.append((start, "\t".join(" ".join(cell) for cell in row), at))
            row = None

    for i, raw in enumerate(raws):
        if tab_at[i]:
            if row is not None and blanks > 1 and (row[-1] or closed):
                flush()  # the row ended; this one's first cell is empty
            if row is None:
                take = last_text and blanks <= 1
                start = out[-1][0] if take else i
                row = [[out.pop()[1].strip()]] if take else [[]]
                at = [start if take else None]
            row.extend([] for _ in range(raw.count("\t")))
            # a cell copied on the tab line itself (“\t\xa0\t\xa0”) is printed on that line
            at.extend(i for _ in range(raw.count("\t")))
            # a cell without paragraphs is copied on the tab line itself (“\t\xa0\t\xa0”): after its
            # last tab the line has that cell's text, and the cell is complete
            closed = not raw.endswith("\t")
            blanks, last_text = 0, False
            continue
        if blank[i]:
            blanks += 1
            continue
        text = raw.strip()
        if row is not None:
            cell = row[-1]
            nxt = next_content[i + 1]
            if not closed and ((not cell and blanks <= 1) or (cell and blanks <= 1 and nxt is not None and tab_at[nxt])):
                if not cell:
                    at[-1] = i
                cell.append(text)
                blanks = 0
                continue
            flush()
        out.append((i, raw, None))
        blanks, last_text = 0, True
    flush()
    return out


#: A text with at least this many lines holding a lone number, and none holding two, has one cell a line.
MIN_LONE_NUMBERS = 20
_TWO_NUMBERS = re.compile(r"(?:^|\s)[+-]?\d[\d,]*(?:\.\d+)?\s+[+-]?\d[\d,]*(?:\.\d+)?(?:\s|$)")


def _lone_cell(raw: str) -> bool:
    """A line holding one value cell: a number, a placeholder, or the “\\xa0” of a cell printed blank."""
    text = raw.strip(" ")
    return bool(text) and (not text.strip() or parse_number(text.strip())[0])


def _cell_lines_rows(raws: list[str]) -> list[RawRow]:
    """(line index, text, cell lines) of the lines of ``raws``, the rows of a text with one table cell a line put back.

    A Word file saved as plain text (LibreOffice, Word, WPS: “另存为纯文本”) has every paragraph on a line,
    so every cell of a table on a line of its own, and nothing between two rows.  In such a text — many
    lines holding a lone number, none holding two — a text line followed at once by lines of one value
    each (a number, a placeholder, or “\\xa0” for a cell printed blank) is a row: its label and its values,
    rebuilt as one tab-separated line.  The run of values stops at an empty line (a cell left empty
    without a space, or the end of a merged cell: where the next value would stand is not known) or at
    text; a row that comes out short is one the parser leaves unread, never shifted.
    """
    lone = [_lone_cell(r) for r in raws]
    if sum(lone) < MIN_LONE_NUMBERS or any(_TWO_NUMBERS.search(r) for r in raws):
        return [(i, r, None) for i, r in enumerate(raws)]
    out: list[RawRow] = []
    i = 0
    while i < len(raws):
        raw = raws[i]
        j = i + 1
        if raw.strip() and not lone[i]:
            while j < len(raws) and lone[j]:
                j += 1
        if j - i > 1:
            out.append((i, "\t".join([raw.strip(), *(r.strip() for r in raws[i + 1:j])]), list(range(i, j))))
        else:
            out.append((i, raw, None))
        i = j
    return out


#: A text with at least this many cells closed by a “|” line of their own is of that layout (below).
MIN_BAR_CELLS = 8


def _bar_lines_folded(raws: list[str]) -> list[str]:
    """``raws`` with each cell closed by a lone “|” on the next line written as one line “cell |”.

    Some pages' text puts every table cell on a line and the cell's closing “|” on the line after it
    (“规章\n|\n0\n|\n0\n|\n6\n|”): once folded (“规章 |”, “0 |” …) it is the layout of one cell a line
    ending “ |”, read row by row.  A lone “|” after a line that itself ends with “|” is left alone (an empty
    cell, or the start of a row, in that layout), and a text with fewer such cells is left as it is.  The
    “|” line becomes a blank line, so that every line keeps its number.
    """
    at = [i for i in range(len(raws) - 1)
          if raws[i + 1].strip() == "|" and raws[i].strip() and not raws[i].rstrip().endswith("|")]
    if len(at) < MIN_BAR_CELLS:
        return raws
    out = list(raws)
    for i in at:
        out[i] = f"{raws[i].rstrip()} |"
        out[i + 1] = ""
    return out


def text_lines(text: str, *, first_line: int = 1, budget: Budget | None = None) -> list[Line]:
    """Lines of plain text (one per non-blank line), split into cells; ParseError past the bounds of ``budget``.

    Tables a converter wrote into the text as tables — raw HTML ``<table>`` blocks in Markdown, tables drawn
    with dashes and spaces (pandoc's plain text and Markdown) — are read as the grids they are, each row a
    table row whose cells are where they stand; the text around them is read line by line.
    """
    budget = budget if budget is not None else Budget()
    raws = _bar_lines_folded(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    blocks = _text_tables(raws, budget) if ("<table" in text.lower() or "--" in text) else []
    if not blocks:
        return _plain_lines(raws, first_line, budget)
    out: list[Line] = []
    at = 0
    for start, end, lines in blocks:
        out.extend(_plain_lines(raws[at:start], first_line + at, budget))
        for line in lines:
            line.text_line = first_line + (line.text_line or 0)
            if line.cell_lines is not None:
                line.cell_lines = {c: (first_line + n, t) for c, (n, t) in line.cell_lines.items()}
        out.extend(lines)
        at = end
    out.extend(_plain_lines(raws[at:], first_line + at, budget))
    return out


def _plain_lines(raws: list[str], first_line: int, budget: Budget) -> list[Line]:
    """The lines ``raws`` (the first being line ``first_line`` of the file) read as plain text."""
    out: list[Line] = []
    rows = _copied_rows(raws)
    if len(rows) == len(raws):  # not a browser's copy: maybe a text of one cell a line
        rows = _cell_lines_rows(raws)
    for index, whole, at in rows:
        number = first_line + index
        budget.check_line(whole, number)
        pieces = _run_on_pieces(whole)
        if at is not None and len(pieces) == 1:  # a row put back together: each cell is where it is printed
            before = len(out)
            _text_line(out, _unmarkdown(whole), number, budget)
            if len(out) > before:
                line = out[-1]
                for column, _ in line.cells:
                    if column < len(at) and (where := at[column]) is not None:
                        line.cell_line(column, first_line + where, raws[where].strip())
            continue
        for raw in pieces:
            _text_line(out, _unmarkdown(raw), number, budget)
    _mark_gaps(out, raws, first_line)
    return out


#: A table drawn with dashes has at most this many lines between its rules (a report's table some 40).
MAX_DRAWN_LINES = 1000
#: What pandoc writes, in plain text, in place of a table it cannot draw (cells merged over rows and columns).
TABLE_PLACEHOLDER = "[TABLE]"
#: A line opening a raw HTML table in a text (pandoc's Markdown keeps a table with merged cells so).
_HTML_TABLE_OPEN = re.compile(r"\s*<table\b", re.I)
#: A rule of dashes in runs, one run per column (“  ------ ------- ----”): the edge of a table drawn with
#: dashes (pandoc's simple and multiline tables); each run's extent is its column's.
_DASH_RULE = re.compile(r"\s*-{3,}(?: +-{3,})+\s*")


def _text_tables(raws: list[str], budget: Budget) -> list[tuple[int, int, list[Line]]]:
    """(first index, index past the end, table lines) of each table drawn in the text ``raws``, in order.

    The lines' ``text_line`` and ``cell_lines`` are indices into ``raws`` (0-based), made line numbers by the
    caller; tables are numbered from 1 in the order they stand.
    """
    blocks: list[tuple[int, int, list[Line]]] = []
    # where each rule of dashes is printed: a table runs from one to the next of the same runs
    rules: dict[str, list[int]] = {}
    for n, raw in enumerate(raws):
        if "---" in raw and _DASH_RULE.fullmatch(raw):
            rules.setdefault(raw, []).append(n)
    markup = True  # once a raw table is left open, no later one can close (each would be read to the end)
    i = 0
    while i < len(raws):
        found: tuple[int, list[Line]] | None = None
        if markup and _HTML_TABLE_OPEN.match(raws[i]):
            found = _markup_table(raws, i, len(blocks), budget)
            markup = found is not None
        elif raws[i].lstrip().startswith("|") and i + 1 < len(raws) and _GFM_SEPARATOR.fullmatch(raws[i + 1]):
            found = _pipe_table(raws, i, len(blocks), budget)
        elif raws[i] in rules:
            at = rules[raws[i]]
            k = bisect.bisect_right(at, i)
            if k < len(at) and at[k] - i <= MAX_DRAWN_LINES:
                found = _dash_table(raws, i, at[k], len(blocks), budget)
                if found is None:
                    i = at[k] + 1  # no table the reader is sure of: its lines are text, none starts another
                    continue
        if found is None:
            i += 1
            continue
        end, lines = found
        if lines:
            blocks.append((i, end, lines))
        i = end
    return blocks


def _markup_table(raws: list[str], start: int, tables: int, budget: Budget) -> tuple[int, list[Line]] | None:
    """The raw HTML table opening at ``raws[start]``, read as an HTML page's table is; None if never closed."""
    import lxml.html

    depth, end = 0, start
    while end < len(raws):
        low = raws[end].lower()
        depth += len(re.findall(r"<table\b", low)) - low.count("</table")
        end += 1
        if depth <= 0:
            break
    if depth > 0:
        return None
    markup = "\n".join(raws[start:end])
    if markup.count("<") > MAX_HTML_TAGS:
        raise ParseError(f"文字中的 HTML 表格有 {markup.count('<')} 个标记，超过 {MAX_HTML_TAGS} 个的上限，{_LIMIT}。")
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # not HTML after all: left as text
        return None
    Budget().take(tables=sum(1 for _ in root.iter("table")), cells=sum(1 for _ in root.iter("td", "th")))
    out: list[Line] = []
    for table in root.iter("table"):
        if table.find(".//table") is not None:
            continue  # a layout table: the tables inside it are read
        tables += 1
        trs = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
        lines = _grid_lines(_html_table_rows(table), tables, budget)
        for line, tr in zip(lines, trs, strict=True):
            line.text_line = start + (tr.sourceline or 1) - 1
            tds = [td for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th") and _html_cell_text(td)]
            own = {}
            for (column, _), td in zip(line.cells, tds, strict=True):
                n = start + (td.sourceline or 1) - 1
                if n != line.text_line and n < len(raws):
                    own[column] = (n, raws[n].strip())
            line.cell_lines = own or None
        out.extend(lines)
    return end, out


#: The delimiter row under a Markdown (GFM) table's header: “|---|:---:|”, a run of dashes per column.
_GFM_SEPARATOR = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*")
#: A Markdown table is read as a grid only with at least this many rows under its header.
MIN_PIPE_GRID_ROWS = 2


def _pipe_cells(raw: str) -> list[str]:
    """The cells of a Markdown table row (“\\|” inside a cell is a “|”)."""
    stripped = raw.strip().removeprefix("|")
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    return [c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", stripped)]


def _pipe_edges(raw: str) -> list[int]:
    """The display columns of the unescaped “|” of ``raw``."""
    out, pos, prev = [], 0, ""
    for ch in raw.rstrip():
        if ch == "|" and prev != "\\":
            out.append(pos)
        pos += _display_width(ch)
        prev = ch
    return out


def _pipe_table(raws: list[str], start: int, tables: int, budget: Budget) -> tuple[int, list[Line]]:
    """The Markdown table whose header is ``raws[start]`` (its delimiter row below it), read as a grid.

    Only a table drawn as a converter draws a grid (pandoc's Markdown): every row with the header's number of
    cells, every “|” at the same display column in every row (the delimiter row's too), and at least
    :data:`MIN_PIPE_GRID_ROWS` rows under the header.  Any other table — a ragged one, or a text extraction's
    rows and fragments put in Markdown one small table each — is left to be read line by line as text (no
    lines returned)."""
    end = start + 2
    while end < len(raws) and raws[end].lstrip().startswith("|"):
        end += 1
    if end - start - 2 < MIN_PIPE_GRID_ROWS or len({tuple(_pipe_edges(raws[n])) for n in range(start, end)}) != 1:
        return end, []  # its lines are text, and none of them starts another table
    indices = [start, *range(start + 2, end)]
    rows = [_pipe_cells(raws[n]) for n in indices]
    if len({len(r) for r in rows}) != 1:
        return end, []
    lines = _grid_lines([[(_clean(_unmarkdown(c)), 1, 1) for c in r] for r in rows], tables + 1, budget)
    for line, n in zip(lines, indices, strict=True):
        line.text_line = n
    _spread_header_labels(lines)
    return end, lines


def _display_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _dash_table(raws: list[str], start: int, end: int, tables: int, budget: Budget) -> tuple[int, list[Line]] | None:
    """The table drawn with dashes between the rules ``raws[start]`` and ``raws[end]`` (the next of the same
    runs); None unless it is one the reader is sure of.

    The rule's runs of dashes give the columns (in display columns: a CJK character is two wide, as the
    converter counted it).  Between the two rules each line is a
    row, or, where blank lines part the rows (a multiline table), each group of lines is one.  A row whose
    text crosses from one column into the next (a character over the edge, or text running on across it)
    cannot be cut with certainty: then the whole table is left to be read as text.
    """
    starts = [m.start() for m in re.finditer(r"-+", raws[start])]
    body = raws[start + 1:end]
    groups: list[list[int]] = []
    multiline = any(not r.strip() for r in body)
    for k, raw in enumerate(body):
        if not raw.strip():
            if groups and groups[-1]:
                groups.append([])
            continue
        if not groups or not multiline:
            groups.append([])
        groups[-1].append(start + 1 + k)
    rows: list[list[tuple[str, int, int]]] = []
    firsts: list[int] = []
    own: list[dict[int, int]] = []  # per row: column -> the line its text starts on, when not the row's first
    for group in (g for g in groups if g):
        texts = [""] * len(starts)
        at: dict[int, int] = {}
        for n in group:
            cut = _cut_columns(raws[n], starts)
            if cut is None:
                return None
            for c, piece in enumerate(cut):
                if piece and not texts[c] and n != group[0]:
                    at[c] = n
            texts = [f"{a} {b}".strip() for a, b in zip(texts, cut, strict=True)]
        rows.append([(_clean(t), 1, 1) for t in texts])
        firsts.append(group[0])
        own.append(at)
    lines = _grid_lines(rows, tables + 1, budget)
    for line, first, at in zip(lines, firsts, own, strict=True):
        line.text_line = first
        if at:
            line.cell_lines = {c: (n, raws[n].strip()) for c, n in at.items()}
    _spread_header_labels(lines)
    return end + 1, lines


def _spread_header_labels(lines: list[Line]) -> None:
    """The merges of the header of a table drawn without them (dashes and spaces), put back in ``cover`` only
    (where a cell is printed stays), and only in the header rows (above the first row holding a number).

    A label standing over labels of the row below covers the columns to its right up to the next label of its
    row, as long as the row below has a label in each (“行政诉讼” over “未经复议直接起诉 … 复议后起诉” over
    their five results each); then a header cell left blank under a label is that label's, merged down to the
    header's last row (“自然人” over the row of 商业企业 …, the results of 行政复议 beside those of 行政诉讼) —
    as the page's header cells span, and so that no header row reads as a row of table cells printed blank."""
    first_values = next((k for k, line in enumerate(lines) if any(parse_number(t)[0] for _, t in line.cells)),
                        len(lines))
    for k in range(first_values - 2, -1, -1):  # from the bottom up: a row spreads over the row below, spread
        cover, below = lines[k].cover, lines[k + 1].cover
        for c in range(1, min(len(cover), len(below))):
            if not cover[c] and cover[c - 1] and below[c]:
                cover[c] = cover[c - 1]
    for k in range(1, first_values):
        cover, above = lines[k].cover, lines[k - 1].cover
        for c in range(min(len(cover), len(above))):
            if not cover[c] and above[c]:
                cover[c] = above[c]


def _cut_columns(raw: str, starts: list[int]) -> list[str] | None:
    """The text of ``raw`` in each column starting at the display columns ``starts``; None if text crosses an edge."""
    cells = [""] * len(starts)
    pos, col = 0, 0
    prev = " "
    for ch in raw:
        while col + 1 < len(starts) and pos >= starts[col + 1]:
            col += 1
            if prev != " " and ch != " ":
                return None  # text running on over the edge
        width = _display_width(ch)
        if col + 1 < len(starts) and pos < starts[col + 1] < pos + width:
            return None  # a wide character over the edge
        cells[col] += ch
        prev = ch
        pos += width
    return [c.strip() for c in cells]


#: A Markdown table's separator row (“|---|---|”): no content, nothing between two rows of a table.
_MD_SEPARATOR = re.compile(r"\|?[\s:|]*-[\s:|-]*\|?")


def _mark_gaps(lines: list[Line], raws: list[str], first_line: int) -> None:
    """Set ``gap_before`` on each line of ``lines`` (of the text ``raws``) that a line other than a Markdown
    separator row — a blank line, or a cell joined to the line above — parts from the line before it."""
    before = None
    for line in lines:
        if before is None:
            line.gap_before = True
        elif line.number > before + 1:
            line.gap_before = any(not _MD_SEPARATOR.fullmatch(raws[n - first_line].strip())
                                  for n in range(before + 1, line.number))
        before = line.number


def _text_line(out: list[Line], raw: str, number: int, budget: Budget) -> None:
    """Append the line ``raw`` (line ``number`` of the text) to ``out``, or join it to the row above."""
    if not raw.strip():
        return
    cells = _split_text_line(raw)
    budget.take(lines=1, cells=len(cells))
    stripped = raw.strip()
    if stripped.endswith("|") and out and out[-1].text.endswith("|"):
        # one cell per line (“0 |”): a value cell continues the row above
        if not cells:
            prev = out[-1]
            if stripped == "|" and not prev.filler_closed and prev.cells and not prev.positional:
                # a lone “|”: a cell of the row left empty (“一、本年新收… |”, “|” × 6, “0 |”), counted only
                # if a value follows it in the row
                prev.pending_empty += 1
            elif stripped != "|":
                prev.filler_closed = True  # “||”, “|||”: the filler of merged header cells, the row is over
                prev.pending_empty = 0
            return
        if len(cells) == 1 and parse_number(cells[0][1])[0]:
            prev = out[-1]
            col = (prev.cells[-1][0] + 1 + prev.pending_empty) if prev.cells else 0
            if prev.pending_empty:
                prev.width = max(prev.width, col + 1)
            prev.pending_empty = 0
            prev.cells.append((col, cells[0][1]))
            prev.cell_line(col, number, stripped)
            prev.text = f"{prev.text} {stripped}"
            return
    elif len(cells) == 1 and parse_number(cells[0][1])[0] and out and _takes_plain_cell(out[-1]):
        # one cell a line with no separator at all (“行政许可” / “29858”, often between blank lines): a value
        # cell continues the row above, which is a short label line or a row already continued so
        prev = out[-1]
        prev.cells.append((prev.cells[-1][0] + 1, cells[0][1]))
        prev.cell_line(prev.cells[-1][0], number, stripped)
        prev.text = f"{prev.text} {stripped}"
        prev.joined = True
        return
    line = Line(stripped, cells, number=number, width=_text_width(raw))
    if (out and (out[-1].pending_empty > 0 or (out[-1].text == "|" and not out[-1].cells)) and stripped.endswith("|")
            and cells and not parse_number(cells[-1][1])[0]):
        prev = out[-1]
        line.opened_by_bar = True
        if prev.opened_by_bar and prev.pending_empty > 1 and prev.cells and not prev.positional:
            # rows each opened by a lone “|” (“|” / “规章 |” / “0 |” / “0 |” / “|” / “|” / “行政规范性文件 |”):
            # the lone “|” lines before the next row's opening are this row's last cells, printed empty
            prev.width = max(prev.width, prev.cells[-1][0] + prev.pending_empty)
        prev.pending_empty = 0
    out.append(line)


#: A plain line this long or longer is prose, never a row label that value lines one cell a line continue.
PLAIN_LABEL_MAX = 60


def _takes_plain_cell(prev: Line) -> bool:
    """Whether a line holding one value cell and no separator continues ``prev`` (one cell a line)."""
    if prev.positional or prev.width or not prev.cells or "|" in prev.text or "\t" in prev.text:
        return False
    if prev.joined:
        return True
    # a label alone on its line: a single cell that is no value, no sentence and no statutory heading
    return (len(prev.cells) == 1 and not parse_number(prev.cells[0][1])[0] and len(prev.text) < PLAIN_LABEL_MAX
            and not any(ch in prev.text for ch in "。；;") and heading_of(prev) is None)


def _paragraph_lines(text: str, budget: Budget) -> list[Line]:
    """Lines of a paragraph of an HTML page or Word file (no line number of their own)."""
    budget.check_line(text)
    out = text_lines(text, budget=budget)
    for line in out:
        line.number = 0
    return out


#: Upper bound on the expanded cells of one table: a merged-cell bomb cannot exhaust memory or time.
MAX_GRID_CELLS = 100_000


#: The label of an item row of table 三 (“2.申请人逾期未按收费通知要求缴纳费用……”, “3.其他”): a row that a number
#: cell merged over it from the row above may stand for, not the continuation of a label wrapped over two rows.
_ITEM_ROW_LABEL = re.compile(r"^\s*(?:\d{1,2}\s*[.．、]|[(（]\s*[一二三四五六七八九十]\s*[)）])")


def _zero(text: str) -> bool:
    ok, value = parse_number(text)
    return ok and value == 0


def _grid_lines(rows: list[list[tuple[str, int, int]]], table_no: int, limits: Budget) -> list[Line]:
    """Lines of a table given as rows of (text, rowspan, colspan) cells, merged cells expanded.

    A “0” merged down over item rows — the seven numbers of （六）1. spanning 1.–3. (平潭 市场监督管理局 2023) —
    is each of those rows' value too: the rows it covers are counts whose sum is 0.  Any other number merged
    down over item rows is none of theirs (it may be one row's, or the rows' total): in each of those rows its
    cell reads ``MERGED``, a value cell without a value, and ``Line.merged`` says what it printed.  Over rows
    that are no item rows (a label wrapped onto a second row) a merged number is the one row's.
    """
    limits.take(tables=1, lines=len(rows), cells=sum(len(row) for row in rows))
    grid: list[dict[int, str]] = [{} for _ in rows]
    zeros: list[list[tuple[int, str]]] = [[] for _ in rows]  # “0” cells merged down onto each row
    spans: list[tuple[int, int, str, int]] = []  # (row, column, text, rows) of other numbers merged down
    budget = MAX_GRID_CELLS
    out = []
    for r, row in enumerate(rows):
        cells: list[tuple[int, str]] = []
        c = 0
        here = grid[r]
        for text, rowspan, colspan in row:
            while c in here:
                c += 1
            rowspan = min(rowspan, len(rows) - r)
            if rowspan * colspan > budget:
                rowspan = colspan = 1
            budget -= rowspan * colspan
            for dr in range(rowspan):
                target = grid[r + dr]
                for dc in range(colspan):
                    target[c + dc] = text
            if rowspan > 1 and _zero(text):
                for dr in range(1, rowspan):
                    zeros[r + dr].append((c, text))
            elif rowspan > 1 and parse_number(text)[1] is not None:
                spans.append((r, c, text, rowspan))
            if text:
                cells.append((c, text))
            c += colspan
        cells = _with_merged_zeros(cells, zeros[r])
        width = max(here, default=-1) + 1
        limits.take(cells=width)
        cover = [here.get(cc, "") for cc in range(width)]
        out.append(Line(" ".join(t for _, t in cells), cells, table_no, cover, number=r + 1))
    for r, c, text, rowspan in spans:
        _unplace_merged(out[r:r + rowspan], c, text)
    return out


def _item_row(cells: list[tuple[int, str]]) -> bool:
    """Whether a row's own first cell is an item's label (“2.申请人逾期未按收费通知……”, “3.其他”)."""
    return bool(cells) and bool(_ITEM_ROW_LABEL.match(cells[0][1])) and not parse_number(cells[0][1])[0]


def _with_merged_zeros(cells: list[tuple[int, str]], zeros: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The cells of a row with the “0”s merged down onto it (``zeros``: (column, text)) added when it is an item
    row of table 三 and they stand right of its label: each of those rows' value too."""
    if not zeros or not _item_row(cells):
        return cells
    have = dict(cells)
    return sorted(cells + [z for z in zeros if z[0] > cells[0][0] and z[0] not in have])


def _unplace_merged(lines: list[Line], column: int, text: str) -> None:
    """A number other than 0 merged down from ``lines[0]`` over the item rows below it: its cell in each of
    them reads ``MERGED`` (nothing placed), with what it printed in ``Line.merged``."""
    below = lines[1:]
    if not below or not all(_item_row(line.cells) for line in below) or not all(line.cells for line in lines):
        return
    if any(column <= line.cells[0][0] for line in below):
        return  # merged over the label column itself: no number of the rows
    for line in lines:
        line.cells = sorted([(c, t) for c, t in line.cells if c != column] + [(column, MERGED)])
        line.merged = {**(line.merged or {}), column: (text, lines[0].number, len(lines))}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u3000", " ")).strip()


# ---------------------------------------------------------------- HTML
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header",
               "footer", "blockquote", "pre", "caption", "dt", "dd", "tr", "body", "center", "main", "aside", "title"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "iframe", "object"}


#: The XML declaration an XHTML page starts with (LibreOffice's “XHTML” export, some CMS editors): lxml refuses
#: a text (not bytes) that declares its encoding, and the page has been decoded already.
_XML_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml\b[^>]*\?>")


def html_lines(markup: str) -> list[Line]:
    """Lines of an HTML (or XHTML) page: its paragraphs, and the rows of its tables; ParseError past the bounds."""
    import lxml.html

    markup = _XML_DECLARATION.sub("", markup, count=1)
    tags = markup.count("<")
    if tags > MAX_HTML_TAGS:
        raise ParseError(f"网页有 {tags} 个标记，超过 {MAX_HTML_TAGS} 个的上限，{_LIMIT}。")
    try:
        root = lxml.html.document_fromstring(markup)
    except Exception as exc:  # lxml raises several types (ParserError, ValueError) for empty/odd input
        raise ParseError(f"无法解析 HTML（{exc}）") from exc
    # counted before any table is expanded: a page of 10^5 tables or 10^6 cells is refused at once
    Budget().take(tables=sum(1 for _ in root.iter("table")), cells=sum(1 for _ in root.iter("td", "th")))
    budget = Budget()
    lines: list[Line] = []
    buf: list[str] = []
    tables = [0]

    def flush() -> None:
        text = "".join(buf)
        buf.clear()
        for part in text.split("\n"):
            if part.strip():
                lines.extend(_paragraph_lines(part, budget))

    def walk(el: Any, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ParseError(f"网页的元素嵌套超过 {MAX_DEPTH} 层，{_LIMIT}。")
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP_TAGS:
            if el.tail:
                buf.append(el.tail)
            return
        if tag == "table" and el.find(".//table") is None:
            flush()
            tables[0] += 1
            lines.extend(_grid_lines(_html_table_rows(el), tables[0], budget))
            if el.tail:
                buf.append(el.tail)
            return
        if tag == "br":
            buf.append("\n")
        elif tag in _BLOCK_TAGS:
            flush()
        if tag in ("td", "th", "table"):
            # a layout table (one holding other tables) is read as ordinary flow
            flush()
        if el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child, depth + 1)
        if tag in _BLOCK_TAGS:
            flush()
        if el.tail:
            buf.append(el.tail)

    walk(root, 0)
    flush()
    return lines


def _span(el: Any, name: str) -> int:
    try:
        return max(1, min(100, int(str(el.get(name, "1")).strip() or "1")))
    except ValueError:
        return 1


def _html_cell_text(cell: Any) -> str:
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            return
        if tag in ("br", "p", "div"):
            parts.append(" ")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    return _clean("".join(parts))


def _html_table_rows(table: Any) -> list[list[tuple[str, int, int]]]:
    rows = []
    for tr in table.iter("tr"):
        # rows of nested tables belong to those tables
        if next(tr.iterancestors("table"), None) is not table:
            continue
        cells = [(_html_cell_text(td), _span(td, "rowspan"), _span(td, "colspan"))
                 for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")]
        rows.append(cells)
    return rows


# ---------------------------------------------------------------- Word
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
#: The main part of every Word container of one WordprocessingML body: .docx, .docm (macros, never run nor read:
#: only the main part is), .dotx and .dotm (templates).  python-docx accepts only the first.
_WORD_MAINS = frozenset({
    _WORD_MAIN,
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
})
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def docx_lines(path: str | Path) -> list[Line]:
    """Lines of a Word file's body: its paragraphs, and the rows of its tables; ParseError past the bounds."""
    from docx.oxml.ns import qn

    budget = Budget()
    body = _docx_body(Path(path))
    children = len(body)
    if children > MAX_LINES:
        raise ParseError(f"Word 文件有 {children} 个段落和表格，超过 {MAX_LINES} 个的上限，{_LIMIT}。")
    p_tag, tbl_tag = qn("w:p"), qn("w:tbl")
    # counted before any table is expanded (nested tables included)
    Budget().take(tables=sum(1 for _ in body.iter(tbl_tag)), cells=sum(1 for _ in body.iter(qn("w:tc"))))
    lines: list[Line] = []
    tables = 0
    for child in _docx_blocks(body, (p_tag, tbl_tag)):
        if child.tag == p_tag:
            for part in docx_paragraph_text(child).split("\n"):
                if part.strip():
                    lines.extend(_paragraph_lines(part, budget))
        else:
            tables += 1
            lines.extend(_docx_table_lines(child, tables, budget))
    return lines


def _docx_blocks(parent: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """The children of ``parent`` with one of ``tags``, in order, also those that content controls
    (``w:sdt``), custom XML or a tracked move wrap; nothing a tracked deletion holds."""
    from docx.oxml.ns import qn

    wrappers = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo")}
    for child in parent.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in wrappers:
            yield from _docx_blocks(child, tags)


def docx_paragraph_text(p: Any) -> str:
    """A Word paragraph's text as Word shows it with its changes accepted: runs, also inside hyperlinks,
    content controls, smart tags, fields and tracked insertions; tabs and line breaks; never the text of a
    tracked deletion or of the old place of a moved text, nor of text boxes (they are not the paragraph's
    text, and an older copy of each is kept for other programs)."""
    from docx.oxml.ns import qn

    t, tab, br, cr = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
    skip = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), qn("w:pPr"), qn("w:rPr"), qn("w:instrText"),
            qn("w:drawing"), qn("w:pict"), qn("w:object"), _MC_FALLBACK, _MC_CHOICE}
    out: list[str] = []

    def walk(el: Any) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag in skip or not isinstance(tag, str):
                continue
            if tag == t:
                out.append(child.text or "")
            elif tag == tab:
                out.append("\t")
            elif tag in (br, cr):
                out.append("\n")
            else:
                walk(child)

    walk(p)
    return "".join(out)


def open_document_zip(path: Path, kind: str) -> zipfile.ZipFile:
    """A Word or OpenDocument file (``kind`` names it in messages) as a zip, its size and its number of
    entries checked before anything is decompressed; BadZipFile for a damaged file (parse_file says so)."""
    try:
        data = read_capped(path, MAX_DOCX_BYTES)
    except InputFileError as exc:
        raise ParseError(str(exc)) from exc
    declared = directory_size(data)
    if declared is not None and declared[0] > MAX_DOCX_ENTRIES:
        raise ParseError(f"{kind}内部结构异常（包含 {declared[0]} 个内部部件，正常的{kind}只有几十个），{_LIMIT}。")
    zf = zipfile.ZipFile(io.BytesIO(data))
    if len(zf.infolist()) > MAX_DOCX_ENTRIES:
        raise ParseError(f"{kind}内部结构异常（内部部件过多），{_LIMIT}。")
    return zf


def _docx_body(path: Path) -> Any:
    """The ``w:body`` of a Word file's main document, read with bounds: the file's size, its entries, the
    decompressed size of each part read (a zip bomb is stopped after at most the limit), no DTD, and the
    number of elements, all before the XML is parsed.  Only the parts needed are read; python-docx's element
    classes give the text exactly as ``docx.Document`` would.
    """
    from docx.oxml.parser import parse_xml

    zf = open_document_zip(path, "Word 文件")
    rels = _docx_xml(zf, "_rels/.rels", MAX_DOCX_SMALL_PART)
    target = next((r.get("Target", "") for r in rels.iter(_PKG_REL) if r.get("Type") == _OFFICE_DOCUMENT), None)
    if not target:
        raise KeyError("no main document part")
    name = posixpath.normpath(posixpath.join("/", target)).lstrip("/")
    types = _docx_xml(zf, "[Content_Types].xml", MAX_DOCX_SMALL_PART)
    content_type = next((o.get("ContentType") for o in types.iter(f"{_CT}Override")
                         if (o.get("PartName") or "").lower() == "/" + name.lower()), None)
    if content_type is None:
        ext = posixpath.splitext(name)[1].lstrip(".").lower()
        content_type = next((d.get("ContentType") for d in types.iter(f"{_CT}Default")
                             if (d.get("Extension") or "").lower() == ext), None)
    if content_type not in _WORD_MAINS:
        raise ValueError(f"not a Word file, content type is '{content_type}'")
    blob = _docx_part(zf, name, MAX_DOCX_PART)
    elements = blob.count(b"<")
    if elements > MAX_DOCX_ELEMENTS:
        raise ParseError(f"Word 文件的正文有 {elements} 个 XML 标记，超过 {MAX_DOCX_ELEMENTS} 个的上限，{_LIMIT}。")
    body = parse_xml(blob).body
    if body is None:
        raise KeyError("no w:body")
    return body


def _docx_part(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = next((i for i in zf.infolist() if i.filename.lower() == name.lower()), None)
    if info is None:
        raise KeyError(f"no part {name}")
    try:
        blob = read_bounded(zf, info, limit)
    except TooLarge as exc:
        raise ParseError(f"Word 文件内部部件 {name} 解压后超过 {limit // (1024 * 1024)} MB（疑似压缩炸弹），{_LIMIT}。") from exc
    if has_dtd(blob):
        raise ParseError(f"Word 文件内部部件 {name} 含有文档类型定义（DTD/实体声明），正常的 Word 文件不会有，"
                         f"可能是恶意构造的文件，未读取。")
    return blob


def _docx_xml(zf: zipfile.ZipFile, name: str, limit: int) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(_docx_part(zf, name, limit), parser)


#: Markup-compatibility wrappers: a newer form of some content (Choice) and an older copy for other programs
#: (Fallback), e.g. of a text box.
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MC_CHOICE, _MC_FALLBACK = f"{_MC}Choice", f"{_MC}Fallback"


def _in_skipped(p: Any, cell: Any) -> bool:
    """``p`` lies inside a text box, a tracked deletion or a markup-compatibility copy within ``cell``."""
    from docx.oxml.ns import qn

    skipped = {qn("w:txbxContent"), qn("w:del"), qn("w:moveFrom"), _MC_FALLBACK, _MC_CHOICE}
    el = p.getparent()
    while el is not None and el is not cell:
        if el.tag in skipped:
            return True
        el = el.getparent()
    return False


def _docx_table_lines(tbl: Any, table_no: int, limits: Budget) -> list[Line]:
    from docx.oxml.ns import qn

    rows: list[dict[int, tuple[str, bool]]] = []  # per row: column -> (text, is origin)
    budget = MAX_GRID_CELLS
    # a row deleted with its changes tracked is no row of the table Word shows
    trs = [tr for tr in _docx_blocks(tbl, (qn("w:tr"),)) if tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is None]
    limits.take(tables=1, lines=len(trs))
    for r, tr in enumerate(trs):
        here: dict[int, tuple[str, bool]] = {}
        rows.append(here)
        c = min(100, int(getattr(tr, "grid_before", 0) or 0))
        for tc in _docx_blocks(tr, (qn("w:tc"),)):
            span = max(1, min(100, int(tc.grid_span or 1)))
            if span > budget:
                span = 1
            budget -= span
            if budget <= 0:
                break
            if tc.vMerge == "continue":
                above = rows[r - 1].get(c, ("", False))[0] if r else ""
                for dc in range(span):
                    here[c + dc] = (above, False)
            else:
                text = _clean(" ".join(docx_paragraph_text(p) for p in tc.iter(qn("w:p"))
                                       if not _in_skipped(p, tc)))
                for dc in range(span):
                    here[c + dc] = (text, dc == 0)
            c += span
    out = []
    for r, here in enumerate(rows):
        width = max(here, default=-1) + 1
        limits.take(cells=width)
        cover = [here.get(cc, ("", False))[0] for cc in range(width)]
        cells = [(cc, here[cc][0]) for cc in sorted(here) if here[cc][1] and here[cc][0]]
        out.append(Line(" ".join(t for _, t in cells), cells, table_no, cover, number=r + 1))
    # numbers merged down (vMerge) over item rows of table 三, as _grid_lines reads them: a “0” is each row's, any
    # other number none of theirs
    for r, here in enumerate(rows):
        for cc, (text, origin) in here.items():
            if not origin or parse_number(text)[1] is None:
                continue
            span = 1
            while r + span < len(rows) and rows[r + span].get(cc) == (text, False):
                span += 1
            if span == 1:
                continue
            if not _zero(text):
                _unplace_merged(out[r:r + span], cc, text)
                continue
            for line in out[r + 1:r + span]:
                line.cells = _with_merged_zeros(line.cells, [(cc, text)])
    return out


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------

#: The statutory sections in order, with their titles.
SECTION_TITLES = {"一": N1_TITLE, "二": S2_TITLE, "三": S3_TITLE, "四": S4_TITLE, "五": N5_TITLE, "六": N6_TITLE}
SECTION_KEYS: dict[str, tuple[str, ...]] = {
    name: (body_key(title), *SECTION_TITLE_KEYS[name]) for name, title in SECTION_TITLES.items()
}
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class SectionMark:
    """A section heading found in the document."""

    index: int  # line index
    name: str  # the statutory section (一 .. 六) its title identifies
    numeral: str  # the numeral it is printed with (may differ: a renumbered report)
    text: str


#: Section numerals written in Arabic digits (“5、”, “5.”, “（5）”, “第5部分”), accepted only as the statutory one.
_ARABIC = {str(n): name for n, name in enumerate("一二三四五六", start=1)}
_HEADING_NUMBERED = re.compile(rf"^第?([{_NUMERALS}]|[1-6](?![\d.．]\d))(?:部分)?\s*[、.．,，:：\s]\s*(.*)$")
_HEADING_PAREN = re.compile(rf"^[(（]\s*([{_NUMERALS}]|[1-6])\s*[)）]\s*(.*)$")
#: A heading numbered as an item of a list (“三是收到和处理政府信息公开申请情况”, 定兴县肖村乡 2021): taken only
#: with the statutory numeral and the whole line its title, since “一是…”, “二是…” begin the items of a text.
_HEADING_SHI = re.compile(rf"^([{_NUMERALS}])是\s*(.*)$")
#: A heading whose numeral runs straight into its title, no 、 between (“一总体情况”, 平潭 金井片区 2020): taken
#: only with the statutory numeral and the whole line its title, as the list-item numbering above.
_HEADING_GLUED = re.compile(rf"^([{_NUMERALS}])(\S.*)$")
#: The end of a heading's title: what may follow the title's key words before the heading ends
#: (“存在的主要问题” + “及改进情况”, “存在的问题” + “和不足”, “需要说明的其他事项” + “与附表”, “总体情况” + nothing),
#: then the punctuation closing it.
_TITLE_TAIL = r"(?:(?:及|和|与)?(?:其)?(?:改进(?:情况|措施|方向)?|不足|整改(?:情况|措施)?|附表)|情况|措施)?"
#: What may follow a title's key words on a heading line of its own that has no numbering
#: (“政府信息公开工作存在的主要问题及改进情况” in bold on a web page): the title's tail only.
_BARE_TAIL = re.compile(_TITLE_TAIL)

#: A title without numbering is a heading only when its key words are this long: “存在的主要问题及改进情况”,
#: not “其他事项” or “总体情况”, which stand alone as sub-headings too.
BARE_TITLE_LEAST = 6
#: The sections whose title is taken without numbering: 五 and 六, the last two.  An unnumbered
#: “主动公开政府信息情况” may title a part of 一, and tables 二–四 are found by their content anyway.
BARE_SECTIONS = ("五", "六")


def _title_section(rest: str, *, renumbered: str = "") -> str | None:
    """The statutory section whose title ``rest`` (a ``key``) starts with.  Printed with the numeral of
    another section (``renumbered``), a title must be a long one: “三、其他事项” is an item, not section 六."""
    for name, keys in SECTION_KEYS.items():
        hit = max((len(k) for k in keys if rest.startswith(k)), default=0)
        own = renumbered in ("", name)
        if hit and not own and any(rest.startswith(k) and len(k) == hit for k in STATUTORY_NUMERAL_KEYS):
            return None  # a part's title too (“二、政府信息依申请公开办理情况”): no renumbered section
        if hit and (own or hit >= BARE_TITLE_LEAST):
            return name
        if hit:
            return None
    return None


@functools.lru_cache(maxsize=8)
def _title_keys(sections: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t for name in sections for t in SECTION_KEYS[name])


def _whole_title(text: str, least: int = 0, sections: Iterable[str] = SECTION_TITLES) -> str | None:
    """The section of ``sections`` that ``text`` is the whole title of (its key words, at least ``least``
    long, and their tail)."""
    k = key(text)
    if not k.startswith(_title_keys(tuple(sections))):
        return None  # the common case, a line starting with no title: one test for all
    for name in sections:
        for t in SECTION_KEYS[name]:
            if len(t) >= least and k.startswith(t) and _BARE_TAIL.fullmatch(k, len(t)):
                return name
    return None


#: heading_of looks at lines this long or shorter only.
HEADING_LINE_MAX = 60
#: The words of section 一's titles (SECTION_TITLE_KEYS), blanks between the characters allowed, simplified or
#: traditional: a cheap test of a line before heading_of.
_ONE_TITLE = re.compile(r"[总總]\s*[体體]|概\s*述|基\s*本\s*情\s*[况況]")


def heading_of(line: Line) -> tuple[str, str] | None:
    """(section, printed numeral) of a section heading line, recognised by its title.

    “X、title” is accepted with any Chinese numeral (reports renumber their sections, with their full titles);
    “（X）title” and the Arabic “5、title” / “（5）title” only with the statutory numeral, the Arabic ones as the
    whole line, since （一）…（五） and 1.…5. number the parts of section 一 and their items.  A line holding
    only the title of 五 or 六 (no numbering: a bold heading of a web page) is a heading with the numeral
    “” — ``section_marks`` takes it only after the sections before it.
    """
    if line.positional or len(line.text) > HEADING_LINE_MAX:
        return None
    text = nfkc(line.text).strip().lstrip("#").strip()
    m = _HEADING_NUMBERED.match(text)
    statutory_only = False
    if not m:
        m = _HEADING_PAREN.match(text)
        statutory_only = True
    if not m:
        shi = _HEADING_SHI.match(text)
        if shi is not None and _whole_title(shi.group(2)) == shi.group(1):
            return shi.group(1), shi.group(1)
        glued = _HEADING_GLUED.match(text)
        if glued is not None and _whole_title(glued.group(2)) == glued.group(1):
            return glued.group(1), glued.group(1)
        bare = _whole_title(text, BARE_TITLE_LEAST, BARE_SECTIONS)
        return (bare, "") if bare is not None else None
    numeral = _ARABIC.get(m.group(1), m.group(1))
    # after an Arabic numeral the whole line a title: “3.收到和处理政府信息公开申请情况按月通报” is an item
    name = _whole_title(m.group(2)) if m.group(1).isdigit() else _title_section(key(m.group(2)), renumbered=numeral)
    if name is None or ((statutory_only or m.group(1).isdigit()) and numeral != name):
        return None
    return name, numeral


def compact(text: str) -> tuple[str, list[int]]:
    """``text`` as headings are matched (NFKC, simplified, spaces dropped), with each character's index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    whole = simplify(nfkc(text))
    if len(whole) == len(text):  # the common case: one character for one
        where = [i for i, c in enumerate(whole) if not c.isspace()]
        return "".join(whole[i] for i in where).replace("资讯", "信息"), where
    for i, ch in enumerate(text):
        for c in simplify(nfkc(ch)):
            if not c.isspace():
                out.append(c)
                where.append(i)
    return "".join(out).replace("资讯", "信息"), where  # as ``key``: the same length


_STOP = r"(?P<stop>[。:.,;，；、]?)"
_SECTION_NUM = re.compile(rf"^(?:第?(?P<num>[{_NUMERALS}])(?:部分)?[、.,:]?|\((?P<pnum>[{_NUMERALS}]|[1-6])\)"
                          r"|第?(?P<anum>[1-6])(?:部分)?[、.,:](?!\d))")
#: The characters a line matched by _SECTION_NUM starts with.
_SECTION_LEAD = frozenset("第(" + _NUMERALS + "123456")
#: Only the headings of the narrative sections are split from a body on their line: 二, 三 and 四 are
#: followed by their tables, whose header may share the line (“三、收到和处理…情况（本列数据的勾稽关系…）”).
NARRATIVE_SECTIONS = ("一", "五", "六")
#: A heading is looked for in the first this many characters of a line.
HEADING_SCAN = 80


#: A numeral at the start of a line with nothing between it and the next word (“一总体情况”).
_GLUED_NUMERAL = re.compile(rf"^第?[{_NUMERALS}](?:部分)?[^\s、.．,，:：;；]")


def narrative_heading_end(text: str) -> tuple[str, int, bool] | None:
    """(section, index in ``text`` where its heading ends, closed by punctuation) for a line that starts
    with the heading of section 一, 五 or 六 — the body may follow on the same line — or None.

    As ``heading_of``: “X、title” with any numeral, “（X）title” only with the statutory one.
    """
    head = text.lstrip().lstrip("#")
    if not head or nfkc(head[0]) not in _SECTION_LEAD:
        return None  # the common case, no numbering at the line's start: not compacted
    offset = len(text) - len(head)
    c, where = compact(head[:HEADING_SCAN])
    m = _SECTION_NUM.match(c)
    if not m or not where:
        return None
    rest = c[m.end():]
    statutory = m.group("pnum") or m.group("anum")
    for name in NARRATIVE_SECTIONS:
        if statutory and _ARABIC.get(statutory, statutory) != name:
            continue
        best = max((k for k in SECTION_KEYS[name] if k and rest.startswith(k)), key=len, default="")
        if not best:
            continue
        t = re.compile(_TITLE_TAIL + _STOP).match(rest, len(best))
        assert t is not None  # every part is optional
        end = m.end() + t.end()
        if m.group("num") and c[end:] and _GLUED_NUMERAL.match(nfkc(head)) is not None:
            return None  # a numeral glued to its title (“一总体情况”) heads only a line of its own
        return name, offset + (where[end - 1] + 1 if end else 0), bool(t.group("stop"))
    return None


def _heading_line(line: Line, text: str) -> Line:
    return Line(text, [(0, text.strip())], line.table, list(line.cover), line.number, 0, line.page, line.line_no)


#: A heading “（一）” at the start of section 一's text, titled by a topic and not by the name of the first part
#: (“（一）加大公开力度”): the words up to the first punctuation, on a line of their own or before the body.
_FIRST_PART_BY_NUMBER = re.compile(r"^\s*[(（]\s*一\s*[)）]\s*[^。：:；;，,\n]{2,20}(?:[。：:]|$)")
#: The first part titled by both its own name and the second's: “（一）加强主动公开和依申请公开办理方面。”.
_JOINT_TITLE = re.compile(r"^\s*[(（]\s*一\s*[)）]\s*[^。：:；;，,\n]{0,6}?主动公开(?:和|与|及)依申请公开[^。：:；;，,\n]{0,8}?"
                          r"(?:方面|情况|工作)(?=[。：:]|$)")
#: The first part titled by disclosure as a whole, where a report writes （一）主动公开 and （二）依申请公开 as one:
#: “（一）信息公开方面。……全年主动公开……80条……全年办理政府信息公开申请1件。” (平潭综合实验区旅游与文化体育局
#: 2025).
#: Also numbered （二） after a first part on a topic of its own, and led by what was done to it:
#: “（一）强化组织领导……（二）常态化推进政府信息公开。……二是依法做好依申请公开信息工作” (平潭 海坛片区 2021).
_JOINT_FIRST_PART = re.compile(r"^\s*[(（]\s*[一二]\s*[)）]\s*(?:[^。：:；;，,\n]{0,4}?(?:推进|深化|做好|抓好|加强|落实))?"
                               r"(?:政府信息公开|信息公开|政务公开)(?:工作)?(?:方面|情况)?(?:[。：:]|$)")
#: A part numbered （二）.
_SECOND_PART_BY_NUMBER = re.compile(r"^\s*[(（]\s*二\s*[)）]")


def split_headings(lines: Sequence[Line]) -> list[Line]:
    """The lines with each heading of section 一, 五 or 六 on a line of its own.

    A heading followed by its body on the same line (“五、存在的主要问题及改进情况。一是…”) is cut after
    the title; a heading wrapped over two lines (“五、政府信息公开工作存在的主要问题及改进” / “情况”)
    is made whole, its continuation taken off the line below.  Both keep the line's place (page, line).
    """
    out: list[Line] = []
    carry: dict[int, int] = {}  # line index -> characters at its start taken by the heading above
    for i, line in enumerate(lines):
        text = line.text[carry.get(i, 0):].strip() if i in carry else line.text
        if i in carry:
            if not text:
                continue
            line = Line(text, _split_text_line(text), line.table, list(line.cover), line.number, line.width,
                        line.page, line.line_no)
        hit = None if line.positional else narrative_heading_end(text)
        if hit is None:
            out.append(line)
            continue
        _, end, closed = hit
        head, body = text[:end].strip(), text[end:].strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if not body and not closed and nxt is not None and not nxt.positional and i + 1 not in carry:
            joined = narrative_heading_end(text + nxt.text)
            if joined is not None and joined[1] > len(text) and (joined[2] or not nxt.text[joined[1] - len(text):]
                                                                    .strip()):
                head = (text + nxt.text[:joined[1] - len(text)]).strip()
                carry[i + 1] = joined[1] - len(text)
        if not body:
            out.append(line if head == text.strip() else _heading_line(line, head))
            continue
        out.append(_heading_line(line, head))
        out.append(Line(body, _split_text_line(body), line.table, list(line.cover), line.number, 0, line.page,
                        line.line_no))
    return out


#: “（一）”, also without its opening bracket (“一)主动公开”, 蠡县审计局 2022), up to “（九）” where 一 has parts of
#: its own besides the five (“（一）组织领导 … （六）教育培训 （七）监督保障”, a town of 北京市大兴区); “一、”;
#: “1、” / “1.”.
_PART_NUM = r"(?:\(?(?P<pn>[一二三四五六七八九]|[1-5])\)|(?P<cn>[一二三四五六七八九])[、.]|(?P<dn>[1-9])[、.](?!\d))"
_PART_PREFIX = r"(?:政府信息公开|政府信息|信息公开|政务公开)?(?:工作)?"
#: A part titled as a task, a verb before its name: “（二）规范依申请公开办理”, “（三）完善政府信息管理”, “（五）加强
#: 监督保障工作” (绍兴市越城区东湖街道 2023) — taken only numbered “（X）” with the part's own numeral, since an item
#: of a text is worded so too (“5.加强平台建设”).  The verb may follow “进一步”: “（二）进一步规范依申请公开”, “（四）进一步
#: 推动平台建设”, “（六）进一步落实监督保障” (平潭 农业农村局 2023).
_PART_VERB = r"(?P<verb>(?:进一步)?(?:加强|加大|强化|深化|规范|完善|健全|推进|推动|落实|做好|抓好|优化|严格|持续))?"
_PART_SUFFIX = (r"(?P<suffix>(?:政府信息|信息(?=情况|方面|工作))?(?:办理)?(?:工作)?(?:的)?(?:情况|方面|工作)?"
                r"(?:情况)?)")
_PART_HEADING = re.compile(
    _PART_NUM + _PART_VERB + _PART_PREFIX + "(?:" + "|".join(f"(?P<{fid}>{'|'.join(names)})" for fid, names in
                                              PART_TITLE_NAMES.items()) + ")" + _PART_SUFFIX + _STOP)
#: A part's title as the whole of its line, without numbering: “政府信息依申请公开情况：” (熊口管理区 2025).
_BARE_PART_HEADING = re.compile(
    _PART_PREFIX + "(?:" + "|".join(f"(?P<{fid}>{'|'.join(names)})" for fid, names in PART_TITLE_NAMES.items())
    + ")" + _PART_SUFFIX + r"(?P<stop>[。:：]?)")
#: What may close a sentence before a part heading that starts inside a line (a run-on page text).
_SENTENCE_END = "。！？!?…)）"


@dataclass(frozen=True)
class PartHeading:
    """A heading of one of the five parts of section 一 inside a line of text."""

    fid: str
    start: int  # index in the line where the heading starts
    end: int  # index where it ends (the part's text starts after it)
    closed: bool  # ended by punctuation or a 情况/方面 (not cut off at the end of the line)
    stop: bool  # ended by punctuation
    numeral: int = 0  # the value of its numeral when numbered “X、”


def part_headings(text: str, after: int = -1, numeral: int = 0) -> list[PartHeading]:
    """The part headings of section 一 in ``text``: one at its start, and ones inside it that begin a
    sentence (“……（二）依申请公开方面 ……” in a run-on text).

    ``after`` is the order (0–4) of the part the text is in, ``numeral`` the value of the last part
    heading numbered “X、” (0 for none).  A heading numbered “（一）” may start a line in any order; one
    numbered “1、” or “（1）” only for a later part (“1.主动公开专栏” inside （四） is an item of it); one
    numbered “X、” (a report that numbers the parts as sections: “二、工作机制保障” … “六、政府信息公开平台
    建设”) only as the next numeral.  Inside a line a heading must follow the end of a sentence and be a
    later part.  An enumeration inside a paragraph (“：（一）加强组织领导”) names no part and is never one.
    """
    c, where = compact(text)
    out: list[PartHeading] = []
    last = after
    for m in _PART_HEADING.finditer(c):
        fid = next(f for f in PART_TITLE_NAMES if m.group(f))
        order = N1_PARTS.index(fid)
        closed = bool(m.group("stop") or m.group("suffix"))
        start, end = where[m.start()], where[m.end() - 1] + 1
        cn = _NUMERALS.index(m.group("cn")) + 1 if m.group("cn") else 0
        # a verb before the name only after “（X）” at the start of a line (“5.加强平台建设” is an item)
        if m.group("verb") and (m.start() > 0 or not m.group("pn") or m.group("pn").isdigit()):
            continue
        # 监督管理 as a task with a second clause after a comma is a topic's title (“（五）加强监督管理，保障工作
        # 质量”, 平潭 市场监督管理局 2025), not the part (“（四）监督管理方面”); the format's own names keep theirs
        # (“（二）强化政务公开平台建设,不断丰富……”)
        if (m.group("verb") and m.group("stop") in ("，", ",") and not m.group("suffix")
                and (m.group("n1_oversight") or "").endswith("管理")):
            continue
        if cn:
            if cn != numeral + 1 and not (numeral == 0 and cn <= 2):
                continue
        elif (m.start() > 0 or m.group("dn") or (m.group("pn") or "").isdigit()) and order <= last:
            continue
        if m.start() > 0:
            before = text[:start].rstrip()
            spaced = len(before) < start
            if not closed or not (spaced or before.endswith(tuple(_SENTENCE_END))):
                continue
        out.append(PartHeading(fid, start, end, closed, bool(m.group("stop")), cn))
        last = order
        numeral = cn or numeral
    bare = _BARE_PART_HEADING.fullmatch(c) if not out else None
    if bare is not None and re.search("情况|方面", bare.group("suffix")):
        # a line holding only a part's title (“政府信息管理情况：”), for a later part than the one it is in:
        # not a sentence naming one (“主动公开情况良好。”), nor an item of a part
        fid = next(f for f in PART_TITLE_NAMES if bare.group(f))
        if N1_PARTS.index(fid) > after:
            out.append(PartHeading(fid, 0, len(text.rstrip()), True, bool(bare.group("stop"))))
    return out


def section_marks(lines: Sequence[Line]) -> list[SectionMark]:
    """The first heading of each statutory section, in document order.

    A title without numbering (a line “存在的主要问题及改进情况”) counts only for a section after every one
    found before it, so a sub-heading or a repeated title inside a section begins no other section.
    """
    marks: list[SectionMark] = []
    seen: set[str] = set()
    order = "一二三四五六"
    for i, line in enumerate(lines):
        hit = heading_of(line)
        if hit and not hit[1] and any(order.index(m.name) >= order.index(hit[0]) for m in marks):
            continue
        if hit and hit[0] not in seen:
            seen.add(hit[0])
            marks.append(SectionMark(i, hit[0], hit[1], line.text.strip()))
    if "一" not in seen and marks and marks[0].name == "二":
        titled = _topic_titled_one(lines, marks[0].index)
        if titled is not None:
            marks.insert(0, SectionMark(titled, "一", "一", lines[titled].text.strip()))
    return marks


#: A heading “一、” titled by a topic (“一、年度工作核心成效”, 平潭 君山片区 2025): a short line of its own.
_TOPIC_ONE = re.compile(r"^\s*一\s*[、.．]\s*\S.{1,23}$")
#: …taken for section 一 only when this many of 一's parts are headed below it, before table 二's heading.
TOPIC_ONE_PARTS = 2


def _topic_titled_one(lines: Sequence[Line], before: int) -> int | None:
    """The line of a heading “一、<a topic>” that is section 一 under another title: the first line numbered “一、”
    before the heading of 二 (the first section found), with the headings of at least TOPIC_ONE_PARTS of 一's
    parts (“（一）主动公开多点发力……”, “（二）依申请公开规范高效……”) at the start of the lines below it."""
    for i in range(before):
        line = lines[i]
        if line.positional or not _TOPIC_ONE.match(nfkc(line.text)):
            continue
        parts = {h.fid for ln in lines[i + 1:before] if not ln.positional
                 for h in part_headings(ln.text)[:1] if h.start == 0}
        return i if len(parts) >= TOPIC_ONE_PARTS else None
    return None


def find_sections(lines: Sequence[Line], marks: Sequence[SectionMark] | None = None) -> dict[str, tuple[int, int]]:
    """Section name -> (first line after the heading, end) for the headings found, in document order."""
    if marks is None:
        marks = section_marks(lines)
    out = {}
    for n, mark in enumerate(marks):
        end = marks[n + 1].index if n + 1 < len(marks) else len(lines)
        out[mark.name] = (mark.index + 1, end)
    return out


# ---------------------------------------------------------------------------
# Row helpers
# ---------------------------------------------------------------------------

#: The year a row label glosses in brackets after 本年/上年 (“一、本年(2021)新收…”, “二、上年（2020年）结转…”).
_YEAR_GLOSS = re.compile(r"(本年度?|上年度?)\s*\(\s*(?:19|20)\d\d\s*年?(?:度)?\s*\)")


#: A header cell printed short of its column's label keeps all of it but this many characters, and four at least.
SHORT_HEADER_LOST = 2
SHORT_HEADER_LEAST = 4


def _short_of(cell_key: str, label_key: str) -> bool:
    """Whether a header cell is the column label ``label_key`` printed short of its last characters (“现行有效件”)."""
    return (len(cell_key) < len(label_key) and len(cell_key) >= max(SHORT_HEADER_LEAST, len(label_key) - SHORT_HEADER_LOST)
            and label_key.startswith(cell_key))


#: A header cell misprinted by one character is taken for a column only beside this many columns named exactly in
#: its row, and only when its column's label is this long.
MISPRINT_HEADER_BESIDE = 2
MISPRINT_HEADER_LEAST = 5


def _misprint_of(cell_key: str, label_key: str) -> bool:
    """Whether a header cell is the column label ``label_key`` with one character misprinted (“先行有效件数”)."""
    return (len(cell_key) == len(label_key) >= MISPRINT_HEADER_LEAST
            and sum(a != b for a, b in zip(cell_key, label_key, strict=True)) == 1)


#: The statistics' period of a report on one calendar year, as its opening sentence states it (“所列数据的统计期限
#: 为2020年1月1日至2020年12月31日”, “统计时限自2022年1月1日起至12月31日止”).
_PERIOD = re.compile(r"统计(?:期限|时限|周期|期间|时间)[^0-9]{0,8}((?:19|20)\d\d)\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*"
                     r"(?:至|到|—|–|-|－|~|～)\s*(?:((?:19|20)\d\d)\s*年)?\s*12\s*月\s*31\s*日")
#: Without any section heading, the period is looked for in this many first lines.
PERIOD_LINES = 40
#: Section 一 opening with the year it reports on: “2019年，我乡……”, “2023年以来，我局……”, “2019年我局……”.
_OPENING_YEAR = re.compile(r"^\s*((?:19|20)\d\d)\s*年(?:度)?(?:以来)?\s*(?:[,，、]|我|全|本)")


@dataclass
class Row:
    line: Line
    label: str  # concatenated label cells (raw)
    values: list[tuple[int, int | float | None]]  # (column, value) for each value cell, in order

    @property
    def label_key(self) -> str:
        return _label_key(self.label)


@functools.lru_cache(maxsize=1 << 16)
def _label_key(label: str) -> str:
    """A row label as it is matched (a pure function of the label, asked for several times per row)."""
    # the year of 本年/上年 glossed in brackets is no part of the label
    return key(_YEAR_GLOSS.sub(r"\1", nfkc(label)))


def split_row(line: Line) -> Row:
    """Label cells and the value cells (numbers or placeholders) of a line (computed once per line)."""
    cached = line.__dict__.get("_split")
    if cached is None:
        row = _split_row(line)
        line.__dict__["_split"] = (row.label, row.values)  # not the row itself: no reference cycle
        return row
    return Row(line, *cached)


def _split_row(line: Line) -> Row:
    values: list[tuple[int, int | float | None]] = []
    label_parts = []
    cells = line.cells
    # In text lines the values are the trailing run; a tab-separated line keeps empty cells in between.
    last_label = -1
    for n, (_, text) in enumerate(cells):
        ok, _v = parse_number(text)
        if not ok:
            last_label = n
    for n, (col, text) in enumerate(cells):
        if n <= last_label:
            label_parts.append(text)
            continue
        values.append((col, parse_number(text)[1]))
    if not line.positional and values and ("\t" in line.text or "|" in line.text):
        # blank cells between values in tab-separated text are empty cells (missing values)
        first, last = values[0][0], values[-1][0]
        have = {c for c, _ in values}
        values = [(c, dict(values).get(c)) if c in have else (c, None) for c in range(first, last + 1)]
    return Row(line, " ".join(label_parts), values)


#: Keys this short (其他, 总计, 重复申请 …) identify a row only at the end of its label and right after its
#: numbering (“3.其他” “（七）总计” “（六）其他处理 3.其他”): “不计其他情形”, the continuation of （二）部分公开's
#: label, must not be read as （六）3.其他, nor “（六）其他处理” as its item 3, nor the line “的，只计这一情形，
#: 不计其他” of that label wrapped one word earlier.
SHORT_KEY = 4
_NUMBERING_END = frozenset("0123456789一二三四五六七八九十")


def _short_key_ends(label_key: str, short: str) -> bool:
    """Whether ``label_key`` ends with the short key ``short`` standing alone after its numbering (or nothing)."""
    if not label_key.endswith(short):
        return False
    before = label_key[:-len(short)]
    return not before or before[-1] in _NUMBERING_END


#: The start of a row label: “1.” “2、” “（1）” “（二）” “三、”.
ROW_START = re.compile(r"^\s*(?:\d{1,2}\s*[.．、]|[(（]\s*(?:\d{1,2}|[一二三四五六七八九])\s*[)）]|[一二三四]\s*、)")


def _alternation(keys: Iterable[str]) -> re.Pattern[str]:
    """A regex matching any of ``keys``, trying them in their order (so the first one that matches wins)."""
    return re.compile("|".join(re.escape(k) for k in keys))


#: Lines without numbers above a data row that can be its header (table 四's header one cell a line has ~25).
MAX_HEADER_LINES = 64


def best_match(label_key: str, candidates: Iterable[tuple[str, str]]) -> str | None:
    """The candidate id whose key occurs in ``label_key`` (a short key: ends it, after its numbering), longest
    key first."""
    best: tuple[int, str] | None = None
    for cid, ckey in candidates:
        if not ckey or (best is not None and len(ckey) <= best[0]):
            continue
        if (_short_key_ends(label_key, ckey) if len(ckey) <= SHORT_KEY else ckey in label_key):
            best = (len(ckey), cid)
    return best[1] if best else None


def prefix_match(label_key: str, candidates: Iterable[tuple[str, str]], *, least: int = 6) -> tuple[str, str] | None:
    """(id, rest of its key) when ``label_key`` ends with the start of exactly one candidate key.

    A row label wrapped over lines with the numbers on the first or middle line (“5.要求行政机关确认或重新出
    0 0 0 …” then “具已获取信息”) is the start of one label; the start must be long enough to be unique.
    """
    hits: dict[str, str] = {}
    for cid, ckey in candidates:
        for n in range(len(ckey) - 1, least - 1, -1):
            if label_key.endswith(ckey[:n]):
                hits.setdefault(cid, ckey[n:])
                break
    return next(iter(hits.items())) if len(hits) == 1 else None


#: An item number at the start of a label: “2.” “2、” “（2）”.
_ITEM_NO = re.compile(r"^\s*(?:(\d{1,2})\s*[.．、]|[(（]\s*(\d{1,2})\s*[)）])")
#: A garbled label (a typo of PDF extraction: “2.其他法律行政止公开”) names a row only when it is this close to
#: one row label of the same item number, and every other row label is at least FUZZY_MARGIN less close.
FUZZY_LEAST = 0.8
FUZZY_MARGIN = 0.3
#: A label torn in pieces (“缴纳费用、 | 行政机关不再处理其政”) names a row when it is a run of at least this many
#: characters of exactly one row label; shorter runs (“形，不计其他情形）”) may belong to a continuation line.
FRAGMENT_LEAST = 10
#: Fuzzy matching costs about a millisecond a row (difflib against every open row label): it is tried for at
#: most this many unrecognised rows of a document (a real table 三 has 25 rows), and only on labels this short.
MAX_FUZZY_ROWS = 200
FUZZY_MAX = 80


def fuzzy_match(label: str, candidates: Iterable[tuple[str, str]]) -> str | None:
    """The id of the one candidate (id, full label) a garbled numbered label stands for, or None.

    Only a label that starts with an item number is considered, only candidates with the same number can win,
    and no other candidate may come near: the parser never chooses between two rows.
    """
    m = _ITEM_NO.match(nfkc(label))
    body = body_key(label)
    if not m or not 4 <= len(body) <= FUZZY_MAX:
        return None
    number = m.group(1) or m.group(2)
    scored = sorted(((SequenceMatcher(None, body, body_key(full), autojunk=False).ratio(), cid, full)
                     for cid, full in candidates), reverse=True)
    if not scored or scored[0][0] < FUZZY_LEAST:
        return None
    if len(scored) > 1 and scored[1][0] > scored[0][0] - FUZZY_MARGIN:
        return None
    own = _ITEM_NO.match(nfkc(scored[0][2]))
    if own is None or (own.group(1) or own.group(2)) != number:
        return None
    return scored[0][1]


#: The item number of a label's last item (“（六）其他处理 1.逾期不补正”: “1.”), and the longest short label of
#: an item read by its number (the full labels of table 三's items are 8 to 42 characters).
_LAST_ITEM_NO = re.compile(r"(?:^|(?<=\s)|(?<=[)）]))(\d{1,2})\s*[.．、](?!\d)")
SHORT_ITEM_MAX = 12


def fragment_match(label_key: str, candidates: Iterable[tuple[str, str]]) -> str | None:
    """The id of the one candidate whose key holds ``label_key`` (a long enough piece of a torn label), or None."""
    if len(label_key) < FRAGMENT_LEAST:
        return None
    hits = {cid for cid, ckey in candidates if label_key in ckey}
    return next(iter(hits)) if len(hits) == 1 else None


def _aliases(label: str, *, short: int = 0) -> list[str]:
    body = body_key(label)
    out = [body]
    head = re.split(r"[（(、，,]", _NUMBERING.sub("", nfkc(label), count=1))[0]
    if key(head) and key(head) != body:
        out.append(key(head))
    if short and len(body) > short:
        out.append(body[:short])
    return out


# ---------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------

class _Parser:
    def __init__(self, lines: list[Line], layout: Layout = LAYOUT):
        self.lines = split_headings(lines)
        # what the tables hold, as the layout has them: rows, columns in order, header texts
        self.form = layout.form
        self.table_fields = tuple(f.id for f in self.form.fields if f.group in ("section2", "section3", "section4"))
        d = layout.definition
        self.s2_blocks = d.s2_blocks
        self.S2_ROW_KEYS = [(f"{b_i}:{rkey}", body_key(rlabel)) for b_i, b in enumerate(self.s2_blocks)
                            for rkey, rlabel in b.rows]
        #: 规范性文件 for 行政规范性文件 (a real variant)
        self.S2_ROW_KEYS.append(("0:normative", key("规范性文件")))
        self.s3_rows = d.s3_rows
        self.s3_row_of = {row.key: row for row in self.s3_rows}  # row key -> the row of the form
        (s3,) = layout.s3.sections
        *inputs, total = ((c.key, c.label) for c in s3.columns)
        self.s3_columns, self.s3_total = tuple(inputs), total
        self.s3_headers = [c.text for c in s3.header if c.role is Role.GROUP]  # 申请人情况, 法人或其他组织
        self.S3_COL_KEYS = {ck: key(cl) for ck, cl in (*self.s3_columns, self.s3_total)}
        #: The sub-items of each group of 三、本年度办理结果 (a group printed as one row has lost them).
        self.S3_GROUPS: dict[str, tuple[str, list[str]]] = {}
        for row in self.s3_rows:
            if row.level3:
                self.S3_GROUPS.setdefault(body_key(row.level2), (row.level2, []))[1].append(row.key)
        self.s4_groups = d.s4_groups
        self.s4_results = d.s4_results
        self.S4_GROUP_KEYS = [(g, key(lbl)) for g, lbl in self.s4_groups]
        self.S4_RESULT_KEYS = [(r, key(lbl)) for r, lbl in (*self.s4_results, S4_TOTAL)]
        self.values: dict[str, Value] = {}
        #: unrecognised rows of table 三 that may still be matched fuzzily (a bound on the work)
        self.fuzzy_left = MAX_FUZZY_ROWS
        self.notes: dict[str, str] = {}  # field -> why not read
        self.title_on_page = False  # the title was read from a page's running header (“Page 8 - …”)
        self._s4_more = False  # a table of 四 was read: further tables only add the groups they name
        self.warnings: list[str] = []
        self.tables_found: list[str] = []
        #: Tables not found whose section prints their row labels and no number at all (labels only).
        self.labels_only: set[str] = set()
        self.general_notes: list[str] = []
        #: field -> where its number came from (line or table/row/column, and an excerpt of the line)
        self.sources: dict[str, dict[str, Any]] = {}
        #: field -> the number kept and the other one, for a cell printed twice with different numbers
        self.conflicts: dict[str, dict[str, Any]] = {}
        self.conflict_lines: dict[str, Line] = {}  # field -> the line printing its other number
        #: field -> the placeholder printed in its cell (“—”, “/”, “(空)”): “none”, not a number
        self.placeholders: dict[str, str] = {}
        #: field -> the line of a cell printed without a number (blank or a placeholder)
        self.blank_cells: dict[str, Line] = {}
        #: Tables whose section holds only the “[TABLE]” a converter writes for a table it cannot draw.
        self.lost_tables: set[str] = set()
        #: findings about the report's format (rule, message, line excerpt), reported once each
        self.format_findings: list[dict[str, Any]] = []
        self.format_found: list[Finding] = []
        #: fields a format finding already covers (a collapsed row, a table in the trial format)
        self.covered: set[str] = set()
        #: table -> (row key -> its label as printed, where the table starts), for a table whose every line of
        #: numbers is a row of the form (so a row it does not print is missing from it)
        self.printed_rows: dict[str, tuple[dict[str, str], dict[str, Any]]] = {}
        #: (table, first row, rows spanned) -> the fields under numbers merged down over those item rows, and
        #: the number each printed
        self.merged_cells: dict[tuple[int | None, int, int], list[tuple[str, str]]] = {}

    def flag(self, rule: str, line: Line | None = None, fields: Iterable[str] = (), wording: str = "",
             **values: Any) -> None:
        """A format finding, worded by its rule from ``values``; the JSON entry without, the finding with the line."""
        message = RULES[rule].finding(wording=wording, where="", **values).message
        if any(f["rule"] == rule and f["message"] == message for f in self.format_findings):
            return
        entry: dict[str, Any] = {"rule": rule, "message": message}
        if line is not None:
            entry["source"] = _source_of(line)
        self.format_findings.append(entry)
        self.format_found.append(RULES[rule].finding(wording=wording, where=_where(entry.get("source")), **values))
        self.covered.update(fields)

    def set(self, fid: str, v: int | float | None, where: str, line: Line | None = None,
            column: int | None = None) -> None:
        if v is None:
            if line is not None and column is not None and dict(line.cells).get(column) == UNREADABLE:
                self.notes.setdefault(fid, f"{where}该格的数字越过表格边线（表格超出页面），只印出一部分，未读")
                return
            if line is not None and column is not None and line.merged and column in line.merged:
                text, first, rows = line.merged[column]
                self.notes.setdefault(fid, f"{where}该格与上下共 {rows} 行合并为一格，印作“{text}”，一个数字无法分到"
                                           "各行，未读")
                self.merged_cells.setdefault((line.table, first, rows), []).append((fid, text))
                return
            self.notes.setdefault(fid, f"{where}该格为空或为“—”等占位符")
            if line is not None and column is not None:
                self.blank_cells.setdefault(fid, line)
                text = dict(line.cells).get(column, "")
                if text and parse_number(text)[0]:
                    self.placeholders.setdefault(fid, text)
                    self.notes[fid] = f"{where}该格印作“{text}”（表示没有，未记为数字）"
            return
        f = self.form.by_id[fid]
        if fid in self.values and self.values[fid] is not None:
            if self.values[fid] != v and fid not in self.conflicts:
                other: dict[str, Any] = {"kept": self.values[fid], "other": v}
                if line is not None:
                    other["source"] = _source_of(line, column)
                    if column is not None and line.positional:
                        other["source"]["column"] = column + 1
                self.conflicts[fid] = other
                if line is not None:
                    self.conflict_lines[fid] = line
            return
        if f.kind in (Kind.COUNT, Kind.TOTAL) and isinstance(v, float) and v.is_integer():
            v = int(v)
        self.values[fid] = v
        self.notes.pop(fid, None)
        if line is not None:
            src = _source_of(line, column)
            if column is not None and line.positional:
                src["column"] = column + 1
            src["row_label"] = f.row_label
            src["column_label"] = f.col_label
            self.sources[fid] = src

    # ------------------------------------------------------------ regions
    def region(self, sections: dict[str, tuple[int, int]], name: str) -> list[Line]:
        if name in sections:
            a, b = sections[name]
            return list(self.lines[a:b])
        return []

    @staticmethod
    def tables(lines: list[Line]) -> list[list[Line]]:
        """Split a region into tables: each real table separately, all text lines together."""
        groups: dict[object, list[Line]] = {}
        for line in lines:
            groups.setdefault(line.table if line.table is not None else "text", []).append(line)
        return list(groups.values())

    # ------------------------------------------------------------ section 二
    #: Column headers of the 2019 trial format (国办公开办函〔2019〕60号), whose columns the 2021 form does not have.
    S2_TRIAL_HEADERS = tuple(key(h) for h in ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
                                               "本年增/减", "采购项目数量"))

    def parse_s2(self, lines: list[Line]) -> bool:
        """Table 二: a number is placed only under a column header that names it (本年制发件数 …).

        The rows it prints are kept (``s2_printed``: row key -> its label as printed) when every line of numbers
        in it is a row of the form: then a row of the form it does not print at all is known to be missing
        (``printed_rows``), not merely unread."""
        found = False
        stray = False  # a line of numbers under no row label of the form
        printed: dict[str, str] = {}
        col_keys = {ck: body_key(cl) for b in self.s2_blocks for ck, cl in b.columns}
        for table in self.tables(lines):
            header: list[str] | None = None  # column keys in order, from the last header row
            header_pos: dict[int, str] = {}
            header_width = 0  # the cells of that header row's line, empty ones included
            trial = False
            last_header = False
            for line in (sub for whole in table for sub in self._s2_unflattened(whole)):
                row = split_row(line)
                lk = row.label_key
                if "第二十条第" in lk and not row.values:
                    header, header_pos = None, {}  # a new 第二十条 block: its own header follows
                    if "第二十条第九项" in lk:
                        trial = True
                    continue
                # a header cell may gloss 本年 with the year (“本年(2023)制发件数”, 绍兴市越城区东湖街道 2023)
                cell_keys = [(c, key(_YEAR_GLOSS.sub(r"\1", nfkc(t))) if "(" in t or "（" in t else key(t))
                             for c, t in line.cells]
                if not row.values and any(k in ck for _, ck in cell_keys for k in self.S2_TRIAL_HEADERS):
                    trial = True
                    header, header_pos = [], {}
                    continue
                # a header row names columns (本年制发件数 …; or printed short of its last characters, “现行有效件”)
                named = [] if row.values else [(c, ck) for c, t in cell_keys for ck, k in col_keys.items()
                                               if t and (k in t or _short_of(t, k))]  # only a row of no number names
                if len(named) >= MISPRINT_HEADER_BESIDE:
                    # a header cell misprinted by one character (“先行有效件数”, 平潭 海坛片区 2023) beside columns
                    # named exactly in the same row: the one column it can be
                    taken = {c for c, _ in named} | {ck for _, ck in named}
                    before = len(named)
                    for c, t in cell_keys:
                        near = [ck for ck, k in col_keys.items() if c not in taken and ck not in taken
                                and _misprint_of(t, k)]
                        if len(near) == 1:
                            named.append((c, near[0]))
                            taken |= {c, near[0]}
                            shown = dict(line.cells)[c].strip()
                            self.general_notes.append(f"表二的表头“{shown}”与“{col_keys[near[0]]}”只差一个字，"
                                                      f"按“{col_keys[near[0]]}”一列读取。")
                    if len(named) > before:
                        named.sort(key=lambda cell: cell[0])  # in the order of the row's cells
                if not named and not row.values and not line.positional:
                    # a header whose characters are spaced out (justified text: “信 息 内 容 本 年 处 理 决 定 数
                    # 量”): the columns it names, in the order it prints them
                    whole = key(line.text)
                    named = sorted(((whole.find(k), ck) for ck, k in col_keys.items() if k and k in whole))
                    named = [(0, ck) for _, ck in named]
                if not row.values and named:
                    if header and not line.positional and last_header:
                        # a header split over lines (one cell a line): its column names follow one another
                        header = [*header, *(ck for _, ck in named if ck not in header)]
                    else:
                        header = [ck for _, ck in named]
                        header_pos = {c: ck for c, ck in named}
                        header_width = line.width
                    last_header = True
                    continue
                last_header = bool(not row.values and header is not None and lk.startswith(key(S2_CONTENT_HEADER)))
                hit = best_match(lk, self.S2_ROW_KEYS)
                if hit is not None and not line.positional:
                    row = self._s2_unglued(row, hit)
                if hit is not None:
                    printed.setdefault(hit.split(":")[1], _WS_RUN.sub("", row.label))
                elif row.values:
                    stray = True
                if hit is not None and not row.values:
                    self._s2_blank_row(hit, line, header, trial)
                if hit is None or not row.values:
                    continue
                b_i, rkey = hit.split(":")
                block = self.s2_blocks[int(b_i)]
                columns = [ck for ck, _ in block.columns]
                found = True
                where = f"表二“{dict(block.rows)[rkey]}”行："
                fids = [f"s2_{rkey}_{ck}" for ck in columns]
                if trial or header is None or not set(header) >= set(columns):
                    why = ("表头是 2019 年试行格式的列（本年新制作数量、上一年项目数量等），不是 2021 年格式的列"
                           if trial else "没有找到写明各列的表头（本年制发件数等），无法确定各列")
                    for fid in fids:
                        self.notes[fid] = f"{where}{why}"
                    if trial:
                        self.covered.update(fids)
                    continue
                row = self._s2_with_blanks(row, columns, header_pos, header_width)
                mapping = self._map_values(row, columns, header, header_pos)
                if mapping is None:
                    nums = [v for _, v in row.values if v is not None]
                    if len(columns) == 1 and len(nums) == 1:
                        col = next(c for c, v in row.values if v is not None)
                        mapping, cols = {columns[0]: nums[0]}, {columns[0]: col}
                    else:
                        for fid in fids:
                            self.notes[fid] = (f"{where}有 {len(row.values)} 个数字，"
                                               f"与 {len(columns)} 列对不上，无法确定各列")
                        continue
                else:
                    cols = self._value_columns(row, columns, header, header_pos)
                for ck in columns:
                    self.set(f"s2_{rkey}_{ck}", mapping.get(ck), where, line, cols.get(ck))
            if trial:
                self.flag("format.version", table[0],
                          (f"s2_{rk}_{ck}" for b in self.s2_blocks for rk, _ in b.rows for ck, _ in b.columns))
        if found and not stray and lines:
            first = next((line for line in lines if line.table is not None or _is_tabular(line)), lines[0])
            self.printed_rows["二"] = (printed, _source_of(first))
        return found

    @staticmethod
    def _s2_with_blanks(row: Row, columns: list[str], header_pos: dict[int, str], header_width: int) -> Row:
        """A tab/“|” row of table 二 with cells printed empty, as its block's ``columns`` in order, the empty ones
        blank (喀左县卫生健康局 2025: “| 规章 | 0 | 0 | |”):

        - a row as wide as its header row, empty cells included, each number in a cell the header names: the
          header's cells (so an empty first cell is seen: “| 规章 | | 7 | 9 |”);
        - else a row that from its first number to its end has exactly ``columns`` cells (one cell a line, whose
          header is split over lines and has no cell positions).

        Any other row as it is: a row of fewer cells cannot tell an empty cell from one merged away."""
        line = row.line
        if line.positional or not line.width or not row.values:
            return row
        have = dict(row.values)
        at = sorted(c for c, ck in header_pos.items() if ck in columns)
        printed = {c for c, _ in line.cells}
        if ("|" in line.text and line.width == header_width and len(at) == len(columns) > len(have)
                and set(have) <= set(at) and all(c in have or (c not in printed and c < line.width) for c in at)):
            return Row(line, row.label, [(c, have.get(c)) for c in at])
        first = row.values[0][0]
        if len(row.values) < line.width - first == len(columns):
            return Row(line, row.label, [(c, have.get(c)) for c in range(first, line.width)])
        return row

    def _s2_blank_row(self, hit: str, line: Line, header: list[str] | None, trial: bool) -> None:
        """A “|”-separated text row of table 二 printing its label and then as many empty cells as its block
        has columns (“规章 | | | |”): those cells are blank, recorded as such (under a header naming them)."""
        b_i, rkey = hit.split(":")
        block = self.s2_blocks[int(b_i)]
        columns = [ck for ck, _ in block.columns]
        if line.positional or "|" not in line.text or trial or header is None or not set(header) >= set(columns):
            return
        label_col = line.cells[-1][0]
        if line.width - 1 - label_col != len(columns):
            return
        where = f"表二“{dict(block.rows)[rkey]}”行："
        for n, ck in enumerate(columns):
            self.set(f"s2_{rkey}_{ck}", None, where, line, label_col + 1 + n)

    def _s2_unflattened(self, line: Line) -> list[Line]:
        """The rows of table 二 printed one after another on ``line`` (a text line of “ | ”-separated cells
        holding two 第二十条 blocks or more), each a line of its own; any other line as it is.

        A row starts at a 第二十条 block's title, at “信息内容”, at a row label of the table (规章 …), and at
        any other label cell printed after a value or an empty cell; its cells keep their places from its
        first cell, and the empty cells before the next row's are its own (so a row printed blank stays
        blank).
        """
        if line.positional or len(line.cells) < 4 or not ("|" in line.text or "\t" in line.text):
            return [line]
        keys = [key(t) for _, t in line.cells]
        if sum("第二十条第" in k for k in keys) < 2:
            return [line]
        row_keys = {k for _, k in self.S2_ROW_KEYS}
        starts = []
        for n, ((col, text), k) in enumerate(zip(line.cells, keys, strict=True)):
            after_value = n > 0 and (parse_number(line.cells[n - 1][1])[0] or col > line.cells[n - 1][0] + 1)
            if n == 0 or "第二十条第" in k or k == key(S2_CONTENT_HEADER) or k in row_keys or (
                    after_value and not parse_number(text)[0]):
                starts.append(n)
        out = []
        for a, b in zip(starts, [*starts[1:], len(line.cells)], strict=True):
            first = line.cells[a][0]
            end = line.cells[b][0] if b < len(line.cells) else max(line.width, line.cells[-1][0] + 1)
            cells = [(c - first, t) for c, t in line.cells[a:b]]
            sub = Line(" | ".join(t for _, t in line.cells[a:b]) + " |", cells, number=line.number,
                       width=end - first)
            if line.cell_lines:
                sub.cell_lines = {c - first: v for c, v in line.cell_lines.items() if first <= c < end}
            out.append(sub)
        return out

    def _s2_unglued(self, row: Row, hit: str) -> Row:
        """``row`` with the number glued to the end of its label made its first value (“行政规范性文件77 132 470”,
        “行政事业性收费5949.088667”: ``pdftotext -raw`` prints no space where the PDF has none), when what is
        left of the label is exactly the label of the row ``hit``; else ``row`` as it is."""
        keys = {k for cid, k in self.S2_ROW_KEYS if cid == hit}
        return _unglued(row, lambda label: body_key(label) in keys)

    @staticmethod
    def _map_values(row: Row, columns: list[str], header: list[str] | None,
                    header_pos: dict[int, str]) -> dict[str, int | float | None] | None:
        if row.line.positional and header_pos and all(c in header_pos for c, _ in row.values):
            got = {header_pos[c]: v for c, v in row.values}
            if set(got) >= set(columns):
                return got
        order = header if header and set(header) >= set(columns) and len(header) == len(row.values) else None
        if order is None:
            return None
        return dict(zip(order, (v for _, v in row.values), strict=True))

    @staticmethod
    def _value_columns(row: Row, columns: list[str], header: list[str] | None,
                       header_pos: dict[int, str]) -> dict[str, int]:
        """Column key -> cell column of the value ``_map_values`` took for it."""
        if row.line.positional and header_pos and all(c in header_pos for c, _ in row.values):
            return {header_pos[c]: c for c, _ in row.values}
        return dict(zip(header or [], (c for c, _ in row.values), strict=False))

    # ------------------------------------------------------------ section 三
    S3_EXTRA_KEYS = ("小计", "合计")

    def _s3_row_keys(self) -> list[tuple[str, str]]:
        out = []
        for row in self.s3_rows:
            if row.level3:
                for a in _aliases(row.level3):
                    out.append((row.key, a))
            elif row.level2:
                for a in _aliases(row.level2):
                    out.append((row.key, a))
            else:
                for a in _aliases(row.level1, short=4):
                    out.append((row.key, a))
        for rk, labels in S3_ROW_VARIANTS.items():
            out.extend((rk, a) for label in labels for a in _aliases(label))
        return out

    @functools.cached_property
    def _s3_header_labels(self) -> tuple[dict[str, str], re.Pattern[str]]:
        """Column label key -> column (“extra” for 小计/合计, "" for a group header), and a regex finding them."""
        ordered = sorted([*self.S3_COL_KEYS.items(), *(("extra", k) for k in self.S3_EXTRA_KEYS),
                          *(("", key(h)) for h in self.s3_headers)], key=lambda x: -len(x[1]))
        labels: dict[str, str] = {}
        for ck, k in ordered:
            if k:
                labels.setdefault(k, ck)
        return labels, _alternation(labels)

    def _s3_header_text_order(self, header_lines: list[Line]) -> list[str] | None:
        """Leaf columns of a text header (split over lines): 自然人, organisations, 小计, 总计 by label."""
        leaves: list[str] = []
        # scan each header line's text for column labels, longest first, so that “法人或其他组织”
        # is not read as “其他” and “商业 企业” split by a space is still “商业企业”
        labels, pattern = self._s3_header_labels
        for line in header_lines:
            text = "".join(key(t) for _, t in line.cells)
            # left to right, the longest label at each position (one regex: same result as trying each label)
            for m in pattern.finditer(text):
                ck = labels[m.group()]
                if ck and (ck == "extra" or ck not in leaves):
                    leaves.append(ck)
        if not any(c for c in leaves if c != "total"):
            return None
        rank = {ck: i for i, (ck, _) in enumerate(self.s3_columns)}
        inputs = sorted((c for c in leaves if c in rank), key=rank.__getitem__)
        if len(inputs) < len(rank):
            # some applicant columns not found (their labels split over lines: “商业 | 科研 …” above “企业 |
            # 机构”): the header is still the form's, all six columns, never an order of the rest, which would
            # put the numbers of a row short of cells under the wrong columns
            inputs = [ck for ck, _ in self.s3_columns]
        order = list(inputs)
        if "extra" in leaves:
            order.append("extra")
        if "total" in leaves:
            order.append("total")
        return order

    def _s3_header_positions(self, header_lines: list[Line]) -> dict[int, str]:
        width = max((len(line.cover) for line in header_lines), default=0)
        out: dict[int, str] = {}
        for c in range(width):
            stack = [key(line.cover[c]) for line in header_lines if c < len(line.cover)]
            for k in reversed(stack):
                hit = next((ck for ck, ckey in self.S3_COL_KEYS.items() if k == ckey), None)
                if hit:
                    out[c] = hit
                    break
                if k in self.S3_EXTRA_KEYS:
                    out[c] = "extra"
                    break
        return out

    @staticmethod
    def _s3_label_continued(r: Row, after: Row, row_keys: list[tuple[str, str]]) -> str | None:
        """The row that ``r``'s item label names once the label cell of ``after`` (the next row: no numbers, on
        another page, its last cell in the same column as ``r``'s, not starting an item of its own) is added
        to it; None otherwise."""
        numbers = {c for c, _ in r.values}
        own = [(c, t) for c, t in r.line.cells if c not in numbers]
        rest = after.line.cells
        if (after.values or not own or not rest or after.line.page is None or after.line.page == r.line.page
                or rest[-1][0] != own[-1][0] or ROW_START.match(nfkc(rest[-1][1]))):
            return None
        return best_match(key(own[-1][1] + rest[-1][1]), row_keys)

    def parse_s3(self, lines: list[Line]) -> bool:
        """Table 三: rows found by their labels (wrapped labels joined), columns by the header."""
        found = False
        row_keys = self._s3_row_keys()
        for table in self.tables(lines):
            # a page's number and a browser print's header and footer, where a page of the text ends inside the
            # table, part no label from its numbers
            rows = [split_row(line) for line in table if not _furniture(line)]
            first_data = self._s3_first_row(rows, row_keys)
            if first_data is None or self._s4_header_only(rows[:first_data]):
                continue
            header_lines = [r.line for r in rows[:first_data] if not r.values]
            order = self._s3_header_text_order(header_lines)
            positions = self._s3_header_positions(header_lines) if table[0].positional else {}
            # a header that prints 总计 has a total column even where its other labels could not be read
            # (torn over lines): six numbers in a row then leave a cell blank, and which one is not known
            total_printed = any(self.S3_COL_KEYS["total"] in key(line.text) for line in header_lines)
            # a header naming the applicants (“自然 … 人”, “商业 企业”) but no 总计: six numbers are its six columns
            header_text = "".join(key(line.text) for line in header_lines)
            applicants_named = "自然" in header_text and "商业" in header_text
            if positions:
                pos_order = [positions[c] for c in sorted(positions)]
                order = pos_order
            pending: list[str] = []  # label lines without numbers just above (a wrapped label)
            tail = ""  # the rest of a label whose start carried the numbers
            groups_alone: dict[str, Row] = {}  # groups printed as a row of their own (with or without numbers)
            items_seen: set[str] = set()
            by_label: dict[int, str] = {}  # id of a line -> the row its own label named
            last_group: str | None = None  # the group of the last row read (the rows of a group follow each other)
            orphan = False  # a line of numbers without any label above it, not placed, since the last row read
            body = rows[first_data:]
            consumed: set[int] = set()  # lines read as the rest of a row above (its numbers split over lines)
            for idx, r in enumerate(body):
                if id(r.line) in consumed:
                    continue
                group = self._s3_group_row(r.label_key)
                if group and (r.values or r.line.positional):
                    groups_alone.setdefault(group, r)
                    if r.values:
                        pending = []
                        found = True
                    continue
                if not r.values:
                    if positions and self._s3_blank_row(r, row_keys, positions, items_seen):
                        pending, tail = [], ""
                        continue
                    k = r.label_key
                    if tail and k and tail.startswith(k):
                        tail = tail[len(k):]
                        continue  # the end of a wrapped label whose numbers were read
                    tail = ""
                    pending = [*pending[-9:], r.label]
                    continue
                if not r.line.positional and len(r.values) == (len(order) if order else len(self.s3_columns) + 1) - 1:
                    # the row's first number glued to its label (“一 、 本 年 新 收 … 数 量13612 252 0 45 128 32
                    # 14069”, pdftotext -raw of justified text): no row label of 三 ends in a digit
                    r = _unglued(r, lambda label: True)
                glued = not r.line.positional and _glued_left(r)
                hit = best_match(r.label_key, row_keys)
                # label lines above belong to this row only when they start a single label: in text torn
                # from a PDF, labels and numbers can come in different orders (“5.属于三类内部事务信 / 息 /
                # 1.本机关不掌握相关政 / 府信息” above one row of numbers): then the row is not placed
                starts = sum(1 for text in [*pending, r.label] if ROW_START.match(nfkc(text)))
                usable = pending if starts <= 1 else []
                joined = key("".join(usable)) + r.label_key
                if starts > 1 and hit is None:
                    # the heading of the row's group printed above its label (“（四）” / “无法提” / “供” /
                    # “1.本机关不掌握相关” / “政府信息 31 0 …”): set aside, the lines left are one label
                    items = self._torn_items([*(Row(r.line, text, []) for text in pending), r])
                    if items is not None and len(items) == 1:
                        usable, joined = pending, key(items[0][1])
                if hit is None and usable:
                    hit = best_match(joined, row_keys)
                rest = ""
                if hit is None and (r.label_key or usable):
                    pm = prefix_match(joined, row_keys)
                    if pm:
                        hit, rest = pm
                if hit is None and starts <= 1 and pending:
                    # the group heading torn into the label's lines (“（六）其 2.申请人逾期未按收费通知要求缴纳费” /
                    # “他处理 用、行政机关不再处理其政府信息公开申 0 0 …”): its pieces set aside, one label left
                    items = self._torn_items([*(Row(r.line, text, []) for text in pending), r])
                    if items is not None and len(items) == 1:
                        joined = key(items[0][1])
                        hit = best_match(joined, row_keys)
                        pm = prefix_match(joined, row_keys) if hit is None else None
                        if pm:
                            hit, rest = pm
                above, pending, tail = pending, [], rest
                if hit is not None and (r.line.joined or not r.label_key) and not r.line.positional:
                    why = self._s3_detached_doubt(hit, above, orphan, row_keys)
                    if why is not None:
                        # numbers printed on lines of their own below a label (one cell a line, or a row of
                        # numbers under its wrapped label): placed only where they can be no other row's
                        where = f"表三“{self.s3_row_of[hit].label}”行："
                        for ck, _ in (*self.s3_columns, self.s3_total):
                            self.notes.setdefault(s3_id(hit, ck), f"{where}数字印在行名之下的单独一行（第 "
                                                  f"{r.line.number} 行），{why}，无法确定是这一行的，未读取")
                        orphan = True
                        continue
                if hit is None and r.label_key and r.line.positional and idx + 1 < len(body):
                    # a ruled row broken by a page: the rest of its label is the next page's first row, in the
                    # same cell column and without numbers (“1.申请人无” / “正当理由逾期不补正、……”)
                    hit = self._s3_label_continued(r, body[idx + 1], row_keys)
                    if hit is not None:
                        consumed.add(id(body[idx + 1].line))
                if hit is None and r.label_key and self.fuzzy_left > 0:
                    # a garbled or torn label: placed only when it can stand for a single row not yet read
                    self.fuzzy_left -= 1
                    open_rows = self._s3_full_labels(items_seen)
                    # (a piece of a label names its row only when no other row's label, read or not, holds it:
                    # “再处理其政府信息公开申请” ends the labels of （六）1 and 2 alike)
                    hit = fuzzy_match(r.label, open_rows) or \
                        fragment_match(r.label_key, [(k, body_key(f)) for k, f in self._s3_full_labels(())])
                    if hit is not None and hit in items_seen:
                        hit = None
                    if hit is not None:
                        self.warnings.append(f"表三中“{r.label}”与表格行“{dict(open_rows)[hit]}”不完全一致，"
                                             "按该行读取（只有这一行与之相符）；请核对标签。")
                if hit is None:
                    hit = self._s3_short_item(r.label, last_group, items_seen)
                    if hit is not None:
                        full = self.s3_row_of[hit].level3
                        self.warnings.append(f"表三中“{r.label}”是“{full}”的简写，按所在分组和编号读取；请核对标签。")
                if hit is None:
                    if r.label_key:
                        self.warnings.append(f"表三中有一行无法识别：“{r.label}”，已跳过。")
                    elif not above:
                        orphan = True  # numbers right below a row read (or the end of its label): whose?
                    continue
                if glued:
                    # a number glued to the label besides a full row: one number too many for the columns
                    where = f"表三“{self.s3_row_of[hit].label}”行："
                    for ck, _ in (*self.s3_columns, self.s3_total):
                        self.notes.setdefault(s3_id(hit, ck), f"{where}行名后紧贴着数字（第 {r.line.number} 行），"
                                              f"连同其后 {len(r.values)} 个数字与表头各列对不上，无法确定各列")
                    continue
                orphan = False
                if rest and not r.line.positional and r.values:
                    split = self._s3_split_numbers(r, body[idx + 1:idx + 3], rest, order)
                    if split is not None:
                        r, used, tail = split
                        consumed.update(id(u.line) for u in used)
                found = True
                items_seen.add(hit)
                last_group = self._s3_group_of.get(hit)
                by_label[id(r.line)] = hit
                self._s3_row(hit, r, order, positions, total_printed=total_printed, applicants_named=applicants_named)
            if not table[0].positional:
                # rows of numbers printed without their labels below a block of those labels (text torn from a
                # PDF): read only where the pairing is certain (see _s3_torn_pairs)
                width = len(order) if order else len(self.s3_columns) + 1
                for hit, r in self._s3_torn_pairs(rows[first_data:], items_seen, by_label, width):
                    found = True
                    items_seen.add(hit)
                    self._s3_row(hit, r, order, positions, total_printed=total_printed,
                                 applicants_named=applicants_named)
            for group, r in groups_alone.items():
                if not items_seen.intersection(self.S3_GROUPS[group][1]):
                    self._s3_collapsed(group, r)
        return found

    def _s3_split_numbers(self, r: Row, after: list[Row], rest: str,
                          order: list[str] | None) -> tuple[Row, list[Row], str] | None:
        """Row ``r`` with the numbers printed on the next line of its label added, when its numbers are split
        over the lines of its wrapped label (``pdftotext -layout`` of a browser's print: “（二）部分公开（区分处理的，
        只计这一情形，不计 19 1 0 0” / “其他情形） 0 0 20”, or with the item's number on a line between: “要求行政机关
        确认或重新出具已获取信 0” / “5.” / “息 0 0 0 0 0 0”): (the row, the lines used, the rest of its label still
        to come), or None.

        Only where certain: the next line (after at most a line holding just the item's number) continues the
        label — its text is the start of what the label still lacks, ``rest`` — the two lines' numbers are
        exactly the form's six columns and 总计, and the six add up to the 总计 printed (which tells the
        numbers were not printed in another order than their columns').
        """
        width = len(self.s3_columns) + 1
        if order is not None and order != [*(ck for ck, _ in self.s3_columns), "total"]:
            return None
        used: list[Row] = []
        k = 0
        if k < len(after) and not after[k].values and re.fullmatch(r"\d{1,2}\s*[.．、]", nfkc(after[k].label).strip()):
            used.append(after[k])
            k += 1
        if k >= len(after):
            return None
        cont = after[k]
        if not (cont.values and cont.label_key and rest.startswith(cont.label_key)
                and len(r.values) + len(cont.values) == width):
            return None
        values = [v for _, v in (*r.values, *cont.values) if isinstance(v, int | float)]
        if len(values) != width or sum(values[:-1]) != values[-1]:
            return None
        line = replace(r.line, cells=list(r.line.cells), text=f"{r.line.text} {cont.line.text.strip()}",
                       cell_lines=dict(r.line.cell_lines or {}))
        first = max((c for c, _ in line.cells), default=-1) + 1
        added = []
        for n, (_, v) in enumerate(cont.values):
            col = first + n
            text = next(t for c, t in cont.line.cells if c == cont.values[n][0])
            line.cells.append((col, text))
            # where the cell is printed: its own line when the line below was itself put back one cell a line
            at = (cont.line.cell_lines or {}).get(cont.values[n][0], (cont.line.number, cont.line.text.strip()))
            line.cell_line(col, *at)
            added.append((col, v))
        used.append(cont)
        return Row(line, r.label, [*r.values, *added]), used, rest[len(cont.label_key):]

    @staticmethod
    def _s3_detached_doubt(hit: str, above: list[str], orphan: bool,
                           row_keys: list[tuple[str, str]]) -> str | None:
        """Why the numbers of row ``hit``, printed on lines below its label rather than beside it, may be
        another row's (None: they can only be its own).

        Text copied out of a PDF can print a column of labels and then a column of numbers (poppler's
        ``pdftotext`` without options), and a blank cell prints nothing: the numbers under a label are then
        the next rows', or the cells of several rows run together.  They are the label's only when nothing
        around says otherwise: no line of numbers left without its row just above the label (the label's
        own numbers may be those), and no other row's whole label among the lines without numbers above it
        (that row's numbers, printed apart from it, may be these).
        """
        if orphan:
            return "其上方有一行未能对应行名的数字"
        other = next((text for text in above if best_match(key(text), row_keys) not in (None, hit)), None)
        if other is not None:
            return f"其上方另有未带数字的行名“{other}”"
        return None

    @functools.cached_property
    def _s3_group_texts(self) -> list[tuple[str, int]]:
        """The headings of table 三 that span rows (“（五）不予处理”, “三、本年度办理结果”), as torn labels are
        compared (NFKC, no blanks), each with the length of its numbering."""
        heads = [label for label, _ in self.S3_GROUPS.values()]
        heads += list(dict.fromkeys(row.level1 for row in self.s3_rows if row.level2))
        out = []
        for head in heads:
            text = _torn_text(head)
            m = _NUMBERING.match(text)
            out.append((text, m.end() if m else 0))
        return out

    def _torn_items(self, labels: list[Row]) -> list[tuple[Row, str]] | None:
        """The row labels a block of label lines holds, each with the line it starts on, or None when the
        block is anything else: a piece of text before the first numbered label, a heading left unfinished.

        A tool extracting text from a PDF prints the lines of a wrapped label one under another, the heading
        of a group of rows (“（五）不 / 予处理”) at the start of the same lines, or above them with its numbering
        alone on the first line (“（四）” / “无法提” / “供”, PDFium's text of a narrow page): the heading's pieces
        are set aside, and each label starts with its number (“4.” “（二）”).
        """
        items: list[tuple[Row, list[str]]] = []
        open_heads: list[str] = []  # the rest of each heading whose start was printed
        for r in labels:
            text = _torn_text(r.label)
            while text:
                rest = next(((i, n) for i, head in enumerate(open_heads)
                             if (n := _common_prefix(text, head))), None)
                if rest is not None:
                    i, n = rest
                    text, open_heads[i] = text[n:], open_heads[i][n:]
                    open_heads = [h for h in open_heads if h]
                    continue
                start = next(((head, n) for head, numbering in self._s3_group_texts
                              if (n := _common_prefix(text, head)) > numbering or n == numbering == len(text)), None)
                if start is None:
                    break
                head, n = start
                text = text[n:]
                if head[n:]:
                    open_heads.append(head[n:])
            if not text:
                continue
            if ROW_START.match(text):
                items.append((r, [text]))
            elif items:
                items[-1][1].append(text)
            else:
                return None
        if open_heads:
            return None
        return [(r, "".join(parts)) for r, parts in items]

    def _s3_torn_pairs(self, rows: list[Row], seen: Container[str], by_label: dict[int, str],
                       width: int) -> list[tuple[str, Row]]:
        """Rows of numbers printed without labels, each with the row of table 三 it is — only where that is
        certain: right after a row of numbers, a block of k label lines holding k labels, each exactly the
        label of one row not read yet, of k rows next to each other in the form, in its order; right below it
        exactly k rows of numbers without labels, each of the table's ``width``; nothing between (a Markdown
        separator row at most); and the block held in place by a row read by its own label that is the row of
        the form right before the first label's (just above the block), or right after the last one's (just
        below the rows): a row of numbers printed above its label (a multi-line label centred on its row)
        would otherwise shift every row of the block by one.
        The i-th label is the i-th row's; each number cites its own line, and the label's as ``label_line``."""
        order = {row.key: n for n, row in enumerate(self.s3_rows)}
        keys = {key(row.level3 or row.level2 or row.level1): (n, row.key) for n, row in enumerate(self.s3_rows)}
        out: list[tuple[str, Row]] = []
        i = 1
        while i < len(rows):
            if not (_torn_label(rows[i]) and rows[i - 1].values):
                i += 1
                continue
            j = i + 1
            while j < len(rows) and _torn_label(rows[j]) and not rows[j].line.gap_before:
                j += 1
            m = j
            while m < len(rows) and _torn_values(rows[m]) and not rows[m].line.gap_before:
                m += 1
            labels, values, before = rows[i:j], rows[j:m], rows[i - 1]
            i = max(m, j)
            items = self._torn_items(labels)
            if items is None:
                continue  # text between the labels: no block of labels
            hits = [keys.get(key(text)) for _, text in items]
            why = self._torn_refusal(items, hits, values, m < len(rows) and _torn_values(rows[m]), seen, width)
            if why is None:
                above = by_label.get(id(before.line))
                below = by_label.get(id(rows[m].line)) if m < len(rows) else None
                first, last = hits[0], hits[-1]
                assert first is not None and last is not None
                if not ((above is not None and order[above] == first[0] - 1) or
                        (below is not None and order[below] == last[0] + 1)):
                    why = "前后没有按自己的行名读出的相邻行，无法排除整块错开一行"
            if why is not None:
                for h in hits:
                    if h is not None and h[1] not in seen:
                        for ck, _ in (*self.s3_columns, self.s3_total):
                            self.notes.setdefault(s3_id(h[1], ck), f"表三第 {labels[0].line.number} 行起印有该行的行名，"
                                                  f"但与没有行名的数字行的对应不能确定（{why}），未读取")
                continue
            for (label, text), hit, v in zip(items, hits, values, strict=True):
                assert hit is not None
                out.append((hit[1], Row(replace(v.line, label_line=label.line.number), text, v.values)))
            start, end = labels[0].line.number, values[-1].line.number
            self.warnings.append(f"表三第 {start}–{end} 行：{len(items)} 个行标签印在一起、其下 {len(values)} 行"
                                 "数字没有标签，按表格行的顺序一一对应读取；请核对。")
        return out

    @staticmethod
    def _torn_refusal(items: list[tuple[Row, str]], hits: list[tuple[int, str] | None], values: list[Row],
                      more: bool, seen: Container[str], width: int) -> str | None:
        """Why a block of labels and the rows of numbers below it cannot be paired (None: it can)."""
        if not values:
            return "其下没有紧接着的、没有行名的数字行"
        if more:
            return "其下没有行名的数字行之后隔着别的行还有"
        if len(items) != len(values):
            return f"{len(items)} 个行名，其下 {len(values)} 行数字"
        if any(h is None for h in hits):
            return "其中有的行名与表格的行名不完全相同"
        if any(h is not None and h[1] in seen for h in hits):
            return "其中有的行已从别处读出"
        if any(b[0] != a[0] + 1 for a, b in zip(hits, hits[1:], strict=False) if a and b):
            return "这几个行名不是表格中按顺序相连的几行"
        if any(len(v.values) != width or v.line.width not in (0, width) or v.line.cell_lines is not None
               for v in values):
            return f"有的数字行不是表头的 {width} 格"
        return None

    def _s3_blank_row(self, r: Row, row_keys: list[tuple[str, str]], positions: dict[int, str],
                      seen: MutableSet[str]) -> bool:
        """A row of a real table (HTML, Word, ruled PDF) whose label is a row's and whose value cells are all
        printed empty: its cells are blank (recorded as such), not a label wrapped onto the next row."""
        hit = best_match(r.label_key, row_keys)
        columns = [c for c, ck in positions.items() if ck != "extra"]
        if hit is None or hit in seen or not columns or max(columns) >= len(r.line.cover) or \
                any(r.line.cover[c].strip() for c in columns):
            return False
        seen.add(hit)
        label = self.s3_row_of[hit].label
        for c in columns:
            fid = s3_id(hit, positions[c])
            self.notes.setdefault(fid, f"表三“{label}”行：该格为空（表中未填数字）")
            self.blank_cells.setdefault(fid, r.line)
        return True

    def _s3_full_labels(self, seen: Container[str]) -> list[tuple[str, str]]:
        """(row key, its full label as printed in the form) of the rows of table 三 not yet read."""
        return [(row.key, row.level3 or row.level2 or row.level1) for row in self.s3_rows if row.key not in seen]

    #: Lines a wrapped label of table 三's first row may take above its numbers.
    FIRST_ROW_LINES = 3

    def _s4_header_only(self, rows: list[Row]) -> bool:
        """Whether the lines ``rows`` above a table's first row are table 四's header and nothing of 三's: two of
        四's own column names (行政复议, 复议后起诉, 结果维持 …) and none of 三's (申请人情况, 自然人, 商业企业 …).
        Its row “总计 0 0 …” is then no （七）总计 of 三: a report lacking table 三 does not have 四 read for it."""
        text = "".join(r.label_key for r in rows)
        own = [k for _, k in (*self.S4_GROUP_KEYS, *self.S4_RESULT_KEYS[:-1]) if k in text]
        s3 = [key(h) for h in self.s3_headers] + [k for ck, k in self.S3_COL_KEYS.items()
                                                    if ck not in ("other", "total")]
        return len(own) >= 2 and not any(k in text for k in s3)

    @staticmethod
    def _s3_first_row(rows: list[Row], row_keys: list[tuple[str, str]]) -> int | None:
        """Index of the first row of table 三's body: its label (maybe wrapped from the lines above, up to
        FIRST_ROW_LINES of them: “一、本年新收政府信息公开申” / “请数量” / “13612 252 …”) is a row's."""
        for i, r in enumerate(rows):
            if not r.values:
                continue
            if best_match(r.label_key, row_keys):
                return i
            joined = r.label_key
            for k in range(1, min(i, _Parser.FIRST_ROW_LINES) + 1):
                if rows[i - k].values:
                    break
                joined = rows[i - k].label_key + joined
                if (best_match(joined, row_keys) or prefix_match(joined, row_keys)) and (k == 1 or not any(
                        best_match(h.label_key, row_keys) or prefix_match(h.label_key, row_keys) for h in rows[:i - k])):
                    # (over two lines or more: only where no line above, left to the header, starts a row label)
                    return i - k
        return None

    @functools.cached_property
    def _s3_group_of(self) -> dict[str, str]:
        """Row key -> the key of its group, for the sub-items of 三、本年度办理结果."""
        return {item: group for group, (_, items) in self.S3_GROUPS.items() for item in items}

    def _s3_short_item(self, label: str, last_group: str | None, seen: Container[str]) -> str | None:
        """The row a numbered item printed short stands for (“（六）其他处理 1.逾期不补正”, then “2.逾期不缴费”):
        the item of that number in its group — the group named before the number, else the group of the row
        just read — when the item is not read yet and the short label shares two characters in a row with it."""
        text = nfkc(label)
        m = _LAST_ITEM_NO.search(text)
        if m is None:
            return None
        head, body = text[:m.start()], key(text[m.end():])
        if not 2 <= len(body) <= SHORT_ITEM_MAX:
            return None
        group = self._s3_group_row(key(head)) if key(head) else last_group
        if group is None:
            return None
        items = self.S3_GROUPS[group][1]
        n = int(m.group(1))
        if not 1 <= n <= len(items) or items[n - 1] in seen:
            return None
        full = body_key(self.s3_row_of[items[n - 1]].level3)
        if not any(body[i:i + 2] in full for i in range(len(body) - 1)):
            return None
        return items[n - 1]

    def _s3_group_row(self, label_key: str) -> str | None:
        """The group (其他处理 …) of a row labelled with the group alone: its sub-items merged into one row."""
        body = re.sub(r"^[三四五六七八九十]?", "", label_key)
        body = re.sub(r"^本年度办理结果", "", body)
        body = re.sub(r"^[一二三四五六七八九十]", "", body)
        return body if body in self.S3_GROUPS else None

    def _s3_collapsed(self, group: str, r: Row) -> None:
        label, items = self.S3_GROUPS[group]
        fids = [s3_id(item, ck) for item in items for ck, _ in (*self.s3_columns, self.s3_total)]
        for fid in fids:
            self.notes[fid] = f"表三“{label}”只有一行，没有分列 {len(items)} 个细项"
        self.flag("format.rows", r.line, fids, group=label, count=len(items),
                  items="、".join(self.s3_row_of[i].level3 for i in items))

    def _s3_row(self, rkey: str, r: Row, order: list[str] | None, positions: dict[int, str], *,
                total_printed: bool = False, applicants_named: bool = False) -> None:
        label = self.s3_row_of[rkey].label
        where = f"表三“{label}”行："
        got: dict[str, int | float | None] | None = None
        cols: dict[str, int] = {}
        if positions and all(c in positions for c, _ in r.values):
            got = {}
            for c, v in r.values:
                if positions[c] not in got:
                    got[positions[c]] = v
                    cols[positions[c]] = c
        if got is None:
            values = list(r.values)
            n = len(values)
            if order and len(order) == n:
                use = order
            elif n == len(self.s3_columns) + 1:
                use = [ck for ck, _ in self.s3_columns] + ["total"]
            elif n == len(self.s3_columns) and not total_printed and (
                    (order and "total" not in order) or (not order and applicants_named)):
                use = [ck for ck, _ in self.s3_columns]
            elif r.line.width and n < (width := len(order) if order and len(order) >= n else len(self.s3_columns) + 1) \
                    and values[0][0] + width <= r.line.width:
                # a tab/“|” row whose last cells are printed blank: the empty cells are there, the blanks stay None
                have = dict(values)
                first = values[0][0]
                values = [(c, have.get(c)) for c in range(first, first + width)]
                use = order if order and len(order) == width else [ck for ck, _ in self.s3_columns] + ["total"]
            elif r.line.width and (width := values[-1][0] - (label_col := max(
                    (c for c, _ in r.line.cells if c < values[0][0]), default=values[0][0]))) == len(self.s3_columns) + 1:
                # a tab/“|” row whose first cells are printed blank (“二、上年结转… | | | | | | | 0 |”): the cells
                # from the label to the last value are the row's, exactly the form's six columns and 总计
                have = dict(values)
                values = [(c, have.get(c)) for c in range(label_col + 1, label_col + 1 + width)]
                use = order if order and len(order) == width else [ck for ck, _ in self.s3_columns] + ["total"]
            else:
                why = (f"与表头 {len(order)} 列对不上" if order else
                       f"比表头的 {len(self.s3_columns) + 1} 列（含“总计”）少，空着的是哪一格无从判断" if total_printed
                       else "表头各列未能识别")
                for ck, _ in (*self.s3_columns, self.s3_total):
                    self.notes[s3_id(rkey, ck)] = f"{where}有 {n} 个数字，{why}，无法确定各列"
                return
            got = {}
            for ck, (c, v) in zip(use, values, strict=True):
                if ck not in got:
                    got[ck] = v
                    cols[ck] = c
        for ck, _ in (*self.s3_columns, self.s3_total):
            if ck in got:
                self.set(s3_id(rkey, ck), got[ck], where, r.line, cols.get(ck))
            elif ck in positions.values() or (r.line.width and ck in (order or [])):
                self.notes.setdefault(s3_id(rkey, ck), f"{where}该格为空（表中未填数字）")
                self.blank_cells.setdefault(s3_id(rkey, ck), r.line)
            else:
                self.notes.setdefault(s3_id(rkey, ck), f"{where}表格中没有“{dict((*self.s3_columns, self.s3_total))[ck]}”列")

    # ------------------------------------------------------------ section 四

    def _s4_result_of(self, k: str) -> str | None:
        return next((r for r, rk in self.S4_RESULT_KEYS if k == rk), None)

    def _s4_read_groups(self) -> frozenset[str]:
        return frozenset(g for g, _ in self.s4_groups
                         if any(f"s4_{g}_{res}" in self.values for res, _ in (*self.s4_results, S4_TOTAL)))

    def parse_s4(self, lines: list[Line]) -> bool:
        """Table 四, possibly split over several tables (行政复议 in one, 行政诉讼 in another): each table adds the
        groups its own header names; a later table whose header names no group adds nothing."""
        found = False
        self._s4_more = False
        for table in self.tables(lines):
            if self._s4_table(table):
                found = True
                self._s4_more = True
                if len(self._s4_read_groups()) == len(self.s4_groups):
                    break
        return found

    def _s4_table(self, table: list[Line]) -> bool:
        rows = [split_row(line) for line in table]
        header_lines: list[Line] = []
        for r in rows:
            if not r.values:
                header_lines.append(r.line)
                if len(header_lines) > 2 * MAX_HEADER_LINES:
                    del header_lines[:-MAX_HEADER_LINES]  # a header is the lines just above its rows
                continue
            if len(self._s4_text_results([Line(r.label, [(0, r.label)])])) >= 2:
                # the data row was merged into the last header line (one cell per line)
                header_lines.append(Line(r.label, [(0, r.label)]))
                r = Row(r.line, "", r.values)
            group = best_match(r.label_key, self.S4_GROUP_KEYS)
            if group is not None:
                # transposed: one row per group, results as columns
                results = self._s4_text_results(header_lines)
                self._s4_assign(dict(zip(((group, res) for res in results), r.values, strict=False))
                                if len(results) == len(r.values) else None, r, [group])
                continue
            header_text = "".join(key(c) for line in header_lines for _, c in line.cells)
            is_s4_header = any(gk in header_text for _, gk in self.S4_GROUP_KEYS)
            if is_s4_header and self._s4_wide(r, header_lines):
                return True
            header_lines = []  # a data row of some other table: its header is not ours
        return any(s4 in self.values
                   for s4 in (f"s4_{g}_{res}" for g, _ in self.s4_groups for res, _ in self.s4_results))

    @functools.cached_property
    def _s4_result_pattern(self) -> tuple[dict[str, str], re.Pattern[str]]:
        results: dict[str, str] = {}
        for r, rk in self.S4_RESULT_KEYS:
            if rk:
                results.setdefault(rk, r)
        return results, _alternation(results)

    def _s4_text_results(self, header_lines: list[Line]) -> list[str]:
        """The results (维持, 纠正 …) named in header text, left to right."""
        text = "".join(key(c) for line in header_lines for _, c in line.cells)
        results, pattern = self._s4_result_pattern
        return [results[m.group()] for m in pattern.finditer(text)]

    def _s4_wide(self, r: Row, header_lines: list[Line]) -> bool:
        if r.line.positional and header_lines and header_lines[0].positional:
            width = max(len(h.cover) for h in header_lines)
            pos: dict[int, tuple[str, str]] = {}
            for c in range(width):
                stack = [key(h.cover[c]) for h in header_lines if c < len(h.cover)]
                # a group's cell may say more (“行政诉讼（未经复议直接起诉）” heading a table of its own)
                group = next((g for g, gk in self.S4_GROUP_KEYS for k in stack if k == gk), None) or \
                    next((g for k in stack if (g := best_match(k, self.S4_GROUP_KEYS))), None)
                res = next((x for k in reversed(stack) if (x := self._s4_result_of(k))), None)
                if group and res:
                    pos[c] = (group, res)
            if pos and all(c in pos for c, _ in r.values):
                done = self._s4_read_groups()
                mapping = {pos[c]: (c, v) for c, v in r.values}
                for c, at in pos.items():  # a cell of the row printed empty: blank, not a missing column
                    if at not in mapping and c < len(r.line.cover) and not r.line.cover[c].strip():
                        mapping[at] = (c, None)
                self._s4_assign(mapping, r,
                                [g for g, _ in self.s4_groups if g not in done and any(p[0] == g for p in pos.values())])
                return True
        if self._s4_more:
            return False  # a further table of 四 is read only when its own header names its columns
        results = self._s4_text_results(header_lines)
        groups = len(self.s4_groups)
        full = [res for res, _ in (*self.s4_results, S4_TOTAL)]
        values = list(r.values)
        if not r.line.positional and r.line.width and values:
            # a tab/“|” row whose last cells are printed blank: from its first number to its end, the row
            # has exactly the table's columns; the empty cells are there, the blanks stay None
            first = values[0][0]
            span = r.line.width - first
            if span > len(values) and span in (len(results), groups * len(full)):
                have = dict(values)
                values = [(c, have.get(c)) for c in range(first, r.line.width)]
        r = Row(r.line, r.label, values)
        n = len(r.values)
        per = None
        if results and len(results) == n and n % groups == 0:
            per = n // groups
            chunks = [results[i * per:(i + 1) * per] for i in range(groups)]
            if any(len(set(ch)) != len(ch) for ch in chunks):
                per = None
        if per is None and n in (groups * len(full), groups * (len(full) - 1)):  # with or without the 总计 columns
            per = n // groups
            chunks = [full[:per]] * groups
        if per is None:
            if n >= 4:
                for g, _ in self.s4_groups:
                    for res, _ in (*self.s4_results, S4_TOTAL):
                        self.notes[f"s4_{g}_{res}"] = f"表四：数据行有 {n} 个数字，与表头对不上，无法确定各列"
                return True
            return False
        mapping = {}
        for gi, (g, _) in enumerate(self.s4_groups):
            for res, cell in zip(chunks[gi], r.values[gi * per:(gi + 1) * per], strict=True):
                mapping[(g, res)] = cell
        self._s4_assign(mapping, r, [g for g, _ in self.s4_groups])
        return True

    def _s4_assign(self, mapping: dict[tuple[str, str], tuple[int, int | float | None]] | None, r: Row,
                   groups: list[str]) -> None:
        """Table 四's (group, result) cells: (column, value) each, read from row ``r``."""
        labels = dict(self.s4_groups)
        for g in groups:
            where = f"表四“{labels[g]}”："
            for res, rl in (*self.s4_results, S4_TOTAL):
                fid = f"s4_{g}_{res}"
                if mapping is None:
                    self.notes[fid] = f"{where}数字个数与表头对不上，无法确定各列"
                elif (g, res) in mapping:
                    column, v = mapping[(g, res)]
                    self.set(fid, v, where, r.line, column)
                else:
                    self.notes.setdefault(fid, f"{where}表格中没有“{rl}”列")

    # ------------------------------------------------------------ title & narratives
    _TITLE_YEAR_FIRST = re.compile(r"^((?:19|20)\d{2})年(?:度)?(.*?)(?:政府信息公开|政务公开|信息公开)工作年度报告")
    _TITLE = re.compile(r"^(.*?)((?:19|20)\d{2})年(?:度)?(?:政府信息公开|政务公开|信息公开)")

    def parse_title(self, sections: dict[str, tuple[int, int]]) -> None:
        """Agency and year from the title: “××局2024年政府信息公开工作年度报告”, possibly over two lines."""
        first = min((a - 1 for a, _ in sections.values()), default=min(len(self.lines), 5))
        head = [line.text for line in self.lines[:first] if not line.positional][:8]
        # the year of a title printed apart from the rest, at the end of the line above (a browser's print through
        # pdftotext: “2019” / “年上海市…报告”, the year maybe joined to the line before it as a cell of its own)
        for i in range(len(head) - 1, 0, -1):
            if (m := re.search(r"(?:^|\s)((?:19|20)\d{2})\s*$", head[i - 1])) and nfkc(head[i]).lstrip().startswith("年"):
                head[i] = m.group(1) + head[i].strip()
        previous = ""
        for raw in head:
            line = re.sub(r"\s+", "", nfkc(raw)).strip("《》<>“”\"'")
            # the page title of a PDF flip-book published as HTML: “Page 8 - 威海市文登区信访局2022年…”
            paged = bool(_PAGE_PREFIX.match(line))
            line = _TITLE_LABEL.sub("", _PAGE_PREFIX.sub("", _PRINT_STAMP.sub("", line)))
            line = re.sub(r"[〇零○一二三四五六七八九]{4}(?=年)",
                          lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), line)
            agency, year = "", None
            if m := self._TITLE.search(line):
                agency, year = m.group(1), int(m.group(2))
            elif m := self._TITLE_YEAR_FIRST.search(line):
                agency, year = m.group(2), int(m.group(1))
            if year is None:
                previous = line
                continue
            agency = re.sub(r"^关于", "", agency.strip("《》<>“”\"'：:，, "))
            if not agency and len(previous) <= 40:
                agency = previous.strip("《》<>“”\"'：:，, ")
            self.values["cover_year"] = year
            if agency:
                self.values["cover_agency_name"] = agency
            self.title_on_page = paged
            return
        # no title with its year (a page's text without its heading): the year of the statistics' period the
        # report states before table 二 (“本报告中所列数据的统计期限为2020年1月1日至2020年12月31日”)
        end = sections["二"][0] if "二" in sections else min(len(self.lines), PERIOD_LINES)
        for stated in self.lines[:end]:
            if stated.positional:
                continue
            m = _PERIOD.search(nfkc(stated.text))
            if m and (m.group(2) is None or m.group(2) == m.group(1)):
                self.values["cover_year"] = int(m.group(1))
                return
        # nor a period: the year section 一 opens with (“2019年，我乡明确专人负责……”, “2019年我局政府信息公开工作
        #运行良好”), its first line of text after the heading
        if "一" in sections:
            a, b = sections["一"]
            body = next((ln for ln in self.lines[a:b] if not ln.positional and heading_of(ln) is None), None)
            if body is not None and (m := _OPENING_YEAR.match(nfkc(body.text))):
                self.values["cover_year"] = int(m.group(1))

    def parse_narratives(self, sections: dict[str, tuple[int, int]]) -> list[str]:
        found = []

        def text_of(lines: list[Line]) -> str:
            return "\n".join(line.text for line in lines if not _is_tabular(line) and not _furniture(line))

        if "一" in sections:
            # (a page's number or a browser print's header and footer, where a page ends inside a sentence,
            # are no part of the text)
            body = [line for line in self.region(sections, "一") if not _is_tabular(line) and not _furniture(line)]
            parts = self.split_parts([line.text for line in body])
            for fid in N1_PARTS:
                if parts.get(fid):
                    self.values[fid] = "\n".join(parts[fid])
                    found.append(fid)
            self.check_part_order(parts, body)
            free = parts.get("_free") or []
            at = next((i for i, t in enumerate(free) if _FIRST_PART_BY_NUMBER.match(t)), None)
            first = _FIRST_PART_BY_NUMBER.match(free[at]) if at is not None else None
            joint = _JOINT_FIRST_PART.match(free[at]) if at is not None else None
            if at is not None and joint is None:
                # （一） on a topic none of the five's (“（一）强化组织领导”), then （二） on disclosure as a whole
                nxt = next((i for i in range(at + 1, len(free)) if _SECOND_PART_BY_NUMBER.match(free[i])), None)
                if nxt is not None and (m := _JOINT_FIRST_PART.match(free[nxt])):
                    at, joint = nxt, m
            titled = next(((line, m) for line in body if (m := _JOINT_TITLE.match(line.text))), None)
            if titled is not None and "n1_proactive" in parts and "n1_on_request" not in parts:
                # “（一）加强主动公开和依申请公开办理方面”: the two parts under one title, read as the first
                self.flag("format.structure", titled[0], fields=("n1_on_request",), wording="joint",
                          title=titled[1].group(0).strip().rstrip("。：:"))
            elif joint is not None and at is not None and "n1_proactive" not in parts and "n1_on_request" not in parts \
                    and any(fid in parts for fid in N1_PARTS) \
                    and re.search(r"依申请|公开申请", "".join(free[at:])) is not None:
                # （一） and （二） written as one part: its text is the first part's, and the one finding says so
                # (never “（二）依申请公开 未填写” beside a part that tells of the applications)
                title = joint.group(0).strip().rstrip("。：:")
                rest = free[at][joint.end():].lstrip("。：: ")
                body_lines = [t for t in (rest, *free[at + 1:]) if t.strip()]
                if body_lines:
                    self.values["n1_proactive"] = "\n".join(body_lines)
                    found.append("n1_proactive")
                    self.general_notes.append(f"“{title}”一部分写了主动公开与依申请公开，记入“（一）主动公开”。")
                    where = next((ln for ln in body if free[at] in ln.text), None)
                    self.flag("format.structure", where, fields=("n1_on_request",), wording="joint", title=title)
            elif first is not None and at is not None and "n1_proactive" not in parts and "n1_on_request" in parts:
                # （一） titled by a topic (“（一）加大公开力度”) before a （二）依申请公开: the first part, by its
                # number and its place (an introduction before it stays no part's)
                rest = free[at][first.end():].lstrip("。：: ")
                body_lines = [rest, *free[at + 1:]]
                if any(t.strip() for t in body_lines):
                    self.values["n1_proactive"] = "\n".join(t for t in body_lines if t.strip())
                    found.append("n1_proactive")
                    self.general_notes.append(f"“{first.group(0).strip()}”按其序号和位置记入“（一）主动公开”。")
            elif free and not any(fid in parts for fid in N1_PARTS):
                self.values["n1_proactive"] = "\n".join(parts["_free"])
                found.append("n1_proactive")
                self.general_notes.append("“一、总体情况”没有按（一）至（五）分部分叙述，全文记入“（一）主动公开”。")
                self.flag_unparted(body, self.lines[sections["一"][0] - 1])
            elif "n1_on_request" not in parts \
                    and (topics := sum(bool(self._TOPIC_LINE.match(t)) for t in free)) >= self.TOPICS_BEFORE_PARTS \
                    and topics > len([fid for fid in N1_PARTS if fid in parts]):
                # 一 by topics of its own (“（一）加强人员队伍建设” “（二）健全信息公开机制” …) of which only a later one
                # is titled as a part (“（六）监督保障”, 平潭 市场监督管理局 2021; “（三）加强主动公开政府信息管理”, 平潭
                # 综合执法与应急管理局 2021): the text before it is the first part's, and the one finding says so (never
                # “（一）主动公开 未填写” beside the figures it gives)
                texts = [line.text.strip() for line in body]
                later = [fid for fid in N1_PARTS[1:] if fid in parts]
                end = next((i for i, t in enumerate(texts) for h in part_headings(t)[:1]
                            if h.start == 0 and h.fid in later), len(texts))
                self.values["n1_proactive"] = "\n".join(t for t in texts[:end] if t)
                if "n1_proactive" not in found:
                    found.append("n1_proactive")
                self.general_notes.append("“一、总体情况”按题目分段，没有按（一）至（五）分部分叙述；按格式命名的部分以前的"
                                          "文字记入“（一）主动公开”。")
                self.flag_unparted(body, self.lines[sections["一"][0] - 1],
                                   titled=[fid for fid in N1_PARTS if fid in parts])
        if "五" in sections:
            t = text_of(self.region(sections, "五"))
            if t.strip():
                self.values["n5_problems"] = t
                found.append("n5_problems")
        if "六" in sections:
            lines = [line for line in self.region(sections, "六") if not _is_tabular(line)]
            kept = []
            for line in lines:
                fees = self._fee_figures(line.text)
                for fid, v in fees.items():
                    if v is not None and self.values.get(fid) is None:
                        self.values[fid] = v
                        found.append(fid)
                if not key(line.text).startswith(key(FORM.by_id[FEE_FIELDS[0]].row_label.split(" · ")[0])) or not fees:
                    kept.append(line.text)
            table = self._fee_table(self.region(sections, "六"))
            for fid, (v, line, column) in table.items():
                if self.values.get(fid) is None:
                    self.set(fid, v, f"第六部分的信息处理费表（{FORM.by_id[fid].row_label.split(' · ')[-1]}）", line,
                             column)
                    found.append(fid)
            if not kept and table:
                # 六 written as its fee table alone under a heading of its own (“五、信息处理费收取情况” and a table,
                # 平潭 金井片区 2025): the heading and the table's text are what the section says
                heading = self.lines[sections["六"][0] - 1].text.strip() if sections["六"][0] > 0 else ""
                kept = [*([heading] if heading else []),
                        *(line.text for line in self.region(sections, "六") if line.table is not None)]
            if kept:
                self.values["n6_other"] = "\n".join(kept)
                found.append("n6_other")
        return found

    #: A column header of a fee table in section 六, by field: the words it must hold (all of one tuple).
    _FEE_HEADERS = {"n6_fee_notices": (("通知", "件数"),),
                    "n6_fee_notice_amount": (("通知", "金额"),),
                    "n6_fee_collected": (("实际收取",),)}

    @classmethod
    def _fee_table(cls, lines: Sequence[Line]) -> dict[str, tuple[int | float, Line, int]]:
        """The 信息处理费 figures of a table in section 六 (a header row 通知收取件数 / 通知收取金额（元） /
        实际收取金额（元）, then one row of numbers): field -> (number, row, column).  A figure is taken only
        where its column's header names it and, for an amount, in 元; nothing unless all three are named."""
        rows = [line for line in lines if line.table is not None]
        for i, head in enumerate(rows[:-1]):
            columns: dict[str, int] = {}
            for column, text in head.cells:
                k = key(text)
                for fid, words in cls._FEE_HEADERS.items():
                    if fid not in columns and any(all(w in k for w in ws) for ws in words):
                        if fid != "n6_fee_notices" and "万元" in k:
                            break  # another unit than the form's 元: not this figure
                        columns[fid] = column
                        break
            if len(columns) != len(FEE_FIELDS):
                continue
            values_row = rows[i + 1]
            if values_row.table != head.table:
                return {}
            cells = dict(values_row.cells)
            out: dict[str, tuple[int | float, Line, int]] = {}
            for fid, column in columns.items():
                ok, v = parse_number(cells.get(column, ""))
                if not ok or v is None:
                    return {}
                out[fid] = (int(v) if FORM.by_id[fid].kind is Kind.COUNT and float(v).is_integer() else v,
                            values_row, column)
            return out
        return {}

    #: A topic heading of section 一 (“（一）强化组织协调，……”, “一是积极推进主动公开。”, “1.加强平台建设”) at the
    #: start of a line or of a sentence; its words run to the first punctuation.
    _TOPIC = re.compile(r"(?:^|(?<=[。！？；!?;…]))\s*((?:[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}是"
                        r"|[1-9][、.．](?!\d))[^。！？；：:;!?…\n]{2,60})")
    #: At most this many topic headings are quoted.
    TOPICS_SHOWN = 4
    #: A line of section 一 that starts with a topic heading numbered “（一）”…“（十）”.
    _TOPIC_LINE = re.compile(r"^\s*(?:<!--.*?-->)?\s*[(（][一二三四五六七八九十]{1,2}[)）]\s*\S")
    #: 一 is arranged by topics when this many topic headings come before its first part titled by the form's name,
    #: more than the parts so titled, and no part is titled （二）依申请公开 (two topics before （三）…（五） titled as
    #: the form's are those two parts titled by topics: the parts missing are reported one by one).
    TOPICS_BEFORE_PARTS = 2

    @classmethod
    def topic_headings(cls, lines: Sequence[Line]) -> list[tuple[Line, str]]:
        """The headings section 一 is arranged by instead of its five parts: the numbering kind seen first
        (“（一）”, “一是” or “1.”) and every heading numbered so, each cut at its first comma when long."""
        found: list[tuple[Line, str, str]] = []
        for line in lines:
            for m in cls._TOPIC.finditer(line.text.strip()):
                words = m.group(1).strip()
                kind = "paren" if words[0] in "(（" else "shi" if "是" in words[:3] else "digit"
                if len(words) > 20:
                    words = re.split(r"[，,]", words, maxsplit=1)[0][:20]
                found.append((line, kind, words))
        kinds = [kind for _, kind, _ in found]
        first = min(kinds, key=("paren", "shi", "digit").index, default="")
        return [(line, words) for line, kind, words in found if kind == first]

    def flag_unparted(self, body: Sequence[Line], heading: Line, titled: Sequence[str] = ()) -> None:
        """format.structure: section 一 not arranged in its five parts, once, quoting the topics it has;
        the parts it so lacks are reported by this finding alone (never one “未填写” each) — or by
        format.template_text alone when 一 is the official 编写说明 left in the report.  ``titled``: the parts
        that one of its topics is titled as (read as those parts; the finding names them)."""
        lacking = [fid for fid in N1_PARTS[1:] if fid not in titled]
        if any(m in key(line.text) for line in body for m in TEMPLATE_TEXT_MARKERS):
            self.covered.update(lacking)
            return
        topics = self.topic_headings(body)
        shown = "“".join(("", *(f"{words}”" for _, words in topics[:self.TOPICS_SHOWN])))
        if topics:
            shown = f"，而是按{shown}{'等' if len(topics) > self.TOPICS_SHOWN else ''}题目分段"
        else:
            shown = "，也没有分段的小标题"
        if titled:
            names = "、".join(f"“{self._part_title(body, fid) or self.form.by_id[fid].row_label}”" for fid in titled)
            self.flag("format.structure", topics[0][0] if topics else heading, fields=lacking,
                      wording="topics_and_parts", topics=shown, titled=names)
            return
        self.flag("format.structure", topics[0][0] if topics else heading, fields=N1_PARTS[1:], wording="parts",
                  topics=shown)

    def check_part_order(self, parts: dict[str, list[str]], body: Sequence[Line]) -> None:
        """format.structure: the parts of section 一 printed out of the form's order (“（一）平台建设情况” first),
        once, quoting the headings as printed and the form's order of those parts.  Only a 一 arranged in the
        form's parts has their order: one arranged by topics of its own — none of them a part's title, or some
        (“（一）强化组织领导（二）强化政务公开平台建设（三）强化公开内容（四）主动公开”, 仙居县下各镇 2023) —
        has none to be out of."""
        order = [fid for fid in parts if fid in N1_PARTS]
        if order == sorted(order, key=N1_PARTS.index):
            return
        titles = [_WS_RUN.sub("", t) for t in parts["_titles"]]
        topics = [_WS_RUN.sub("", words) for _, words in self.topic_headings(body)]
        if any(not any(t.startswith(title) or title.startswith(t) for title in titles) for t in topics):
            return
        where = next((line for line in body if titles[0] in _WS_RUN.sub("", line.text)), None)
        self.flag("format.structure", where, wording="part_order", printed="".join(f"“{t}”" for t in titles),
                  expected="、".join(FORM.by_id[fid].label for fid in N1_PARTS if fid in order))

    @staticmethod
    def _part_title(body: Sequence[Line], fid: str) -> str:
        """The title of part ``fid`` as section 一 prints it at the start of a line (“（六）监督保障”), or ""."""
        for line in body:
            text = line.text.strip()
            head = next((h for h in part_headings(text) if h.fid == fid and h.start == 0), None)
            if head is not None:
                # the whole title, up to its first punctuation (“（三）加强主动公开政府信息管理”)
                title = re.split(r"[。：:，,；;]", text[head.start:], maxsplit=1)[0]
                return title.strip()
        return ""

    @staticmethod
    def split_parts(texts: list[str]) -> dict[str, list[str]]:
        """The text of section 一 by part (field id -> lines; ``_free`` for text before the first part).

        The parts come in the order their headings are printed, and ``_titles`` holds each part's first
        heading as printed, in that order.  A part heading wrapped over two lines (“（四）政府信息公开平台建设” /
        “情况。加强…”) is one heading: its continuation is taken off the line below, never part of the text.
        """
        parts: dict[str, list[str]] = {}
        titles: list[str] = []
        current = "_free"
        carry = numeral = 0
        for i, raw in enumerate(texts):
            text, carry = raw[carry:].strip(), 0
            if not text:
                continue
            after = N1_PARTS.index(current) if current in N1_PARTS else -1
            nxt = texts[i + 1] if i + 1 < len(texts) else None
            heads = part_headings(text, after, numeral)
            printed = text
            if nxt is not None and (not heads or heads[-1].end >= len(text)):
                # a heading at the end of the line may go on on the next: “情况。” or “建设情况：”
                joined = text + nxt
                ext = next((h for h in part_headings(joined, after, numeral) if h.start < len(text) < h.end), None)
                if ext is not None and (ext.stop or not joined[ext.end:].strip()):
                    heads = [*(h for h in heads if h.start < ext.start), ext]
                    carry = ext.end - len(text)
                    printed = joined
            pos = 0
            for h in heads:
                if text[pos:h.start].strip():
                    parts.setdefault(current, []).append(text[pos:h.start].strip())
                if h.fid not in parts:
                    titles.append(printed[h.start:h.end].strip().rstrip("。：:，,;；"))
                current = h.fid
                numeral = h.numeral or numeral
                parts.setdefault(current, [])
                pos = min(h.end, len(text))
            tail = text[pos:].strip() if heads else text
            if tail:
                parts.setdefault(current, []).append(tail)
        if titles:
            parts["_titles"] = titles
        return parts

    @staticmethod
    def _fee_figures(text: str) -> dict[str, int | float | None]:
        t = nfkc(text)
        out: dict[str, int | float | None] = {}
        for fid in FEE_FIELDS:
            label = FORM.by_id[fid].row_label.split(" · ")[-1]
            m = re.search(re.escape(label) + r"\s*[:：为是]?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*" + re.escape(FORM.by_id[fid].unit), t)
            if m:
                ok, v = parse_number(m.group(1))
                if ok and v is not None:
                    out[fid] = int(v) if FORM.by_id[fid].kind is Kind.COUNT and float(v).is_integer() else v
        return out

    # ------------------------------------------------------------ all
    def check_structure(self, marks: list[SectionMark]) -> None:
        """format.structure: statutory sections renumbered, out of order, or two numbering systems."""
        names = [m.name for m in marks]
        renumbered = [m for m in marks if m.numeral and m.numeral != m.name]  # “” : a title without numbering
        if renumbered:
            shown = "；".join(f"“{m.text}”（应为“{SECTION_TITLES[m.name]}”）" for m in renumbered[:4])
            self.flag("format.structure", self.lines[renumbered[0].index], shown=shown)
        # sections printed in another order under numerals that still run in order (“五、信息处理费收取情况”
        # before “六、存在的主要问题及改进措施”) are one deviation, said by the renumbering finding above
        printed = [_NUMERALS.index(m.numeral) for m in marks if m.numeral in _NUMERALS]
        swapped = bool(renumbered) and printed == sorted(printed) and len(printed) == len(marks)
        if names != sorted(names, key="一二三四五六".index) and not swapped:
            self.flag("format.structure", self.lines[marks[0].index], wording="order", order="、".join(names))
        # a section under the title the format before 2019 gave it (“四、因政府信息公开工作被申请行政复议…”)
        old = [m for m in marks if body_key(m.text).startswith(OLD_SECTION_TITLE_KEYS.get(m.name, ()))]
        if old:
            self.flag("format.structure", self.lines[old[0].index], wording="title",
                      printed="”“".join(m.text.strip() for m in old),
                      expected="”“".join(SECTION_TITLES[m.name] for m in old))
        # the row labels of table 三 numbered “一、本年新收…” “四、结转下年度继续办理” are no numbering of the
        # report's, also where a table printed without numbers leaves them on lines of their own (or a page's
        # excerpt cuts one: “一、本年新收政府信息公开”)
        s3_labels = {body_key(row.level1) for row in self.s3_rows}

        def s3_label(text: str) -> bool:
            k = body_key(text)
            return any(k.startswith(lk) or (len(k) >= SHORT_HEADER_LEAST and lk.startswith(k)) for lk in s3_labels)

        numbered = [line for line in self.lines if not _is_tabular(line) and len(line.text) <= 40
                    and re.match(r"^\s*[一二三四五六七八九十]{1,2}\s*、", nfkc(line.text)) and not s3_label(line.text)]
        firsts = [line for line in numbered if re.match(r"^\s*一\s*、", nfkc(line.text))]
        if len(firsts) >= 2 and not renumbered:
            self.flag("format.structure", firsts[1], wording="numbering", first=firsts[0].text.strip(),
                      second=firsts[1].text.strip())
        # a missing 一/五/六 is reported by narrative.required, a missing table by its cells

    def flag_merged(self) -> None:
        """format.rows: numbers other than 0 merged down over item rows of table 三, one finding for each set of
        rows they span, naming the rows and the numbers as printed; none of those rows' cells is placed."""
        for (table, first, count), cells in self.merged_cells.items():
            fids = sorted(dict.fromkeys(fid for fid, _ in cells), key=_FIELD_ORDER.__getitem__)
            labels = list(dict.fromkeys(self.form.by_id[fid].row_label for fid in fids))
            head = labels[0].rsplit(" ", 1)[0] + " " if " " in labels[0] else ""
            rows = "".join(f"“{label if n == 0 else label.removeprefix(head)}”" for n, label in enumerate(labels))
            printed = dict(cells)
            columns = [fid for fid in fids if self.form.by_id[fid].row_label == labels[0]]
            shown = "、".join(f"“{self.form.by_id[fid].label.rsplit(' · ', 1)[-1]}”{printed[fid]}" for fid in columns)
            line = next((ln for ln in self.lines if ln.table == table and ln.number == first), None)
            self.flag("format.rows", line, fids, wording="merged", rows=rows, count=len(labels), cells=shown,
                      spans=count)

    def check_template_text(self) -> None:
        """format.template_text: the official 编写说明 left in the report."""
        for line in self.lines:
            k = key(line.text)
            if any(m in k for m in TEMPLATE_TEXT_MARKERS):
                self.flag("format.template_text", line, excerpt=line.text.strip()[:60])
                return

    #: The first heading of section 五 when its “五、” heading was lost (text extracted from a PDF by another
    #: tool: “（一）主要问题”, “（一）2024 年工作中存在问题的改进情况” right after table 四).
    _LOST_FIVE = re.compile(r"^[(（]\s*一\s*[)）].{0,24}(?:问题|改进)")

    def recover_section_five(self, sections: dict[str, tuple[int, int]]) -> None:
        """Section 五 begun at its first part heading when the report has no 五 heading: a “（一）…问题/改进…”
        line after table 四 (and before 六) — the rest of 四's region is no table, so it can only be 五."""
        if "五" in sections or "四" not in sections:
            return
        a, b = sections["四"]
        seen_table = False
        for i in range(a, b):
            line = self.lines[i]
            if _is_tabular(line):
                seen_table = True
                continue
            t = simplify(nfkc(line.text)).strip()
            if seen_table and len(t) <= 40 and self._LOST_FIVE.match(t):
                sections["四"], sections["五"] = (a, i), (i, b)
                self.general_notes.append(f"未找到“{N5_TITLE}”标题，从表四之后的“{line.text.strip()}”起按该部分读取。")
                return

    #: A report's title: “××区2024年（度）政府信息公开工作年度报告”, on a line of its own (or after “标题：”).
    _REPORT_TITLE = re.compile(r"(?:19|20)\d\d\s*年.{0,12}政府信息公开(?:工作)?年度?报告")
    #: The title of a second report is looked for this many lines above its “一、总体情况”.
    TITLE_LINES_ABOVE = 12
    #: A table printed twice is two reports' tables (side by side, compared) when this many of its cells
    #: differ, in this many rows or more; fewer are the misprints the warning about cells printed twice names.
    TWO_TABLES_CELLS = 10
    #: A first report has at least this many characters written outside its headings (a contents list has not).
    REPORT_TEXT_LEAST = 200
    TWO_TABLES_ROWS = 3

    def _report_title_at(self, i: int) -> bool:
        """Whether line ``i`` is a report's title, alone or with the line below (a title over two lines)."""
        texts = [re.sub(r"\s+", "", nfkc(line.text)) for line in self.lines[i:i + 2] if not _is_tabular(line)]
        if not texts or _is_tabular(self.lines[i]):
            return False
        joined = texts[0] + (texts[1] if len(texts) > 1 and len(texts[1]) <= 20 else "")
        return len(texts[0]) <= 80 and bool(self._REPORT_TITLE.search(joined))

    def cut_second_report(self) -> None:
        """A second report after the first (“一、总体情况” again after a later section's heading, and a later
        section's heading after it): the lines from its start (its title just above, where printed) are set aside
        and one format.two_reports finding quotes where each report begins."""
        order = "一二三四五六"
        # (the headings are looked for only in a file where section 一's title stands on two short lines)
        ones = [line for line in self.lines if len(line.text) <= HEADING_LINE_MAX and _ONE_TITLE.search(line.text)]
        if sum(1 for line in ones if (hit := heading_of(line)) and hit[0] == "一" and hit[1]) < 2:
            return
        heads = [(i, hit[0]) for i, line in enumerate(self.lines) if (hit := heading_of(line)) and hit[1]]
        first = next((i for i, name in heads if name == "一"), None)
        if first is None:
            return
        at_heads = {i for i, _ in heads}

        def written(a: int, b: int) -> int:  # characters of the lines from a to b that are no heading
            return sum(len(self.lines[j].text.strip()) for j in range(a, b) if j not in at_heads)

        start = None
        for n, (i, name) in enumerate(heads):
            # (a table of contents listing the headings before the report, with nothing written under them up
            # to its last, is no first report)
            if (name == "一" and i > first and any(order.index(nm) > 0 and first < j < i for j, nm in heads[:n])
                    and any(nm != "一" for _, nm in heads[n + 1:])
                    and written(first, heads[n - 1][0]) >= self.REPORT_TEXT_LEAST):
                start = i
                break
        if start is None:
            return
        before = max(j for j, _ in heads if j < start)
        title2 = next((j for j in range(max(before + 1, start - self.TITLE_LINES_ABOVE), start)
                       if self._report_title_at(j)), None)
        title1 = next((j for j in range(0, min(first, self.TITLE_LINES_ABOVE + 1)) if self._report_title_at(j)), None)
        at1 = first if title1 is None else title1
        at2 = start if title2 is None else title2

        def shown(j: int) -> str:
            line = self.lines[j]
            where = f"第 {line.number} 行" if line.number else f"第 {j + 1} 段"
            text = line.text.strip()
            if j in (title1, title2) and not self._REPORT_TITLE.search(re.sub(r"\s+", "", nfkc(text))):
                text += self.lines[j + 1].text.strip()  # a title over two lines
            return f"{where}“{text[:60]}”"

        self.flag("format.two_reports", self.lines[at2], first=shown(at1), second=shown(at2))
        self.general_notes.append(f"文件中有第二份报告（从{shown(at2)}起），未读取。")
        self.lines = self.lines[:at2]

    def flag_two_tables(self) -> None:
        """format.two_reports for a table printed twice with many cells differing (two years side by side)."""
        by_table: dict[str, list[str]] = {}
        for fid in self.conflicts:
            by_table.setdefault(self.form.by_id[fid].section, []).append(fid)
        for section, fids in by_table.items():
            rows = {self.form.by_id[fid].row_label: fid for fid in reversed(fids)}
            if len(fids) < self.TWO_TABLES_CELLS or len(rows) < self.TWO_TABLES_ROWS:
                continue
            fid = fids[0]
            c = self.conflicts[fid]
            examples = f"“{self.form.by_id[fid].label}”（{c['kept']} 与 {c['other']}）"
            line = self.conflict_lines.get(fid)
            self.flag("format.two_reports", line, wording="tables", table=section, count=len(fids), examples=examples)

    def run(self) -> ParseResult:
        self.cut_second_report()
        marks = section_marks(self.lines)
        sections = find_sections(self.lines, marks)
        self.recover_section_five(sections)
        all_lines = list(self.lines)
        table_parsers = (("二", self.parse_s2, S2_TITLE), ("三", self.parse_s3, S3_TITLE), ("四", self.parse_s4, S4_TITLE))
        for name, parse, title in table_parsers:
            lines = self.region(sections, name)
            ok = parse(lines) if lines else False
            lost = not ok and any(line.text.strip() == TABLE_PLACEHOLDER for line in lines)
            if not ok and not lost:
                # heading missing or the table placed elsewhere: look in the tables outside the narratives
                ok = parse(all_lines)
                if ok and name not in sections:
                    self.general_notes.append(f"未找到“{title}”标题，按表格内容识别。")
            if ok:
                self.tables_found.append(name)
            elif lost:  # the table's place is known, and it is not in the file: no other table is taken for it
                self.lost_tables.add(name)
                self.general_notes.append(
                    f"未找到“{title}”的表格：文件中该处只有“{TABLE_PLACEHOLDER}”，是转换程序（如 pandoc 转为纯文本时）"
                    f"代替它画不出的表格写下的，表格内容不在文件中。请改用网页原文、Word 或 PDF 原件。")
            else:
                self.general_notes.append(f"未找到“{title}”的表格。")
                if self._labels_only(name, lines):
                    self.labels_only.add(name)
        self.parse_title(sections)
        day = report_date(self.lines, sections)
        if day is not None:
            self.values["cover_date"] = day
        narratives = self.parse_narratives(sections)
        for name, title in (("一", N1_TITLE), ("五", N5_TITLE), ("六", N6_TITLE)):
            if name not in sections:
                self.general_notes.append(f"未找到“{title}”部分。")
        values: dict[str, Value] = {f.id: None for f in self.form.fields if f.kind is not Kind.CHECK}
        values.update(self.values)
        self.check_structure(marks)
        self.flag_merged()
        self.check_template_text()
        self.flag_two_tables()
        coverage = Coverage(tables_found=list(self.tables_found), narratives_found=narratives,
                            notes=list(self.general_notes), sections_found=[m.name for m in marks],
                            placeholders=dict(self.placeholders))
        coverage.blank = {fid: _source_of(line) for fid, line in self.blank_cells.items()
                          if fid in self.table_fields and values.get(fid) is None and fid not in self.covered}
        coverage.conflicts = dict(self.conflicts)
        self.warnings.extend(self._conflict_warnings())
        for fid in self.table_fields + FEE_FIELDS + ("cover_agency_name", "cover_year"):
            if values.get(fid) is not None:
                coverage.read.append(fid)
            elif fid in self.table_fields:
                coverage.missing[fid] = self.notes.get(fid) or self._why_missing(fid)
            elif fid in FEE_FIELDS:
                coverage.missing[fid] = "第六部分未以数字写明该项信息处理费"
            else:
                coverage.missing[fid] = "标题中未找到机关名称或年度"
        return ParseResult(Report(values, {"parsed": True}), coverage, list(dict.fromkeys(self.warnings)),
                           sources=dict(self.sources), format_findings=list(self.format_findings),
                           format_found=list(self.format_found), covered=set(self.covered),
                           titled=values.get("cover_year") is not None and not self.title_on_page,
                           ends_in=self.cut_narrative(sections), printed_rows=dict(self.printed_rows),
                           table_prose=self.table_prose(sections))

    def table_prose(self, sections: dict[str, tuple[int, int]]) -> dict[str, tuple[str, str]]:
        """(heading, text) of the sentences sections 三 and 四 print beside their tables, by section: their paragraphs
        that are no row of a table (nor look like one), no heading, no page furniture, and end a sentence (“。”) —
        the labels of a table written as text lines end none."""
        out: dict[str, tuple[str, str]] = {}
        for name, title in (("三", S3_TITLE), ("四", S4_TITLE)):
            if name not in sections:
                continue
            kept = [line.text.strip() for line in self.region(sections, name)
                    if line.table is None and not _is_tabular(line) and not _furniture(line)
                    and heading_of(line) is None and "。" in line.text]
            if kept:
                at = sections[name][0] - 1
                heading = self.lines[at].text.strip() if at >= 0 else ""
                out[name] = (heading or title, "\n".join(kept))
        return out

    #: What may end the last line of a report's text that is not cut off: a sentence's end, a closing bracket or
    #: quote, a colon, a table's cell separator.
    _TEXT_CLOSE = "。！？!?…；;：:)）]】」』”\"'》|"
    _DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")

    def cut_narrative(self, sections: dict[str, tuple[int, int]]) -> str:
        """The field of section 一 or 五 whose text the file ends inside mid-sentence (“……确保公开内容的发布、
        审核、信息准确无”), when that section is the last one in the file; "" when the file ends otherwise
        (a sentence's end, a date, a later section).  A report that lacks its later sections ends its text; a
        page's excerpt cut by a store does not."""
        if not sections:
            return ""
        last = max(sections, key=lambda name: sections[name][0])
        if last not in ("一", "五"):
            return ""
        body = [line for line in self.region(sections, last) if not line.positional and not _is_tabular(line)
                and not _furniture(line) and line.text.strip()]
        if not body:
            return ""
        end = nfkc(body[-1].text).strip()
        if end[-1] in self._TEXT_CLOSE or self._DATE_LINE.match(end):
            return ""
        if last == "五":
            return "n5_problems"
        tail = body[-1].text.strip()  # its part's heading may open the line: “（五）监督保障。持续健全……”
        return next((fid for fid in reversed(N1_PARTS) if isinstance(v := self.values.get(fid), str)
                     and v.strip() and tail.endswith(v.strip().splitlines()[-1].strip())), "")

    #: A warning about cells printed twice shows at most this many of them.
    CONFLICT_EXAMPLES = 3

    def _conflict_warnings(self) -> list[str]:
        """One warning per table about its cells printed twice with different numbers (one cell: that cell)."""
        by_table: dict[str, list[str]] = {}
        for fid in self.conflicts:
            by_table.setdefault(self.form.by_id[fid].section, []).append(fid)
        out = []
        for section, fids in by_table.items():
            # the examples from different rows where there are such
            rows: dict[str, str] = {}
            for fid in fids:
                rows.setdefault(self.form.by_id[fid].row_label, fid)
            picked = [*rows.values(), *(fid for fid in fids if fid not in rows.values())][:self.CONFLICT_EXAMPLES]
            pairs = [(self.form.by_id[fid].label, f"（{self.conflicts[fid]['kept']} 与 {self.conflicts[fid]['other']}）")
                     for fid in picked]
            if len(fids) == 1:
                out.append(f"{pairs[0][0]}出现两次且数字不同{pairs[0][1]}，采用第一次的数字。")
                continue
            shown = [f"“{label}”{both}" for label, both in pairs]
            more = "等" if len(fids) > len(shown) else ""
            out.append(f"表{section}有 {len(fids)} 格出现两次且数字不同，例如{'；'.join(shown)}{more}，各格采用第一次的数字。"
                       "报告中可能印了两份该表（如两年的表并排），请核对；各格见 JSON 中 coverage 的 conflicts。")
        return out

    #: A section prints a table's labels only when at least this many of its row labels stand there, with no number.
    LABELS_ONLY_LEAST = 3

    def _labels_only(self, name: str, lines: list[Line]) -> bool:
        """Whether the region of table ``name`` (二 or 三) prints row labels of the table and no number at all (a
        table whose cells the page's text does not hold: “一、本年新收政府信息公开申请数量” / “二、上年结转……” one a
        line, nothing between)."""
        keys = {"二": self.S2_ROW_KEYS, "三": self._s3_row_keys()}.get(name)
        if keys is None or not lines:
            return False
        rows = [split_row(line) for line in lines]
        if any(r.values for r in rows):
            return False
        return sum(1 for r in rows if r.label_key and best_match(r.label_key, keys)) >= self.LABELS_ONLY_LEAST

    def _why_missing(self, fid: str) -> str:
        f = self.form.by_id[fid]
        table = {"二": "表二", "三": "表三", "四": "表四"}[f.section]
        if f.section in self.labels_only:
            return f"{table}只印了行名，文字中没有各格的数字"
        if f.section in self.lost_tables:
            return f"未找到{table}（文件中该处只有“{TABLE_PLACEHOLDER}”，表格在转换时丢失）"
        if f.section not in self.tables_found:
            return f"未找到{table}"
        printed = self.printed_rows.get(f.section)
        if printed is not None and fid.split("_")[1] not in printed[0]:
            return f"{table}没有印“{f.row_label}”行"
        return f"{table}中未找到“{f.row_label}”行或其数字"


#: “Page8-” / “第8页-” before a title (whitespace removed): the page number of a flip-book page, no part of the agency.
_PAGE_PREFIX = re.compile(r"^(?:Page|P\.?|第)\d{1,4}页?[-–—:]")
#: “标题:” before a title (whitespace removed): the field label of a site's or crawler's record of the page, no part
#: of the agency (平潭 archive's page.txt: “标题: 平潭综合实验区2022年度政府信息公开工作年度报告”).
#: The date and time a browser prints before the page's title at the head of each page (blanks removed):
#: “12/2/26,4:59AM” in “12/2/26, 4:59 AM 2019年上海市人民政府办公厅政府信息公开工作年度报告”.
_PRINT_STAMP = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\d{1,2}:\d{2}(?:[AP]M)?", re.IGNORECASE)
_TITLE_LABEL = re.compile(r"^(?:文章|信息|文件)?(?:标题|题目|名称)[:：]")
_DATE = r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?"
_CN_DATE = r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
_TIME = r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_DATE_LABEL = r"(?:发布|发文|成文|印发|公开)(?:日期|时间)|^日期"
_CN_SMALL = {"十": 10, **{c: i for i, c in enumerate("〇一二三四五六七八九")}}


#: A line of text copied out of a PDF that is page furniture, not table: a page number (“- 3 -”, “-3-”, “第 3 页”,
#: “3/5”), or the header and footer a browser prints on each page (“12/2/26, 5:16 AM <title>”, “<address> 3/5”).
_PAGE_FURNITURE = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?(?:\s.*)?"
    r"|(?:file|https?)://\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?)\s*$", re.IGNORECASE)


def _furniture(line: Line) -> bool:
    """A text line that is page furniture (see _PAGE_FURNITURE)."""
    return not line.positional and _PAGE_FURNITURE.match(line.text) is not None


def _torn_text(label: str) -> str:
    """A label as torn labels are compared: NFKC, traditional characters simplified, no blanks."""
    return re.sub(r"\s+", "", simplify(nfkc(label)))


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _torn_label(r: Row) -> bool:
    """A line of a text (not a real table) holding label text only."""
    return not r.values and bool(r.label_key) and not r.line.positional and r.line.number > 0 and \
        r.line.page is None


def _torn_values(r: Row) -> bool:
    """A line of a text holding numbers only: a row of numbers printed without its label."""
    return bool(r.values) and not r.label_key and not r.line.positional and r.line.number > 0 and \
        r.line.page is None


def _cn_small(text: str) -> int:
    """一 … 三十一 (day and month numerals)."""
    if "十" not in text:
        return _CN_SMALL[text]
    tens, _, ones = text.partition("十")
    return (_CN_SMALL[tens] if tens else 1) * 10 + (_CN_SMALL[ones] if ones else 0)


def _date_in(text: str, *, alone: bool) -> str | None:
    """An ISO date written in ``text``: the whole line (``alone``) or after a label such as “发布日期：”."""
    t = nfkc(text).strip().replace("○", "〇").replace("零", "〇").replace("Ｏ", "〇")
    if alone:
        m = re.fullmatch(_DATE + _TIME, t) or re.fullmatch(_CN_DATE, t)
    else:
        label = re.search(_DATE_LABEL, t)
        m = re.match(r"\s*[:：]?\s*(?:" + _DATE + ")", t[label.end():]) if label else None
    if m is None:
        return None
    y, mo, d = m.groups()
    try:
        if not y.isdigit():
            y = "".join(str(_CN_SMALL[c]) for c in y)
            mo, d = str(_cn_small(mo)), str(_cn_small(d))
        return _dt.date(int(y), int(mo), int(d)).isoformat()
    except (ValueError, KeyError):
        return None


def report_date(lines: Sequence[Line], sections: dict[str, tuple[int, int]]) -> str | None:
    """The date a published report carries: its 发布日期 in the page head, else the date it is signed with at the end.

    Only a line that is a date on its own (“2025年1月20日”, “二〇二五年一月二十日”) or a labelled date
    (“发布日期：2025-01-20”) counts; dates inside sentences (统计期限…) do not.
    """
    first = min((a - 1 for a, _ in sections.values()), default=min(len(lines), 8))
    head = [line.text for line in lines[:first] if not line.positional]
    tail = [line.text for line in lines[-6:] if not line.positional]
    for text in head + tail:
        if day := _date_in(text, alone=False):
            return day
    for text in [*reversed(tail), *head]:
        if day := _date_in(text, alone=True):
            return day
    return None


#: An excerpt is at most this long (a longer line is cut around the cell it is quoted for).
EXCERPT = 80


def _source_of(line: Line, column: int | None = None) -> dict[str, Any]:
    """Where a line is, with a short excerpt: its page and line on the page (PDF), its table and row
    (HTML/Word, and ruled PDF tables), or its line number (text).

    With ``column``, the source of that cell of the line: a cell printed on a line of its own (a row
    rebuilt from one cell a line) is cited at its own line, with that line's text, and the row at
    ``label_line`` and ``row_excerpt``; a line too long to quote whole is quoted around the cell.
    """
    out: dict[str, Any] = {}
    if line.page is not None:
        out["page"] = line.page
        if line.line_no:
            out["line"] = line.line_no
    if line.table is not None:
        out["table"] = line.table
        out["row"] = line.number
        if line.text_line is not None:
            out["line"] = line.text_line
    elif line.number and line.page is None:
        out["line"] = line.number
    text = re.sub(r"\s+", " ", line.text).strip()
    own = line.cell_lines.get(column) if line.cell_lines is not None and column is not None else None
    if own is not None and "line" in out and "page" not in out:
        out["label_line"] = out["line"]
        out["line"] = own[0]
        out["excerpt"] = _excerpt(re.sub(r"\s+", " ", own[1]).strip())
        out["row_excerpt"] = _excerpt(text)
        return out
    out["excerpt"] = _excerpt(text, _cell_span(line, text, column))
    if line.label_line is not None and "line" in out and "page" not in out:
        out["label_line"] = line.label_line
    return out


def _cell_span(line: Line, text: str, column: int | None) -> tuple[int, int] | None:
    """Where the cell in ``column`` of ``line`` stands in ``text`` (the line's text, blanks made single)."""
    if column is None or len(text) <= EXCERPT:
        return None
    pos = 0
    for col, cell in line.cells:
        cell = re.sub(r"\s+", " ", cell).strip()
        at = text.find(cell, pos)
        if at < 0:
            return None
        if col == column:
            return at, at + len(cell)
        pos = at + len(cell)
    return None


def _excerpt(text: str, span: tuple[int, int] | None = None) -> str:
    """``text`` cut to an excerpt; with ``span``, one that keeps that part of it (the cell quoted for)."""
    if len(text) <= EXCERPT:
        return text
    if span is None or span[1] <= EXCERPT - 1:
        return text[:EXCERPT - 1] + "…"
    # the line's start (its row label) and the stretch up to and just past the cell
    head = text[:20].rstrip() + "…"
    end = min(len(text), span[1] + 8)
    start = max(span[0] - (EXCERPT - len(head) - 1 - (end - span[0])), 20)
    return head + text[start:end].strip() + ("…" if end < len(text) else "")


#: Header texts that mark a line as part of a table: the 第二十条 items, and the layout's group and stub headers.
_TABLE_HEADS = tuple(dict.fromkeys(key(t) for t in ("第二十条第", *(
    c.text for table in LAYOUT.tables for c in table.header_cells() if c.role in (Role.GROUP, Role.STUB)))))


#: A label with a number glued to its end, the label ending in a Chinese character or a closing bracket or quote
#: (“行政规范性文件77”, “形，不计其他情形）2120”).
_GLUED_NUMBER = re.compile(r"^(.*[\u4e00-\u9fff）)”])(\d[\d,]*(?:\.\d+)?)$")


def _glued_left(row: Row) -> bool:
    """Whether a number is still glued to the end of ``row``'s label, before its values."""
    label_cells = [t for c, t in row.line.cells if c not in {vc for vc, _ in row.values}]
    return bool(row.values and label_cells and _GLUED_NUMBER.match(nfkc(label_cells[-1])))


def _unglued(row: Row, accept: Callable[[str], bool]) -> Row:
    """``row`` with the number glued to the end of its last label cell made its first value, when what is left
    of the label is one ``accept`` takes; else ``row`` as it is."""
    label_cells = [(c, t) for c, t in row.line.cells if c not in {vc for vc, _ in row.values}]
    if not label_cells:
        return row
    col, text = label_cells[-1]
    m = _GLUED_NUMBER.match(nfkc(text))
    if m is None:
        return row
    label = " ".join([*(t for _, t in label_cells[:-1]), m.group(1)])
    ok, v = parse_number(m.group(2))
    if not ok or not accept(label):
        return row
    return Row(row.line, label, [(col, v), *row.values])

def _is_tabular(line: Line) -> bool:
    """A table row, or a text line that looks like one (cells with numbers, or a table header)."""
    if line.positional or "\t" in line.text or line.text.startswith("|") or line.text.endswith("|"):
        return True
    k = key(line.text)
    if len(k) <= 40 and any(k.startswith(h) for h in _TABLE_HEADS):
        return True
    row = split_row(line)
    return bool(row.values) and len(row.label_key) <= 40


def _after_label(text: str, label: str) -> str:
    """``text`` without a leading part heading such as “主动公开：”."""
    body = _NUMBERING.sub("", nfkc(label), count=1)
    k = key(body)
    acc = ""
    for i, ch in enumerate(text):
        if ch.isalnum():
            acc += ch
        if acc == k:
            return text[i + 1:].lstrip(" :：、.，,").strip()
        if not k.startswith(acc):
            break
    return text.strip()


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

_F = TypeVar("_F", bound=Callable[..., Any])


def _per_document(fn: _F) -> _F:
    """Run ``fn`` (reading one document) with the cyclic garbage collector paused, then empty the caches.

    A document is read into tens of thousands of small objects that all stay alive until the result is
    made; the collector's passes over them found nothing to free and cost a third of the parse time.
    """
    @functools.wraps(fn)
    def paused(*args: Any, **kwargs: Any) -> Any:
        running = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if running:
                gc.enable()
            for cached in (nfkc, key, parse_number):
                cached.cache_clear()
    return cast(_F, paused)


@_per_document
def parse_lines(lines: list[Line], *, layout: Layout = LAYOUT) -> ParseResult:
    """Read a report's tables as ``layout`` has them (the 2021 format's unless given)."""
    return _Parser(lines, layout).run()


@_per_document
def parse_text(text: str, *, layout: Layout = LAYOUT) -> ParseResult:
    """Parse a published report given as plain text (tab- or space-separated tables, or Markdown)."""
    if len(text) > MAX_TEXT_BYTES:
        raise ParseError(f"文字有 {len(text)} 个字符，超过 {MAX_TEXT_BYTES} 个的上限，{_LIMIT}。")
    return parse_lines(text_lines(text), layout=layout)


@_per_document
def parse_html(text: str, *, layout: Layout = LAYOUT) -> ParseResult:
    """Parse a published report given as an HTML page (tables with rowspan/colspan, or text in paragraphs)."""
    result = parse_lines(html_lines(text), layout=layout)
    note_attachments(result, html_attachments(text))
    return result


@_per_document
def parse_docx(path: str | Path, *, layout: Layout = LAYOUT) -> ParseResult:
    """Parse a published report saved as a Word .docx file (tables with merged cells)."""
    return parse_lines(docx_lines(path), layout=layout)


def read_text_file(path: Path, name: str | None = None) -> str:
    """A text report saved as UTF-8 (with or without BOM), GB18030 or UTF-16; the encoding is logged if not UTF-8.

    At most :data:`MAX_TEXT_BYTES` are read (a real report is some tens of KB): ParseError when larger.
    """
    try:
        return read_text(path, name=name, limit=MAX_TEXT_BYTES)[0]
    except UnicodeDecodeError:
        raise ParseError(f"{name or path}：无法识别文本编码，请另存为 UTF-8 后再试。") from None
    except InputFileError as exc:
        raise ParseError(_too_large(name or str(path), MAX_TEXT_BYTES, exc)) from exc


def read_html_file(path: Path, name: str | None = None) -> str:
    """An HTML page's text (its charset, else UTF-8 or GB18030); at most :data:`MAX_HTML_BYTES` are read."""
    try:
        return decode_html(read_capped(path, MAX_HTML_BYTES, display=name))
    except InputFileError as exc:
        raise ParseError(_too_large(name or str(path), MAX_HTML_BYTES, exc)) from exc


#: A single-file web page (.mht/.mhtml) holds at most this many MIME parts (the page and its pictures).
MAX_MHTML_PARTS = 2_000


def read_mhtml_file(path: Path, name: str | None = None) -> str:
    """The HTML page of a single-file web page (.mht/.mhtml: Word's “单个文件网页”, a browser's “网页，单个文件”).

    The file is a MIME message, ``multipart/related``: its first ``text/html`` part is the page (quoted-printable
    or base64, in the charset it names, else as an HTML file's bytes are decoded); pictures and style sheets are
    not read.  At most :data:`MAX_HTML_BYTES` are read and :data:`MAX_MHTML_PARTS` parts looked at.
    """
    import email
    import email.policy

    shown = name or str(path)
    try:
        data = read_capped(path, MAX_HTML_BYTES, display=name)
    except InputFileError as exc:
        raise ParseError(_too_large(shown, MAX_HTML_BYTES, exc)) from exc
    # parts are counted (their boundary lines, generously) before the message is parsed into objects
    if data.count(b"\n--") > 4 * MAX_MHTML_PARTS:
        raise ParseError(f"{shown}：单个文件网页中的部件超过 {MAX_MHTML_PARTS} 个，{_LIMIT}。")
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for n, part in enumerate(message.walk()):
        if n >= MAX_MHTML_PARTS:
            break
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset()
        if charset:
            try:
                return payload.decode(charset)
            except (UnicodeDecodeError, LookupError):
                pass
        return decode_html(payload)
    raise ParseError(f"{shown}：扩展名是 .mht/.mhtml，但文件中没有网页内容（不是“单个文件网页”）。"
                     f"请用浏览器或 Word 打开后另存为 .html 或 .docx 再试。")


def _too_large(name: str, limit: int, exc: InputFileError) -> str:
    if "超过" not in str(exc):
        return str(exc)  # not a regular file: said by model.inputs
    return f"{name}：文件超过 {limit // (1024 * 1024)} MB，已发布的年度报告远没有这么大，{_LIMIT}。"


def decode_html(data: bytes) -> str:
    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096])
    encodings = ([m.group(1).decode("ascii")] if m else []) + ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


_OLD_FORMAT_MARKERS = ("收费及减免", "咨询处理", "概述", "政府信息公开的收费")


def no_tables_message(name: str, result: ParseResult, text: str = "") -> str:
    if result.coverage.picture_pages:
        return (f"{name}：未找到年度报告的表格，PDF {page_span(result.coverage.picture_pages)}有大幅图片：表格看来是"
                f"以图片印出的，图片中的数字无法读取。请提供网页、Word 版本或以文字导出的 PDF。")
    if result.coverage.attachments:
        titled = [SECTION_TITLES[n] for n in ("二", "三", "四") if n in result.coverage.sections_found]
        where = f"找到了表格部分的标题（{'；'.join(titled)}），但其下没有表格" if titled else "网页中没有年度报告的表格"
        return (f"{name}：{where}；网页附有{attachment_span(result.coverage.attachments)}，报告（或其表格）看来是以附件"
                f"发布的。请下载附件，直接读取附件本身（Word、WPS、PDF 等均可读取）。")
    old = any(m in text for m in _OLD_FORMAT_MARKERS)
    if old:
        return (f"{name}：未找到 2021 年格式的表二、表三、表四，看起来是 2021 年以前的旧格式年度报告，"
                f"本工具只能核对国办公开办函〔2021〕30号格式的报告。")
    titled = [SECTION_TITLES[n] for n in ("二", "三", "四") if n in result.coverage.sections_found]
    if titled:
        # the headings are there but no table under them: cells run together (“规章000”), or tables as pictures
        return (f"{name}：找到了表格部分的标题（{'；'.join(titled)}），但其下读不出表格：各格的数字连在一起、"
                f"分不清各格（如网页抓取的文字“规章000”），或表格以图片形式发布。请改用网页原文、Word 或 PDF 原件。")
    return (f"{name}：未找到年度报告的表格（二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；"
            f"四、政府信息公开行政复议、行政诉讼情况）。请确认这是政府信息公开工作年度报告，且表格没有以图片形式发布。")


def source_place(src: dict[str, Any]) -> str:
    """Where a source is, in words: 第 12 行 / 第 14 行（该行的标签在第 12 行） / 第 2 个表格第 5 行第 4 列 /
    第 3 页第 7 行 (PDF); "" when unknown."""
    parts = []
    if "page" in src:
        parts.append(f"第 {src['page']} 页" + (f"第 {src['line']} 行" if "line" in src else ""))
    elif "line" in src:
        parts.append(f"第 {src['line']} 行" + (f"（该行的标签在第 {src['label_line']} 行）" if "label_line" in src else ""))
    if "table" in src:
        parts.append(f"第 {src['table']} 个表格第 {src['row']} 行" + (f"第 {src['column']} 列" if "column" in src else ""))
    return "，".join(parts)


def _where(source: dict[str, Any] | None) -> str:
    """Where in the published report a format finding was found, as its message ends: （第 3 行：“…”）."""
    where = source or {}
    at = source_place(where)
    return f"（{at}：“{where['excerpt']}”）" if at and where.get("excerpt") else ""


def format_findings(result: ParseResult) -> list[Finding]:
    """The report's format findings (format.version, format.rows, format.structure, format.template_text)."""
    return list(result.format_found)


#: The statutory parts of a report in their order, and the fields of each outside its tables.
_PARTS_IN_ORDER = ("一", "二", "三", "四", "五", "六")
_TEXT_FIELDS = {"一": N1_PARTS, "五": ("n5_problems",), "六": ("n6_other", *FEE_FIELDS)}


@dataclass(frozen=True)
class Extent:
    """The part of a report a file holds, when it is not the whole report: the fields outside it (not read, not
    reported one by one) and the one input.partial finding that says so."""

    outside: frozenset[str]
    finding: Finding


def _table_ids(section: str) -> list[str]:
    return [fid for fid in TABLE_FIELDS if FORM.by_id[fid].section == section]


def _has_text(values: dict[str, Value], fields: Iterable[str]) -> bool:
    return any(isinstance(values.get(f), str) and str(values.get(f)).strip() for f in fields)


def partial_extent(result: ParseResult) -> Extent | None:
    """What a file that holds only part of a report (a flip-book page, a web excerpt, pages cut from a PDF) lacks.

    A file holds part of a report when nothing of section 一 is in it (no heading, no text) and it begins with a
    later part, or when it ends inside a table — the table read up to a row, nothing after it, no later part's
    heading.  The parts before its first part and after its last are outside it, and so are the unread cells of
    the table it begins or ends inside before its first / after its last cell printed.  A whole report lacking a
    part (its 六 never written, a table left out between others) is no fragment: those are reported as before."""
    cov = result.coverage
    values = result.report.values
    printed = set(cov.read) | set(cov.blank) | result.covered
    tables = {"二", "三", "四"}
    present = []
    for part in _PARTS_IN_ORDER:
        if part in tables:
            here = part in cov.sections_found or part in cov.tables_found or any(
                f in printed for f in _table_ids(part))
        else:
            here = part in cov.sections_found or _has_text(values, _TEXT_FIELDS[part])
        if here:
            present.append(part)
    if not present:
        return None
    first, last = present[0], present[-1]
    starts_inside = first != "一"

    def run(part: str, *, leading: bool) -> list[str]:
        """The unread cells of a table before its first printed cell (leading) or after its last one."""
        ids = _table_ids(part)
        if leading and not any(f in printed for f in ids):
            return []  # a table whose heading begins the file: inside it
        seq = ids if leading else ids[::-1]
        out = []
        for fid in seq:
            if fid in printed:
                break
            out.append(fid)
        if all(FORM.by_id[f].kind is Kind.TOTAL for f in out):
            return []  # only totals unread: a table printed without its 总计 column, not a table cut off
        return out if leading else out[::-1]

    head = run(first, leading=True) if first in tables else []
    # a file with nothing of 一 begins inside a report unless it begins with the report's title (a report lacking 一)
    starts_inside = starts_inside and (bool(head) or not result.titled)
    tail = run(last, leading=False) if last in tables else []
    # a file ending in a table whose cells a format finding covers, none read (a 2019-trial table 二, whose
    # rows are not the form's): its cells cannot show where it ends, but no part after it is in the file
    covered_last = last in tables and last != "四" and all(f in result.covered and f not in cov.read
                                                          for f in _table_ids(last))
    # a file whose text ends mid-sentence in 一 or 五, no later part after it (a web page's stored excerpt)
    cut = result.ends_in if last in ("一", "五") and result.ends_in in _TEXT_FIELDS[last] else ""
    ends_inside = bool(tail) or (starts_inside and last != "六") or covered_last or bool(cut)
    if not starts_inside and not ends_inside:
        return None
    head = head if starts_inside else []
    i, j = _PARTS_IN_ORDER.index(first), _PARTS_IN_ORDER.index(last)
    before = _PARTS_IN_ORDER[:i] if starts_inside else ()
    after = _PARTS_IN_ORDER[j + 1:] if ends_inside else ()
    outside: set[str] = set(head) | set(tail)
    absent: list[str] = []

    def name(part: str) -> str:
        return f"表{part}" if part in tables else f"“{SECTION_TITLES[part]}”"

    def add(part: str) -> None:
        outside.update(_table_ids(part) if part in tables else _TEXT_FIELDS[part])
        absent.append(name(part))

    for part in before:
        add(part)
    if head:
        absent.append(f"表{first}开头的 {len(head)} 格")
    if tail:
        absent.append(f"表{last}的其余 {len(tail)} 格" if len(tail) < len(_table_ids(last)) else f"表{last}的各格")
    if cut in N1_PARTS:  # the parts of 一 after the one the text is cut in
        later = [f for f in N1_PARTS[N1_PARTS.index(cut) + 1:] if not _has_text(values, (f,))]
        outside.update(later)
        absent.extend(f"“{FORM.by_id[f].row_label}”" for f in later)
    for part in after:
        add(part)

    def row_of(fid: str) -> str:
        return f"“{FORM.by_id[fid].row_label}”行"

    if not starts_inside:
        start = "报告开头"
    elif head:
        start = f"表{first}中间（{row_of(next(f for f in _table_ids(first) if f in printed))}）"
    else:
        start = name(first)
    if tail and len(tail) < len(_table_ids(last)):
        end = f"表{last}中间（{row_of(tail[0])}处中断）"
    elif tail:
        end = f"表{last}的开头（其中没有读出一格）"
    elif cut:
        within = f"“{FORM.by_id[cut].row_label}”" if cut in N1_PARTS else "其正文"
        end = f"{name(last)}中间（{within}的一句话中断）"
    else:
        end = name(last)
    span = f"只有{start}" if start == end else f"从{start}起，到{end}止"
    found = RULES["input.partial"].finding(field=FORM.by_id[min(outside, key=_FIELD_ORDER.__getitem__)],
                                           fields=tuple(sorted(outside, key=_FIELD_ORDER.__getitem__)),
                                           span=span, absent="、".join(absent))
    return Extent(frozenset(outside), found)


#: Fields in the form's order (of its sections and rows).
_FIELD_ORDER = {f.id: i for i, f in enumerate(FORM.fields)}


def missing_findings(result: ParseResult, extent: Extent | None = None) -> list[Finding]:
    """One finding per table number the published report does not show (none for cells a format finding covers,
    nor for those outside the part of a report the file holds); the cells a table prints without a number, one
    finding per report (format.blank_cells, format.blank_total)."""
    blank = result.coverage.blank
    outside = extent.outside if extent else frozenset()
    out: list[Finding] = []
    rule = RULES["input.blank"]
    by_table = _unread_by_table(result, lambda fid: FORM.by_id[fid].kind is not Kind.TOTAL and fid not in blank
                                and fid not in outside)
    for table, ids in list(by_table.items()):
        absent = _absent_rows(result, table, ids)
        if absent is not None:
            out.append(absent)
            ids = [i for i in ids if i not in absent.fields]
            if not ids:
                continue
        notes = [result.coverage.missing[i] for i in ids]
        if len(ids) <= MAX_CELL_FINDINGS:
            # the cells of one row unread for one reason (a row whose numbers do not fit its columns): one finding
            rows: dict[tuple[str, str], list[str]] = {}
            for i, n in zip(ids, notes, strict=True):
                rows.setdefault((FORM.by_id[i].row_label, n), []).append(i)
            for (row, n), row_ids in rows.items():
                if len(row_ids) == 1:
                    out.append(rule.finding(field=FORM.by_id[row_ids[0]], wording="published", note=n))
                else:
                    out.append(rule.finding(field=FORM.by_id[row_ids[0]], fields=tuple(row_ids), wording="published_row",
                                            row=row, table=table, count=len(row_ids), note=n))
            continue
        out.append(rule.finding(field=FORM.by_id[ids[0]], fields=tuple(ids), wording="published_table", table=table,
                                count=len(ids), examples=_examples(ids),
                                note=_common_reason(notes, "各格的原因见 coverage")))
    return out + blank_findings(result)


#: A table with more unread cells than this (one row of table 三) gets one finding for them all.
MAX_CELL_FINDINGS = 7


def _absent_rows(result: ParseResult, table: str, unread: list[str]) -> Finding | None:
    """format.rows: the rows of ``table`` it does not print at all (no 规章 row in 二), one finding quoting the
    rows it prints, instead of their cells one by one; None when it prints them all, or when a line of numbers
    in it stood under no row label (which row is missing is then not known)."""
    if table not in result.printed_rows:
        return None
    printed, where = result.printed_rows[table]
    left = set(unread)
    rows = [(rkey, label, [f"s2_{rkey}_{ck}" for ck, _ in block.columns]) for block in S2_BLOCKS
            for rkey, label in block.rows]
    missing = [(label, fids) for rkey, label, fids in rows if rkey not in printed and left.issuperset(fids)]
    if not missing:
        return None
    fids = tuple(fid for _, row_fids in missing for fid in row_fids)
    return RULES["format.rows"].finding(
        field=FORM.by_id[fids[0]], fields=fids, wording="missing", table=table,
        rows="".join(f"“{label}”" for label, _ in missing),
        printed="".join(f"“{label}”" for label in printed.values()), count=len(fids), where=_where(where))


def missing_lines(result: ParseResult) -> list[tuple[int, str]]:
    """The table cells not read (those a format finding covers aside), in words, each line with how many
    cells it stands for: a line a cell, or — a table with more than :data:`MAX_CELL_FINDINGS` — one line
    for the table with the count, examples and the most common reason (“表二 10 格（“规章 · 本年制发件数”…等）：
    未找到表二”), as ``input.blank`` reports them."""
    out: list[tuple[int, str]] = []
    for table, ids in _unread_by_table(result, lambda fid: True).items():
        notes = [result.coverage.missing[i] for i in ids]
        if len(ids) <= MAX_CELL_FINDINGS:
            out.extend((1, f"{FORM.by_id[i].label}：{n}") for i, n in zip(ids, notes, strict=True))
            continue
        note = _common_reason(notes, "各格的原因见 JSON 中的 coverage")
        out.append((len(ids), f"表{table} {len(ids)} 格（{_examples(ids)}）：{note}"))
    return out


def _unread_by_table(result: ParseResult, keep: Callable[[str], bool]) -> dict[str, list[str]]:
    """The table cells not read that no format finding covers and ``keep`` keeps, by table, in the form's order."""
    by_table: dict[str, list[str]] = {}
    for fid in TABLE_FIELDS:
        if fid in result.coverage.missing and fid not in result.covered and keep(fid):
            by_table.setdefault(FORM.by_id[fid].section, []).append(fid)
    return by_table


def _common_reason(notes: list[str], more: str) -> str:
    """The reason most of ``notes`` give (rows named in them aside); ``more`` says where the others are."""
    reason, times = Counter(_reason(n) for n in notes).most_common(1)[0]
    return reason if times == len(notes) else f"其中 {times} 格是因为：{reason}；{more}"


def _reason(note: str) -> str:
    """Why a cell was not read, without the row it names (“表三“（一）予以公开”行：” …), to count alike reasons."""
    note = re.sub(r"^表[二三四]“[^”]*”行?：", "", note)
    return re.sub(r"中未找到“[^”]*”行或其数字", "中未找到这些行或其数字", note)


def _examples(ids: list[str]) -> str:
    shown = "".join(f"“{FORM.by_id[i].label}”" for i in ids[:_BLANK_EXAMPLES])
    return shown + ("等" if len(ids) > _BLANK_EXAMPLES else "")


#: At most this many cells are named in a format.blank_cells / format.blank_total message.
_BLANK_EXAMPLES = 3


def blank_findings(result: ParseResult) -> list[Finding]:
    """Cells printed without a number: the totals left blank beside printed items (one error), and the other
    blank or placeholder cells (one warning), each one finding for the whole report, counted per table."""
    values = result.report.values
    placeholders = result.coverage.placeholders
    by_table: dict[str, tuple[list[str], list[str]]] = {}
    for f in FORM.fields:
        if f.id not in result.coverage.blank:
            continue
        totals, cells = by_table.setdefault(f.section, ([], []))
        items = [values.get(a) for a in f.addends]
        if f.kind is Kind.TOTAL and f.id not in placeholders and any(isinstance(v, int | float) and v for v in items):
            totals.append(f.id)
        else:
            cells.append(f.id)
    out = []
    for rule, which in (("format.blank_total", 0), ("format.blank_cells", 1)):
        per_table = [(table, lists[which]) for table, lists in by_table.items() if lists[which]]
        if not per_table:
            continue
        ids = [fid for _, table_ids in per_table for fid in table_ids]
        unit = "个" if rule == "format.blank_total" else "格"
        counts = "、".join(f"表{table} {len(table_ids)} {unit}" for table, table_ids in per_table)
        where = _where(result.coverage.blank[ids[0]])
        if len(per_table) > 1:
            out.append(RULES[rule].finding(field=FORM.by_id[ids[0]], fields=tuple(ids), wording="tables", counts=counts,
                                           examples=_examples(ids), where=where))
        else:
            out.append(RULES[rule].finding(field=FORM.by_id[ids[0]], fields=tuple(ids), table=per_table[0][0],
                                           count=len(ids), examples=_examples(ids), where=where))
    return out


def skipped_fields(result: ParseResult, extent: Extent | None = None) -> set[str]:
    """Fields the validator must not report as blank: not part of a published report, outside the part of one
    the file holds, or already reported."""
    skip = set(UNPUBLISHED_COVER)
    if extent is not None:
        skip.update(extent.outside)
    skip.update(fid for fid in TABLE_FIELDS if fid in result.coverage.missing)
    skip.update(fid for fid in FEE_FIELDS if fid in result.coverage.missing)
    skip.update(fid for fid in ("cover_agency_name", "cover_year") if fid in result.coverage.missing)
    skip.update(fid for fid in N1_PARTS if fid in result.covered)  # section 一 not in its parts: format.structure
    return skip


#: Why a number on a page of recognised (OCR) text is not read.
OCR_NOTE = "该页是扫描件，文字是 OCR 识别出的，数字可能认错，未读取"


def withhold_ocr_numbers(result: ParseResult, ocr_pages: list[int], *, every_page: bool) -> None:
    """Take back the numbers read from pages whose text is a scan's recognised (OCR) layer.

    OCR misreads digits (“5” as “1”) and reads table rulings as “1” and “|”: a number in that text is not known
    to be the number printed, so none is placed.  Each such cell is unread with :data:`OCR_NOTE` and covered by
    the one input.ocr_text finding (not reported cell by cell); where ``every_page`` is OCR text, every table
    cell is.  Narrative text and the title stay read.
    """
    result.coverage.ocr_pages = list(ocr_pages)
    if not ocr_pages:
        return
    cov, pages = result.coverage, set(ocr_pages)
    numbers = (*TABLE_FIELDS, *FEE_FIELDS)
    withheld = [fid for fid in numbers if (result.sources.get(fid) or {}).get("page") in pages
                or (fid in cov.blank and cov.blank[fid].get("page") in pages)
                or (every_page and fid in TABLE_FIELDS)]
    for fid in withheld:
        result.report.values[fid] = None
        result.sources.pop(fid, None)
        cov.blank.pop(fid, None)
        cov.placeholders.pop(fid, None)
        cov.conflicts.pop(fid, None)
        cov.missing[fid] = OCR_NOTE
    gone = set(withheld)
    cov.read = [fid for fid in cov.read if fid not in gone]
    cov.missing = dict(sorted(cov.missing.items(), key=lambda item: _FIELD_ORDER.get(item[0], -1)))
    result.covered.update(fid for fid in withheld if fid in TABLE_FIELDS)


def note_pictures(result: ParseResult, pages: list[int]) -> None:
    """Say, for each table not found in a PDF with pages carrying large pictures, that it may be printed as one."""
    result.coverage.picture_pages = list(pages)
    if pages:
        _why_tables_not_found(result, f"（PDF {page_span(pages)}有大幅图片，该表可能是以图片印出的，图片中的数字无法读取）")


def _why_tables_not_found(result: ParseResult, why: str) -> None:
    """``why`` added to the reason of each cell of a table the file was not found to have."""
    for fid, note in result.coverage.missing.items():
        table = FORM.by_id[fid].section
        if fid in TABLE_FIELDS and table not in result.coverage.tables_found and note == f"未找到表{table}":
            result.coverage.missing[fid] = note + why


#: A link to a document a report may be published as (Word, WPS, PDF, OFD, OpenDocument, RTF, a spreadsheet or
#: an archive of them), with the text the page shows for it.
_ATTACHMENT_LINK = re.compile(
    r"<a\b[^>]{0,2000}?\bhref\s*=\s*[\"']?([^\"'\s>]{1,1000}?\.(?:docx?|wps|pdf|ofd|odt|rtf|xlsx?|et|zip|rar))"
    r"(?:[?#][^\"'\s>]{0,500})?[\"']?[^>]{0,2000}>(.{0,600}?)</a\s*>", re.IGNORECASE | re.DOTALL)
#: At most this many attachments are named.
MAX_ATTACHMENTS = 20


def html_attachments(markup: str) -> list[str]:
    """The documents a web page links to as attachments, each as the page names it (the link's text, else the
    file's name), without repeats, in page order."""
    names: list[str] = []
    for m in _ATTACHMENT_LINK.finditer(markup):
        shown = _clean(html.unescape(re.sub(r"<[^>]*>", "", m.group(2))))
        shown = shown or html.unescape(m.group(1)).rsplit("/", 1)[-1]
        if shown and shown not in names:
            names.append(shown)
            if len(names) >= MAX_ATTACHMENTS:
                break
    return names


def attachment_span(names: list[str]) -> str:
    """“附件“a.doc””, “附件“a.doc”“b.pdf””."""
    return "附件" + "".join(f"“{n}”" for n in names)


def note_attachments(result: ParseResult, names: list[str]) -> None:
    """Say, for each table not found in a web page that links to attached documents, that it may be in one."""
    result.coverage.attachments = list(names)
    if names:
        _why_tables_not_found(result, f"（网页附有{attachment_span(names)}，该表可能在附件中）")


def page_span(pages: list[int]) -> str:
    """“第 3 页”, “第 1–5 页”, “第 1、3、4 页”."""
    if len(pages) == 1:
        return f"第 {pages[0]} 页"
    if pages == list(range(pages[0], pages[-1] + 1)):
        return f"第 {pages[0]}–{pages[-1]} 页"
    return f"第 {'、'.join(str(p) for p in pages)} 页"


def _absent_text(result: ParseResult, extent: Extent | None) -> list[str]:
    """The narrative fields the file does not show (outside a partial file's extent and format findings aside)."""
    outside = extent.outside if extent else frozenset()
    return [fid for fids in _TEXT_FIELDS.values() for fid in fids
            if fid not in FEE_FIELDS and fid not in outside and fid not in result.covered and not _has_text(result.report.values, (fid,))]


def ocr_finding(result: ParseResult, extent: Extent | None) -> Finding | None:
    """input.ocr_text for a PDF whose text is a scan's recognised layer: which pages, the table cells not read
    for it, and the narrative parts not found in it (not reported “未填写” one by one: OCR may have missed their
    headings)."""
    pages = result.coverage.ocr_pages
    if not pages:
        return None
    withheld = result.coverage.withheld()
    absent = [FORM.by_id[fid].row_label for fid in _absent_text(result, extent)]
    span = page_span(pages)
    missed = f"；识别文字中未找到{''.join(f'“{a}”' for a in absent)}，未逐个报“未填写”" if absent else ""
    if not withheld:
        return RULES["input.ocr_text"].finding(wording="text", pages=span, absent=missed)
    tables = "、".join(f"表{t}" for t in ("二", "三", "四") if any(FORM.by_id[f].section == t for f in withheld))
    return RULES["input.ocr_text"].finding(field=FORM.by_id[withheld[0]], fields=tuple(withheld), pages=span,
                                           tables=tables, count=len(withheld), absent=missed)


def validate_parsed(result: ParseResult, *, prior: Report | None = None) -> list[Finding]:
    # a scan's recognised text may miss the headings a part of a report is told by: it is not taken for a part
    extent = None if result.coverage.ocr_pages else partial_extent(result)
    found = [extent.finding] if extent else []
    skip = skipped_fields(result, extent)
    ocr = ocr_finding(result, extent)
    if ocr is not None:
        found.append(ocr)
        skip.update(_absent_text(result, extent))
    findings = found + format_findings(result) + missing_findings(result, extent) + validate_report(
        result.report, prior=prior, already_reported=skip)
    findings += prose_findings(result, findings)
    # the precision of an amount is the template's rule for the clerk (万元 to 4 places); a published report that
    # prints 5949.088667 万元 gives the amount to the fen, which is no fault of the published report
    findings = [f for f in findings if f.rule not in NOT_FOR_PUBLISHED]
    return period_findings(result, findings)


def prose_findings(result: ParseResult, findings: Sequence[Finding]) -> list[Finding]:
    """The sentences printed beside tables 三 and 四, read back against them (``check_table_prose``); a quantity a
    part of 一 already contradicts is not reported twice."""
    if not result.table_prose:
        return []
    reported = {tuple(f.fields[1:]) for f in findings
                if f.rule in ("narrative.applications", "narrative.outcomes", "narrative.contradiction")}
    return check_table_prose(result.report, result.table_prose, reported)


#: Rules of the filled-in template that say nothing about a published report.
NOT_FOR_PUBLISHED = frozenset({"input.precision"})


#: What a report in the 2019 trial format shows differently, by the finding that found it.
_PERIOD_UNREAD = {"format.version": "表二（栏目不同）", "format.rows": "表三“（六）其他处理”的 3 个细项（当时只有一行）"}


def period_findings(result: ParseResult, findings: list[Finding]) -> list[Finding]:
    """A report on 2019 or 2020 follows the 2019 trial format then in force: one format.period finding says what
    was not checked, instead of format.version, format.rows and cover.year reporting the format of its time."""
    year = result.report.values.get("cover_year")
    if not isinstance(year, int) or not 2019 <= year < YEAR_MIN:
        return findings
    period = {"format.version", "format.rows", "cover.year"}

    def of_its_time(f: Finding) -> bool:
        # a row of 二 not printed is no format of the time: the trial format has every row the 2021 one has
        return f.rule in period and not (f.rule == "format.rows" and f.field is not None
                                         and FORM.by_id[f.field].section == "二")

    seen = [f.rule for f in findings if f.rule in _PERIOD_UNREAD and of_its_time(f)]
    unread = "、".join(_PERIOD_UNREAD[r] for r in _PERIOD_UNREAD if r in seen) or "与 2021 年格式不同的栏目"
    first = next((e for e in result.format_findings if e["rule"] in _PERIOD_UNREAD), {})
    found = RULES["format.period"].finding(field=FORM.by_id["cover_year"], year=year, unread=unread,
                                           where=_where(first.get("source")))
    return [found, *(f for f in findings if not of_its_time(f))]


__all__ = [
    "Coverage", "Line", "ParseError", "ParseResult", "find_sections",
    "html_lines", "parse_docx", "parse_html", "parse_lines", "parse_text", "text_lines", "validate_parsed",
]
