"""What does reading each file in a child process cost?  (readers/isolation.py)

Run:  python benchmarks/bench_isolation.py [--files 20] [--repeat 5]

Validates the same filled workbooks with ``validate_file`` (a forked child per file,
with its memory and CPU limits) and with the in-process reader it wraps, and prints
the CPU time per file of each (this process plus its children, from getrusage, so a
busy machine does not inflate it) and the wall-clock time for reference; then the
CPU time of ``xl-disclosure validate`` on one file, start to end.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from xl_disclosure.model.samples import random_report
from xl_disclosure.readers import dispatch, isolation
from xl_disclosure.writers.template import build_template, fill_values


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def per_file(paths: list[Path], read: Callable[[Path], object], repeat: int) -> tuple[float, float]:
    """Median CPU and wall-clock milliseconds per file over ``repeat`` passes."""
    cpus, walls = [], []
    for _ in range(repeat):
        c, w = cpu(), time.perf_counter()
        for p in paths:
            read(p)
        cpus.append((cpu() - c) / len(paths) * 1000)
        walls.append((time.perf_counter() - w) / len(paths) * 1000)
    return statistics.median(cpus), statistics.median(walls)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rng = random.Random(1)
        paths = []
        for i in range(args.files):
            path = Path(tmp) / f"r{i}.xlsx"
            build_template(path, values=fill_values(random_report(rng, agency=f"机关{i}")))
            paths.append(path)
        dispatch.validate_file(paths[0])  # warm: imports and cached tables, as a command has them
        inline = per_file(paths, lambda p: dispatch._validate_file(p, None, None), args.repeat)
        forked = per_file(paths, dispatch.validate_file, args.repeat)
        bare = per_file(paths, lambda p: isolation.run_isolated(len, b"", display=str(p)), args.repeat)
        print(f"in process        {inline[0]:6.1f} ms CPU per file   ({inline[1]:6.1f} ms wall)")
        print(f"in a child        {forked[0]:6.1f} ms CPU per file   ({forked[1]:6.1f} ms wall)")
        print(f"  of which fork   {bare[0]:6.1f} ms CPU per file   ({bare[1]:6.1f} ms wall)")
        print(f"overhead          {forked[0] - inline[0]:6.1f} ms CPU per file")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "xl_disclosure", "validate", str(paths[0])], check=False,
                       stdout=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        total = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        print(f"xl-disclosure validate, one file: {total * 1000:.0f} ms CPU in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
