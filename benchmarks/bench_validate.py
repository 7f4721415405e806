"""How long does validating one filled workbook take, in process?

Run:  python benchmarks/bench_validate.py [--files N] [--repeat R]

Fills N random consistent workbooks from the template, then validates each R
times with ``read_workbook`` and reports the median and 95th percentile per
workbook, plus where the time goes (open, values, formulas, rules).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from xl_disclosure.checks.validator import validate_report
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers.workbook import FileSource, read_workbook, validate_source
from xl_disclosure.writers.template import build_template, fill_values


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        rng = random.Random(1)
        for i in range(args.files):
            path = Path(tmp) / f"r{i}.xlsx"
            build_template(path, values=fill_values(random_report(rng)))
            paths.append(path)
        read_workbook(paths[0])  # warm up imports and caches
        whole, opening, rules = [], [], []
        for _ in range(args.repeat):
            for path in paths:
                t0 = time.perf_counter()
                result = read_workbook(path)
                whole.append(time.perf_counter() - t0)
                assert result.valid, result.findings
                t0 = time.perf_counter()
                source = FileSource(path, str(path))
                source.sheet_names()
                opening.append(time.perf_counter() - t0)
                validate_source(source, file=str(path))
                source.close()
                t0 = time.perf_counter()
                validate_report(result.report)
                rules.append(time.perf_counter() - t0)
    ms = 1000
    print(f"validate one workbook (read_workbook), {len(whole)} runs over {args.files} files:")
    print(f"  median {statistics.median(whole) * ms:.2f} ms, p95 {percentile(whole, 0.95) * ms:.2f} ms, "
          f"max {max(whole) * ms:.2f} ms")
    print(f"  of which opening the file (unzip, checks, formula scans, calamine open): median {statistics.median(opening) * ms:.2f} ms")
    print(f"  of which the data rules (validate_report):  median {statistics.median(rules) * ms:.2f} ms")
    print(f"  => {1 / statistics.median(whole):.0f} workbooks per second on one core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
