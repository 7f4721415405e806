"""Reading a filled template: cells → Report + findings, for files and live workbooks alike.

A :class:`CellSource` is anything that can show sheet names, cell values, the
formulas of given cells and the template's identity.  :func:`validate_source`
does everything from there — identity and version, structure, clerk-input
coercion, recomputed totals, tamper checks and every data rule — so the file
reader here and the xlwings adapter in ``excel.py`` share one path.

Files are read with python-calamine (values, fast); formulas, which calamine
does not expose, come from the few worksheet parts that hold formula cells,
parsed with defusedxml (no DTDs, no entity expansion).
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import python_calamine
from defusedxml import ElementTree as SafeET

from .coerce import Coerced, coerce
from .findings import Finding, ValidationResult, at_field
from .form import (
    FORM,
    READABLE_TEMPLATE_VERSIONS,
    SHEET_META,
    TEMPLATE_ID,
    TEMPLATE_VERSION,
    Kind,
    Severity,
)
from .formulas import normalize_formula, total_formula
from .report import Report
from .validator import fmt, validate_report

#: Upper bounds that keep a hostile file from exhausting memory or time.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_UNCOMPRESSED = 256 * 1024 * 1024
MAX_RATIO = 200

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class ReadError(Exception):
    """A file that cannot be read as one of our reports; the message is Chinese and names the file."""


class CellSource(Protocol):
    """What the validator needs from a workbook, however it is opened."""

    def sheet_names(self) -> list[str]: ...

    def meta(self) -> dict[str, str]:
        """Key/value pairs of the hidden identity sheet (empty when absent)."""
        ...

    def value(self, sheet: str, cell: str) -> Any:
        """The cell's value as typed or cached: number, text, date, bool, or None when empty."""
        ...

    def formulas(self, sheet: str) -> Mapping[str, str] | None:
        """Formula text (no '=') by cell for one sheet; None when this source cannot tell."""
        ...


# ---------------------------------------------------------------------------
# Expected formula cells
# ---------------------------------------------------------------------------

def expected_formulas() -> dict[tuple[str, str], str]:
    """Every formula cell of the template, normalized: totals from the form, checks from the template."""
    out = {(f.sheet, f.cell): normalize_formula(total_formula(f)) for f in FORM.totals}
    try:
        from .template import formula_cells
    except ImportError:  # the template module is optional for pure-data use
        return out
    for key, formula in formula_cells().items():
        out.setdefault(key, normalize_formula(formula))
    return out


_EXPECTED: dict[tuple[str, str], str] | None = None


def _expected() -> dict[tuple[str, str], str]:
    global _EXPECTED
    if _EXPECTED is None:
        _EXPECTED = expected_formulas()
    return _EXPECTED


# ---------------------------------------------------------------------------
# The shared path
# ---------------------------------------------------------------------------

def check_identity(source: CellSource, file: str) -> int:
    """The template version, or ReadError when the workbook is not one of ours or not readable."""
    names = source.sheet_names()
    meta = source.meta() if SHEET_META in names else {}
    if meta.get("template_id") != TEMPLATE_ID:
        raise ReadError(_not_ours_message(file, names))
    raw_version = meta.get("template_version", "")
    try:
        version = int(float(raw_version))
    except ValueError:
        raise ReadError(f"{file}：模板标识已损坏（版本号“{raw_version}”无法识别），请使用政务公开办下发的新模板重新填报。") from None
    if version not in READABLE_TEMPLATE_VERSIONS:
        raise ReadError(
            f"{file}：这是第 {version} 版填报模板，本工具只能读取第 "
            f"{'、'.join(str(v) for v in sorted(READABLE_TEMPLATE_VERSIONS))} 版"
            f"（当前为第 {TEMPLATE_VERSION} 版）。请使用政务公开办下发的最新模板重新填报。"
        )
    missing = [s for s in FORM.sheets if s not in names]
    if missing:
        raise ReadError(f"{file}：工作表“{'”、“'.join(missing)}”缺失或被改名，无法读取。请使用下发的模板重新填报，不要改动工作表。")
    return version


def _not_ours_message(file: str, names: list[str]) -> str:
    old_markers = ("概述", "咨询", "收费及减免", "依申请公开情况")
    if any(marker in name for name in names for marker in old_markers):
        return (f"{file}：看起来是 2021 年以前的旧格式报表，本工具只支持国办公开办函〔2021〕30号规定的新格式。"
                f"请使用下发的新模板填报。")
    return (f"{file}：不是本工具生成的政府信息公开年度报告填报模板（找不到模板标识）。"
            f"请使用政务公开办下发的模板填报，不要另建表格或复制粘贴到新工作簿。")


def validate_source(source: CellSource, *, file: str, prior: Report | None = None) -> ValidationResult:
    """Read and validate one workbook through any CellSource; a ReadError becomes ``read_error``."""
    try:
        return _validate_source(source, file, prior)
    except ReadError as exc:
        return ValidationResult(file=file, read_error=str(exc))


def _validate_source(source: CellSource, file: str, prior: Report | None) -> ValidationResult:
    version = check_identity(source, file)
    findings: list[Finding] = []
    values: dict[str, Any] = {}
    unreadable: set[str] = set()
    for f in FORM.inputs:
        c: Coerced = coerce(f, source.value(f.sheet, f.cell))
        values[f.id] = c.value
        if c.problem is not None:
            p = c.problem
            findings.append(at_field(p.rule, f.id, f"{f.label}：{p.message}。", severity=p.severity,
                                     actual=_jsonable(source.value(f.sheet, f.cell)), expected=_expected_kind(f.kind)))
            if p.severity is Severity.ERROR:
                unreadable.add(f.id)
    report = Report(values, {"file": file, "template_version": version})
    for t in FORM.totals:
        report.values[t.id] = report.total(t.id)  # never the cached value
    findings += check_tampering(source, report)
    findings += validate_report(report, prior=prior, already_reported=unreadable)
    return ValidationResult(file=file, findings=findings, report=report, template_version=version)


def _expected_kind(kind: Kind) -> str:
    return {"count": "非负整数", "amount": "非负数", "year": "四位年份"}.get(kind.value, "文字")


def _jsonable(v: Any) -> int | float | str | None:
    if v is None or isinstance(v, int | float | str) and not isinstance(v, bool):
        return v  # type: ignore[return-value]
    return str(v)


def check_tampering(source: CellSource, report: Report) -> list[Finding]:
    """Formula cells replaced by constants or edited, and cached totals that disagree."""
    out: list[Finding] = []
    by_sheet: dict[str, list[tuple[str, str]]] = {}
    for sheet, cell in _expected():
        by_sheet.setdefault(sheet, []).append((sheet, cell))
    for sheet, keys in by_sheet.items():
        if sheet not in source.sheet_names():
            continue
        actual = source.formulas(sheet)
        if actual is None:
            continue
        for key in keys:
            expected = _expected()[key]
            got = actual.get(key[1])
            if got is not None and (normalize_formula(got) == expected or got == _SHARED):
                continue
            out.append(_formula_finding(source, key, expected, got))
    replaced = {(f.sheet, f.cell) for f in out}
    for t in FORM.totals:
        if (t.sheet, t.cell) in replaced:
            continue  # already reported: the cell holds a constant or another formula
        cached = source.value(t.sheet, t.cell)
        recomputed = report.number(t.id)
        if isinstance(cached, int | float) and not isinstance(cached, bool) and recomputed is not None \
                and abs(cached - recomputed) > 1e-6:
            out.append(at_field("tamper.cached", t.id,
                                f"{t.label}：单元格保存的值为 {fmt(cached)}，按各分项重新计算应为 {fmt(recomputed)}。"
                                f"该合计可能被手工改过或未重新计算；本工具以重新计算的结果为准，请在 Excel 中按 F9 重算或恢复公式后保存。",
                                expected=recomputed, actual=cached))
    return out


def _formula_finding(source: CellSource, key: tuple[str, str], expected: str, got: str | None) -> Finding:
    sheet, cell = key
    field = FORM.field_at(sheet, cell)
    what = field.label if field else f"{sheet}!{cell}"
    if got is None:
        value = source.value(sheet, cell)
        detail = f"公式被改成了固定内容“{fmt(value) if isinstance(value, int | float) else value}”" \
            if value not in (None, "") else "公式被删除"
    else:
        detail = f"公式被改为“={got}”"
    message = f"{what}：{detail}，应为“={expected}”。合计和校验单元格由公式自动计算，请勿改写；请使用下发的模板重新填报。"
    if field is not None:
        return at_field("tamper.formula", field.id, message, expected=f"={expected}",
                        actual=f"={got}" if got is not None else _jsonable(source.value(sheet, cell)))
    return Finding("tamper.formula", FORM.rules["tamper.formula"].severity, message, sheet=sheet, cell=cell,
                   expected=f"={expected}", actual=f"={got}" if got else None)


# ---------------------------------------------------------------------------
# Files: calamine values + worksheet-XML formulas
# ---------------------------------------------------------------------------

_SHARED = "\x00shared"  # a cell that is part of a shared formula whose master holds the text


class FileSource:
    """A CellSource over an xlsx/xlsm file."""

    def __init__(self, path: Path, display: str) -> None:
        self.path = path
        self.display = display
        self._zip = _open_zip(path, display)
        self._book = _open_calamine(path, display)
        self._rows: dict[str, list[list[Any]]] = {}
        self._sheet_parts: dict[str, str] | None = None

    def close(self) -> None:
        self._zip.close()
        self._book.close()

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def _sheet_rows(self, sheet: str) -> list[list[Any]]:
        rows = self._rows.get(sheet)
        if rows is None:
            try:
                rows = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except python_calamine.CalamineError as exc:
                raise ReadError(f"{self.display}：工作表“{sheet}”无法读取（{exc}）。") from exc
            self._rows[sheet] = rows
        return rows

    def meta(self) -> dict[str, str]:
        out = {}
        for row in self._sheet_rows(SHEET_META):
            if len(row) >= 2 and isinstance(row[0], str) and row[0]:
                v = row[1]
                out[row[0]] = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        return out

    def value(self, sheet: str, cell: str) -> Any:
        r, c = _rc(cell)
        rows = self._sheet_rows(sheet)
        if r < len(rows) and c < len(rows[r]):
            v = rows[r][c]
            return None if v == "" else v
        return None

    def formulas(self, sheet: str) -> Mapping[str, str] | None:
        part = self._parts().get(sheet)
        if part is None:
            return None
        return _read_formulas(self._zip, part, self.display, sheet)

    def _parts(self) -> dict[str, str]:
        if self._sheet_parts is None:
            self._sheet_parts = _sheet_parts(self._zip, self.display)
        return self._sheet_parts


def _rc(cell: str) -> tuple[int, int]:
    col = 0
    i = 0
    while i < len(cell) and cell[i].isalpha():
        col = col * 26 + (ord(cell[i].upper()) - 64)
        i += 1
    return int(cell[i:]) - 1, col - 1


def _open_zip(path: Path, display: str) -> zipfile.ZipFile:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"{display}：无法打开文件（{exc.strerror or exc}）。") from exc
    if size == 0:
        raise ReadError(f"{display}：文件是空的（0 字节），请重新保存后再提交。")
    if size > MAX_FILE_BYTES:
        raise ReadError(f"{display}：文件有 {size // 1024 // 1024} MB，远大于正常的填报表，拒绝读取。请确认提交的是填报模板。")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(
            f"{display}：文件是加密（设置了打开密码）的工作簿或旧版 .xls 文件，无法读取。"
            f"如设置了密码，请在 Excel 中取消打开密码后重新提交；如是 .xls，请使用下发的 .xlsx 模板重新填报。"
        )
    if not head.startswith(b"PK"):
        raise ReadError(f"{display}：不是 Excel 工作簿（.xlsx）文件，可能是改了扩展名的其他文件。请提交用下发模板填写的 .xlsx 文件。")
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError(f"{display}：文件已损坏或不完整（{exc}），请重新保存后提交。") from exc
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_UNCOMPRESSED or \
                (ratio > MAX_RATIO and info.file_size > 1024 * 1024):
            zf.close()
            raise ReadError(f"{display}：文件内部结构异常（解压后体积过大，疑似压缩炸弹），拒绝读取。")
    return zf


def _open_calamine(path: Path, display: str) -> python_calamine.CalamineWorkbook:
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise ReadError(f"{display}：工作簿设置了打开密码，无法读取。请取消密码后重新提交。") from exc
    except Exception as exc:  # calamine raises several error types for broken files
        raise ReadError(f"{display}：无法读取为 Excel 工作簿（{_short(exc)}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再提交。") from exc


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 120 else text[:120] + "…"


def _parse_xml(zf: zipfile.ZipFile, name: str, display: str) -> Any:
    try:
        data = zf.read(name)
        return SafeET.fromstring(data, forbid_dtd=True)
    except KeyError as exc:
        raise ReadError(f"{display}：工作簿缺少内部部件 {name}，文件已损坏。") from exc
    except Exception as exc:  # defusedxml refuses DTDs/entities; ParseError for broken XML
        raise ReadError(f"{display}：工作簿内部部件 {name} 无法解析（{_short(exc)}），文件已损坏或含有不安全内容。") from exc


def _sheet_parts(zf: zipfile.ZipFile, display: str) -> dict[str, str]:
    book = _parse_xml(zf, "xl/workbook.xml", display)
    rels = _parse_xml(zf, "xl/_rels/workbook.xml.rels", display)
    targets = {}
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    out = {}
    for sheet in book.iter(f"{_NS}sheet"):
        rid = sheet.get(f"{_REL_NS}id")
        if rid in targets:
            out[sheet.get("name")] = targets[rid]
    return out


def _read_formulas(zf: zipfile.ZipFile, part: str, display: str, sheet: str) -> dict[str, str]:
    root = _parse_xml(zf, part, display)
    out = {}
    for c in root.iter(f"{_NS}c"):
        f = c.find(f"{_NS}f")
        if f is None:
            continue
        ref = c.get("r")
        if ref is None:
            continue
        out[ref] = f.text if f.text else _SHARED
    return out


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

def read_workbook(path: str | Path, *, prior: Report | None = None, display: str | None = None) -> ValidationResult:
    """Validate one workbook file; never raises for a bad file (read_error is set instead)."""
    path = Path(path)
    name = display or str(path)
    try:
        source = FileSource(path, name)
    except ReadError as exc:
        return ValidationResult(file=name, read_error=str(exc))
    try:
        return validate_source(source, file=name, prior=prior)
    except ReadError as exc:
        return ValidationResult(file=name, read_error=str(exc))
    finally:
        source.close()


def read_report(path: str | Path) -> Report:
    """The report data of a workbook; ReadError when it cannot be read."""
    result = read_workbook(path)
    if result.read_error:
        raise ReadError(result.read_error)
    assert result.report is not None
    return result.report

