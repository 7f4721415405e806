"""Encodings of the Windows desktop: JSON in any encoding people save, consoles that cannot show every character."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from parse_helpers import seed_layout_text
from xl_disclosure import api
from xl_disclosure.cli.main import cli
from xl_disclosure.model.report import ReportFormatError
from xl_disclosure.model.reportjson import load_report_json
from xl_disclosure.model.samples import seed_report
from xl_disclosure.model.textfile import UnknownEncoding, decode

RARE = "𠮷"  # U+20BB7: in GB18030, not in GBK (cp936), so a GBK console cannot show it
ENCODINGS = {"utf-8": None, "utf-8-sig": None, "gb18030": "GB18030", "utf-16": "UTF-16"}


def run(*args: str | Path, encoding: str = "gbk", stdin: bytes | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """The command line in a fresh process whose console is ``encoding`` and whose locale is C."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "LANG": "C", "LC_ALL": "C"}
    env.pop("PYTHONUTF8", None)
    return subprocess.run([sys.executable, "-m", "xl_disclosure", *map(str, args)], capture_output=True, env=env,
                          input=stdin, cwd=cwd, timeout=300)


def report_bytes(encoding: str, agency: str = f"{RARE}家镇人民政府") -> bytes:
    report = seed_report()
    report.values["cover_agency_name"] = agency
    return json.dumps(report.to_json(), ensure_ascii=False).encode(encoding)


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_report_json_in_every_encoding_people_save_reads_the_same(tmp_path, encoding):
    path = tmp_path / "r.json"
    path.write_bytes(report_bytes(encoding))
    report = load_report_json(path)
    assert report.agency == f"{RARE}家镇人民政府"
    assert report.source.get("encoding", "utf-8").replace("-sig", "") == encoding.replace("-sig", "")


def test_decode_tells_utf16_without_bom_and_refuses_what_fits_none():
    text = '{"a": "西霞院"}'
    assert decode(text.encode("utf-16-le")) == (text, "utf-16-le")
    assert decode(text.encode("gb18030"))[1] == "gb18030"
    with pytest.raises(UnknownEncoding) as info:
        decode(b'{"a": "\x81\x20"}')
    assert isinstance(info.value, UnicodeDecodeError) and "UTF-8、GB18030" in str(info.value)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_validate_says_which_encoding_it_read(tmp_path, encoding):
    (tmp_path / "报告.json").write_bytes(report_bytes(encoding, agency="西霞院街道办事处"))
    proc = run("validate", tmp_path / "报告.json")
    err = proc.stderr.decode("gbk")
    assert proc.returncode in (0, 1), err
    assert f"不是 UTF-8 编码，已按 {ENCODINGS[encoding]}" in err
    quiet = run("validate", "-q", tmp_path / "报告.json")
    assert "编码" not in quiet.stderr.decode("gbk")


def test_utf8_says_nothing_unless_verbose(tmp_path):
    (tmp_path / "报告.json").write_bytes(report_bytes("utf-8-sig", agency="西霞院街道办事处"))
    assert "编码" not in run("validate", tmp_path / "报告.json").stderr.decode("gbk")
    assert "按 UTF-8 编码读取" in run("validate", "-v", tmp_path / "报告.json").stderr.decode("gbk")


def test_a_gbk_console_gets_an_escape_not_a_question_mark_or_a_crash(tmp_path):
    name = tmp_path / f"{RARE}家镇.json"
    name.write_bytes(report_bytes("utf-8"))
    proc = run("validate", name)
    out = proc.stdout.decode("gbk")  # every byte is GBK: nothing the console cannot show was written
    assert proc.returncode in (0, 1), proc.stderr.decode("gbk")
    assert "\\U00020bb7家镇.json" in out and "?" not in out.replace("??", "")
    assert "Traceback" not in proc.stderr.decode("gbk")


def test_an_ascii_console_gets_escapes_too(tmp_path):
    proc = run("fields", encoding="ascii")
    assert proc.returncode == 0
    assert "\\u586b" in proc.stdout.decode("ascii")  # 填


def test_json_on_stdout_stays_utf8_on_a_gbk_console(tmp_path):
    name = tmp_path / "r.json"
    name.write_bytes(report_bytes("gb18030"))
    proc = run("export", name)
    assert json.loads(proc.stdout.decode("utf-8"))["cover"]["cover_agency_name"] == f"{RARE}家镇人民政府"


def test_schema_check_names_the_field_in_chinese(tmp_path):
    data = seed_report().to_json()
    data["section3"]["s3_new_natural"] = "五件"
    data["cover"]["extra"] = 1
    path = tmp_path / "坏.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ReportFormatError) as info:
        load_report_json(path)
    message = str(info.value)
    assert message.startswith(f"{path}：不符合报告数据格式")
    assert "“section3.s3_new_natural”" in message and "应为数字" in message and "未知字段 extra" in message
    result = api.validate(path).results[0]
    assert result.status == "无法读取" and "s3_new_natural" in (result.read_error or "")


def test_a_json_without_a_section_is_refused_by_the_schema(tmp_path):
    data = seed_report().to_json()
    del data["section4"]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReportFormatError, match="缺少 section4"):
        load_report_json(path)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_stdin_in_any_encoding(encoding):
    result = CliRunner().invoke(cli, ["validate", "-"], input=report_bytes(encoding, agency="西霞院街道办事处"))
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.split()[1] == "标准输入"
    assert f"已按 {ENCODINGS[encoding]}" in result.stderr


def test_published_text_in_gbk_is_read_and_said(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_bytes(seed_layout_text(seed_report()).encode("gb18030"))
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    assert "已按 GB18030" in result.stderr
