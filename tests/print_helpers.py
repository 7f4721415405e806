"""Printing the template in LibreOffice: one PDF per sheet, its page count and text, PNG pages.

Used by tests/test_template_print.py and by scripts/render_template_pngs.py (the PNGs in docs/template/).
A sheet is printed alone by saving a copy of the workbook in which every other sheet is hidden
(LibreOffice prints visible sheets only); the formulas still see every sheet, so the values are those
the clerk sees.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl.styles import Alignment
from openpyxl.workbook.workbook import Workbook

from xl_disclosure.api import validate_file
from xl_disclosure.excel.build import make_macro_workbook
from xl_disclosure.excel.button import results_rows
from xl_disclosure.form import SHEET_META
from xl_disclosure.model.samples import seed_report
from xl_disclosure.writers.results_sheet import RESULTS_COLUMN_WIDTHS, RESULTS_HEADER_ROW, RESULTS_SHEET
from xl_disclosure.writers.template import cell_font, fill_values, make_workbook, text_height

#: File-name stem of each sheet's render (ASCII, for docs/template/).
SHEET_KEYS: dict[str, str] = {
    "封面": "1-cover",
    "总体情况": "2-overview",
    "主动公开": "3-table2",
    "依申请公开": "4-table3",
    "复议诉讼": "5-table4",
    "问题及其他": "6-other",
    "校验": "7-checks",
    "填报说明": "8-guide",
    RESULTS_SHEET: "9-results",
}


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    assert path, "LibreOffice (soffice) is required; scripts/test.sh installs it"
    return path


def seed_workbook(*, macro: bool = False) -> Workbook:
    """The template filled with the seed report (the longest real narratives we have)."""
    values = fill_values(seed_report())
    return make_macro_workbook(values=values) if macro else make_workbook(values=values)


def checked_macro_workbook() -> Workbook:
    """The .xlsm filled with the seed report and three clerk mistakes, with the rows the 校验 button
    writes on its 校验结果 sheet (values only, as the button writes them: the sheet's own styles show them)."""
    values = fill_values(seed_report())
    values.update({"s3_new_natural": "3", "s2_rules_issued": "5件", "cover_preparer": None})
    values = {k: v for k, v in values.items() if v is not None}
    with tempfile.TemporaryDirectory(prefix="xld-checked-") as tmp:
        path = Path(tmp) / "checked.xlsx"
        make_workbook(values=values).save(path)
        result = validate_file(path)
    wb = make_macro_workbook(values=values)
    ws = wb[RESULTS_SHEET]
    book = "2024_孟津区西霞院街道办事处.xlsm"
    rows = results_rows(result, book, Path("D:/年报") / f"{book}.校验结果.json", dt.datetime(2025, 1, 20, 9, 30))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c)
            cell.value = value
            # what the button sets after writing (excel.button.write_results): bold header, wrapped findings
            cell.font = cell_font(12 if r == 1 else 10, bold=r in (1, RESULTS_HEADER_ROW))
            if r > RESULTS_HEADER_ROW:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        if r > RESULTS_HEADER_ROW:  # the button's rows.autofit(), which LibreOffice does not do on opening
            ws.row_dimensions[r].height = text_height(str(row[3]), RESULTS_COLUMN_WIDTHS[3], 10)
    return wb


def _only(make: Callable[[], Workbook], sheet: str) -> Workbook:
    wb = make()
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == sheet
        if ws.title != sheet and ws.sheet_state == "visible":
            ws.sheet_state = "hidden"
    wb.active = wb.sheetnames.index(sheet)
    return wb


def sheet_pdfs(make: Callable[[], Workbook], sheets: Iterable[str], out_dir: Path) -> dict[str, Path]:
    """Each of ``sheets`` of the workbook ``make`` builds, printed alone by LibreOffice: sheet → PDF."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xld-print-") as tmp:
        sources = {}
        for sheet in sheets:
            wb = _only(make, sheet)
            suffix = ".xlsm" if wb.vba_archive is not None else ".xlsx"
            path = Path(tmp) / f"{SHEET_KEYS.get(sheet, sheet)}{suffix}"
            wb.save(path)
            sources[sheet] = path
        cmd = [soffice(), f"-env:UserInstallation=file://{tmp}/profile-{uuid.uuid4().hex}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, sources.values())]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    pdfs = {sheet: out_dir / (src.stem + ".pdf") for sheet, src in sources.items()}
    missing = [p for p in pdfs.values() if not p.exists()]
    assert not missing, f"LibreOffice did not print {missing}: {proc.stdout} {proc.stderr}"
    return pdfs


def template_sheets(wb: Workbook) -> list[str]:
    return [ws.title for ws in wb.worksheets if ws.title != SHEET_META and ws.sheet_state == "visible"]


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pngs(pdf: Path, out_dir: Path, stem: str, *, dpi: int = 60) -> list[Path]:
    """The PDF's pages as PNGs ``stem-1.png`` … in ``out_dir`` (old pages of that stem removed first)."""
    for old in out_dir.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out_dir / stem)], check=True)
    return sorted(out_dir.glob(f"{stem}-*.png"))

