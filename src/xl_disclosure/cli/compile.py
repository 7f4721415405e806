"""``compile`` and ``merge``: validate and aggregate the reports returned by many agencies."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import IO

import click
from rich.console import Console
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.cli.common import QUIET, STATUS_STYLE, VERBOSE, console, progress, stdout_utf8, verbosity
from xl_disclosure.cli.rules import rule_options, selected_rules
from xl_disclosure.model.summary import SAME_REPORT, Compilation


def _json_target(json_out: str | None) -> contextlib.AbstractContextManager[IO[str] | str | None]:
    """Where --json goes: standard output (UTF-8) for "-", else the file named (or nowhere)."""
    return stdout_utf8() if json_out == "-" else contextlib.nullcontext(json_out)


@click.command("compile")
@click.argument("inputs", nargs=-1, required=True, metavar="输入...")
@click.option("-o", "--output", required=True, metavar="汇总.xlsx", help="汇总工作簿（汇总表、校验状态、明细、未报送与重复、图表）。")
@click.option("--json", "json_out", metavar="汇总.json|-",
              help="汇总结果 JSON（下一年可作为 --prior 使用）；“-”表示输出到屏幕（文字摘要改为输出到标准错误）。")
@click.option("--csv", "csv_out", metavar="long.csv",
              help="长表格式 CSV（每个机关每个数据项一行：数值、文字分列），供 BI 工具和 pandas 使用；机关多时超过 Excel 的行数上限。")
@click.option("--wide-csv", metavar="明细.csv", help="宽表格式 CSV（每个机关一行、每个数据项一列），可直接用 Excel 打开。")
@click.option("--parquet", metavar="long.parquet", help="长表格式的 Parquet 文件（需安装 pyarrow：pip install \"xl-disclosure[parquet]\"）。")
@click.option("--expected", metavar="名单.csv", help="应报送机关名单 CSV，列名：机关名称,统一社会信用代码（也可用 name,uscc）；UTF-8、GBK 或 UTF-16 编码。")
@click.option("--prior", metavar="上年.json", help="上年的汇总 JSON（或一份上年报告），用于各机关跨年度衔接核对、同比图表、重复率和“异常变化”表。")
@click.option("--year", type=click.IntRange(2021, 2100), metavar="年度", help="本次汇总的报告年度；年度不符的文件不计入。")
@click.option("--jobs", type=click.IntRange(1, 256), metavar="N", help="并行进程数（默认为 CPU 核数）。")
@click.option("--strict", is_flag=True, help="有警告的文件也视为不合格（退出码 1）。")
@click.option("--include-invalid", is_flag=True, help="未通过校验但能读取的报告也计入汇总（汇总表中会注明）。")
@click.option("--prefer", multiple=True, metavar="文件",
              help="同一机关同一年度收到内容不同的几份报告时，计入这一份（路径或文件名；可多次给出，每个机关一份）。")
@rule_options
def compile_command(inputs: tuple[str, ...], output: str, json_out: str | None, csv_out: str | None,
                    wide_csv: str | None, parquet: str | None,
                    expected: str | None, prior: str | None, year: int | None, jobs: int | None,
                    strict: bool, include_invalid: bool, prefer: tuple[str, ...], select: tuple[str, ...],
                    ignore: tuple[str, ...], config: str | None) -> None:
    """汇总各机关报送的年度报告：逐个校验、合计全区域数字、找出未报送和重复报送。

    \b
    输入可以是文件、文件夹（含子文件夹）或通配符，例如：
      xl-disclosure compile 收到的报表/ -o 汇总.xlsx --json 汇总.json --expected 名单.csv --year 2024
    每个文件在“校验状态”中占一行：通过 / 有警告 / 不通过 / 无法读取 / 重复报送。
    坏文件不会中断汇总。默认只合计校验通过（含有警告）的报告。
    同一机关同一年度收到几份内容不同的报告时，从不按文件顺序取舍：都不计入，列为待决定的重复报送，
    用 --prefer 文件（或名单的“文件名”列）指定计入哪一份；内容完全相同的只计入一份。
    退出码：0 = 所有文件都能读取且通过；
            1 = 有不通过或无法读取的文件，或有待决定的重复报送
                （--strict 时有警告或重复报送也算）；
            2 = 用法错误。
    """
    err = console(stderr=True)
    out = err if json_out == "-" else console()
    rules = selected_rules(inputs, config, select, ignore)
    listed = _read_list(out, expected)
    with _json_target(json_out) as json_path, progress("校验与汇总") as update:
        result = api.compile(list(inputs), xlsx=output, json_path=json_path, csv_path=csv_out, wide_csv=wide_csv,
                             parquet=parquet, strict=strict, year=year, expected=listed, prior=prior,
                             include_invalid=include_invalid, jobs=jobs or api.default_jobs(),
                             progress=lambda done, total: update(done, total), write_progress=_writing(update),
                             rules=rules, exclude=[expected] if expected else [],  # the list may sit among the reports
                             prefer=prefer)
    print_summary(out, result.compilation, result.written)
    sys.exit(result.exit_code)


@click.command("merge")
@click.argument("summaries", nargs=-1, required=True, metavar="汇总.json...")
@click.option("-o", "--output", required=True, metavar="合并.xlsx", help="合并后的汇总工作簿（与 compile 的相同）。")
@click.option("--json", "json_out", metavar="合并.json|-",
              help="合并后的汇总 JSON（可再次合并，也可作为下一年的 --prior）；“-”表示输出到屏幕。")
@click.option("--csv", "csv_out", metavar="long.csv", help="长表格式 CSV（每个机关每个数据项一行），供 BI 工具和 pandas 使用。")
@click.option("--wide-csv", metavar="明细.csv", help="宽表格式 CSV（每个机关一行、每个数据项一列），可直接用 Excel 打开。")
@click.option("--parquet", metavar="long.parquet", help="长表格式的 Parquet 文件（需安装 pyarrow）。")
@click.option("--expected", metavar="名单.csv", help="全区域应报送机关名单 CSV，用于列出未报送的机关。")
@click.option("--year", type=click.IntRange(2021, 2100), metavar="年度", help="合并哪一年度；各汇总年度不同时必须指定。")
@click.option("--strict", is_flag=True, help="有警告的文件也视为不合格（退出码 1）。")
@click.option("--prefer", multiple=True, metavar="文件",
              help="同一机关在几份汇总中的报告内容不同时，计入这一份（如“东县：收到/a.xlsx”或文件名；可多次给出）。")
@rule_options
def merge_command(summaries: tuple[str, ...], output: str, json_out: str | None, csv_out: str | None,
                  wide_csv: str | None, parquet: str | None, expected: str | None, year: int | None,
                  strict: bool, prefer: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
                  config: str | None) -> None:
    """合并几份汇总结果：县汇总成市、市汇总成省，或分给几台机器汇总的一批文件。

    输入是 compile --json 写出的汇总 JSON，输出与 compile 相同。

    \b
    例如：
      xl-disclosure merge 各县/*.json -o 全市汇总.xlsx --json 全市汇总.json --expected 全市名单.csv
    每个文件的校验状态原样保留（文件名前加上它来自哪份汇总）；合计按各机关报告重新相加，
    同一机关同一年度出现在两份汇总中：报告相同的只计一次（以先给出的汇总为准）；报告不同的都不计入，
    待用 --prefer 指定计入哪一份。都在“未报送与重复”中列出。
    原汇总未计入的机关没有保存数字，合并后也不计入。
    各文件的问题按合并时的规则设置（汇总 JSON 旁边的 xl-disclosure.toml、--config、--select、--ignore）
    重新判定；合并时要运行的规则若在某份汇总中没有运行，会拒绝合并并说明原因。
    退出码：0 = 所有文件都能读取且通过；
            1 = 有不通过或无法读取的文件，或有待决定的重复报送
                （--strict 时有警告或重复报送也算）；
            2 = 用法错误。
    """
    out = console(stderr=True) if json_out == "-" else console()
    rules = selected_rules(summaries, config, select, ignore)
    listed = _read_list(out, expected)
    with _json_target(json_out) as json_path, progress("合并汇总结果") as merging:
        result = api.merge(summaries, xlsx=output, json_path=json_path, csv_path=csv_out, wide_csv=wide_csv,
                           parquet=parquet, strict=strict, year=year, expected=listed, rules=rules,
                           write_progress=_writing(merging), prefer=prefer)
    print_summary(out, result.compilation, result.written)
    sys.exit(result.exit_code)


def _read_list(out: Console, path: str | None) -> api.AgencyList | None:
    """The agency list of --expected, saying how it was read (encoding, delimiter, rows)."""
    if path is None:
        return None
    listed = api.read_expected(path)
    console(stderr=out.stderr, info=True).print(f"应报送机关名单 {escape(path)}：{listed.describe()}。")
    return listed


def _writing(update: Callable[..., None]) -> Callable[[str, int, int], None]:
    """write_outputs' progress (what, done, total) on the progress display."""
    def show(what: str, done: int, total: int) -> None:
        update(done, total, label=what)

    return show


def print_summary(out: Console, comp: Compilation, written: list[str]) -> None:
    """The files with problems (every file with -v), the tally, what was counted, missing and duplicate agencies,
    the outputs; with --quiet only the files with problems and the missing agencies."""
    listed = comp.rows if verbosity() == VERBOSE else [r for r in comp.rows if r.status in ("不通过", "无法读取")]
    cap = len(listed) if verbosity() == VERBOSE else 50
    for r in listed[:cap]:
        reason = r.first[0] if r.first else ""
        out.print(f"[{STATUS_STYLE[r.status]}]{r.status}[/] {escape(r.file)} · {escape(reason)}")
    if len(listed) > cap:
        out.print(f"……另有 {len(listed) - cap} 个文件有问题，见汇总工作簿“校验状态”工作表。")
    tally = comp.tally()
    info = out if verbosity() != QUIET else console(stderr=out.stderr, info=True)
    info.print(f"共 {len(comp.rows)} 个文件：" + "，".join(f"[{STATUS_STYLE[k]}]{k}[/] {v}" for k, v in tally.items()
                                                          if v or k != SAME_REPORT))
    info.print(escape(comp.included_text()))
    if comp.expected is not None:
        out.print(f"应报送 {len(comp.expected)} 个机关，未报送 {len(comp.missing)} 个"
                  + ("：" + "、".join(escape(a.name or a.uscc) for a in comp.missing[:20]) if comp.missing else "")
                  + ("……" if len(comp.missing) > 20 else "") + "。")
        if comp.received_unreadable:
            shown = "、".join(escape(a.name or a.uscc) for a, _ in comp.received_unreadable[:20])
            out.print(f"已报送（格式不符）{len(comp.received_unreadable)} 个：{shown}"
                      + ("……" if len(comp.received_unreadable) > 20 else "") + "（文件无法读取，见“校验状态”中的提示）。")
    mismatched = sum(1 for r in comp.rows if "机关名称与代码和名单不一致" in r.note)
    if mismatched:
        out.print(f"封面的机关名称与统一社会信用代码和名单不一致的文件 {mismatched} 个（identity.mismatch），请核对。")
    conflicts = comp.conflicts
    formats = sum(1 for d in comp.duplicates if d.decided == "format")
    decided = len(comp.duplicates) - len(conflicts) - formats
    if decided:
        out.print(f"重复报送 {decided} 起已决定，每个机关只计入一份（见“未报送与重复”工作表）。")
    if formats:
        out.print(f"同一份已发布报告收到几种格式（如 PDF 与网页）的 {formats} 起，读出的数字一致，每起只计入一份"
                  f"（见“未报送与重复”工作表）。")
    if conflicts:
        out.print(f"[bold red]待决定的重复报送 {len(conflicts)} 起[/]：同一机关收到内容不同的几份报告，都未计入汇总。"
                  f"请核实后用 --prefer 文件 指定计入哪一份，再重新汇总：")
        for d in conflicts[:20]:
            out.print(f"  {escape(d.agency or d.uscc)}：" + "、".join(escape(f) for f in d.files))
        if len(conflicts) > 20:
            out.print(f"  ……另有 {len(conflicts) - 20} 起，见“未报送与重复”工作表。")
    info.print("已写出 " + "、".join(escape(w) for w in written))
