"""What kind of file a clerk sent, told by its content (magic bytes), and what to say when we cannot read it.

:func:`sniff` looks at the first bytes, the zip directory of a zip, or the stream
names of an OLE compound file — never only at the suffix, so an .ods renamed
.xlsx is read as the .ods it is, and a WPS .et renamed .xlsx gets the WPS advice.
:func:`refusal` gives the Chinese message for every spreadsheet format that is not
read: it names the format and says how to save the file as .xlsx.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: Kinds read as a filled template.
XLSX, ODS = "xlsx", "ods"
#: Spreadsheet (and look-alike) kinds that are refused with advice.
ET, ETT, XLS, XLSB, NUMBERS, CSV, WPS_TEXT, DOC, DOCX, ENCRYPTED = (
    "et", "ett", "xls", "xlsb", "numbers", "csv", "wps", "doc", "docx", "encrypted")
OTHER_ZIP, OTHER_CFB, OTHER_ODF, EMPTY, UNKNOWN, FOLDER = (
    "zip", "cfb", "odf", "empty", "unknown", "folder")

#: Suffixes that name a spreadsheet (or a document clerks mistake for one) compile must never skip.
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".ods", ".et", ".ett", ".wps", ".xls", ".xlsb", ".numbers",
                                  ".csv", ".ots", ".xlt", ".xltx", ".xltm"})

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_SNIFF_BYTES = 64 * 1024 * 1024  # every file we read is smaller (readers.workbook.MAX_FILE_BYTES)
_MAX_ZIP_ENTRIES = 10_000


@dataclass(frozen=True)
class Sniffed:
    kind: str
    #: The format's name as a clerk knows it, for messages.
    label: str = ""


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _cfb_kind(data: bytes, suffix: str) -> Sniffed:
    """An OLE compound file, told apart by the stream names in its directory (UTF-16 names)."""
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return Sniffed(ENCRYPTED, "加密的 Excel 工作簿")
    wps = any(m in data for m in (_utf16("WpsCustomData"), _utf16("KSOProductBuildVer"), b"KSOProductBuildVer",
                                  _utf16("ETExtData"), b"WPS Office", _utf16("WPS Office")))
    if _utf16("Workbook") in data or _utf16("Book") in data:
        if suffix == ".ett":
            return Sniffed(ETT, "WPS 表格模板 .ett")
        if suffix == ".et" or wps:
            return Sniffed(ET, "WPS 表格 .et")
        return Sniffed(XLS, "Excel 97-2003 工作簿 .xls")
    if _utf16("WordDocument") in data:
        if suffix == ".wps" or wps:
            return Sniffed(WPS_TEXT, "WPS 文字文档 .wps")
        return Sniffed(DOC, "Word 97-2003 文档 .doc")
    if _utf16("CONTENTS") in data and suffix == ".wps":
        return Sniffed(WPS_TEXT, "Works 文字处理文档 .wps")
    if suffix in (".et", ".ett"):
        return Sniffed(ET if suffix == ".et" else ETT, "WPS 表格 .et" if suffix == ".et" else "WPS 表格模板 .ett")
    return Sniffed(OTHER_CFB, "旧版 Office 复合文档")


def _zip_kind(data: bytes) -> Sniffed:
    try:
        tail = data[-65_557:]
        at = tail.rfind(b"PK\x05\x06")
        if at >= 0 and len(tail) - at >= 22 and struct.unpack("<H", tail[at + 10:at + 12])[0] > _MAX_ZIP_ENTRIES:
            return Sniffed(XLSX, "Excel 工作簿 .xlsx")  # not listed here: the workbook reader refuses it, saying why
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            lower = {n.lower() for n in names}
            if "mimetype" in lower:
                info = zf.getinfo(next(n for n in names if n.lower() == "mimetype"))
                mime = zf.read(info)[:200] if info.file_size <= 200 else b""
                if mime.startswith(_ODS_MIME):  # also the -template variant (.ots)
                    return Sniffed(ODS, "OpenDocument 表格 .ods")
                return Sniffed(OTHER_ODF, "OpenDocument 文档")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, KeyError, RuntimeError):
        return Sniffed(XLSX, "Excel 工作簿 .xlsx")  # a damaged zip: the workbook reader says what is wrong
    if "xl/workbook.bin" in lower:
        return Sniffed(XLSB, "Excel 二进制工作簿 .xlsb")
    if "xl/workbook.xml" in lower or "[content_types].xml" in lower and not any(n.startswith("word/") for n in lower):
        return Sniffed(XLSX, "Excel 工作簿 .xlsx")
    if "word/document.xml" in lower:
        return Sniffed(DOCX, "Word 文档 .docx")
    if any(n.startswith("index/") and n.endswith(".iwa") for n in lower) or "index.zip" in lower:
        return Sniffed(NUMBERS, "Apple Numbers 表格 .numbers")
    return Sniffed(OTHER_ZIP, "压缩包")


def _looks_like_text(head: bytes) -> bool:
    sample = head[:4096]
    if not sample or b"\x00" in sample.lstrip(b"\xff\xfe"):
        return sample.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 text (Excel's "Unicode text")
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start > len(sample) - 4:  # cut in the middle of a character
                return True
    return False


def sniff(path: Path) -> Sniffed:
    """The kind of ``path`` by its content (the suffix only breaks ties the content cannot)."""
    suffix = path.suffix.lower()
    if path.is_dir():
        return Sniffed(NUMBERS, "Apple Numbers 表格 .numbers") if suffix == ".numbers" else Sniffed(FOLDER, "文件夹")
    with open(path, "rb") as fh:
        data = fh.read(_SNIFF_BYTES)
    if not data:
        return Sniffed(EMPTY)
    if data.startswith(_CFB_MAGIC):
        return _cfb_kind(data, suffix)
    if data.startswith(b"PK"):
        return _zip_kind(data)
    if suffix == ".numbers":
        return Sniffed(NUMBERS, "Apple Numbers 表格 .numbers")
    if _looks_like_text(data):
        return Sniffed(CSV, "CSV 纯文本 .csv")
    return Sniffed(UNKNOWN)


_SAVE_AS_XLSX = "点“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”，保存后重新报送"

_ADVICE = {
    ET: f"请在 WPS 中‘另存为’Excel 工作簿（.xlsx）后重新报送：用 WPS 打开它，{_SAVE_AS_XLSX}。",
    ETT: f"请在 WPS 中‘另存为’Excel 工作簿（.xlsx）后重新报送：用 WPS 打开它，{_SAVE_AS_XLSX}。",
    XLS: f"请在 Excel 或 WPS 中打开它，{_SAVE_AS_XLSX}（不要另存为 .xls）。",
    XLSB: f"请在 Excel 中打开它，{_SAVE_AS_XLSX}。",
    NUMBERS: "请在 Numbers 中打开它，点“文件 → 导出为 → Excel…”，保存为 .xlsx 后重新报送。",
    CSV: "CSV 只有文字，没有填报模板的工作表、公式和模板标识，无法作为报告读取。请直接报送填好的 .xlsx 填报模板，不要另存为 CSV。",
    WPS_TEXT: "它不是表格。请用下发的 .xlsx 填报模板填写后报送（纸质或 Word 版报告另行报送）。",
    DOC: "它不是表格。请用下发的 .xlsx 填报模板填写后报送（Word 版报告另行报送）。",
    DOCX: "它不是表格。请用下发的 .xlsx 填报模板填写后报送（Word 版报告另行报送）。",
    OTHER_ODF: "它不是表格。请用下发的 .xlsx 填报模板填写后报送。",
    OTHER_ZIP: "请报送用下发模板填写的 .xlsx 文件，不要压缩打包。",
    OTHER_CFB: "请提交用下发模板填写并保存为 .xlsx 的文件。",
}


def refusal(display: str, path: Path, sniffed: Sniffed) -> str | None:
    """The Chinese message for a file of a kind that is not read (None for a kind that is read or reported elsewhere)."""
    advice = _ADVICE.get(sniffed.kind)
    if advice is None:
        return None
    suffix = path.suffix.lower()
    if sniffed.kind == CSV and suffix not in (".csv", ".txt", ""):
        return (f"{display}：文件扩展名是 {suffix}，内容却是 CSV 纯文本（不是 Excel 工作簿，可能改过扩展名）。{advice}")
    label = ("旧版 " if sniffed.kind == XLS else "") + sniffed.label
    own = sniffed.label.rsplit(" ", 1)[-1] if " ." in sniffed.label else ""
    if own and suffix and suffix != own and not (sniffed.kind in (ET, ETT) and suffix in (".et", ".ett")):
        return f"{display}：文件扩展名是 {suffix}，内容却是{_sp(label)}{label} 格式（可能改过扩展名），本工具无法读取。{advice}"
    return f"{display}：这是{_sp(label)}{label} 格式，本工具无法读取。{advice}"


def _sp(label: str) -> str:
    """A space between Chinese text and a following Latin word, as the messages are typeset."""
    return " " if label[:1].isascii() else ""
