"""Findings and validation results (schema/validation.schema.json)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xl_disclosure import __version__
from xl_disclosure.form import FORM, FORM_VERSION, Severity

Scalar = int | float | str | None


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    sheet: str | None = None
    cell: str | None = None
    field: str | None = None
    expected: Scalar = None
    actual: Scalar = None
    #: Every field the finding involves (for an equation: both sides).
    fields: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "sheet": self.sheet,
            "cell": self.cell,
            "field": self.field,
            "fields": list(self.fields),
            "expected": self.expected,
            "actual": self.actual,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Finding:
        return cls(
            rule=d["rule"], severity=Severity(d["severity"]), message=d["message"],
            sheet=d.get("sheet"), cell=d.get("cell"), field=d.get("field"),
            expected=d.get("expected"), actual=d.get("actual"), fields=tuple(d.get("fields") or ()),
        )


def at_field(rule: str, fid: str, message: str, *, severity: Severity | None = None,
             expected: Scalar = None, actual: Scalar = None, fields: tuple[str, ...] = ()) -> Finding:
    """A finding located at a field's cell, with the rule's catalogue severity unless given."""
    f = FORM.by_id[fid]
    return Finding(
        rule=rule,
        severity=severity or FORM.rules[rule].severity,
        message=message,
        sheet=f.sheet,
        cell=f.cell,
        field=fid,
        expected=expected,
        actual=actual,
        fields=fields or (fid,),
    )


@dataclass
class ValidationResult:
    file: str
    findings: list[Finding] = field(default_factory=list)
    #: The report data as read (inputs typed, totals recomputed); None when unreadable.
    report: Any = None
    #: Set when the file could not be read as a report at all (exit code 2).
    read_error: str | None = None
    template_version: int | None = None

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
        }
        if include_report and self.report is not None:
            out["report"] = self.report.to_json()
        return out
