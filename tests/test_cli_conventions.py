"""Command-line conventions of a Windows desktop: Chinese click, help by display width, patterns, stdin, -q/-v,
outputs refused by suffix, whole lines when piped."""

from __future__ import annotations

import gettext
import json
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from xl_disclosure.cli import common, zh
from xl_disclosure.cli.main import COMMANDS, cli
from xl_disclosure.model.samples import seed_report

LOCALE = zh.LOCALE_DIR / "zh_CN" / "LC_MESSAGES"


def invoke(*args: str | Path, input: bytes | str | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, prog_name="xl-disclosure")


# ---------------------------------------------------------------------------
# click in Chinese
# ---------------------------------------------------------------------------

def test_no_arguments_gives_chinese_usage_and_error():
    result = invoke("validate")
    assert result.exit_code == 2
    assert result.stderr.startswith("用法：xl-disclosure validate [选项] 文件...")
    assert "错误：缺少参数 '文件...'" in result.stderr
    assert "Usage" not in result.stderr and "Error" not in result.stderr


def test_unknown_option_is_chinese():
    result = invoke("compile", "--nonsense")
    assert result.exit_code == 2 and "错误：没有选项 '--nonsense'" in result.stderr


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_help_is_chinese_with_an_example(name):
    result = invoke(name, "-h")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"用法：xl-disclosure {name} [选项]")
    assert "\n选项：\n" in out and "显示本帮助并退出。" in out
    assert "-q, --quiet" in out and "-v, --verbose" in out
    assert re.search(rf"(例如|示例)：\n(\s+.*\n)*?\s+(type .*\| )?xl-disclosure {name}\b", out), out
    assert "Show this message" not in out and "[required]" not in out


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_lines_fit_the_width_in_display_cells(name):
    out = invoke(name, "-h").stdout
    # Examples are kept as written; a path too long for a line cannot be broken.
    wide = [line for line in out.splitlines() if cell_len(line) > 100
            and not line.strip().startswith(("xl-disclosure", "type ")) and not re.search(r"\S{40}", line)]
    assert not wide, wide


def test_option_help_is_aligned_by_display_width():
    formatter = zh.HelpFormatter(width=60)
    formatter.write_dl([("--甲乙", "说明一"), ("--abcd", "说明二")])
    lines = formatter.getvalue().splitlines()
    assert [cell_len(line.split("说明")[0]) for line in lines] == [8, 8]


def test_chinese_wraps_between_characters_never_before_a_closing_mark():
    lines = zh.wrap("汇总各机关报送的年度报告，逐个校验、合计全区域数字。", 20, "  ", "  ")
    assert all(cell_len(line) <= 21 for line in lines) and len(lines) > 1
    assert not any(line.strip()[0] in zh.NO_BREAK_BEFORE for line in lines)
    assert "".join(line.strip() for line in lines) == "汇总各机关报送的年度报告，逐个校验、合计全区域数字。"


def _po_entries(text: str) -> dict[str, str]:
    """msgid -> msgstr (the first form) of a .po file, enough for ours."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = ""
    for line in text.splitlines() + [""]:
        if not line.strip():
            if "msgid" in current and current["msgid"]:
                entries[current["msgid"]] = current.get("msgstr", current.get("msgstr[0]", ""))
            current, key = {}, ""
            continue
        if line.startswith("#"):
            continue
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?)\s+"(.*)"$', line)
        if m:
            key = m.group(1) if m.group(1) != "msgstr[0]" else "msgstr"
            current[key] = json.loads(f'"{m.group(2)}"')
        elif line.startswith('"') and key:
            current[key] += json.loads(line)
    return entries


def test_the_catalogue_is_the_compiled_po_file():
    entries = _po_entries((LOCALE / "messages.po").read_text(encoding="utf-8"))
    catalogue = zh.catalogue()
    assert isinstance(catalogue, gettext.GNUTranslations)
    assert len(entries) > 60
    for msgid, msgstr in entries.items():
        assert msgstr, msgid
        assert catalogue.gettext(msgid) == msgstr, msgid
        assert set(re.findall(r"\{\w+", msgstr)) <= set(re.findall(r"\{\w+", msgid + " {possibilities {choices"
                                                                  " {formats {len {nargs")), msgid


def test_click_modules_word_messages_from_the_catalogue():
    assert click.exceptions._("Missing argument") == "缺少参数"
    assert click.formatting._("Usage:") == "用法："


# ---------------------------------------------------------------------------
# -q / -v
# ---------------------------------------------------------------------------

def _report_json(tmp_path: Path, name: str = "r.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(seed_report().to_json(), ensure_ascii=False), encoding="utf-8")
    return path


def test_quiet_leaves_out_what_was_written_but_not_problems(tmp_path):
    src = _report_json(tmp_path)
    normal = invoke("fill", "--from", src, "-o", tmp_path / "a.xlsx")
    quiet = invoke("fill", "-q", "--from", src, "-o", tmp_path / "b.xlsx")
    assert "已写出" in normal.stdout and quiet.stdout == "" and (tmp_path / "b.xlsx").exists()
    bad = tmp_path / "bad.json"
    data = seed_report().to_json()
    data["section3"]["s3_new_natural"] = (data["section3"]["s3_new_natural"] or 0) + 3
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = invoke("validate", "-q", src, bad)
    assert result.exit_code == 1
    assert str(bad) in result.stdout and f"通过 {src}" not in result.stdout and "共 2 个文件" not in result.stdout


def test_quiet_and_verbose_together_is_a_usage_error(tmp_path):
    result = invoke("validate", "-q", "-v", _report_json(tmp_path))
    assert result.exit_code == 2 and "--quiet 和 --verbose 只能选一个" in result.stderr


def test_verbose_compile_lists_every_file_and_times_outputs(tmp_path):
    (tmp_path / "in").mkdir()
    _report_json(tmp_path / "in")
    result = invoke("compile", "-v", tmp_path / "in", "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 0, result.output
    assert "通过 " in result.stdout  # a passing file is listed only with -v
    assert "按 UTF-8 编码读取" in result.stderr


# ---------------------------------------------------------------------------
# patterns, stdin, suffixes
# ---------------------------------------------------------------------------

def test_patterns_are_expanded_by_the_tool(tmp_path, monkeypatch):
    for name in ("甲.json", "乙.json"):
        _report_json(tmp_path, name)
    monkeypatch.chdir(tmp_path)
    result = invoke("validate", "*.json")
    assert result.exit_code == 0, result.output
    assert "共 2 个文件" in result.stdout
    assert invoke("validate", "*.xlsx").stderr.strip() == "“*.xlsx”没有匹配到任何文件。"
    one = invoke("export", "甲*")
    assert json.loads(one.stdout)["form"] == "gov-info-disclosure-annual-report"
    two = invoke("export", "*.json")
    assert two.exit_code == 2 and "匹配到 2 个文件" in two.stderr


def test_stdin_for_validate_export_render_and_parse(tmp_path):
    data = json.dumps(seed_report().to_json(), ensure_ascii=False).encode("utf-8")
    validated = invoke("validate", "-", input=data)
    assert validated.exit_code == 0 and validated.stdout.startswith("通过 标准输入 · 0 个错误")
    exported = invoke("export", "-", input=data)
    assert json.loads(exported.stdout)["cover"]["cover_agency_name"] == seed_report().agency
    rendered = invoke("render", "-", "-o", tmp_path / "r.md", input=data)
    assert rendered.exit_code == 0, rendered.output
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    parsed = invoke("parse", "-", input=text.encode("utf-8"))
    assert parsed.exit_code == 0, parsed.output
    assert json.loads(parsed.stdout)["report"]["section3"]["s3_new_natural"] == seed_report().values["s3_new_natural"]


@pytest.mark.parametrize(("args", "option"), [
    (("compile", "IN", "-o", "x.csv"), "-o x.csv"),
    (("compile", "IN", "-o", "x.xlsx", "--wide-csv", "x.xlsx"), "--wide-csv x.xlsx"),
    (("compile", "IN", "-o", "x.xlsx", "--json", "x.txt"), "--json x.txt"),
    (("render", "R", "-o", "x.pdf"), "x.pdf"),
    (("template", "-o", "x.xlsm"), "-o x.xlsm"),
    (("template", "-o", "x.xls"), "-o x.xls"),
    (("export", "R", "-o", "x.xlsx"), "-o x.xlsx"),
    (("fill", "--from", "R", "-o", "x.xlsm"), "-o x.xlsm"),
])
def test_an_output_suffix_the_command_cannot_write_is_refused(tmp_path, monkeypatch, args, option):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "IN").mkdir()
    _report_json(tmp_path / "IN")
    _report_json(tmp_path, "R")
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert option in result.stderr and "扩展名" in result.stderr
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.xlsm").exists()
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.xlsx").exists()


# ---------------------------------------------------------------------------
# piped output: whole lines
# ---------------------------------------------------------------------------

def test_piped_fields_are_whole_tab_separated_lines():
    out = invoke("fields").stdout.splitlines()
    assert out[1].split("\t") == ["字段编号", "部分", "行标题", "列标题", "位置", "类型", "规则"]
    rows = [line.split("\t") for line in out[2:] if line.count("\t") == 6]
    assert len(rows) > 200
    labels = {r[0]: r[2] for r in rows}
    assert labels["s3_deny_safety_natural"] == "三、本年度办理结果 （三）不予公开 3.危及“三安全一稳定”"
    assert "…" not in "\n".join(out)


def test_piped_demo_paths_are_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deep = "一个很长的文件夹名称" * 4
    result = invoke("demo", "-o", deep)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any(line.strip() == f"空白填报模板（发给各单位填写）：{deep}/report_template.xlsx" for line in lines)
    table = [line for line in lines if line.count("\t") == 4]
    assert table[0].split("\t") == ["文件", "说明", "结果", "错误", "警告"]
    assert any(r.startswith("某某县城关镇人民政府_2024.xlsx\t填报人输入了“１２件”“无”") and r.endswith("\t2\t0")
               for r in table)  # the whole note, not cut


def test_a_terminal_still_gets_a_rich_table(monkeypatch):
    from rich.console import Console

    out = Console(force_terminal=True, width=60, record=True, highlight=False)
    common.print_table(out, "标题", ("甲", "乙"), [("一个很长很长很长很长很长很长很长很长很长很长的名称", "2")])
    text = out.export_text()
    assert "┃" in text and "…" not in text and "名称" in text  # folded, not cut


def test_progress_shows_only_on_a_terminal(monkeypatch):
    calls = []
    with common.progress("写出") as update:
        update(1, 2)
        calls.append(update)
    assert calls[0].__name__ == "nothing"  # CliRunner's stderr is not a terminal
    monkeypatch.setattr("rich.console.Console.is_terminal", property(lambda self: True))
    with common.progress("写出", 2) as update:
        update(2, 2, label="写出 汇总.xlsx")
        assert update.__name__ == "update"


def test_soffice_is_available_for_the_print_tests():
    assert shutil.which("soffice")
