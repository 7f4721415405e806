"""Validation results (schema/validation.schema.json); a :class:`Finding` is made by its rule (form.rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

from xl_disclosure import __version__
from xl_disclosure.form import FORM_VERSION, Finding, RuleSelection, Scalar
from xl_disclosure.form.checksheet import cover_status
from xl_disclosure.form.selection import ALL_RULES

__all__ = ["CoverageEntry", "Finding", "Scalar", "UnreadPart", "ValidationResult"]


class UnreadPart(TypedDict):
    """Cells of a published report's tables that could not be read, for one reason."""

    why: str
    cells: int


class CoverageEntry(TypedDict):
    """How much of a published report's tables 二, 三, 四 was read: per file, for compile's status list."""

    tables_found: list[str]
    cells_read: int
    cells_expected: int
    unread: list[UnreadPart]


@dataclass
class ValidationResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    #: The report data as read (inputs typed, totals recomputed); None when unreadable.
    report: Any = None
    #: Set when the file could not be read as a report at all (exit code 2).
    read_error: str | None = None
    template_version: int | None = None
    #: Which rules ran, at which severity (the findings are already those of this selection).
    rules: RuleSelection = ALL_RULES
    #: For a published report (text, HTML, Word, PDF): how much of its tables was read; None for a workbook.
    coverage: CoverageEntry | None = None

    def steer(self, rules: RuleSelection) -> ValidationResult:
        """This result as ``rules`` decide: only the rules that run, at their severity there."""
        self.findings = rules.apply(self.findings)
        self.rules = rules
        return self

    @property
    def readable(self) -> bool:
        return self.read_error is None

    @property
    def valid(self) -> bool:
        return self.readable and not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def status(self) -> str:
        """通过 / 有警告 / 不通过 / 无法读取."""
        if not self.readable:
            return "无法读取"
        if self.errors:
            return "不通过"
        if self.warnings:
            return "有警告"
        return "通过"

    @property
    def cover_status(self) -> str:
        """The verdict in the words of the template's cover (封面 B3): 通过 / 未填完 / 不通过, or 无法读取.

        未填完 when every error is an empty required cell; 通过 allows warnings (the status says 有警告).
        """
        if not self.readable:
            return "无法读取"
        return cover_status(f.rule for f in self.errors)

    @property
    def exit_code(self) -> int:
        if not self.readable:
            return 2
        return 0 if self.valid else 1

    def to_json(self, *, include_report: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "valid": self.valid,
            "status": self.status,
            "readable": self.readable,
            "read_error": self.read_error,
            "form_version": FORM_VERSION,
            "template_version": self.template_version,
            "generator": f"xl-disclosure {__version__}",
            "counts": {"error": len(self.errors), "warning": len(self.warnings)},
            "findings": [f.to_json() for f in self.findings],
            "rules": self.rules.to_json(),
        }
        if include_report and self.report is not None:
            out["report"] = self.report.to_json()
        return out
