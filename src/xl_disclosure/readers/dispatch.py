"""Any input file to a report and its findings: workbooks, report JSON, published reports.

``validate_file`` accepts our workbooks (.xlsx/.xlsm, and .ods as LibreOffice or
WPS saves them), report JSON, and — for audit — published reports
(.txt/.md/.html/.htm/.xhtml/.mht/.docx/.doc/.odt/.rtf/.pdf).  A workbook's format is told by its content, not its
suffix (:mod:`.formats`): every other spreadsheet format (.et, .xls, .xlsb,
.numbers, .csv …) gets a message naming it and saying how to save it as .xlsx.
It never raises for a bad file: a file that cannot be read as a report comes
back with ``read_error``.

Only regular files are opened (a FIFO or a device is refused before it can block
or stream without end), and each file is read in a child process with memory
and time limits (:mod:`.isolation`): a reader that aborts or runs away costs
only that file, which comes back with ``read_error`` saying so.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

from xl_disclosure.checks.validator import validate_report
from xl_disclosure.form import RuleSelection
from xl_disclosure.form.selection import ALL_RULES
from xl_disclosure.model.findings import ValidationResult
from xl_disclosure.model.inputs import InputFileError, regular_file_problem, shown_path
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.model.reportjson import load_report_json
from xl_disclosure.model.textfile import decode
from xl_disclosure.readers import formats
from xl_disclosure.readers.isolation import ReaderCrashed, run_isolated
from xl_disclosure.readers.ods import read_ods
from xl_disclosure.readers.workbook import ReadError, read_workbook

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".ods"})
JSON_SUFFIXES = frozenset({".json"})
#: Published reports read back for audit; .md is what ``render`` writes.
PUBLISHED_SUFFIXES = frozenset({".txt", ".html", ".htm", ".xhtml", ".mht", ".mhtml", ".docx", ".docm", ".dotx", ".dotm",
                                ".doc", ".wps", ".odt", ".rtf",
                                ".md", ".pdf"})
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES | JSON_SUFFIXES | PUBLISHED_SUFFIXES


def validate_file(path: str | Path, *, prior: Report | None = None, display: str | None = None,
                  rules: RuleSelection = ALL_RULES) -> ValidationResult:
    """Read and validate one file of any supported kind; ``rules`` decides which rules run, at which severity."""
    path = Path(path)
    name = shown_path(display or str(path))
    problem = regular_file_problem(path, name)
    if problem is not None and not path.is_dir():  # a folder cannot block: formats names it (.numbers is one)
        return ValidationResult(file=name, read_error=problem).steer(rules)
    try:
        result = run_isolated(_validate_file, path, prior, name, display=name)
    except ReaderCrashed as exc:
        result = ValidationResult(file=name, read_error=str(exc))
    if result.report is not None:
        result.report.drop_implausible()  # reported already; never summed
    return result.steer(rules)


def _validate_file(path: Path, prior: Report | None, display: str | None) -> ValidationResult:
    name = display or str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSON_SUFFIXES:
            report = load_report_json(path, name=name)
            return ValidationResult(file=name, findings=validate_report(report, prior=prior), report=report)
        if suffix in PUBLISHED_SUFFIXES:
            from xl_disclosure.readers.published_file import validate_published

            return validate_published(path, prior=prior, display=name)
        sniffed = formats.sniff(path)
        if sniffed.kind == formats.ODS:
            return read_ods(path, prior=prior, display=name)
        if sniffed.kind == formats.XLSX:
            return read_workbook(path, prior=prior, display=name)
        refusal = formats.refusal(name, path, sniffed)
        if refusal is not None:
            return ValidationResult(file=name, read_error=refusal)
        if suffix in WORKBOOK_SUFFIXES or suffix in formats.SPREADSHEET_SUFFIXES or not suffix:
            return read_workbook(path, prior=prior, display=name)  # says what is wrong (empty, encrypted …)
        return ValidationResult(
            file=name,
            read_error=f"{name}：不支持的文件类型“{suffix}”。支持：填报模板 .xlsx/.xlsm/.ods、报告数据 .json、"
                       f"已发布的报告 .txt/.html/.docx/.doc/.odt/.rtf/.pdf。",
        )
    except (ReadError, ReportFormatError, InputFileError) as exc:
        return ValidationResult(file=name, read_error=str(exc))
    except MemoryError:
        return ValidationResult(file=name, read_error=f"{name}：读取该文件所需的内存超过上限，文件可能已损坏或是被故意构造的。"
                                                      f"{_advice(suffix)}如反复出现，请把文件交给技术人员。")
    except OSError as exc:
        return ValidationResult(file=name, read_error=f"{name}：无法打开文件（{exc.strerror or exc}）。")
    except Exception as exc:  # noqa: BLE001 - a malformed file must never surface as a traceback
        return ValidationResult(
            file=name,
            read_error=f"{name}：读取时发生意外错误（{type(exc).__name__}: {str(exc)[:120]}），文件可能已损坏。"
                       f"{_advice(suffix)}如反复出现，请把文件交给技术人员。",
        )


def _advice(suffix: str) -> str:
    if suffix in JSON_SUFFIXES:
        return "请重新导出该报告数据（xl-disclosure export）；"
    if suffix in PUBLISHED_SUFFIXES:
        return "请检查该文件是否为完整、正常的年度报告；"
    return "请用 Excel 或 WPS 打开后另存为 .xlsx 再提交；"


#: How standard input is named in messages and results.
STDIN_NAME = "标准输入"


def sniff_suffix(data: bytes) -> str:
    """The suffix a document handed over on standard input would have: .json, .html, .xlsx, .docx or .txt."""
    if data.startswith(b"PK\x03\x04"):
        with contextlib.suppress(zipfile.BadZipFile):
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
            if "word/document.xml" in names:
                return ".docx"
        return ".xlsx"
    try:
        text = decode(data[:4096])[0] if len(data) <= 4096 else decode(data)[0]
    except UnicodeDecodeError:
        return ".txt"
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return ".json"
    if head.startswith("<"):
        return ".html"
    return ".txt"


def load_report(path: str | Path) -> Report:
    """The report data in a file (workbook, JSON or published report); ReadError when unreadable."""
    result = validate_file(path)
    if result.read_error:
        raise ReadError(result.read_error)
    assert result.report is not None
    return result.report
