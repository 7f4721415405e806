"""Old Word files (.doc, Word 97-2003) and RTF files of published reports: converted to .docx by LibreOffice,
then read as Word.

Many government sites attach their annual report as a .doc, and some as .rtf (what Word, WPS and LibreOffice
all save as “RTF 格式”).  Nothing in Python reads those formats well, and LibreOffice does: when ``soffice`` is installed (on ``PATH``, or named by ``XL_DISCLOSURE_SOFFICE``),
the file is copied into a private temporary folder and converted there, headless, with a profile of its own
(no macro runs: LibreOffice does not run a document's macros when converting), within
:data:`CONVERT_SECONDS`.  Without LibreOffice the message says how to go on (install it, or save as .docx).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from xl_disclosure.model.inputs import InputFileError, read_capped
from xl_disclosure.readers.published import ParseError

R = TypeVar("R")

#: The first bytes of an OLE2 compound file, which a .doc is.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The first bytes of an RTF file.
RTF_MAGIC = b"{\\rtf"
#: A published report as .doc is some hundreds of KB; larger files are refused unread.
MAX_DOC_BYTES = 30 * 1024 * 1024
#: Wall-clock seconds LibreOffice may take to convert one file.
CONVERT_SECONDS = 120
_SAVE_AS = "请在 Word/WPS 中另存为 .docx（或 PDF）后再试"


def soffice() -> str | None:
    """LibreOffice's command: ``XL_DISCLOSURE_SOFFICE``, else ``soffice``/``libreoffice`` on PATH."""
    named = os.environ.get("XL_DISCLOSURE_SOFFICE")
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: Path, name: str, read_docx: Callable[[Path], R]) -> R:
    """``read_docx`` applied to the .docx LibreOffice makes of the .doc at ``path``; ParseError (Chinese) if it cannot."""
    try:
        data = read_capped(path, MAX_DOC_BYTES, display=name)
    except InputFileError as exc:
        raise ParseError(str(exc)) from exc
    if not data.startswith(OLE_MAGIC):
        raise ParseError(f"{name}：扩展名是 .doc，但不是 Word 97-2003 文档。{_SAVE_AS}。")
    exe = soffice()
    if exe is None:
        raise ParseError(f"{name}：是旧版 Word（.doc）文件，读取它需要 LibreOffice（soffice）。"
                         f"请安装 LibreOffice，或{_SAVE_AS.removeprefix('请')}。")
    return _read_converted(data, ".doc", name, exe, read_docx)


def read_wps(path: Path, name: str, read_docx: Callable[[Path], R]) -> R:
    """``read_docx`` applied to the .docx LibreOffice makes of the WPS 文字 .wps at ``path`` (Kingsoft's files are
    OLE compound files holding a Word 97-2003 document, which LibreOffice opens by its content); ParseError
    (Chinese) if it cannot."""
    try:
        data = read_capped(path, MAX_DOC_BYTES, display=name)
    except InputFileError as exc:
        raise ParseError(str(exc)) from exc
    if not data.startswith(OLE_MAGIC) or "WordDocument".encode("utf-16-le") not in data:
        raise ParseError(f"{name}：扩展名是 .wps，但不是 WPS 文字文档（其中没有 Word 97-2003 格式的正文，"
                         f"可能是旧版 Microsoft Works 文档或其他文件）。请在 WPS 中另存为 .docx（或 PDF）后再试。")
    exe = soffice()
    if exe is None:
        raise ParseError(f"{name}：是 WPS 文字文档（.wps），读取它需要 LibreOffice（soffice）。"
                         f"请安装 LibreOffice，或在 WPS 中另存为 .docx（或 PDF）后再试。")
    return _read_converted(data, ".wps", name, exe, read_docx)


def read_rtf(path: Path, name: str, read_docx: Callable[[Path], R]) -> R:
    """``read_docx`` applied to the .docx LibreOffice makes of the RTF file at ``path``; ParseError (Chinese) if it cannot."""
    try:
        data = read_capped(path, MAX_DOC_BYTES, display=name)
    except InputFileError as exc:
        raise ParseError(str(exc)) from exc
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(RTF_MAGIC):
        raise ParseError(f"{name}：扩展名是 .rtf，但不是 RTF 文档。{_SAVE_AS}。")
    exe = soffice()
    if exe is None:
        raise ParseError(f"{name}：是 RTF 文件，读取它需要 LibreOffice（soffice）。"
                         f"请安装 LibreOffice，或{_SAVE_AS.removeprefix('请')}。")
    return _read_converted(data, ".rtf", name, exe, read_docx)


def _read_converted(data: bytes, suffix: str, name: str, exe: str, read_docx: Callable[[Path], R]) -> R:
    with tempfile.TemporaryDirectory(prefix="xl-disclosure-doc-") as tmp:
        work = Path(tmp)
        (work / f"report{suffix}").write_bytes(data)
        docx = _convert(exe, work, name, suffix)
        return read_docx(docx)


def _convert(exe: str, work: Path, name: str, suffix: str = ".doc") -> Path:
    out = work / "out"
    cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore", "--nologo",
           "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(work / f"report{suffix}")]
    env = {**os.environ, "HOME": str(work)}
    try:
        # a session of its own: on a timeout the whole of LibreOffice (its launcher and soffice.bin) is ended
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env, start_new_session=os.name == "posix")
    except OSError as exc:
        raise ParseError(f"{name}：无法启动 LibreOffice（{exc.strerror or exc}）。{_SAVE_AS}。") from exc
    try:
        proc.wait(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        _end(proc)
        raise ParseError(f"{name}：LibreOffice 在 {CONVERT_SECONDS} 秒内没有转换完这个 {suffix} 文件。{_SAVE_AS}。") from exc
    produced = out / "report.docx"
    if not produced.is_file():
        raise ParseError(f"{name}：LibreOffice 无法打开这个 {suffix} 文件（可能已损坏或设有打开密码）。{_SAVE_AS}。")
    return produced


def _end(proc: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.kill()
    proc.wait()


__all__ = ["CONVERT_SECONDS", "MAX_DOC_BYTES", "read_doc", "read_rtf", "read_wps", "soffice"]
