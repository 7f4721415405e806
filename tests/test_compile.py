"""Compiling a realistic batch of returned reports: statuses, totals, gaps, outputs."""

from __future__ import annotations

import csv
import json
import math
import random
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner
from referencing import Registry, Resource
from tests.compile_helpers import WorkbookFactory
from tests.conftest import SCHEMA_DIR, soffice_convert

from xl_disclosure.batch import agencies
from xl_disclosure.batch import compile as compiler
from xl_disclosure.batch.agencies import load_prior
from xl_disclosure.batch.compile import compile_reports
from xl_disclosure.cli.main import cli
from xl_disclosure.form import FORM, Kind, s3_id
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, random_uscc
from xl_disclosure.model.summary import TOTAL_FIELDS, full_values
from xl_disclosure.readers.published import TABLE_FIELDS
from xl_disclosure.writers.summary_xlsx import SHEETS

YEAR = 2024


@dataclass
class Planned:
    path: Path
    status: str
    report: Report | None = None
    counted: bool = False
    rules: set[str] = field(default_factory=set)


@dataclass
class Batch:
    root: Path
    inbox: Path
    files: dict[str, Planned]
    expected_csv: Path
    missing: list[tuple[str, str]]
    duplicates: dict[str, list[str]]  # uscc -> files, counted first
    sent_unreadable: list[tuple[str, str]]  # expected agencies whose (unreadable) file names them

    @property
    def counted(self) -> list[Report]:
        return [p.report for p in self.files.values() if p.counted and p.report is not None]


def _agency(rng: random.Random, i: int, used: set[str]) -> tuple[str, str]:
    code = random_uscc(rng)
    while code in used:
        code = random_uscc(rng)
    used.add(code)
    return f"测试县第{i:03d}号机关", code


def _report(rng: random.Random, name: str, code: str, year: int = YEAR) -> Report:
    r = random_report(rng, agency=name, year=year)
    r.values["cover_uscc"] = code
    return r


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """Several hundred files with a known mix, in nested folders as an office would keep them."""
    rng = random.Random(2024)
    root = tmp_path_factory.mktemp("compile")
    inbox = root / "收到的报表"
    factory = WorkbookFactory(root / "work")
    files: dict[str, Planned] = {}
    used: set[str] = set()
    expected_rows: list[tuple[str, str]] = []
    n = 0

    def workbook(sub: str, planned_status: str, report: Report, *, counted: bool, rules: set[str] | None = None,
                 **kw: object) -> Planned:
        nonlocal n
        n += 1
        safe = "".join(ch for ch in report.agency if ch.isalnum())
        path = inbox / sub / f"{n:04d}_{safe}.xlsx"
        factory.write(path, report, **kw)  # type: ignore[arg-type]
        p = Planned(path, planned_status, report, counted, rules or set())
        files[str(path)] = p
        return p

    # 260 valid workbooks in three folders.
    for i in range(260):
        name, code = _agency(rng, i, used)
        expected_rows.append((name, code))
        workbook(("城区", "乡镇", "部门")[i % 3], "通过", _report(rng, name, code), counted=True)
    # Warnings only: still counted.
    for i in range(260, 266):
        name, code = _agency(rng, i, used)
        expected_rows.append((name, code))
        r = _report(rng, name, code)
        if i % 2:
            r.values["cover_phone"] = "12"
            rule = "cover.phone"
        else:
            r.values["s2_fees_amount"] = 1.123456
            rule = "input.precision"
        workbook("部门", "有警告", r, counted=True, rules={rule})
    # Invalid: a broken 勾稽关系 — not counted.
    for i in range(266, 278):
        name, code = _agency(rng, i, used)
        expected_rows.append((name, code))
        r = _report(rng, name, code)
        r.values["s3_new_natural"] = (r.values["s3_new_natural"] or 0) + 3  # type: ignore[operator]
        workbook("乡镇", "不通过", r, counted=False, rules={"s3.balance"})
    # Wrong year: readable and consistent, but for 2023 — not counted.
    for i in range(278, 283):
        name, code = _agency(rng, i, used)
        expected_rows.append((name, code))
        workbook("城区", "不通过", _report(rng, name, code, year=YEAR - 1), counted=False, rules={"compile.year"})
    # Previous template version (0): unreadable, with the reader's reason; its file name names the
    # agency, so the agency sent its report — 已报送（格式不符）— and is not missing.
    unreadable_agencies = []
    for i in range(283, 286):
        name, code = _agency(rng, i, used)
        expected_rows.append((name, code))
        unreadable_agencies.append((name, code))
        workbook("部门", "无法读取", _report(rng, name, code), counted=False, meta={"template_version": 0})
    # Duplicates: the same agency twice.  The same workbook again: the first by path is counted, the copy
    # flagged.  Different figures: a conflict — neither is counted until the office decides.
    duplicates: dict[str, list[str]] = {}
    counted_first = [p for p in files.values() if p.status == "通过"][:5]
    for k, first in enumerate(counted_first):
        assert first.report is not None
        again = Report(dict(first.report.values))
        if k == 0:
            again.values["s3_new_natural"] = (again.values["s3_new_natural"] or 0) + 7  # type: ignore[operator]
            again.values["s3_open_natural"] = (again.values["s3_open_natural"] or 0) + 7  # type: ignore[operator]
            dup = workbook("重复提交", "重复报送", again, counted=False, rules={"compile.conflict"})
            first.status, first.counted, first.rules = "重复报送", False, {"compile.conflict"}
        else:
            dup = workbook("重复提交", "重复报送", again, counted=False, rules={"compile.duplicate"})
            assert dup.path.read_bytes() == first.path.read_bytes()
        duplicates[str(first.report.values["cover_uscc"])] = [str(first.path), str(dup.path)]
    # Unreadable files of several kinds.
    good_bytes = next(iter(files.values())).path.read_bytes()
    junk = {
        "空文件.xlsx": b"",
        "改了扩展名的文本.xlsx": "这不是工作簿".encode(),
        "没传完.xlsx": good_bytes[: len(good_bytes) // 2],
        "旧版.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    }
    for name, data in junk.items():
        path = inbox / "其他" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files[str(path)] = Planned(path, "无法读取")
    # Report JSON is accepted alongside workbooks.
    for i in range(286, 288):
        name, code = _agency(rng, i, used)
        expected_rows.append((name, code))
        r = _report(rng, name, code)
        path = inbox / "数据" / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(r.dumps(), encoding="utf-8")
        files[str(path)] = Planned(path, "通过", r, True)
    # A formula-like agency name must come out as inert text.
    name, code = _agency(rng, 288, used)
    evil = '=HYPERLINK("http://example.invalid","点我")'
    expected_rows.append((evil, code))
    workbook("城区", "通过", _report(rng, evil, code), counted=True)
    # Files a folder scan must ignore: Office lock files and system files.
    (inbox / "城区" / "~$0001_锁定.xlsx").write_bytes(b"lock")
    (inbox / "城区" / "Thumbs.db").write_bytes(b"\x00")
    # Expected but not received; one listed by name only.
    missing: list[tuple[str, str]] = []
    for i in range(900, 908):
        name, code = _agency(rng, i, used)
        missing.append((name, code if i != 907 else ""))
    expected_csv = root / "应报送名单.csv"
    rows = expected_rows + missing
    rng.shuffle(rows)
    with open(expected_csv, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["机关名称", "统一社会信用代码"])
        w.writerows(rows)
    return Batch(root, inbox, files, expected_csv, missing, duplicates, unreadable_agencies)


@pytest.fixture(scope="module")
def compiled(batch: Batch):
    out = batch.root / "输出"
    result = CliRunner().invoke(cli, [
        "compile", str(batch.inbox), "-o", str(out / "汇总.xlsx"), "--json", str(out / "汇总.json"),
        "--csv", str(out / "明细.csv"), "--expected", str(batch.expected_csv), "--year", str(YEAR), "--jobs", "2",
    ])
    summary = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    return result, out, summary


def schema_validator():
    resources = [(s["$id"], Resource.from_contents(s)) for s in
                 (json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json"))]
    schema = json.loads((SCHEMA_DIR / "summary.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=Registry().with_resources(resources))


def expected_totals(reports: list[Report]) -> dict[str, float]:
    out: dict[str, float] = {}
    for fid in TOTAL_FIELDS:
        out[fid] = sum((r.total(fid) or 0) for r in reports)
    return out


# ---------------------------------------------------------------------------


def test_every_file_has_its_exact_status(batch: Batch, compiled) -> None:
    result, _, summary = compiled
    assert result.exit_code == 1, result.output
    got = {f["file"]: f for f in summary["files"]}
    assert len(summary["files"]) == len(got) == len(batch.files)  # each file exactly once, nothing else
    assert set(got) == set(batch.files)
    for path, planned in batch.files.items():
        entry = got[path]
        assert entry["status"] == planned.status, (path, entry)
        assert entry["counted"] == planned.counted, (path, entry)
        rules = {f["rule"] for f in entry["findings"]}
        assert planned.rules <= rules, (path, rules)
        if planned.status == "无法读取":
            assert entry["read_error"] and path in entry["read_error"]
    old = [f for f in summary["files"] if "第 0 版" in (f["read_error"] or "")]
    assert len(old) == 3
    assert summary["status_counts"] == {s: sum(p.status == s for p in batch.files.values())
                                        for s in ("通过", "有警告", "不通过", "无法读取", "重复报送", "同一报告的另一格式")}


def test_totals_are_the_sum_of_the_counted_reports(batch: Batch, compiled) -> None:
    _, _, summary = compiled
    want = expected_totals(batch.counted)
    flat = {k: v for g in ("section2", "section3", "section4") for k, v in summary["totals"][g].items()}
    assert set(flat) == set(want)
    for fid, value in want.items():
        assert math.isclose(flat[fid], value, abs_tol=1e-6), fid
    assert summary["counted"] == len(batch.counted) == len(summary["reports"])
    assert summary["included"] == "valid" and summary["year"] == YEAR
    # The duplicate with different numbers was not added.
    assert flat[s3_id("new", "total")] == sum(r.total(s3_id("new", "total")) for r in batch.counted)


def test_missing_and_duplicates(batch: Batch, compiled) -> None:
    _, _, summary = compiled
    assert sorted((m["agency"], m["uscc"] or "") for m in summary["missing"]) == sorted(batch.missing)
    assert sorted((m["agency"], m["uscc"]) for m in summary["received_unreadable"]) == sorted(batch.sent_unreadable)
    dups = {d["uscc"]: d["files"] for d in summary["duplicates"]}
    assert dups == batch.duplicates
    for d in summary["duplicates"]:
        entries = [f for f in summary["files"] if f["file"] in d["files"]]
        # Copies: the first counted; different figures: neither, until the office decides.
        assert [e["counted"] for e in entries] == ([True, False] if d["decided"] else [False, False]), d
    assert sorted(d["decided"] or "" for d in summary["duplicates"]) == ["", *["内容相同"] * 4]


def test_summary_json_matches_the_schema(compiled) -> None:
    _, _, summary = compiled
    errors = list(schema_validator().iter_errors(summary))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_schema_rejects_a_wrong_summary(compiled) -> None:
    _, _, summary = compiled
    bad = json.loads(json.dumps(summary))
    bad["files"][0]["status"] = "好"
    bad["reports"][0]["section3"]["s3_new_natural"] = "五"
    assert len(list(schema_validator().iter_errors(bad))) == 2


def test_long_csv(batch: Batch, compiled) -> None:
    _, out, _ = compiled
    with open(out / "明细.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["机关名称", "统一社会信用代码", "年度", "字段", "部分", "行", "列", "数值", "文字"]
    narratives = {f.id for f in FORM.fields if f.kind is Kind.LONGTEXT}
    assert all(r[7] == "" for r in rows[1:] if r[3] in narratives)  # texts never in the number column
    assert any(r[8] for r in rows[1:] if r[3] in narratives)
    assert all(r[8] == "" for r in rows[1:] if r[3] not in narratives and r[7] != "")
    assert all(r[1] == "" or (r[1].startswith("\t") and len(r[1]) == 19) for r in rows[1:])  # codes kept as text
    per_agency = [f for f in FORM.fields if f.group != "cover"]
    assert len(rows) - 1 == len(batch.counted) * len(per_agency)
    names = {r[0] for r in rows[1:]}
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)
    assert any(n.startswith("'=HYPERLINK") for n in names)
    fid = s3_id("new", "total")
    total = sum(int(r[7]) for r in rows[1:] if r[3] == fid)
    assert total == sum(r.total(fid) for r in batch.counted)


def test_summary_workbook(batch: Batch, compiled) -> None:
    _, out, summary = compiled
    path = out / "汇总.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(SHEETS)
    status = wb["校验状态"]
    assert status.max_row == len(batch.files) + 1
    assert status.auto_filter.ref
    by_file = {row[1].value: row for row in status.iter_rows(min_row=2)}
    assert set(by_file) == set(batch.files)
    for path_text, planned in batch.files.items():
        assert by_file[path_text][2].value == planned.status
        link = by_file[path_text][1].hyperlink
        assert link is not None
        target = unquote(link.target).replace(chr(92), "/")
        assert (out / target).resolve() == Path(path_text).resolve()
    # The 汇总 sheet shows the regional total of applications next to its label from the form.
    summary_ws = wb["汇总"]
    new_label = next(f.row_label for f in FORM.fields if f.id == s3_id("new", "total"))
    row = next(r for r in summary_ws.iter_rows() if r[0].value == new_label)
    numbers = [c.value for c in row[3:10]]
    assert numbers == [summary["totals"]["section3"][s3_id("new", c)]
                       for c in ("natural", "commercial", "research", "ngo", "legal", "other", "total")]
    detail = wb["明细"]
    assert detail.max_row == 2 + len(summary["agencies"])
    assert detail.max_column == 3 + len(FORM.fields)
    gaps = wb["未报送与重复"]
    gap_text = {c.value for r in gaps.iter_rows() for c in r if isinstance(c.value, str)}
    assert {name for name, _ in batch.missing} <= gap_text
    # No formula anywhere, and the formula-like name is inert text.
    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in zf.read(n) or b"<f " in zf.read(n) for n in sheets)
        assert len([n for n in zf.namelist() if n.startswith("xl/charts/chart")]) == 3
    texts = {c.value for ws in wb for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    assert not any(t.startswith("=") for t in texts)


@pytest.mark.libreoffice
def test_summary_workbook_opens_in_libreoffice_with_its_charts(batch: Batch, compiled, tmp_path: Path) -> None:
    _, out, _ = compiled
    src = tmp_path / "summary.xlsx"
    shutil.copy(out / "汇总.xlsx", src)
    converted = soffice_convert(src, tmp_path / "lo")
    wb = openpyxl.load_workbook(converted)
    assert wb.sheetnames == list(SHEETS)
    with zipfile.ZipFile(converted) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3
    status = wb["校验状态"]
    assert status.max_row == len(batch.files) + 1
    assert sorted(r[2].value for r in status.iter_rows(min_row=2)) == sorted(p.status for p in batch.files.values())


def test_include_invalid_counts_invalid_reports(batch: Batch) -> None:
    with compile_reports([batch.inbox], year=YEAR, include_invalid=True, jobs=2) as comp:
        invalid = [p.report for p in batch.files.values()
                   if p.status == "不通过" and p.report is not None and p.report.year == YEAR]
        assert invalid
        want = expected_totals(batch.counted + invalid)  # type: ignore[operator]
        got = comp.totals.result()
        for fid, value in want.items():
            assert math.isclose(got[fid], value, abs_tol=1e-6), fid
        assert comp.included == "all" and "含未通过校验" in comp.included_text()


# ---------------------------------------------------------------------------
# Smaller batches: exit codes, --strict, --prior, crashes, usage errors
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def factory(tmp_path_factory: pytest.TempPathFactory) -> WorkbookFactory:
    return WorkbookFactory(tmp_path_factory.mktemp("factory"))


def run(args: list[str]):
    return CliRunner().invoke(cli, ["compile", *args])


def test_exit_codes_and_strict(factory: WorkbookFactory, tmp_path: Path) -> None:
    rng = random.Random(7)
    ok = [factory.write(tmp_path / "ok" / f"{i}.xlsx", _report(rng, f"机关{i}", random_uscc(rng))) for i in range(3)]
    assert run([str(tmp_path / "ok"), "-o", str(tmp_path / "a.xlsx"), "--jobs", "1"]).exit_code == 0
    warn = _report(rng, "有警告的机关", random_uscc(rng))
    warn.values["cover_phone"] = "12"
    factory.write(tmp_path / "ok" / "warn.xlsx", warn)
    assert run([str(tmp_path / "ok"), "-o", str(tmp_path / "b.xlsx")]).exit_code == 0
    strict = run([str(tmp_path / "ok"), "-o", str(tmp_path / "c.xlsx"), "--strict"])
    assert strict.exit_code == 1, strict.output
    # A glob pattern and an explicit file list name the same files once each.
    result = run([str(tmp_path / "ok" / "*.xlsx"), str(ok[0]), "-o", str(tmp_path / "d.xlsx"),
                  "--json", str(tmp_path / "d.json")])
    assert result.exit_code == 0
    assert len(json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["files"]) == 4


def test_usage_errors_exit_2(factory: WorkbookFactory, tmp_path: Path) -> None:
    assert run([str(tmp_path / "nothing*.xlsx"), "-o", str(tmp_path / "s.xlsx")]).exit_code == 2
    factory.write(tmp_path / "in" / "a.xlsx", random_report(random.Random(1)))
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("甲,乙\n1,2\n", encoding="utf-8")
    result = run([str(tmp_path / "in"), "-o", str(tmp_path / "s.xlsx"), "--expected", str(bad_csv)])
    assert result.exit_code == 2 and "机关名称" in result.output and "Traceback" not in result.output
    result = run([str(tmp_path / "in"), "-o", str(tmp_path / "s.xlsx"), "--prior", str(bad_csv)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "s.xlsx").exists()
    result = run([str(tmp_path / "in"), "-o", str(tmp_path)])
    assert result.exit_code == 2


def test_missing_named_file_is_listed_not_fatal(factory: WorkbookFactory, tmp_path: Path) -> None:
    good = factory.write(tmp_path / "a.xlsx", random_report(random.Random(3)))
    result = run([str(good), str(tmp_path / "不存在.xlsx"), "-o", str(tmp_path / "s.xlsx"), "--json",
                  str(tmp_path / "s.json")])
    assert result.exit_code == 1
    files = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["files"]
    assert [f["status"] for f in files] == ["通过", "无法读取"]
    assert "不存在" in files[1]["read_error"]


def test_unexpected_exception_becomes_unreadable(factory: WorkbookFactory, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    a = factory.write(tmp_path / "a.xlsx", random_report(rng, agency="甲"))
    b = factory.write(tmp_path / "b.xlsx", random_report(rng, agency="乙"))
    real = compiler.validate_file

    def flaky(path, **kw):
        if Path(path).name == "a.xlsx":
            raise MemoryError("boom")
        return real(path, **kw)

    monkeypatch.setattr(compiler, "validate_file", flaky)
    with compile_reports([a, b], jobs=1) as comp:
        assert [r.status for r in comp.rows] == ["无法读取", "通过"]
        assert "意外错误" in comp.rows[0].first[0] and str(a) in comp.rows[0].first[0]
        assert comp.totals.count == 1


def test_prior_year_cross_checks_and_chart(factory: WorkbookFactory, tmp_path: Path) -> None:
    rng = random.Random(9)
    agencies = [(f"衔接机关{i}", random_uscc(rng)) for i in range(4)]
    last = [_report(rng, n, c, year=YEAR - 1) for n, c in agencies]
    for i, r in enumerate(last):
        factory.write(tmp_path / "2023" / f"{i}.xlsx", r)
    prior_json = tmp_path / "2023.json"
    assert run([str(tmp_path / "2023"), "-o", str(tmp_path / "2023.xlsx"), "--json", str(prior_json)]).exit_code == 0
    this = []
    for (n, c), old in zip(agencies, last, strict=True):
        r = _report(rng, n, c)
        # Carry last year's 结转下年度继续办理 over; 新收 then makes the year balance.
        for col in ("natural", "commercial", "research", "ngo", "legal", "other"):
            v = r.values
            v[s3_id("carried", col)] = old.values[s3_id("next", col)]
            new = r.total(s3_id("results_total", col)) + v[s3_id("next", col)] - v[s3_id("carried", col)]  # type: ignore[operator]
            if new < 0:
                v[s3_id("open", col)] -= new  # type: ignore[operator]
                new = 0
            v[s3_id("new", col)] = new
        for doc in ("rules", "normative"):
            v = r.values
            effective = old.values[f"s2_{doc}_effective"] + v[f"s2_{doc}_issued"] - v[f"s2_{doc}_repealed"]  # type: ignore[operator]
            if effective < 0:
                v[f"s2_{doc}_repealed"] += effective  # type: ignore[operator]
                effective = 0
            v[f"s2_{doc}_effective"] = effective
        this.append(r)
    bad = this[2]
    bad.values[s3_id("carried", "natural")] += 2  # type: ignore[operator]
    bad.values[s3_id("open", "natural")] += 2  # type: ignore[operator]
    for i, r in enumerate(this):
        factory.write(tmp_path / "2024" / f"{i}.xlsx", r)
    assert all(v >= 0 for r in this for v in r.values.values() if isinstance(v, int))
    out = tmp_path / "2024.xlsx"
    result = run([str(tmp_path / "2024"), "-o", str(out), "--json", str(tmp_path / "2024.json"),
                  "--prior", str(prior_json)])
    assert result.exit_code == 1, result.output
    files = json.loads((tmp_path / "2024.json").read_text(encoding="utf-8"))["files"]
    rules = [{f["rule"] for f in entry["findings"]} for entry in files]
    assert rules[2] == {"cross_year.carryover"}
    assert [entry["status"] for entry in files] == ["通过", "通过", "不通过", "通过"]
    with zipfile.ZipFile(out) as zf:
        assert len([n for n in zf.namelist() if n.startswith("xl/charts/chart")]) == 4
    prior = load_prior(prior_json)
    assert prior.year == YEAR - 1 and len(prior) == 4
    assert prior.totals is not None
    assert prior.totals[s3_id("new", "total")] == sum(r.total(s3_id("new", "total")) for r in last)


def test_expected_csv_in_gbk_with_english_headers(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    code = random_uscc(random.Random(1))
    path.write_bytes(f"name,uscc\n某某县教育局,{code}\n某某县民政局,\n".encode("gb18030"))
    listed = agencies.read_agency_list(path)
    assert [(a.name, a.uscc) for a in listed] == [("某某县教育局", code), ("某某县民政局", "")]
    assert listed.encoding == "GBK"


def test_numeric_fields_are_what_is_summed() -> None:
    numeric = [f.id for g in ("section2", "section3", "section4") for f in FORM.groups[g]
               if f.kind in (Kind.COUNT, Kind.AMOUNT, Kind.TOTAL)]
    assert list(TOTAL_FIELDS) == numeric


def test_a_worker_that_dies_costs_only_its_file(factory: WorkbookFactory, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash in native code kills the worker process; the batch goes on and names the file."""
    import multiprocessing
    import os

    if multiprocessing.get_start_method() != "fork":
        pytest.fail("this test relies on forked workers inheriting the patched function")
    rng = random.Random(6)
    paths = [factory.write(tmp_path / f"{i:02d}.xlsx", random_report(rng, agency=f"机关{i}")) for i in range(8)]
    crash = paths[3]
    real = compiler._validate_one

    def dying(index, path, display, prior):
        if path == str(crash):
            os._exit(3)
        return real(index, path, display, prior)

    monkeypatch.setattr(compiler, "_validate_one", dying)
    with compile_reports(paths, jobs=2, chunksize=2) as comp:
        assert [r.file for r in comp.rows] == [str(p) for p in paths]
        assert [r.status for r in comp.rows] == ["通过"] * 3 + ["无法读取"] + ["通过"] * 4
        assert "异常退出" in comp.rows[3].first[0]
        assert comp.totals.count == 7


def test_full_values_recompute_every_total_like_report_total() -> None:
    rng = random.Random(12)
    for i in range(40):
        r = random_report(rng)
        if i % 3 == 0:
            r.values["s3_open_natural"] = None  # a missing addend makes its totals missing
        if i % 4 == 0:
            r.values["s3_new_commercial"] = -4
            r.values["s3_results_total_total"] = 999  # a stated total is not taken
        values = full_values(r)
        assert {f.id: values[f.id] for f in FORM.totals} == {f.id: r.total(f.id) for f in FORM.totals}


def test_published_reports_carry_their_coverage_per_file(factory: WorkbookFactory, tmp_path: Path) -> None:
    """compile over published reports: each file's row says which tables were found, how many cells were read
    of those expected, and why the others were not; a workbook's row carries none."""
    inbox = tmp_path / "报告"
    inbox.mkdir()
    real = Path(__file__).parent / "data" / "published"
    shutil.copy(real / "hongze-2024.pdf", inbox / "洪泽区2024.pdf")
    shutil.copy(real / "real" / "city-2025-anonymised.html", inbox / "城市2025.html")
    factory.write(inbox / "填报.xlsx", random_report(random.Random(7), year=2024))
    out = tmp_path / "输出"
    result = CliRunner().invoke(cli, ["compile", str(inbox), "-o", str(out / "汇总.xlsx"), "--json",
                                      str(out / "汇总.json"), "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    summary = json.loads((out / "汇总.json").read_text(encoding="utf-8"))
    assert not list(schema_validator().iter_errors(summary))
    files = {Path(f["file"]).name: f for f in summary["files"]}
    pdf, html = files["洪泽区2024.pdf"]["coverage"], files["城市2025.html"]["coverage"]
    assert pdf["tables_found"] == ["二", "三", "四"] and pdf["cells_expected"] == len(TABLE_FIELDS)
    # （六）其他处理 printed as one row: its 3 items × 7 columns are not read, and the reason says so
    assert pdf["cells_read"] == len(TABLE_FIELDS) - 21
    assert sum(p["cells"] for p in pdf["unread"]) == 21
    assert any("只有一行" in p["why"] for p in pdf["unread"])
    assert html == {"tables_found": ["二", "三", "四"], "cells_read": len(TABLE_FIELDS),
                    "cells_expected": len(TABLE_FIELDS), "unread": []}
    assert files["填报.xlsx"].get("coverage") is None
    ws = openpyxl.load_workbook(out / "汇总.xlsx", read_only=True)["校验状态"]
    rows = ws.iter_rows(values_only=True)
    note = next(rows).index("说明")
    notes = {row[1]: row[note] or "" for row in rows if row[1]}
    pdf_note = next(v for k, v in notes.items() if k.endswith("洪泽区2024.pdf"))
    assert f"读出表格数字 {len(TABLE_FIELDS) - 21}/{len(TABLE_FIELDS)}" in pdf_note


REAL = Path(__file__).parent / "data" / "published" / "real"
#: 平潭综合实验区 2023: the web page as published, and the Word file and PDF made from it by LibreOffice and
#: Chromium (tests/data/published/real/SOURCES.md) — one report in three formats.
PINGTAN_HTML = REAL / "pingtan-2023.html"
PINGTAN_DOCX = REAL / "converted" / "pingtan-2023.libreoffice.docx"
PINGTAN_PDF = REAL / "converted" / "pingtan-2023.chromium.pdf"
#: The row of 三 （一） as the web page prints it: 自然人 80, 商业企业 1 … 总计 81 (hand-read).
PINGTAN_NEW_ROW = '本年新收政府信息公开申请数量</p></td><td><p style="text-indent: 0em;">80</p>'


def _pingtan_page(folder: Path, natural: str) -> Path:
    """The published web page with its 三 （一） 自然人 cell (80) printed as ``natural`` — edited here."""
    html = PINGTAN_HTML.read_text(encoding="utf-8")
    assert html.count(PINGTAN_NEW_ROW) == 1
    out = folder / "平潭.html"
    out.write_text(html.replace(PINGTAN_NEW_ROW, PINGTAN_NEW_ROW.replace(">80<", f">{natural}<")), encoding="utf-8")
    return out


def test_one_published_report_in_several_formats_is_counted_once(tmp_path: Path) -> None:
    """The web page, the Word file and the PDF of one report read the same table: counted once (the first of
    those reading the most cells, fewest errors), the other two 同一报告的另一格式 — not a conflict."""
    inbox = tmp_path / "收到的"
    inbox.mkdir()
    for source, name in ((PINGTAN_HTML, "平潭.html"), (PINGTAN_DOCX, "平潭.docx"), (PINGTAN_PDF, "平潭.pdf")):
        shutil.copy(source, inbox / name)
    with compile_reports([inbox], jobs=1) as comp:
        rows = {Path(r.file).name: r for r in comp.rows}
        assert [r.status for r in comp.rows] == ["通过", "同一报告的另一格式", "同一报告的另一格式"]
        assert rows["平潭.docx"].counted and not rows["平潭.html"].counted and not rows["平潭.pdf"].counted
        assert "另收到同一报告的其他格式（平潭.html、平潭.pdf）" in rows["平潭.docx"].note
        assert f"同一报告的另一格式，未计入（已计入 {rows['平潭.docx'].file}）" == rows["平潭.pdf"].note
        assert comp.totals.count == 1 and comp.totals.sums[s3_id("new", "total")] == 81
        assert comp.conflicts == [] and comp.exit_code_for(strict=True) == 0
        (dup,) = comp.duplicates
        assert dup.decided == "format" and [Path(f).name for f in dup.files] == ["平潭.docx", "平潭.html", "平潭.pdf"]
        late = comp.late_findings[rows["平潭.pdf"].index]
        assert [f["rule"] for f in late] == ["compile.duplicate"] and "同一份已发布报告的不同格式" in late[0]["message"]
        assert comp.tally()["同一报告的另一格式"] == 2


def test_compile_says_formats_of_one_report_apart_from_decided_duplicates(tmp_path: Path) -> None:
    """The CLI's summary counts one report received in three formats as such, not as a decided duplicate."""
    inbox = tmp_path / "收到的"
    inbox.mkdir()
    for source, name in ((PINGTAN_HTML, "平潭.html"), (PINGTAN_DOCX, "平潭.docx"), (PINGTAN_PDF, "平潭.pdf")):
        shutil.copy(source, inbox / name)
    result = run([str(inbox), "-o", str(tmp_path / "汇总.xlsx"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "同一份已发布报告收到几种格式（如 PDF 与网页）的 1 起" in out
    assert "起已决定" not in out


def test_a_format_reading_fewer_cells_is_the_same_report(tmp_path: Path) -> None:
    """A copy that reads fewer cells (the web page with 三 （一） 自然人 left blank) is the same report as the PDF
    reading all of them: the PDF is counted, the page's row says how many cells each read."""
    inbox = tmp_path / "收到的"
    inbox.mkdir()
    _pingtan_page(inbox, "")
    shutil.copy(PINGTAN_PDF, inbox / "平潭.pdf")
    with compile_reports([inbox], jobs=1) as comp:
        page, pdf = comp.rows
        assert (page.status, page.counted) == ("同一报告的另一格式", False)
        assert pdf.coverage is not None and page.coverage is not None
        assert page.coverage["cells_read"] == pdf.coverage["cells_read"] - 1
        assert pdf.counted and comp.duplicates[0].decided == "format"
        assert f"本文件读出表格数字 {pdf.coverage['cells_read'] - 1} 格，平潭.pdf 读出 {pdf.coverage['cells_read']} 格" \
            in page.note


def test_formats_of_one_report_with_different_values_say_which_cells_differ(tmp_path: Path) -> None:
    """The web page printing 79 where the PDF prints 80 is not the same report: a conflict, none counted, and the
    finding names the cell and each file's value."""
    inbox = tmp_path / "收到的"
    inbox.mkdir()
    _pingtan_page(inbox, "79")
    shutil.copy(PINGTAN_PDF, inbox / "平潭.pdf")
    with compile_reports([inbox], jobs=1) as comp:
        assert [r.status for r in comp.rows] == ["重复报送", "重复报送"] and comp.totals.count == 0
        assert len(comp.conflicts) == 1
        cell = "表三“一、本年新收政府信息公开申请数量 · 自然人”平潭.html 为 79、平潭.pdf 为 80（共 1 格）"
        for row in comp.rows:
            (finding,) = comp.late_findings[row.index]
            assert finding["rule"] == "compile.conflict" and cell in finding["message"], finding["message"]
            assert cell in row.note


def test_two_copies_in_one_format_stay_a_conflict(tmp_path: Path) -> None:
    """Two PDFs of one report (Chromium's and LibreOffice's) are two versions in one format: even with the same
    table values, which one counts is the office's decision."""
    inbox = tmp_path / "收到的"
    inbox.mkdir()
    shutil.copy(PINGTAN_PDF, inbox / "平潭一.pdf")
    shutil.copy(REAL / "converted" / "pingtan-2023.libreoffice.pdf", inbox / "平潭二.pdf")
    with compile_reports([inbox], jobs=1) as comp:
        assert [r.status for r in comp.rows] == ["重复报送", "重复报送"] and len(comp.conflicts) == 1
        assert all("不同格式" not in f["message"] for fs in comp.late_findings.values() for f in fs)
