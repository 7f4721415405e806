"""Old Word (.doc) and RTF published reports: converted by LibreOffice, then read as Word.

The .doc is made at test time by LibreOffice Writer from a real report (平潭综合实验区 2023, a CMS page in
tests/data/published/real/, hand-labelled): the cells read from it must be the cells printed there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import soffice_convert
from xl_disclosure.cli.main import cli
from xl_disclosure.form import S3_COLUMNS, S3_ROWS, s3_id
from xl_disclosure.readers.doc import OLE_MAGIC
from xl_disclosure.readers.published import ParseError
from xl_disclosure.readers.published_file import parse_file

REAL = Path(__file__).parent / "data" / "published" / "real"
COLUMNS = [c for c, _ in S3_COLUMNS] + ["total"]


@pytest.fixture(scope="module")
def doc(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("doc")
    made = soffice_convert(REAL / "pingtan-2023.html", out, "doc:MS Word 97")
    named = out / "平潭综合实验区 2023 年度报告.doc"  # a name with spaces and Chinese, as downloaded
    made.rename(named)
    assert named.read_bytes().startswith(OLE_MAGIC)
    return named


@pytest.mark.libreoffice
def test_a_doc_reads_as_the_page_it_was_made_from(doc):
    expected = json.loads((REAL / "pingtan-2023.expected.json").read_text(encoding="utf-8"))
    values = parse_file(doc).report.values
    for row in S3_ROWS:
        printed = expected["section3"].get(row)
        if printed is not None:
            assert [values[s3_id(row, c)] for c in COLUMNS] == printed, row
    assert values["s3_new_total"] == expected["section3"]["new"][-1]


@pytest.mark.libreoffice
def test_parse_and_validate_take_a_doc_from_the_command_line(doc, tmp_path):
    out = tmp_path / "读出.json"
    res = CliRunner().invoke(cli, ["parse", str(doc), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "表格数字全部读出" in res.output
    assert json.loads(out.read_text(encoding="utf-8"))["report"]["section3"]["s3_new_natural"] == 80
    res = CliRunner().invoke(cli, ["validate", str(doc)])
    assert res.exit_code in (0, 1) and "无法读取" not in res.output, res.output


def test_a_doc_that_is_not_word_is_refused(tmp_path):
    fake = tmp_path / "年度报告.doc"
    fake.write_text("<html>这是网页另存的</html>", encoding="utf-8")
    with pytest.raises(ParseError, match=r"年度报告\.doc：扩展名是 \.doc，但不是 Word 97-2003 文档。请在 Word/WPS 中另存为"):
        parse_file(fake)


def test_without_libreoffice_the_message_says_how_to_go_on(tmp_path, monkeypatch):
    doc = tmp_path / "年度报告.doc"
    doc.write_bytes(OLE_MAGIC + b"\0" * 4096)
    monkeypatch.setenv("XL_DISCLOSURE_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(ParseError, match="读取它需要 LibreOffice（soffice）。请安装 LibreOffice，或在 Word/WPS 中另存为 .docx"):
        parse_file(doc)


@pytest.mark.libreoffice
def test_a_damaged_doc_is_refused_in_words(tmp_path):
    doc = tmp_path / "损坏.doc"
    doc.write_bytes(OLE_MAGIC + bytes(range(256)) * 64)
    res = CliRunner().invoke(cli, ["parse", str(doc)])
    assert res.exit_code == 2
    assert "损坏.doc：LibreOffice 无法打开这个 .doc 文件" in res.output or "未找到年度报告的表格" in res.output, res.output
    assert "Traceback" not in res.output


# ---------------------------------------------------------------- RTF: the same route as .doc

RTF = REAL / "converted" / "pingtan-2023.libreoffice.rtf"  # the Word file of the page, saved as RTF by Writer


@pytest.mark.libreoffice
def test_an_rtf_reads_as_the_page_it_was_made_from():
    expected = json.loads((REAL / "pingtan-2023.expected.json").read_text(encoding="utf-8"))
    assert RTF.read_bytes().startswith(b"{\\rtf")
    values = parse_file(RTF).report.values
    for row in S3_ROWS:
        printed = expected["section3"].get(row)
        if printed is not None:
            assert [values[s3_id(row, c)] for c in COLUMNS] == printed, row


def test_an_rtf_that_is_not_rtf_is_refused(tmp_path):
    fake = tmp_path / "年度报告.rtf"
    fake.write_text("<html>这是网页另存的</html>", encoding="utf-8")
    with pytest.raises(ParseError, match=r"年度报告\.rtf：扩展名是 \.rtf，但不是 RTF 文档。请在 Word/WPS 中另存为"):
        parse_file(fake)


def test_an_rtf_without_libreoffice_says_how_to_go_on(tmp_path, monkeypatch):
    rtf = tmp_path / "年度报告.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi 2024}")
    monkeypatch.setenv("XL_DISCLOSURE_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(ParseError, match="是 RTF 文件，读取它需要 LibreOffice（soffice）。请安装 LibreOffice，或在 Word/WPS 中另存为"):
        parse_file(rtf)


# --- WPS 文字 .wps: Kingsoft's OLE file holding a Word 97-2003 document, read through the same path as .doc ----

@pytest.mark.libreoffice
def test_a_wps_reads_as_the_page_it_was_made_from(doc, tmp_path):
    """No WPS Office here: the Word 97-2003 file LibreOffice made of the real 平潭 2023 page, under a .wps name
    (Kingsoft's .wps files hold the same binary Word document), read as the .doc is."""
    wps = tmp_path / "平潭综合实验区 2023 年度报告.wps"
    wps.write_bytes(doc.read_bytes())
    got = parse_file(wps).report.values
    assert got == parse_file(doc).report.values and got["s3_new_natural"] == 80


def test_a_wps_that_is_no_word_document_is_refused(tmp_path):
    for data in ("<html>这是网页另存的</html>".encode(), OLE_MAGIC + b"\0" * 504):  # a web page; an OLE file of no Word
        fake = tmp_path / "年度报告.wps"
        fake.write_bytes(data)
        with pytest.raises(ParseError, match=r"年度报告\.wps：扩展名是 \.wps，但不是 WPS 文字文档.*请在 WPS 中另存为 \.docx"):
            parse_file(fake)


@pytest.mark.libreoffice
def test_a_damaged_wps_is_refused_in_words(tmp_path):
    damaged = tmp_path / "损坏.wps"
    damaged.write_bytes(OLE_MAGIC + "WordDocument".encode("utf-16-le") + bytes(range(256)) * 64)
    res = CliRunner().invoke(cli, ["parse", str(damaged)])
    assert res.exit_code == 2
    assert "损坏.wps：LibreOffice 无法打开这个 .wps 文件" in res.output or "未找到年度报告的表格" in res.output, res.output
    assert "Traceback" not in res.output


def test_a_wps_without_libreoffice_says_how_to_go_on(tmp_path, monkeypatch):
    fake = tmp_path / "年度报告.wps"
    fake.write_bytes(OLE_MAGIC + "WordDocument".encode("utf-16-le") + b"\0" * 504)
    monkeypatch.setenv("XL_DISCLOSURE_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(ParseError, match=r"是 WPS 文字文档（\.wps），读取它需要 LibreOffice（soffice）"):
        parse_file(fake)
