"""A batch survives any one file, interrupted runs leave nothing behind, and no command loses a file (issue 18).

* compile over a folder holding every hostile case of tests/hostile/make_corpus.py and a few
  hundred good workbooks (``XL_HOSTILE_GOOD``, default 200) writes a complete summary with one
  row per file, and its good-file totals equal those of the good files compiled alone;
* Ctrl-C or SIGTERM in the middle of a compile leaves no spool folder, no temporary output and
  no worker, and the outputs of the previous run as they were; outputs are published together;
* no command overwrites one of its inputs, and two outputs of one run never share a file;
* names printed to the terminal never carry control characters to it.
"""

from __future__ import annotations

import gc
import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.compile_helpers import WorkbookFactory
from tests.hostile.make_corpus import make_corpus
from tests.hostile.measure import run_measured

from xl_disclosure import api
from xl_disclosure.batch.compile import compile_reports
from xl_disclosure.cli.main import cli
from xl_disclosure.model.samples import random_report, seed_report
from xl_disclosure.model.summary import Compilation, Totals
from xl_disclosure.writers import atomic
from xl_disclosure.writers.atomic import published_together

GOOD = int(os.environ.get("XL_HOSTILE_GOOD", "200"))
CLI = [sys.executable, "-m", "xl_disclosure"]


def _good_batch(folder: Path, n: int, *, seed: int = 18, prefix: str = "好") -> list[Path]:
    factory = WorkbookFactory(folder.parent / f"_factory-{folder.name}")
    rng = random.Random(seed)
    return [factory.write(folder / f"{prefix}{i:04d}.xlsx", random_report(rng, agency=f"{prefix}测试{i:04d}街道办事处"))
            for i in range(n)]


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        os.symlink(src, dst)


def _leftovers(tmpdir: Path) -> list[str]:
    return sorted(p.name for p in tmpdir.iterdir())


def _env(tmpdir: Path) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(tmpdir)}


# ---------------------------------------------------------------------------
# A batch survives any one file
# ---------------------------------------------------------------------------

def test_compile_over_every_hostile_case_and_good_files_writes_a_complete_summary(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    cases = make_corpus(corpus)
    mixed, goods = tmp_path / "收到的报表", tmp_path / "只有好的"
    mixed.mkdir()
    goods.mkdir()
    for name in cases:
        _link(corpus / name, mixed / name)
    good_paths = _good_batch(goods, GOOD)
    for p in good_paths:
        _link(p, mixed / p.name)
    private = tmp_path / "tmp"
    private.mkdir()
    out = tmp_path / "out"
    args = [*CLI, "compile", str(mixed), "-o", str(out / "汇总.xlsx"), "--json", str(out / "汇总.json"),
            "--csv", str(out / "明细.csv"), "--jobs", "1"]
    proc = subprocess.run(args, cwd=tmp_path, env=_env(private), capture_output=True, text=True, timeout=1800,
                          check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    summary = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    rows = {Path(f["file"]).name: f for f in summary["files"]}
    assert len(summary["files"]) == len(cases) + GOOD == len(rows), "one row per file"
    for name, case in cases.items():
        if case.exit == {2}:
            assert rows[name]["status"] == "无法读取" and name in rows[name]["read_error"], rows[name]
    assert all(rows[p.name]["status"] == "通过" and rows[p.name]["counted"] for p in good_paths)
    with zipfile.ZipFile(out / "汇总.xlsx") as zf:
        assert zf.testzip() is None
    assert (out / "明细.csv").stat().st_size > 0
    assert _leftovers(private) == [], "no spool folder left behind"
    assert sorted(p.name for p in out.iterdir()) == ["明细.csv", "汇总.json", "汇总.xlsx"]

    good_names = {f"好测试{i:04d}街道办事处" for i in range(GOOD)}
    with compile_reports([goods], jobs=2) as alone:
        expected = alone.totals.grouped()
        assert alone.totals.count == GOOD
    sums: dict[str, dict[str, float]] = {g: dict.fromkeys(v, 0) for g, v in expected.items()}
    counted_good = 0
    for report in summary["reports"]:
        if report["cover"]["cover_agency_name"] in good_names:
            counted_good += 1
            for group, values in sums.items():
                for fid in values:
                    values[fid] += report[group][fid] or 0
    assert counted_good == GOOD
    for group, values in expected.items():  # amounts are floats: summed in another order, equal to 1e-9
        assert sums[group] == pytest.approx(values, rel=1e-12, abs=1e-9), group


# ---------------------------------------------------------------------------
# Interrupted runs leave nothing behind; outputs are published together
# ---------------------------------------------------------------------------

def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _ours_running(marker: str) -> list[int]:
    """Processes (a compile and its workers) whose command line holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_compile_leaves_nothing_behind(tmp_path: Path, signum: int) -> None:
    inbox = tmp_path / "inbox"
    _good_batch(inbox, 300)
    out = tmp_path / f"out-{signum}"
    targets = ["-o", str(out / "汇总.xlsx"), "--json", str(out / "汇总.json"), "--csv", str(out / "明细.csv")]
    first = tmp_path / "first"
    _good_batch(first, 3, prefix="先")
    private = tmp_path / "tmp"
    private.mkdir()
    done = subprocess.run([*CLI, "compile", str(first), *targets, "--jobs", "1"], env=_env(private),
                          capture_output=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    before = _outputs(out)
    child = subprocess.Popen([*CLI, "compile", str(inbox), *targets, "--jobs", "2"], env=_env(private),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # wait until the batch is half-way: the spool holds some rows
            spools = list(private.glob("xl-compile-*/reports.jsonl"))  # report data of agencies already read
            if spools and spools[0].stat().st_size > 0:
                break
            assert child.poll() is None, "the compile ended before it could be interrupted"
            time.sleep(0.05)
        child.send_signal(signum)
        _, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode != 0
    assert b"Traceback" not in err, err.decode()
    assert _outputs(out) == before, "the previous run's outputs are untouched"
    assert _leftovers(private) == [], "no spool folder left behind"
    assert _ours_running(str(out)) == [], "no worker left behind"


def test_outputs_are_published_together_or_not_at_all(tmp_path: Path) -> None:
    targets = [tmp_path / n for n in ("a.xlsx", "a.json", "a.csv")]
    for t in targets:
        t.write_text("old", encoding="utf-8")
    for failure in (RuntimeError("写到一半出错"), KeyboardInterrupt()):
        with pytest.raises(type(failure)), published_together(targets) as tmps:
            tmps[0].write_text("new", encoding="utf-8")
            tmps[1].write_text("new", encoding="utf-8")
            raise failure
        assert [t.read_text(encoding="utf-8") for t in targets] == ["old"] * 3
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(t.name for t in targets)
    with published_together(targets) as tmps:
        for tmp in tmps:
            tmp.write_text("new", encoding="utf-8")
    assert [t.read_text(encoding="utf-8") for t in targets] == ["new"] * 3
    mode = stat.S_IMODE(targets[0].stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_a_second_run_publishes_only_after_the_first_is_done(tmp_path: Path) -> None:
    """Publishing takes a lock on the outputs' folder: while one run holds it, another waits."""
    target = tmp_path / "汇总.json"
    target.write_text("first", encoding="utf-8")
    script = ("import sys\nfrom pathlib import Path\nfrom xl_disclosure.writers.atomic import published_together\n"
              "with published_together([Path(sys.argv[1])]) as (tmp,):\n"
              "    tmp.write_text('second')\n    print('written', flush=True)\n")
    with atomic._folders_locked({tmp_path.resolve()}):
        other = subprocess.Popen([sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, text=True)
        assert other.stdout is not None and other.stdout.readline() == "written\n"  # now it only has to publish
        time.sleep(1)
        assert other.poll() is None and target.read_text(encoding="utf-8") == "first", \
            "the second run published while the first held the lock"
    assert other.wait(timeout=60) == 0
    assert target.read_text(encoding="utf-8") == "second"


def test_two_compiles_at_once_leave_the_outputs_of_one_of_them(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _good_batch(a, 40, prefix="甲")
    _good_batch(b, 40, prefix="乙", seed=2)
    out = tmp_path / "out"
    targets = ["-o", str(out / "s.xlsx"), "--json", str(out / "s.json"), "--csv", str(out / "s.csv")]
    runs = [subprocess.Popen([*CLI, "compile", str(src), *targets, "--jobs", "1"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE) for src in (a, b)]
    for run in runs:
        assert run.wait(timeout=600) == 0, run.stderr.read() if run.stderr else ""
    summary = json.loads((out / "s.json").read_text(encoding="utf-8"))
    winner = {Path(f["file"]).parent.name for f in summary["files"]}
    assert len(winner) == 1
    with zipfile.ZipFile(out / "s.xlsx") as zf:
        sheets = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    loser = "乙" if winner == {"a"} else "甲"
    mine = "甲" if winner == {"a"} else "乙"
    assert f"{mine}测试0001".encode() in sheets and f"{loser}测试0001".encode() not in sheets
    csv_text = (out / "s.csv").read_text(encoding="utf-8-sig")
    assert f"{mine}测试0001" in csv_text and f"{loser}测试" not in csv_text
    assert sorted(p.name for p in out.iterdir()) == ["s.csv", "s.json", "s.xlsx"]


# ---------------------------------------------------------------------------
# No file ever lost
# ---------------------------------------------------------------------------

@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    api.fill(seed_report(), output=tmp_path / "b.xlsx")
    api.export(tmp_path / "b.xlsx", output=tmp_path / "b.json")
    (tmp_path / "in").mkdir()
    api.fill(seed_report(), output=tmp_path / "in" / "a.xlsx")
    (tmp_path / "list.csv").write_text("机关名称\n孟津区西霞院街道办事处\n", encoding="utf-8")
    api.compile([tmp_path / "in"], xlsx=tmp_path / "s.xlsx", json_path=tmp_path / "s.json", jobs=1)
    api.render_report(tmp_path / "b.json", tmp_path / "b.md")
    os.link(tmp_path / "b.json", tmp_path / "b-link.json")
    return tmp_path


#: Each: the command, a file it must leave alone, and what the refusal says.  Suffix checks come first
#: (-o of compile must be .xlsx …), so an output can meet an input only where the suffixes agree.
REFUSED = {
    "compile -o naming an input": (["compile", "in", "-o", "in/a.xlsx"], "in/a.xlsx", "本次要读取"),
    "compile --csv naming the list": (["compile", "in", "-o", "x.xlsx", "--csv", "list.csv", "--expected", "list.csv"],
                                      "list.csv", "本次要读取"),
    "compile --json naming the prior": (["compile", "in", "-o", "x.xlsx", "--json", "s.json", "--prior", "s.json"],
                                        "s.json", "本次要读取"),
    "compile --csv X --wide-csv X": (["compile", "in", "-o", "x.xlsx", "--csv", "t.csv", "--wide-csv", "t.csv"],
                                     "t.csv", "同一个文件"),
    "merge --json naming its input": (["merge", "s.json", "-o", "m.xlsx", "--json", "s.json"], "s.json", "本次要读取"),
    "export r.json -o r.json": (["export", "b.json", "-o", "b.json"], "b.json", "本次要读取"),
    "export to a hard link of the input": (["export", "b.json", "-o", "b-link.json"], "b.json", "本次要读取"),
    "validate r.json --json r.json": (["validate", "b.json", "--json", "b.json"], "b.json", "本次要读取"),
    "validate --json naming the prior": (["validate", "in/a.xlsx", "--prior", "b.json", "--json", "b.json"], "b.json",
                                         "本次要读取"),
    "fill --from b.json when b.xlsx exists": (["fill", "--from", "b.json"], "b.xlsx", "--force"),
    "fill -o an existing file": (["fill", "--from", "b.json", "-o", "s.xlsx"], "s.xlsx", "--force"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_no_command_overwrites_its_input_or_one_output_with_another(work: Path, case: str) -> None:
    args, kept, why = REFUSED[case]
    files = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, f"{case}: {result.output}"
    assert why in result.output and Path(kept).name in result.output, result.output
    assert {p: p.read_bytes() for p in work.rglob("*") if p.is_file()} == files, f"{case}: a file changed"


def test_outputs_kept_among_the_reports_are_replaced_by_the_next_run_and_never_read(work: Path) -> None:
    """An earlier run's summary workbook, JSON and CSV in the reports' folder: not reports, and ours to replace."""
    args = ["compile", "in", "-o", "in/s.xlsx", "--json", "in/s.json", "--csv", "in/s.csv", "--jobs", "1"]
    for _ in range(2):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        files = json.loads((work / "in" / "s.json").read_text(encoding="utf-8"))["files"]
        assert [Path(f["file"]).name for f in files] == ["a.xlsx"]
    (work / "in" / "s.csv").write_text("机关名称\n一份名单，不是长表\n", encoding="utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "s.csv" in result.output and "不能覆盖" in result.output, result.output


def test_fill_replaces_an_existing_workbook_only_with_force(work: Path) -> None:
    (work / "b.xlsx").unlink()
    (work / "b.xlsx").write_bytes(b"a filled workbook")
    result = CliRunner().invoke(cli, ["fill", "--from", "b.json", "--force"])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(work / "b.xlsx")


# ---------------------------------------------------------------------------
# Names printed to the terminal are made safe; folders made with ordinary permissions
# ---------------------------------------------------------------------------

EVIL = "西霞院\x1b]0;pwned\x07\x1b[31m红\u202excod.xlsx"


def test_control_characters_in_file_names_never_reach_the_terminal(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / EVIL).write_bytes(b"not a workbook")
    api.fill(seed_report(), output=inbox / "好.xlsx")
    for args in (["validate", str(inbox / EVIL)], ["compile", str(inbox), "-o", str(tmp_path / "s.xlsx")]):
        code, text, _cpu, _rss = run_measured([*CLI, *args], tmp_path)
        assert code in (1, 2), text
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in text, f"{args[0]}: {raw!r} reached the terminal"
        assert "西霞院\\x1b]0;pwned\\x07\\x1b[31m红\\u202excod.xlsx" in text, text


def test_the_template_batch_folder_has_ordinary_permissions(tmp_path: Path) -> None:
    listed = tmp_path / "名单.csv"
    listed.write_text("机关名称\n甲街道办事处\n乙街道办事处\n", encoding="utf-8")
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(cli, ["template", "--agencies", str(listed), "--out-dir", str(tmp_path / "下发")])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "下发").stat().st_mode) == 0o755


def test_a_folder_entry_that_is_not_a_regular_file_gets_its_own_row(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    api.fill(seed_report(), output=inbox / "好.xlsx")
    os.mkfifo(inbox / "管道.xlsx")
    done = threading.Event()

    def watchdog() -> None:  # were the FIFO opened, the compile would block: unblock it, so the test fails
        if not done.wait(60):
            with open(inbox / "管道.xlsx", "wb"):
                pass

    threading.Thread(target=watchdog, daemon=True).start()
    with compile_reports([inbox], jobs=1) as comp:
        done.set()
        rows = {Path(r.file).name: r for r in comp.rows}
    assert rows["好.xlsx"].status == "通过"
    assert rows["管道.xlsx"].status == "无法读取" and "命名管道" in rows["管道.xlsx"].first[0]


def test_a_file_name_that_is_not_utf8_does_not_stop_the_summary(tmp_path: Path) -> None:
    """On Linux a name's bytes need not be UTF-8; Python holds them as lone surrogates no output can write."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    odd = os.fsdecode(b"\xff\xfe\xe5\x90\x8d.xlsx")  # two stray bytes, then 名
    api.fill(seed_report(), output=inbox / odd)
    api.fill(random_report(random.Random(3), agency="另一个机关"), output=inbox / "好.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["compile", str(inbox), "-o", str(out / "s.xlsx"), "--json", str(out / "s.json"),
                                      "--csv", str(out / "s.csv"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    files = [Path(f["file"]).name for f in json.loads((out / "s.json").read_text(encoding="utf-8"))["files"]]
    assert sorted(files) == sorted(["\\xff\\xfe名.xlsx", "好.xlsx"])
    code, text, _cpu, _rss = run_measured([*CLI, "validate", "--json", "-", str(inbox / odd)], tmp_path)
    assert code == 0 and "\\\\xff\\\\xfe名.xlsx" in text, text


def test_a_compilation_removes_a_spool_folder_only_if_it_made_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Compilation given someone's folder as its spool (a test gives "."): only the spool files go, never the rest."""
    folder = tmp_path / "收到的报表"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(b"a report")
    (folder / "findings.jsonl").write_text("[]\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    for spool in (folder, Path(".")):
        comp = Compilation(rows=[], totals=Totals(), year=None, include_invalid=False, expected=None, missing=[],
                           duplicates=[], prior=None, spool_dir=spool)
        comp.close()
        del comp
        gc.collect()
        assert (folder / "a.xlsx").read_bytes() == b"a report"
    assert not (folder / "findings.jsonl").exists()
    api.fill(seed_report(), output=tmp_path / "in" / "a.xlsx")
    (tmp_path / "spools").mkdir()
    with compile_reports([tmp_path / "in"], jobs=1, spool_dir=tmp_path / "spools") as comp:
        own = comp.spool_dir
        (own / "scratch.tmp").write_bytes(b"xlsxwriter's")  # what xlsxwriter leaves there when interrupted
    assert own.parent == tmp_path / "spools" and not own.exists()
