"""How fast are templates generated for batch distribution?

Run:  python benchmarks/bench_template.py [--agencies N] [--min-rate 20]

Measures, for N agencies with the cover and 上年结转 pre-filled:

1. openpyxl path — ``build_template`` per agency (build the workbook, save);
2. patch path — ``TemplateFiller``: build the blank template once, then patch
   the input cells into the worksheet XML per agency (what the batch command uses);
3. the whole ``xl-disclosure template --agencies`` command, CSV to folder.

Prints templates/second for each; exits 1 when the batch command is slower
than ``--min-rate`` (the target is 20 templates/second on a 2-core machine).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from xl_disclosure.batch.compile import compile_reports
from xl_disclosure.cli.main import cli
from xl_disclosure.form import S3_COLUMNS, s3_id
from xl_disclosure.model.samples import AGENCY_NAMES, random_report, random_uscc
from xl_disclosure.writers.summary import write_summary_json
from xl_disclosure.writers.template import TemplateFiller, build_template


def agency_values(i: int, rng: random.Random) -> dict:
    values: dict = {"cover_agency_name": f"{AGENCY_NAMES[i % len(AGENCY_NAMES)]}{i}", "cover_uscc": random_uscc(rng),
                    "cover_year": 2024}
    for ckey, _ in S3_COLUMNS:
        values[s3_id("carried", ckey)] = rng.randint(0, 3)
    return values


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[1])
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--slow-sample", type=int, default=20, help="agencies timed on the openpyxl path")
    parser.add_argument("--min-rate", type=float, default=20.0)
    args = parser.parse_args()
    rng = random.Random(1)
    values = [agency_values(i, rng) for i in range(args.agencies)]
    print(f"CPU cores: {os.cpu_count()}; agencies: {args.agencies}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)

        start = time.perf_counter()
        for i, v in enumerate(values[: args.slow_sample]):
            build_template(tmp / f"slow{i}.xlsx", values=v)
        slow = args.slow_sample / (time.perf_counter() - start)
        print(f"openpyxl path (build + save each):   {slow:7.1f} templates/s  ({args.slow_sample} templates)")

        start = time.perf_counter()
        filler = TemplateFiller()
        setup = time.perf_counter() - start
        start = time.perf_counter()
        for i, v in enumerate(values):
            filler.write(tmp / f"fast{i}.xlsx", v)
        fast = args.agencies / (time.perf_counter() - start)
        print(f"patch path (blank built once, {setup * 1000:.0f} ms): {fast:7.1f} templates/s  ({args.agencies} templates)")

        csv_path = tmp / "agencies.csv"
        with open(csv_path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["机关名称", "统一社会信用代码", "机关类型"])
            for v in values:
                w.writerow([v["cover_agency_name"], v["cover_uscc"], ""])
        # Last year's summary, as compile --json writes it, of every agency's report.
        (tmp / "prior").mkdir()
        for i, v in enumerate(values):
            r = random_report(rng, agency=v["cover_agency_name"], year=2023)
            r.values["cover_uscc"] = v["cover_uscc"]
            (tmp / "prior" / f"{i}.json").write_text(r.dumps(), encoding="utf-8")
        prior_path = tmp / "prior.json"
        with compile_reports([tmp / "prior"], include_invalid=True, jobs=1) as comp:
            write_summary_json(comp, prior_path)
        start = time.perf_counter()
        result = CliRunner().invoke(cli, ["template", "--agencies", str(csv_path), "--out-dir", str(tmp / "out"),
                                          "--prior", str(prior_path)])
        elapsed = time.perf_counter() - start
        if result.exit_code != 0:
            print(result.output)
            return 2
        produced = len(list((tmp / "out").iterdir()))
        rate = produced / elapsed
        print(f"batch command end to end (CSV + prior JSON → folder): {rate:7.1f} templates/s  "
              f"({produced} templates in {elapsed:.2f} s)")
    ok = rate >= args.min_rate
    print(("OK" if ok else "TOO SLOW") + f": target ≥ {args.min_rate:g} templates/s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
