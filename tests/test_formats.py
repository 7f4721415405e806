"""Every spreadsheet format a clerk can send: told by content, read (.xlsx, .ods) or refused with what to do.

The refused formats are made here byte by byte (a WPS .et is a compound file with
WPS's streams, an .xlsb a zip with xl/workbook.bin, a .numbers a zip with its
Index/*.iwa); the .ods and .xls that LibreOffice really writes are in
test_clerk_corpus.py.
"""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.conftest import assert_schema_valid
from tests.hostile.make_corpus import compound_file, legacy_xls

from xl_disclosure.api import validate_file
from xl_disclosure.cli.main import cli
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers import formats
from xl_disclosure.readers.ods import odf_to_a1, scan_content
from xl_disclosure.readers.workbook import ReadError
from xl_disclosure.writers.template import build_template, fill_values

BIFF = struct.pack("<HHHHII", 0x0809, 16, 0x0600, 0x0005, 0, 0).ljust(4096, b"\x00")


def wps_et() -> bytes:
    """What WPS 表格 writes for .et: a BIFF workbook stream plus WPS's own streams."""
    return compound_file({"Workbook": BIFF, "WpsCustomData": b"\x00" * 4096})


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


XLSB = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"})
NUMBERS = zip_of({"Index/Document.iwa": b"\x00\x01", "Metadata/Properties.plist": b"<plist/>"})
CSV_UTF8 = "项目,自然人\n本年新收,3\n".encode()
CSV_GBK = "项目,自然人\n本年新收,3\n".encode("gbk")
WPS_TEXT = compound_file({"WordDocument": b"\x00" * 4096, "WpsCustomData": b"\x00" * 4096})

#: (file name, bytes, kind, what the message must say)
REFUSED = [
    ("某某县财政局.et", wps_et(), formats.ET, ("这是 WPS 表格 .et 格式", "在 WPS 中‘另存为’Excel 工作簿（.xlsx）后重新报送")),
    ("某某县财政局.ett", wps_et(), formats.ETT, ("WPS 表格模板 .ett", "另存为")),
    ("改了名的.xlsx", wps_et(), formats.ET, ("扩展名是 .xlsx", "WPS 表格 .et", "另存为")),
    ("旧版.xls", legacy_xls(), formats.XLS, ("Excel 97-2003 工作簿 .xls", "另存为", ".xlsx")),
    ("旧版改名.xlsx", legacy_xls(), formats.XLS, ("扩展名是 .xlsx", ".xls", "另存为")),
    ("二进制.xlsb", XLSB, formats.XLSB, ("Excel 二进制工作簿 .xlsb", "另存为", ".xlsx")),
    ("苹果.numbers", NUMBERS, formats.NUMBERS, ("Apple Numbers", "导出为", ".xlsx")),
    ("导出.csv", CSV_UTF8, formats.CSV, ("CSV", ".xlsx", "不要另存为 CSV")),
    ("导出gbk.csv", CSV_GBK, formats.CSV, ("CSV", ".xlsx")),
]


@pytest.mark.parametrize(("name", "data", "kind", "says"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_format_is_named_with_what_to_do(tmp_path, name, data, kind, says):
    path = tmp_path / name
    path.write_bytes(data)
    assert formats.sniff(path).kind == kind
    result = validate_file(path)
    assert result.exit_code == 2 and result.read_error.startswith(f"{path}：")
    for fragment in says:
        assert fragment in result.read_error, (fragment, result.read_error)
    r = CliRunner().invoke(cli, ["validate", str(path)])
    assert r.exit_code == 2 and says[0] in r.output.replace("\n", "")


def test_numbers_saved_as_a_package_folder(tmp_path):
    package = tmp_path / "报表.numbers"
    (package / "Index").mkdir(parents=True)
    (package / "Index" / "Document.iwa").write_bytes(b"\x00")
    assert formats.sniff(package).kind == formats.NUMBERS
    assert "Apple Numbers" in validate_file(package).read_error


def test_xlsx_is_read_whatever_its_suffix(tmp_path):
    """A filled template named .et or .xls (a clerk 'saved as' by renaming) is what its content is."""
    good = tmp_path / "good.xlsx"
    build_template(good, values=fill_values(random_report(random.Random(3))))
    for suffix in (".et", ".xls", ".ods"):
        other = tmp_path / f"named{suffix}"
        other.write_bytes(good.read_bytes())
        assert formats.sniff(other).kind == formats.XLSX
        result = validate_file(other)
        assert result.readable and result.valid, (suffix, result.read_error)


# ---------------------------------------------------------------------------
# OpenDocument formulas and bounds
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("odf", "a1"), [
    ("of:=SUM([.D6:.I6])", "SUM(D6:I6)"),
    ("of:=SUM([$依申请公开.D6:.D7])", "SUM('依申请公开'!D6:D7)"),
    ("of:=SUM([$'It''s'.A1])", "SUM('It''s'!A1)"),
    ('of:=IF(COUNTIF([$校验.E3:.E53];"不通过")>0;"不通过";"a;[b]")', "IF(COUNTIF('校验'!E3:E53,\"不通过\")>0,\"不通过\",\"a;[b]\")"),
    ("of:=SUMPRODUCT((ISTEXT([$复议诉讼.A6:.D6])+ISERROR([$复议诉讼.A6:.D6]))*1)",
     "SUMPRODUCT((ISTEXT('复议诉讼'!A6:D6)+ISERROR('复议诉讼'!A6:D6))*1)"),
])
def test_odf_formulas_become_a1(odf, a1):
    assert odf_to_a1(odf) == a1


def _content(rows: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
            f'<table:table table:name="依申请公开">{rows}</table:table>'
            "</office:spreadsheet></office:body></office:document-content>").encode()


def test_repeated_cells_are_counted_never_expanded():
    """LibreOffice writes a million empty rows as one element; content repeated that far is refused, fast."""
    empty = _content('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                     'table:number-columns-repeated="16384"/></table:table-row>')
    sheets = scan_content(empty, "空.ods")
    assert (sheets["依申请公开"].rows, sheets["依申请公开"].cols) == (0, 0)
    full = _content('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                    'table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
                    "</table:table-row>")
    with pytest.raises(ReadError, match="内容范围过大"):
        scan_content(full, "满.ods")


def test_formula_and_error_found_inside_a_repeated_block():
    content = _content('<table:table-row table:number-rows-repeated="5"><table:table-cell/></table:table-row>'
                       '<table:table-row><table:table-cell table:number-columns-repeated="3"/>'
                       '<table:table-cell table:number-columns-repeated="2" table:formula="of:=1/0" '
                       'office:value-type="string" calcext:value-type="error"><text:p>#DIV/0!</text:p>'
                       '</table:table-cell></table:table-row>')
    sheet = scan_content(content, "x.ods")["依申请公开"]
    assert sheet.formulas["D6"] == sheet.formulas["E6"] == "1/0"
    assert sheet.errors["D6"] == "#DIV/0!" and "F6" not in sheet.formulas


# ---------------------------------------------------------------------------
# compile: never skipped, and the sender is known
# ---------------------------------------------------------------------------

def test_compile_lists_every_format_and_knows_who_sent_it(tmp_path):
    inbox = tmp_path / "收到的"
    inbox.mkdir()
    sent = {"2024_某某县财政局.et": wps_et(), "某某县水利局.xlsx": wps_et(), "某某县卫健委.xls": legacy_xls(),
            "某某县公安局2024年报.xlsb": XLSB, "某某县审计局.numbers": NUMBERS, "某某县统计局.csv": CSV_GBK}
    for name, data in sent.items():
        (inbox / name).write_bytes(data)
    good = random_report(random.Random(4), agency="某某县教育局", year=2024)
    build_template(inbox / "某某县教育局.xlsx", values=fill_values(good))
    names = ["某某县教育局", "某某县财政局", "某某县水利局", "某某县卫健委", "某某县公安局", "某某县审计局", "某某县统计局",
             "某某县交通运输局"]
    expected = inbox / "应报送名单.csv"  # kept among the reports: the list itself is never read as a report
    expected.write_text("机关名称\n" + "\n".join(names) + "\n", encoding="utf-8")
    out = tmp_path / "汇总"
    r = CliRunner().invoke(cli, ["compile", str(inbox), "-o", str(out / "s.xlsx"), "--json", str(out / "s.json"),
                                 "--expected", str(expected), "--year", "2024", "--jobs", "1"])
    assert r.exit_code == 1, r.output
    data = json.loads((out / "s.json").read_text(encoding="utf-8"))
    assert_schema_valid(data, "summary.schema.json")
    files = {Path(f["file"]).name: f for f in data["files"]}
    assert set(files) == set(sent) | {"某某县教育局.xlsx"}  # nothing skipped, the list not taken for a report
    for name in sent:
        assert files[name]["status"] == "无法读取" and ".xlsx" in files[name]["read_error"], name
        assert "已报送（格式不符）" in files[name]["note"]
    assert files["某某县教育局.xlsx"]["counted"] is True
    assert [m["agency"] for m in data["missing"]] == ["某某县交通运输局"]  # the only one that sent nothing
    assert sorted(a["agency"] for a in data["received_unreadable"]) == sorted(names[1:-1])
    assert "已报送（格式不符）6 个" in r.output.replace("\n", "")
    gaps = openpyxl.load_workbook(out / "s.xlsx")["未报送与重复"]
    text = "\n".join(str(c.value) for row in gaps.iter_rows() for c in row if c.value is not None)
    assert "已报送（格式不符）" in text and "某某县公安局2024年报.xlsb" in text and "某某县交通运输局" in text
