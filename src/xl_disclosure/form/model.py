"""The building blocks of a form definition: field kinds, fields, equations, rule entries and the form itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


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
    severity: Severity = Severity.ERROR

    @property
    def fields(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class RuleInfo:
    """Catalogue entry for a rule id: what it checks, in Chinese."""

    id: str
    severity: Severity
    title: str


@dataclass(frozen=True, eq=False)  # one form is one object: hashable, so what is derived from it can be cached
class Form:
    fields: tuple[Field, ...]
    equations: tuple[Equation, ...]
    rules: dict[str, RuleInfo] = field(default_factory=dict)

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
