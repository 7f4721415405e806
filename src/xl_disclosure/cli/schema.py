"""``xl-disclosure schema``: write or check the JSON Schemas derived from the form definition."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xl_disclosure import api
from xl_disclosure.writers.atomic import OutputError


@click.command("schema")
@click.option("--out-dir", default="schema", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="写出 JSON Schema 的文件夹。")
@click.option("--check", is_flag=True, help="只检查文件夹中的 Schema 是否与表单定义一致，不一致时退出码为 1。")
def schema_command(out_dir: Path, check: bool) -> None:
    """由表单定义生成 JSON Schema（report.schema.json、validation.schema.json）。"""
    if check:
        stale = api.stale_schemas(out_dir)
        if stale:
            click.echo(f"以下 Schema 文件缺失或已过期：{'、'.join(str(out_dir / s) for s in stale)}。"
                       f"请运行 xl-disclosure schema --out-dir {out_dir} 重新生成并提交。", err=True)
            sys.exit(1)
        click.echo(f"{out_dir} 中的 Schema 与表单定义一致。")
        return
    try:
        for path in api.write_schemas(out_dir):
            click.echo(f"已写出 {path}")
    except OutputError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
