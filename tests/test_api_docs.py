"""docs/api.md: every api function has an example, and every example runs (so the page cannot rot)."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from xl_disclosure import api

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), flags=re.S | re.M)


def api_functions() -> list[str]:
    return [name for name in api.__all__ if inspect.isfunction(getattr(api, name))]


def test_every_api_function_has_an_example():
    code = "\n".join(BLOCKS)
    missing = [name for name in api_functions() if f"api.{name}(" not in code]
    assert not missing, f"docs/api.md has no example calling {missing}"
    assert {"validate", "render_report", "install_excel"} <= set(api_functions())


def test_every_example_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "platform", "linux")  # install_excel must not touch this machine's Excel
    namespace: dict[str, object] = {"__name__": "docs_api"}
    for i, block in enumerate(BLOCKS, 1):
        exec(compile(block, f"{DOC.name} python block {i}", "exec"), namespace)  # noqa: S102
    out = capsys.readouterr().out
    assert "未生成成稿" in out and "只能在 Windows" in out  # the refusal and the off-Windows message were shown
    assert (tmp_path / "年度报告.docx").is_file() and (tmp_path / "xl_disclosure.xlam").is_file()
