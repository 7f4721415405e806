"""The one path from any workbook to its findings: a :class:`CellSource`, then :func:`validate_source`.

A :class:`CellSource` is anything that can show sheet names, cell values, the
formulas of given cells and the template's identity: a file (``readers.workbook``
for .xlsx/.xlsm, ``readers.ods`` for .ods) or a workbook open in Excel (the 校验
button, ``excel.button``).  :func:`validate_source` does everything from there —
identity and version, structure, clerk-input coercion, the workbook's own
arithmetic, tamper checks and every data rule — so no rule is implemented twice.

This module imports no spreadsheet library: the button loads it in a fraction of
a second.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from xl_disclosure.checks.coerce import Coerced, coerce, jsonable
from xl_disclosure.checks.validator import SheetCounts, validate_report
from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.form import (
    FORM,
    READABLE_TEMPLATE_VERSIONS,
    RULES,
    SHEET_META,
    TEMPLATE_ID,
    TEMPLATE_VERSION,
    Field,
    Kind,
    Scalar,
)
from xl_disclosure.form.checksheet import formula_cells
from xl_disclosure.form.formulas import normalize_formula, quote_sheet
from xl_disclosure.model.findings import Finding, ValidationResult
from xl_disclosure.model.report import Report

#: A cell that is part of a shared formula whose master holds the text.
SHARED_FORMULA = "\x00shared"
_SHARED = SHARED_FORMULA


class ReadError(XlDisclosureError):
    """A file that cannot be read as one of our reports; the message is Chinese and names the file."""

    heading = "无法读取"


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

    def renamed(self) -> Mapping[str, str]:
        """Template sheets the workbook holds under another name: template name → name in the workbook.

        Every other method takes and gives template names (see checksheet.sheet_renames).
        """
        ...

    def number_formats(self, sheet: str) -> Mapping[str, str] | None:
        """The number format of the sheet's cells by cell, where it is not General; None when this source cannot tell."""
        ...


def unrename_formulas(formulas: Mapping[str, str], renames: Mapping[str, str]) -> dict[str, str]:
    """Formulas of a workbook with renamed sheets ({name in the workbook: template name}), written with template names.

    A spreadsheet renaming a sheet rewrites every reference to it; a reference still naming
    the old sheet points nowhere (#REF! when opened) and is written as ``#REF!`` here, so the
    formula no longer matches the template's.
    """
    back = {actual: quote_sheet(ours) + "!" for actual, ours in renames.items()}
    back.update({ours: "#REF!" for ours in renames.values()})
    pattern = re.compile("|".join(
        rf"(?:'{re.escape(name.replace(chr(39), chr(39) * 2))}'|(?<![\w.']){re.escape(name)})!" for name in back))

    def swap(m: re.Match[str]) -> str:
        text = m.group(0)[:-1]
        return back[text[1:-1].replace("''", "'") if text.startswith("'") else text]

    return {cell: pattern.sub(swap, text) if text != _SHARED else text for cell, text in formulas.items()}


# ---------------------------------------------------------------------------
# Expected formula cells
# ---------------------------------------------------------------------------

def expected_formulas() -> dict[tuple[str, str], str]:
    """Every formula cell of the template (totals, 校验 sheet, status cell), normalized.

    The same strings the template writes: both come from :func:`xl_disclosure.form.checksheet.formula_cells`.
    """
    return {key: normalize_formula(formula) for key, formula in formula_cells().items()}


@functools.cache
def _expected_by_sheet() -> dict[str, dict[str, str]]:
    """sheet → cell → normalized expected formula, built once."""
    out: dict[str, dict[str, str]] = {}
    for (sheet, cell), formula in expected_formulas().items():
        out.setdefault(sheet, {})[cell] = formula
    return out


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


class FileCellSource(CellSource, Protocol):
    """A CellSource opened on a file, which holds the file until closed."""

    def close(self) -> None: ...


def read_file_source(open_source: Callable[[Path, str], FileCellSource], path: str | Path, *,
                     prior: Report | None = None, display: str | None = None) -> ValidationResult:
    """Open ``path`` with ``open_source`` (path, name shown) and validate it; never raises for a bad file."""
    path = Path(path)
    name = display or str(path)
    try:
        source = open_source(path, name)
    except ReadError as exc:
        return ValidationResult(file=name, read_error=str(exc))
    try:
        return validate_source(source, file=name, prior=prior)
    finally:
        source.close()


def validate_source(source: CellSource, *, file: str, prior: Report | None = None) -> ValidationResult:
    """Read and validate one workbook through any CellSource; a ReadError becomes ``read_error``."""
    try:
        return _validate_source(source, file, prior)
    except ReadError as exc:
        return ValidationResult(file=file, read_error=str(exc))


def _validate_source(source: CellSource, file: str, prior: Report | None) -> ValidationResult:
    version = check_identity(source, file)
    findings: list[Finding] = [RULES["sheet.renamed"].finding(sheet=ours, expected=ours, actual=actual)
                               for ours, actual in source.renamed().items()]
    values: dict[str, Any] = {}
    numbers: dict[str, Any] = {}  # the raw content of every number cell, for the workbook's own arithmetic
    blank: list[str] = []
    unreadable: set[str] = set()
    unknown = _input_formulas(source)
    formats: dict[str, Mapping[str, str] | None] = {}
    for f in FORM.inputs:
        if f.id in unknown:  # its saved result is never taken: not summed, never an identity
            findings.append(unknown[f.id])
            values[f.id] = None
            unreadable.add(f.id)
            continue
        raw = source.value(f.sheet, f.cell)
        if f.sheet not in formats:
            formats[f.sheet] = source.number_formats(f.sheet)
        shown = formats[f.sheet]
        code = shown.get(f.cell) if shown else None
        if code is not None and raw is not None and _shown_otherwise(code, raw, f):
            unknown[f.id] = _format_finding(f, code, raw)  # what the cell shows is not what it holds
            findings.append(unknown[f.id])
            values[f.id] = None
            unreadable.add(f.id)
            continue
        c: Coerced = coerce(f, raw)
        values[f.id] = c.value
        if f.is_numeric:
            numbers[f.id] = raw
            if c.value is None and c.problem is None:
                blank.append(f.id)
        if c.problem is not None:
            findings.append(c.problem)
            if c.value is None:  # said why it could not be read: not blank as well
                unreadable.add(f.id)
    report = Report(values, {"file": file, "template_version": version, "totals": "recomputed"})
    report.values.update(report.recomputed_totals())  # never the cached values
    counts = SheetCounts.of(numbers, blank, unknown=unknown)
    findings += check_tampering(source, counts)
    findings += validate_report(report, prior=prior, already_reported=unreadable, counts=counts)
    renamed = source.renamed()
    if renamed:  # point at the sheets as the clerk sees them
        findings = [dataclasses.replace(f, sheet=renamed[f.sheet]) if f.sheet is not None and f.sheet in renamed
                    and f.rule != "sheet.renamed" else f for f in findings]
    return ValidationResult(file=file, findings=findings, report=report, template_version=version)


def _input_formulas(source: CellSource) -> dict[str, Finding]:
    """An ``input.formula`` finding for every input cell that holds a formula, by field id.

    A formula's saved result is whatever the program that last saved the file computed — or
    whatever a hostile submitter wrote there — so it is never read: the cell counts as unread.
    A source that cannot see formulas (a remote engine) finds none.
    """
    out: dict[str, Finding] = {}
    for sheet, fields in _INPUTS_BY_SHEET.items():
        formulas = source.formulas(sheet)
        if not formulas:
            continue
        for f in fields:
            text = formulas.get(f.cell)
            if text is None:
                continue
            shown = "共享公式" if text == _SHARED else text if len(text) <= 60 else text[:60] + "…"
            content = "数值" if f.is_numeric else "日期" if f.kind is Kind.DATE else "文字"
            out[f.id] = RULES["input.formula"].finding(field=f, formula=shown, content=content)
    return out


def _sections(code: str) -> list[str]:
    """A number format's sections (split at ``;`` outside quotes and escapes), each with its quoted
    literals, escaped characters, colours and conditions still in it."""
    out, part, i = [], [], 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            j = code.find('"', i + 1)
            j = len(code) if j < 0 else j
            part.append(code[i:j + 1])
            i = j + 1
            continue
        if ch == "\\" and i + 1 < len(code):
            part.append(code[i:i + 2])
            i += 2
            continue
        if ch == ";":
            out.append("".join(part))
            part = []
        else:
            part.append(ch)
        i += 1
    out.append("".join(part))
    return out


#: A format that shows a number as it is: digit placeholders, at most one decimal point, thousands
#: separators between digits (a trailing comma divides by 1000); nothing else.
_PLAIN_NUMBER = re.compile(r"[#0?]*+(?:,[#0?]++)*+(?:\.[#0?]*+)?+")


def _shown_otherwise(code: str, raw: object, f: Field) -> bool:
    """Whether a cell holding ``raw`` shows something else than ``raw`` under number format ``code``.

    A number: unless the format is General, text (@) or plain digits (``0``, ``0.00``, ``#,##0``, the
    template's ``0.####``) that do not round away decimals the field may have.  Any literal, section,
    condition, colour, percent, exponent, fraction, scaling or padding counts as showing otherwise
    (``"00"`` shows 00 whatever the number, ``;;;`` nothing, ``0"0"`` ten times the number).  Text:
    when a fourth section other than ``@`` replaces or hides it, or ``@`` comes with literals.
    Dates are read as dates (input.coerced), so only numbers and text are asked about.
    """
    text = code.strip()
    if text.lower() == "general" or text == "":
        return False
    if type(raw) is str:
        sections = _sections(text)
        if len(sections) >= 4:
            return sections[3].strip() != "@"
        return any("@" in s and s.strip() != "@" for s in sections)
    if type(raw) is not int and type(raw) is not float:
        return False
    if text == "@":
        return False
    if not _PLAIN_NUMBER.fullmatch(text) or not any(ch in text for ch in "0#?"):
        return True
    # Decimals the field may have (an amount's) but the format rounds away; more decimals than the
    # field allows are input.precision's, a fraction of a count input.not_integer's.
    decimals = len(text) - text.index(".") - 1 if "." in text else 0
    allowed = f.decimals if f.kind is Kind.AMOUNT else 0
    return decimals < allowed and isinstance(raw, float) and math.isfinite(raw) \
        and round(raw, decimals) != round(raw, allowed)


def _format_finding(f: Field, code: str, raw: object) -> Finding:
    code = code if len(code) <= 40 else code[:40] + "…"
    if type(raw) is str:
        value = raw if len(raw) <= 40 else raw[:40] + "…"
        return RULES["input.number_format"].finding(field=f, code=code, value=value, wording="text")
    return RULES["input.number_format"].finding(field=f, code=code, value=jsonable(raw))


_INPUTS_BY_SHEET: dict[str, list[Field]] = {}
for _f in FORM.inputs:
    _INPUTS_BY_SHEET.setdefault(_f.sheet, []).append(_f)


def check_tampering(source: CellSource, counts: SheetCounts) -> list[Finding]:
    """Formula cells replaced by constants or edited, and saved totals the workbook's own formulas disagree with.

    A saved total is compared with what its SUM gives on the same cells (``counts``: text and
    blanks count 0, as SUM skips them), so a number typed as text is reported once, where it
    is (input.not_number), and never as a tampered total.
    """
    out: list[Finding] = []
    present = set(source.sheet_names())
    for sheet in _expected_by_sheet():
        if sheet not in present:
            out.append(RULES["tamper.formula"].finding(sheet=sheet, wording="sheet_missing", sheet_name=sheet))
            continue
        actual = source.formulas(sheet)
        if actual is None:
            continue
        wrong = _remembered_mismatches(sheet, actual) if isinstance(actual, FormulaMap) \
            else _formula_mismatches(sheet, actual)
        for cell, expected, got in wrong:
            out.append(_formula_finding(source, (sheet, cell), expected, got))
    replaced = {(f.sheet, f.cell) for f in out}
    for t in FORM.totals:
        if (t.sheet, t.cell) in replaced:
            continue  # already reported: the cell holds a constant or another formula
        cached = source.value(t.sheet, t.cell)
        recomputed = counts.values[t.id]
        if isinstance(cached, int | float) and not isinstance(cached, bool) and recomputed is not None \
                and abs(cached - recomputed) > 1e-6:
            out.append(RULES["tamper.cached"].finding(field=t, expected=recomputed, actual=cached))
    return out


def _formula_mismatches(sheet: str, actual: Mapping[str, str]) -> tuple[tuple[str, str, str | None], ...]:
    """(cell, expected formula, formula found or None) for every expected formula cell that does not hold it."""
    out = []
    for cell, expected in _expected_by_sheet()[sheet].items():
        got = actual.get(cell)
        if got is not None and (normalize_formula(got) == expected or got == _SHARED):
            continue
        out.append((cell, expected, got))
    return tuple(out)


_remembered_mismatches = functools.lru_cache(maxsize=32)(_formula_mismatches)


def _formula_finding(source: CellSource, key: tuple[str, str], expected: str, got: str | None) -> Finding:
    sheet, cell = key
    field = FORM.field_at(sheet, cell)
    where: dict[str, Any] = {"field": field} if field is not None else {"sheet": sheet, "cell": cell,
                                                                        "label": f"{sheet}!{cell}"}
    actual: Scalar = f"={got}" if got is not None else jsonable(source.value(sheet, cell))
    wording = "" if got is not None else "constant" if actual not in (None, "") else "deleted"
    return RULES["tamper.formula"].finding(expected=f"={expected}", actual=actual, wording=wording, **where)


class FormulaMap(dict[str, str]):
    """One sheet's formulas by cell, as read from a file.

    Every copy of a template carries the same formulas, so one map is shared by every
    file with the same formula cells (treat it as read-only), and what is checked
    about it is remembered (it hashes by identity).
    """

    __hash__ = object.__hash__  # type: ignore[assignment]
