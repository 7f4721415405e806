"""Make the scanned copy of a real report PDF: its pages printed, scanned and put through OCR, as offices do.

Many offices publish the signed and stamped report as a scan; a scanning program or the office's PDF tool then
lays an invisible text layer of recognised characters (OCR) over each page's image, so that the PDF can be
searched and copied.  That text is what a reader of the PDF gets.  This script makes such a copy of a corpus PDF
with the tools that do it for real:

1. each page rendered in grey at 200 dpi by poppler's ``pdftoppm`` (the “print”);
2. the scan: resampled to 150 dpi, turned by 0.4° (a sheet laid slightly askew on the glass), softened by a
   Gaussian blur of 0.6 px and speckled (one pixel in 400), saved as JPEG at quality 70 — what an office
   scanner's default “document” setting produces;
3. the pages put into one PDF by ``img2pdf`` (the images unchanged), and recognised by ``ocrmypdf`` with
   Tesseract's ``chi_sim`` model, which adds the invisible text layer (text render mode 3) and nothing else.

The copy is written as ``tests/data/published/<pdf name>.scanned-ocr.pdf``; tests/test_pdf_ocr.py reads only
that committed file.  Needs poppler-utils, tesseract-ocr and tesseract-ocr-chi-sim (Debian), and ``pip install
ocrmypdf img2pdf`` (not dependencies of the project).  Run from the repository root:
``python scripts/scan_pdf_copy.py hongze-2024``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "tests" / "data" / "published"
PRINT_DPI = 200
SCAN_DPI = 150
SKEW_DEGREES = 0.4
BLUR = 0.6
SPECKLE = 400
QUALITY = 70
SEED = 7


def scan(page: Path, out: Path, rng: random.Random) -> None:
    """One printed page as an office scanner returns it."""
    from PIL import Image, ImageFilter

    im = Image.open(page).convert("L")
    scale = SCAN_DPI / PRINT_DPI
    im = im.resize((round(im.width * scale), round(im.height * scale)), Image.Resampling.LANCZOS)
    im = im.rotate(SKEW_DEGREES, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    im = im.filter(ImageFilter.GaussianBlur(BLUR))
    px = im.load()
    assert px is not None
    for _ in range(im.width * im.height // SPECKLE):
        px[rng.randrange(im.width), rng.randrange(im.height)] = rng.choice((0, 90, 160))
    im.save(out, "JPEG", quality=QUALITY, dpi=(SCAN_DPI, SCAN_DPI))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="a PDF of tests/data/published, its file name without .pdf")
    args = parser.parse_args(argv)
    source = PUBLISHED / f"{args.name}.pdf"
    target = PUBLISHED / f"{args.name}.scanned-ocr.pdf"
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(["pdftoppm", "-r", str(PRINT_DPI), "-gray", "-png", str(source), str(work / "page")],
                       check=True)
        scans = []
        for page in sorted(work.glob("page-*.png")):
            scans.append(work / f"{page.stem}.jpg")
            scan(page, scans[-1], rng)
        images = work / "scan.pdf"
        subprocess.run(["img2pdf", *map(str, scans), "-o", str(images)], check=True)
        subprocess.run(["ocrmypdf", "-q", "-l", "chi_sim", "--output-type", "pdf", "--optimize", "0",
                        str(images), str(target)], check=True)
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
