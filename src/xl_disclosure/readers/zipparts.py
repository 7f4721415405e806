"""Bounded reading of the parts of a zip package (OOXML workbooks and Word documents).

Shared by the workbook reader (:mod:`xl_disclosure.readers.workbook`, and the .ods reader through it) and the
Word reader of published reports (:mod:`xl_disclosure.readers.published`): the mechanics only — how many
entries the directory declares, a part inflated to at most a given size, a DTD found in a part, a stored zip
assembled — each reader words its own refusals.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

_READ_CHUNK = 1024 * 1024


class TooLarge(ValueError):
    """A part that inflates past its limit (a decompression bomb, or a part lying about its size)."""


def directory_size(data: bytes) -> tuple[int, int] | None:
    """(entries, central-directory bytes) the end record of a zip declares; None when there is no end record."""
    tail = data[-65_557:]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    _sig, _disk, _cd_disk, _n_here, entries, cd_size, _cd_offset, _comment = \
        struct.unpack("<IHHHHIIH", tail[at:at + 22])
    return entries, cd_size


def read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes, inflated in bounded steps; TooLarge past ``limit`` (declared or true size).

    ``ZipFile.read`` inflates up to 2 GB in one call before trimming to the declared
    size, so a member that lies about its size would exhaust memory; reading in
    chunks keeps memory to the limit.  Other failures (CRC, method, encryption) are
    zipfile's own exceptions.
    """
    if info.file_size > limit:
        raise TooLarge(info.filename)
    chunks: list[bytes] = []
    total = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_READ_CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise TooLarge(info.filename)
            chunks.append(chunk)
    return b"".join(chunks)


def inflate(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A plain member's bytes straight from the file's bytes, or None to leave it to zipfile.

    The common case — not encrypted, stored or deflated, its local header where the
    directory says — inflated with zlib in one bounded call (never more than one byte
    past the declared size) and accepted only if its size and CRC match the directory.
    Skipping zipfile's per-member stream objects makes this several times cheaper per part.
    """
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    at = info.header_offset
    if data[at:at + 4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
    start = at + 30 + name_len + extra_len
    raw = data[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        out = raw
    else:
        try:
            out = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
        except zlib.error:
            return None
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        return None
    return out


_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_DTD_MARKERS_UTF8 = (b"<!DOCTYPE", b"<!ENTITY")


def has_dtd(data: bytes) -> bool:
    """Whether a part declares a DTD or an entity (in UTF-8 or UTF-16)."""
    if b"!" not in data:
        return False  # the common case, found with one memchr: every declaration starts "<!"
    if b"\x00" not in data:  # not UTF-16: two long needles, searched fast
        return any(marker in data for marker in _DTD_MARKERS_UTF8)
    return any(marker in data for marker in _DTD_MARKERS)


def stored_zip(members: list[tuple[str, bytes, int]]) -> bytes:
    """A zip holding (name, bytes, CRC-32) members uncompressed, names in UTF-8.

    Assembled directly (local headers, central directory, end record): writing it with
    ``zipfile`` would compute every CRC again.  Members are far below the 4 GB that would need Zip64.
    """
    out: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name, data, crc in members:
        raw = name.encode("utf-8")
        size = len(data)
        out += (_LOCAL.pack(0x04034B50, 20, 0x800, 0, 0, 0, crc, size, size, len(raw), 0), raw, data)
        directory += (_CENTRAL.pack(0x02014B50, 20, 20, 0x800, 0, 0, 0, crc, size, size, len(raw),
                                    0, 0, 0, 0, 0, offset), raw)
        offset += _LOCAL.size + len(raw) + size
    central = b"".join(directory)
    out += (central, _END.pack(0x06054B50, 0, 0, len(members), len(members), len(central), offset, 0))
    return b"".join(out)


_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
