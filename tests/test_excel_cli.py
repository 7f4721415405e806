"""``addin`` and ``install-excel`` commands."""

from __future__ import annotations

import sys
import zipfile

from click.testing import CliRunner

from xl_disclosure.cli.main import cli
from xl_disclosure.excel import install


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_addin_command_writes_an_addin(tmp_path):
    out = tmp_path / "按钮.xlam"
    result = run("addin", "-o", str(out), "--interpreter", r"C:\Python311\python.exe")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        assert b"addin.macroEnabled.main+xml" in zf.read("[Content_Types].xml")
        assert "C:\\Python311\\python.exe" in zf.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_addin_command_rejects_other_extensions(tmp_path):
    result = run("addin", "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert ".xlam" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_install_excel_off_windows_explains_in_chinese(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    result = run("install-excel")
    assert result.exit_code == 2
    assert "只能在 Windows" in result.output and "xl-disclosure validate" in result.output


def test_install_excel_on_windows(monkeypatch, tmp_path):
    appdata, profile = tmp_path / "AppData" / "Roaming", tmp_path / "用户"
    python = tmp_path / "AppData" / "Local" / "xl-disclosure" / "venv" / "Scripts" / "python.exe"
    python.parent.mkdir(parents=True)
    python.write_bytes(b"")
    existing = profile / ".xlwings" / "xlwings.conf"
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b'"INTERPRETER_WIN","C:\\old\\python.exe"\r\n"SHOW CONSOLE","True"\r\n')
    monkeypatch.setattr(sys, "platform", "win32")
    result = run("install-excel", "--interpreter", str(python),
                 env={"APPDATA": str(appdata), "USERPROFILE": str(profile)})
    assert result.exit_code == 0, result.output
    addin = appdata / "Microsoft" / "Excel" / "XLSTART" / "xl_disclosure.xlam"
    with zipfile.ZipFile(addin) as zf:
        assert b"RibbonMyAddin.RunMain" in zf.read("customUI/customUI.xml")
    own = (profile / ".xl_disclosure" / "xl_disclosure.conf").read_bytes().decode("utf-8")
    assert own == f'"INTERPRETER_WIN","{python}"\r\n'
    merged = existing.read_bytes().decode("utf-8")
    assert merged == f'"SHOW CONSOLE","True"\r\n"INTERPRETER_WIN","{python}"\r\n'  # other settings kept
    assert str(addin) in result.output


def test_interpreter_under_user_folders_is_written_with_variables(tmp_path):
    env = {"LOCALAPPDATA": r"C:\Users\张三\AppData\Local", "USERPROFILE": r"C:\Users\张三"}
    assert install.portable_path(r"C:\Users\张三\AppData\Local\xl-disclosure\venv\Scripts\python.exe", env) == \
        r"%LOCALAPPDATA%\xl-disclosure\venv\Scripts\python.exe"
    assert install.portable_path(r"D:\Python311\python.exe", env) == r"D:\Python311\python.exe"
    report = install.install_for_user(appdata=tmp_path / "a", userprofile=tmp_path / "u",
                                      interpreter=r"C:\Users\张三\AppData\Local\py\python.exe", env=env, encoding="gbk")
    conf = (tmp_path / "u" / ".xlwings" / "xlwings.conf").read_bytes().decode("gbk")
    assert conf == '"INTERPRETER_WIN","%LOCALAPPDATA%\\py\\python.exe"\r\n'
    assert report.addin.exists() and len(report.configs) == 2
