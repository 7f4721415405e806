"""How many uploads a second does ``xl-disclosure serve`` take, and how quickly do findings pages come back meanwhile?

Run:  python benchmarks/bench_serve.py [--uploads 1000] [--clients 20] [--agencies 200] [--workers N]

1. Prepares a data folder with --agencies agencies and their tokens, and one valid and one failing
   workbook; every upload gets its own bytes (a different zip comment), so every one is a new version.
2. Starts ``xl-disclosure serve`` on 127.0.0.1 (a free port) as its own process, as the office would.
3. --clients threads upload --uploads workbooks in all (half failing), each: POST the file (validated in
   the worker pool before the answer), then GET the findings page it is sent to.  Only 127.0.0.1 is
   contacted, and every loop is bounded by --uploads.
4. Reports uploads per second, the latency of the findings page (p50, p95; the target is p95 < 300 ms
   at 20 concurrent uploads) and of the upload itself, and the peak resident memory of the server and
   of the server with its workers (sampled from /proc).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import itertools
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serve_helpers import free_port, make_service, with_comment, workbook  # noqa: E402

from xl_disclosure.model.agency import Agency  # noqa: E402

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def prepare(folder: Path, agencies: int) -> list[str]:
    svc = make_service(folder / "data", workers=1)
    try:
        svc.store.import_agencies([Agency(f"压力测试机关{i:04d}", "") for i in range(agencies)])
        return [token for _a, token in svc.store.issue_tokens()]
    finally:
        svc.close()


def tree_rss(pid: int) -> tuple[int, int]:
    """Resident bytes of ``pid`` and of ``pid`` with all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return rss.get(pid, 0), total


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uploads", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--agencies", type=int, default=200)
    ap.add_argument("--workers", type=int, default=None, help="validation processes (default: the service's)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    tokens = prepare(work, args.agencies)
    good = workbook(work / "books", "压力测试机关0000").read_bytes()
    bad = workbook(work / "books", "压力测试机关0000", broken=True).read_bytes()
    port = free_port()
    exe = Path(sys.executable).parent / "xl-disclosure"
    cmd = [str(exe), "serve", "--data", str(work / "data"), "--port", str(port)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert server.stdout is not None
    for line in server.stdout:
        if "报送系统已启动" in line:
            break
    else:
        print("the server did not start", file=sys.stderr)
        return 1
    base = f"http://127.0.0.1:{port}"

    peak = [0, 0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            own, total = tree_rss(server.pid)
            peak[0], peak[1] = max(peak[0], own), max(peak[1], total)
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    jobs = iter(range(args.uploads))
    lock = threading.Lock()
    page_ms: list[float] = []
    upload_ms: list[float] = []
    failures: list[str] = []

    def client(n: int) -> None:
        mine = itertools.cycle(tokens[n::args.clients])
        with httpx2.Client(base_url=base, timeout=300) as c:
            csrf: dict[str, str] = {}
            while True:
                with lock:
                    i = next(jobs, None)
                if i is None:
                    return
                token = next(mine)
                if token not in csrf:
                    csrf[token] = CSRF_RE.search(c.get(f"/u/{token}").text).group(1)  # type: ignore[union-attr]
                data = with_comment(bad if i % 2 else good, f"upload {i}")
                t0 = time.perf_counter()
                r = c.post(f"/u/{token}", data={"csrf": csrf[token]}, files={"file": (f"{i}.xlsx", data)})
                t1 = time.perf_counter()
                if r.status_code != 303:
                    failures.append(f"{i}: {r.status_code}")
                    continue
                shown = c.get(r.headers["location"])
                t2 = time.perf_counter()
                if shown.status_code != 200 or "verdict-status" not in shown.text:
                    failures.append(f"{i}: page {shown.status_code}")
                with lock:
                    upload_ms.append((t1 - t0) * 1000)
                    page_ms.append((t2 - t1) * 1000)

    cpu0 = os.times()
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
        for f in [pool.submit(client, n) for n in range(args.clients)]:
            f.result()
    elapsed = time.perf_counter() - started
    cpu1 = os.times()
    stop.set()
    sampler.join()
    server.send_signal(signal.SIGINT)
    server.communicate(timeout=120)

    done = len(page_ms)
    print(f"uploads: {done} of {args.uploads} from {args.clients} concurrent clients in {elapsed:.1f} s "
          f"= {done / elapsed:.1f} uploads/s ({len(failures)} failed{': ' + ', '.join(failures[:5]) if failures else ''})")
    print(f"findings page: p50 {statistics.median(page_ms):.0f} ms, p95 {percentile(page_ms, 0.95):.0f} ms, "
          f"max {max(page_ms):.0f} ms  (target p95 < 300 ms)")
    print(f"upload (POST, validated before the answer): p50 {statistics.median(upload_ms):.0f} ms, "
          f"p95 {percentile(upload_ms, 0.95):.0f} ms")
    print(f"peak memory: server {peak[0] / 2**20:.0f} MB, server with workers {peak[1] / 2**20:.0f} MB")
    print(f"clients' own CPU: {(cpu1.user - cpu0.user) + (cpu1.system - cpu0.system):.1f} s; machine: {os.cpu_count()} cores")
    print(f"data folder left for inspection: {work}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
