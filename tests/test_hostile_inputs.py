"""Every JSON, list and special-file input of every command is checked before use (issue 18).

The hostile JSON comes from tests/hostile/make_corpus.py (``json_attacks``), applied to a
real report JSON and a real compile summary; each command given one must refuse it with
a Chinese message naming the file (exit 2) — never a traceback, never a hang.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.hostile.make_corpus import json_attacks
from tests.hostile.measure import MAX_RSS_MB, MAX_SECONDS, run_measured

from xl_disclosure import api
from xl_disclosure.cli.main import cli
from xl_disclosure.model.inputs import InputFileError
from xl_disclosure.model.jsonio import MAX_DEPTH, JsonInputError, check_json, decoder, loads_json
from xl_disclosure.model.samples import seed_report
from xl_disclosure.model.textfile import load_json

#: Refused by the JSON loader itself, whatever the command does with the data afterwards.
PARSE_LEVEL = ("nan", "infinity", "1e400", "digits", "surrogate", "surrogate-key", "deep", "deep-objects",
               "undecodable", "truncated")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("inputs")
    good = api.fill(seed_report(), output=root / "good.xlsx").written
    api.export(good, output=root / "good.json")
    api.compile([good], xlsx=root / "summary.xlsx", json_path=root / "summary.json", jobs=1)
    (root / "list.csv").write_text("机关名称,统一社会信用代码\n孟津区西霞院街道办事处,11410308MB00000016\n",
                                   encoding="utf-8")
    out: dict[str, Path] = {"good.xlsx": good, "list.csv": root / "list.csv"}
    report_text = (root / "good.json").read_text(encoding="utf-8")
    summary_text = (root / "summary.json").read_text(encoding="utf-8")
    assert '"reports": [' in summary_text
    for label, (_reason, _note, data) in json_attacks(report_text).items():
        (root / f"report-{label}.json").write_bytes(data)
        out[f"report-{label}"] = root / f"report-{label}.json"
    for label, (_reason, _note, data) in json_attacks(summary_text, where="$.reports[0].section3.",
                                                      after='"reports": [').items():
        (root / f"summary-{label}.json").write_bytes(data)
        out[f"summary-{label}"] = root / f"summary-{label}.json"
    return out


def _commands(files: dict[str, Path], x: Path, out: Path) -> dict[str, list[str]]:
    good, agencies = str(files["good.xlsx"]), str(files["list.csv"])
    return {
        "fill": ["fill", "--from", str(x), "-o", str(out / "filled.xlsx")],
        "render": ["render", str(x), "-o", str(out / "report.docx")],
        "compile --prior": ["compile", good, "-o", str(out / "s.xlsx"), "--prior", str(x), "--jobs", "1"],
        "template --prior": ["template", "--agencies", agencies, "--out-dir", str(out / "batch"), "--prior", str(x)],
        "merge": ["merge", str(x), "-o", str(out / "m.xlsx")],
        "validate --prior": ["validate", good, "--prior", str(x)],
    }


REPORT_COMMANDS = ("fill", "render", "compile --prior", "template --prior", "validate --prior")
SUMMARY_COMMANDS = ("render", "compile --prior", "template --prior", "merge")


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{args}: {result.exception!r}\n{result.output}"
    return result.exit_code, result.output


@pytest.mark.parametrize("label", PARSE_LEVEL)
@pytest.mark.parametrize("shape", ["report", "summary"])
def test_every_command_refuses_hostile_json_by_name(files: dict[str, Path], tmp_path: Path, shape: str,
                                                    label: str) -> None:
    x = files[f"{shape}-{label}"]
    wanted = REPORT_COMMANDS if shape == "report" else SUMMARY_COMMANDS
    for name, args in _commands(files, x, tmp_path).items():
        if name not in wanted:
            continue
        code, text = _run(args)
        assert code == 2, f"{name} {x.name}: exit {code}\n{text}"
        assert x.name in text, f"{name}: the message names the file\n{text}"
        assert "Traceback" not in text
        assert not (tmp_path / "filled.xlsx").exists() and not (tmp_path / "m.xlsx").exists()


@pytest.mark.parametrize("label", ["1e308-twice", "huge-count"])
def test_implausible_numbers_in_report_data_are_refused_where_they_are_read(files: dict[str, Path], tmp_path: Path,
                                                                            label: str) -> None:
    for shape, commands in (("report", REPORT_COMMANDS), ("summary", ("compile --prior", "template --prior",
                                                                      "merge"))):
        x = files[f"{shape}-{label}"]
        for name, args in _commands(files, x, tmp_path).items():
            if name not in commands:
                continue
            code, text = _run(args)
            assert code == 2 and "大得不合常理" in text and x.name in text, f"{name} {x.name}: {code}\n{text}"


# ---------------------------------------------------------------------------
# Lists, devices, FIFOs: refused before they are opened; every read capped
# ---------------------------------------------------------------------------

def test_a_device_or_fifo_given_as_a_list_or_json_is_refused_at_once(files: dict[str, Path], tmp_path: Path) -> None:
    fifo = tmp_path / "名单.csv"
    os.mkfifo(fifo)
    good = str(files["good.xlsx"])
    for special, kind in ((Path("/dev/zero"), "设备文件"), (fifo, "命名管道")):
        for args in (["compile", good, "-o", str(tmp_path / "s.xlsx"), "--expected", str(special)],
                     ["compile", good, "-o", str(tmp_path / "s.xlsx"), "--prior", str(special)],
                     ["template", "--agencies", str(special), "--out-dir", str(tmp_path / "b")],
                     ["merge", str(special), "-o", str(tmp_path / "m.xlsx")],
                     ["validate", good, "--config", str(special)],
                     ["fill", "--from", str(special), "-o", str(tmp_path / "f.xlsx")],
                     ["validate", str(special)]):
            code, text, cpu, rss = run_measured([sys.executable, "-m", "xl_disclosure", *args], tmp_path, timeout=60)
            assert code == 2, f"{args}: exit {code}\n{text}"
            assert "Traceback" not in text and (kind in text or "不是普通文件" in text or "无法读取" in text), text
            assert cpu < MAX_SECONDS and rss < MAX_RSS_MB, (args, cpu, rss)


def test_a_huge_list_is_refused_without_reading_it_all(files: dict[str, Path], tmp_path: Path) -> None:
    huge = tmp_path / "名单.csv"
    with huge.open("wb") as fh:
        fh.truncate(1 << 30)  # sparse: 1 GB of zeros that take no disk (read whole, it would show in the RSS)
    code, text, cpu, rss = run_measured([sys.executable, "-m", "xl_disclosure", "compile", str(files["good.xlsx"]),
                                         "-o", str(tmp_path / "s.xlsx"), "--expected", str(huge)], tmp_path)
    assert code == 2 and "超过 32 MB" in text and "名单.csv" in text, text
    assert rss < MAX_RSS_MB, f"peak RSS {rss:.0f} MB: the list was read past its cap"


# ---------------------------------------------------------------------------
# The loader itself
# ---------------------------------------------------------------------------

def test_the_loader_names_the_json_path_of_what_it_refuses() -> None:
    with pytest.raises(JsonInputError, match=r"x\.json：JSON 中 \$\.reports\[2\]\.cover\[\"名 称\"\] 的值 NaN"):
        loads_json('{"reports": [{}, {}, {"cover": {"名 称": NaN}}]}', source="x.json")
    with pytest.raises(JsonInputError, match="嵌套超过"):
        loads_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert loads_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert loads_json('\ufeff{"a": [1, 2.5, "字", null, true]}') == {"a": [1, 2.5, "字", None, True]}
    assert loads_json('{"n": ' + "9" * 20 + "}") == {"n": int("9" * 20)}
    with pytest.raises(JsonInputError, match="21 位"):
        loads_json('{"n": -' + "9" * 21 + "}")


def test_a_streaming_reader_gets_the_same_checks_piece_by_piece() -> None:
    value, end = decoder().raw_decode('{"a": Infinity} trailing', 0)
    assert end == 15
    with pytest.raises(JsonInputError, match=r"\$\.files\[7\]\.a 的值 Infinity"):
        check_json(value, source="s.json", at=("files", 7))


def test_the_loader_caps_what_it_reads(tmp_path: Path) -> None:
    """textfile.load_json, the one reader of JSON files: capped, in the encodings people save, checked."""
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"x": "y" * 2000}), encoding="utf-8")
    with pytest.raises(InputFileError, match="超过 1 KB"):
        load_json(big, max_bytes=1024)
    assert load_json(big)["x"] == "y" * 2000
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes('{"名": "孟津区"}'.encode("gb18030"))
    assert load_json(gbk) == {"名": "孟津区"}
    gbk.write_bytes('{"名": NaN}'.encode("gb18030"))
    with pytest.raises(JsonInputError, match="NaN"):
        load_json(gbk)
