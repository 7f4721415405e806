"""Running a command as a child and measuring what it cost: CPU time and peak memory from wait4's rusage."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

#: What a hostile input may cost (docs/threat-model.md): CPU seconds and peak resident megabytes.
MAX_SECONDS = 5.0
MAX_RSS_MB = 500


def run_measured(args: list[str], cwd: Path, timeout: float = 60) -> tuple[int, str, float, float]:
    """Run a child; its exit code, output, CPU time (user + system) and peak RSS (MB) from wait4's rusage.

    CPU time, not wall-clock: on a busy machine the child waits for a core, which is not its cost.
    ``timeout`` (wall-clock) only kills a child that hangs.
    """
    out_path = cwd / f"_out.{os.getpid()}.{threading.get_ident()}.txt"
    with open(out_path, "wb") as out:
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = out_path.read_text(encoding="utf-8", errors="replace")
    out_path.unlink()
    return proc.returncode, text, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
