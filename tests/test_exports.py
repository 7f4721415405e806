"""Exports people open: the summary workbook printed (LibreOffice → PDF), the wide CSV in Excel/LibreOffice,
the long CSV and Parquet in pandas."""

from __future__ import annotations

import csv
import random
import re
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from conftest import soffice_convert
from xl_disclosure import api
from xl_disclosure.form import FORM, Kind, uscc
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, seed_report
from xl_disclosure.model.summary import Compilation, FileRow, Totals
from xl_disclosure.writers import summary as summary_writer
from xl_disclosure.writers.summary import EXCEL_MAX_ROWS, code_text, field_header, write_long_csv, write_wide_csv

AGENCIES = 7


def _code(rng: random.Random, digits_only: bool) -> str:
    """A valid 18-character code; all digits (what Excel turns into 1.1E+17) or with letters."""
    while True:
        body = "11" + "".join(rng.choice("0123456789") for _ in range(15)) if digits_only else \
            "91" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(15))
        for check in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if uscc.problem(body + check) is None:
                if not digits_only or check.isdigit():
                    return body + check
                break


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> tuple[Path, list[Report]]:
    root = tmp_path_factory.mktemp("exports")
    rng = random.Random(17)
    reports = []
    for i in range(AGENCIES):
        r = random_report(rng, agency=f"某某县第{i}号机关", year=2024)
        # An all-digit code, one with an E between digits (Excel's scientific notation), the rest with letters.
        r.values["cover_uscc"] = _code(rng, digits_only=i == 0) if i != 1 else "91410300123E456789"
        r.values["cover_phone"] = "03711234567"
        reports.append(r)
    inbox = root / "in"
    inbox.mkdir()
    for i, r in enumerate(reports):
        (inbox / f"r{i}.json").write_text(r.dumps(), encoding="utf-8")
    api.compile([inbox], xlsx=root / "汇总.xlsx", csv_path=root / "long.csv", wide_csv=root / "明细.csv",
                parquet=root / "long.parquet", include_invalid=True, jobs=1)
    return root, reports


# ---------------------------------------------------------------------------
# wide CSV
# ---------------------------------------------------------------------------

def test_wide_csv_has_readable_headings_then_field_ids(compiled):
    root, reports = compiled
    raw = (root / "明细.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel on Chinese Windows reads it as UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:3] == ["文件", "状态", "计入汇总"]
    assert rows[1] == ["file", "status", "counted", *(f.id for f in FORM.fields), "reuse"]
    assert rows[0][-1] == "与上年重复率" and {r[-1] for r in rows[2:]} == {""}  # compiled without --prior
    at = rows[1].index("s3_new_natural")
    assert rows[0][at] == "三·一、本年新收政府信息公开申请数量·自然人"
    assert len(set(rows[0])) == len(rows[0])
    assert len(rows) == 2 + AGENCIES
    codes = [r[rows[1].index("cover_uscc")] for r in rows[2:]]
    assert sorted(c.strip() for c in codes) == sorted(str(r.values["cover_uscc"]) for r in reports)
    assert all(c.startswith("\t") for c in codes)


def test_wide_csv_keeps_codes_as_text_in_libreoffice(compiled, tmp_path):
    root, reports = compiled
    xlsx = soffice_convert(root / "明细.csv", tmp_path / "lo", "xlsx", infilter="CSV:44,34,76,1")
    ws = openpyxl.load_workbook(xlsx).active
    ids = [c.value for c in ws[2]]
    col = ids.index("cover_uscc") + 1
    got = {str(ws.cell(r, col).value).strip() for r in range(3, 3 + AGENCIES)}
    assert all(isinstance(ws.cell(r, col).value, str) for r in range(3, 3 + AGENCIES))  # text, not 1.1E+17
    assert got == {str(r.values["cover_uscc"]) for r in reports}
    phone = ids.index("cover_phone") + 1
    assert str(ws.cell(3, phone).value).strip() == "03711234567"  # the leading 0 kept
    number = ids.index("s3_new_total") + 1
    assert isinstance(ws.cell(3, number).value, int | float)  # numbers stay numbers


def test_wide_csv_in_pandas(compiled):
    root, reports = compiled
    df = pd.read_csv(root / "明细.csv", header=1, converters={"cover_uscc": str.strip, "cover_phone": str.strip})
    assert len(df) == AGENCIES
    assert set(df["cover_uscc"]) == {str(r.values["cover_uscc"]) for r in reports}
    assert df["s3_new_total"].dtype.kind in "if"


def test_a_large_wide_csv_opens_in_libreoffice_as_utf8_with_its_codes(tmp_path):
    """Every code kept as text in a province-sized file: 300,000 agencies (300,002 rows, well within
    1,048,576) of a form cut to three cover fields, so the test stays about a minute long."""
    n = 300_000
    small = SimpleNamespace(fields=FORM.groups["cover"][:3])  # name, code, type
    target = tmp_path / "wide.csv"
    assert write_wide_csv(_many(n), target, form=small) == n + 2  # type: ignore[arg-type]
    # Opened as a user opens it: comma-separated, UTF-8 (the BOM says so), quoted fields.
    xlsx = soffice_convert(target, tmp_path / "lo", "xlsx", infilter="CSV:44,34,76,1")
    ws = openpyxl.load_workbook(xlsx, read_only=True).active
    rows = ws.iter_rows(min_row=3, values_only=True)
    for i, row in enumerate(rows):  # every row: a code LibreOffice turned into a number would show here
        assert row[3] == f"机关{i}" and isinstance(row[4], str) and row[4].strip() == _fake_code(i), row
    assert i == n - 1


def test_wide_csv_rows_within_excel_for_300000_agencies():
    assert EXCEL_MAX_ROWS >= 300_000 + 2
    assert write_rows_needed(300_000) == 300_002


def write_rows_needed(agencies: int) -> int:
    return len(summary_writer.wide_header(FORM)) + agencies


class _ManyComp(Compilation):
    def agency_reports(self):  # no spool: rows made on the fly
        for i in range(len(self.rows)):
            yield self.rows[i], Report({"cover_agency_name": f"机关{i}", "cover_uscc": _fake_code(i)}, {})


def _fake_code(i: int) -> str:
    return f"11{i:016d}"


def _many(n: int) -> Compilation:
    rows = [FileRow(index=i, file=f"{i}.xlsx", path="", status="通过", counted=True) for i in range(n)]
    return _ManyComp(rows=rows, totals=Totals(), year=2024, include_invalid=False, expected=None, missing=[],
                     duplicates=[], prior=None, spool_dir=Path(tempfile.mkdtemp()), agency_rows=list(range(n)))


# ---------------------------------------------------------------------------
# long CSV, Parquet
# ---------------------------------------------------------------------------

def test_long_csv_in_pandas_has_a_numeric_value_column(compiled):
    root, reports = compiled
    df = pd.read_csv(root / "long.csv", converters={"统一社会信用代码": str.strip})  # as docs/compile.md shows
    assert df["数值"].dtype == "float64"
    assert df["文字"].notna().sum() > 0 and df.loc[df["文字"].notna(), "数值"].isna().all()
    assert set(df["统一社会信用代码"]) == {str(r.values["cover_uscc"]) for r in reports}
    total = df.loc[df["字段"] == "s3_new_total", "数值"].sum()
    assert total == sum(r.total("s3_new_total") for r in reports)


def test_docs_show_the_read_csv_line_the_test_uses():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "compile.md").read_text(encoding="utf-8")
    assert 'pd.read_csv("long.csv", converters={"统一社会信用代码": str.strip})' in doc
    agencies = (EXCEL_MAX_ROWS - 1) // summary_writer.long_rows_per_agency()
    assert f"{agencies:,} 个机关" in doc


def test_parquet_is_typed(compiled):
    root, reports = compiled
    df = pd.read_parquet(root / "long.parquet")
    assert df["数值"].dtype == "float64" and df["年度"].dtype.kind == "i"
    assert set(df["统一社会信用代码"]) == {str(r.values["cover_uscc"]) for r in reports}
    assert len(df) == AGENCIES * summary_writer.long_rows_per_agency()


def test_parquet_without_pyarrow_says_how_to_install(monkeypatch, tmp_path):
    import builtins

    real = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(api.UsageError, match=re.escape('pip install "xl-disclosure[parquet]"')):
        summary_writer.write_long_parquet(_many(1), tmp_path / "x.parquet")
    assert not (tmp_path / "x.parquet").exists()


def test_a_long_csv_past_excels_rows_says_so(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(summary_writer, "EXCEL_MAX_ROWS", 10)
    comp = _many(1)
    rows = iter([(comp.rows[0], seed_report())])
    monkeypatch.setattr(_ManyComp, "counted_reports", lambda self: rows)
    with caplog.at_level("WARNING", logger="xl_disclosure"):
        written = write_long_csv(comp, tmp_path / "long.csv")
    assert written == 1 + summary_writer.long_rows_per_agency() > 10
    assert "超过 Excel 每个工作表 10 行的上限" in caplog.text and "--wide-csv" in caplog.text


def test_code_text_and_headers():
    assert code_text("114103000000000001") == "\t114103000000000001" and code_text("") == ""
    assert code_text("=1+1") == "\t'=1+1"
    f = next(f for f in FORM.fields if f.kind is Kind.COUNT)
    assert field_header(f).startswith(f.section + "·")


# ---------------------------------------------------------------------------
# the summary workbook printed
# ---------------------------------------------------------------------------

def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _dark_pixels(pdf: Path, page: int, box: tuple[float, float, float, float], tmp: Path) -> int:
    """Dark pixels poppler draws in ``box`` (points) of ``page``: LibreOffice also exports the text of the part
    of a chart that a page cuts off, but clipped — only drawing tells what shows."""
    x0, y0, x1, y1 = box
    out = tmp / f"crop{page}_{int(x0)}_{int(y0)}"
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "72", "-gray", "-x", str(int(x0)), "-y",
                    str(int(y0)), "-W", str(int(x1 - x0) + 1), "-H", str(int(y1 - y0) + 1), str(pdf), str(out)],
                   check=True)
    data = next(tmp.glob(out.name + "*.pgm")).read_bytes()
    pixels = data.split(b"\n", 3)[3]
    return sum(1 for b in pixels if b < 128)


def _shown_on(pdf: Path, words: tuple[str, ...], tmp: Path) -> dict[str, list[int]]:
    """The pages on which each of ``words`` is drawn (visible), by poppler's word boxes and a rendering."""
    shown: dict[str, list[int]] = {w: [] for w in words}
    for page in range(1, _pages(pdf) + 1):
        xml = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                             capture_output=True, text=True, check=True).stdout
        for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', xml):
            for w in words:
                if m.group(5) == w and _dark_pixels(pdf, page, tuple(map(float, m.groups()[:4])), tmp):
                    shown[w].append(page)
    return shown


def test_summary_workbook_prints_on_few_pages_each_chart_on_its_own(compiled, tmp_path):
    root, _ = compiled
    pdf = soffice_convert(root / "汇总.xlsx", tmp_path / "pdf", "pdf")
    assert _pages(pdf) <= 10  # was 56 for seven agencies
    titles = ("本年度办理结果构成", "报送文件校验状态", "各机关本年新收政府信息公开申请数")
    shown = _shown_on(pdf, titles, tmp_path)
    assert all(len(pages) == 1 for pages in shown.values()), shown
    assert len({pages[0] for pages in shown.values()}) == 3, shown  # one page each
    page = shown[titles[0]][0]
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", str(page), "-l", str(page), str(pdf),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png")).read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > height  # landscape


def test_detail_sheet_print_setup(compiled):
    root, _ = compiled
    wb = openpyxl.load_workbook(root / "汇总.xlsx")
    ws = wb["明细"]
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0  # as wide as one page
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2" and ws.print_title_cols == "$A:$A"
    charts = wb["图表"]
    assert len(charts.row_breaks.brk) == 2
