"""``serve``: the collection service (clerks upload, the office watches and compiles); ``serve tokens``, ``serve password``.

Needs the ``[serve]`` extra (``pip install "xl-disclosure[serve]"``).
"""

from __future__ import annotations

import asyncio
import getpass
import importlib.util
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from xl_disclosure import api
from xl_disclosure.cli import zh
from xl_disclosure.cli.common import console
from xl_disclosure.cli.demo import sample_reports
from xl_disclosure.model.agency import Agency
from xl_disclosure.model.samples import AGENCY_NAMES

if TYPE_CHECKING:
    from xl_disclosure.serve import Service

#: What the [serve] extra installs (import names); the command says so when one is missing.
SERVE_MODULES = ("starlette", "uvicorn", "jinja2", "multipart", "sqlalchemy", "alembic", "argon2", "itsdangerous")

DEFAULT_DATA = "xl-disclosure-data"
#: Demo agencies that have not reported yet (from the sample names).
DEMO_SILENT = 3


def storage_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option("--db", metavar="URL",
                           help="PostgreSQL 数据库地址（postgresql://用户:密码@主机/库名）；省略时用数据文件夹中的 SQLite。")(command)
    return click.option("--data", "data_dir", default=DEFAULT_DATA, show_default=True,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="数据文件夹：数据库、上传的文件、汇总结果都在这里（备份就是复制这个文件夹）。")(command)


def require_extra() -> None:
    missing = [m for m in SERVE_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise api.UsageError(f"报送系统需要额外的组件（缺少 {'、'.join(missing)}）。请先安装："
                             f"pip install \"xl-disclosure[serve]\"")


def open_service(data_dir: Path, db: str | None, **options: object) -> Service:
    require_extra()
    from xl_disclosure.serve import ServeConfig, Service  # the [serve] extra, checked just above

    return Service(ServeConfig(data_dir=data_dir, db_url=db, **options))  # type: ignore[arg-type]


def import_list(svc: Service, agencies: Path | None) -> str | None:
    if agencies is None:
        return None
    listed = api.read_agency_list(agencies)
    added, known = svc.store.import_agencies(listed)
    return f"应报送机关名单 {agencies}（{listed.describe()}）：新增 {added} 个机关，{known} 个已在名单中。"


class ServeGroup(click.Group):
    """``serve`` and its subcommands, which get what every command has (Chinese help, -q/-v) from the group."""

    context_class = zh.Context

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            command.context_class = zh.Context
            command.options_metavar = "[选项]"
            shared = [p for p in self.params if p.name in ("quiet", "verbose")]
            if not any(p.name in ("quiet", "verbose") for p in command.params):
                command.params += shared
        return command


@click.group("serve", cls=ServeGroup, invoke_without_command=True)
@storage_options
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；要让其他电脑访问，用本机的内网地址或 0.0.0.0。")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口。")
@click.option("--agencies", type=click.Path(dir_okay=False, path_type=Path), metavar="名单.csv",
              help="应报送机关名单（与 template --agencies 相同的 CSV）；启动时导入新增的机关，已有的不变。")
@click.option("--max-upload-mb", default=20, show_default=True, type=click.IntRange(1, 500), help="单个上传文件的大小上限（MB）。")
@click.option("--workers", default=None, type=click.IntRange(1, 32), help="校验进程数（默认按 CPU 核数，最多 4）。")
@click.option("--https-only", is_flag=True, help="会话 Cookie 只通过 HTTPS 发送（服务放在 HTTPS 反向代理之后时使用）。")
@click.option("--demo", is_flag=True, help="演示：用样例机关和几份样例报送启动，打印办公室密码和各机关的上传地址。")
@click.pass_context
def serve_command(ctx: click.Context, data_dir: Path, db: str | None, host: str, port: int, agencies: Path | None,
                  max_upload_mb: int, workers: int | None, https_only: bool, demo: bool) -> None:
    """报送系统：各单位在自己的上传页面提交报表并立即看到校验结果，汇总单位在网页上查看报送情况并汇总。

    \b
    例如：
      xl-disclosure serve --demo
      xl-disclosure serve --data 报送数据 --agencies 名单.csv --host 0.0.0.0
      xl-disclosure serve tokens --data 报送数据 -o 上传地址.csv --base-url http://10.1.2.3:8000
    --demo 用样例机关和样例报送演示。按 Ctrl+C 停止。说明见 docs/serve.md。
    """
    if ctx.invoked_subcommand is not None:
        return
    out = console()
    check_port(host, port)
    if demo and ctx.get_parameter_source("data_dir") is click.core.ParameterSource.DEFAULT:
        data_dir = Path(tempfile.mkdtemp(prefix="xl-disclosure-serve-demo-"))
    options: dict[str, object] = {"max_upload_bytes": max_upload_mb << 20, "https_only": https_only}
    if workers is not None:
        options["workers"] = workers
    svc = open_service(data_dir, db, **options)
    base_url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    try:
        note = import_list(svc, agencies)
        if note:
            out.print(escape(note))
        password = svc.ensure_password()
        if demo:
            password = seed_demo(svc, base_url)
        out.print(f"数据文件夹：{escape(str(data_dir.resolve()))}（数据库：{escape(db_label(svc))}）")
        if password:
            out.print(f"[bold]办公室密码：{escape(password)}[/]（只显示这一次；忘记时用 xl-disclosure serve password 重设）")
        if not svc.store.agencies():
            out.print("[yellow]还没有应报送机关：[/]用 --agencies 名单.csv 导入，再用 xl-disclosure serve tokens 生成上传地址。")
        svc.warm_up()
    except BaseException:
        svc.close()
        raise
    from xl_disclosure.serve import create_app
    from xl_disclosure.serve.listen import listen

    app = create_app(svc.config, service=svc)
    try:
        started = listen(app, host, port, lambda: out.print(
            f"[bold green]报送系统已启动：[/]{base_url}/office （汇总单位登录）　按 Ctrl+C 停止。"))
    finally:
        svc.close()
    if not started:
        raise api.UsageError(f"无法在 {host}:{port} 上启动报送系统（见上面的提示）；请换一个 --port 再试。")
    out.print("报送系统已停止。")


def check_port(host: str, port: int) -> None:
    """Say in Chinese that the address is taken, before anything starts (uvicorn would only log it)."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as exc:
        raise api.UsageError(f"无法在 {host}:{port} 上启动：{exc.strerror or exc}（端口已被占用时请换一个 --port，"
                             f"或先停止占用它的程序）。") from exc


def db_label(svc: Service) -> str:
    return svc.engine.url.render_as_string(hide_password=True)


def seed_demo(svc: Service, base_url: str) -> str:
    """Sample agencies, a few submissions (passing, failing, typed like clerks type), the links; the password."""
    out = console()
    samples = sample_reports()
    names = [report.agency for _stem, report, _note in samples]
    silent = [n for n in AGENCY_NAMES if n not in names][:DEMO_SILENT]
    svc.store.import_agencies([Agency(n, "") for n in [*names, *silent]])
    issued = svc.store.issue_tokens()
    by_name = {a.name: a for a, _t in issued}
    with tempfile.TemporaryDirectory(prefix="serve-demo-") as tmp:
        for i, (stem, report, _note) in enumerate(samples):
            if i in (2, len(samples) - 1):  # two of them have not reported yet
                continue
            path = api.fill(report, output=Path(tmp) / f"{stem}.xlsx").written
            asyncio.run(svc.submit(by_name[report.agency], path, path.name))
    from xl_disclosure.serve.security import new_password

    password = new_password()
    svc.set_password(password)
    out.print("[bold]演示机关的上传地址：[/]")
    for agency, token in issued:
        out.print(f"  {escape(agency.name)}：{base_url}/u/{token}")
    return password


@serve_command.command("tokens")
@storage_options
@click.option("--agencies", type=click.Path(dir_okay=False, path_type=Path), metavar="名单.csv",
              help="先导入这个应报送机关名单（新增的机关）。")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="上传地址.csv",
              help="写出的 CSV：机关名称、统一社会信用代码、上传地址（用 Excel 打开即可邮件合并）。")
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True, metavar="地址",
              help="各单位访问本系统的地址（本机的内网地址和端口）。")
@click.option("--reissue", is_flag=True, help="为所有机关重新生成上传地址：旧地址立即作废。")
def tokens_command(data_dir: Path, db: str | None, agencies: Path | None, output: Path, base_url: str,
                   reissue: bool) -> None:
    """为尚无上传地址的机关生成上传地址，写成 CSV（地址只在生成时给出一次，系统里只存它的摘要）。

    \b
    例如：
      xl-disclosure serve tokens --data 报送数据 --agencies 名单.csv -o 上传地址.csv --base-url http://10.1.2.3:8000
      xl-disclosure serve tokens --data 报送数据 -o 上传地址.csv --reissue
    """
    out = console()
    svc = open_service(data_dir, db)
    try:
        note = import_list(svc, agencies)
        if note:
            out.print(escape(note))
        issued = svc.store.issue_tokens(reissue=reissue)
        svc.write_tokens_file(output, issued, base_url)
    finally:
        svc.close()
    if issued:
        out.print(f"已为 {len(issued)} 个机关生成上传地址，写出 {escape(str(output))}。请分别发给各单位，不要群发。")
    else:
        out.print(f"所有机关都已有上传地址，没有新生成（{escape(str(output))} 只有表头）。要全部重新生成请加 --reissue。")


@serve_command.command("password")
@storage_options
def password_command(data_dir: Path, db: str | None) -> None:
    """设置汇总单位的登录密码（输入两次；至少 8 个字符）。

    \b
    例如：
      xl-disclosure serve password --data 报送数据
    """
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise api.UsageError("两次输入的密码不一致，密码未改。")
    svc = open_service(data_dir, db)
    try:
        svc.set_password(first)
    finally:
        svc.close()
    console().print("密码已设置。")
