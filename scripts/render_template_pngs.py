"""Render every sheet of the template (filled with the seed report) with LibreOffice into docs/template/.

    .venv/bin/python scripts/render_template_pngs.py [--out docs/template] [--dpi 60]

Each sheet is printed alone to PDF by headless LibreOffice (soffice) and its pages turned into PNGs by
pdftoppm (poppler-utils): docs/template/<n>-<sheet>-<page>.png.  The .xlsm's 校验结果 sheet comes from
the macro-enabled template, with the findings the 校验 button writes for the seed report with three
clerk mistakes (a number typed as text, "5件", a blank).  Prints the page count of each sheet.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.print_helpers import (  # noqa: E402 - the repository root goes on the path first
    SHEET_KEYS,
    checked_macro_workbook,
    page_count,
    pngs,
    seed_workbook,
    sheet_pdfs,
    template_sheets,
)

from xl_disclosure.writers.results_sheet import RESULTS_SHEET  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "template")
    ap.add_argument("--dpi", type=int, default=60)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xld-render-") as tmp:
        pdfs = sheet_pdfs(seed_workbook, template_sheets(seed_workbook()), Path(tmp) / "xlsx")
        pdfs.update(sheet_pdfs(checked_macro_workbook, [RESULTS_SHEET], Path(tmp) / "xlsm"))
        for sheet, pdf in pdfs.items():
            pages = pngs(pdf, args.out, SHEET_KEYS[sheet], dpi=args.dpi)
            print(f"{sheet}: {page_count(pdf)} 页 → {', '.join(p.name for p in pages)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
