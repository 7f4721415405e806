"""Regenerate the text copies of the corpus PDFs in tests/data/published/real/converted/: the text real tools copy.

Assessors and compiling offices often get no published PDF, only the text someone copied out of it.  Each
corpus PDF (the real WPS exports and the engines' conversions of the real web reports, see
scripts/convert_real_reports.py) is put here through the tools that copy that text, and the text is written
as ``<pdf name without .pdf>.<tool>.txt`` beside the conversions, so that tests/test_real_reports.py scores
it with the hand-read cells of the report it comes from:

* ``.pdftotext.txt`` — poppler's ``pdftotext`` without options (what Evince and Okular, both poppler, copy
  when a whole page is selected reads much the same): text in blocks, so a column of row labels and then a
  column of numbers, often one cell a line; a blank cell prints nothing;
* ``.pdftotext-layout.txt`` — ``pdftotext -layout``: each printed line as one text line, its words at their
  character positions, so the columns of a table stand under each other;
* ``.pdftotext-raw.txt`` — ``pdftotext -raw``: the words in the order the PDF draws them;
* ``.pdfium.txt`` — PDFium's text of each page (``FPDFText_GetText`` through pypdfium2), what a browser's PDF
  viewer (Chromium, Edge) copies after “select all”: pages one after another, line breaks made ``\\n``.

Not every tool for every PDF: a copy is left out where it adds no layout of its own, or where the text
itself does not print the table (SKIP, with the reason; tests/data/published/real/SOURCES.md says more).
Needs ``pdftotext`` (Debian: poppler-utils, installed by .ci/run) and pypdfium2 (a dependency of the
project); the tests read only the committed files.  Run from the repository root:
``python scripts/copy_pdf_text.py`` (``--only NAME`` to copy one PDF, its file name without ``.pdf``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "tests" / "data" / "published"
OUT = PUBLISHED / "real" / "converted"
TIMEOUT = 120

#: pdftotext's options per copy (None: PDFium's text).
TOOLS: dict[str, list[str] | None] = {
    "pdftotext": [],
    "pdftotext-layout": ["-layout"],
    "pdftotext-raw": ["-raw"],
    "pdfium": None,
}

#: (PDF name without .pdf, tool or "*" for all) -> why its copy is not made.
SKIP = {
    ("hongze-2023", "*"): "the same office's WPS template as hongze-2024: every tool prints the same lines",
    ("city-2025-anonymised.libreoffice", "pdftotext"): "table 三's 总计 column runs off the page; poppler "
                                                      "prints only what lies on it (14069 as “14”)",
    ("city-2025-anonymised.libreoffice", "pdftotext-layout"): "as pdftotext: 总计 cropped at the page edge",
    ("city-2025-anonymised.libreoffice", "pdftotext-raw"): "as pdftotext: 总计 cropped at the page edge",
    ("city-2025-anonymised.libreoffice-table14", "*"): "numbers wrapped inside their narrow cells: the text "
                                                      "prints the pieces as numbers of their own (“1406” / “9”) "
                                                      "or loses the wrapped digit (“56” for 560)",
    ("city-2025-anonymised.libreoffice-table18", "*"): "as table14, more so",
    ("city-2025-anonymised.libreoffice-ruled-table14", "*"): "as table14 (ruled): “1406” / “9”, “5” for 560",
    ("shanghai-bangongting-2019.chromium-padded", "*"): "prints the lines of its other copies (blank cells lost)",
    ("shanghai-bangongting-2019.chromium-zoom", "*"): "prints the lines of its other copies (blank cells lost)",
}


def corpus_pdfs() -> list[Path]:
    """The PDFs scored by tests/test_real_reports.py: the real ones with hand-read cells, and the conversions."""
    real = [p for p in sorted(PUBLISHED.glob("*.pdf")) + sorted((PUBLISHED / "real").glob("*.pdf"))
            if p.with_suffix(".expected.json").exists() or p.parent == PUBLISHED]
    return real + sorted(OUT.glob("*.pdf"))


def pdfium_text(pdf: Path) -> str:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        return "\n".join(pages)
    finally:
        doc.close()


def copy(pdf: Path) -> list[Path]:
    made = []
    for tool, options in TOOLS.items():
        if (pdf.stem, "*") in SKIP or (pdf.stem, tool) in SKIP:
            continue
        out = OUT / f"{pdf.stem}.{tool}.txt"
        if options is None:
            out.write_text(pdfium_text(pdf), encoding="utf-8")
        else:
            subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(pdf), str(out)], check=True,
                           timeout=TIMEOUT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        made.append(out)
    return made


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="copy only this PDF (file name without .pdf)")
    args = ap.parse_args()
    if shutil.which("pdftotext") is None:
        print("pdftotext not found (Debian: apt-get install poppler-utils)", file=sys.stderr)
        return 2
    for pdf in corpus_pdfs():
        if args.only in (None, pdf.stem):
            for path in copy(pdf):
                print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
