"""Reading the text and JSON files people hand us, in whatever encoding their PC saved them.

Notepad and Excel on Chinese Windows save UTF-8 with a BOM, "ANSI" (GBK, read
here as its superset GB18030) or "Unicode" (UTF-16 with a BOM); other programs
save plain UTF-8.  :func:`decode` tells them apart the way RFC 8259 and
Python's own ``json`` module do (a BOM, or the NUL pattern of UTF-16/32 without
one), then tries strict UTF-8 and falls back to GB18030.  The encoding used is
returned, and when it is not UTF-8 a notice goes to the ``xl_disclosure``
logger (the command line prints it on standard error: "按 GB18030 编码读取").
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from xl_disclosure.model.inputs import read_capped
from xl_disclosure.model.jsonio import MAX_JSON_BYTES, loads_json

#: Largest text file read (a published report is some hundred KB).
MAX_TEXT_BYTES = 64 * 1024 * 1024

log = logging.getLogger("xl_disclosure")
log.addHandler(logging.NullHandler())  # a library says nothing unless the program asks

#: How each encoding is named to the user.
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GB18030（GBK）",
                  "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
                  "utf-32": "UTF-32", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}
#: What needs no notice.
UTF8 = frozenset({"utf-8", "utf-8-sig"})


class UnknownEncoding(UnicodeDecodeError):
    """Bytes in none of the encodings we read; ``str()`` is a Chinese message (callers catch UnicodeDecodeError)."""

    def __init__(self, data: bytes, exc: UnicodeDecodeError) -> None:
        super().__init__(exc.encoding, data, exc.start, exc.end, exc.reason)

    def __str__(self) -> str:
        return f"不是 UTF-8、GB18030（GBK）或 UTF-16 编码的文字（第 {self.start + 1} 个字节处无法识别），请另存为 UTF-8 编码"


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of ``data``: UTF-8 (with or without BOM), UTF-16/32 (BOM or NUL pattern), else GB18030.

    Raises :class:`UnknownEncoding` (a UnicodeDecodeError) when none of them fits.
    """
    guess = json.detect_encoding(data)
    if guess != "utf-8":
        try:
            return data.decode(guess), guess
        except UnicodeDecodeError as exc:
            raise UnknownEncoding(data, exc) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first = exc
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise UnknownEncoding(data, first) from None


def notice(name: str, encoding: str) -> None:
    """Say which encoding a file was read in, when it was not UTF-8 (for every reader of people's files)."""
    if encoding in UTF8:
        log.info("%s：按 UTF-8 编码读取。", name)
    else:
        log.warning("%s：不是 UTF-8 编码，已按 %s 编码读取。", name, ENCODING_NAMES.get(encoding, encoding))


def read_text(path: str | Path, *, name: str | None = None, limit: int = MAX_TEXT_BYTES) -> tuple[str, str]:
    """(text, encoding) of a text file (see :func:`decode`), with the notice; OSError / UnicodeDecodeError as open().

    Only a regular file of at most ``limit`` bytes is read (model.inputs): InputFileError otherwise.
    """
    text, encoding = decode(read_capped(path, limit, display=name))
    notice(name or str(path), encoding)
    return text, encoding


def load_json(path: str | Path, *, name: str | None = None, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """The JSON in a file saved as UTF-8, UTF-8 with BOM, GB18030 or UTF-16, checked before use.

    The one way a JSON file is read: at most ``max_bytes`` of a regular file, parsed and checked by
    model.jsonio (no NaN/Infinity, no overflowing or overlong numbers, no lone surrogates, bounded
    nesting).  Raises OSError, UnicodeDecodeError (:class:`UnknownEncoding`, with a Chinese message),
    or an InputFileError (JsonInputError for the JSON itself) whose Chinese message names the file
    and the JSON path.
    """
    return load_json_encoding(path, name=name, max_bytes=max_bytes)[0]


def load_json_encoding(path: str | Path, *, name: str | None = None,
                       max_bytes: int = MAX_JSON_BYTES) -> tuple[Any, str]:
    """(data, encoding) of a JSON file; as :func:`load_json`."""
    text, encoding = read_text(path, name=name, limit=max_bytes)
    return loads_json(text, source=name or str(path)), encoding
