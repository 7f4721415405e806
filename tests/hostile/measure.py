"""Running a command as a child and measuring what it cost: CPU time and peak memory from wait4's rusage."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

#: What a hostile input may cost (docs/threat-model.md): CPU seconds and peak resident megabytes.
MAX_SECONDS = 5.0
MAX_RSS_MB = 500


#: Starts the command and reports what it cost. The command is started from this small process, not from the
#: test process: on Linux a child's peak RSS counts the memory of the process it was forked from (exec records
#: the old address space's high-water mark), so a test process that has grown to 700 MB would make every child
#: it starts look 700 MB big. The launcher is ~15 MB; posix_spawn shares its address space until exec.
LAUNCHER = (
    "import os, sys\n"
    "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_pid, status, usage = os.wait4(pid, 0)\n"
    "with open(sys.argv[1], 'w') as fh:\n"
    "    fh.write(f'{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}')\n"
)


def run_measured(args: list[str], cwd: Path, timeout: float = 60) -> tuple[int, str, float, float]:
    """Run a child; its exit code, output, CPU time (user + system) and peak RSS (MB) from wait4's rusage
    (which includes the child's own children: the readers it forks).

    CPU time, not wall-clock: on a busy machine the child waits for a core, which is not its cost.
    ``timeout`` (wall-clock) only kills a child that hangs.
    """
    tag = f"{os.getpid()}.{threading.get_ident()}"
    out_path, cost_path = cwd / f"_out.{tag}.txt", cwd / f"_cost.{tag}.txt"
    with open(out_path, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, str(cost_path), *args], cwd=cwd,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
    text = out_path.read_text(encoding="utf-8", errors="replace")
    out_path.unlink()
    if proc.returncode != 0 or not cost_path.exists():  # killed by the timer: the command hung
        return -signal.SIGKILL, text, float("inf"), float("inf")
    code, seconds, peak_kb = cost_path.read_text().split()
    cost_path.unlink()
    return int(code), text, float(seconds), int(peak_kb) / 1024
