"""统一社会信用代码 (unified social credit code), GB 32100-2015."""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC (Chinese), or None when it is valid."""
    if len(code) != LENGTH:
        return f"应为 18 位，实际为 {len(code)} 位"
    bad = sorted({c for c in code if c not in CHARSET})
    if bad:
        return "含有不允许的字符：" + "、".join(bad) + "（不使用 I、O、S、V、Z）"
    expected = check_char(code[:17])
    if code[17] != expected:
        return f"校验位（第 18 位）应为 {expected}，实际为 {code[17]}，请核对是否抄错"
    return None


def make(body17: str) -> str:
    """Complete 17 characters with their check character."""
    return body17 + check_char(body17)
