"""Word's macro and template containers (.docm, .dotx, .dotm) hold the same WordprocessingML as .docx: read alike.

The files are the real 平潭 2023 report as LibreOffice saved it (.docx, real/SOURCES.md) repackaged here: only the
main part's content type in [Content_Types].xml is changed to the one Word writes for each container (and, for the
macro containers, a vbaProject.bin part is added, which is never read).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from xl_disclosure.readers.dispatch import validate_file
from xl_disclosure.readers.published_file import parse_file

DOCX = Path(__file__).parent / "data" / "published" / "real" / "converted" / "pingtan-2023.libreoffice.docx"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTAINERS = {
    ".docm": "application/vnd.ms-word.document.macroEnabled.main+xml",
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    ".dotm": "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}


def repackaged(folder: Path, suffix: str, content_type: str, *, macros: bool) -> Path:
    out = folder / f"平潭{suffix}"
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                assert data.count(MAIN.encode()) == 1
                data = data.replace(MAIN.encode(), content_type.encode())
            dst.writestr(info, data)
        if macros:
            dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return out


@pytest.mark.parametrize("suffix", list(CONTAINERS))
def test_a_word_container_reads_as_its_docx(tmp_path: Path, suffix: str) -> None:
    path = repackaged(tmp_path, suffix, CONTAINERS[suffix], macros=suffix.endswith("m"))
    want = parse_file(DOCX)
    got = parse_file(path)
    assert got.report.values == want.report.values
    assert got.report.agency == "平潭综合实验区" and got.report.values["s3_new_natural"] == 80
    result = validate_file(path)
    assert result.read_error is None and result.coverage is not None and result.coverage["cells_read"] == 200


def test_another_content_type_is_still_refused(tmp_path: Path) -> None:
    """A container whose main part is not WordprocessingML (here a spreadsheet's type) is refused in Chinese."""
    path = repackaged(tmp_path, ".docm", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                      macros=False)
    result = validate_file(path)
    assert result.report is None and result.read_error is not None
    assert result.read_error.startswith(str(path)) and "Word" in result.read_error
