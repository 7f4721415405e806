"""The declarative definition of the national format: fields, tables, rules, formulas.

Everything else in the package is derived from what this package defines.  It
imports no spreadsheet library.
"""

from xl_disclosure.form.format2021 import *  # noqa: F403
