"""``xl-disclosure schema``: write or check the JSON Schemas derived from the form definition and the summary model."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.cli.common import console


@click.command("schema")
@click.option("--out-dir", default="schema", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="写出 JSON Schema 的文件夹。")
@click.option("--check", is_flag=True, help="只检查文件夹中（及随程序包安装）的 Schema 是否与表单定义一致，不一致时退出码为 1。")
def schema_command(out_dir: Path, check: bool) -> None:
    """由表单定义和汇总模型生成 JSON Schema（report.schema.json、validation.schema.json、summary.schema.json）。

    \b
    例如：
      xl-disclosure schema --out-dir schema
      xl-disclosure schema --check
    """
    result = api.schema(out_dir, check=check)
    if check:
        if result.stale:
            console(stderr=True).print(escape(
                f"以下 Schema 文件缺失或已过期：{'、'.join(str(out_dir / s) for s in result.stale)}。"
                f"请运行 xl-disclosure schema --out-dir {out_dir} 重新生成并提交。"))
            sys.exit(result.exit_code)
        console(info=True).print(escape(f"{out_dir} 中的 Schema 与表单定义一致。"))
        return
    out = console(info=True)
    for path in result.written:
        out.print(escape(f"已写出 {path}"))
