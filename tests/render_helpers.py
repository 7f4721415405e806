"""Helpers for the rendering tests: expected tables straight from the form, and grids read back from outputs.

The expected grids are written from the form definition and the raw report
values (totals summed here, not by the code under test); the actual grids are
read back from the rendered .docx (python-docx) and .html (lxml), with merged
cells expanded so that every grid position shows the text of the cell covering it.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import lxml.html

from xl_disclosure.form import (
    FORM,
    S2_BLOCKS,
    S3_APPLICANT_HEADER,
    S3_COLUMNS,
    S3_NOTE,
    S3_ORG_HEADER,
    S3_RESULTS_LABEL,
    S3_ROWS,
    S3_TOTAL_COLUMN,
    S4_GROUPS,
    S4_LITIGATION,
    S4_RESULTS,
    S4_TOTAL,
    s3_id,
)
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report

Number = int | float
Expected = str | Number  # a str is a label (exact), a number is a data cell


def raw(values: dict, fid: str) -> Number:
    v = values[fid]
    assert isinstance(v, int | float), (fid, v)
    return v


def expected_s2(values: dict) -> list[list[Expected]]:
    width = 1 + max(len(b.columns) for b in S2_BLOCKS)
    grid: list[list[Expected]] = []
    for block in S2_BLOCKS:
        span = (width - 1) // len(block.columns)
        grid.append([block.item] * width)
        grid.append(["信息内容"] + [label for _, label in block.columns for _ in range(span)])
        for rkey, rlabel in block.rows:
            grid.append([rlabel] + [raw(values, f"s2_{rkey}_{ckey}") for ckey, _ in block.columns for _ in range(span)])
    return grid


def s3_value(values: dict, row: str, col: str) -> Number:
    """A cell of table 三, totals summed here from the inputs."""
    inputs = [c for c, _ in S3_COLUMNS]
    results = [r.key for r in S3_ROWS if r.level1 == S3_RESULTS_LABEL and not r.computed]
    if col == "total":
        return sum(s3_value(values, row, c) for c in inputs)
    if row == "results_total":
        return sum(raw(values, s3_id(r, col)) for r in results)
    return raw(values, s3_id(row, col))


def expected_s3(values: dict) -> list[list[Expected]]:
    orgs = [label for _, label in S3_COLUMNS[1:]]
    grid: list[list[Expected]] = [
        [S3_NOTE] * 3 + [S3_APPLICANT_HEADER] * 7,
        [S3_NOTE] * 3 + [S3_COLUMNS[0][1]] + [S3_ORG_HEADER] * 5 + [S3_TOTAL_COLUMN[1]],
        [S3_NOTE] * 3 + [S3_COLUMNS[0][1]] + orgs + [S3_TOTAL_COLUMN[1]],
    ]
    for row in S3_ROWS:
        if not row.level2:
            labels = [row.level1] * 3
        elif not row.level3:
            labels = [row.level1, row.level2, row.level2]
        else:
            labels = [row.level1, row.level2, row.level3]
        grid.append(labels + [s3_value(values, row.key, c) for c, _ in S3_COLUMNS + (S3_TOTAL_COLUMN,)])
    return grid


def s4_value(values: dict, group: str, result: str) -> Number:
    if result == "total":
        return sum(raw(values, f"s4_{group}_{r}") for r, _ in S4_RESULTS)
    return raw(values, f"s4_{group}_{result}")


def expected_s4(values: dict) -> list[list[Expected]]:
    results = [label for _, label in S4_RESULTS] + [S4_TOTAL[1]]
    (g0, l0), *suits = S4_GROUPS
    return [
        [l0] * 5 + [S4_LITIGATION] * 10,
        results + [label for _, label in suits for _ in range(5)],
        results + results * len(suits),
        [s4_value(values, g, r) for g, _ in S4_GROUPS for r, _ in list(S4_RESULTS) + [S4_TOTAL]],
    ]


def expected_numbers(values: dict) -> list[Number]:
    """Every number printed in tables 二, 三 and 四, once per table cell (a merged cell counts once)."""
    out: list[Number] = [raw(values, f"s2_{r}_{c}") for b in S2_BLOCKS for r, _ in b.rows for c, _ in b.columns]
    for row in expected_s3(values)[3:]:
        out += [v for v in row if not isinstance(v, str)]
    out += [v for v in expected_s4(values)[-1] if not isinstance(v, str)]
    return out


def to_number(text: str) -> float:
    assert re.fullmatch(r"\d+(\.\d+)?", text), f"not a number: {text!r}"
    return float(text)


def assert_grid(actual: list[list[str]], expected: list[list[Expected]], name: str) -> None:
    assert len(actual) == len(expected), f"{name}: {len(actual)} rows, expected {len(expected)}"
    for r, (arow, erow) in enumerate(zip(actual, expected, strict=True)):
        assert len(arow) == len(erow), f"{name} row {r}: {len(arow)} columns, expected {len(erow)}"
        for c, (a, e) in enumerate(zip(arow, erow, strict=True)):
            if isinstance(e, str):
                assert a == e, f"{name}[{r}][{c}]: {a!r} != label {e!r}"
            else:
                assert abs(to_number(a) - e) < 1e-9, f"{name}[{r}][{c}]: {a!r} != {e!r}"


def docx_grids(path: Path) -> list[list[list[str]]]:
    """Every table of a .docx as a grid of cell texts (merged cells repeated over their span)."""
    d = docx.Document(str(path))
    return [[[cell.text for cell in row.cells] for row in t.rows] for t in d.tables]


def html_grids(text: str) -> dict[str, list[list[str]]]:
    """Every table of an HTML page by id, as a grid (rowspan/colspan expanded)."""
    root = lxml.html.fromstring(text)
    out = {}
    for table in root.iter("table"):
        grid: dict[tuple[int, int], str] = {}
        rows = table.xpath("./thead/tr | ./tbody/tr | ./tr")
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr.xpath("./th | ./td"):
                while (r, c) in grid:
                    c += 1
                rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
                for dr in range(rs):
                    for dc in range(cs):
                        grid[(r + dr, c + dc)] = cell.text_content()
                c += cs
        n_rows = max(r for r, _ in grid) + 1
        n_cols = max(c for _, c in grid) + 1
        out[table.get("id")] = [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]
    return out


def distinct_report(seed: int = 7) -> Report:
    """A consistent report whose table numbers are (almost all) different, so each can be found in a PDF."""
    # a city government: the only kind of agency here that may report 规章 (plausibility.rule_making)
    rep = random_report(random.Random(seed), agency="某某市人民政府")
    v = rep.values
    v["cover_agency_type"] = "设区的市级人民政府"
    results = [r.key for r in S3_ROWS if r.level1 == S3_RESULTS_LABEL and not r.computed]
    for c, (ckey, _) in enumerate(S3_COLUMNS):
        for i, rkey in enumerate(results):
            v[s3_id(rkey, ckey)] = 100 + i * 6 + c
        total = sum(100 + i * 6 + c for i in range(len(results)))
        v[s3_id("next", ckey)] = 10 + c
        v[s3_id("carried", ckey)] = 20 + c
        v[s3_id("new", ckey)] = total + (10 + c) - (20 + c)
    for i, f in enumerate(FORM.groups["section2"]):
        v[f.id] = 12.3456 if f.kind.value == "amount" else 31 + i
    for i, f in enumerate(f for f in FORM.groups["section4"] if f.is_input):
        v[f.id] = 41 + i
    return rep


def soffice_pdf(srcs: list[Path], out_dir: Path) -> list[Path]:
    """Convert documents to PDF with one headless LibreOffice run (a private profile per call)."""
    from conftest import soffice_convert_all

    return soffice_convert_all(srcs, out_dir, "pdf")


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext from poppler-utils)."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is required for this test"
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


#: For pictures of the Word output on machines without the Chinese government fonts: the closest free
#: faces (Noto CJK SC) stand in for them, as Word/WPS on such a machine would substitute too.
FONTCONFIG_SUBSTITUTES = {
    "方正小标宋简体": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "楷体": "Noto Serif CJK SC",
}


def first_page_png(target: Path, *, dpi: int = 110) -> Path:
    """Render the seed report to Word, print it with LibreOffice and save its first page as PNG."""
    import os

    from xl_disclosure.model.samples import seed_report
    from xl_disclosure.writers.render import render_report

    with tempfile.TemporaryDirectory(prefix="render-png-") as tmp_name:
        tmp = Path(tmp_name)
        aliases = "".join(
            f"<alias binding=\"same\"><family>{name}</family><prefer><family>{sub}</family></prefer></alias>"
            for name, sub in FONTCONFIG_SUBSTITUTES.items()
        )
        conf = tmp / "fonts.conf"
        conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                        f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>{aliases}</fontconfig>',
                        encoding="utf-8")
        docx_path = render_report(seed_report(), tmp / "seed.docx")
        old = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(conf)
        try:
            (pdf,) = soffice_pdf([docx_path], tmp)
        finally:
            if old is None:
                os.environ.pop("FONTCONFIG_FILE", None)
            else:
                os.environ["FONTCONFIG_FILE"] = old
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(tmp / "page")], check=True, timeout=120)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp / "page.png", target)
    return target


if __name__ == "__main__":  # python tests/render_helpers.py docs/render-first-page.png
    import sys

    print(first_page_png(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/render-first-page.png")))
