"""A1-style cell addresses: column letters and numbers (what a spreadsheet library would give, without one)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def column_letter(index: int) -> str:
    """1 → "A", 26 → "Z", 27 → "AA"."""
    if index < 1:
        raise ValueError(f"column index {index} is below 1")
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


@lru_cache(maxsize=256)
def column_index(letters: str) -> int:
    """"A" → 1, "Z" → 26, "AA" → 27."""
    if not letters or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"{letters!r} is not a column")
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - ord("A") + 1
    return n
