"""A published report file to a :class:`~xl_disclosure.readers.published.ParseResult`, by its file type.

The parser (:mod:`xl_disclosure.readers.published`) reads lines of text, HTML and Word; this module opens
the file, picks the reader of its type and turns every failure into a Chinese :class:`ParseError` naming
the file.  Kept apart from the parser so that a reader building on the parser's document model can be
picked here without an import cycle.
"""

from __future__ import annotations

from pathlib import Path

from xl_disclosure.model.findings import ValidationResult
from xl_disclosure.model.inputs import read_capped
from xl_disclosure.model.report import Report
from xl_disclosure.model.textfile import decode
from xl_disclosure.readers.doc import read_doc, read_rtf, read_wps
from xl_disclosure.readers.odt import odt_lines
from xl_disclosure.readers.pdf import pdf_lines, read_pdf
from xl_disclosure.readers.published import (
    MAX_TEXT_BYTES,
    ParseError,
    ParseResult,
    docx_lines,
    no_tables_message,
    note_pictures,
    parse_docx,
    parse_html,
    parse_lines,
    parse_text,
    read_html_file,
    read_mhtml_file,
    read_text_file,
    validate_parsed,
    withhold_ocr_numbers,
)


def parse_file(path: str | Path, *, display: str | None = None) -> ParseResult:
    """Parse a published report file (.txt/.md, .html/.htm/.xhtml, .mht/.mhtml, .docx, .doc, .odt, .rtf, .pdf).

    Raises ParseError (Chinese) when unreadable.
    """
    path = Path(path)
    name = display or str(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ParseError(f"{name}：文件不存在。请检查路径。")
    try:
        if suffix in (".txt", ".md"):
            result = parse_text(read_text_file(path, name))
        elif suffix in (".html", ".htm", ".xhtml"):
            result = parse_html(read_html_file(path, name))
        elif suffix in (".mht", ".mhtml"):
            result = parse_html(read_mhtml_file(path, name))
        elif suffix in WORD_SUFFIXES:
            result = _parse_docx(path, name)
        elif suffix == ".pdf":
            document = read_pdf(path)
            result = parse_lines(document.lines)
            withhold_ocr_numbers(result, document.ocr_pages, every_page=document.every_page_ocr)
            note_pictures(result, document.picture_pages)
        elif suffix == ".doc":
            result = read_doc(path, name, lambda docx: _parse_docx(docx, name))
        elif suffix == ".wps":
            result = read_wps(path, name, lambda docx: _parse_docx(docx, name))
        elif suffix == ".rtf":
            result = read_rtf(path, name, lambda docx: _parse_docx(docx, name))
        elif suffix == ".odt":
            result = _parse_odt(path, name)
        else:
            raise ParseError(f"{name}：不支持的文件类型“{suffix}”。{PUBLISHED_KINDS}")
    except OSError as exc:
        raise ParseError(f"{name}：无法打开文件（{exc.strerror or exc}）。") from exc
    except ParseError as exc:
        msg = str(exc)
        raise ParseError(msg if msg.startswith(name) else f"{name}：{msg}") from exc
    result.file = name
    result.report.source = {"file": name, "parsed": True}
    return result


#: Word containers of one WordprocessingML body, read alike (macros are never read).
WORD_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")

#: What a published report may be, for messages.
PUBLISHED_KINDS = "已发布的报告请用 .txt、.md、.html/.htm/.xhtml、.mht/.mhtml、.docx（及 .docm/.dotx/.dotm）、.doc、.wps、.odt、.rtf 或 .pdf。"


def _parse_odt(path: Path, name: str) -> ParseResult:
    try:
        return parse_lines(odt_lines(path))
    except ParseError:
        raise
    except Exception as exc:  # zipfile/KeyError/ValueError/XMLSyntaxError for damaged files
        raise ParseError(f"{name}：无法作为 OpenDocument 文本（.odt）文件打开（{type(exc).__name__}）。请确认文件完整。") from exc


def _parse_docx(path: Path, name: str) -> ParseResult:
    try:
        return parse_docx(path)
    except ParseError:
        raise
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError for damaged files
        raise ParseError(f"{name}：无法作为 Word（.docx）文件打开（{type(exc).__name__}）。请确认文件完整。") from exc


def validate_published(path: str | Path, *, prior: Report | None = None,
                       display: str | None = None) -> ValidationResult:
    """Parse a published report and validate its numbers; ``read_error`` when no table could be found."""
    name = display or str(path)
    try:
        result = parse_file(path, display=name)
    except ParseError as exc:
        return ValidationResult(file=name, read_error=str(exc))
    if not result.found_tables:
        return ValidationResult(file=name, read_error=no_tables_message(name, result, _plain_text(path)))
    return ValidationResult(file=name, findings=validate_parsed(result, prior=prior), report=result.report,
                            coverage=result.coverage.entry())


def _plain_text(path: str | Path) -> str:
    try:
        p = Path(path)
        if p.suffix.lower() in WORD_SUFFIXES:
            return "\n".join(line.text for line in docx_lines(p))
        if p.suffix.lower() == ".pdf":
            return "\n".join(line.text for line in pdf_lines(p))
        if p.suffix.lower() in (".mht", ".mhtml"):
            return read_mhtml_file(p)
        if p.suffix.lower() == ".odt":
            return "\n".join(line.text for line in odt_lines(p))
        return decode(read_capped(p, MAX_TEXT_BYTES))[0]  # read_text_file has said which encoding
    except Exception:  # only used to word an error message
        return ""
