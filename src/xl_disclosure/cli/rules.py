"""``rules``: the rule catalogue — every rule's id, severity, what it checks and an example."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import click
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.cli.common import console, print_json, stdout_utf8
from xl_disclosure.errors import UsageError
from xl_disclosure.writers.atomic import json_text, write_text_atomic
from xl_disclosure.writers.rules_doc import SEVERITY_TEXT

SEVERITY_STYLE = {"error": "red", "warning": "yellow"}


def rule_options(command: Callable[..., None]) -> Callable[..., None]:
    """--select, --ignore and --config, shared by every command that runs rules: validate, compile, merge,
    parse --validate and compare (see :func:`api.rule_selection`)."""
    command = click.option("--config", metavar="FILE",
                           help="项目文件（默认用输入文件旁边或当前文件夹中的 xl-disclosure.toml）。")(command)
    command = click.option("--ignore", multiple=True, metavar="规则",
                           help="不运行这些规则（编号或前缀，如 input.coerced、narrative；可用逗号分隔或写多次）。")(command)
    return click.option("--select", multiple=True, metavar="规则",
                        help="只运行这些规则（编号或前缀，如 s3、input；可用逗号分隔或写多次）。")(command)


def selected_rules(inputs: Sequence[str], config: str | None, select: tuple[str, ...],
                   ignore: tuple[str, ...]) -> api.RuleSelection:
    """The rules the options and the project file choose (a bad one is a UsageError: exit 2, naming it)."""
    return api.rule_selection(inputs, config=config, select=list(select) or None, ignore=list(ignore))


@click.command("rules")
@click.argument("selectors", nargs=-1, metavar="[规则或前缀...]")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：每条规则的编号、级别、标题、检查内容、提示语和例子。")
@click.option("--markdown", is_flag=True, help="输出 docs/rules.md 的内容（Markdown）。")
@click.option("-o", "--output", metavar="OUT", help="写到文件而不是屏幕（与 --json 或 --markdown 一起用）。")
def rules_command(selectors: tuple[str, ...], as_json: bool, markdown: bool, output: str | None) -> None:
    """列出全部校验规则：编号、级别、标题、检查什么、一个例子。

    \b
    例如：
      xl-disclosure rules                 全部规则
      xl-disclosure rules narrative s3    只列 narrative.* 和 s3.* 规则
      xl-disclosure rules --json          JSON 格式
    validate、compile、merge、parse --validate、compare 都可以用 --select、--ignore
    或项目文件 xl-disclosure.toml 选用和关闭规则，见 docs/rules.md。
    """
    if as_json and markdown:
        raise UsageError("--json 和 --markdown 只能选一个。")
    if markdown and selectors:
        raise UsageError("--markdown 输出整页文档，不能只选部分规则。")
    if output and not (as_json or markdown):
        raise UsageError("-o 只用于 --json 或 --markdown。")
    chosen = api.rules(selectors)
    if markdown or as_json:
        data = [r.to_json() for r in chosen]
        if output:
            write_text_atomic(output, api.rules_markdown() if markdown else json_text(data))
        elif markdown:
            with stdout_utf8() as stream:
                stream.write(api.rules_markdown())
        else:
            print_json(data)
        return
    out = console()
    for r in chosen:
        style = SEVERITY_STYLE[r.severity.value]
        out.print(f"[bold]{r.id}[/] [{style}]{SEVERITY_TEXT[r.severity]}[/] {escape(r.title)}")
        out.print(f"    检查：{escape(r.description)}")
        out.print(f"    例如：{escape(r.example_finding().message)}")
    out.print(f"共 {len(chosen)} 条规则。")
