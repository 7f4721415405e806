"""How long does ``merge`` take to combine several compile summaries, and at what memory?

Run:  python benchmarks/bench_merge.py [--files 3000] [--parts 3]

Generates (or reuses, from --cache-dir) N filled workbooks as bench_compile.py
does, compiles them in --parts groups into one summary.json each (as several
counties would), then measures merging the summaries: reading and combining them
(``merge_summaries``), and writing the merged summary.xlsx and summary.json.
Prints the figures the README quotes.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_compile import generate  # noqa: E402

from xl_disclosure.batch.compile import compile_reports, default_jobs  # noqa: E402
from xl_disclosure.batch.merge import merge_summaries  # noqa: E402
from xl_disclosure.writers.summary import write_summary_json  # noqa: E402
from xl_disclosure.writers.summary_xlsx import write_summary_xlsx  # noqa: E402


def merge_and_write(summaries: list[Path], out: Path, n_files: int) -> None:
    """Run in a fresh process, so that its peak memory is the merge's own."""
    t0 = time.perf_counter()
    comp = merge_summaries(summaries)
    t1 = time.perf_counter()
    with comp:
        write_summary_xlsx(comp, out / "merged.xlsx")
        write_summary_json(comp, out / "merged.json")
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"merge (read, check and combine the summaries): {t1 - t0:.1f} s, "
          f"{(t1 - t0) / n_files * 1000:.2f} ms per file")
    print(f"writing merged summary.xlsx + summary.json:   {t2 - t1:.1f} s")
    print(f"total: {t2 - t0:.1f} s; peak RSS of the merging process {rss:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--parts", type=int, default=3, help="how many summaries the files are compiled into")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "xl-disclosure-bench-merge")
    parser.add_argument("--merge-only", nargs="+", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.merge_only:
        merge_and_write(args.merge_only, args.merge_only[0].parent, args.files)
        return 0
    files = generate(args.files, args.cache_dir, default_jobs())
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        summaries = []
        for k in range(args.parts):
            with compile_reports(files[k::args.parts], jobs=default_jobs()) as comp:
                write_summary_json(comp, out / f"part{k}.json")
            summaries.append(out / f"part{k}.json")
        size = sum(p.stat().st_size for p in summaries) / 1024 / 1024
        print(f"{len(files)} workbooks compiled into {args.parts} summaries ({size:.0f} MB of JSON)")
        subprocess.run([sys.executable, __file__, "--files", str(len(files)), "--merge-only",
                        *map(str, summaries)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
