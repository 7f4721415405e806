"""Selecting rules by id or prefix.

A selector is a rule id (``input.coerced``) or a prefix of ids ending at a dot
(``narrative`` selects ``narrative.required`` and ``narrative.contradiction``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from xl_disclosure.errors import UsageError
from xl_disclosure.form.rules import RULES


def matches(selector: str, rule_id: str) -> bool:
    return rule_id == selector or rule_id.startswith(selector + ".")


def is_selector(selector: str) -> bool:
    """Whether ``selector`` names a catalogued rule or a prefix of some."""
    return any(matches(selector, rid) for rid in RULES)


def check_selectors(selectors: Iterable[object], where: str) -> tuple[str, ...]:
    """``selectors`` as a tuple of strings, or a UsageError naming ``where`` and the first unknown one."""
    out = []
    for s in selectors:
        if not isinstance(s, str) or not is_selector(s):
            raise UsageError(unknown_rule_message(s, where))
        out.append(s)
    return tuple(out)


def unknown_rule_message(selector: object, where: str) -> str:
    prefixes = {rid.rsplit(".", 1)[0] for rid in RULES}
    close = difflib.get_close_matches(str(selector), [*RULES, *prefixes], n=1)
    hint = f"是不是“{close[0]}”？" if close else ""
    return (f"{where} 中的“{selector}”不是已知的规则编号或前缀。{hint}"
            f"可用 xl-disclosure rules 查看全部规则。")


__all__ = ["check_selectors", "is_selector", "matches", "unknown_rule_message"]
