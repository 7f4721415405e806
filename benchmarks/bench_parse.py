"""How fast are published reports (Word, HTML, text, PDF) read, in process?

Run:  python benchmarks/bench_parse.py [--reports 1000] [--pdfs 12] [--keep DIR]
      python benchmarks/bench_parse.py [--repeat R] FILE ...

1. Generates a folder of --reports published reports, a quarter in each format, each from a different
   random report (``model.samples.random_report``, long narratives so a printed report has six pages or
   more) rendered by ``writers.render``: Word (.docx), HTML, Markdown (.md, read as text), and PDF.
   PDFs are printed by LibreOffice from --pdfs of the Word files in one run (about a second each), and
   copied to make up their quarter: the PDF figures are over --pdfs distinct files, each parsed several
   times.  Without soffice there are no generated PDFs.
2. Parses every file with ``parse_file`` (reading plus the table parser, no child process) and checks
   every table number read against the report it was rendered from.
3. Prints per format: files, pages (PDF), median, p95 and maximum CPU time per file, throughput
   (files per CPU second), and cells read exactly.  Then the real PDFs of tests/data/published/, as
   published and with their rulings removed (tables read from the text alone), R times each.

With FILE arguments: parses each file R times and prints its median and maximum (for PDFs also the
share spent in ``pdf_lines``).

Measured on the shared two-core machine (2026-12-02, one run of --reports 1000 --pdfs 12, load 8 from
other users' test suites: CPU time, so waiting for a core is not counted; generation took 607 s, of
which Word rendering ~0.5 s a file and LibreOffice printing the 12 PDFs):

=======  =====  =========  ========  ========  ========  ===========
format   files  median     p95       max       files/s   cells exact
=======  =====  =========  ========  ========  ========  ===========
docx     250    24.6 ms    28.3 ms   30.2 ms   41.8      100 %
html     250    9.7 ms     12.1 ms   17.1 ms   106.2     100 %
text     250    7.1 ms     8.5 ms    9.0 ms    149.0     100 %
pdf      250    105.5 ms   126.9 ms  158.8 ms  9.8       100 %
=======  =====  =========  ========  ========  ========  ===========

The PDFs have 6 pages each (12 distinct files, each parsed about 21 times).  Targets (issue 15): a
6-page text PDF < 1 s (p95 0.13 s), an HTML page < 0.2 s (p95 0.012 s).  The real PDFs of
tests/data/published/ (5 pages): median 104–113 ms as published, 76–117 ms without their rulings.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pdf_helpers import strip_rulings  # noqa: E402

from xl_disclosure.model.report import Report  # noqa: E402
from xl_disclosure.model.samples import random_report  # noqa: E402
from xl_disclosure.readers.pdf import pdf_lines  # noqa: E402
from xl_disclosure.readers.published import TABLE_FIELDS  # noqa: E402
from xl_disclosure.readers.published_file import parse_file  # noqa: E402
from xl_disclosure.writers.render import render_report  # noqa: E402

FORMATS = (".docx", ".html", ".md", ".pdf")
LABELS = {".docx": "docx", ".html": "html", ".md": "text", ".pdf": "pdf"}
REAL_PDFS = sorted((ROOT / "tests" / "data" / "published").glob("*.pdf"))


# ---------------------------------------------------------------------------
# Generating the folder
# ---------------------------------------------------------------------------

def bench_report(seed: int) -> Report:
    """A random report whose narratives are long enough for six printed pages or more."""
    report = random_report(random.Random(seed), agency=f"某某县第{seed}局")
    for fid in ("n1_proactive", "n1_on_request", "n5_problems"):
        report.values[fid] = "\n".join([str(report.values[fid]) * 3] * 6)
    return report.with_totals()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def generate(folder: Path, reports: int, *, pdfs: int = 12, pdf_from: Iterable[Path] | None = None) -> dict[Path, Report]:
    """``reports`` published reports in ``folder`` (a quarter per format): path -> the report it shows.

    PDFs: ``pdfs`` of the Word files printed by LibreOffice, then copied; or, with ``pdf_from``, those
    PDFs copied (their reports are unknown: None is not stored, they are checked only for being read).
    """
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[Path, Report] = {}
    per = reports // len(FORMATS)
    docx: list[tuple[Path, Report]] = []
    for suffix in (".docx", ".html", ".md"):
        for _ in range(per):
            seed = len(out)
            report = bench_report(seed)
            path = render_report(report, folder / f"report-{seed:05d}{suffix}")
            out[path] = report
            if suffix == ".docx":
                docx.append((path, report))
    sources: list[tuple[Path, Report | None]] = []
    if pdf_from is not None:
        sources = [(p, None) for p in pdf_from]
    elif soffice() and pdfs and docx:
        sources = list(_print_pdfs(docx[:pdfs], folder))
    for i in range(per if sources else 0):
        src, report = sources[i % len(sources)]
        target = folder / f"report-{len(out):05d}.pdf"
        if src != target:
            shutil.copyfile(src, target)
        if report is not None:
            out[target] = report
        else:
            out[target] = Report({}, {})
    return out


def _print_pdfs(docx: list[tuple[Path, Report]], folder: Path) -> Iterable[tuple[Path, Report]]:
    import subprocess
    import uuid

    work = folder / "_pdf"
    work.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-bench-") as profile:
        subprocess.run([str(soffice()), f"-env:UserInstallation=file://{profile}/{uuid.uuid4().hex}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(work), *(str(p) for p, _ in docx)],
                       capture_output=True, timeout=600, check=True)
    for path, report in docx:
        pdf = work / (path.stem + ".pdf")
        if pdf.exists():
            yield pdf, report


# ---------------------------------------------------------------------------
# Parsing it
# ---------------------------------------------------------------------------

@dataclass
class Figures:
    seconds: list[float] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    cells: int = 0
    exact: int = 0
    unread: int = 0  # files whose tables were not found

    def line(self, label: str) -> str:
        s = sorted(self.seconds)
        p95 = s[min(len(s) - 1, int(0.95 * len(s)))]
        ms = 1000
        pages = f", {min(self.pages)}–{max(self.pages)} pages" if self.pages else ""
        rate = f"{self.exact / self.cells:.1%}" if self.cells else "—"
        return (f"  {label:5} {len(s):5} files{pages}: median {statistics.median(s) * ms:6.1f} ms, "
                f"p95 {p95 * ms:6.1f} ms, max {s[-1] * ms:6.1f} ms, {len(s) / sum(s):6.1f} files/s; "
                f"cells exact {rate}" + (f"; {self.unread} files without tables" if self.unread else ""))


def parse_all(files: dict[Path, Report]) -> dict[str, Figures]:
    """Parse every file once (CPU time each) and count the table numbers read exactly."""
    out: dict[str, Figures] = {}
    for path, report in files.items():
        fig = out.setdefault(path.suffix, Figures())
        t0 = time.process_time()
        result = parse_file(path)
        fig.seconds.append(time.process_time() - t0)
        if not result.found_tables:
            fig.unread += 1
        if path.suffix == ".pdf":
            fig.pages.append(max((line.page or 0 for line in pdf_lines(path)), default=0))
        if report.values:
            for fid in TABLE_FIELDS:
                fig.cells += 1
                fig.exact += result.report.values.get(fid) == report.values.get(fid)
    return out


def repeat_files(files: Iterable[Path], repeat: int) -> None:
    print(f"parse each file (parse_file), {repeat} runs per file:")
    for path in files:
        whole, reading = [], []
        for _ in range(repeat):
            t0 = time.process_time()
            parse_file(path)
            whole.append(time.process_time() - t0)
            if path.suffix.lower() == ".pdf":
                t0 = time.process_time()
                pdf_lines(path)
                reading.append(time.process_time() - t0)
        ms = 1000
        share = f" (of which pdf_lines {statistics.median(reading) * ms:.1f} ms)" if reading else ""
        print(f"  {path.name}: median {statistics.median(whole) * ms:.1f} ms, max {max(whole) * ms:.1f} ms{share}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--pdfs", type=int, default=12, help="distinct PDFs printed by LibreOffice (then copied)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    if args.files:
        parse_file(args.files[0])  # warm up imports
        repeat_files(args.files, args.repeat)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-parse-") as tmp_name:
        folder = args.keep or Path(tmp_name) / "reports"
        t0 = time.perf_counter()
        files = generate(folder, args.reports, pdfs=args.pdfs)
        pdf_note = (f"{args.pdfs} distinct PDFs printed by LibreOffice, copied" if soffice() and args.pdfs
                    else "no PDFs (soffice not installed)")
        print(f"generated {len(files)} reports in {time.perf_counter() - t0:.0f} s ({pdf_note})")
        parse_file(next(iter(files)))  # warm up imports
        figures = parse_all(files)
        print("parse every file once (parse_file, CPU time):")
        for suffix in FORMATS:
            if suffix in figures:
                print(figures[suffix].line(LABELS[suffix]))
        real = [*REAL_PDFS, *(strip_rulings(p, Path(tmp_name) / f"{p.stem}-no-rulings.pdf") for p in REAL_PDFS)]
        repeat_files(real, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
