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
import itertools
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
from xl_disclosure.form.cells import column_index, column_letter
from xl_disclosure.form.checksheet import SHEET_ORDER, SHEET_RESULTS, sheet_renames
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
    read_file_source,
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
#: Cell elements of one sheet that the patterns could not vouch for and that must be parsed element by
#: element: a filled template has a few thousand, a file LibreOffice saved with styled empty cells tens of
#: thousands; beyond this the parse alone would take seconds, so the sheet is refused first.
MAX_EXACT_CELLS = 200_000

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
        self._number_formats: dict[str, Mapping[str, str]] = {}
        self._exact: dict[str, _SheetScan] = {}  # sheets the patterns could not vouch for, parsed exactly once
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
            rows = self._rows[sheet] = calamine_rows(self._book, self._actual.get(sheet, sheet), sheet, self.display,
                                                     "Excel 或 WPS")
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

    def number_formats(self, sheet: str) -> Mapping[str, str] | None:
        """The number format of every cell of ``sheet`` whose format is not General, text or ``0``."""
        found = self._number_formats.get(sheet)
        if found is None:
            codes = _cell_formats(self._members.get("xl/styles.xml", b""))
            part = self._parts().get(sheet)
            unusual = {str(i).encode(): code for i, code in enumerate(codes) if code not in _USUAL_FORMATS}
            found = {}
            if part is not None and unusual:
                data = self._member(part)
                scan = self._exact.get(sheet)
                styles = scan.styles if scan is not None \
                    else {cell.decode("ascii"): index for cell, index in _CELL_STYLE.findall(data)}
                found = {cell: unusual[index] for cell, index in styles.items() if index in unusual}
            self._number_formats[sheet] = found
        return found

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
            data = self._member(part)
            formulas = _fast_formulas(data)
            if formulas is None:
                scan = self._exact[sheet] = _exact_scan(data, part, self.display, sheet)
                formulas = scan.formulas
            self._formulas[sheet] = formulas
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
            check_sheet_states(self._member("xl/workbook.xml"), self._renames, self.display)
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
            check_shared_strings(part, info.filename, display)
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


def calamine_rows(book: Any, name: str, sheet: str, display: str, programs: str) -> list[list[Any]]:
    """The cells of sheet ``name`` (template sheet ``sheet``) as calamine lays them out; a failure is a ReadError
    that tells the clerk to re-save the file with ``programs``."""
    try:
        rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except BaseException as exc:  # CalamineError, XmlError, conversion errors, Rust panics
        if not _calamine_failed(exc):
            raise
        raise ReadError(f"{display}：工作表“{sheet}”无法读取（{_short(exc)}）。"
                        f"请用 {programs} 打开后另存为 .xlsx 再提交。") from exc
    return rows


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


_COMMENT = re.compile(rb"<!--.*?-->", re.S)


def _sheet_states(workbook: bytes) -> tuple[frozenset[str], tuple[str, ...]]:
    """The hidden sheets (hidden or veryHidden) of a workbook directory, and any name it lists twice.

    Excel compares sheet names without regard to case and never lets two sheets share one; a
    sheet tag in an XML comment is none of Excel's (what such a tag does to other readers is
    met by refusing any other part that holds cells, see FileSource._calamine_package).
    """
    if b"<!--" in workbook:
        workbook = _COMMENT.sub(b"", workbook)
    hidden = set()
    seen: dict[str, str] = {}
    twice = []
    for raw in _SHEET_TAG.findall(workbook):
        sheet = _attrs(raw)
        name = sheet.get("name")
        if name is None:
            continue
        if sheet.get("state", "visible") != "visible":
            hidden.add(name)
        key = name.casefold()
        if key in seen:
            twice.append(name)
        seen[key] = name
    return frozenset(hidden), tuple(twice)


_remembered_sheet_states = functools.lru_cache(maxsize=32)(_sheet_states)


def check_sheet_states(workbook: bytes, renames: Mapping[str, str], display: str) -> None:
    """Refuse a workbook where what Excel shows is not what is read: two sheets of one name, or a
    sheet of the template hidden while a sheet the template does not have is shown (a look-alike
    in its place).  ``renames`` maps names in the workbook to template names."""
    states = _remembered_sheet_states if len(workbook) <= _MAX_REMEMBERED_DIRECTORY else _sheet_states
    hidden, twice = states(workbook)
    if twice:
        raise ReadError(f"{display}：工作簿目录中有两张同名的工作表“{twice[0]}”，Excel 不允许这样，"
                        f"两个程序可能读到不同的表；文件已被改动过，拒绝读取。请使用下发的模板重新填报。")
    if not hidden:
        return
    names = _sheet_names(_COMMENT.sub(b"", workbook) if b"<!--" in workbook else workbook)
    shown_extra = [n for n in names if n not in hidden and renames.get(n, n) not in SHEET_ORDER
                   and n != SHEET_RESULTS]
    ours_hidden = [n for n in names if n in hidden and renames.get(n, n) in SHEET_ORDER
                   and renames.get(n, n) != SHEET_META]
    if ours_hidden and shown_extra:
        raise ReadError(f"{display}：模板的工作表“{ours_hidden[0]}”被隐藏了，显示出来的却是模板没有的工作表"
                        f"“{shown_extra[0]}”：Excel 里看到的不是要读取的内容，拒绝读取。请使用下发的模板重新填报，"
                        f"不要隐藏、复制或改名工作表。")


def _sheet_names(workbook: bytes) -> list[str]:
    return [n for n in (_attrs(raw).get("name") for raw in _SHEET_TAG.findall(workbook)) if n is not None]


#: Every copy of a template has the same workbook directory; remembered only while small
#: (a template's is ~20 KB), so hostile files cannot fill memory with remembered keys.
_MAX_REMEMBERED_DIRECTORY = 64 * 1024
_remembered_sheet_map = functools.lru_cache(maxsize=32)(_sheet_map)


@dataclasses.dataclass
class _SheetScan:
    formulas: dict[str, str]
    rows: int  # 1-based index of the last row holding a cell with content
    cols: int
    styles: dict[str, bytes] = dataclasses.field(default_factory=dict)  # cell → style index (cellXfs), where set


_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
#: Any cell element, with or without a namespace prefix (not <col>, <cols>, <cfRule> …).
_ANY_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")


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


# What Excel shows is what the cell XML holds in the main namespace, in the schema's order.  Anything
# else inside <sheetData> (a cell in a foreign or ignorable namespace, mc:AlternateContent, a second
# <f>, an <extLst>, a comment a pattern would read through, an inline string beside a <v>) is read
# differently by different programs: calamine reads a foreign <y:c> as a cell that Excel skips.
# The grammar below vouches for the plain layout every spreadsheet writes; anything it does not
# match is parsed exactly (_exact_scan), which refuses what is not plainly the schema's.
_G_ATTRS = rb'(?:\s++[\w:.-]++\s*+=\s*+"[^"<>]*+")*+\s*+'  # double-quoted, without < or > (else: exact parse)
_G_T = rb"<t" + _G_ATTRS + rb"(?:/>|>[^<]*+</t>)"
_G_RPR = rb"<rPr>(?:\s*+<[a-zA-Z]++" + _G_ATTRS + rb"/>)*+\s*+</rPr>"
_G_RUN = rb"<r>\s*+(?:" + _G_RPR + rb"\s*+)?+" + _G_T + rb"\s*+</r>"
_G_RPH = rb"<rPh" + _G_ATTRS + rb">\s*+" + _G_T + rb"\s*+</rPh>"
_G_STRING = (rb"(?:" + _G_T + rb"|(?:\s*+" + _G_RUN + rb")++)?+(?:\s*+" + _G_RPH + rb")*+"
             rb"(?:\s*+<phoneticPr" + _G_ATTRS + rb"/>)?+")
_G_F = rb"<f" + _G_ATTRS + rb"(?:/>|>[^<]*+</f>)"
_G_CELL = (rb'<c(?![^>]*\st="inlineStr")' + _G_ATTRS + rb"(?:/>|>\s*+(?:" + _G_F + rb"\s*+)?+(?:<v>[^<]*+</v>\s*+)?+</c>)"
           rb'|<c(?=[^>]*\st="inlineStr")' + _G_ATTRS + rb"(?:/>|>\s*+(?:" + _G_F + rb"\s*+)?+(?:<is>\s*+" + _G_STRING
           + rb"\s*+</is>\s*+)?+</c>)")
_G_ROW = rb"<row" + _G_ATTRS + rb"(?:/>|>\s*+(?:(?:" + _G_CELL + rb")\s*+)*+</row>)"
_PLAIN_SHEET_DATA = re.compile(rb"<sheetData" + _G_ATTRS + rb"(?:/>|>\s*+(?:" + _G_ROW + rb"\s*+)*+</sheetData>)")
_PLAIN_SHARED_STRINGS = re.compile(rb"\s*+(?:<\?xml[^?>]*+\?>)?+\s*+<sst" + _G_ATTRS
                                   + rb"(?:/>|>\s*+(?:<si>\s*+" + _G_STRING + rb"\s*+</si>\s*+)*+</sst>)\s*+")
#: A cell with a second address attribute (a pattern takes the first, calamine the last).
_TWO_ADDRESSES = re.compile(rb'<c r="[^"]*"[^>]*?\sr=')

_MAIN = _NS[1:-1]
#: Where each element may stand in cell data: parent → children in the schema's order (each at most
#: once unless repeatable).  Rich-text run properties (rPr) hold only empty elements.
_CHILDREN: dict[str, tuple[tuple[str, bool], ...]] = {
    "sst": (("si", True),),
    "sheetData": (("row", True),),
    "row": (("c", True),),
    "c": (("f", False), ("v", False), ("is", False)),
    "is": (("t", False), ("r", True), ("rPh", True), ("phoneticPr", False)),
    "si": (("t", False), ("r", True), ("rPh", True), ("phoneticPr", False)),
    "r": (("rPr", False), ("t", False)),
    "rPh": (("t", False),),
    "rPr": tuple((name, False) for name in ("rFont", "charset", "family", "b", "i", "strike", "outline", "shadow",
                                              "condense", "extend", "color", "sz", "u", "vertAlign", "scheme")),
}
#: Elements a reader may take for cell data wherever they stand: outside the one main-namespace
#: <sheetData> under the root, refused in any namespace.  (Not <f>: Excel itself writes <xm:f>
#: for the formulas of data validation and conditional formats in extensions.)
_CELL_NAMES = frozenset({"sheetData", "row", "c"})


class _Open:
    """An element open in cell data: which of its children have been seen, and in what order."""

    __slots__ = ("at", "name", "seen")

    def __init__(self, name: str) -> None:
        self.name = name
        self.at = 0  # index, in the parent's child order, of the last child seen
        self.seen: set[str] = set()


#: parent → child → (its place in the parent's order, whether it may repeat)
_PLACES = {parent: {name: (i, repeatable) for i, (name, repeatable) in enumerate(order)}
           for parent, order in _CHILDREN.items()}
#: Elements whose open state needs no copy of its own: leaves (any child is refused before anything
#: is noted) and those whose only children repeat (a row's cells, the rows of <sheetData>).
_SHARED_OPEN = {name: _Open(name) for name in
                {"row", "sheetData", "f", "v", "t", "phoneticPr", *(n for n, _ in _CHILDREN["rPr"])}}
_ROW_TAG, _CELL_TAG = f"{_NS}row", f"{_NS}c"
_MAIN_TAGS = {f"{_NS}{name}": (_MAIN, name) for order in _CHILDREN.values() for name, _ in order}


def _split_tag(tag: str) -> tuple[str, str]:
    if tag[:1] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _strict_child(parent: _Open, ns: str, local: str, where: str) -> _Open:
    """The element ``local`` opened inside ``parent``, or a ReadError when the schema has no place for it there."""
    if ns != _MAIN:
        raise ReadError(f"{where}含有不属于 Excel 工作表格式的元素（{local}，命名空间 {ns or '无'}），"
                        f"Excel 不显示它们，别的程序却可能把它们读成单元格；可能是恶意构造的文件，拒绝读取。"
                        f"请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
    place = _PLACES.get(parent.name, {}).get(local)  # a leaf (<v>, <t>, <b/> …) has no children
    if place is None:
        raise ReadError(f"{where}的单元格数据中有不该出现的元素 <{local}>（在 <{parent.name}> 里），"
                        f"不同程序对它的理解不同，拒绝读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
    if parent.name == "rPr":
        return _SHARED_OPEN[local]  # run properties: a choice, in any order
    i, repeatable = place
    if parent.name in ("is", "si") and {local, *parent.seen} >= {"t", "r"}:
        raise ReadError(f"{where}的一段文字同时有 <t> 和 <r>（普通文字和格式文字），有的程序只显示其中之一，"
                        f"有的把两者连起来，拒绝读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
    if i < parent.at or (local in parent.seen and not repeatable):
        twice = f"两个 <{local}>" if local in parent.seen else f"顺序不对的 <{local}>"
        raise ReadError(f"{where}的 <{parent.name}> 中有{twice}，Excel 只认其中之一，别的程序可能读另一个，"
                        f"拒绝读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
    parent.at = i
    parent.seen.add(local)
    return _SHARED_OPEN.get(local) or _Open(local)


def check_shared_strings(data: bytes, name: str, display: str) -> None:
    """Refuse a shared-string table whose entries are not plainly the schema's (what Excel counts as entry N).

    calamine numbers every ``<si>`` it meets, in any namespace and inside an ``<extLst>``; Excel
    only those of the main namespace at the top: a cell pointing at entry 0 would show one agency
    in Excel and another here.  The plain layout is vouched for by a pattern, the rest parsed.
    """
    if _plain_part(data, b"<sst", _PLAIN_SHARED_STRINGS):
        return
    where = f"{display}：工作簿内部部件 {name} "
    stack: list[_Open] = []
    try:
        for event, elem in SafeET.iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            ns, local = _split_tag(elem.tag)
            if event == "end":
                stack.pop()
                if len(stack) == 1:
                    elem.clear()
                continue
            if not stack:
                if (ns, local) != (_MAIN, "sst"):
                    raise ReadError(f"{where}不是 Excel 的共享字符串表，拒绝读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
                stack.append(_Open("sst"))
            else:
                stack.append(_strict_child(stack[-1], ns, local, where))
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"{where}无法解析（{_short(exc)}），文件已损坏。") from exc


_MAIN_DEFAULT = b'xmlns="' + _MAIN.encode() + b'"'


def _plain_part(data: bytes, root: bytes, grammar: re.Pattern[bytes]) -> bool:
    """Whether a part is the plain layout ``grammar`` vouches for: its root declares the main namespace
    as the default one, and nothing after the root's tag declares any namespace."""
    start = data.find(root)
    end = data.find(b">", start)
    return start >= 0 and _MAIN_DEFAULT in data[start:end] and data.find(b"xmlns", end) < 0 \
        and grammar.fullmatch(data) is not None


#: A cell's address and style index (in a sheet the patterns vouch for: the address first, no '>' in attributes).
_CELL_STYLE = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*?\ss="([0-9]{1,6})"')
#: Number formats that show a cell's content as it is, whatever it holds.
_USUAL_FORMATS = frozenset({"General", "@", "0"})
#: Excel's built-in number formats that are not dates (a date is read as a date, and said so).
_BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
                    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
                    39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 48: "##0.0E+0", 49: "@"}


@functools.lru_cache(maxsize=32)  # every copy of a template has the same styles
def _cell_formats(styles: bytes) -> tuple[str, ...]:
    """The number format of every cell style (cellXfs, by index), as Excel applies it.

    A built-in format Excel shows by locale (currency, dates) is named by its number; a custom one by
    its code.  A part that cannot be parsed gives no styles (calamine says what is wrong with it).
    """
    if not styles:
        return ()
    try:
        root = SafeET.fromstring(styles, forbid_dtd=True)
    except Exception:
        return ()
    custom = {}
    for fmt in root.iter(f"{_NS}numFmt"):
        if fmt.get("numFmtId", "").isdigit():
            custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
    xfs = root.find(f"{_NS}cellXfs")
    out = []
    for xf in xfs.findall(f"{_NS}xf") if xfs is not None else ():
        raw = xf.get("numFmtId", "0")
        index = int(raw) if raw.isdigit() else 0
        out.append(custom.get(index) or _BUILTIN_FORMATS.get(index) or f"[内置格式 {index}]")
    return tuple(out)


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
    # Only the schema's plain layout, in the main namespace, with no shared formula to resolve.
    root = data.find(b"<worksheet")
    if root < 0 or _MAIN_DEFAULT not in data[root:data.find(b">", root)] or b"xmlns" in cells \
            or b'"shared"' in cells or _TWO_ADDRESSES.search(cells) \
            or _PLAIN_SHEET_DATA.fullmatch(data, first - 1, last + 10) is None:
        return None
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
    skips empty styled cells).  The cell data must be plainly the schema's (see
    :func:`_strict_child`): one ``<sheetData>`` under the root, nothing in another
    namespace, every element where the schema puts it, at most once where it allows
    one.  A shared formula's dependants get their master's formula, moved as Excel
    moves it, so they are compared with the template's like any other.
    """
    cells = sum(1 for _ in itertools.islice(_ANY_CELL.finditer(data), MAX_EXACT_CELLS + 1))
    if cells > MAX_EXACT_CELLS:
        raise ReadError(f"{display}：工作表“{sheet}”有超过 {MAX_EXACT_CELLS:,} 个未按常规写法保存的单元格（例如没有写明地址），"
                        f"正常的填报表远少于此，可能是损坏或恶意构造的文件，拒绝读取。"
                        f"请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
    formulas: dict[str, str] = {}
    styles: dict[str, bytes] = {}
    masters: dict[str, tuple[str, str]] = {}  # shared-formula index → (master cell, formula)
    dependants: list[tuple[str, str]] = []  # (cell, shared-formula index)
    max_row = max_col = 0
    row = 0
    col = 0
    corrupt = f"{display}：工作表“{sheet}”的内部部件 {part} 已损坏"
    where = f"{display}：工作表“{sheet}”（内部部件 {part}）"
    depth = 0
    stack: list[_Open] = []  # open elements of the cell data, <sheetData> first
    sheet_data = 0
    try:
        for event, elem in SafeET.iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            tag = elem.tag
            if event == "start":
                depth += 1
                if stack:
                    parent = stack[-1]
                    if tag == _CELL_TAG and parent.name == "row":  # the common cases, without a call
                        stack.append(_Open("c"))
                    elif tag == _ROW_TAG and parent.name == "sheetData":
                        stack.append(_SHARED_OPEN["row"])
                    else:
                        ns, local = _MAIN_TAGS.get(tag) or _split_tag(tag)
                        stack.append(_strict_child(parent, ns, local, where))
                    if tag == _ROW_TAG:
                        r = elem.get("r")
                        row = _index(r, 1_048_576, corrupt) if r is not None else row + 1
                        col = 0
                    continue
                ns, local = _split_tag(tag)
                if local in _CELL_NAMES:
                    if ns != _MAIN or local != "sheetData" or depth != 2 or sheet_data:
                        raise ReadError(f"{where}的单元格数据不在 Excel 读取的位置（<{local}>，命名空间 {ns or '无'}），"
                                        f"Excel 不显示它们，别的程序却可能读到；可能是恶意构造的文件，拒绝读取。"
                                        f"请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
                    sheet_data += 1
                    stack.append(_Open("sheetData"))
                if tag == f"{_NS}row":
                    r = elem.get("r")
                    row = _index(r, 1_048_576, corrupt) if r is not None else row + 1
                    col = 0
                continue
            depth -= 1
            opened = stack.pop() if stack else None
            if tag == _CELL_TAG and opened is not None:
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
                seen = opened.seen  # the cell's children
                inline = elem.get("t") == "inlineStr"  # an inline string holds <is>, and no saved value besides
                if inline and "v" in seen or not inline and "is" in seen:
                    raise ReadError(f"{where}的单元格 {ref or _a1(row, col)} 的类型与内容不符（内嵌文字和保存值），"
                                    f"不同程序显示的内容不同，拒绝读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
                if len(elem):
                    max_row = max(max_row, row)
                    max_col = max(max_col, col)
                style = elem.get("s")
                if style is not None:
                    styles[ref or _a1(row, col)] = style.encode("ascii", "replace")
                f = elem.find(f"{_NS}f") if "f" in seen else None
                if f is not None:
                    at = ref or _a1(row, col)
                    text = f.text or ""
                    if f.get("t") == "shared":
                        index = f.get("si", "")
                        if text.strip():
                            if index in masters:
                                raise ReadError(f"{where}有两个编号相同（{index[:20]}）的共享公式，拒绝读取。"
                                                f"请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
                            masters[index] = (at, text)
                        else:
                            dependants.append((at, index))
                    formulas[at] = text if text else _SHARED
                elem.clear()
            elif tag == _ROW_TAG:
                elem.clear()
    except ReadError:
        raise
    except Exception as exc:  # ParseError, DTDForbidden, EntitiesForbidden…
        raise ReadError(f"{corrupt}或含有不安全内容（{_short(exc)}），请重新保存后提交。") from exc
    for at, index in dependants:
        master = masters.get(index)
        if master is None:
            raise ReadError(f"{where}的单元格 {at} 使用的共享公式（编号 {index[:20]}）找不到主公式，文件已损坏，"
                            f"请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。")
        formulas[at] = shift_formula(master[1], master[0], at)
    if max_row * max_col > MAX_SHEET_CELLS:
        raise ReadError(f"{display}：工作表“{sheet}”的内容范围过大（延伸到第 {max_row} 行、第 {max_col} 列），"
                        f"正常的填报表远小于此。请删除模板区域以外的内容后重新提交。")
    return _SheetScan(formulas, max_row, max_col, styles)


#: A string literal, a quoted sheet name, or an A1 reference (not part of a name or a function).
_REFERENCE = re.compile(r"\"[^\"]*\"|'[^']*'|(?<![A-Za-z0-9_.$])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(])")


def shift_formula(formula: str, origin: str, to: str) -> str:
    """A shared formula as it applies at cell ``to``: its relative references moved by ``to`` − ``origin``.

    Excel stores a shared formula once, at its master cell, and computes every dependant
    with its relative references (those without ``$``) moved by the dependant's offset.
    A reference moved off the sheet is ``#REF!``, as in Excel.
    """
    m1, m2 = _CELL_REF.fullmatch(origin), _CELL_REF.fullmatch(to)
    assert m1 is not None and m2 is not None
    drow = int(m2.group(2)) - int(m1.group(2))
    dcol = column_index(m2.group(1)) - column_index(m1.group(1))

    def move(m: re.Match[str]) -> str:
        if m.group(2) is None:
            return m.group(0)
        c = column_index(m.group(2)) + (0 if m.group(1) else dcol)
        r = int(m.group(4)) + (0 if m.group(3) else drow)
        if not (1 <= c <= 16_384 and 1 <= r <= 1_048_576):
            return "#REF!"
        return f"{m.group(1)}{column_letter(c)}{m.group(3)}{r}"

    return _REFERENCE.sub(move, formula)


def _a1(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


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
    return read_file_source(FileSource, path, prior=prior, display=display)
