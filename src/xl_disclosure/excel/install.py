"""Installing the 校验 button on a clerk's Windows PC: the add-in into XLSTART, the Python path into xlwings' settings.

:func:`install_excel` installs for the user running it (Windows only);
:func:`install_for_user` does the same into given folders, on any system, for
tests and for IT staff preparing a user profile.
"""

from __future__ import annotations

import locale
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.excel.build import ADDIN_PROJECT_NAME, STANDALONE_PROJECT_NAME, BuildError, addin_bytes
from xl_disclosure.writers.atomic import OutputError, write_atomic

PINNED_XLWINGS = "0.37.8"
ADDIN_FILE = "xl_disclosure.xlam"

NOT_WINDOWS = (
    "install-excel 只能在 Windows 电脑上运行：它把“校验”加载项装进本机 Excel，并写入 Python 路径设置。\n"
    "当前系统不是 Windows。\n"
    "· 在本机校验报表：xl-disclosure validate 报表.xlsx\n"
    "· 为 Windows 电脑准备加载项：xl-disclosure addin -o xl_disclosure.xlam，再按 docs/excel.md 安装；\n"
    "· WPS 用户不能使用 Excel 按钮：请用上面的命令行校验，或直接看模板“校验”工作表的实时检查结果。"
)


class InstallError(XlDisclosureError):
    """The button cannot be installed on this PC (not Windows, no user folders, no Python); Chinese message."""


@dataclass
class InstallReport:
    """What was installed: the add-in file, the settings files written, the interpreter they name."""

    addin: Path
    configs: list[Path] = field(default_factory=list)
    interpreter: str = ""
    warnings: list[str] = field(default_factory=list)


def portable_path(path: str, env: Mapping[str, str]) -> str:
    """Replace a leading %LOCALAPPDATA%/%APPDATA%/%USERPROFILE% folder by the variable.

    xlwings' VBA reads its settings file in the ANSI code page and expands
    environment variables, so this keeps a user name with Chinese characters
    out of the file.
    """
    for var in ("LOCALAPPDATA", "APPDATA", "USERPROFILE"):
        base = env.get(var)
        if base and path.lower().startswith(base.rstrip("\\/").lower() + "\\"):
            return f"%{var}%" + path[len(base.rstrip("\\/")):]
    return path


def update_conf(path: Path, settings: Mapping[str, str], encoding: str) -> None:
    """Set keys in an xlwings settings file (lines ``"KEY","VALUE"``), keeping the other lines."""
    lines: list[str] = []
    if path.exists():
        text = path.read_bytes().decode(encoding, errors="replace")
        wanted = {k.upper() for k in settings}
        for line in text.splitlines():
            key = line.split(",", 1)[0].strip().strip('"').upper()
            if key and key not in wanted:
                lines.append(line)
    lines += [f'"{k}","{v}"' for k, v in settings.items()]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding, errors="strict")
    write_atomic(path, lambda tmp: tmp.write_bytes(data))


def install_for_user(*, appdata: Path, userprofile: Path, interpreter: str, pythonpath: str | None = None,
                     env: Mapping[str, str] | None = None, encoding: str | None = None) -> InstallReport:
    """The add-in into ``appdata``'s XLSTART and the interpreter into the xlwings settings files in ``userprofile``."""
    env = dict(os.environ if env is None else env)
    encoding = encoding or locale.getpreferredencoding(False)
    settings = {"INTERPRETER_WIN": portable_path(interpreter, env)}
    if pythonpath:
        settings["PYTHONPATH"] = pythonpath
    report = InstallReport(addin=appdata / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE,
                           interpreter=settings["INTERPRETER_WIN"])
    import xlwings  # when needed, as everywhere in this package: importing it is slow

    if xlwings.__version__ != PINNED_XLWINGS:
        report.warnings.append(f"本机安装的 xlwings 是 {xlwings.__version__}，加载项中的 VBA 对应 {PINNED_XLWINGS}；"
                               f"请运行 pip install xlwings=={PINNED_XLWINGS}。")
    data = addin_bytes()
    write_atomic(report.addin, lambda tmp: tmp.write_bytes(data))
    for project in (ADDIN_PROJECT_NAME, STANDALONE_PROJECT_NAME):
        conf = userprofile / f".{project}" / f"{project}.conf"
        try:
            update_conf(conf, settings, encoding)
        except UnicodeEncodeError:
            raise OutputError(f"Python 路径“{settings['INTERPRETER_WIN']}”含有本机代码页无法表示的字符，"
                              f"请把 Python 安装到只含英文字符的文件夹。") from None
        report.configs.append(conf)
    return report


def install_excel(*, interpreter: str | None = None, pythonpath: str | None = None) -> InstallReport:
    """Install the button for the user running this (Windows only); ``interpreter`` defaults to this Python.

    Raises :class:`InstallError` off Windows, without the user's folders, when the interpreter is missing,
    or when the files cannot be written.
    """
    if not sys.platform.startswith("win"):
        raise InstallError(NOT_WINDOWS)
    appdata, userprofile = os.environ.get("APPDATA"), os.environ.get("USERPROFILE")
    if not appdata or not userprofile:
        raise InstallError("找不到 APPDATA 或 USERPROFILE 环境变量，无法确定 Excel 启动文件夹。请以普通用户身份在命令提示符中运行。")
    exe = interpreter or sys.executable
    if not Path(exe).is_file():
        raise InstallError(f"找不到 Python：{exe}。请用 --interpreter 指定 python.exe 的完整路径。")
    try:
        return install_for_user(appdata=Path(appdata), userprofile=Path(userprofile), interpreter=exe,
                                pythonpath=pythonpath)
    except (BuildError, OutputError) as exc:
        raise InstallError(f"安装失败：{exc}") from exc
