"""Who a report is from: agencies, the one rule that says two of them are the same, and last year's reports.

Every command that pairs agencies uses :class:`Identity` and :class:`AgencyIndex`:
``compile`` and ``merge`` (duplicates, the agency list, last year's report of each
agency) and ``template --prior`` (last year's carry-over of each listed agency).
Two agencies are the same when

* both have a 统一社会信用代码 and the codes are equal (whatever the names), or
* at least one has no code and the names are equal once normalised.

Same name with two different codes is two bodies (e.g. 某某镇人民政府 in two
counties).  The rule is symmetric, so "A matches B" never depends on which of
the two came from the list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

T = TypeVar("T")

#: Invisible characters a copied name may carry (zero-width space/joiners, BOM).
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff]")


def norm_name(name: object) -> str:
    """An agency name as compared: NFKC (full-width letters, digits, spaces and brackets （） become
    half-width), without any whitespace or invisible characters, Latin letters case-folded."""
    if not isinstance(name, str):
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return "".join(text.split()).casefold()


def norm_uscc(code: object) -> str:
    """A 统一社会信用代码 as compared: NFKC, no whitespace, upper case."""
    if not isinstance(code, str):
        return ""
    return "".join(_INVISIBLE.sub("", unicodedata.normalize("NFKC", code)).split()).upper()


class Identity(NamedTuple):
    """An agency as compared: normalised name and code ("" when unknown)."""

    name: str
    code: str

    @classmethod
    def of(cls, name: object, code: object) -> Identity:
        return cls(norm_name(name), norm_uscc(code))

    def matches(self, other: Identity) -> bool:
        """The same agency (see the module docstring); symmetric."""
        if self.code and other.code:
            return self.code == other.code
        return bool(self.name) and self.name == other.name

    def how(self, other: Identity) -> str:
        """How two matching identities match: "uscc" (by code) or "name"."""
        return "uscc" if self.code and self.code == other.code else "name"


class AgencyIndex(Generic[T]):
    """Values by agency identity, found under :meth:`Identity.matches` without comparing every pair."""

    def __init__(self) -> None:
        self._by_code: dict[str, list[int]] = {}
        self._by_name: dict[str, list[int]] = {}
        self._entries: list[tuple[Identity, T]] = []

    def add(self, identity: Identity, value: T) -> None:
        seq = len(self._entries)
        self._entries.append((identity, value))
        if identity.code:
            self._by_code.setdefault(identity.code, []).append(seq)
        if identity.name:
            self._by_name.setdefault(identity.name, []).append(seq)

    def _matching(self, identity: Identity) -> list[int]:
        seqs = set(self._by_code.get(identity.code, ())) if identity.code else set()
        for seq in self._by_name.get(identity.name, ()) if identity.name else ():
            if not identity.code or not self._entries[seq][0].code:
                seqs.add(seq)
        return sorted(seqs)

    def all(self, identity: Identity) -> list[tuple[Identity, T]]:
        """Every (identity, value) added that matches ``identity``, in the order added."""
        return [self._entries[seq] for seq in self._matching(identity)]

    def with_code(self, code: str) -> list[tuple[Identity, T]]:
        """Every (identity, value) added with this (normalised) code, whatever its name."""
        return [self._entries[seq] for seq in self._by_code.get(code, ())] if code else []

    def with_name(self, name: str) -> list[tuple[Identity, T]]:
        """Every (identity, value) added with this (normalised) name, whatever its code."""
        return [self._entries[seq] for seq in self._by_name.get(name, ())] if name else []

    def first(self, identity: Identity) -> tuple[Identity, T] | None:
        """The first (identity, value) added that matches ``identity``, or None."""
        seqs = self._matching(identity)
        return self._entries[seqs[0]] if seqs else None

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True)
class Agency:
    """An agency as a list names it."""

    name: str
    uscc: str = ""
    #: One of AGENCY_TYPES, or "" when the list does not say.
    agency_type: str = ""
    #: Its row in the agency list (0 when it does not come from a list).
    line: int = 0
    #: The file the list says is this agency's report (its 文件名 column; "" when it says none): when
    #: several files claim the agency, compile counts this one.
    file: str = ""

    @property
    def identity(self) -> Identity:
        return Identity.of(self.name, self.uscc)


def distinct(agencies: Iterable[Agency]) -> list[Agency]:
    """The agencies without repeats: of several with the same identity (a list naming one twice), the first."""
    seen: set[Identity] = set()
    out = []
    for a in agencies:
        if a.identity not in seen:
            seen.add(a.identity)
            out.append(a)
    return out


@dataclass
class Prior:
    """Last year's reports (as report JSON) by agency, and last year's regional totals when known."""

    reports: AgencyIndex[dict[str, Any]] = field(default_factory=AgencyIndex)
    totals: dict[str, float] | None = None
    year: int | None = None
    source: str = ""

    def add(self, identity: Identity, report: dict[str, Any]) -> None:
        self.reports.add(identity, report)

    def find(self, name: object, uscc: object) -> tuple[str, dict[str, Any]] | None:
        """How it matched ("uscc" or "name") and last year's report of the agency, or None."""
        me = Identity.of(name, uscc)
        hit = self.reports.first(me)
        return (me.how(hit[0]), hit[1]) if hit is not None else None

    def match(self, uscc: str, name: str) -> dict[str, Any] | None:
        """Last year's report of the agency with this code and name, or None."""
        hit = self.find(name, uscc)
        return hit[1] if hit is not None else None

    def __len__(self) -> int:
        return len(self.reports)
