"""The content-addressed folder: every uploaded file (and every annotated copy) under its SHA-256.

A file's name is its hash (``files/ab/abcdef….xlsx``), so nothing is ever
overwritten with other content and the same file uploaded twice is kept once.
No name a client sent ever reaches the filesystem: paths are built from hex
digests checked here, and the suffix from a fixed list.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
#: The suffixes a stored file may have (what the reader decides the format by).
SUFFIXES = (".xlsx", ".xlsm", ".ods")


class TooLarge(Exception):
    """The upload is over the size limit."""


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.root.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(exist_ok=True)

    def path(self, sha256: str, suffix: str) -> Path:
        if not _HEX64.match(sha256) or suffix not in SUFFIXES:
            raise ValueError("not a stored file")
        return self.root / sha256[:2] / f"{sha256}{suffix}"

    @contextlib.contextmanager
    def spool(self) -> Iterator[tuple[BinaryIO, Path]]:
        """A temporary file inside the store (same filesystem, so keeping it is a rename); removed after."""
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="upload-", suffix=".part")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as fh:
                yield fh, path
        finally:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def keep(self, spooled: Path, suffix: str) -> tuple[str, int, Path]:
        """Move a spooled file to its place by content; (sha256, size, path).  An identical file is kept once."""
        digest = hashlib.sha256()
        size = 0
        with open(spooled, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        sha = digest.hexdigest()
        target = self.path(sha, suffix)
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            os.chmod(spooled, 0o444)
            try:
                os.link(spooled, target)  # never replaces an existing file
            except FileExistsError:
                pass
            except OSError:  # a filesystem without hard links
                if not target.exists():
                    os.replace(spooled, target)
        return sha, size, target
