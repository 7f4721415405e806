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

Across years only (``compile --prior``), a report that matches no report of last
year so may still be paired by a careful name match (:func:`place_tails`): one name
is the other with a leading province or city prefix removed (江苏省淮安市洪泽区人民政府
~ 淮安市洪泽区人民政府 ~ 洪泽区人民政府), neither has a code the other contradicts, and
the pair is the only one so among both years' agencies.
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


#: A leading province- or city-level place name that may be left out of an agency's name (江苏省, 淮安市,
#: 新疆维吾尔自治区, 延边朝鲜族自治州, 大兴安岭地区, 锡林郭勒盟): 2–10 characters ending so.
_REGION_PREFIX = re.compile(r"^[^\W\d_]{1,8}?(?:自治区|自治州|地区|省|市|州(?!市)|盟)")
#: What the rest of the name must begin with for the prefix to be one: a place of its own (洪泽区, 城关镇,
#: 新密市, 某某街道) — never the agency's body (市场监督管理局, 人民政府, 住房和城乡建设局, 城市管理局).
_PLACE = re.compile(r"^(?!城市)[^\W\d_和与及]{1,6}?(?:自治县|自治旗|街道|市|区|县|旗|镇|乡)")


def place_tails(name: str) -> list[str]:
    """The names an agency's (normalised) name may be written as with its leading province and city
    prefixes removed, longest first: 江苏省淮安市洪泽区人民政府 → 淮安市洪泽区人民政府, 洪泽区人民政府.
    淮安市人民政府 and 淮安市公安局 have none (what is left names no place)."""
    out = []
    rest = name
    while (m := _REGION_PREFIX.match(rest)) is not None:
        tail = rest[m.end():]
        place = _PLACE.match(tail)
        if place is None or place.end() == len(tail):
            break
        out.append(tail)
        rest = tail
    return out


def by_place_prefix(a: str, b: str) -> bool:
    """Whether two (normalised) names differ only by a leading province or city prefix of one of them."""
    return a != b and (b in place_tails(a) or a in place_tails(b))


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

    def entries(self) -> list[tuple[Identity, T]]:
        """Every (identity, value) added, in the order added (the list itself: do not change it)."""
        return self._entries

    def name_seqs(self, name: str) -> list[int]:
        """The positions (in :meth:`entries`) of the entries added with this (normalised) name."""
        return list(self._by_name.get(name, ())) if name else []

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
    #: name (a tail of a longer name, see :func:`place_tails`) -> the entries whose name has it; built once
    _tails: dict[str, list[int]] | None = field(default=None, repr=False, compare=False)

    def add(self, identity: Identity, report: dict[str, Any]) -> None:
        self.reports.add(identity, report)
        self._tails = None

    def find(self, name: object, uscc: object) -> tuple[str, dict[str, Any]] | None:
        """How it matched ("uscc" or "name") and last year's report of the agency, or None."""
        me = Identity.of(name, uscc)
        hit = self.reports.first(me)
        return (me.how(hit[0]), hit[1]) if hit is not None else None

    def match(self, uscc: str, name: str) -> dict[str, Any] | None:
        """Last year's report of the agency with this code and name, or None."""
        hit = self.find(name, uscc)
        return hit[1] if hit is not None else None

    def by_place_prefix(self, name: object, uscc: object) -> list[tuple[Identity, dict[str, Any]]]:
        """Last year's reports whose agency name is this one with or without a leading province or city
        prefix (:func:`by_place_prefix`) and whose code, when both have one, is the same."""
        me = Identity.of(name, uscc)
        if not me.name:
            return []
        if self._tails is None:
            self._tails = {}
            for seq, (ident, _) in enumerate(self.reports.entries()):
                for tail in place_tails(ident.name):
                    self._tails.setdefault(tail, []).append(seq)
        entries = self.reports.entries()
        seqs = set(self._tails.get(me.name, ()))
        for tail in place_tails(me.name):
            seqs.update(seq for seq in self.reports.name_seqs(tail))
        return [entries[seq] for seq in sorted(seqs)
                if entries[seq][0].name != me.name and not (me.code and entries[seq][0].code
                                                            and me.code != entries[seq][0].code)]

    def __len__(self) -> int:
        return len(self.reports)
