"""What every command shares: the console, the one way to fail, and JSON on standard output."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import IO, Any, NoReturn

from rich.console import Console
from rich.markup import escape

from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.model.findings import ValidationResult
from xl_disclosure.writers.atomic import json_text

STATUS_STYLE = {"通过": "green", "有警告": "yellow", "不通过": "red", "无法读取": "red"}


def console(stderr: bool = False, *, soft_wrap: bool = True) -> Console:
    """The console every command prints with: no highlighting or emoji codes; long lines are not wrapped
    (``soft_wrap=False`` for tables and summaries that should fit the terminal)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=soft_wrap, emoji=False)


def fail(message: str, *, heading: str = "") -> NoReturn:
    """The one way a command fails: a Chinese message on standard error, after a red heading if any; exit 2."""
    console(stderr=True).print(f"[red]{escape(heading)}[/] {escape(message)}" if heading else escape(message))
    sys.exit(2)


def fail_on(exc: XlDisclosureError) -> NoReturn:
    """Fail with the message of an error the library raised, after its heading (every command's errors end here)."""
    fail(str(exc), heading=exc.heading)


@contextlib.contextmanager
def stdout_utf8() -> Iterator[IO[str]]:
    """Standard output as UTF-8 text whatever the console's encoding: JSON read by other programs stays intact."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some embedded consoles): write through it as it is
        yield sys.stdout
        return
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
    try:
        yield stream
    finally:
        stream.detach()  # flushes; leaves sys.stdout's buffer open


def print_json(data: Any) -> None:
    """JSON on standard output (what ``-`` means for every option that writes a JSON file)."""
    with stdout_utf8() as out:
        out.write(json_text(data))


def to_file(target: str | None) -> str | None:
    """The file an output option names, or None when it is absent or ``-`` (standard output)."""
    return None if target in (None, "-") else target


def print_result(out: Console, result: ValidationResult) -> None:
    """One file's status line, then one line per finding: file · sheet!cell · rule · message."""
    style = STATUS_STYLE[result.status]
    counts = f"{len(result.errors)} 个错误，{len(result.warnings)} 个警告" if result.readable else result.read_error
    status = "不通过（未填完）" if result.cover_status == "未填完" else result.status  # as the template's cover says
    out.print(f"[bold {style}]{status}[/] {escape(result.file)} · {escape(str(counts))}")
    for f in result.findings:
        level = "[red]错误[/]" if f.is_error else "[yellow]警告[/]"
        where = escape(f.location or "—")
        out.print(f"  {level} {escape(result.file)} · {where} · {f.rule} · {escape(f.message)}")
