"""Command-line entry point: ``xl-disclosure`` / ``python -m xl_disclosure``.

Each command lives in a thin module over :mod:`xl_disclosure.api` (parsing
options, printing results); this group only knows their names, and imports a
command's module when that command is run, so ``xl-disclosure validate`` never
pays for importing the renderer.

Every command gets the same -q/--quiet and -v/--verbose options, help and
click's own messages in Chinese (:mod:`.zh`), and ``-h``.

Exit codes shared by every command: 0 success, 1 findings (errors), 2 a file
could not be read or a usage error.  Every error the library raises
(:class:`~xl_disclosure.errors.XlDisclosureError`) ends the same way, here:
its Chinese message on standard error and exit code 2.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import signal
import sys

import click

from xl_disclosure import __version__
from xl_disclosure.cli import zh
from xl_disclosure.cli.common import fail_on, set_verbosity
from xl_disclosure.errors import XlDisclosureError

zh.install()

#: command name -> "module:attribute" (a module of this package, xl_disclosure.cli)
COMMANDS: dict[str, str] = {
    "demo": "demo:demo_command",
    "template": "template:template_command",
    "fields": "fields:fields_command",
    "schema": "schema:schema_command",
    "rules": "rules:rules_command",
    "validate": "validate:validate_command",
    "export": "validate:export_command",
    "fill": "validate:fill_command",
    "compile": "compile:compile_command",
    "merge": "compile:merge_command",
    "render": "render:render_command",
    "parse": "parse:parse_command",
    "compare": "parse:compare_command",
    "addin": "excel:addin_command",
    "install-excel": "excel:install_excel_command",
    "serve": "serve:serve_command",
}


class LazyGroup(click.Group):
    context_class = zh.Context

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(f".{module_name}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{module_name}":
                return None
            raise
        command = getattr(module, attr)
        assert isinstance(command, click.Command)
        return _shared(command)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except XlDisclosureError as exc:
            fail_on(exc)

    @staticmethod
    def _available(name: str) -> bool:
        module_name = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(f".{module_name}", __package__) is not None


def _quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    _verbosity(quiet=value)


def _verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    _verbosity(verbose=value)


def _verbosity(**level: bool) -> None:
    try:
        set_verbosity(**level)
    except XlDisclosureError as exc:
        raise click.UsageError(str(exc)) from None


SHARED_OPTIONS = ("quiet", "verbose")


def _shared(command: click.Command) -> click.Command:
    """What every command has: -q/--quiet, -v/--verbose, Chinese help ([选项], 用法：, aligned by display width)."""
    command.context_class = zh.Context
    command.options_metavar = "[选项]"
    if not any(p.name in SHARED_OPTIONS for p in command.params):
        command.params += [
            click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, is_eager=True, callback=_quiet,
                         help="安静：只输出问题和错误（不显示进度、摘要和“已写出”等提示）。"),
            click.Option(["-v", "--verbose"], is_flag=True, expose_value=False, is_eager=True, callback=_verbose,
                         help="详细：另外说明读取的文件编码，汇总时列出每个文件的结果。"),
        ]
    return command


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS, options_metavar="[选项]",
             subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, "-V", "--version", prog_name="xl-disclosure")
def cli() -> None:
    """政府信息公开工作年度报告工具：生成填报模板、校验、汇总、成稿与审核。

    \b
    快速开始：
      xl-disclosure demo                      用内置样例数据演示全流程
      xl-disclosure template -o 模板.xlsx     生成填报模板
      xl-disclosure validate 报告.xlsx        校验填好的报告
    每个命令的用法：xl-disclosure 命令 -h
    """
    set_verbosity(quiet=False, verbose=False)


def _terminated(signum: int, _frame: object) -> None:
    """SIGTERM ends a command as Ctrl-C does: cleanup runs (temporary folders, half-written outputs)."""
    raise SystemExit(128 + signum)


def main() -> None:
    with contextlib.suppress(ValueError, OSError, AttributeError):  # not in the main thread; no SIGTERM
        signal.signal(signal.SIGTERM, _terminated)
    # Text the console's encoding cannot show (𠮷 on a GBK console, or any Chinese on an ASCII one) is
    # written as a visible escape, \U00020bb7, never as "?" and never as a crash (UnicodeEncodeError).
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
    cli(prog_name="xl-disclosure")

