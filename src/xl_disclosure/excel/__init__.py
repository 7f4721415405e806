"""The 校验 button inside Excel and what installs it.

The VBA shipped in our workbooks runs ``import xl_disclosure.excel; xl_disclosure.excel.validate()``,
so :func:`validate` stays importable from here.
"""

from xl_disclosure.excel.button import ENTRY_POINT, validate

__all__ = ["ENTRY_POINT", "validate"]
