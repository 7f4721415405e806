"""Reading filled workbooks: values, clerk input, identity, structure and tampering."""

from __future__ import annotations

import json
import random
import re
import sys
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import assert_schema_valid, fill_workbook, soffice_convert
from tests.hostile.measure import run_measured

from xl_disclosure.api import validate_file
from xl_disclosure.cli.main import cli
from xl_disclosure.form import FORM, SHEET_META
from xl_disclosure.model.reportjson import load_report_json
from xl_disclosure.model.samples import random_report, seed_report
from xl_disclosure.readers.workbook import MAX_EXACT_CELLS, read_workbook


def result_json(result):
    data = result.to_json()
    assert_schema_valid(data, "validation.schema.json")
    return data


def findings_at(result, rule):
    return [(f.sheet, f.cell) for f in result.findings if f.rule == rule]


@pytest.fixture(scope="module")
def consistent(tmp_path_factory):
    report = random_report(random.Random(11), scale=90)
    return report, fill_workbook(tmp_path_factory.mktemp("wb") / "good.xlsx", report)


@pytest.fixture(scope="module", params=["ours", pytest.param("libreoffice", marks=pytest.mark.libreoffice)])
def saved(request, consistent, tmp_path_factory):
    """The consistent workbook as this tool writes it, and as LibreOffice saves it."""
    if request.param == "ours":
        return consistent[1]
    return soffice_convert(consistent[1], tmp_path_factory.mktemp("lo"))


def edit(path: Path, out: Path, **cells: object) -> Path:
    """Change cells (keys like '依申请公开!D6') with openpyxl, as a clerk's other program would."""
    wb = openpyxl.load_workbook(path)
    for key, value in cells.items():
        sheet, cell = key.split("!")
        wb[sheet][cell] = value
    wb.save(out)
    return out


def test_consistent_workbook_reads_back_exactly(consistent):
    report, path = consistent
    result = read_workbook(path)
    data = result_json(result)
    assert data["valid"] is True and data["findings"] == [] and result.status == "通过"
    assert result.template_version == 1
    assert result.report.to_json() == report.to_json()


def test_seed_report_workbook_is_valid(tmp_path):
    path = fill_workbook(tmp_path / "西霞院 2024.xlsx", seed_report())
    result = read_workbook(path)
    assert result.valid and result.findings == []
    assert result.report.agency == "孟津区西霞院街道办事处" and result.report.year == 2024


def test_broken_balance_points_at_the_cell(consistent, tmp_path):
    report, path = consistent
    new = report.values["s3_new_commercial"] + 4
    bad = edit(path, tmp_path / "bad.xlsx", **{"依申请公开!E6": new})
    result = read_workbook(bad)
    data = result_json(result)
    assert data["valid"] is False and result.exit_code == 1
    assert findings_at(result, "s3.balance") == [("依申请公开", "E29"), ("依申请公开", "J29")]


def test_clerk_typing(consistent, tmp_path):
    _, path = consistent
    wb_path = edit(path, tmp_path / "typed.xlsx", **{
        "主动公开!B12": "１２件", "复议诉讼!D6": "无", "主动公开!B13": None, "主动公开!B9": "很多"})
    result = read_workbook(wb_path)
    result_json(result)
    by_cell = {(f.cell, f.rule): f for f in result.findings if f.sheet == "主动公开" or f.sheet == "复议诉讼"}
    # Text in a number cell is what the template shows it to be: an error there, not counted, never tampering.
    assert "请改为数字 12" in by_cell[("B12", "input.not_number")].message
    assert "填 0" in by_cell[("D6", "input.not_number")].message
    assert ("B13", "input.blank") in by_cell
    assert ("B9", "input.not_number") in by_cell
    assert ("B9", "input.blank") not in by_cell  # reported once, as unreadable
    assert not [f for f in result.findings if f.rule.startswith("tamper.")]
    assert result.report.values["s2_penalty_decisions"] is None
    assert result.report.values["s4_reconsideration_pending"] is None
    assert result.report.values["s2_enforcement_decisions"] is None  # a blank is never silently 0


def test_total_overwritten_with_constant_is_tampering(consistent, tmp_path):
    _, path = consistent
    bad = edit(path, tmp_path / "tampered.xlsx", **{"依申请公开!J8": 999, "复议诉讼!E6": "=A6+B6"})
    result = read_workbook(bad)
    result_json(result)
    assert ("依申请公开", "J8") in findings_at(result, "tamper.formula")
    assert ("复议诉讼", "E6") in findings_at(result, "tamper.formula")
    # the recomputed value is used, not the constant
    assert result.report.values["s3_open_total"] != 999


def test_formula_checks_remembered_across_files_still_see_each_file(consistent, tmp_path):
    """Files with the same formulas share one verdict; a file with a changed check formula gets its own."""
    from xl_disclosure.form import SHEET_CHECKS
    from xl_disclosure.form.checksheet import formula_cells

    _, path = consistent
    check_cell = SHEET_CHECKS + "!" + next(cell for (sheet, cell) in formula_cells() if sheet == SHEET_CHECKS)
    bad = edit(path, tmp_path / "check-tampered.xlsx", **{check_cell: "通过"})
    tampered = [tuple(check_cell.split("!"))]
    for p, expected in ((path, []), (bad, tampered), (path, []), (bad, tampered)):
        assert findings_at(read_workbook(p), "tamper.formula") == expected


def test_not_our_workbook(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "本年新收"
    wb.save(tmp_path / "other.xlsx")
    result = read_workbook(tmp_path / "other.xlsx")
    data = result_json(result)
    assert result.exit_code == 2 and data["readable"] is False
    assert "other.xlsx" in result.read_error and "模板" in result.read_error


def test_other_template_version(consistent, tmp_path):
    _, path = consistent
    wb = openpyxl.load_workbook(path)
    meta = wb[SHEET_META]
    for row in meta.iter_rows():
        if row[0].value == "template_version":
            row[1].value = 0
    wb.save(tmp_path / "v0.xlsx")
    result = read_workbook(tmp_path / "v0.xlsx")
    assert result.exit_code == 2 and "第 0 版" in result.read_error


def test_deleted_sheet(consistent, tmp_path):
    _, path = consistent
    wb = openpyxl.load_workbook(path)
    del wb["复议诉讼"]
    wb.save(tmp_path / "deleted.xlsx")
    result = read_workbook(tmp_path / "deleted.xlsx")
    assert result.exit_code == 2 and "复议诉讼" in result.read_error


@pytest.mark.libreoffice
def test_libreoffice_saved_workbook_validates_like_ours(tmp_path):
    report = random_report(random.Random(21), scale=70)
    ours = fill_workbook(tmp_path / "ours.xlsx", report)
    broken = edit(ours, tmp_path / "broken.xlsx", **{"依申请公开!D7": report.values["s3_carried_natural"] + 2})
    for src in (ours, broken):
        lo = soffice_convert(src, tmp_path / "lo" / src.stem)
        a, b = read_workbook(src), read_workbook(lo)
        assert [(f.rule, f.sheet, f.cell, f.expected, f.actual) for f in a.findings] == \
            [(f.rule, f.sheet, f.cell, f.expected, f.actual) for f in b.findings]
        assert a.report.to_json() == b.report.to_json()
        result_json(b)
    # LibreOffice wrote cached totals; a cached value edited behind the formula's back is caught
    lo = tmp_path / "lo" / "ours" / "ours.xlsx"
    patched = tmp_path / "patched.xlsx"
    _patch_cached_value(lo, patched, "依申请公开", "J6", 12345)
    result = read_workbook(patched)
    assert findings_at(result, "tamper.cached") == [("依申请公开", "J6")]


def _patch_cached_value(src: Path, dst: Path, sheet: str, cell: str, value: int) -> None:
    from xl_disclosure.readers.workbook import _sheet_parts

    with zipfile.ZipFile(src) as zin:
        part = _sheet_parts(zin.read, str(src))[sheet]
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == part:
                    text = data.decode("utf-8")
                    pattern = re.compile(rf'(<c r="{cell}"[^>]*>(?:<f>[^<]*</f>|<f [^>]*>[^<]*</f>|<f [^>]*/>))<v>[^<]*</v>')
                    text, n = pattern.subn(rf"\g<1><v>{value}</v>", text)
                    assert n == 1, "cell not found in sheet XML"
                    data = text.encode("utf-8")
                zout.writestr(item, data)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_export_of_fill_is_identity(tmp_path, seed):
    report = random_report(random.Random(seed))
    path = fill_workbook(tmp_path / f"r{seed}.xlsx", report)
    assert read_workbook(path).report.to_json() == report.to_json()


# ------------------------------------------------------------------ CLI
def test_cli_validate_exit_codes_and_json(consistent, tmp_path):
    _, good = consistent
    bad = edit(good, tmp_path / "bad.xlsx", **{"依申请公开!D6": 10**4})
    junk = tmp_path / "junk.xlsx"
    junk.write_text("名称,数量\n某局,5\n", encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(cli, ["validate", str(good)])
    assert r.exit_code == 0 and "通过" in r.output
    r = runner.invoke(cli, ["validate", str(bad)])
    assert r.exit_code == 1
    assert re.search(r"bad\.xlsx · 依申请公开!D29 · s3\.balance · ", r.output)
    r = runner.invoke(cli, ["validate", str(junk)])
    assert r.exit_code == 2 and "junk.xlsx" in r.output and "Traceback" not in r.output
    r = runner.invoke(cli, ["validate", str(bad), "--json", "-"])
    data = json.loads(r.output)
    assert_schema_valid(data, "validation.schema.json")
    assert data["valid"] is False and data["file"] == str(bad)
    out = tmp_path / "out" / "all.json"
    r = runner.invoke(cli, ["validate", str(good), str(bad), str(junk), "--json", str(out)])
    assert r.exit_code == 2
    data = json.loads(out.read_text(encoding="utf-8"))
    assert_schema_valid(data, "validation.schema.json")
    assert [x["status"] for x in data["results"]] == ["通过", "不通过", "无法读取"]


def test_cli_export_fill_roundtrip(consistent, tmp_path):
    report, good = consistent
    runner = CliRunner()
    exported = tmp_path / "r.json"
    r = runner.invoke(cli, ["export", str(good), "-o", str(exported)])
    assert r.exit_code == 0, r.output
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert_schema_valid(data, "report.schema.json")
    assert data == report.to_json()
    refilled = tmp_path / "refilled.xlsx"
    r = runner.invoke(cli, ["fill", "--from", str(exported), "-o", str(refilled)])
    assert r.exit_code == 0, r.output
    assert validate_file(refilled).report.to_json() == data
    assert load_report_json(exported).to_json() == data


def test_cli_prior(tmp_path):
    prior = random_report(random.Random(1), year=2023)
    this = random_report(random.Random(2), year=2024)
    prior_path = tmp_path / "prior.json"
    prior_path.write_text(prior.dumps(), encoding="utf-8")
    this_path = fill_workbook(tmp_path / "this.xlsx", this)
    r = CliRunner().invoke(cli, ["validate", str(this_path), "--prior", str(prior_path), "--json", "-"])
    data = json.loads(r.output)
    expected = any(this.total(f"s3_carried_{c}") != prior.total(f"s3_next_{c}") for c in ("natural", "total"))
    assert expected == any(f["rule"] == "cross_year.carryover" for f in data["findings"])


def _scans_agree(path: Path) -> None:
    from xl_disclosure.readers.workbook import _exact_scan, _fast_formulas, _sheet_parts

    with zipfile.ZipFile(path) as zf:
        for sheet, part in _sheet_parts(zf.read, str(path)).items():
            data = zf.read(part)
            exact = _exact_scan(data, part, str(path), sheet)
            assert _fast_formulas(data) == exact.formulas, sheet


def test_fast_sheet_scan_agrees_with_exact_parse(saved):
    _scans_agree(saved)


def test_cells_without_addresses_fall_back_to_exact_parse():
    from xl_disclosure.readers.workbook import _exact_scan, _fast_formulas

    data = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="2"><c><v>1</v></c><c><f>SUM(A2:A2)</f><v>1</v></c></row></sheetData></worksheet>')
    assert _fast_formulas(data) is None
    scan = _exact_scan(data, "sheet1.xml", "x.xlsx", "表")
    # a formula in a cell without an address is at the position it takes (B2), as for calamine and Excel
    assert (scan.rows, scan.cols, scan.formulas) == (2, 2, {"B2": "SUM(A2:A2)"})


def test_cli_output_that_cannot_be_written(consistent, tmp_path):
    _, good = consistent
    folder = tmp_path / "a-folder"
    folder.mkdir()
    r = CliRunner().invoke(cli, ["validate", str(good), "--json", str(folder)])
    assert r.exit_code == 2 and "无法写出" in r.output and "文件夹" in r.output
    assert "Traceback" not in r.output and list(folder.iterdir()) == []
    r = CliRunner().invoke(cli, ["export", str(good), "-o", str(folder)])
    assert r.exit_code == 2 and "无法写出" in r.output


def test_formula_text_that_is_not_utf8_is_a_clear_read_error(consistent, tmp_path):
    # found by the fuzz test: a mutated byte inside a formula
    _, good = consistent
    bad = tmp_path / "mutated.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>IF(", b"<f>\xd3F(", 1)
                assert b"\xd3F(" in data
            zout.writestr(item, data)
    result = read_workbook(bad)
    assert result.exit_code == 2 and "mutated.xlsx" in result.read_error and "损坏" in result.read_error


def test_dense_sheet_without_addresses_stays_within_time_and_memory(consistent, tmp_path):
    _, good = consistent
    dense = tmp_path / "dense.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(dense, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet4.xml":  # 依申请公开: ~7.5 MB of cells with no address
                rows = b"".join(b"<row>" + b"<c><v>1</v></c>" * 100 + b"</row>" for _ in range(4900))
                at = data.index(b"<sheetData>") + len(b"<sheetData>")
                data = data[:at] + rows + data[at:]
            zout.writestr(item, data)
    # CPU time and peak memory of the child alone (run_measured starts it from a small launcher), so earlier
    # children (LibreOffice), the test process's own size and a busy machine do not turn the bound red.
    script = "import sys\nfrom xl_disclosure.api import validate_file\nprint(validate_file(sys.argv[1]).status)"
    code, text, cpu_seconds, peak_mb = run_measured([sys.executable, "-c", script, str(dense)], tmp_path, timeout=120)
    assert code == 0 and text.strip() in ("不通过", "无法读取"), text
    assert cpu_seconds < 5 and peak_mb < 500


def test_a_sheet_of_too_many_unaddressed_cells_is_refused_before_it_is_parsed(consistent, tmp_path):
    """The element-by-element parse is bounded: past MAX_EXACT_CELLS cells the sheet is refused, naming it."""
    _, good = consistent
    many, few = tmp_path / "many.xlsx", tmp_path / "few.xlsx"
    for target, count in ((many, MAX_EXACT_CELLS + 1), (few, 1000)):
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "xl/worksheets/sheet4.xml":  # 依申请公开, far below the template's block
                    cells = b"<c><v>1</v></c>" * 100
                    rows = b"".join(b'<row r="%d">' % (5000 + i) + cells + b"</row>" for i in range(count // 100 + 1))
                    data = data.replace(b"</sheetData>", rows + b"</sheetData>")
                zout.writestr(item, data)
    refused = read_workbook(many)
    assert refused.exit_code == 2 and "依申请公开" in refused.read_error and f"{MAX_EXACT_CELLS:,}" in refused.read_error
    assert read_workbook(few).read_error is None  # a few unaddressed cells are parsed, not refused


def test_outputs_get_ordinary_permissions(consistent, tmp_path):
    import os
    import stat

    _, good = consistent
    out = tmp_path / "r.json"
    assert CliRunner().invoke(cli, ["export", str(good), "-o", str(out)]).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def _members_agree(path: Path) -> None:
    """The direct inflate returns exactly what zipfile reads, for every member (none left to zipfile)."""
    from xl_disclosure.readers.workbook import _inflate

    data = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            assert _inflate(data, info) == zf.read(info), info.filename


@pytest.mark.parametrize(("cells", "vouched"), [
    (b'<row r="1"><c r="A1"><v>1</v></c><c r="Z9999" s="1"><f>A1</f></c></row>', True),
    (b'<row r="1"><c r="AA1"><v>1</v></c></row>', False),  # beyond column Z
    (b'<row r="1"><c r="A10000"><v>1</v></c></row>', False),  # beyond row 9999
    (b'<row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row>', False),  # a second address
    (b'<row r="1"><c s="0" r="A1"><v>1</v></c></row>', False),  # the address is not first
    (b'<row r="1"><x:c r="A1"><x:v>1</x:v></x:c></row>', False),  # a prefixed cell
    (b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData><sheetData>', False),  # two sheetData
])
def test_fast_scan_vouches_only_for_plainly_small_sheets(cells, vouched):
    """Anything the patterns cannot vouch for is left to the exact parse, which measures the extent."""
    from xl_disclosure.readers.workbook import _fast_formulas

    data = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + cells + b"</sheetData></worksheet>")
    assert (_fast_formulas(data) is not None) is vouched


def test_only_small_formula_sets_are_remembered():
    """What is remembered across files stays small, whatever a batch of hostile files holds."""
    from xl_disclosure.readers import workbook as reader

    def sheet(cells: bytes) -> bytes:
        return (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                + cells + b"</sheetData></worksheet>")

    small = sheet(b'<row r="1"><c r="A1"><f>SUM(B1:B2)</f></c></row>')
    assert isinstance(reader._fast_formulas(small), reader.FormulaMap)
    padding = b'<row r="2"><c r="B2" t="inlineStr"><is><t>' + b"x" * reader._MAX_REMEMBERED_CELL_BYTES + b"</t></is></c></row>"
    big = sheet(b'<row r="1"><c r="A1"><f>SUM(B1:B2)</f></c></row>' + padding)
    found = reader._fast_formulas(big)
    assert found == {"A1": "SUM(B1:B2)"} and not isinstance(found, reader.FormulaMap)
    before = reader._remembered_formula_text.cache_info().currsize
    long_formula = "+".join(["A1"] * 1000)
    assert reader._formula_text(long_formula.encode()) == long_formula
    assert reader._remembered_formula_text.cache_info().currsize == before


def test_direct_inflate_agrees_with_zipfile(saved):
    _members_agree(saved)


@pytest.mark.parametrize("damage", ["crc", "size", "method", "encrypted", "offset"])
def test_direct_inflate_leaves_anything_unusual_to_zipfile(consistent, damage):
    """A member whose directory entry does not match its data is never accepted by the fast path."""
    from xl_disclosure.readers.workbook import _inflate

    data = consistent[1].read_bytes()
    with zipfile.ZipFile(consistent[1]) as zf:
        info = zf.getinfo("xl/workbook.xml")
    assert _inflate(data, info) is not None
    if damage == "crc":
        info.CRC ^= 1
    elif damage == "size":
        info.file_size -= 1  # the data inflates past what the directory declares
    elif damage == "method":
        info.compress_type = zipfile.ZIP_BZIP2
    elif damage == "encrypted":
        info.flag_bits |= 0x1
    else:
        info.header_offset += 1
    assert _inflate(data, info) is None


def _package_agrees(path: Path) -> None:
    """calamine, given only the parts it needs (stored), lays out exactly what it reads from the file."""
    import io

    import python_calamine

    from xl_disclosure.readers.workbook import FileSource, _laid_out

    source = FileSource(path, path.name)
    try:
        package = source._calamine_package()
        with zipfile.ZipFile(io.BytesIO(package)) as stored, zipfile.ZipFile(path) as original:
            assert stored.testzip() is None
            assert all(i.compress_type == zipfile.ZIP_STORED for i in stored.infolist())
            names = stored.namelist()
            assert len(names) == len(set(names))
            sheet_parts = {source._parts()[s] for s in _laid_out() if s in source._parts()}
            assert {n for n in names if n.startswith("xl/worksheets/")} == sheet_parts
            assert not any(n.startswith(("docProps/", "xl/theme/")) for n in names)
            for name in names:
                if name == "xl/workbook.xml":  # given without its defined names, and nothing else changed
                    given, whole_part = stored.read(name), original.read(name)
                    assert b"definedName" not in given and b"<definedName " in whole_part
                    start, end = whole_part.find(b"<definedNames>"), whole_part.find(b"</definedNames>")
                    assert given == whole_part[:start] + whole_part[end + len(b"</definedNames>"):]
                else:
                    assert stored.read(name) == original.read(name), name
        whole = python_calamine.CalamineWorkbook.from_path(str(path))
        for sheet in _laid_out():
            if sheet in whole.sheet_names:
                expected = whole.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
                assert source._sheet_rows(sheet) == expected, sheet
    finally:
        source.close()


def test_calamine_reads_the_checked_parts_only(saved):
    _package_agrees(saved)


def test_stored_zip_round_trips_through_zipfile():
    import io

    from xl_disclosure.readers.workbook import _stored_zip

    members = [("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/表.xml", b""), ("a", bytes(range(256)) * 40)]
    package = _stored_zip([(n, d, zlib.crc32(d)) for n, d in members])
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        assert zf.testzip() is None
        assert [(n, zf.read(n)) for n in zf.namelist()] == members
    with pytest.raises(zipfile.BadZipFile):  # a wrong checksum is caught by whoever reads it
        zipfile.ZipFile(io.BytesIO(_stored_zip([("a", b"x", 0)]))).read("a")


@pytest.mark.parametrize(("workbook", "cut"), [
    (b"<workbook><sheets/><definedNames><definedName name='a'>S!$A$1</definedName></definedNames></workbook>", True),
    (b"<workbook><sheets/><!-- c --><definedNames><definedName name='a'>S!$A$1</definedName></definedNames></workbook>",
     False),  # a comment could hide part of the block
    (b"<x:workbook><x:sheets/><x:definedNames><x:definedName name='a'>S!$A$1</x:definedName></x:definedNames>"
     b"</x:workbook>", False),  # prefixed
    (b"<workbook><definedNames></definedNames><sheets/><definedNames></definedNames></workbook>", False),  # two blocks
    (b"<workbook><sheets/><calcPr/></workbook>", False),  # none
])
def test_defined_names_are_cut_only_when_plainly_one_block(workbook, cut):
    from xl_disclosure.readers.workbook import _for_calamine

    name, given, crc = _for_calamine("xl/workbook.xml", workbook, zlib.crc32(workbook))
    assert crc == zlib.crc32(given)
    assert (given == b"<workbook><sheets/></workbook>") is cut
    assert cut or given == workbook
    assert _for_calamine("xl/styles.xml", workbook, 7) == ("xl/styles.xml", workbook, 7)


def test_error_cells_are_read_with_the_value_shown():
    from xl_disclosure.readers.workbook import _error_cells

    sheet = (b'<worksheet><sheetData><row r="2"><c r="B2" s="3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
             b'<c r="C2" t="e"><v>#N/A</v></c><c r="D2" t="s"><v>4</v></c><c r="E2" s="1"/></row></sheetData></worksheet>')
    assert _error_cells(sheet) == {"B2": "#DIV/0!", "C2": "#N/A"}
    assert _error_cells(sheet.replace(b' t="e"', b"")) == {}


@pytest.mark.libreoffice
def test_formula_errors_in_input_cells_are_reported_as_such(consistent, tmp_path):
    """A clerk's formula that fails shows #DIV/0! or #N/A: the finding is the formula (input.formula), whose
    result is never taken — not a blank cell, and not an error value read as if typed."""
    report, good = consistent
    number, text = FORM.by_id["s3_new_natural"], FORM.by_id["cover_agency_name"]
    wb = openpyxl.load_workbook(good)
    wb[number.sheet][number.cell] = "=1/0"
    wb[text.sheet][text.cell] = "=NA()"
    wb.save(tmp_path / "errors.xlsx")
    recalculated = soffice_convert(tmp_path / "errors.xlsx", tmp_path / "lo")
    result = read_workbook(recalculated)
    found = {(f.sheet, f.cell): f for f in result.findings if f.rule == "input.formula"}
    assert set(found) == {(number.sheet, number.cell), (text.sheet, text.cell)}
    assert "=1/0" in found[number.sheet, number.cell].message and "数值" in found[number.sheet, number.cell].message
    assert "=NA()" in found[text.sheet, text.cell].message
    assert not [f for f in result.findings if f.rule in ("input.blank", "cover.required", "input.error_value")]
    assert result.report.values[number.id] is None and result.report.values[text.id] is None
    assert not [f for f in result.findings if f.rule in ("input.blank", "cover.required")]


@pytest.mark.parametrize(("formula", "origin", "to", "moved"), [
    ("SUM(D6:I6)", "J6", "J7", "SUM(D7:I7)"),  # a filled-down total
    ("SUM(D6:D28)", "D29", "E29", "SUM(E6:E28)"),  # filled right
    ("SUM($D$6:D6)", "J6", "K8", "SUM($D$6:E8)"),  # absolute parts stay
    ("'依申请公开'!D6+\"D6\"+LOG10(A1)", "A1", "B2", "'依申请公开'!E7+\"D6\"+LOG10(B2)"),  # names, text, functions
    ("A1-1", "B2", "A1", "#REF!-1"),  # moved off the sheet, as Excel shows it
])
def test_a_shared_formula_is_moved_as_excel_moves_it(formula, origin, to, moved):
    from xl_disclosure.readers.workbook import shift_formula

    assert shift_formula(formula, origin, to) == moved


@pytest.mark.parametrize(("code", "raw", "otherwise"), [
    ("0.####", 1.2345, False), ("0", 12, False), ("#,##0", 1234, False), ("0.00", 12, False), ("@", 12, False),
    ("General", 12, False), ('"00"', 12, True), (";;;", 12, True), ('0"0"', 12, True), ("0,", 12000, True),
    ("0%", 12, True), ("0;-0;\"零\"", 0, True), ("[Red]0", 12, True), ("0.0", 1.25, True),  # an amount's decimals cut
    ("@", "孟津区", False), ("0", "孟津区", False), (';;;"冒名机关"', "孟津区", True), ('"冒名"@', "孟津区", True),
    (";;;@", "孟津区", False),
])
def test_a_number_format_that_shows_something_else_is_told_apart(code, raw, otherwise):
    from xl_disclosure.form import FORM, Kind
    from xl_disclosure.readers.source import _shown_otherwise

    amount = next(f for f in FORM.inputs if f.kind is Kind.AMOUNT and f.decimals >= 2)
    assert _shown_otherwise(code, raw, amount) is otherwise


@pytest.mark.parametrize("cells", [
    b'<row r="1"><c r="A1"><v>1</v></c><!-- <c r="A1"><f>SUM(B1)</f></c> --></row>',  # a comment
    b'<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0">B1</f></c></row>',  # a shared formula to resolve
    b'<row r="1"><c r="A1"><f>B1</f><f>B2</f></c></row>',  # two formulas
    b'<row r="1"><c r="A1" xmlns="urn:x"><v>1</v></c></row>',  # the default namespace changed
    b'<row r="1"><c r="A1"><v>1</v><extLst/></c></row>',  # an extension
])
def test_the_patterns_vouch_only_for_the_schema_s_plain_layout(cells):
    from xl_disclosure.readers.workbook import _fast_formulas

    data = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + cells + b"</sheetData></worksheet>")
    assert _fast_formulas(data) is None
