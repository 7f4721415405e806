"""`template --macro`: the command writes the macro-enabled template with the fixed entry point."""

import zipfile

from click.testing import CliRunner
from oletools.olevba import VBA_Parser

from xl_disclosure.cli.main import cli


def test_template_macro_writes_xlsm(tmp_path):
    out = tmp_path / "模板.xlsm"
    r = CliRunner().invoke(cli, ["template", "--macro", "-o", str(out), "--year", "2024",
                                 "--interpreter", r"%LOCALAPPDATA%\Programs\Python\Python311\python.exe"])
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(out) as zf:
        types = zf.read("[Content_Types].xml").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert "xl/vbaProject.bin" in zf.namelist()
    parser = VBA_Parser(str(out))
    code = "\n".join(src for *_, src in parser.extract_macros())
    parser.close()
    assert "xl_disclosure.excel.validate()" in code


def test_template_macro_refuses_xlsx_suffix_and_batch(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["template", "--macro", "-o", str(tmp_path / "t.xlsx")])
    assert r.exit_code == 2 and ".xlsm" in r.output
    assert not (tmp_path / "t.xlsx").exists()
    r = runner.invoke(cli, ["template", "-o", str(tmp_path / "t.xlsx"), "--interpreter", "python"])
    assert r.exit_code == 2
