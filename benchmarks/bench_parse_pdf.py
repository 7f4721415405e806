"""How long does reading a published report in PDF take, in process?

Run:  python benchmarks/bench_parse_pdf.py [--repeat R] [FILE.pdf ...]

Without files: the real reports in tests/data/published/, the same reports with
their rulings removed (tables read from the text alone), and our own rendered
report printed by LibreOffice when soffice is installed.  Each file is parsed R
times with ``parse_file`` (PDF reading plus the table parser); prints the page
count and the median and maximum per file, and the share spent in ``pdf_lines``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from xl_disclosure.readers.pdf import pdf_lines
from xl_disclosure.readers.published_file import parse_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def strip_rulings(src: Path, target: Path) -> Path:
    doc = pdfium.PdfDocument(str(src))
    for i in range(len(doc)):
        page = doc[i]
        for obj in list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1)):
            page.remove_obj(obj)
        page.gen_content()
    doc.save(str(target))
    return target


def default_files(tmp: Path) -> list[Path]:
    real = sorted((ROOT / "tests" / "data" / "published").glob("*.pdf"))
    files = list(real) + [strip_rulings(p, tmp / f"{p.stem}-no-rulings.pdf") for p in real]
    if shutil.which("soffice") or shutil.which("libreoffice"):
        from render_helpers import distinct_report, soffice_pdf
        from xl_disclosure.writers.render import render_report

        report = distinct_report()
        # long narratives, so the printed report has six pages or more
        for fid in ("n1_proactive", "n1_on_request", "n5_problems"):
            report.values[fid] = "\n".join([str(report.values[fid]) * 3] * 6)
        (pdf,) = soffice_pdf([render_report(report, tmp / "rendered-long.docx")], tmp)
        files.append(pdf)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        files = args.files or default_files(Path(tmp_name))
        parse_file(files[0])  # warm up imports
        print(f"parse one PDF (parse_file), {args.repeat} runs per file:")
        for path in files:
            whole, reading = [], []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                parse_file(path)
                whole.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                pdf_lines(path)
                reading.append(time.perf_counter() - t0)
            pages = len(pdfium.PdfDocument(str(path)))
            ms = 1000
            print(f"  {path.name}: {pages} pages, median {statistics.median(whole) * ms:.1f} ms, "
                  f"max {max(whole) * ms:.1f} ms (of which pdf_lines {statistics.median(reading) * ms:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
