"""The cost measure of the hostile tests counts the command alone, whatever the size of the test process."""

from __future__ import annotations

import sys

from tests.hostile.measure import run_measured


def test_the_peak_memory_of_a_child_does_not_include_the_test_process(tmp_path):
    grown = bytearray(600 * 1024 * 1024)  # as a long test session grows: touched, so resident
    grown[::4096] = b"\1" * len(grown[::4096])
    code, text, cpu, rss = run_measured([sys.executable, "-c", "print('ok')"], tmp_path)
    assert (code, text.strip()) == (0, "ok")
    assert rss < 100 and cpu < 5
    code, _text, _cpu, big = run_measured([sys.executable, "-c", "x = bytearray(300 * 2**20); x[::4096] = b'1' * len(x[::4096])"], tmp_path)
    assert code == 0 and 300 < big < 400  # and a child's own memory is counted
    del grown


def test_a_hanging_command_is_killed_and_reported(tmp_path):
    code, _text, cpu, _rss = run_measured([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path, timeout=1)
    assert code == -9 and cpu == float("inf")
