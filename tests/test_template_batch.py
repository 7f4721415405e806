"""``xl-disclosure template``: single template options and batch distribution from an agency CSV."""

from __future__ import annotations

import random
import re

import openpyxl
from click.testing import CliRunner
from tests.compile_helpers import compiled_summary
from tests.conftest import fill_workbook

from xl_disclosure.batch.distribute import MAX_STEM, MAX_STEM_BYTES, safe_stem
from xl_disclosure.cli.main import cli
from xl_disclosure.form import FORM, S3_COLUMNS, s3_id
from xl_disclosure.model.samples import random_report, random_uscc
from xl_disclosure.readers.workbook import read_workbook


def _run(*args: str):
    return CliRunner().invoke(cli, ["template", *args])


def test_single_template_with_cover(tmp_path):
    code = random_uscc(random.Random(1))
    out = tmp_path / "t.xlsx"
    r = _run("-o", str(out), "--year", "2024", "--agency", "某某县教育局", "--code", code.lower(),
             "--type", "县(市、区)级政府部门")
    assert r.exit_code == 0, r.output
    result = read_workbook(out)
    v = result.report.values
    assert (v["cover_year"], v["cover_agency_name"], v["cover_uscc"], v["cover_agency_type"]) == (
        2024, "某某县教育局", code, "县（市、区）级政府部门")


def test_single_template_bad_options(tmp_path):
    for args in (["--year", "1999"], ["--code", "123"], ["--type", "不存在的类型"]):
        r = _run("-o", str(tmp_path / "x.xlsx"), *args)
        assert r.exit_code == 2 and "Traceback" not in r.output, args
        assert not (tmp_path / "x.xlsx").exists()
    r = _run()
    assert r.exit_code == 2 and "-o" in r.output


def _write_csv(path, rows, encoding="utf-8-sig", header=("机关名称", "统一社会信用代码", "机关类型")):
    text = "\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def test_batch_from_gbk_csv_with_prior(tmp_path):
    rng = random.Random(7)
    codes = [random_uscc(rng) for _ in range(3)]
    rows = [
        ("某某县教育局", codes[0], "县（市、区）级政府部门"),
        ("某某县教育局", codes[1], ""),  # same name, different body: file names must differ
        ("某某县民政局", "", "县(市、区)级政府部门"),
        ('某某县"财政"局/办公室:2?', codes[2], "其他"),
        ("CON", "", ""),
    ]
    agencies = _write_csv(tmp_path / "名单.csv", rows, encoding="gbk")
    prior_by_code = random_report(rng, agency="旧名称", year=2023)
    prior_by_code.values["cover_uscc"] = codes[0]
    prior_by_name = random_report(rng, agency="某某县民政局", year=2023)
    prior = compiled_summary([prior_by_code, prior_by_name], tmp_path / "2023")
    out_dir = tmp_path / "下发"
    r = _run("--agencies", str(agencies), "--out-dir", str(out_dir), "--prior", str(prior))
    assert r.exit_code == 0, r.output
    files = sorted(out_dir.iterdir())
    assert len(files) == len(rows)
    assert len({f.name.casefold() for f in files}) == len(rows)
    for f in files:
        assert not set('<>:"/\\|?*') & set(f.name)
        assert f.suffix == ".xlsx" and f.stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}
    read = {f.name: read_workbook(f) for f in files}
    by_code = {res.report.values["cover_uscc"]: res for res in read.values()}
    first = by_code[codes[0]].report
    assert first.values["cover_year"] == 2024  # the prior year + 1
    assert first.values["cover_agency_type"] == "县（市、区）级政府部门"
    for ckey, _ in S3_COLUMNS:
        assert first.values[s3_id("carried", ckey)] == prior_by_code.values[s3_id("next", ckey)]
    by_name = [res.report for res in read.values() if res.report.values["cover_agency_name"] == "某某县民政局"][0]
    for ckey, _ in S3_COLUMNS:
        assert by_name.values[s3_id("carried", ckey)] == prior_by_name.values[s3_id("next", ckey)]
    unmatched = by_code[codes[1]].report
    assert all(unmatched.values[s3_id("carried", c)] is None for c, _ in S3_COLUMNS)
    # everything else stays blank for the clerk
    filled = {k for k, v in unmatched.values.items() if v is not None and FORM.by_id[k].is_input}
    assert filled == {"cover_agency_name", "cover_uscc", "cover_year"}
    book = openpyxl.load_workbook(files[0])
    assert all(ws.protection.sheet for ws in book.worksheets)


def test_batch_english_headers_and_single_prior_report(tmp_path):
    rng = random.Random(3)
    agencies = _write_csv(tmp_path / "a.csv", [("某某县公安局", "", "")], encoding="utf-8",
                          header=("name", "uscc", "type"))
    prior = random_report(rng, agency="某某县公安局", year=2024)
    (tmp_path / "p.json").write_text(prior.dumps(), encoding="utf-8")
    r = _run("--agencies", str(agencies), "--out-dir", str(tmp_path / "o"), "--prior", str(tmp_path / "p.json"),
             "--year", "2025")
    assert r.exit_code == 0, r.output
    (f,) = list((tmp_path / "o").iterdir())
    report = read_workbook(f).report
    assert report.values["cover_year"] == 2025
    assert report.values["s3_carried_natural"] == prior.values["s3_next_natural"]


def test_bad_csv_writes_nothing_and_names_file_and_line(tmp_path):
    agencies = _write_csv(tmp_path / "bad.csv", [
        ("某某县教育局", "", ""),
        ("某某县财政局", "91410300MA44XYZ12B", ""),  # wrong check digit
        ("", "", ""),
        (" ", "x", ""),
        ("某某县民政局", "", "乡镇"),
    ])
    out_dir = tmp_path / "out"
    r = _run("--agencies", str(agencies), "--out-dir", str(out_dir))
    assert r.exit_code == 2
    text = r.output.replace("\n", "")
    assert "bad.csv 第 3 行" in text and "统一社会信用代码" in text
    assert "第 5 行" in text and "机关名称为空" in text
    assert "第 6 行" in text and "机关类型" in text
    assert "Traceback" not in r.output
    assert not out_dir.exists()
    assert list(tmp_path.iterdir()) == [agencies]  # no temporary folder left behind


def test_bad_csv_header_and_prior(tmp_path):
    agencies = _write_csv(tmp_path / "h.csv", [("x", "y", "z")], header=("单位", "代码", "类别"))
    r = _run("--agencies", str(agencies), "--out-dir", str(tmp_path / "o"))
    assert r.exit_code == 2 and "机关名称" in r.output and "第 1 行" in r.output
    good = _write_csv(tmp_path / "g.csv", [("某局", "", "")])
    (tmp_path / "p.json").write_text("{not json", encoding="utf-8")
    r = _run("--agencies", str(good), "--out-dir", str(tmp_path / "o"), "--prior", str(tmp_path / "p.json"))
    assert r.exit_code == 2 and "p.json" in r.output.replace("\n", "")
    assert not (tmp_path / "o").exists()


def test_existing_out_dir_is_kept(tmp_path):
    out_dir = tmp_path / "o"
    out_dir.mkdir()
    (out_dir / "其他文件.txt").write_text("保留", encoding="utf-8")
    good = _write_csv(tmp_path / "g.csv", [("某局", "", ""), ("某局", "", "")])
    r = _run("--agencies", str(good), "--out-dir", str(out_dir))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out_dir.iterdir()) == ["其他文件.txt", "某局.xlsx", "某局（2）.xlsx"]


def test_safe_stem():
    assert safe_stem("a<b>c:d\"e/f\\g|h?i*j") == "a_b_c_d_e_f_g_h_i_j"
    assert safe_stem("nul") == "_nul"
    assert safe_stem("COM1.局") == "_COM1.局"
    assert safe_stem(" 局. ") == "局"
    assert safe_stem("...") == "机关"
    assert len(safe_stem("局" * 300)) <= 80


def test_safe_stem_for_every_file_system():
    for reserved in ("PRN", "aux", "Com3", "LPT9", "CONIN$", "NUL .局"):
        assert safe_stem(reserved).startswith("_"), reserved
    assert safe_stem("局\x1b[31m红\x85") == "局_[31m红_"  # control characters, also C1
    assert safe_stem("局\ud800名") == "局_名"  # a lone surrogate cannot be in a file name
    assert safe_stem("某局. . ") == "某局"


def test_too_long_names_are_cut_the_same_way_every_time_with_a_hash():
    astral = "𠀀" * 100  # 4 bytes each in UTF-8
    stem = safe_stem(astral)
    assert len(f"{safe_stem('2024年度_' + astral)}（999）.xlsx".encode()) <= 240 and stem == safe_stem(astral)
    assert re.fullmatch("𠀀+_[0-9a-f]{8}", stem)
    other = safe_stem("𠀀" * 99 + "𠀁")  # begins alike: another hash, another file
    assert other != stem and other[:20] == stem[:20]
    assert len(safe_stem("局" * 300)) <= MAX_STEM and len(safe_stem("局" * 300).encode()) <= MAX_STEM_BYTES
    assert safe_stem("局" * 70) == "局" * 70  # not too long: kept whole


def test_an_astral_plane_name_does_not_fail_the_batch(tmp_path):
    names = ["𠀀" * 100, "某某县教育局", "A" * 300]
    agencies = _write_csv(tmp_path / "a.csv", [(n, "", "") for n in names])
    r = _run("--agencies", str(agencies), "--out-dir", str(tmp_path / "o"), "--year", "2024")
    assert r.exit_code == 0, r.output
    files = sorted((tmp_path / "o").iterdir())
    assert len(files) == 3 and all(len(f.name.encode()) <= 240 for f in files)
    assert {read_workbook(f).report.values["cover_agency_name"] for f in files} == set(names)


def _filled(path, rng):
    report = random_report(rng, agency="某某县教育局", year=2024)
    fill_workbook(path, report)
    return report


def test_rerun_keeps_filled_workbooks_and_replaces_untouched_templates(tmp_path):
    rng = random.Random(11)
    agencies = _write_csv(tmp_path / "a.csv", [("某某县教育局", "", ""), ("某某县民政局", "", ""),
                                               ("某某县财政局", "", "")])
    out = tmp_path / "o"
    assert _run("--agencies", str(agencies), "--out-dir", str(out), "--year", "2024").exit_code == 0
    filled = out / "2024年度_某某县教育局.xlsx"
    _filled(filled, rng)
    before = filled.read_bytes()
    alien = out / "2024年度_某某县财政局.xlsx"
    alien.write_bytes(b"not ours")
    r = _run("--agencies", str(agencies), "--out-dir", str(out), "--year", "2024")
    assert r.exit_code == 0, r.output
    assert filled.read_bytes() == before and alien.read_bytes() == b"not ours"  # nothing lost
    text = r.output.replace("\n", "")
    assert "未替换" in text and "已填写" in text and "不是本工具的填报模板" in text and "--force" in text
    assert "2 个机关的文件夹中已有文件" in text and "已替换" in text
    # --force replaces them.
    r = _run("--agencies", str(agencies), "--out-dir", str(out), "--year", "2024", "--force")
    assert r.exit_code == 0, r.output
    assert filled.read_bytes() != before and read_workbook(alien).readable
    assert read_workbook(filled).report.values["s3_new_natural"] is None
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary folder left


def test_the_outcome_of_every_agency_is_in_the_distribution(tmp_path):
    from xl_disclosure.batch.distribute import FAILED, KEPT, WRITTEN, distribute

    agencies = _write_csv(tmp_path / "a.csv", [("甲局", "", ""), ("乙局", "", ""), ("丙局", "", "")])
    out = tmp_path / "o"
    out.mkdir()
    (out / "乙局.xlsx").mkdir()  # a folder in the way: that agency fails, the others are written
    _filled(out / "丙局.xlsx", random.Random(2))
    done = distribute(agencies, out)
    outcome = {p.agency.name: p.outcome for p in done.planned}
    assert outcome == {"甲局": WRITTEN, "乙局": KEPT, "丙局": KEPT}
    done = distribute(agencies, out, force=True)
    outcome = {p.agency.name: p.outcome for p in done.planned}
    assert outcome["乙局"] == KEPT and outcome["丙局"].startswith("已替换") and outcome["甲局"] == "已替换（原为未填写的模板）"
    assert FAILED not in outcome.values() and (out / "乙局.xlsx").is_dir()


def test_a_file_name_the_file_system_refuses_fails_only_that_agency(tmp_path, monkeypatch):
    import xl_disclosure.batch.distribute as dist

    agencies = _write_csv(tmp_path / "a.csv", [("甲局", "", ""), ("乙局", "", "")])
    real = dist.TemplateFiller.fill

    def fill(self, values):
        if values.get("cover_agency_name") == "乙局":
            raise OSError(36, "File name too long")
        return real(self, values)

    monkeypatch.setattr(dist.TemplateFiller, "fill", fill)
    r = _run("--agencies", str(agencies), "--out-dir", str(tmp_path / "o"))
    assert r.exit_code == 1 and "File name too long" in r.output and "1 个机关的模板写不出" in r.output.replace("\n", "")
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["甲局.xlsx"]


def test_the_lists_file_name_column_names_each_workbook(tmp_path):
    # the same list compile reads (docs/compile.md): 文件名 is the file the agency's report comes back as
    agencies = _write_csv(tmp_path / "名单.csv", [
        ("某某县教育局", "", "", "收到的报表/教育局报表.xlsx"),  # a path: its file name
        ("某某县民政局", "", "", "民政局"),  # no suffix: “.xlsx” added
        ("某某县财政局", "", "", '财政局:2024?.XLS'),  # made safe as any name
        ("某某县公安局", "", "", ""),  # none given: 年度_机关名称
        ("某某县人社局", "", "", "教育局报表.xlsx"),  # the same as another's: numbered
    ], header=("机关名称", "统一社会信用代码", "机关类型", "文件名"))
    out = tmp_path / "o"
    r = _run("--agencies", str(agencies), "--out-dir", str(out), "--year", "2024")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "教育局报表.xlsx", "民政局.xlsx", "财政局_2024_.xlsx", "2024年度_某某县公安局.xlsx", "教育局报表（2）.xlsx"])
    assert read_workbook(out / "教育局报表.xlsx").report.values["cover_agency_name"] == "某某县教育局"
    assert read_workbook(out / "教育局报表（2）.xlsx").report.values["cover_agency_name"] == "某某县人社局"
    assert "教育局报表.xlsx" in r.output
