"""Who a report is from: agency names and 统一社会信用代码 as they are compared, and last year's reports by agency."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any


def norm_name(name: object) -> str:
    """Agency names compared loosely: NFKC, no whitespace."""
    if not isinstance(name, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", name).split())


def norm_uscc(code: object) -> str:
    if not isinstance(code, str):
        return ""
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


@dataclass(frozen=True)
class Agency:
    name: str
    uscc: str



@dataclass
class Prior:
    """Last year's reports by agency, and last year's regional totals when known."""

    by_uscc: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_name: dict[str, dict[str, Any]] = field(default_factory=dict)
    totals: dict[str, float] | None = None
    year: int | None = None
    source: str = ""

    def match(self, uscc: str, name: str) -> dict[str, Any] | None:
        if uscc and uscc in self.by_uscc:
            return self.by_uscc[uscc]
        return self.by_name.get(name) if name else None

    def __len__(self) -> int:
        return max(len(self.by_uscc), len(self.by_name))


