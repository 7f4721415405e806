"""``xl-disclosure demo``: the whole job on built-in sample data, in one command.

Writes the blank template, fills sample workbooks (one is the seed report's
agency and year; one has a broken 勾稽关系; one was typed the way clerks type),
validates each, compiles them into a regional summary and renders the seed
report for publication — then says where every output is.
"""

from __future__ import annotations

import random
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xl_disclosure import api
from xl_disclosure.cli.common import STATUS_STYLE, console
from xl_disclosure.cli.compile import print_summary
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, seed_report

DEMO_AGENCIES = ("某某县教育局", "某某县民政局", "某某县自然资源局", "某某县市场监督管理局")


def sample_reports(year: int = 2024) -> list[tuple[str, Report, str]]:
    """(file stem, report, what it shows) for the demo batch."""
    out = [("西霞院街道办事处_2024", seed_report(), "种子报告（公开发布的真实报告）")]
    rng = random.Random(2024)
    for i, name in enumerate(DEMO_AGENCIES):
        out.append((f"{name}_{year}", random_report(rng, agency=name, year=year), "数字前后一致"))
        if i == 1:
            broken = random_report(rng, agency="某某县交通运输局", year=year)
            broken.values["s3_new_natural"] = int(broken.values["s3_new_natural"] or 0) + 3
            out.append((f"某某县交通运输局_{year}", broken, "故意不平衡：自然人本年新收多填了 3 件"))
        if i == 2:
            typed = random_report(rng, agency="某某县城关镇人民政府", year=year)
            typed.values["s2_penalty_decisions"] = "１２件"
            typed.values["s4_reconsideration_pending"] = "无"
            out.append((f"某某县城关镇人民政府_{year}", typed,
                        "填报人输入了“１２件”“无”：是文字，表格的合计不计入，校验指出单元格并说明改成什么"))
    return out


@click.command("demo")
@click.option("-o", "--out-dir", default="demo-output", show_default=True, type=click.Path(file_okay=False),
              help="演示输出文件夹。")
def demo_command(out_dir: str) -> None:
    """用内置样例数据演示全流程：生成模板 → 填报 → 校验 → 汇总 → 成稿。"""
    from xl_disclosure.writers.template import build_template

    con = console(soft_wrap=False)
    out = Path(out_dir)
    filled = out / "填报"
    checks = out / "校验结果"
    for d in (out, filled, checks):
        d.mkdir(parents=True, exist_ok=True)
    outputs: list[tuple[str, Path]] = []

    template = out / "report_template.xlsx"
    build_template(template, year=2024)
    outputs.append(("空白填报模板（发给各单位填写）", template))

    table = Table(title="样例报告校验结果", show_lines=False)
    for col in ("文件", "说明", "结果", "错误", "警告"):
        table.add_column(col)
    for stem, report, note in sample_reports():
        path = filled / f"{stem}.xlsx"
        api.fill(report, output=path)
        result = api.validate(path, json_path=checks / f"{stem}.validation.json").results[0]
        table.add_row(escape(path.name), note, f"[{STATUS_STYLE[result.status]}]{result.status}[/]", str(len(result.errors)),
                      str(len(result.warnings)))
    con.print(table)
    outputs.append(("填好的样例报告", filled))
    outputs.append(("每份报告的校验结果 JSON", checks))

    outputs += _compile(out, filled, con)
    outputs += _render(out)

    con.print("\n[bold]输出文件：[/]")
    for label, path in outputs:
        con.print(f"  {label}：{escape(str(path))}")
    con.print("\n下一步：用 Excel、WPS 或 LibreOffice 打开空白模板试填；"
              "用 [bold]xl-disclosure validate 文件.xlsx[/] 校验。")


def _compile(out: Path, filled: Path, con: Console) -> list[tuple[str, Path]]:
    summary = out / "汇总" / "summary.xlsx"
    summary_json = out / "汇总" / "summary.json"
    summary_csv = out / "汇总" / "long.csv"
    result = api.compile([str(filled)], xlsx=summary, json_path=summary_json, csv_path=summary_csv)
    print_summary(con, result.compilation, result.written)
    made = [("汇总工作簿（含图表）", summary), ("汇总 JSON", summary_json), ("长表 CSV（供 BI 工具）", summary_csv)]
    region = out / "汇总" / "区域汇总报告.docx"
    api.render_summary(summary_json, region)
    return [*made, ("区域汇总报告（Word）", region)]


def _render(out: Path) -> list[tuple[str, Path]]:
    report = seed_report()
    made = []
    for suffix, label in ((".docx", "成稿（Word）"), (".html", "成稿（网页）"), (".md", "成稿（Markdown）")):
        target = out / "成稿" / f"西霞院街道办事处2024年政府信息公开工作年度报告{suffix}"
        api.render_report(report, target)
        made.append((label, target))
    return made

