"""The layout of tables 二, 三 and 四: each table's grid as data, derived from the format's definition.

Every writer lays these tables out from the grids made here, and the parser of
published reports takes its header texts and column order from them: the
template's sheets, the summary workbook's 汇总 sheet, the published report
(Word, HTML, Markdown) and the reader of published reports.  What a table
holds and where — texts, spans, the field of every value cell — is decided
here once; how it looks (fonts, widths, heights) stays with each writer.

A grid is addressed from 0: ``row`` counts header and body rows together,
``col`` counts the label columns, then the value columns.  A cell covers
``rowspan`` × ``colspan`` grid cells from its own position.
:attr:`TableLayout.origin` is where the grid's top-left cell sits on the
template's sheet; every value cell lands there on its field's cell (building a
layout fails otherwise), so the form's cells and the grid cannot drift apart.

:class:`Layout` holds a form and the layouts of its three tables.  :data:`LAYOUT`
is the 2021 format's; :func:`build_layout` makes one from any
:class:`~xl_disclosure.form.format2021.Definition` — which is how a row or a
column added to the definition reaches every writer and the parser.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Literal

from xl_disclosure.form.cells import column_index
from xl_disclosure.form.format2021 import (
    DEFINITION,
    FORM,
    S2_CONTENT_HEADER,
    S2_TITLE,
    S3_APPLICANT_HEADER,
    S3_NOTE,
    S3_ORG_HEADER,
    S3_TITLE,
    S3_TOTAL_COLUMN,
    S4_LITIGATION,
    S4_TITLE,
    S4_TOTAL,
    SHEET_S2,
    SHEET_S3,
    SHEET_S4,
    Definition,
    build_form,
    s2_id,
    s3_id,
    s4_id,
)
from xl_disclosure.form.model import Form


class Role(StrEnum):
    """What a header or label cell is."""

    NOTE = "note"  # the table's note, in the corner above the row labels (table 三)
    STUB = "stub"  # the header over the row labels (信息内容)
    GROUP = "group"  # a header over several columns (申请人情况, 法人或其他组织, a 第二十条 item, 行政诉讼 …)
    COLUMN = "column"  # the header of one value column
    ROWGROUP = "rowgroup"  # a label over several rows (三、本年度办理结果, （三）不予公开 …)
    ROW = "row"  # the label of one row


@dataclass(frozen=True)
class Cell:
    """A header or label cell: its text and the grid cells it covers."""

    text: str
    role: Role
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    align: Literal["center", "left"] = "center"

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1

    def covers_row(self, row: int) -> bool:
        return self.row <= row <= self.last_row


@dataclass(frozen=True)
class Value:
    """A value cell: the field it shows and the grid cells it covers (one row)."""

    field: str
    row: int
    col: int
    colspan: int = 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class Column:
    """A value column: its key, its own header and the headers above it, outermost first."""

    key: str
    label: str
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyRow:
    """A row of values with its labels."""

    key: str
    row: int
    #: The labels naming the row, outermost first (up to three levels in table 三).
    labels: tuple[str, ...]
    #: The label cells that start on this row, left to right (a label over several rows starts on its first).
    cells: tuple[Cell, ...]
    values: tuple[Value, ...]
    #: A computed row (（七）总计).
    total: bool = False

    @property
    def label(self) -> str:
        return self.labels[-1] if self.labels else ""


@dataclass(frozen=True)
class Section:
    """Header rows and the body rows under them: table 二 has one per 第二十条 item, 三 and 四 one each."""

    first_row: int
    header_rows: int
    #: Header cells by row, then column.
    header: tuple[Cell, ...]
    columns: tuple[Column, ...]
    body: tuple[BodyRow, ...]

    @property
    def rows(self) -> range:
        return range(self.first_row, self.first_row + self.header_rows + len(self.body))

    @property
    def header_range(self) -> range:
        return range(self.first_row, self.first_row + self.header_rows)

    def cells(self) -> Iterator[Cell]:
        """Every header and label cell, header first, then by body row."""
        yield from self.header
        for b in self.body:
            yield from b.cells

    def covering(self, row: int) -> list[Cell]:
        """The header or label cells that cover grid row ``row``, left to right."""
        return sorted((c for c in self.cells() if c.covers_row(row)), key=lambda c: c.col)


@dataclass(frozen=True)
class TableLayout:
    """One table: title, note, grid size, its sections and where the grid sits on the template's sheet."""

    key: str  # "s2", "s3", "s4"
    section: str  # "二", "三", "四"
    title: str
    sheet: str
    label_columns: int
    value_columns: int
    sections: tuple[Section, ...]
    note: str = ""
    #: The unit printed above the table (单位：件); empty where the rows differ (table 二).
    unit: str = ""
    #: (row, column), from 1, of the grid's top-left cell on the template's sheet.
    origin: tuple[int, int] = (1, 1)

    @property
    def columns(self) -> int:
        return self.label_columns + self.value_columns

    @property
    def rows(self) -> int:
        last = self.sections[-1]
        return last.rows.stop

    def body(self) -> Iterator[BodyRow]:
        for s in self.sections:
            yield from s.body

    def values(self) -> Iterator[Value]:
        for b in self.body():
            yield from b.values

    def header_cells(self) -> Iterator[Cell]:
        for s in self.sections:
            yield from s.header

    def sheet_row(self, row: int) -> int:
        """The template sheet's row of grid row ``row``."""
        return self.origin[0] + row

    def sheet_col(self, col: int) -> int:
        """The template sheet's column number of grid column ``col``."""
        return self.origin[1] + col


@dataclass(frozen=True)
class Layout:
    """A form and the layouts of its tables 二, 三 and 四, as every writer and the parser take them."""

    definition: Definition
    form: Form
    s2: TableLayout
    s3: TableLayout
    s4: TableLayout

    @property
    def tables(self) -> tuple[TableLayout, TableLayout, TableLayout]:
        return (self.s2, self.s3, self.s4)


# ---------------------------------------------------------------------------
# Derivation
# ---------------------------------------------------------------------------

def run_lengths(values: Sequence[str]) -> list[int]:
    """For each position, the length of the run of equal values starting there (0 inside a run)."""
    out = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j < len(values) and values[j] == values[i]:
            j += 1
        out[i] = j - i
        i = j
    return out


def _members(keys: Sequence[str], group: Sequence[str], what: str) -> list[int]:
    """Positions of ``group``'s keys in ``keys``; they must stand next to each other."""
    wanted = set(group)
    at = [i for i, k in enumerate(keys) if k in wanted]
    if at and at != list(range(at[0], at[-1] + 1)):
        raise ValueError(f"{what}: the columns under one header must stand next to each other ({list(group)})")
    return at


def _by_position(cells: list[Cell]) -> tuple[Cell, ...]:
    return tuple(sorted(cells, key=lambda c: (c.row, c.col)))


def _s2(d: Definition) -> TableLayout:
    width = max(len(b.columns) for b in d.s2_blocks)
    sections = []
    row = 0
    for block in d.s2_blocks:
        n = len(block.columns)
        spans = [1] * (n - 1) + [width - n + 1]  # a block's last column spans the rest
        header = [Cell(block.item, Role.GROUP, row, 0, colspan=1 + width),
                  Cell(S2_CONTENT_HEADER, Role.STUB, row + 1, 0)]
        columns = []
        starts = []
        c = 1
        for (ckey, clabel), span in zip(block.columns, spans, strict=True):
            header.append(Cell(clabel, Role.COLUMN, row + 1, c, colspan=span))
            columns.append(Column(ckey, clabel, (block.item,)))
            starts.append(c)
            c += span
        body = []
        for i, (rkey, rlabel) in enumerate(block.rows):
            r = row + 2 + i
            values = tuple(Value(s2_id(rkey, ckey), r, c, span)
                           for (ckey, _), c, span in zip(block.columns, starts, spans, strict=True))
            body.append(BodyRow(rkey, r, (rlabel,), (Cell(rlabel, Role.ROW, r, 0),), values))
        sections.append(Section(row, 2, _by_position(header), tuple(columns), tuple(body)))
        row += 2 + len(block.rows)
    return TableLayout("s2", "二", S2_TITLE, SHEET_S2, 1, width, tuple(sections))


def _s3(d: Definition) -> TableLayout:
    labels = 3  # 一、… / （一）… / 1.…
    columns = d.s3_columns + (S3_TOTAL_COLUMN,)
    orgs = _members([k for k, _ in columns], d.s3_org_columns, "表三")
    header = [Cell(S3_NOTE, Role.NOTE, 0, 0, rowspan=3, colspan=labels),
              Cell(S3_APPLICANT_HEADER, Role.GROUP, 0, labels, colspan=len(columns))]
    cols = []
    for i, (ckey, clabel) in enumerate(columns):
        c = labels + i
        if i in orgs:
            if i == orgs[0]:
                header.append(Cell(S3_ORG_HEADER, Role.GROUP, 1, c, colspan=len(orgs)))
            header.append(Cell(clabel, Role.COLUMN, 2, c))
            cols.append(Column(ckey, clabel, (S3_APPLICANT_HEADER, S3_ORG_HEADER)))
        else:
            header.append(Cell(clabel, Role.COLUMN, 1, c, rowspan=2))
            cols.append(Column(ckey, clabel, (S3_APPLICANT_HEADER,)))
    rows = d.s3_rows
    level1_runs = run_lengths([r.level1 if r.level2 else f"\0{i}" for i, r in enumerate(rows)])
    level2_runs = run_lengths([f"{r.level1}\0{r.level2}" if r.level3 else f"\0{i}" for i, r in enumerate(rows)])
    body = []
    for i, row in enumerate(rows):
        r = 3 + i
        cells = []
        if not row.level2:
            cells.append(Cell(row.level1, Role.ROW, r, 0, colspan=3, align="left"))
        else:
            if level1_runs[i]:
                cells.append(Cell(row.level1, Role.ROWGROUP, r, 0, rowspan=level1_runs[i]))
            if not row.level3:
                cells.append(Cell(row.level2, Role.ROW, r, 1, colspan=2, align="left"))
            else:
                if level2_runs[i]:
                    cells.append(Cell(row.level2, Role.ROWGROUP, r, 1, rowspan=level2_runs[i]))
                cells.append(Cell(row.level3, Role.ROW, r, 2, align="left"))
        values = tuple(Value(s3_id(row.key, ckey), r, labels + j) for j, (ckey, _) in enumerate(columns))
        names = tuple(p for p in (row.level1, row.level2, row.level3) if p)
        body.append(BodyRow(row.key, r, names, tuple(cells), values, total=row.computed))
    section = Section(0, 3, _by_position(header), tuple(cols), tuple(body))
    return TableLayout("s3", "三", S3_TITLE, SHEET_S3, labels, len(columns), (section,), note=S3_NOTE, unit="件")


def _s4(d: Definition) -> TableLayout:
    results = d.s4_results + (S4_TOTAL,)
    per = len(results)
    suits = _members([g for g, _ in d.s4_groups], d.s4_litigation_groups, "表四")
    header = []
    cols = []
    values = []
    for i, (gkey, glabel) in enumerate(d.s4_groups):
        c0 = i * per
        if i in suits:  # 行政诉讼 / the group / its results
            if i == suits[0]:
                header.append(Cell(S4_LITIGATION, Role.GROUP, 0, c0, colspan=per * len(suits)))
            header.append(Cell(glabel, Role.GROUP, 1, c0, colspan=per))
            groups: tuple[str, ...] = (S4_LITIGATION, glabel)
        else:  # the group / its results, two rows high
            header.append(Cell(glabel, Role.GROUP, 0, c0, colspan=per))
            groups = (glabel,)
        for k, (rkey, rlabel) in enumerate(results):
            header.append(Cell(rlabel, Role.COLUMN, 2 if i in suits else 1, c0 + k, rowspan=1 if i in suits else 2))
            cols.append(Column(f"{gkey}_{rkey}", rlabel, groups))
            values.append(Value(s4_id(gkey, rkey), 3, c0 + k))
    section = Section(0, 3, _by_position(header), tuple(cols), (BodyRow("", 3, (), (), tuple(values)),))
    return TableLayout("s4", "四", S4_TITLE, SHEET_S4, 0, len(cols), (section,), unit="件")


def _placed(table: TableLayout, form: Form) -> TableLayout:
    """``table`` placed where the form has its fields; every field of its section shown once, on its cell."""
    origins = set()
    shown = []
    for v in table.values():
        f = form.by_id.get(v.field)
        if f is None or f.sheet != table.sheet:
            raise ValueError(f"表{table.section}: value cell {v.field} is not a field of sheet {table.sheet}")
        origins.add((f.row - v.row, column_index(f.column) - v.col))
        shown.append(v.field)
    expected = [f.id for f in form.fields if f.section == table.section]
    if sorted(shown) != sorted(expected):
        raise ValueError(f"表{table.section}: the layout shows {len(shown)} fields, the form has {len(expected)}")
    if len(origins) != 1:
        raise ValueError(f"表{table.section}: the grid does not fall on the fields' cells ({sorted(origins)})")
    (origin,) = origins
    return replace(table, origin=origin)


def build_layout(definition: Definition = DEFINITION, form: Form | None = None) -> Layout:
    """The layout of ``definition``'s tables, with its form (built from the definition unless given)."""
    form = form if form is not None else build_form(definition)
    return Layout(definition, form, *(_placed(t(definition), form) for t in (_s2, _s3, _s4)))


LAYOUT = build_layout(DEFINITION, FORM)
