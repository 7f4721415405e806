"""Hostile and malformed input (issue 8): never crash, never hang, never leak, bounded memory.

The corpus is generated at test time by tests/hostile/make_corpus.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from tests.hostile.make_corpus import MARKER, make_corpus
from tests.hostile.measure import MAX_RSS_MB, MAX_SECONDS, run_measured

from xl_disclosure.api import validate_file
from xl_disclosure.readers.workbook import read_workbook

CORPUS_DIR: Path | None = None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    return out, make_corpus(out)


def _names() -> list[str]:
    # Names are stable; generate once into a throwaway dir at collection time would be slow,
    # so the list is read from the generator's own table through a tiny build.
    import tempfile

    global CORPUS_DIR
    if CORPUS_DIR is None:
        CORPUS_DIR = Path(tempfile.mkdtemp(prefix="hostile-names-"))
        make_corpus(CORPUS_DIR)
    return sorted(p.name for p in CORPUS_DIR.iterdir() if not p.name.startswith("_"))


@pytest.mark.parametrize("name", _names())
def test_validate_cli_on_hostile_file(corpus, name):
    out, cases = corpus
    case = cases[name]
    code, text, cpu, rss = run_measured(
        [sys.executable, "-m", "xl_disclosure", "validate", "--json", "-", name], out)
    assert "Traceback" not in text, text
    assert code in case.exit, f"{name}: exit {code}, expected {sorted(case.exit)}\n{text}"
    assert cpu < MAX_SECONDS, f"{name}: {cpu:.1f} s of CPU"
    assert rss < MAX_RSS_MB, f"{name}: peak RSS {rss:.0f} MB"
    assert MARKER not in text
    if code == 2:
        assert name in text, "the message names the file"
        for fragment in case.reason:
            assert fragment in text, f"{name}: {fragment!r} not in {text}"
    for fragment in case.reason if code != 2 else ():
        assert fragment in text, f"{name}: {fragment!r} not in {text}"


def test_read_workbook_never_raises_and_never_leaks(corpus):
    out, cases = corpus
    for name, case in cases.items():
        result = validate_file(out / name, display=name)
        if case.exit == {2}:
            assert result.read_error is not None, name
        elif 2 not in case.exit:
            assert result.read_error is None, (name, result.read_error)
        assert MARKER not in str(result.to_json()), name
        if result.read_error:
            assert name in result.read_error


def test_entities_are_never_resolved_by_calamine_or_openpyxl(corpus):
    """Bypassing our preflight: the libraries themselves must not expand or resolve entities."""
    out, cases = corpus
    entity_cases = [n for n, c in cases.items() if "entity" in c.tags]
    assert len(entity_cases) >= 20
    for name in entity_cases:
        path = out / name
        try:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            seen = [book.get_sheet_by_name(s).to_python() for s in book.sheet_names]
        except Exception as exc:  # refusing is fine; leaking or expanding is not
            seen = [str(exc)]
        assert MARKER not in repr(seen), f"calamine resolved an external entity in {name}"
        assert "lollollol" not in repr(seen), f"calamine expanded entities in {name}"
        try:
            wb = openpyxl.load_workbook(path)
            seen = [[c.value for row in ws.iter_rows() for c in row] for ws in wb.worksheets]
        except Exception as exc:
            seen = [str(exc)]
        assert MARKER not in repr(seen), f"openpyxl resolved an external entity in {name}"
        assert "lollollol" not in repr(seen), f"openpyxl expanded entities in {name}"


def test_text_cases_read_back_exactly(corpus):
    """Formula-like text, 32,767-character narratives and non-BMP characters survive unchanged."""
    out, _cases = corpus
    for name in ("formula-injection.xlsx", "non-bmp.xlsx", "long-narratives.xlsx"):
        result = read_workbook(out / name)
        assert result.read_error is None, result.read_error
        wb = openpyxl.load_workbook(out / name)
        from xl_disclosure.form import FORM, Kind

        for f in FORM.inputs:
            if f.kind in (Kind.LONGTEXT, Kind.TEXT):
                written = wb[f.sheet][f.cell].value
                if written is not None:
                    assert result.report.values[f.id] == written.strip() or result.report.values[f.id] == written, f.id


def test_output_to_a_folder_or_unwritable_place_fails_cleanly(corpus, tmp_path):
    out, _cases = corpus
    good = out / "西霞院 街道 2024 年报.xlsx"
    folder = tmp_path / "a folder.json"
    folder.mkdir()
    unwritable = Path("/proc/xl-disclosure-test/out.json") if os.geteuid() == 0 else tmp_path / "ro" / "out.json"
    if os.geteuid() != 0:
        unwritable.parent.mkdir()
        unwritable.parent.chmod(0o500)
    for target in (folder, unwritable):
        for args in (["validate", "--json", str(target), str(good)], ["export", "-o", str(target), str(good)]):
            code, text, _cpu, _rss = run_measured([sys.executable, "-m", "xl_disclosure", *args], out)
            assert code != 0 and "Traceback" not in text, text
            assert str(target) in text or str(target.parent) in text, text
    existing = tmp_path / "keep.json"
    existing.write_text("old", encoding="utf-8")
    code, text, _w, _r = run_measured([sys.executable, "-m", "xl_disclosure", "validate", "--json", str(existing),
                                       "empty.xlsx"], out)
    assert code == 2 and existing.read_text(encoding="utf-8") != "old"  # written atomically, whole
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_calamine_panic_is_a_read_error(corpus):
    """Were a part holding cells let through, calamine panics on it; that must still be a clear read error."""
    out, _cases = corpus
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n"
        "from xl_disclosure.readers import workbook as reader\n"
        "reader._holds_cells = lambda data: False\n"
        "r = reader.read_workbook(sys.argv[1])\n"
        "print(r.read_error)\n"
    )
    code, text, _cpu, _rss = run_measured([sys.executable, "-c", script, str(out / "far-cell-in-styles.xlsx")], out)
    assert code == 0, text
    assert "工作表“依申请公开”无法读取" in text and "Traceback" not in text
