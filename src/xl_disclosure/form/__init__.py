"""The declarative definition of the national format: fields, tables, rules, formulas.

Everything else in the package is derived from what this package defines.  It
imports no spreadsheet library.

- :mod:`.model`: the building blocks (Kind, Field, Equation, Rule, Finding, Form)
- :mod:`.format2021`: the 2021 national format itself (sheets, cover, narratives, tables 二/三/四, FORM)
- :mod:`.rules`: the rule catalogue; :mod:`.selection`: which rules run, at which severity
- :mod:`.layout`: the grid of each table (二, 三, 四) that every writer and the parser lay out or expect
- :mod:`.formulas`, :mod:`.checksheet`: the template's formulas and its 校验 sheet
- :mod:`.cells`: A1 cell addresses; :mod:`.uscc`: 统一社会信用代码 check digits
"""

from xl_disclosure.form.format2021 import *  # noqa: F403
from xl_disclosure.form.model import NUMERIC_KINDS as NUMERIC_KINDS
from xl_disclosure.form.model import Equation as Equation
from xl_disclosure.form.model import Field as Field
from xl_disclosure.form.model import Finding as Finding
from xl_disclosure.form.model import Form as Form
from xl_disclosure.form.model import Kind as Kind
from xl_disclosure.form.model import Rule as Rule
from xl_disclosure.form.model import Scalar as Scalar
from xl_disclosure.form.model import Severity as Severity
from xl_disclosure.form.model import fmt as fmt
from xl_disclosure.form.model import placeholders as placeholders
from xl_disclosure.form.rules import RULES as RULES
from xl_disclosure.form.selection import RuleSelection as RuleSelection
