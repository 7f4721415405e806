"""What every command shares: one way to fail, and JSON on standard output that survives any console encoding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from xl_disclosure import api
from xl_disclosure.cli.main import COMMANDS, cli
from xl_disclosure.errors import UsageError, XlDisclosureError
from xl_disclosure.model.samples import seed_report
from xl_disclosure.readers.workbook import ReadError
from xl_disclosure.writers.atomic import OutputError

#: command line -> the api function it is a thin layer over
COMMAND_CALLS = {
    ("validate", "a.xlsx"): "validate",
    ("export", "a.xlsx"): "export",
    ("fill", "--from", "a.json"): "fill",
    ("compile", "in", "-o", "s.xlsx"): "compile",
    ("merge", "s.json", "-o", "m.xlsx"): "merge",
    ("render", "a.xlsx", "-o", "a.docx"): "render",
    ("parse", "a.html"): "parse",
    ("compare", "a.xlsx", "a.html"): "compare",
    ("fields",): "fields",
    ("schema",): "schema",
    ("rules",): "rules",
    ("addin",): "addin",
    ("install-excel",): "install_excel",
    ("demo", "-o", "demo"): "fill",
    ("serve", "tokens", "--agencies", "a.csv", "-o", "t.csv"): "read_agency_list",
}


def test_every_command_but_template_is_covered():
    assert {args[0] for args in COMMAND_CALLS} == set(COMMANDS) - {"template"}


@pytest.mark.parametrize("args", list(COMMAND_CALLS), ids=lambda a: a[0])
def test_every_command_fails_the_same_way(args, monkeypatch, tmp_path):
    def boom(*_a: object, **_k: object) -> None:
        raise XlDisclosureError("某某.xlsx：测试用的问题 [B5]，请改正。")

    monkeypatch.setattr(api, COMMAND_CALLS[args], boom)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 2, result.output
    assert result.stderr == "某某.xlsx：测试用的问题 [B5]，请改正。\n"
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(("error", "heading"), [
    (OutputError("无法写入 x.json：权限不够"), "无法写出 "),
    (ReadError("x.xlsx：不是 Excel 工作簿"), "无法读取 "),
    (UsageError("--year 不对"), ""),
])
def test_the_heading_says_what_could_not_be_done(error, heading, monkeypatch):
    def boom(*_a: object, **_k: object) -> None:
        raise error

    monkeypatch.setattr(api, "export", boom)
    result = CliRunner().invoke(cli, ["export", "x.xlsx"])
    assert result.exit_code == 2
    assert result.stderr == f"{heading}{error}\n"
    assert "Usage:" not in result.output and "Traceback" not in result.output


def test_bad_options_from_the_library_are_chinese_without_click_usage(tmp_path):
    (tmp_path / "名单.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["compile", str(tmp_path), "-o", str(tmp_path / "s.xlsx"),
                                      "--expected", str(tmp_path / "名单.csv")])
    assert result.exit_code == 2
    assert result.stderr.startswith("应报送机关名单 ") and "Usage:" not in result.output
    assert not (tmp_path / "s.xlsx").exists()


# ---------------------------------------------------------------------------
# "-" is standard output, in UTF-8 whatever the console's encoding
# ---------------------------------------------------------------------------

RARE = "𠮷"  # outside the BMP and outside GBK: a console in code page 936 cannot show it


@pytest.fixture(scope="module")
def rare_files(tmp_path_factory):
    root = tmp_path_factory.mktemp("rare")
    report = seed_report()
    report.values["cover_agency_name"] = f"{RARE}县教育局"
    report.values["n5_problems"] = f"{RARE}字在 GBK 中没有。"
    api.fill(report, output=root / "in" / f"{RARE}.xlsx")
    api.render_report(root / "in" / f"{RARE}.xlsx", root / "published.md")
    api.compile([root / "in"], xlsx=root / "s.xlsx", json_path=root / "s.json", jobs=1)
    return root


def run_gbk(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    return subprocess.run([sys.executable, "-m", "xl_disclosure", *args], cwd=cwd, env=env, capture_output=True,
                          timeout=300)


@pytest.mark.parametrize("args", [
    ("export", f"in/{RARE}.xlsx"),
    ("export", f"in/{RARE}.xlsx", "-o", "-"),
    ("validate", f"in/{RARE}.xlsx", "--json", "-"),
    ("parse", "published.md"),
    ("compare", f"in/{RARE}.xlsx", "published.md", "--json", "-"),
    ("compile", "in", "-o", "out.xlsx", "--json", "-", "--jobs", "1"),
    ("merge", "s.json", "-o", "merged.xlsx", "--json", "-"),
], ids=lambda a: " ".join(a[:1] + a[-2:]))
def test_json_on_stdout_is_utf8_on_a_gbk_console(rare_files, args):
    proc = run_gbk(rare_files, *args)
    assert proc.returncode == 0, proc.stderr.decode("gbk", errors="replace")
    text = proc.stdout.decode("utf-8")  # strict: every byte is UTF-8
    assert RARE in text and "?" * 2 not in text
    json.loads(text)
    assert not (rare_files / "-").exists()  # "-" never names a file


def test_compile_json_to_stdout_moves_the_summary_to_stderr(rare_files):
    proc = run_gbk(rare_files, "compile", "in", "-o", "out2.xlsx", "--json", "-", "--jobs", "1")
    summary = json.loads(proc.stdout.decode("utf-8"))
    assert summary["kind"] == "xl-disclosure/compile-summary" and summary["reports"][0]["cover"]["cover_agency_name"]
    err = proc.stderr.decode("gbk")
    assert "共 1 个文件" in err and "已写出 out2.xlsx" in err and "已写出 out2.xlsx、-" not in err
