"""The building blocks of a form definition: field kinds, fields, equations, rules, findings and the form itself."""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any


class Kind(StrEnum):
    COUNT = "count"  # whole number >= 0
    AMOUNT = "amount"  # decimal >= 0 in the field's unit
    TEXT = "text"  # short text
    LONGTEXT = "longtext"  # narrative
    CHOICE = "choice"  # one of Field.choices
    YEAR = "year"
    DATE = "date"
    USCC = "uscc"  # 统一社会信用代码
    PHONE = "phone"
    TOTAL = "total"  # computed: sum of Field.addends
    CHECK = "check"  # computed: a rule's 通过/不通过 cell on the 校验 sheet


NUMERIC_KINDS = frozenset({Kind.COUNT, Kind.AMOUNT})


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Field:
    id: str
    kind: Kind
    section: str  # "封面", "一", "二", "三", "四", "五", "六"
    group: str  # key in report JSON: cover, section2, section3, section4, narratives
    sheet: str
    cell: str
    row_label: str
    col_label: str = ""
    unit: str = ""
    required: bool = True
    decimals: int = 0  # precision for amounts
    choices: tuple[str, ...] = ()
    addends: tuple[str, ...] = ()  # for totals
    note: str = ""  # input prompt text shown to the clerk

    @property
    def is_input(self) -> bool:
        return self.kind not in (Kind.TOTAL, Kind.CHECK)

    @cached_property  # asked for every cell of every file read
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS or self.kind is Kind.TOTAL

    @property
    def label(self) -> str:
        """Human label: row label plus column label where there is one."""
        return f"{self.row_label} · {self.col_label}" if self.col_label else self.row_label

    @property
    def row(self) -> int:
        return int("".join(c for c in self.cell if c.isdigit()))

    @property
    def column(self) -> str:
        return "".join(c for c in self.cell if c.isalpha())


@dataclass(frozen=True)
class Equation:
    """An arithmetic rule: sum(lhs) == sum(rhs).

    ``rule`` is the stable rule id shared by every instance of the rule; ``key``
    identifies this instance (for example one column of the 勾稽关系).
    ``anchor`` is the field whose cell a finding points at.
    """

    rule: str
    key: str
    title: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    anchor: str

    @property
    def fields(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


Scalar = int | float | str | None


def fmt(v: int | float | None) -> str:
    """A number as a message shows it: 5, 2.5, 1.2346 (never 5.0 or 1e+16 noise); None as （空）."""
    if v is None:
        return "（空）"
    if abs(v) >= 1e15:
        return f"{v:.6g}"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)


@dataclass(frozen=True)
class Finding:
    """One problem found: the rule, where it is, what was expected and found, and what to do (``message``)."""

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


_FORMATTER = string.Formatter()
#: Placeholders a finding fills in from its field (unless given).
FIELD_PLACEHOLDERS = ("label", "row_label")


@functools.cache  # a handful of templates, asked for every finding
def placeholders(template: str) -> tuple[str, ...]:
    """The names a message template uses, in order of first use."""
    return tuple(dict.fromkeys(name for _, name, _, _ in _FORMATTER.parse(template) if name))


@dataclass(frozen=True)
class Rule:
    """A catalogue entry: a rule's stable id and severity, what it checks, and how its findings are worded.

    ``message`` (and each of ``wordings``, the other ways the rule words a
    finding) is a template whose placeholders a finding fills in from the very
    values it reports: ``{expected}`` and ``{actual}`` are the finding's
    ``expected`` and ``actual``; ``{diff}`` is their difference; ``{label}`` and
    ``{row_label}`` come from the finding's field; every other placeholder is
    given by the code that reports the finding.  Numbers are shown with
    :func:`fmt`, nothing as ``none``.  ``expected``, when set, is the template
    of the expected value itself, for rules where the rule fixes it ("必填",
    "< {limit}"): one for every wording, or by wording name.  ``example``
    holds the placeholder values of a real-style case.
    """

    id: str
    severity: Severity
    title: str
    description: str
    message: str
    example: Mapping[str, Scalar]
    wordings: Mapping[str, str] = field(default_factory=dict)
    expected: str | Mapping[str, str] | None = None
    none: str = "（空）"

    @cached_property  # asked for every finding
    def templates(self) -> dict[str, str]:
        """Every wording of the rule by name; the main one is ``""``."""
        return {"": self.message, **self.wordings}

    def expected_template(self, wording: str = "") -> str | None:
        """The template of the expected value where the rule fixes it for this wording, else None."""
        if self.expected is None or isinstance(self.expected, str):
            return self.expected
        return self.expected.get(wording)

    def show(self, value: object) -> str:
        if type(value) is str:
            return value
        if value is None:
            return self.none
        if isinstance(value, int | float) and not isinstance(value, bool):
            return fmt(value)
        return str(value)

    def finding(self, *, field: Field | None = None, sheet: str | None = None, cell: str | None = None,
                expected: Scalar = None, actual: Scalar = None, fields: tuple[str, ...] = (),
                wording: str = "", **values: Scalar) -> Finding:
        """A finding of this rule, its message worded from the same values it reports.

        ``field`` locates the finding (sheet, cell, field id) unless ``sheet``
        and ``cell`` are given; ``values`` fill the template's other
        placeholders, and every one of them must be used by it.
        """
        template = self.templates[wording]
        fixed = self.expected_template(wording)
        if fixed is not None:
            if expected is not None:
                raise TypeError(f"{self.id}: the rule fixes the expected value")
            expected = fixed.format_map({k: self.show(v) for k, v in values.items()})
        names = placeholders(template)
        if values and not set(names).issuperset(values):
            unused = set(values) - set(names) - set(placeholders(fixed or ""))
            if unused:
                raise TypeError(f"{self.id}: {sorted(unused)} not in the message {wording or 'template'}")
        shown: dict[str, str] = {}
        for name in names:
            if name in values:
                value = values[name]
            elif name == "expected":
                value = expected
            elif name == "actual":
                value = actual
            elif name == "diff":
                if not (_is_number(expected) and _is_number(actual)):
                    raise TypeError(f"{self.id}: {{diff}} needs numbers")
                value = abs(expected - actual)  # type: ignore[operator]
            elif field is not None and name in FIELD_PLACEHOLDERS:
                value = getattr(field, name)
            else:
                raise TypeError(f"{self.id}: the message {wording or 'template'} needs {{{name}}}")
            shown[name] = self.show(value)
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=template.format_map(shown),
            sheet=sheet if sheet is not None or field is None else field.sheet,
            cell=cell if cell is not None or field is None else field.cell,
            field=field.id if field is not None else None,
            expected=expected,
            actual=actual,
            fields=fields or ((field.id,) if field is not None else ()),
        )

    def example_finding(self, wording: str = "") -> Finding:
        """The finding of ``example``: what a clerk would see for it."""
        values = dict(self.example)
        expected, actual = values.pop("expected", None), values.pop("actual", None)
        wanted = set(placeholders(self.templates[wording])) | set(placeholders(self.expected_template(wording) or ""))
        given: dict[str, Any] = {k: v for k, v in values.items() if k in wanted}
        return self.finding(expected=expected, actual=actual, wording=wording, **given)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity.value,
            "title": self.title,
            "description": self.description,
            "message": self.message,
            "wordings": dict(self.wordings),
            "example": self.example_finding().message,
        }


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


@dataclass(frozen=True, eq=False)  # one form is one object: hashable, so what is derived from it can be cached
class Form:
    fields: tuple[Field, ...]
    equations: tuple[Equation, ...]
    rules: dict[str, Rule] = field(default_factory=dict)

    @cached_property
    def by_id(self) -> dict[str, Field]:
        return {f.id: f for f in self.fields}

    @cached_property
    def inputs(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.is_input)

    @cached_property
    def totals(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.kind is Kind.TOTAL)

    @cached_property
    def totals_in_order(self) -> tuple[Field, ...]:
        """The totals ordered so that every total comes after the totals it adds up."""
        out: list[Field] = []
        placed: set[str] = set()

        def place(f: Field) -> None:
            if f.id in placed:
                return
            for a in f.addends:
                if self.by_id[a].kind is Kind.TOTAL:
                    place(self.by_id[a])
            placed.add(f.id)
            out.append(f)

        for f in self.totals:
            place(f)
        return tuple(out)

    @cached_property
    def groups(self) -> dict[str, tuple[Field, ...]]:
        out: dict[str, list[Field]] = {}
        for f in self.fields:
            out.setdefault(f.group, []).append(f)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def sheets(self) -> dict[str, tuple[Field, ...]]:
        out: dict[str, list[Field]] = {}
        for f in self.fields:
            out.setdefault(f.sheet, []).append(f)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def rules_of_field(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {f.id: [] for f in self.fields}
        for eq in self.equations:
            for fid in eq.fields:
                if eq.rule not in out[fid]:
                    out[fid].append(eq.rule)
        return {k: tuple(v) for k, v in out.items()}

    def field_at(self, sheet: str, cell: str) -> Field | None:
        return self._by_position.get((sheet, cell))

    @cached_property
    def _by_position(self) -> dict[tuple[str, str], Field]:
        return {(f.sheet, f.cell): f for f in self.fields}
