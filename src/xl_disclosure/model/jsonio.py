"""The one way JSON input is read: bounded in size, depth and number length, and checked before use.

Every JSON file a command is given — report data (``validate``, ``fill``, ``render``),
last year's data (``compile --prior``, ``template --prior``), summaries (``merge``,
``render``) — may come from anyone.  ``json.loads`` alone accepts what later breaks
a batch: ``NaN`` and ``Infinity`` (not JSON, but Python reads them), ``1e400``
(read as infinity), a 5,000-digit integer (Python refuses to turn it into text
later, mid-way through writing a summary), a lone surrogate ``"\\ud800"`` in a name
(no UTF-8 output can hold it), nesting deep enough to exhaust the parser's stack.
:func:`loads_json` refuses all of them with a Chinese message naming the file and
the JSON path (``$.section3.s3_new_natural``) of the value; files are read by
:func:`xl_disclosure.model.textfile.load_json` (in the encodings people save), which
uses it:

* at most :data:`MAX_JSON_BYTES` read, from a regular file only (:mod:`.inputs`);
* ``NaN``/``Infinity``/``-Infinity`` and numbers that overflow to infinity refused;
* integers of more than :data:`MAX_INT_DIGITS` digits refused (none of our numbers comes near);
* at most :data:`MAX_DEPTH` levels of arrays and objects;
* no lone surrogate in any key or string.

Readers that parse JSON piece by piece (the summary loader streams large files)
use :func:`decoder` and run :func:`check_json` on each piece, with the path of
the piece as ``at``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any, NoReturn

from xl_disclosure.model.inputs import InputFileError

#: Largest JSON file read whole (a report is a few hundred KB; summaries are streamed by
#: model.summary.load_summary, with its own cap, through decoder() and check_json()).
MAX_JSON_BYTES = 64 * 1024 * 1024
#: Deepest nesting of arrays and objects (our files need 4).
MAX_DEPTH = 64
#: Longest integer, in digits (a count is below 10**8, a year has four digits).
MAX_INT_DIGITS = 20

_SURROGATE = re.compile("[\ud800-\udfff]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class JsonInputError(InputFileError):
    """JSON input that is refused before use; the message names the file and the JSON path."""


class Refused:
    """A number the decoder would not read (its text, and why); :func:`check_json` refuses it where it sits."""

    __slots__ = ("text", "why")

    def __init__(self, text: str, why: str) -> None:
        self.text, self.why = text, why

    def __repr__(self) -> str:
        return self.text


def _int(text: str) -> int | Refused:
    digits = len(text) - (text[0] == "-")
    if digits > MAX_INT_DIGITS:
        return Refused(f"{text[:12]}…（共 {digits} 位）", f"整数超过 {MAX_INT_DIGITS} 位，超出本工具接受的范围")
    return int(text)


def _float(text: str) -> float | Refused:
    value = float(text)
    if not math.isfinite(value):
        return Refused(text if len(text) <= 24 else text[:24] + "…", "数字超出可表示的范围")
    return value


def _constant(name: str) -> Refused:
    return Refused(name, "不是数字（JSON 不允许 NaN、Infinity）")


def decoder() -> json.JSONDecoder:
    """A decoder whose refused numbers come back as :class:`Refused` (to be found by :func:`check_json`)."""
    return json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)


def json_path(parts: Sequence[str | int]) -> str:
    """``$.reports[3].cover.cover_agency_name``: where a value sits, as the message shows it."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _NAME.fullmatch(part):
            out += f".{part}"
        else:
            quoted = json.dumps(part, ensure_ascii=False)  # control characters escaped, Chinese as it is
            out += "[" + _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted) + "]"
    return out


def _where(source: str) -> str:
    return f"{source}：" if source else ""


def check_json(value: Any, *, source: str = "", at: Sequence[str | int] = ()) -> None:
    """Refuse (JsonInputError) a decoded value holding a refused number, a lone surrogate or deep nesting.

    ``at`` is the path of ``value`` in its document (for a piece of a larger one).
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, tuple(at))]
    base = len(at)
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            if len(path) - base >= MAX_DEPTH:
                _deep(source)
            for key, item in node.items():
                if not key.isascii() and _SURROGATE.search(key):
                    raise JsonInputError(f"{_where(source)}JSON 中 {json_path(path)} 有一个名称含不成对的代理字符"
                                         f"（如 \\ud800），不是有效的 Unicode 文字，无法读取。")
                stack.append((item, (*path, key)))
        elif isinstance(node, list):
            if len(path) - base >= MAX_DEPTH:
                _deep(source)
            stack.extend((item, (*path, i)) for i, item in enumerate(node))
        elif isinstance(node, str):
            if not node.isascii() and _SURROGATE.search(node):
                raise JsonInputError(f"{_where(source)}JSON 中 {json_path(path)} 的文字含不成对的代理字符（如 \\ud800），"
                                     f"不是有效的 Unicode 文字，无法读取。请检查生成该文件的程序。")
        elif isinstance(node, Refused):
            raise JsonInputError(f"{_where(source)}JSON 中 {json_path(path)} 的值 {node.text} 无法读取：{node.why}。")


def _deep(source: str) -> NoReturn:
    raise JsonInputError(f"{_where(source)}JSON 嵌套超过 {MAX_DEPTH} 层，不是本工具的数据文件（或已被改坏），无法读取。")


def loads_json(text: str | bytes, *, source: str = "") -> Any:
    """Parse and check one JSON document (a leading BOM allowed); JsonInputError says what and where."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise JsonInputError(f"{_where(source)}不是 UTF-8 编码的 JSON 文本（第 {exc.start + 1} 个字节起），"
                                 f"无法读取。请另存为 UTF-8 编码。") from None
    elif text.startswith("\ufeff"):
        text = text[1:]
    try:
        value = decoder().decode(text)
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"{_where(source)}不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}），"
                             f"文件可能不完整或被改过。") from None
    except RecursionError:
        _deep(source)
    check_json(value, source=source)
    return value
