"""What every command shares: the console, --quiet/--verbose, tables, progress, file patterns, the one way to
fail, and JSON on standard output.

On a terminal, output is laid out with rich (colours, tables fitted to the window, a progress bar on
standard error).  Piped or redirected — into a file, ``findstr``, another program — every line is
printed whole: no colours, tables as tab-separated lines, nothing cut with "…" or wrapped at 80
columns, no progress display.
"""

from __future__ import annotations

import contextlib
import glob
import io
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from xl_disclosure.errors import UsageError, XlDisclosureError
from xl_disclosure.model.findings import ValidationResult
from xl_disclosure.writers.atomic import json_text

STATUS_STYLE = {"通过": "green", "有警告": "yellow", "不通过": "red", "无法读取": "red", "重复报送": "magenta", "同一报告的另一格式": "cyan"}

# ---------------------------------------------------------------------------
# --quiet / --verbose
# ---------------------------------------------------------------------------

QUIET, NORMAL, VERBOSE = -1, 0, 1
_level = {"quiet": False, "verbose": False}


def verbosity() -> int:
    """QUIET (-q: only problems and errors), NORMAL, or VERBOSE (-v: also the encodings read, every file's status)."""
    return QUIET if _level["quiet"] else VERBOSE if _level["verbose"] else NORMAL


def set_verbosity(*, quiet: bool | None = None, verbose: bool | None = None) -> None:
    """Set from the command's -q/-v; also how much of the library's log (file encodings) is shown."""
    if quiet is not None:
        _level["quiet"] = quiet
    if verbose is not None:
        _level["verbose"] = verbose
    if _level["quiet"] and _level["verbose"]:
        _level["quiet"] = _level["verbose"] = False
        raise UsageError("--quiet 和 --verbose 只能选一个。")
    log = logging.getLogger("xl_disclosure")
    for handler in [h for h in log.handlers if isinstance(h, _ConsoleLog)]:
        log.removeHandler(handler)
    log.addHandler(_ConsoleLog())
    log.setLevel({QUIET: logging.ERROR, NORMAL: logging.WARNING, VERBOSE: logging.INFO}[verbosity()])
    log.propagate = False


class _ConsoleLog(logging.Handler):
    """The library's notices on standard error: warnings as 注意：…, details (-v) as they are."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        console(stderr=True).print(escape(("注意：" if record.levelno >= logging.WARNING else "") + message))


# ---------------------------------------------------------------------------
# Consoles, tables, progress
# ---------------------------------------------------------------------------

#: What a terminal would act on rather than show: C0 controls but tab and newline, DEL, C1 controls
#: (ESC starts colour, title and hyperlink sequences), and the bidirectional overrides that make
#: “报告\u202excod.exe” look like “报告exe.docx”.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``), never acted on."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


class SafeConsole(Console):
    """A console that never sends a control character from its text to the terminal.

    File names, agency names and messages come from submitted files: a name holding an escape
    sequence would otherwise recolour, retitle or rewrite the user's terminal.  Every string
    rich renders (printed text, table cells) passes through :meth:`render_str`.
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(printable(text), **kwargs)


def console(stderr: bool = False, *, soft_wrap: bool = True, info: bool = False) -> Console:
    """The console every command prints with: no highlighting or emoji codes, long lines never wrapped.

    ``info=True`` is for what --quiet leaves out (what was written, tallies, notes); problems and
    errors use a console without it.  ``soft_wrap=False`` lets rich fit text to a terminal; piped
    output is never wrapped whatever it says.
    """
    probe = Console(stderr=stderr)
    # Control characters in the text are shown escaped (SafeConsole).
    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=soft_wrap or not probe.is_terminal, emoji=False,
                       quiet=info and verbosity() == QUIET)


def print_table(out: Console, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]],
                *, no_wrap: Sequence[str] = ()) -> None:
    """A table: rich's on a terminal (cells folded, never cut); else the title, then one tab-separated line
    per row, every cell whole and without markup.  Cells are rich markup (escape what came from files)."""
    if out.is_terminal:
        table = Table(title=title, show_lines=False)
        for h in headers:
            table.add_column(h, no_wrap=h in no_wrap, overflow="fold")
        for row in rows:
            table.add_row(*row)
        out.print(table)
        return
    if out.quiet:
        return
    # Written as they are: rich would turn the tabs into spaces.
    lines = [title, "\t".join(headers), *("\t".join(Text.from_markup(c).plain for c in row) for row in rows)]
    out.file.write("".join(printable(line) + "\n" for line in lines))
    out.file.flush()


@contextlib.contextmanager
def progress(label: str, total: int | None = None) -> Iterator[Callable[..., None]]:
    """A progress display on standard error while the block runs (a bar once a total is known, a spinner
    before); only on a terminal and not with --quiet.  Yields ``update(done, total=None, label=None)``."""
    err = console(stderr=True)

    def nothing(done: int, total: int | None = None, label: str | None = None) -> None:
        pass

    if not err.is_terminal or verbosity() == QUIET:
        yield nothing
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    bar = Progress(*columns, console=err, transient=True)
    task = bar.add_task(escape(label), total=total)
    last = [0.0]

    def update(done: int, total: int | None = None, label: str | None = None) -> None:
        now = time.monotonic()
        if label is not None or now - last[0] >= 0.1 or done == total:
            last[0] = now
            bar.update(task, completed=done, total=total if total is not None else bar.tasks[0].total,
                       description=escape(label) if label is not None else bar.tasks[0].description)

    with bar:
        yield update


# ---------------------------------------------------------------------------
# Input files: patterns expanded here (Windows shells do not), "-" for standard input
# ---------------------------------------------------------------------------

def is_pattern(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def expand(args: Sequence[str]) -> list[str]:
    """Every file the arguments name: a pattern (``*.xlsx``, ``收到的/**/*.json``) becomes the files it matches,
    in name order; an argument that exists as written, or is ``-``, is kept as it is."""
    out: list[str] = []
    for arg in args:
        if arg == "-" or not is_pattern(arg) or Path(arg).exists():
            out.append(arg)
            continue
        matched = sorted(m for m in glob.glob(arg, recursive=True) if Path(m).is_file())
        if not matched:
            raise UsageError(f"“{arg}”没有匹配到任何文件。")
        out += matched
    return out


def expand_one(arg: str) -> str:
    """The one file an argument names (a pattern must match exactly one)."""
    found = expand([arg])
    if len(found) > 1:
        shown = "、".join(found[:5]) + ("……" if len(found) > 5 else "")
        raise UsageError(f"“{arg}”匹配到 {len(found)} 个文件（{shown}），此命令一次只处理一个文件。")
    return found[0]


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
