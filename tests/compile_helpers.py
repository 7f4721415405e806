"""Fast generation of many filled workbooks, for the compile tests and the compile benchmark.

Building a workbook with the template generator takes a few hundred
milliseconds; a batch of thousands would take minutes.  :class:`WorkbookFactory`
builds one filled workbook with the real template generator, then writes each
further workbook by rewriting the input cells in that workbook's sheet XML
(every other part is copied as is), so each file is exactly what the template
generator would have produced for that report, apart from the cell values.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from xl_disclosure.form import FORM, SHEET_META
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report

_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_STYLE = re.compile(rb'\ss="([0-9]+)"')


def _cell_xml(ref: bytes, attrs: bytes, value: object) -> bytes:
    m = _STYLE.search(attrs)
    style = b' s="' + m.group(1) + b'"' if m else b""
    if value is None or value == "":
        return b'<c r="' + ref + b'"' + style + b"/>"
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = escape(str(value)).encode("utf-8")
        space = b' xml:space="preserve"' if str(value) != str(value).strip() else b""
        return b'<c r="' + ref + b'"' + style + b' t="inlineStr"><is><t' + space + b">" + text + b"</t></is></c>"
    return b'<c r="' + ref + b'"' + style + b' t="n"><v>' + repr(value).encode() + b"</v></c>"


def rewrite_cells(xml: bytes, cells: dict[str, object]) -> bytes:
    """Replace the given cells (ref -> value) in a worksheet part; every cell must exist in the part."""
    wanted = {k.encode(): v for k, v in cells.items()}
    seen: set[bytes] = set()

    def sub(m: re.Match[bytes]) -> bytes:
        ref = m.group(1)
        if ref not in wanted:
            return m.group(0)
        seen.add(ref)
        return _cell_xml(ref, m.group(2), wanted[ref])

    out = _CELL.sub(sub, xml)
    missing = set(wanted) - seen
    assert not missing, f"cells not in the part: {sorted(missing)[:5]}"
    return out


class WorkbookFactory:
    """Writes filled workbooks fast by varying one workbook built with the real template generator."""

    def __init__(self, work_dir: Path, base: Report | None = None) -> None:
        from xl_disclosure.writers.template import build_template

        work_dir.mkdir(parents=True, exist_ok=True)
        base = base or random_report(random.Random(0), agency="基准机关")
        base_path = work_dir / "_base.xlsx"
        values = {f.id: base.values.get(f.id) for f in FORM.inputs}
        # Every input cell gets a value in the base so that each one is a <c> element to rewrite.
        build_template(base_path, values={k: (v if v is not None else 0 if FORM.by_id[k].is_numeric else "x")
                                          for k, v in values.items()})
        with zipfile.ZipFile(base_path) as zf:
            self.infos = zf.infolist()
            self.members = {i.filename: zf.read(i) for i in self.infos}
            parts = _sheet_parts(zf)
        self.parts = parts
        self.inputs_by_part: dict[str, list[tuple[str, str]]] = {}
        for f in FORM.inputs:
            self.inputs_by_part.setdefault(parts[f.sheet], []).append((f.id, f.cell))
        base_path.unlink()

    def write(self, path: Path, report: Report, *, meta: dict[str, object] | None = None,
              cells: dict[tuple[str, str], object] | None = None) -> Path:
        """A workbook holding ``report``'s inputs; ``meta`` changes _meta values, ``cells`` raw cells."""
        changed: dict[str, bytes] = {}
        extra: dict[str, dict[str, object]] = {}
        for (sheet, cell), value in (cells or {}).items():
            extra.setdefault(self.parts[sheet], {})[cell] = value
        if meta:
            part = self.parts[SHEET_META]
            keys = _meta_rows(self.members[part])
            for key, value in meta.items():
                extra.setdefault(part, {})[f"B{keys[key]}"] = value
        for part in set(self.inputs_by_part) | set(extra):
            cellmap = {cell: report.values.get(fid) for fid, cell in self.inputs_by_part.get(part, [])}
            cellmap.update(extra.get(part, {}))
            changed[part] = rewrite_cells(self.members[part], cellmap)
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.infos:
                out.writestr(info, changed.get(info.filename, self.members[info.filename]),
                             compress_type=zipfile.ZIP_DEFLATED)
        return path


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    book = zf.read("xl/workbook.xml").decode("utf-8")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {m.group(1): m.group(2) for m in re.finditer(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in
                    re.finditer(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = {}
    for m in re.finditer(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
        target = targets[m.group(2)]
        out[m.group(1)] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _meta_rows(xml: bytes) -> dict[str, int]:
    out = {}
    for m in re.finditer(rb'<c r="A([0-9]+)"[^>]*><is><t>([^<]*)</t></is></c>', xml):
        out[m.group(2).decode()] = int(m.group(1))
    return out


def compiled_summary(reports: list[Report], folder: Path, *, expected: list[tuple[str, str]] | None = None) -> Path:
    """A real compile summary of ``reports``: each written as report JSON into ``folder``, compiled with
    ``--include-invalid`` (so every report counts), summary.json written beside the folder."""
    from xl_disclosure.batch.compile import compile_reports
    from xl_disclosure.model.agency import Agency
    from xl_disclosure.writers.summary import write_summary_json

    folder.mkdir(parents=True, exist_ok=True)
    for i, report in enumerate(reports):
        (folder / f"{i:03d}.json").write_text(report.dumps(), encoding="utf-8")
    target = folder.with_suffix(".json")
    listed = None if expected is None else [Agency(name, code) for name, code in expected]
    with compile_reports([folder], include_invalid=True, jobs=1, expected=listed) as comp:
        write_summary_json(comp, target)
    return target
