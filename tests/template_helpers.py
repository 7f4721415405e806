"""Helpers for the template tests: expanding range references, recalculating in LibreOffice, fingerprints."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.cell import get_column_letter, range_boundaries

_REF = re.compile(r"(?:'((?:[^']|'')+)'!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def referenced_cells(formula: str, default_sheet: str) -> set[tuple[str, str]]:
    """Every (sheet, cell) a formula refers to, with ranges expanded."""
    out: set[tuple[str, str]] = set()
    for m in _REF.finditer(formula):
        sheet = m.group(1).replace("''", "'") if m.group(1) else default_sheet
        first = f"{m.group(2)}{m.group(3)}"
        last = f"{m.group(4)}{m.group(5)}" if m.group(4) else first
        c1, r1, c2, r2 = range_boundaries(f"{first}:{last}")
        assert c1 and r1 and c2 and r2
        for c in range(c1, c2 + 1):
            for r in range(r1, r2 + 1):
                out.add((sheet, f"{get_column_letter(c)}{r}"))
    return out


def expand_sqref(sqref: str) -> set[str]:
    out: set[str] = set()
    for part in str(sqref).split():
        c1, r1, c2, r2 = range_boundaries(part if ":" in part else f"{part}:{part}")
        assert c1 and r1 and c2 and r2
        for c in range(c1, c2 + 1):
            for r in range(r1, r2 + 1):
                out.add(f"{get_column_letter(c)}{r}")
    return out


def recalc_with_libreoffice(files: list[Path], out_dir: Path) -> list[Path]:
    """Open the files in headless LibreOffice (which recalculates) and save them as xlsx in ``out_dir``."""
    from conftest import soffice_convert_all

    return soffice_convert_all(files, out_dir, "xlsx")


def workbook_fingerprint(path: str | Path | io.BytesIO) -> dict[str, Any]:
    """What matters in a template, independent of zip timestamps and string-table order."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames, "states": [wb[s].sheet_state for s in wb.sheetnames]}
    out["names"] = sorted((n, d.attr_text) for n, d in wb.defined_names.items())
    out["structure_locked"] = bool(wb.security and wb.security.lockStructure)
    cells: dict[str, list[Any]] = {}
    validations: dict[str, list[Any]] = {}
    merged: dict[str, list[str]] = {}
    cf: dict[str, list[Any]] = {}
    for ws in wb.worksheets:
        rows: list[Any] = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    v = c.value.isoformat() if isinstance(c.value, dt.date) else c.value
                    rows.append((c.coordinate, v, c.protection.locked))
                elif c.has_style and not c.protection.locked:
                    rows.append((c.coordinate, None, False))
        cells[ws.title] = rows
        validations[ws.title] = sorted(
            (str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.prompt, dv.error)
            for dv in ws.data_validations.dataValidation
        )
        merged[ws.title] = sorted(str(r) for r in ws.merged_cells.ranges)
        cf[ws.title] = sorted((str(rng.sqref), tuple(r.formula or ())) for rng in ws.conditional_formatting
                              for r in rng.rules)
        out.setdefault("protected", []).append(bool(ws.protection.sheet))
    out.update(cells=cells, validations=validations, merged=merged, conditional_formats=cf)
    out["custom_props"] = sorted((p.name, str(p.value)) for p in wb.custom_doc_props.props)  # type: ignore[attr-defined]
    return out
