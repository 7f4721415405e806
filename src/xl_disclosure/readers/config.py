"""The project file ``xl-disclosure.toml``: which rules run, and at which severity.

::

    [rules]
    select = ["s3", "input", "cover"]      # optional: only these rules (ids or prefixes)
    ignore = ["input.coerced"]             # these do not run (ignore wins over select)

    [rules.severity]
    "cover.phone" = "error"                # or "warning"; 错误 / 警告 are accepted too

The file is looked for beside the inputs (the folder given, or the folder of
the file given), then in the working directory; ``--config FILE`` names it.
The Excel button reads the one beside the workbook.  Anything the file gets
wrong — bad TOML, an unknown key, an unknown rule id — is a UsageError naming
the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xl_disclosure.errors import UsageError
from xl_disclosure.form import RuleSelection, Severity
from xl_disclosure.form.selection import ALL_RULES, SEVERITY_WORDS, check_selectors
from xl_disclosure.model.inputs import InputFileError, read_capped

PROJECT_FILE = "xl-disclosure.toml"
_RULES_KEYS = ("select", "ignore", "severity")
#: A project file is a few lines; anything far larger is not one.
_MAX_BYTES = 1024 * 1024


def _search_dirs(inputs: Sequence[str | Path]) -> list[Path]:
    dirs: list[Path] = []
    for raw in inputs:
        p = Path(raw)
        while any(ch in p.name for ch in "*?[") and p != p.parent:  # a pattern: the folder it starts in
            p = p.parent
        d = p if p.is_dir() else p.parent
        if d not in dirs:
            dirs.append(d)
    return dirs


def find_project_file(inputs: Sequence[str | Path], cwd: Path | None = None) -> Path | None:
    """The project file beside the inputs, else in ``cwd``; UsageError when the inputs' folders hold different ones."""
    found: list[Path] = []
    for d in _search_dirs(inputs):
        candidate = d / PROJECT_FILE
        if candidate.is_file() and not any(os.path.samefile(candidate, f) for f in found):
            found.append(candidate)
    if len(found) > 1:
        raise UsageError(f"输入的文件在不同的文件夹中，各有一个 {PROJECT_FILE}（{found[0]}、{found[1]}），"
                          f"不知道该用哪一个。请用 --config 指定。")
    if found:
        return found[0]
    here = (cwd or Path.cwd()) / PROJECT_FILE
    return here if here.is_file() else None


def load_project_file(path: str | Path) -> RuleSelection:
    """The rule selection a project file sets (every rule at its severity when it sets none)."""
    path = Path(path)
    name = str(path)
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise UsageError(f"{name}：文件太大，不像是 {PROJECT_FILE} 项目设置文件。")
        text = read_capped(path, _MAX_BYTES, what="项目设置文件").decode("utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{name}：文件不存在，请检查 --config 给出的路径。") from None
    except InputFileError as exc:
        raise UsageError(str(exc)) from None
    except UnicodeDecodeError:
        raise UsageError(f"{name}：不是 UTF-8 编码的文本，请用记事本另存为“UTF-8”编码后再试。") from None
    except OSError as exc:
        raise UsageError(f"{name}：无法读取（{exc.strerror or exc}）。") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{name}：不是有效的 TOML 格式（{exc}）。请对照 docs/rules.md 中的示例修改。") from exc
    return _selection(data, name)


def _selection(data: dict[str, Any], name: str) -> RuleSelection:
    for key in data:
        if key != "rules":
            raise UsageError(f"{name}：不认识的设置“{key}”。目前只有 [rules] 一节（select、ignore、severity）。")
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise UsageError(f"{name}：rules 应是一节设置 [rules]，而不是一个值。")
    for key in rules:
        if key not in _RULES_KEYS:
            raise UsageError(f"{name}：[rules] 中不认识的设置“{key}”。可用的设置：{'、'.join(_RULES_KEYS)}。")
    select = _selectors(rules, "select", name) if "select" in rules else None
    ignore = _selectors(rules, "ignore", name) if "ignore" in rules else ()
    raw_severity = rules.get("severity", {})
    if not isinstance(raw_severity, dict):
        raise UsageError(f"{name}：[rules] severity 应写成一节 [rules.severity]，每行一条规则，如 \"cover.phone\" = \"error\"。")
    severity: dict[str, Severity] = {}
    for rule, word in raw_severity.items():
        check_selectors([rule], f"{name} 的 [rules.severity]")
        if not isinstance(word, str) or word.strip().lower() not in SEVERITY_WORDS:
            raise UsageError(f"{name}：[rules.severity] 中“{rule}”的级别“{word}”无法识别，"
                              f"请写 \"error\"（错误）或 \"warning\"（警告）。")
        severity[rule] = SEVERITY_WORDS[word.strip().lower()]
    return RuleSelection.of(select=select, ignore=ignore, severity=severity, config=name)


def _selectors(rules: dict[str, Any], key: str, name: str) -> tuple[str, ...]:
    value = rules[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise UsageError(f"{name}：[rules] {key} 应是规则编号的列表，如 {key} = [\"input.coerced\"]。")
    return check_selectors(value, f"{name} 的 [rules] {key}")


def _option_selectors(values: Sequence[str], option: str) -> tuple[str, ...]:
    """``--select a,b --select c`` as (a, b, c), each checked."""
    return check_selectors([s.strip() for v in values for s in v.split(",") if s.strip()], option)


def rule_selection(inputs: Sequence[str | Path] = (), *, config: str | Path | None = None,
                   select: Sequence[str] | None = None, ignore: Sequence[str] = (),
                   cwd: Path | None = None) -> RuleSelection:
    """The rules to run for ``inputs``: the project file (``config``, or the one found), then the options.

    ``select`` (the command line's ``--select``, comma-separated values allowed)
    replaces the file's ``select``; ``ignore`` adds to its ``ignore``.
    """
    path = Path(config) if config is not None else find_project_file(inputs, cwd)
    base = load_project_file(path) if path is not None else ALL_RULES
    chosen = (_option_selectors(select, "--select") or None) if select else None  # --select "" selects nothing new
    return base.with_options(select=chosen, ignore=_option_selectors(ignore, "--ignore"))


def rules_beside(folder: Path | None) -> RuleSelection:
    """The rules a project file in ``folder`` sets (the Excel button: the workbook's folder); all rules without one."""
    if folder is None:
        return ALL_RULES
    path = folder / PROJECT_FILE
    return load_project_file(path) if path.is_file() else ALL_RULES
