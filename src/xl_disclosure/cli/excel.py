"""``addin`` and ``install-excel`` commands: the 校验 button for Excel on clerks' PCs."""

from __future__ import annotations

import locale
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from xl_disclosure.excel.build import ADDIN_PROJECT_NAME, STANDALONE_PROJECT_NAME, BuildError, addin_bytes, build_addin
from xl_disclosure.writers.atomic import OutputError, write_atomic

PINNED_XLWINGS = "0.37.8"
ADDIN_FILE = "xl_disclosure.xlam"


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(2)


@click.command("addin")
@click.option("-o", "--output", "output", default=ADDIN_FILE, show_default=True, metavar="FILE.xlam",
              help="加载项文件的保存路径（扩展名必须是 .xlam）。")
@click.option("--interpreter", metavar="PATH",
              help="办事员电脑上 python.exe 的路径，可用环境变量，如 %LOCALAPPDATA%\\xl-disclosure\\venv\\Scripts\\python.exe。"
                   "不填则使用该电脑上 install-excel 写入的设置或 PATH 中的 python。")
@click.option("--pythonpath", metavar="DIRS", help="额外的 Python 模块搜索路径（多个用英文分号分隔），一般不需要。")
def addin_command(output: str, interpreter: str | None, pythonpath: str | None) -> None:
    """生成 Excel 功能区加载项（.xlam）：在“信息公开年报”选项卡上提供“校验”按钮。

    \b
    按钮校验当前打开的工作簿，所以下发的填报模板可以保持不含宏的 .xlsx。
    加载项需要在办事员的 Windows 电脑上安装 Python 和本工具（含 xlwings 0.37.8），
    安装方法见 docs/excel.md，或在该电脑上运行 xl-disclosure install-excel。
    """
    if Path(output).suffix.lower() != ".xlam":
        _fail(f"输出文件 {output} 的扩展名必须是 .xlam（Excel 加载项）。")
    try:
        build_addin(output, interpreter=interpreter, pythonpath=pythonpath)
    except (BuildError, OutputError) as exc:
        _fail(str(exc))
    click.echo(f"已生成加载项：{output}")


# ---------------------------------------------------------------------------
# install-excel
# ---------------------------------------------------------------------------

@dataclass
class InstallReport:
    addin: Path
    configs: list[Path] = field(default_factory=list)
    interpreter: str = ""
    warnings: list[str] = field(default_factory=list)


def portable_path(path: str, env: dict[str, str]) -> str:
    """Replace a leading %LOCALAPPDATA%/%APPDATA%/%USERPROFILE% folder by the variable.

    xlwings' VBA reads its settings file in the ANSI code page and expands
    environment variables, so this keeps a user name with Chinese characters
    out of the file.
    """
    for var in ("LOCALAPPDATA", "APPDATA", "USERPROFILE"):
        base = env.get(var)
        if base and path.lower().startswith(base.rstrip("\\/").lower() + "\\"):
            return f"%{var}%" + path[len(base.rstrip("\\/")):]
    return path


def update_conf(path: Path, settings: dict[str, str], encoding: str) -> None:
    """Set keys in an xlwings settings file (lines ``"KEY","VALUE"``), keeping the other lines."""
    lines: list[str] = []
    if path.exists():
        text = path.read_bytes().decode(encoding, errors="replace")
        wanted = {k.upper() for k in settings}
        for line in text.splitlines():
            key = line.split(",", 1)[0].strip().strip('"').upper()
            if key and key not in wanted:
                lines.append(line)
    lines += [f'"{k}","{v}"' for k, v in settings.items()]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding, errors="strict")
    write_atomic(path, lambda tmp: tmp.write_bytes(data))


def install_excel(*, appdata: Path, userprofile: Path, interpreter: str, pythonpath: str | None = None,
                  env: dict[str, str] | None = None, encoding: str | None = None) -> InstallReport:
    """Per-PC set-up: the add-in into XLSTART and the interpreter into the xlwings settings files."""
    env = dict(os.environ if env is None else env)
    encoding = encoding or locale.getpreferredencoding(False)
    settings = {"INTERPRETER_WIN": portable_path(interpreter, env)}
    if pythonpath:
        settings["PYTHONPATH"] = pythonpath
    report = InstallReport(addin=appdata / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE,
                           interpreter=settings["INTERPRETER_WIN"])
    import xlwings

    if xlwings.__version__ != PINNED_XLWINGS:
        report.warnings.append(f"本机安装的 xlwings 是 {xlwings.__version__}，加载项中的 VBA 对应 {PINNED_XLWINGS}；"
                               f"请运行 pip install xlwings=={PINNED_XLWINGS}。")
    data = addin_bytes()
    write_atomic(report.addin, lambda tmp: tmp.write_bytes(data))
    for project in (ADDIN_PROJECT_NAME, STANDALONE_PROJECT_NAME):
        conf = userprofile / f".{project}" / f"{project}.conf"
        try:
            update_conf(conf, settings, encoding)
        except UnicodeEncodeError:
            raise OutputError(f"Python 路径“{settings['INTERPRETER_WIN']}”含有本机代码页无法表示的字符，"
                              f"请把 Python 安装到只含英文字符的文件夹。") from None
        report.configs.append(conf)
    return report


NOT_WINDOWS = (
    "install-excel 只能在 Windows 电脑上运行：它把“校验”加载项装进本机 Excel，并写入 Python 路径设置。\n"
    "当前系统不是 Windows。\n"
    "· 在本机校验报表：xl-disclosure validate 报表.xlsx\n"
    "· 为 Windows 电脑准备加载项：xl-disclosure addin -o xl_disclosure.xlam，再按 docs/excel.md 安装；\n"
    "· WPS 用户不能使用 Excel 按钮：请用上面的命令行校验，或直接看模板“校验”工作表的实时检查结果。"
)


@click.command("install-excel")
@click.option("--interpreter", metavar="PATH",
              help="Excel 按钮调用的 python.exe，默认是运行本命令的 Python（即安装了本工具的那个）。")
@click.option("--pythonpath", metavar="DIRS", help="额外的 Python 模块搜索路径（多个用英文分号分隔），一般不需要。")
def install_excel_command(interpreter: str | None, pythonpath: str | None) -> None:
    """在本机（Windows）安装 Excel“校验”按钮：加载项放入 XLSTART，并写入 xlwings 的 Python 路径设置。

    \b
    完成后重新启动 Excel，功能区出现“信息公开年报”选项卡。
    启用宏的模板（.xlsm）中的按钮也使用这里写入的 Python 路径。
    """
    if not sys.platform.startswith("win"):
        _fail(NOT_WINDOWS)
    appdata, userprofile = os.environ.get("APPDATA"), os.environ.get("USERPROFILE")
    if not appdata or not userprofile:
        _fail("找不到 APPDATA 或 USERPROFILE 环境变量，无法确定 Excel 启动文件夹。请以普通用户身份在命令提示符中运行。")
    assert appdata is not None and userprofile is not None
    exe = interpreter or sys.executable
    if not Path(exe).is_file():
        _fail(f"找不到 Python：{exe}。请用 --interpreter 指定 python.exe 的完整路径。")
    try:
        report = install_excel(appdata=Path(appdata), userprofile=Path(userprofile), interpreter=exe,
                               pythonpath=pythonpath)
    except (BuildError, OutputError) as exc:
        _fail(f"安装失败：{exc}")
    click.echo(f"已安装加载项：{report.addin}")
    for conf in report.configs:
        click.echo(f"已写入 Python 路径设置：{conf}（INTERPRETER_WIN = {report.interpreter}）")
    for warning in report.warnings:
        click.echo(f"注意：{warning}", err=True)
    click.echo("请关闭所有 Excel 窗口后重新打开，功能区将出现“信息公开年报”选项卡。")
