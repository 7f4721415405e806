"""How fast does ``compile`` go through thousands of returned workbooks, and at what memory?

Run:  python benchmarks/bench_compile.py [--files 10000] [--jobs N] [--openpyxl-sample 100]

1. Generates N filled, valid workbooks of different agencies (cached in
   --cache-dir between runs): one is built with the real template generator,
   the rest by rewriting its input cells (tests/compile_helpers.py).
2. Measures, side by side on the same files (alternating, best of --trials):
   * the unzip floor — opening every file and inflating every member with zipfile
     (in the same number of processes as compile, and in one);
   * compile — validating every file in --jobs processes and aggregating
     (``compile_reports``), then writing summary.xlsx and summary.json;
   * a straightforward openpyxl loop — ``load_workbook`` per file and reading every
     input cell — on a sample, extrapolated to N.
3. Peak memory: the resident set of the compile process plus its workers,
   sampled from /proc; with --memory-scan also at N/10, to show it is flat.

Prints the figures and the ratios the README quotes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.compile_helpers import WorkbookFactory  # noqa: E402

from xl_disclosure.batch.compile import compile_reports, default_jobs  # noqa: E402
from xl_disclosure.form import FORM  # noqa: E402
from xl_disclosure.model.samples import random_report, random_uscc  # noqa: E402
from xl_disclosure.writers.summary import write_summary_json  # noqa: E402
from xl_disclosure.writers.summary_xlsx import write_summary_xlsx  # noqa: E402

GENERATOR_VERSION = "1"

# ---------------------------------------------------------------------------
# Generating the batch
# ---------------------------------------------------------------------------

_FACTORY: WorkbookFactory | None = None


def _gen_init(work: str) -> None:
    global _FACTORY
    _FACTORY = WorkbookFactory(Path(work) / f"w{os.getpid()}")


def _gen_chunk(args: tuple[str, int, int]) -> int:
    out_dir, start, stop = args
    assert _FACTORY is not None
    for i in range(start, stop):
        rng = random.Random(i)
        report = random_report(rng, agency=f"基准测试第{i:06d}号机关")
        report.values["cover_uscc"] = random_uscc(rng)
        _FACTORY.write(Path(out_dir) / f"{i // 1000:03d}" / f"r{i:06d}.xlsx", report)
    return stop - start


def generate(n: int, cache: Path, jobs: int) -> list[Path]:
    marker = cache / f"ready-{n}-v{GENERATOR_VERSION}"
    files_dir = cache / "files"
    if marker.exists():
        print(f"using {n} cached workbooks in {files_dir}")
    else:
        shutil.rmtree(cache, ignore_errors=True)
        files_dir.mkdir(parents=True)
        t0 = time.perf_counter()
        step = 200
        with tempfile.TemporaryDirectory() as work, \
                ProcessPoolExecutor(jobs, initializer=_gen_init, initargs=(work,)) as pool:
            done = 0
            for k in pool.map(_gen_chunk, [(str(files_dir), s, min(s + step, n)) for s in range(0, n, step)]):
                done += k
                print(f"\r  generating workbooks: {done}/{n}", end="", flush=True)
        print(f"\r  generated {n} workbooks in {time.perf_counter() - t0:.1f} s")
        marker.touch()
    return sorted(files_dir.rglob("*.xlsx"))


# ---------------------------------------------------------------------------
# The three measurements
# ---------------------------------------------------------------------------

def _unzip(paths: list[str]) -> int:
    total = 0
    for p in paths:
        with zipfile.ZipFile(p) as zf:
            for info in zf.infolist():
                total += len(zf.read(info))
    return total


def unzip_floor(files: list[Path], jobs: int) -> float:
    names = [str(p) for p in files]
    t0 = time.perf_counter()
    if jobs <= 1:
        _unzip(names)
    else:
        step = max(1, len(names) // (jobs * 8))
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_unzip, [names[i:i + step] for i in range(0, len(names), step)]))
    return time.perf_counter() - t0


def openpyxl_loop(files: list[Path]) -> float:
    """Seconds per file for the straightforward loop: load_workbook, read every input cell."""
    import openpyxl

    inputs = [(f.sheet, f.cell) for f in FORM.inputs]
    t0 = time.perf_counter()
    for p in files:
        wb = openpyxl.load_workbook(p, data_only=True)
        values = [wb[sheet][cell].value for sheet, cell in inputs]
        assert len(values) == len(inputs)
        wb.close()
    return (time.perf_counter() - t0) / len(files)


class RssSampler:
    """Peak resident memory of this process plus all its descendants, from /proc (Linux)."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(os.getpid()))
            self._stop.wait(self.interval)


def _tree_rss(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_compile(folder: Path, jobs: int, out_dir: Path, *, write: bool = True) -> tuple[float, float, int, int]:
    """(seconds to validate and aggregate, seconds to write outputs, files, peak RSS bytes)."""
    with RssSampler() as rss:
        t0 = time.perf_counter()
        with compile_reports([folder], jobs=jobs) as comp:
            t1 = time.perf_counter()
            bad = [r for r in comp.rows if r.status != "通过"]
            assert not bad, bad[:3]
            if write:
                write_summary_xlsx(comp, out_dir / "summary.xlsx")
                write_summary_json(comp, out_dir / "summary.json")
            t2 = time.perf_counter()
            n = len(comp.rows)
    return t1 - t0, t2 - t1, n, rss.peak


# ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--openpyxl-sample", type=int, default=100)
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "xl-disclosure-bench")
    parser.add_argument("--trials", type=int, default=4,
                        help="compile runs (the first also writes the outputs), each preceded and the last "
                             "followed by an unzip-floor run")
    parser.add_argument("--memory-scan", action=argparse.BooleanOptionalAction, default=True,
                        help="also compile N/10 files to show peak memory does not grow with N")
    args = parser.parse_args()
    n, jobs = args.files, args.jobs
    print(f"machine: {os.cpu_count()} CPUs ({default_jobs()} usable), python {sys.version.split()[0]}; jobs={jobs}")
    files = generate(n, args.cache_dir / str(n), jobs)
    assert len(files) == n
    folder = args.cache_dir / str(n) / "files"
    size = sum(p.stat().st_size for p in files)
    print(f"{n} workbooks, {size / n / 1024:.1f} KB each on average")

    unzip_1 = unzip_floor(files, 1)  # also warms the page cache for everyone after
    # The floor and compile alternate, so a machine whose speed drifts (shared hosts do)
    # weighs on both alike; each figure is the best of its trials, as timeit reports.
    floor_trials: list[float] = []
    compile_trials: list[float] = []
    with tempfile.TemporaryDirectory() as out:
        write_s, peak = 0.0, 0
        for trial in range(args.trials):
            floor_trials.append(unzip_floor(files, jobs))
            compile_s, written_s, count, trial_peak = run_compile(folder, jobs, Path(out), write=trial == 0)
            compile_trials.append(compile_s)
            write_s, peak = (written_s, trial_peak) if trial == 0 else (write_s, max(peak, trial_peak))
        floor_trials.append(unzip_floor(files, jobs))
        unzip_j, compile_s = min(floor_trials), min(compile_trials)
        one_core_sample = files[: max(50, n // 50)]
        sub = Path(out) / "sample"
        sub.mkdir()
        for p in one_core_sample:
            os.symlink(p, sub / p.name)
        one_s, _, one_n, _ = run_compile(sub, 1, Path(out))
        scan = None
        if args.memory_scan and n >= 1000:
            tenth = Path(out) / "tenth"
            tenth.mkdir()
            for p in files[: n // 10]:
                os.symlink(p, tenth / p.name)
            scan = run_compile(tenth, jobs, Path(out))
    sample = files[: args.openpyxl_sample]
    per_openpyxl = openpyxl_loop(sample)
    openpyxl_total = per_openpyxl * n

    rate = count / compile_s
    print()
    print(f"{'':44}{'seconds':>10}{'files/s':>10}{'ms/file':>10}")
    rows = [
        ("unzip floor, 1 process", unzip_1),
        (f"unzip floor, {jobs} processes", unzip_j),
        (f"compile: validate + aggregate, {jobs} processes", compile_s),
        ("compile: validate + aggregate, 1 process", one_s / one_n * n),
        (f"openpyxl loop, 1 process (x{len(sample)} extrapolated)", openpyxl_total),
    ]
    for label, secs in rows:
        print(f"{label:44}{secs:10.1f}{n / secs:10.0f}{secs / n * 1000:10.2f}")
    print(f"{'writing summary.xlsx + summary.json':44}{write_s:10.1f}")
    print(f"trials (s): unzip floor {', '.join(f'{t:.1f}' for t in floor_trials)}; "
          f"compile {', '.join(f'{t:.1f}' for t in compile_trials)}")
    bracketed = [c / ((floor_trials[i] + floor_trials[i + 1]) / 2) for i, c in enumerate(compile_trials)]
    print(f"each compile trial over the mean of the floor runs around it: {', '.join(f'{r:.1f}x' for r in bracketed)}"
          f" (median {statistics.median(bracketed):.1f}x)")
    print()
    print(f"compile rate: {rate:.0f} workbooks/s with {jobs} processes "
          f"({n / (compile_s + write_s):.0f}/s including writing the outputs)")
    print(f"vs openpyxl loop: {openpyxl_total / compile_s:.1f}x faster (target >= 20x)")
    print(f"vs unzip floor ({jobs} processes): {compile_s / unzip_j:.1f}x slower (target <= 4x); "
          f"vs 1-process floor: {compile_s / unzip_1:.1f}x")
    print(f"peak RSS, compile process + workers: {peak / 2**20:.0f} MB at {n} files (target < 300 MB)")
    if scan is not None:
        print(f"peak RSS at {n // 10} files: {scan[3] / 2**20:.0f} MB  (flat if close to the figure above)")
    self_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_max = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"getrusage max RSS: parent {self_max:.0f} MB, largest child {child_max:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
