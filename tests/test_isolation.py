"""Readers run in child processes: an abort, a runaway allocation, a spin or a hang costs only that file (issue 18)."""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from pathlib import Path

import pytest
from tests.compile_helpers import WorkbookFactory

from xl_disclosure.batch import compile as compiler
from xl_disclosure.batch.compile import compile_reports
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers import dispatch, isolation
from xl_disclosure.readers.isolation import ReaderCrashed, imap_isolated, run_isolated
from xl_disclosure.readers.workbook import ReadError

pytestmark = pytest.mark.skipif(not isolation.CAN_FORK, reason="children are forked on POSIX only")


def _abort(_task: object = None) -> None:
    os.abort()


def _allocate(_task: object = None) -> int:
    return len(bytearray(8 << 30))  # 8 GB: past the child's address-space limit


def _spin(_task: object = None) -> None:
    while True:
        pass


def _block(_task: object = None) -> None:
    time.sleep(3600)


def _refuse(_task: object = None) -> None:
    raise ReadError("x.xlsx：测试用的拒绝。")


def _double(task: int) -> int:
    if task == 3:
        os.abort()
    if task == 5:
        os.kill(os.getpid(), signal.SIGSEGV)
    return task * 2


def test_a_call_returns_or_raises_as_in_process() -> None:
    assert run_isolated(sum, [1, 2, 3], display="x") == 6
    with pytest.raises(ReadError, match="测试用的拒绝"):
        run_isolated(_refuse, display="x.xlsx")


def test_an_abort_in_the_child_is_a_clear_error_naming_the_file() -> None:
    with pytest.raises(ReaderCrashed) as info:
        run_isolated(_abort, display="某街道.xlsx")
    text = str(info.value)
    assert text.startswith("某街道.xlsx：") and "SIGABRT" in text and "异常中止" in text
    assert info.value.heading == "无法读取"


@pytest.mark.skipif(not isolation._LINUX, reason="the address-space limit is set on Linux only")
def test_a_runaway_allocation_fails_in_the_child_and_the_parent_is_untouched() -> None:
    soft, _hard = run_isolated(resource.getrlimit, resource.RLIMIT_AS, display="x")
    assert soft != resource.RLIM_INFINITY and soft < 4 << 30  # else the allocation below would really happen
    with pytest.raises(MemoryError):
        run_isolated(_allocate, display="x")
    assert run_isolated(len, b"still here", display="x") == 10


def test_a_child_spinning_past_its_cpu_limit_is_ended(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "CPU_SECONDS", 1)
    with pytest.raises(ReaderCrashed, match="时间超过上限（1 秒 CPU）"):
        run_isolated(_spin, display="x")


def test_a_child_that_blocks_is_killed_after_the_wall_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "WALL_SECONDS", 1)
    with pytest.raises(ReaderCrashed, match="超过 1 秒仍未读完"):
        run_isolated(_block, display="x")
    assert multiprocessing.active_children() == []


def test_validate_file_turns_a_crash_into_a_read_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "炸弹.xlsx"
    path.write_bytes(b"PK")
    monkeypatch.setattr(dispatch, "read_workbook", lambda *_a, **_k: os.abort())
    result = dispatch.validate_file(path, display="炸弹.xlsx")
    assert result.status == "无法读取" and "炸弹.xlsx" in result.read_error and "异常中止" in result.read_error


@pytest.mark.skipif(not isolation._LINUX, reason="the address-space limit is set on Linux only")
def test_validate_file_turns_a_memory_error_into_a_read_error(monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    assert run_isolated(resource.getrlimit, resource.RLIMIT_AS, display="x")[0] < 4 << 30
    path = tmp_path / "大.xlsx"
    path.write_bytes(b"PK")
    monkeypatch.setattr(dispatch, "read_workbook", lambda *_a, **_k: _allocate())
    result = dispatch.validate_file(path, display="大.xlsx")
    assert result.read_error is not None and "内存超过上限" in result.read_error


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_loses_only_the_tasks_whose_worker_died(jobs: int) -> None:
    out = list(imap_isolated(_double, list(range(8)), jobs=jobs, display=lambda t: f"f{t}.xlsx", chunksize=3))
    assert [o for i, o in enumerate(out) if i not in (3, 5)] == [0, 2, 4, 8, 12, 14]
    assert isinstance(out[3], ReaderCrashed) and "f3.xlsx" in str(out[3]) and "SIGABRT" in str(out[3])
    assert isinstance(out[5], ReaderCrashed) and "f5.xlsx" in str(out[5]) and "SIGSEGV" in str(out[5])
    assert multiprocessing.active_children() == []


def test_a_batch_kills_a_worker_that_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "WALL_SECONDS", 1)

    def task(t: int) -> int:
        if t == 1:
            _block()
        return t

    out = list(imap_isolated(task, [0, 1, 2], jobs=1, display=str))
    assert out[0] == 0 and out[2] == 2 and isinstance(out[1], ReaderCrashed) and "仍未读完" in str(out[1])


def test_a_batch_stopped_early_leaves_no_worker_behind() -> None:
    gen = imap_isolated(_double, list(range(100)), jobs=2, display=str)
    assert next(gen) == 0
    gen.close()
    assert multiprocessing.active_children() == []


def test_compile_with_one_job_survives_a_worker_that_aborts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--jobs 1`` used to validate in the compiling process itself: one abort ended the whole batch."""
    factory = WorkbookFactory(tmp_path / "factory")
    paths = [factory.write(tmp_path / f"{i}.xlsx", random_report(agency=f"机关{i}")) for i in range(5)]
    real = compiler._validate_one

    def dying(index: int, path: str, display: str, prior: object) -> object:
        if path == str(paths[2]):
            os.abort()
        return real(index, path, display, prior)  # type: ignore[arg-type]

    monkeypatch.setattr(compiler, "_validate_one", dying)
    with compile_reports(paths, jobs=1) as comp:
        assert [r.status for r in comp.rows] == ["通过", "通过", "无法读取", "通过", "通过"]
        assert str(paths[2]) in comp.rows[2].first[0] and "异常中止" in comp.rows[2].first[0]
        assert comp.totals.count == 4
