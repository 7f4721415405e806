"""Reading untrusted files in child processes, so that a crash or a runaway allocation costs only that file.

The readers hand submitted files to native code: python-calamine (Rust), lxml and
zlib (C).  A file that makes one of them abort — a Rust allocation failure ends the
process with SIGABRT, whatever Python code is around it — or allocate without
bound must not take the command with it, nor, in ``compile``, the batch.  So every
file is read in a child process:

* :func:`run_isolated` forks one child for one call (``validate``, ``export``,
  ``render``, ``parse``, ``compare``: a few milliseconds per file) and returns what
  the call returned, or raises what it raised;
* :func:`imap_isolated` keeps ``jobs`` worker processes for a batch (``compile``, also
  with ``--jobs 1``), hands them tasks in chunks, yields the results in task order
  and replaces a worker that dies; the task it was working on comes back as a
  :class:`ReaderCrashed`, the others of its chunk are handed out again.

Each child is limited before it reads anything:

* memory (Linux only): its address space may grow by :data:`MEMORY_ALLOWANCE` bytes
  over what it inherited (``RLIMIT_AS``); past that, allocations fail — a Python
  ``MemoryError``, or an abort in native code;
* CPU time, per file: :data:`CPU_SECONDS` (a profiling timer whose signal ends the
  process) — on POSIX;
* wall-clock time, per file: :data:`WALL_SECONDS`, after which the parent kills it
  (a read that blocks);
* no core dump, Ctrl-C left to the parent (which then ends its children), standard
  error discarded (a Rust panic prints a backtrace there); what the readers log (the
  ``xl_disclosure`` logger: "按 GB18030 编码读取") is sent back with the result and logged
  again in the parent, in file order.

A child that dies becomes a :class:`ReaderCrashed` whose message (Chinese) names
the file and says why in words a clerk can act on.

Where there is no ``fork`` (Windows), :func:`run_isolated` calls the function in
the same process and the batch workers are started with ``spawn``, without memory
or CPU limits: bounding a process there would need a job object, which this module
does not create.  Forking a process that runs other threads is what
multiprocessing's default start method does on Linux too; the children run only
reader code, which takes no lock another thread could hold.
"""

from __future__ import annotations

import collections
import contextlib
import faulthandler
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from xl_disclosure.errors import XlDisclosureError

T = TypeVar("T")
R = TypeVar("R")


def _env_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


#: How far a reading child's address space may grow over what it inherited (Linux).
MEMORY_ALLOWANCE = _env_int("XL_DISCLOSURE_READER_MEMORY_MB", 1024) * 1024 * 1024
#: CPU seconds one file may take (the threat model's target is 5; this only ends a runaway).
CPU_SECONDS = _env_int("XL_DISCLOSURE_READER_CPU_SECONDS", 120)
#: Wall-clock seconds one file may take before its child is killed (a read that blocks).
WALL_SECONDS = _env_int("XL_DISCLOSURE_READER_WALL_SECONDS", 600)

CAN_FORK = hasattr(os, "fork")
_LINUX = sys.platform.startswith("linux")

#: Set in every child: a child reads in-process (never forks again).
_in_child = False

#: The library's logger, whose records a child sends back to be logged again in the parent.
LOGGER = "xl_disclosure"


class _Collect(logging.Handler):
    """In a child: the library's log records of the task at hand, kept to be sent back with its result."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage()))


_collected = _Collect()


def _relog(records: Sequence[tuple[int, str]]) -> None:
    log = logging.getLogger(LOGGER)
    for level, message in records:
        log.log(level, "%s", message)


class ReaderCrashed(XlDisclosureError):
    """The process reading a file died (or was ended for running too long); the message is Chinese."""

    heading = "无法读取"


def isolating() -> bool:
    """Whether :func:`run_isolated` reads in a child (POSIX, and not already in one)."""
    return CAN_FORK and not _in_child


# ---------------------------------------------------------------------------
# The child's side
# ---------------------------------------------------------------------------

def _address_space() -> int:
    """This process's address space in bytes (Linux), 0 when unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _enter_child(log_level: int | None = None) -> None:
    """Limits and signals of a reading child (see the module docstring); its log records are collected."""
    global _in_child
    _in_child = True
    log = logging.getLogger(LOGGER)
    for handler in list(log.handlers):
        log.removeHandler(handler)
    log.addHandler(_collected)
    log.propagate = False
    if log_level is not None:  # a spawned worker does not inherit the level the command set
        log.setLevel(log_level)
    faulthandler.disable()  # an abort is expected here: its report is ours to give, not a dump on stderr
    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import resource
    except ImportError:  # Windows
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if _LINUX:
        used = _address_space()
        if used:
            limit = used + MEMORY_ALLOWANCE
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


def _cpu_timer(seconds: float) -> None:
    """Arm (or with 0, disarm) the CPU-time limit of the task at hand: SIGPROF's default action ends the process."""
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_PROF, seconds)


def _outcome(fn: Callable[..., Any], args: Sequence[Any]) -> bytes:
    """What a call did, pickled, with what it logged: ("ok", value, logs), ("raise", exception, logs)
    or ("crash", text, logs)."""
    _collected.records = []
    _cpu_timer(CPU_SECONDS)
    try:
        out: tuple[str, Any, list[tuple[int, str]]] = ("ok", fn(*args), _collected.records)
    except BaseException as exc:  # noqa: BLE001 - it is sent to the parent, which raises it
        out = ("raise", exc, _collected.records)
    finally:
        _cpu_timer(0)
    try:
        data = pickle.dumps(out, pickle.HIGHEST_PROTOCOL)
        if out[0] == "raise":
            pickle.loads(data)  # an exception that cannot be rebuilt would fail only in the parent
        return data
    except Exception as exc:  # noqa: BLE001
        return pickle.dumps(("crash", f"{type(exc).__name__}: {str(exc)[:200]}", _collected.records),
                            pickle.HIGHEST_PROTOCOL)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _unpickle(data: bytes, display: str) -> Any:
    """A child's result (what it logged logged here); what it raised is raised here; a result that could not
    be sent is a ReaderCrashed."""
    kind, value, records = pickle.loads(data)
    _relog(records)
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    return ReaderCrashed(f"{display}：读取时发生意外错误（{value}），文件可能已损坏。{_ADVICE}")


# ---------------------------------------------------------------------------
# Why a child died, in words
# ---------------------------------------------------------------------------

_ADVICE = "请用 Excel 或 WPS 打开后另存为 .xlsx 再提交；如反复出现，请把文件交给技术人员检查。"


def crash_message(display: str, exitcode: int | None, *, timed_out: bool = False) -> str:
    """The message for a file whose reading process ended with ``exitcode`` (negative: a signal)."""
    if timed_out:
        why = f"超过 {WALL_SECONDS} 秒仍未读完，已停止读取"
    elif exitcode is not None and exitcode < 0 and -exitcode in _CPU_SIGNALS:
        why = f"所用时间超过上限（{CPU_SECONDS} 秒 CPU），已停止读取"
    elif exitcode is not None and exitcode < 0 and -exitcode == signal.SIGKILL:
        why = "所需内存过多，被系统终止"
    elif exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"信号 {-exitcode}"
        memory = f"，常见原因是文件内容使所需内存超过上限（{MEMORY_ALLOWANCE // 1024**2} MB）" if _LINUX else ""
        why = f"程序异常中止（{name}{memory}）"
    else:
        why = f"程序异常退出（退出码 {exitcode}）"
    return f"{display}：读取该文件时{why}，文件可能已损坏或是被故意构造的。{_ADVICE}"


_CPU_SIGNALS = frozenset(s for s in (getattr(signal, "SIGPROF", None), getattr(signal, "SIGXCPU", None)) if s)


# ---------------------------------------------------------------------------
# One call in one child
# ---------------------------------------------------------------------------

def run_isolated(fn: Callable[..., R], *args: Any, display: str) -> R:
    """``fn(*args)`` in a forked child with the limits above; ReaderCrashed (naming ``display``) if it dies.

    In a child already, or without fork, ``fn`` runs here.  Its result and any exception it
    raises must pickle (they come back through a pipe).
    """
    if not isolating():
        return fn(*args)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: it never returns from here
        try:
            os.close(r)
            _enter_child()
            _write_all(w, _outcome(fn, args))
        finally:
            os._exit(0)
    os.close(w)
    data, timed_out, status = b"", False, None
    try:
        data, timed_out = _read_until_eof(r, time.monotonic() + WALL_SECONDS)
        if timed_out:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(r)
        if status is None:  # interrupted (Ctrl-C): the child must not outlive us
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if timed_out or code != 0 or not data:
        raise ReaderCrashed(crash_message(display, code, timed_out=timed_out))
    out = _unpickle(data, display)
    if isinstance(out, ReaderCrashed):
        raise out
    return out  # type: ignore[no-any-return]


def _read_until_eof(fd: int, deadline: float) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"", True
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


# ---------------------------------------------------------------------------
# A batch: worker processes, replaced when they die
# ---------------------------------------------------------------------------

def _worker_main(conn: multiprocessing.connection.Connection, fn: Callable[[Any], Any],
                 initializer: Callable[..., None] | None, initargs: tuple[Any, ...], log_level: int) -> None:
    _enter_child(log_level)
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            return
        for index, task in chunk:
            conn.send_bytes(index.to_bytes(8, "little") + _outcome(fn, (task,)))


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process (of whichever context)
    conn: multiprocessing.connection.Connection
    outstanding: collections.deque[int] = field(default_factory=collections.deque)
    since: float = 0.0  # when the task at the head of ``outstanding`` started


def _context() -> Any:
    return multiprocessing.get_context("fork" if CAN_FORK else "spawn")


def imap_isolated(fn: Callable[[T], R], tasks: Sequence[T], *, jobs: int, display: Callable[[T], str],
                  initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
                  chunksize: int = 1, window: int | None = None) -> Iterator[R | ReaderCrashed]:
    """``fn(task)`` for every task in ``jobs`` worker processes; results in task order.

    A task whose worker died (or ran past the limits) yields a :class:`ReaderCrashed` naming
    ``display(task)``; an exception ``fn`` raised is raised here.  At most ``window`` tasks (default
    ``jobs * chunksize * 4``) are in flight or waiting to be yielded, so memory stays flat.
    """
    n = len(tasks)
    if n == 0:
        return
    chunksize = max(1, chunksize)
    jobs = max(1, min(jobs, -(-n // chunksize)))
    window = window or jobs * chunksize * 4
    ctx = _context()
    log_level = logging.getLogger(LOGGER).getEffectiveLevel()
    waiting: collections.deque[int] = collections.deque(range(n))  # not yet handed out
    results: dict[int, Any] = {}
    next_out = 0
    workers: list[_Worker] = []

    def start() -> _Worker:
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_worker_main, args=(child, fn, initializer, initargs, log_level), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def receive(w: _Worker) -> None:
        while w.conn.poll():
            raw = w.conn.recv_bytes()
            index, body = int.from_bytes(raw[:8], "little"), raw[8:]
            assert w.outstanding and w.outstanding[0] == index
            w.outstanding.popleft()
            w.since = time.monotonic()
            results[index] = ("data", body)

    def bury(w: _Worker, *, timed_out: bool = False) -> _Worker:
        """A worker that died: its current task failed, the rest of its chunk goes back to the queue."""
        with contextlib.suppress(EOFError, OSError):
            receive(w)
        if timed_out:
            w.process.kill()
        w.process.join()
        w.conn.close()
        if w.outstanding:
            culprit = w.outstanding.popleft()
            results[culprit] = ("crash", crash_message(display(tasks[culprit]), w.process.exitcode,
                                                       timed_out=timed_out))
            waiting.extendleft(reversed(w.outstanding))
        return start()

    try:
        workers = [start() for _ in range(jobs)]
        while next_out < n:
            for w in workers:  # a chunk more while the last is under way: a worker never waits for us
                if len(w.outstanding) < max(2, chunksize) and waiting and waiting[0] < next_out + window:
                    chunk: list[int] = []
                    while waiting and len(chunk) < chunksize and waiting[0] < next_out + window:
                        chunk.append(waiting.popleft())
                    if not w.outstanding:
                        w.since = time.monotonic()
                    w.outstanding.extend(chunk)
                    w.conn.send([(i, tasks[i]) for i in chunk])
            busy = [w for w in workers if w.outstanding]
            if busy:
                oldest = min(w.since for w in busy)
                timeout = max(0.0, oldest + WALL_SECONDS - time.monotonic())
                multiprocessing.connection.wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                                                timeout)
            for k, w in enumerate(workers):
                if not w.outstanding:
                    continue
                try:
                    receive(w)
                except (EOFError, OSError):  # the worker is gone (or going): its pipe is closed
                    workers[k] = bury(w)
                    continue
                if not w.process.is_alive():
                    workers[k] = bury(w)
                elif w.outstanding and time.monotonic() - w.since > WALL_SECONDS:
                    workers[k] = bury(w, timed_out=True)
            while next_out in results:
                kind, value = results.pop(next_out)
                task_name = display(tasks[next_out])
                next_out += 1
                yield ReaderCrashed(value) if kind == "crash" else _unpickle(value, task_name)
        for w in workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        for w in workers:
            w.process.join(5)
    finally:
        for w in workers:
            if w.process.is_alive():
                w.process.kill()
            w.process.join()
            w.conn.close()
