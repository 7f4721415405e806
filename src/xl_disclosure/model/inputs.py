"""Opening input files the way every reader must: regular files only, and never more than a cap read.

A FIFO named ``x.xlsx`` blocks the first read until someone writes to it (``validate``
would hang, and a glob in ``compile`` matching one would hang the batch); ``/dev/zero``
given as ``--expected`` reads without end.  So, before a file is opened for its
content, :func:`regular_file_problem` says why it cannot be (not a regular file),
and :func:`read_capped` reads at most ``limit`` bytes, refusing a larger file
with a Chinese message that names it.

The check is made again on the open file (``fstat``), and the file is opened
with ``O_NONBLOCK`` where there is one, so a FIFO swapped in after the first
check does not block either.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from xl_disclosure.errors import XlDisclosureError

#: Largest agency list (CSV) read: 100,000 agencies take a few MB.
MAX_LIST_BYTES = 32 * 1024 * 1024

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class InputFileError(XlDisclosureError):
    """An input file that cannot be read at all (not a regular file, too large); the message is Chinese."""

    heading = "无法读取"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "一个文件夹"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def regular_file_problem(path: str | os.PathLike[str], display: str | None = None) -> str | None:
    """Why ``path`` must not be opened for reading (a folder, FIFO, device, socket), or None.

    A path that does not exist (or cannot be looked at) is None too: opening it says why.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISREG(mode):
        return None
    return _irregular(display or str(path), mode)


def _irregular(name: str, mode: int) -> str:
    return f"{name}：是{_kind(mode)}，不是普通文件，无法读取。请给出要读取的文件本身。"


def open_regular(path: str | os.PathLike[str], display: str | None = None) -> int:
    """A file descriptor open for reading on a regular file; InputFileError for anything else.

    OSError (no such file, no permission) is raised as it is, for the caller to word.
    """
    name = display or str(path)
    problem = regular_file_problem(path, name)
    if problem is not None:
        raise InputFileError(problem)
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputFileError(_irregular(name, mode))
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _size(n: int) -> str:
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} GB"
    if n >= 1024**2:
        return f"{n / 1024**2:.0f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} 字节"


def read_capped(path: str | os.PathLike[str], limit: int, *, display: str | None = None, what: str = "") -> bytes:
    """The content of a regular file of at most ``limit`` bytes; InputFileError when larger or not regular.

    ``what`` names the file's role in the message (“应报送机关名单 x.csv 有 …”).  OSError as for
    :func:`open_regular`.
    """
    name = display or str(path)
    fd = open_regular(path, name)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        label = f"{what} {name}" if what else name
        raise InputFileError(f"{label} 超过 {_size(limit)}，超出本工具读取此类文件的上限，"
                             f"文件可能有误（或不是要给的文件）。")
    return data


_SURROGATE = re.compile("[\ud800-\udfff]")


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as text any UTF-8 output can hold: bytes of a file name that are not UTF-8 shown as ``\\xff``.

    Python holds such bytes as lone surrogates (``os.listdir`` on Linux), which no summary, JSON or
    terminal can write; the path itself is still used, unchanged, to open the file.
    """
    text = os.fspath(path)
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is not an undecodable byte
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file: the same resolved path, or (both existing) the same inode."""
    pa, pb = Path(a), Path(b)
    try:
        if os.path.normcase(pa.resolve()) == os.path.normcase(pb.resolve()):
            return True
    except (OSError, RuntimeError):
        pass
    try:
        return os.path.samefile(pa, pb)
    except (OSError, ValueError):
        return False
