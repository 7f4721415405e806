"""Reading a filled template file (.xlsx/.xlsm): cells → Report + findings.

:class:`FileSource` is the :class:`~xl_disclosure.readers.source.CellSource` over
a file; :func:`~xl_disclosure.readers.source.validate_source` (shared with the .ods
reader and the Excel button) does the rest.

A file is read once and every part inflated once, with the safety checks
(no DTD, true sizes, bounded sheets) done on the raw parts.  Values come from
python-calamine, which is handed an in-memory stored zip of only the checked
parts it needs; formulas, which calamine does not expose, are scanned from the
worksheet parts (patterns where they can vouch, defusedxml where they cannot).
"""

from __future__ import annotations

import dataclasses
import functools
import html
import io
import posixpath
import re
import types
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import ElementTree as SafeET

from xl_disclosure.form import FORM, SHEET_META
from xl_disclosure.form.checksheet import sheet_renames
from xl_disclosure.model.findings import ValidationResult
from xl_disclosure.model.report import Report
from xl_disclosure.readers.source import (
    SHARED_FORMULA,
    CellSource,
    FormulaMap,
    ReadError,
    _expected_by_sheet,
    check_identity,
    check_tampering,
    expected_formulas,
    unrename_formulas,
    validate_source,
)
from xl_disclosure.readers.zipparts import TooLarge, directory_size, read_bounded
from xl_disclosure.readers.zipparts import has_dtd as _has_dtd
from xl_disclosure.readers.zipparts import inflate as _inflate
from xl_disclosure.readers.zipparts import stored_zip as _stored_zip

__all__ = ["CellSource", "FileSource", "ReadError", "check_identity", "check_tampering", "expected_formulas",
           "read_workbook", "unrename_formulas", "validate_source"]

_SHARED = SHARED_FORMULA

#: Upper bounds that keep a hostile file from exhausting memory or time.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: XML parts are far smaller: a filled template's largest sheet is ~120 KB and thirteen
#: full narratives come to ~1.3 MB; this bound keeps the exact-parse fallback under a few seconds.
MAX_XML_BYTES = 8 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 256 * 1024 * 1024
#: (No compression-ratio rule: 32,767-character narratives compress >1000:1 legitimately;
#: the absolute sizes above, enforced by bounded reads, are what bound memory.)
#: Zip entries and central-directory bytes: a real workbook has a few dozen entries.
MAX_MEMBERS = 10_000
MAX_CENTRAL_DIR = 4 * 1024 * 1024
#: Cells of one sheet as calamine lays them out (rows × columns up to the last filled cell):
#: calamine allocates this rectangle densely, so a single cell at XFD1048576 would ask for
#: hundreds of gigabytes and abort the process.  Checked on the XML before calamine sees it.
MAX_SHEET_CELLS = 2_000_000
#: Declared shared-string count (calamine preallocates ``uniqueCount`` entries).
MAX_SHARED_STRINGS = 1_000_000

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


# ---------------------------------------------------------------------------
# Files: calamine values + worksheet-XML formulas
# ---------------------------------------------------------------------------



def meta_items(rows: list[list[Any]]) -> dict[str, str]:
    """The key → value pairs of the _meta identity sheet's rows (column A the key, B the value)."""
    out = {}
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and row[0]:
            v = row[1]
            out[row[0]] = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
    return out


class FileSource:
    """A CellSource over an xlsx/xlsm file."""

    def __init__(self, path: Path, display: str) -> None:
        self.display = display
        self._zip, data = _open_zip(path, display)
        self._rows: dict[str, list[list[Any]]] = {}
        self._sheet_parts: Mapping[str, str] | None = None
        self._renames: dict[str, str] = {}  # name in the file → template name
        self._actual: dict[str, str] = {}  # template name → name in the file
        self._formulas: dict[str, Mapping[str, str]] = {}
        self._error_cells: dict[str, Mapping[str, str]] = {}
        try:
            self._members = _preflight(self._zip, data, display)
            del data
            self._book = _open_calamine(self._calamine_package(), display)
        except BaseException:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()
        self._book.close()

    def sheet_names(self) -> list[str]:
        """The sheet names, a renamed template sheet under its template name (see :meth:`renamed`)."""
        names = list(self._book.sheet_names)
        return [self._renames.get(n, n) for n in names] if self._renames else names

    def renamed(self) -> Mapping[str, str]:
        return self._actual

    def _sheet_rows(self, sheet: str) -> list[list[Any]]:
        rows = self._rows.get(sheet)
        if rows is None:
            part = self._parts().get(sheet)
            if part is None:
                raise ReadError(f"{self.display}：工作表“{sheet}”在工作簿目录中找不到对应的内部部件，文件已损坏。")
            if sheet not in _laid_out():
                raise ValueError(f"sheet {sheet!r} is not one calamine is given")
            try:
                rows = self._book.get_sheet_by_name(self._actual.get(sheet, sheet)).to_python(skip_empty_area=False)
            except BaseException as exc:  # CalamineError, XmlError, conversion errors, Rust panics
                if not _calamine_failed(exc):
                    raise
                raise ReadError(f"{self.display}：工作表“{sheet}”无法读取（{_short(exc)}）。"
                                f"请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。") from exc
            self._rows[sheet] = rows
        return rows

    def meta(self) -> dict[str, str]:
        return meta_items(self._sheet_rows(SHEET_META))

    def value(self, sheet: str, cell: str) -> Any:
        rows = self._rows.get(sheet)
        if rows is None:
            rows = self._sheet_rows(sheet)
        r, c = _rc(cell)
        try:
            v = rows[r][c]
        except IndexError:  # beyond the sheet's last filled row or column
            return None
        if v.__class__ is str and not v:
            return self._errors(sheet).get(cell)  # calamine shows an error value (#DIV/0!) as empty too
        return v

    def _errors(self, sheet: str) -> Mapping[str, str]:
        """The sheet's cells that hold an error value, with the value Excel shows (#DIV/0!, #N/A …)."""
        found = self._error_cells.get(sheet)
        if found is None:
            part = self._parts().get(sheet)
            found = self._error_cells[sheet] = _error_cells(self._member(part)) if part else {}
        return found

    def formulas(self, sheet: str) -> Mapping[str, str] | None:
        return self._formulas.get(sheet)  # read for every sheet that has any, when the file was opened

    def _calamine_package(self) -> bytes:
        """What calamine reads: a stored zip of the parts it needs, each already inflated and checked.

        The worksheets it will lay out are first checked small enough to lay out (and
        their formulas read on the way); it never sees the other parts, and never
        inflates anything a second time.
        """
        parts = self._parts()
        keep = [name for name in self._members if name.lower() in _CALAMINE_PARTS]
        for name in keep:  # calamine lays out any part a sheet points to: only checked ones may hold cells
            if _holds_cells(self._members[name]):
                raise ReadError(f"{self.display}：工作簿内部部件 {name} 含有工作表的单元格数据，正常的 Excel 文件不会这样，"
                                f"可能是恶意构造的文件，拒绝读取。")
        for sheet in _laid_out():
            part = parts.get(sheet)
            if part is None:
                continue  # a missing sheet is reported when its cells are asked for
            self._formulas[sheet] = _sheet_formulas(self._member(part), part, self.display, sheet)
            if part not in keep:
                keep.append(part)
        if self._renames:
            self._formulas = {sheet: unrename_formulas(f, self._renames) for sheet, f in self._formulas.items()}
        return _stored_zip([_for_calamine(name, self._members[name], self._zip.getinfo(name).CRC) for name in keep])

    def _parts(self) -> Mapping[str, str]:
        """Template sheet name → worksheet part (a renamed sheet under its template name)."""
        if self._sheet_parts is None:
            parts = _sheet_parts(self._member, self.display)
            self._renames = sheet_renames(parts)
            if self._renames:
                self._actual = {ours: actual for actual, ours in self._renames.items()}
                parts = {self._renames.get(name, name): part for name, part in parts.items()}
            self._sheet_parts = parts
        return self._sheet_parts

    def _member(self, name: str) -> bytes:
        """A part's bytes, inflated once by the preflight."""
        data = self._members.get(name)
        if data is None:
            raise ReadError(f"{self.display}：工作簿缺少内部部件 {name}，文件已损坏。")
        return data


@functools.lru_cache(maxsize=4096)
def _rc(cell: str) -> tuple[int, int]:
    col = 0
    i = 0
    while i < len(cell) and cell[i].isalpha():
        col = col * 26 + (ord(cell[i].upper()) - 64)
        i += 1
    return int(cell[i:]) - 1, col - 1


def _open_zip(path: Path, display: str) -> tuple[zipfile.ZipFile, bytes]:
    """The checked zip directory, over the file's bytes (read once, at most MAX_FILE_BYTES)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(f"{display}：文件有 {size // 1024 // 1024} MB，远大于正常的填报表，拒绝读取。请确认提交的是填报模板。")
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"{display}：无法打开文件（{exc.strerror or exc}）。") from exc
    if not data:
        raise ReadError(f"{display}：文件是空的（0 字节），请重新保存后再提交。")
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"{display}：文件远大于正常的填报表，拒绝读取。请确认提交的是填报模板。")
    if data.startswith(_CFB_MAGIC):
        raise ReadError(_cfb_message(data, display))
    if not data.startswith(b"PK"):
        raise ReadError(f"{display}：不是 Excel 工作簿（.xlsx）文件，可能是改了扩展名的其他文件。请提交用下发模板填写的 .xlsx 文件。")
    _check_directory(data, display)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ReadError(f"{display}：文件已损坏或不完整（{_short(exc)}），请重新保存后提交。") from exc
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _member_limit(info.filename) or total > MAX_TOTAL_UNCOMPRESSED:
            zf.close()
            raise ReadError(f"{display}：文件内部结构异常（解压后体积过大，疑似压缩炸弹），拒绝读取。")
    return zf, data


def _member_limit(name: str) -> int:
    return MAX_XML_BYTES if name.lower().endswith((".xml", ".rels")) else MAX_MEMBER_BYTES


_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _cfb_message(data: bytes, display: str) -> str:
    """An OLE compound file: an Excel file encrypted with an open password, or a legacy .xls.

    Told apart by the stream names in the compound file's directory (UTF-16 names).
    """
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return (f"{display}：工作簿设置了打开密码（文件已加密），本工具无法读取，也不会尝试破解。"
                f"请在 Excel 中打开，依次点“文件 → 信息 → 保护工作簿 → 用密码进行加密”，清空密码并保存，"
                f"然后重新提交（工作表保护不用取消）。")
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return (f"{display}：是旧版 Excel 97-2003（.xls）格式的文件，无法读取。"
                f"请使用下发的 .xlsx 模板重新填报，不要另存为 .xls。")
    return (f"{display}：是旧版 Office 复合文档（不是 .xlsx 工作簿），无法读取。"
            f"请提交用下发模板填写并保存为 .xlsx 的文件。")


def _check_directory(data: bytes, display: str) -> None:
    """Refuse a zip whose central directory is too big before zipfile builds an object per entry.

    Many tiny (or overlapping) entries cost zipfile ~0.5 KB of memory each; a real
    workbook has a few dozen.
    """
    declared = directory_size(data)
    if declared is None:
        raise ReadError(f"{display}：文件已损坏或不完整（找不到压缩包目录，可能没有传完或被截断），请重新保存后提交。")
    entries, cd_size = declared
    if entries > MAX_MEMBERS or (cd_size > MAX_CENTRAL_DIR and cd_size != 0xFFFFFFFF):
        raise ReadError(f"{display}：文件内部结构异常（包含 {entries} 个内部部件，正常的填报表只有几十个），拒绝读取。")


def _read_member(zf: zipfile.ZipFile, name: str, display: str) -> bytes:
    """A zip member's bytes, inflated in bounded steps (:func:`~xl_disclosure.readers.zipparts.read_bounded`)."""
    try:
        info = zf.getinfo(name)
    except KeyError as exc:
        raise ReadError(f"{display}：工作簿缺少内部部件 {name}，文件已损坏。") from exc
    try:
        return read_bounded(zf, info, _member_limit(name))
    except TooLarge as exc:
        raise ReadError(f"{display}：文件内部结构异常（解压后体积过大，疑似压缩炸弹），拒绝读取。") from exc
    except Exception as exc:  # BadZipFile (CRC), zlib.error, NotImplementedError (method), RuntimeError (encrypted)
        raise ReadError(f"{display}：工作簿内部部件 {name} 已损坏（{_short(exc)}），请重新保存后提交。") from exc


def _preflight(zf: zipfile.ZipFile, data: bytes, display: str) -> dict[str, bytes]:
    """Checks on the raw parts before python-calamine parses anything.

    * No part may carry a DTD: real workbooks never do, and refusing them means no
      entity is ever expanded or resolved by any parser, whatever its defaults.
    * Every member inflates to what its header declares (bounded reads; CRC checked).
    * The shared-string table may not declare more entries than calamine should reserve.

    Returns every member's bytes, so no part is inflated twice.
    """
    members: dict[str, bytes] = {}
    for info in zf.infolist():
        if info.is_dir():
            continue
        part = _inflate(data, info)
        if part is None:  # anything unusual: zipfile reads it, and says precisely what is wrong
            part = _read_member(zf, info.filename, display)
        members[info.filename] = part
        if _has_dtd(part):
            raise ReadError(f"{display}：工作簿内部部件 {info.filename} 含有文档类型定义（DTD/实体声明），"
                            f"正常的 Excel 文件不会有，可能是恶意构造的文件，拒绝读取。")
        if info.filename.lower().endswith("sharedstrings.xml"):
            _check_shared_strings(part, info.filename, display)
    return members


def _check_shared_strings(data: bytes, name: str, display: str) -> None:
    try:
        for _event, elem in SafeET.iterparse(io.BytesIO(data), events=("start",), forbid_dtd=True):
            declared = elem.get("uniqueCount") or "0"
            break
        else:
            return
    except Exception as exc:
        raise ReadError(f"{display}：工作簿内部部件 {name} 无法解析（{_short(exc)}），文件已损坏。") from exc
    try:
        count = int(declared)
    except ValueError:
        return  # calamine ignores a count it cannot parse
    if count > MAX_SHARED_STRINGS:
        raise ReadError(f"{display}：工作簿内部部件 {name} 声明了 {count} 个文字条目，远超正常范围，"
                        f"文件已损坏或为恶意构造，拒绝读取。")


@functools.cache
def _laid_out() -> tuple[str, ...]:
    """The sheets whose cells may be asked for: the form's, those with formulas, the identity sheet."""
    return tuple(dict.fromkeys((*FORM.sheets, *_expected_by_sheet(), SHEET_META)))


#: The other parts calamine reads when it opens a workbook (lower-cased: it matches names so).
_CALAMINE_PARTS = frozenset({"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                             "xl/styles.xml", "xl/sharedstrings.xml"})


def _calamine_failed(exc: BaseException) -> bool:
    """Whether calamine failed on the file: an error, or a Rust panic.

    Panics reach Python as ``pyo3_runtime.PanicException``, a BaseException (not
    importable by name); a broken file must still become a ReadError, while Ctrl-C and
    exits pass through.
    """
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _holds_cells(data: bytes) -> bool:
    """Whether a part has a ``sheetData`` element (in UTF-8 or UTF-16), where calamine looks for cells."""
    return any(marker in data for marker in _SHEET_DATA_MARKERS)


_SHEET_DATA_MARKERS = tuple("sheetData".encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be"))


def _for_calamine(name: str, data: bytes, crc: int) -> tuple[str, bytes, int]:
    """A part as calamine is given it: the workbook without its defined names, the rest as they are.

    A template names every input cell, and calamine would parse all the names on every
    open, for nothing: values are read by cell.  Cut only when the block is plainly one
    unprefixed ``<definedNames>`` element and the part has no comment or CDATA to hide one.
    """
    if name == "xl/workbook.xml" and b"<!" not in data:
        start, end = data.find(b"<definedNames>"), data.find(b"</definedNames>")
        if 0 < start < end and data.count(b"definedNames") == 2:
            data = data[:start] + data[end + len(b"</definedNames>"):]
            return name, data, zlib.crc32(data)
    return name, data, crc


def _open_calamine(package: bytes, display: str) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(package))
    except python_calamine.PasswordError as exc:
        raise ReadError(f"{display}：工作簿设置了打开密码，无法读取。请取消密码后重新提交。") from exc
    except BaseException as exc:  # calamine raises several error types for broken files, or panics
        if not _calamine_failed(exc):
            raise
        raise ReadError(f"{display}：无法读取为 Excel 工作簿（{_short(exc)}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。") from exc


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 120 else text[:120] + "…"


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s([^>]*?)/?>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*?)/?>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def _attrs(raw: bytes) -> dict[str, str]:
    out = {}
    for name, dq, sq in _ATTR.findall(raw):
        key = name.decode("ascii", "replace").rsplit(":", 1)[-1]
        text = (dq or sq).decode("utf-8", "replace")
        out[key] = html.unescape(text) if "&" in text else text
    return out


def _sheet_parts(read: Callable[[str], bytes], display: str) -> Mapping[str, str]:
    """Sheet name → worksheet part, from the workbook and its relationships; ``read`` gives a part's bytes."""
    workbook, rels = read("xl/workbook.xml"), read("xl/_rels/workbook.xml.rels")
    small = len(workbook) + len(rels) <= _MAX_REMEMBERED_DIRECTORY
    out = _remembered_sheet_map(workbook, rels) if small else _sheet_map(workbook, rels)
    if not out:
        raise ReadError(f"{display}：工作簿目录（xl/workbook.xml）中找不到任何工作表，文件已损坏。")
    return out


def _sheet_map(workbook: bytes, rels: bytes) -> Mapping[str, str]:
    """Both parts are small and flat: their ``<sheet>`` and ``<Relationship>`` tags
    are read with regular expressions (the preflight has refused any DTD); a part
    that is not well-formed still fails later, in calamine, with a clear error.
    """
    targets = {}
    for raw in _REL_TAG.findall(rels):
        rel = _attrs(raw)
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    out = {}
    start, end = workbook.find(b"sheets>"), workbook.rfind(b"sheets>")  # <sheets> … </sheets>, prefixed or not
    for raw in _SHEET_TAG.findall(workbook, max(start, 0), end if end > start else len(workbook)):
        sheet = _attrs(raw)
        rid = sheet.get("id")
        if rid in targets and "name" in sheet:
            out[sheet["name"]] = targets[rid]
    return types.MappingProxyType(out)


#: Every copy of a template has the same workbook directory; remembered only while small
#: (a template's is ~20 KB), so hostile files cannot fill memory with remembered keys.
_MAX_REMEMBERED_DIRECTORY = 64 * 1024
_remembered_sheet_map = functools.lru_cache(maxsize=32)(_sheet_map)


@dataclasses.dataclass
class _SheetScan:
    formulas: dict[str, str]
    rows: int  # 1-based index of the last row holding a cell with content
    cols: int


_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


#: A cell tag (not <col>/<cols>) that does not open with its own address, as every writer puts it.
_UNADDRESSED_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z])')
#: A cell tag with a namespace prefix (<x:c>): calamine reads it as a cell, the patterns here do not.
_PREFIXED_CELL = re.compile(rb"<[\w.-]+:c[\s/>]")
#: An address outside A1:Z9999 (or not an address at all) on anything but a row.
#: (Literal first, assertions after: the engine then jumps between occurrences of 'r="'.)
_FAR_ADDRESS = re.compile(rb'r="(?![A-Z][0-9]{1,4}")(?<=\sr=")(?<!<row r=")')
#: The most cells calamine can lay out when every address is within A1:Z9999.
_NEAR_CELLS = 26 * 9999
assert _NEAR_CELLS <= MAX_SHEET_CELLS
#: A formula cell: its address and the formula's raw text (empty for a shared formula's dependants).
#: (Possessive ``*+``: a cell without a formula fails at once instead of backtracking through its attributes.)
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*+(?<!/)>\s*+<f\b[^>]*?(?:/>|>([^<]*)</f>)')


#: A cell holding an error value: its address and the value as shown (after the formula that failed, if any).
_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*?\st="e"[^>]*+>\s*+(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?'
                         rb'\s*+<v>([^<]{1,40})</v>')


def _error_cells(data: bytes) -> Mapping[str, str]:
    """Cells of a worksheet part that hold an error value (calamine reads them as empty)."""
    if b't="e"' not in data:
        return {}
    return {cell.decode("ascii"): html.unescape(text.decode("utf-8", "replace"))
            for cell, text in _ERROR_CELL.findall(data)}


def _sheet_formulas(data: bytes, part: str, display: str, sheet: str) -> Mapping[str, str]:
    """A sheet's formulas by cell, or a ReadError unless calamine can lay the sheet out.

    The common case — every cell opens with its address, as Excel, WPS, LibreOffice,
    openpyxl and XlsxWriter write it, and every address lies within A1:Z9999 — is
    scanned with regular expressions over the bytes of ``<sheetData>`` (the preflight
    has already refused any DTD, so there is no entity to expand); anything else is
    parsed exactly, which also measures how far the sheet's content reaches.
    """
    formulas = _fast_formulas(data)
    return formulas if formulas is not None else _exact_scan(data, part, display, sheet).formulas


def _fast_formulas(data: bytes) -> Mapping[str, str] | None:
    """The formulas, or None when the patterns cannot vouch for this sheet."""
    # Exactly one <sheetData>…</sheetData>, and no other element of that name, prefixed or not.
    first, last = data.find(b"sheetData"), data.rfind(b"sheetData")
    if first < 1 or data[first - 1:first] != b"<" or data[last - 2:last] != b"</" \
            or data.find(b"sheetData", first + 1, last) >= 0:
        return None
    cells = data[first - 1:last - 2]
    # (A one-byte search is a memchr, and about half the sheets have no colon at all.)
    if _UNADDRESSED_CELL.search(cells) or (b":" in cells and b":c" in cells and _PREFIXED_CELL.search(cells)):
        return None  # positions implied by order, or cells the patterns do not see
    if _FAR_ADDRESS.search(cells):
        return None  # content may reach far: let the exact parse measure it
    try:
        pairs = tuple(_FORMULA_CELL.findall(cells))
        if len(cells) > _MAX_REMEMBERED_CELL_BYTES:  # remembered maps hold their keys: keep them small
            return {cell.decode("ascii"): _formula_text(text) for cell, text in pairs}
        return _formula_map(pairs)
    except UnicodeDecodeError:
        return None  # not well-formed: the exact parser says why


@functools.lru_cache(maxsize=32)  # a real batch has a handful of distinct formula sets
def _formula_map(pairs: tuple[tuple[bytes, bytes], ...]) -> FormulaMap:
    return FormulaMap({cell.decode("ascii"): _formula_text(text) for cell, text in pairs})


#: Formula maps are remembered only for sheets whose cell data is at most this big (a template's
#: largest is ~50 KB), and formula texts only up to _MAX_REMEMBERED_FORMULA bytes, so a batch of
#: hostile files cannot fill memory with remembered keys.
_MAX_REMEMBERED_CELL_BYTES = 512 * 1024
_MAX_REMEMBERED_FORMULA = 1024


def _formula_text(raw: bytes) -> str:
    """The formula in an ``<f>`` element's raw text."""
    return _remembered_formula_text(raw) if len(raw) <= _MAX_REMEMBERED_FORMULA else _decode_formula(raw)


def _decode_formula(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8")) if raw else _SHARED


#: Every copy of a template repeats the same formulas.
_remembered_formula_text = functools.lru_cache(maxsize=8192)(_decode_formula)


def _exact_scan(data: bytes, part: str, display: str, sheet: str) -> _SheetScan:
    """Formulas and the extent calamine will lay out, read with defusedxml (no DTD) in one pass.

    Positions follow calamine: a cell without ``r`` follows the previous cell, a row
    without ``r`` follows the previous row.  Only cells with content count (calamine
    skips empty styled cells).
    """
    formulas: dict[str, str] = {}
    max_row = max_col = 0
    row = 0
    col = 0
    corrupt = f"{display}：工作表“{sheet}”的内部部件 {part} 已损坏"
    try:
        for event, elem in SafeET.iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            tag = elem.tag
            if event == "start":
                if tag == f"{_NS}row":
                    r = elem.get("r")
                    row = _index(r, 1_048_576, corrupt) if r is not None else row + 1
                    col = 0
                continue
            if tag == f"{_NS}c":
                ref = elem.get("r")
                if ref is not None:
                    m = _CELL_REF.fullmatch(ref)
                    if m is None:
                        raise ReadError(f"{corrupt}（单元格地址“{ref[:20]}”无效）。")
                    col = _col_index(m.group(1), corrupt)
                    row = _index(m.group(2), 1_048_576, corrupt)
                else:
                    col += 1
                if col > 16_384 or row > 1_048_576:
                    raise ReadError(f"{corrupt}（单元格位置超出 Excel 的范围）。")
                if len(elem):
                    max_row = max(max_row, row)
                    max_col = max(max_col, col)
                f = elem.find(f"{_NS}f")
                if f is not None and ref is not None:
                    formulas[ref] = f.text if f.text else _SHARED
                elem.clear()
            elif tag == f"{_NS}row":
                elem.clear()
    except ReadError:
        raise
    except Exception as exc:  # ParseError, DTDForbidden, EntitiesForbidden…
        raise ReadError(f"{corrupt}或含有不安全内容（{_short(exc)}），请重新保存后提交。") from exc
    if max_row * max_col > MAX_SHEET_CELLS:
        raise ReadError(f"{display}：工作表“{sheet}”的内容范围过大（延伸到第 {max_row} 行、第 {max_col} 列），"
                        f"正常的填报表远小于此。请删除模板区域以外的内容后重新提交。")
    return _SheetScan(formulas, max_row, max_col)


def _index(text: str, limit: int, corrupt: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= limit:
        raise ReadError(f"{corrupt}（行号“{text[:20]}”无效）。")
    return int(text)


def _col_index(letters: str, corrupt: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    if n > 16_384:
        raise ReadError(f"{corrupt}（列号“{letters}”超出 Excel 的范围）。")
    return n


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

def read_workbook(path: str | Path, *, prior: Report | None = None, display: str | None = None) -> ValidationResult:
    """Validate one workbook file; never raises for a bad file (read_error is set instead)."""
    path = Path(path)
    name = display or str(path)
    try:
        source = FileSource(path, name)
    except ReadError as exc:
        return ValidationResult(file=name, read_error=str(exc))
    try:
        return validate_source(source, file=name, prior=prior)
    except ReadError as exc:
        return ValidationResult(file=name, read_error=str(exc))
    finally:
        source.close()
