"""``xl-disclosure template``: one template, or one per agency from a list (batch distribution)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.batch.distribute import KEPT, REPLACED, WRITTEN
from xl_disclosure.cli.common import console, fail, print_table, progress
from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.form import AGENCY_TYPES
from xl_disclosure.writers.template import DEFAULT_PASSWORD


def _fail(message: str) -> NoReturn:
    fail(message, heading="错误")


@click.command("template")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH.xlsx",
              help="输出的填报模板文件。")
@click.option("--year", type=int, help="预填的报告年度，如 2024。")
@click.option("--agency", help="预填的机关名称。")
@click.option("--code", help="预填的统一社会信用代码（18 位）。")
@click.option("--type", "agency_type", metavar="TYPE", help=f"预填的机关类型/层级：{'、'.join(AGENCY_TYPES)}。")
@click.option("--password", default=DEFAULT_PASSWORD, show_default=True, help="工作表和工作簿结构的保护密码。")
@click.option("--agencies", type=click.Path(dir_okay=False, path_type=Path), metavar="agencies.csv",
              help="批量下发：机关名单 CSV（列：机关名称, 统一社会信用代码, 机关类型，可选的文件名——给了时模板用它命名；"
                   "UTF-8、GBK 或 UTF-16 编码，逗号或制表符分隔）。")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="批量下发时的输出文件夹，每个机关一个模板。")
@click.option("--prior", type=click.Path(dir_okay=False, path_type=Path), metavar="LAST_YEAR.json",
              help="上年汇总结果 JSON（或单个报告 JSON）：用各机关上年“结转下年度继续办理”预填本年“上年结转”。")
@click.option("--macro", is_flag=True,
              help="生成启用宏的模板（.xlsm），封面和校验表上带“校验”按钮（需在 Excel 中安装 Python 和 xlwings）。")
@click.option("--interpreter", metavar="PYTHON.EXE",
              help="与 --macro 一起使用：写入模板 xlwings.conf 的 Python 解释器路径，可用 %LOCALAPPDATA% 等环境变量。")
@click.option("--pythonpath", metavar="DIR", help="与 --macro 一起使用：写入 xlwings.conf 的 PYTHONPATH。")
@click.option("--force", is_flag=True,
              help="批量下发时，输出文件夹中已有的同名文件（已填写的报告、其他文件）也替换。默认只替换未填写的模板。")
def template_command(output: Path | None, year: int | None, agency: str | None, code: str | None,
                     agency_type: str | None, password: str, agencies: Path | None, out_dir: Path | None,
                     prior: Path | None, macro: bool, interpreter: str | None, pythonpath: str | None,
                     force: bool) -> None:
    """生成加锁的 Excel 填报模板；或按机关名单为每个机关各生成一份（批量下发）。

    \b
    示例：
      xl-disclosure template -o 模板.xlsx --year 2024
      xl-disclosure template --agencies 机关名单.csv --out-dir 下发 --year 2024 --prior 2023汇总.json

    批量下发时，文件夹中已有的同名文件只在它是未填写的模板时才替换；已填写的报告或其他文件保留不动
    并在结果中列出（加 --force 才替换）。某个机关写不出（如名称不能作文件名）只影响该机关，退出码为 1。
    """
    out = console(soft_wrap=False, info=True)
    if agencies is None:
        if force:
            _fail("--force 只用于批量下发（--agencies）；生成单个模板时 -o 指定的文件总是重新生成。")
        if out_dir is not None or prior is not None:
            _fail("--out-dir 和 --prior 只能与 --agencies（批量下发）一起使用；生成单个模板请用 -o。")
        if output is None:
            _fail("请用 -o 指定输出文件，例如：xl-disclosure template -o 模板.xlsx")
        if (interpreter or pythonpath) and not macro:
            _fail("--interpreter 和 --pythonpath 只能与 --macro 一起使用。")
        try:
            api.template(output, year=year, agency=agency, code=code, agency_type_name=agency_type,
                         password=password, macro=macro, interpreter=interpreter, pythonpath=pythonpath)
        except XlDisclosureError as exc:
            _fail(str(exc))
        out.print(f"已写出填报模板 {escape(str(output))}（保护密码：{escape(password)}）")
        return

    if macro:
        _fail("批量下发生成的是 .xlsx 模板；需要校验按钮时请安装加载项（xl-disclosure addin），不要用 --macro。")
    if output is not None or agency or code or agency_type:
        _fail("批量下发（--agencies）时机关信息来自名单，不能同时使用 -o、--agency、--code、--type。")
    if out_dir is None:
        _fail("批量下发需要用 --out-dir 指定输出文件夹。")
    try:
        with progress("生成填报模板"):
            done = api.distribute(agencies, out_dir, year=year, prior=prior, password=password, force=force)
    except XlDisclosureError as exc:
        _fail(f"{exc}\n未生成任何模板。")
    planned = done.planned
    out.print(f"机关名单 {escape(str(agencies))}：{done.agencies.describe()}。")
    carried = {"uscc": "已预填（按信用代码）", "name": "已预填（按名称）"}
    written = sum(1 for p in planned if p.outcome in (WRITTEN, REPLACED) or p.outcome.startswith("已替换"))
    print_table(out, f"已生成 {written} 份填报模板 → {out_dir}",
                ("行", "机关名称", "统一社会信用代码", "文件", "上年结转", "结果"),
                [(str(p.agency.line), escape(p.agency.name), p.agency.uscc or "—", escape(p.file_name),
                  carried.get(p.prior_matched, "—"), escape(p.outcome + (f"：{p.reason}" if p.reason else "")))
                 for p in planned])
    rate = len(planned) / done.seconds if done.seconds > 0 else float("inf")
    summary = f"共 {len(planned)} 个机关，用时 {done.seconds:.2f} 秒（{rate:.0f} 份/秒）；保护密码：{escape(password)}。"
    kept, failed = done.count(KEPT), done.failed
    if kept:
        summary += f" {kept} 个机关的文件夹中已有文件（已填写的报告或其他文件），未替换（加 --force 才替换）。"
    if failed:
        summary += f" {len(failed)} 个机关的模板写不出（见“结果”列），其余机关不受影响。"
    if prior is not None:
        summary += f" 上年数据匹配 {done.matched}/{len(planned)} 个机关。"
        if done.matched < len(planned):
            summary += "未匹配的机关“上年结转”留空，由填报人自行填写。"
    out.print(summary)
    if failed:
        sys.exit(1)
