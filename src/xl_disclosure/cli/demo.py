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

from xl_disclosure import api
from xl_disclosure.cli.common import STATUS_STYLE, console, print_table, progress
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
    """用内置样例数据演示全流程：生成模板 → 填报 → 校验 → 汇总 → 成稿。

    \b
    例如：
      xl-disclosure demo
      xl-disclosure demo -o 演示
    """
    from xl_disclosure.writers.template import build_template

    con = console(soft_wrap=False, info=True)
    out = Path(out_dir)
    filled = out / "填报"
    checks = out / "校验结果"
    for d in (out, filled, checks):
        d.mkdir(parents=True, exist_ok=True)
    outputs: list[tuple[str, Path]] = []

    template = out / "report_template.xlsx"
    build_template(template, year=2024)
    outputs.append(("空白填报模板（发给各单位填写）", template))

    rows = []
    samples = sample_reports()
    with progress("填报并校验样例报告", len(samples)) as update:
        for i, (stem, report, note) in enumerate(samples, start=1):
            path = filled / f"{stem}.xlsx"
            api.fill(report, output=path, force=True)  # the demo folder is ours: a re-run replaces its samples
            result = api.validate(path, json_path=checks / f"{stem}.validation.json").results[0]
            rows.append((escape(path.name), note, f"[{STATUS_STYLE[result.status]}]{result.status}[/]",
                         str(len(result.errors)), str(len(result.warnings))))
            update(i, len(samples))
    print_table(con, "样例报告校验结果", ("文件", "说明", "结果", "错误", "警告"), rows)
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
    summary_wide = out / "汇总" / "明细.csv"
    with progress("汇总") as update:
        result = api.compile([str(filled)], xlsx=summary, json_path=summary_json, csv_path=summary_csv,
                             wide_csv=summary_wide, progress=lambda done, total: update(done, total),
                             write_progress=lambda what, done, total: update(done, total, label=what))
    print_summary(con, result.compilation, result.written)
    made = [("汇总工作簿（含图表）", summary), ("汇总 JSON", summary_json), ("宽表 CSV（每个机关一行，供 Excel）", summary_wide),
            ("长表 CSV（供 BI 工具和 pandas）", summary_csv)]
    region = out / "汇总" / "区域汇总报告.docx"
    with progress("生成区域汇总报告"):
        api.render_summary(summary_json, region)
    return [*made, ("区域汇总报告（Word）", region)]


def _render(out: Path) -> list[tuple[str, Path]]:
    report = seed_report()
    made = []
    with progress("生成成稿"):
        for suffix, label in ((".docx", "成稿（Word）"), (".html", "成稿（网页）"), (".md", "成稿（Markdown）")):
            target = out / "成稿" / f"西霞院街道办事处2024年政府信息公开工作年度报告{suffix}"
            api.render_report(report, target)
            made.append((label, target))
    return made

