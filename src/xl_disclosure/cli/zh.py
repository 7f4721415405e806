"""click in Chinese: its own messages from a gettext catalogue, and help laid out by display width.

click words its messages ("Usage:", "Missing argument", "Error: …") through
gettext's ``messages`` domain, which picks a language from LANG/LANGUAGE —
variables a Chinese Windows PC does not set.  The command line is Chinese on
every PC, so :func:`install` loads the catalogue shipped in this package
(locale/zh_CN/LC_MESSAGES/messages.mo, compiled from messages.po) and hands
its ``gettext``/``ngettext`` to click's modules.

A Chinese character is two columns wide on a console; click measures text in
characters and wraps it at spaces, which Chinese does not have.
:class:`HelpFormatter` measures in display cells (rich's ``cell_len``,
wcwidth's table), wraps between any two Chinese characters (never before a
closing punctuation mark) and aligns the option list by cells.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.shell_completion
import click.termui
import click.types
import click.utils
from rich.cells import cell_len

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
LANGUAGE = "zh_CN"
#: click's modules that word messages through gettext.
CLICK_MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                 click.shell_completion, click.termui, click.types, click.utils)

#: Marks that must not begin a line.
NO_BREAK_BEFORE = frozenset("，。、；：！？）》」』”’】〕…·,.;:!?)]}%")


def catalogue() -> gettext.NullTranslations:
    """The Chinese catalogue of click's messages (package data)."""
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[LANGUAGE])


def install() -> None:
    """Make click word its messages in Chinese, whatever the locale variables say."""
    translations = catalogue()
    for module in CLICK_MODULES:
        if hasattr(module, "_"):
            module._ = translations.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = translations.ngettext  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# Wrapping by display width
# ---------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]")


def _tokens(text: str) -> list[str]:
    """Spaces, runs of narrow characters (a word), and single wide characters."""
    out: list[str] = []
    for piece in _TOKENS.findall(text):
        narrow = not piece.isspace() and cell_len(piece) == 1
        if narrow and out and not out[-1].isspace() and cell_len(out[-1]) == len(out[-1]):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """``text`` as lines at most ``width`` cells wide (a longer word stays whole on its own line)."""
    lines: list[str] = []
    line, used, fresh, space = initial_indent, cell_len(initial_indent), True, False
    for tok in _tokens(text):
        if tok.isspace():
            space = not fresh
            continue
        need = cell_len(tok) + (1 if space else 0)
        if not fresh and used + need > width and tok[0] not in NO_BREAK_BEFORE:
            lines.append(line)
            line, used, space = subsequent_indent, cell_len(subsequent_indent), False
            need = cell_len(tok)
        line += (" " if space else "") + tok
        used += need
        fresh, space = False, False
    lines.append(line)
    return lines


def _join_lines(lines: Sequence[str]) -> str:
    """Lines of one paragraph as one text: no space between two Chinese characters, one elsewhere."""
    out = ""
    for line in lines:
        if out and not (cell_len(out[-1]) == 2 and cell_len(line[0]) == 2):
            out += " "
        out += line
    return out


def wrap_paragraphs(text: str, width: int, indent: str) -> str:
    """click's paragraphs (blank-line separated; one starting with a ``\\b`` line is kept as written)."""
    paragraphs: list[tuple[int, bool, list[str]]] = []
    buf: list[str] = []
    first_indent: int | None = None

    def flush() -> None:
        if buf:
            raw = buf[0].strip() == "\b"
            paragraphs.append((first_indent or 0, raw, buf[1:] if raw else list(buf)))
            buf.clear()

    for line in text.expandtabs().splitlines():
        if not line.strip():
            flush()
            first_indent = None
            continue
        if first_indent is None:
            first_indent = len(line) - len(line.lstrip())
        buf.append(line if buf and buf[0].strip() == "\b" else line.strip())
    flush()
    out = []
    for extra, raw, lines in paragraphs:
        pad = indent + " " * extra
        if raw:
            out.append("\n".join(pad + line for line in lines))
        else:
            out.append("\n".join(wrap(_join_lines(lines), width, pad, pad)))
    return "\n\n".join(out)


class HelpFormatter(click.HelpFormatter):
    """click's help formatter, measuring in display cells and with Chinese headings (用法：, 选项：)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = click.formatting._("Usage:")  # type: ignore[attr-defined]
        lead = f"{'':>{self.current_indent}}{prefix}{prog}"
        if not args:
            self.write(lead + "\n")
            return
        lead += " "
        if self.width - cell_len(lead) >= 20:
            lines = wrap(args, self.width, lead, " " * cell_len(lead))
        else:
            pad = " " * (self.current_indent + 4)
            lines = [lead.rstrip(), *wrap(args, self.width, pad, pad)]
        self.write("\n".join(lines) + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, second) for first, second in rows]
        first_col = min(max((cell_len(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            if not second:
                self.write(f"{indent}{first}\n")
                continue
            pad = " " * (self.current_indent + first_col)
            body = wrap(second, max(self.width, len(pad) + 10), pad, pad)
            if cell_len(first) <= first_col - col_spacing:
                head = f"{indent}{first}" + " " * (first_col - cell_len(first))
                self.write(head + body[0].lstrip(" ") + "\n")
            else:
                self.write(f"{indent}{first}\n{body[0]}\n")
            for line in body[1:]:
                self.write(line + "\n")


class Context(click.Context):
    """Every command's context: help written by :class:`HelpFormatter`."""

    formatter_class = HelpFormatter
