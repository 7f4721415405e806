"""Which rules run, and at which severity: ``--select``/``--ignore`` and the project file's ``[rules]``.

A selector is a rule id (``input.coerced``) or a prefix of ids ending at a dot
(``narrative`` selects ``narrative.required`` and ``narrative.contradiction``).
A rule runs when some ``select`` selector matches it (every rule when there is
no ``select``) and no ``ignore`` selector does: ``ignore`` wins.  ``severity``
maps selectors to a severity; the longest matching selector decides.

Switched-off rules are taken out of the findings after the checks ran (and
changed severities put in), so validate, compile and the Excel button, which
all end with :meth:`RuleSelection.apply`, report the same.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from xl_disclosure.errors import UsageError
from xl_disclosure.form.model import Finding, Severity
from xl_disclosure.form.rules import RULES

#: How severities may be written in a project file.
SEVERITY_WORDS: dict[str, Severity] = {"error": Severity.ERROR, "warning": Severity.WARNING,
                                       "错误": Severity.ERROR, "警告": Severity.WARNING}


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


@dataclass(frozen=True)
class RuleSelection:
    """Which rules run and at which severity; the default runs every rule at its catalogue severity."""

    #: Selectors of the rules that run; None: every rule.
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    #: (selector, severity) pairs.
    severity: tuple[tuple[str, Severity], ...] = ()
    #: The project file this came from, as named to the user (None: none was used).
    config: str | None = None

    def __post_init__(self) -> None:
        for s in (*(self.select or ()), *self.ignore, *(s for s, _ in self.severity)):
            if not is_selector(s):
                raise UsageError(unknown_rule_message(s, "规则设置"))

    @classmethod
    def of(cls, *, select: Sequence[str] | None = None, ignore: Sequence[str] = (),
           severity: Mapping[str, Severity] | None = None, config: str | None = None) -> RuleSelection:
        return cls(None if select is None else tuple(select), tuple(ignore),
                   tuple((severity or {}).items()), config)

    def with_options(self, *, select: Sequence[str] | None = None, ignore: Sequence[str] = ()) -> RuleSelection:
        """The command line's ``--select`` replaces the project file's; its ``--ignore`` adds to it."""
        chosen = self.select if select is None else tuple(select)
        return dataclasses.replace(self, select=chosen, ignore=self.ignore + tuple(ignore))

    # ------------------------------------------------------------------ decided
    def is_enabled(self, rule_id: str) -> bool:
        return rule_id in self.enabled

    @cached_property
    def enabled(self) -> frozenset[str]:
        return frozenset(rid for rid in RULES
                         if (self.select is None or any(matches(s, rid) for s in self.select))
                         and not any(matches(s, rid) for s in self.ignore))

    @cached_property
    def changed(self) -> dict[str, Severity]:
        """Rule id → severity, for every rule whose severity differs from the catalogue's."""
        out = {}
        for rid, rule in RULES.items():
            hits = [(len(s), sev) for s, sev in self.severity if matches(s, rid)]
            if hits:
                sev = max(hits, key=lambda h: h[0])[1]
                if sev is not rule.severity:
                    out[rid] = sev
        return out

    def severity_of(self, rule_id: str) -> Severity:
        """The severity a rule's findings have here."""
        return self.changed.get(rule_id, RULES[rule_id].severity)

    def not_run_in(self, other: RuleSelection) -> list[str]:
        """The rules that run here but did not run under ``other``, in catalogue order."""
        return [rid for rid in RULES if rid in self.enabled and rid not in other.enabled]

    @property
    def is_default(self) -> bool:
        return len(self.enabled) == len(RULES) and not self.changed

    # ------------------------------------------------------------------ applied
    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings of the rules that run, each at its severity here."""
        if self.is_default:
            return list(findings)
        changed = self.changed
        return [dataclasses.replace(f, severity=changed[f.rule]) if f.rule in changed else f
                for f in findings if f.rule in self.enabled]

    def apply_json(self, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """:meth:`apply` on findings as JSON (``Finding.to_json``)."""
        if self.is_default:
            return findings
        changed = self.changed
        return [{**f, "severity": changed[f["rule"]].value} if f["rule"] in changed else f
                for f in findings if f["rule"] in self.enabled]

    def decide_json(self, findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Findings as JSON that another selection let through, decided again here.

        The findings of rules that do not run here are dropped and every other one gets its
        severity here (the catalogue's unless changed), whatever severity it had; a finding of a
        rule the catalogue no longer has is kept as it is.  (merge: summaries compiled under
        one selection, merged under another.)
        """
        out = []
        for f in findings:
            rid = f.get("rule")
            if rid not in RULES:
                out.append(f)
            elif rid in self.enabled:
                sev = self.severity_of(rid).value
                out.append(f if f.get("severity") == sev else {**f, "severity": sev})
        return out

    # ------------------------------------------------------------------ recorded
    def record(self) -> dict[str, Any]:
        """What ran: the part of :meth:`to_json` that decides the findings (no file name)."""
        return {
            "enabled": [rid for rid in RULES if rid in self.enabled],
            "disabled": [rid for rid in RULES if rid not in self.enabled],
            "severity": {rid: sev.value for rid, sev in self.changed.items()},
        }

    def to_json(self) -> dict[str, Any]:
        return {"config": self.config, **self.record()}

    @classmethod
    def from_record(cls, data: object, where: str) -> RuleSelection:
        """The selection a :meth:`to_json` record describes; UsageError naming ``where`` when it is not one.

        The rules it lists as disabled are off.  A rule it names neither way came into the catalogue
        after the record was written and counts as run, as every rule does for a summary written before
        rules were recorded.  (A record without ``disabled`` lists what ran: everything else is off.)
        """
        if not isinstance(data, Mapping) or not isinstance(data.get("enabled"), list) \
                or not isinstance(data.get("severity", {}), Mapping) \
                or not isinstance(data.get("disabled", []), list):
            raise UsageError(f"{where}：“rules”记录的格式不对，文件不完整或被改过。")
        enabled = set(check_selectors(data["enabled"], f"{where} 的 rules.enabled"))
        known = [s for s in data.get("disabled", ()) if not isinstance(s, str) or is_selector(s)]  # retired ids go
        disabled = set(check_selectors(known, f"{where} 的 rules.disabled")) if "disabled" in data else \
            {rid for rid in RULES if rid not in enabled}
        severity = {}
        for rid, word in dict(data.get("severity") or {}).items():
            check_selectors([rid], f"{where} 的 rules.severity")
            if word not in SEVERITY_WORDS:
                raise UsageError(f"{where}：rules.severity 中“{rid}”的级别“{word}”无法识别。")
            severity[rid] = SEVERITY_WORDS[word]
        config = data.get("config")
        return cls.of(ignore=[rid for rid in RULES if rid in disabled], severity=severity,
                      config=config if isinstance(config, str) else None)


ALL_RULES = RuleSelection()

__all__ = ["ALL_RULES", "SEVERITY_WORDS", "RuleSelection", "check_selectors", "is_selector", "matches",
           "unknown_rule_message"]
