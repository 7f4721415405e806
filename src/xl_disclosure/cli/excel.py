"""``addin`` and ``install-excel`` commands: the 校验 button for Excel on clerks' PCs."""

from __future__ import annotations

import click
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.cli.common import console
from xl_disclosure.excel.install import ADDIN_FILE


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

    \b
    例如：
      xl-disclosure addin -o xl_disclosure.xlam
      xl-disclosure addin --interpreter %LOCALAPPDATA%\\xl-disclosure\\venv\\Scripts\\python.exe
    """
    result = api.addin(output, interpreter=interpreter, pythonpath=pythonpath)
    console(info=True).print(escape(f"已生成加载项：{result.written}"))


@click.command("install-excel")
@click.option("--interpreter", metavar="PATH",
              help="Excel 按钮调用的 python.exe，默认是运行本命令的 Python（即安装了本工具的那个）。")
@click.option("--pythonpath", metavar="DIRS", help="额外的 Python 模块搜索路径（多个用英文分号分隔），一般不需要。")
def install_excel_command(interpreter: str | None, pythonpath: str | None) -> None:
    """在本机（Windows）安装 Excel“校验”按钮：加载项放入 XLSTART，并写入 xlwings 的 Python 路径设置。

    \b
    完成后重新启动 Excel，功能区出现“信息公开年报”选项卡。
    启用宏的模板（.xlsm）中的按钮也使用这里写入的 Python 路径。

    \b
    例如：
      xl-disclosure install-excel
    """
    report = api.install_excel(interpreter=interpreter, pythonpath=pythonpath)
    out = console(info=True)
    out.print(escape(f"已安装加载项：{report.addin}"))
    for conf in report.configs:
        out.print(escape(f"已写入 Python 路径设置：{conf}（INTERPRETER_WIN = {report.interpreter}）"))
    err = console(stderr=True)
    for warning in report.warnings:
        err.print(escape(f"注意：{warning}"))
    out.print("请关闭所有 Excel 窗口后重新打开，功能区将出现“信息公开年报”选项卡。")
