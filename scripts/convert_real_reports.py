"""Regenerate tests/data/published/real/converted/: the corpus's real HTML reports as real engines convert them.

Assessors rarely get a report as the web page it was published as: they get a Word file someone made from the
page, a PDF exported from that Word file, a PDF the browser printed ("save as PDF"), or the text of the page
copied out of the browser.  Each real HTML report of the corpus is put through those engines here, so that
tests/test_real_reports.py can score the same report, with the same hand-read cells, in every format:

* ``<name>.libreoffice.docx`` — LibreOffice Writer opens the page and saves it as Word 2007–365
  (``soffice --headless --convert-to docx:"MS Word 2007 XML"``);
* ``<name>.libreoffice.pdf`` — LibreOffice Writer exports that .docx as PDF (``--convert-to pdf``): a Word-like
  PDF with ruled tables;
* ``<name>.chromium.pdf`` — Chromium prints the page to PDF (``chromium --headless --print-to-pdf``) with its
  default header and footer (date, page title, address, “1/5”), as the print dialog's "save as PDF" does; tables
  break across pages wherever the page ends;
* ``<name>.chromium-a5.pdf`` — the same print on A5 paper (``@page {size: A5}`` added to a copy of the page),
  as a narrow page or a phone's print gives it: labels wrap over more lines, and table 三 breaks inside its
  merged cells;
* ``<name>.chromium-copy.txt`` — the text of the page as the browser gives it when the whole page is copied:
  Chromium's ``document.body.innerText`` (cells of a row separated by tabs, rows by line breaks, a paragraph
  inside a cell on lines of its own), taken with ``--dump-dom`` from a copy of the page that writes it out;
* ``<name>.chromium-<how>.pdf`` — for some reports, the print of a copy of the page restyled as readers restyle
  it before printing (see ``RESTYLED``): a serif font, the page zoomed, cells padded;
* ``<name>.libreoffice-[ruled-]table<N>.pdf`` — for some reports, the Word file with its tables' text set in
  N-point type (as offices print tables in 小四 or 四号), exported by LibreOffice Writer (see ``TABLE_SIZES``):
  numbers wrap inside their narrow cells, and a ruled table may grow past the page's edge;
* ``<name>.libreoffice-vertical-<dir>.pdf`` — for some reports, the Word file with the group labels of its
  tables (“三、本年度办理结果”, “（四）无法提供”, “申请人情况” …) set in vertical text, as Word's and WPS's
  “文字方向” sets them in the national template (see ``VERTICAL``: ``w:textDirection`` ``btLr`` turns the text 90°
  anticlockwise, ``tbRlV`` stacks upright characters), exported by LibreOffice Writer;
* ``<name>.libreoffice.txt`` — the Word file above saved as plain text by LibreOffice Writer
  (``--convert-to "txt:Text (encoded):UTF8"``): every paragraph on a line, so every table cell on a line of
  its own, an empty cell an empty line, nothing between two rows.

A Word report published as a web page, and the other engines assessors' files come from:

* ``<name>.libreoffice.html`` — that Word file saved as a web page by LibreOffice Writer
  (``--convert-to "html:HTML (StarWriter)"``, what ``--convert-to html`` picks for a text document): every
  cell a ``<td width=..>`` holding ``<p>`` paragraphs with their own classes and styles, as a Word document
  pasted into a CMS or exported as HTML gives it;
* ``<name>.libreoffice.xhtml`` — the same as XHTML (``--convert-to "xhtml:XHTML Writer File:UTF8"``): an XML
  declaration before the page, tables with one class per cell;
* ``<name>.libreoffice.odt`` — the Word file saved as OpenDocument text (``--convert-to odt``), a WPS or
  LibreOffice user's report;
* ``<name>.libreoffice.rtf`` — the Word file saved as RTF (``--convert-to rtf``);
* ``<name>.chromium.mhtml`` — Chromium saves the page as a single file (“网页，单个文件”, what Word's “单个文件网页”
  .mht is too): the page as the ``text/html`` part of a MIME message, quoted-printable; taken with the DevTools
  protocol's ``Page.captureSnapshot`` through Playwright (Chromium has no command-line switch for it);
* ``<name>.pandoc.docx`` — pandoc converts the page to Word (``pandoc -f html -t docx``);
* ``<name>.pandoc.md`` — pandoc converts the page to Markdown (``pandoc -f html -t gfm``), the "Markdown
  conversion" other tools feed on: tables with merged cells are kept as raw HTML ``<table>`` blocks;
* ``<name>.pandoc.txt`` — pandoc converts the page to plain text (``pandoc -f html -t plain``): tables drawn
  with dashes and spaces, cells aligned in columns (a CJK character two columns wide), a table it cannot draw
  (merged cells over rows and columns at once) written ``[TABLE]``;
* ``<name>.pandoc-docx.txt`` — pandoc converts the Word file (the LibreOffice .docx above) to plain text
  (``pandoc -f docx -t plain``): the Word table's column widths make them multiline tables, a blank line
  between two rows.

Only the ``ENGINES`` chosen for a report are made (every engine for every report would triple the suite's
parse time for little: the three pages differ in table layout, and each engine meets each layout once or
more).

Needs ``soffice`` (Debian: libreoffice-writer-nogui), ``chromium`` (Debian: chromium), ``pandoc`` (Debian:
pandoc) and Playwright (a test dependency); the tests read only the committed files, never the engines.  Run from the repository root:
``python scripts/convert_real_reports.py`` (``--only NAME`` to convert one report).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "published" / "real"
OUT = REAL / "converted"
TIMEOUT = 180
#: The engines of the second set (see above) made for each report; the first set is made for all.
ENGINES = {
    "city-2025-anonymised": ("libreoffice.html", "chromium.mhtml", "pandoc.md"),
    "pingtan-2023": ("libreoffice.html", "libreoffice.xhtml", "libreoffice.rtf", "pandoc.docx", "pandoc.md",
                     "pandoc.txt"),
    "shanghai-bangongting-2019": ("libreoffice.html", "libreoffice.xhtml", "libreoffice.odt", "pandoc.docx",
                                  "pandoc.md", "pandoc.txt", "pandoc-docx.txt"),
}
#: LibreOffice's export filter for each of those made from the Word file.
_LIBREOFFICE_FILTERS = {
    "libreoffice.html": "html:HTML (StarWriter)",
    "libreoffice.xhtml": "xhtml:XHTML Writer File:UTF8",
    "libreoffice.odt": "odt",
    "libreoffice.rtf": "rtf",
}
#: pandoc's output format for each of those made from the page (``pandoc-docx.``: from the Word file).
_PANDOC_FORMATS = {"pandoc.docx": "docx", "pandoc.md": "gfm", "pandoc.txt": "plain", "pandoc-docx.txt": "plain"}

#: (report, name, style sheet): prints of a restyled copy of a page, each chosen for what it moves.
RESTYLED = (
    # a serif font's taller lines put “六、其他需要报告的事项” alone at the top of the last page
    ("city-2025-anonymised", "serif", "* { font-family: 'Noto Serif CJK SC' !important }"),
    # small text (9 px): a group label's last glyph (“理”) between two item lines, the items' numbering in a
    # Latin font whose glyphs centre lower than the CJK ones
    ("city-2025-anonymised", "small", "td { font-size: 9px }"),
    # wide line spacing: a wrapped label's lines further apart than a glyph's height
    ("city-2025-anonymised", "spaced", "p, td { line-height: 2.2 }"),
    # every line justified (分散对齐): labels spread over their cells, the first number glued to them
    ("city-2025-anonymised", "justified", "td { text-align: justify; text-align-last: justify }"),
    # padded cells without rulings: a block heading of table 二 as near to the row above as a wrapped label
    ("city-2025-anonymised", "padded", "table { width: 100% !important } td { padding: 6px !important }"),
    # text zoomed (a reader's “larger text”): table 三's last row goes alone to the top of a page
    ("shanghai-bangongting-2019", "zoom", "body { zoom: 1.6 }"),
    # padded cells: table 三 breaks inside （三）不予公开, its items' column first ruled on the next page
    ("shanghai-bangongting-2019", "padded", "table { width: 100% !important } td { padding: 6px !important }"),
)

#: (report, point size, ruled): the Word file with its tables' text in this size, exported as PDF; ruled: made
#: from a copy of the page whose tables have borders (``border="1"``).
TABLE_SIZES = (
    # 14 pt: totals wrap in the narrow 总计 column (“1381” over “0”), labels of two columns touch
    ("city-2025-anonymised", 14, False),
    # 18 pt: numbers wrap in two lines set around the row's line (“216” over “8”)
    ("city-2025-anonymised", 18, False),
    # ruled, 14 pt: table 三 wider than the page, its 总计 column cut at the page's edge (“14069” leaves “1”)
    ("city-2025-anonymised", 14, True),
)


#: (report, direction): the Word file with its tables' group labels in vertical text (``w:textDirection``),
#: exported as PDF.
VERTICAL = (
    ("pingtan-2023", "btLr"),
    ("city-2025-anonymised", "tbRlV"),
)
#: Cells set vertical: the short group labels of tables 三 and 四.
_GROUP_LABEL = re.compile(r"本年度办理结果|申请人情况|不予公开|无法提供|不予处理|其他处理|法人或其他组织")


def _with_vertical_labels(docx: Path, out: Path, direction: str) -> None:
    import docx as python_docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = python_docx.Document(str(docx))
    for table in doc.tables:
        for tc in table._tbl.iter(qn("w:tc")):
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if len(text) < 20 and _GROUP_LABEL.search(text):
                turn = OxmlElement("w:textDirection")
                turn.set(qn("w:val"), direction)
                tc.get_or_add_tcPr().append(turn)
    doc.save(str(out))


def table_size_name(points: int, ruled: bool) -> str:
    return f"libreoffice-{'ruled-' if ruled else ''}table{points}"


def _with_table_size(docx: Path, out: Path, points: int) -> None:
    import docx as python_docx
    from docx.shared import Pt

    doc = python_docx.Document(str(docx))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(points)
    doc.save(str(out))


#: Replaces the page by its innerText once loaded, so that --dump-dom hands the text over.
_COPY_SCRIPT = (
    "<script>window.addEventListener('load',()=>{const t=document.body.innerText;"
    "const pre=document.createElement('pre');pre.id='copied-text';pre.textContent=t;"
    "document.body.replaceChildren(pre);});</script>"
)


def _with_style(page: str, css: str) -> str:
    """``page`` with a style sheet holding ``css`` at the end of its head (or at its start, without one)."""
    style = f"<style>{css}</style>"
    at = page.lower().find("</head>")
    return page[:at] + style + page[at:] if at >= 0 else style + page


def _run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, check=True, timeout=TIMEOUT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _mhtml(page: Path) -> str:
    """The page as Chromium saves it as a single file (MHTML), through the DevTools protocol."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            tab = browser.new_page()
            tab.goto(page.as_uri())
            snapshot = tab.context.new_cdp_session(tab).send("Page.captureSnapshot", {"format": "mhtml"})
        finally:
            browser.close()
    return str(snapshot["data"])


def convert(src: Path, work: Path, env: dict[str, str], wanted: set[str] | None = None) -> list[Path]:
    """Make the converted copies of the page ``src`` (only the engines in ``wanted``, when given)."""
    name = src.stem
    page = work / f"{name}.html"
    shutil.copyfile(src, page)
    made: list[Path] = []

    def want(engine: str) -> bool:
        return wanted is None or engine in wanted

    # (a) Word file by LibreOffice Writer, from the page (the other LibreOffice files are made from it)
    _run(["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work), str(page)], env)
    if want("libreoffice.docx"):
        docx = OUT / f"{name}.libreoffice.docx"
        shutil.copyfile(work / f"{name}.docx", docx)
        made.append(docx)
    # (b) PDF by LibreOffice Writer, from that Word file
    if want("libreoffice.pdf"):
        pdf_dir = work / "pdf"
        _run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(pdf_dir), str(work / f"{name}.docx")],
             env)
        lo_pdf = OUT / f"{name}.libreoffice.pdf"
        shutil.copyfile(pdf_dir / f"{name}.pdf", lo_pdf)
        made.append(lo_pdf)
    # (b') PDF by LibreOffice Writer, from that Word file with its tables in larger type
    for report, points, ruled in TABLE_SIZES:
        if report == name and want(f"{table_size_name(points, ruled)}.pdf"):
            how = table_size_name(points, ruled)
            pdf_dir = work / "pdf"
            docx = work / f"{name}.docx"
            if ruled:
                ruled_dir = work / "ruled"
                ruled_dir.mkdir(exist_ok=True)
                ruled_page = ruled_dir / f"{name}.html"
                ruled_page.write_text(re.sub(r"<table\b", '<table border="1" cellspacing="0"',
                                             src.read_text(encoding="utf-8")), encoding="utf-8")
                _run(["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(ruled_dir),
                      str(ruled_page)], env)
                docx = ruled_dir / f"{name}.docx"
            sized = work / f"{name}.{how}.docx"
            _with_table_size(docx, sized, points)
            _run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(pdf_dir), str(sized)], env)
            sized_pdf = OUT / f"{name}.{how}.pdf"
            shutil.copyfile(pdf_dir / f"{name}.{how}.pdf", sized_pdf)
            made.append(sized_pdf)
    # (b'') PDF by LibreOffice Writer, from that Word file with its group labels in vertical text
    for report, direction in VERTICAL:
        if report == name and want(f"libreoffice-vertical-{direction}.pdf"):
            how = f"libreoffice-vertical-{direction}"
            pdf_dir = work / "pdf"
            turned = work / f"{name}.{how}.docx"
            _with_vertical_labels(work / f"{name}.docx", turned, direction)
            _run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(pdf_dir), str(turned)], env)
            turned_pdf = OUT / f"{name}.{how}.pdf"
            shutil.copyfile(pdf_dir / f"{name}.{how}.pdf", turned_pdf)
            made.append(turned_pdf)
    # (c) PDF printed by Chromium, with the print dialog's default header and footer
    if want("chromium.pdf"):
        chrome_pdf = OUT / f"{name}.chromium.pdf"
        _run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={chrome_pdf}", str(page)],
             env)
        made.append(chrome_pdf)
    # (c') the same print on A5 paper
    if want("chromium-a5.pdf"):
        a5_page = work / f"{name}.a5.html"
        a5_page.write_text(_with_style(src.read_text(encoding="utf-8"), "@page { size: A5 }"), encoding="utf-8")
        a5_pdf = OUT / f"{name}.chromium-a5.pdf"
        _run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={a5_pdf}", str(a5_page)],
             env)
        made.append(a5_pdf)
    # (c'') prints of restyled copies of the page
    for report, how, css in RESTYLED:
        if report == name and want(f"chromium-{how}.pdf"):
            restyled = work / f"{name}.{how}.html"
            restyled.write_text(_with_style(src.read_text(encoding="utf-8"), css), encoding="utf-8")
            restyled_pdf = OUT / f"{name}.chromium-{how}.pdf"
            _run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={restyled_pdf}",
                  str(restyled)], env)
            made.append(restyled_pdf)
    # (d) the page's text as the browser copies it
    if want("chromium-copy.txt"):
        copy_page = work / f"{name}.copy.html"
        copy_page.write_text(src.read_text(encoding="utf-8") + _COPY_SCRIPT, encoding="utf-8")
        dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                              str(copy_page)], check=True, timeout=TIMEOUT, env=env, capture_output=True,
                             text=True).stdout
        m = re.search(r'<pre id="copied-text">(.*?)</pre>', dom, re.S)
        if m is None:
            raise RuntimeError(f"{name}: chromium gave no text")
        text = OUT / f"{name}.chromium-copy.txt"
        text.write_text(html.unescape(m.group(1)), encoding="utf-8")
        made.append(text)
    # (e) the Word file saved as plain text by LibreOffice Writer
    if want("libreoffice.txt"):
        txt_dir = work / "txt"
        _run(["soffice", "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(txt_dir),
              str(work / f"{name}.docx")], env)
        lo_txt = OUT / f"{name}.libreoffice.txt"
        shutil.copyfile(txt_dir / f"{name}.txt", lo_txt)
        made.append(lo_txt)
    for engine in ENGINES.get(name, ()):
        if not want(engine):
            continue
        out = OUT / f"{name}.{engine}"
        if engine == "chromium.mhtml":
            # (h) the page saved by Chromium as a single file
            out.write_text(_mhtml(page), encoding="utf-8", newline="")
        elif engine in _LIBREOFFICE_FILTERS:
            # (f) the Word file saved by LibreOffice Writer as a web page, XHTML, OpenDocument text or RTF
            sub = work / engine
            _run(["soffice", "--headless", "--convert-to", _LIBREOFFICE_FILTERS[engine], "--outdir", str(sub),
                  str(work / f"{name}.docx")], env)
            shutil.copyfile(sub / f"{name}.{engine.rsplit('.', 1)[1]}", out)
        elif engine.startswith("pandoc-docx."):
            # (g') the Word file converted by pandoc
            _run(["pandoc", "-f", "docx", "-t", _PANDOC_FORMATS[engine], "-o", str(out), str(work / f"{name}.docx")],
                 env)
        else:
            # (g) the page converted by pandoc
            _run(["pandoc", "-f", "html", "-t", _PANDOC_FORMATS[engine], "-o", str(out), str(page)], env)
        made.append(out)
    return made


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="convert only this report (file name without .html)")
    ap.add_argument("--engine", action="append",
                    help="make only this copy, named as in the file names (libreoffice.odt, pandoc.md, …); repeatable")
    args = ap.parse_args()
    for tool in ("soffice", "chromium", "pandoc"):
        if shutil.which(tool) is None:
            print(f"{tool} not found (Debian: apt-get install libreoffice-writer-nogui chromium pandoc)",
                  file=sys.stderr)
            return 2
    OUT.mkdir(exist_ok=True)
    sources = [p for p in sorted(REAL.glob("*.html")) if args.only in (None, p.stem)]
    with tempfile.TemporaryDirectory(prefix="convert-reports-") as tmp:
        work = Path(tmp)
        env = {"HOME": str(work / "home"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        for src in sources:
            for path in convert(src, work, env, set(args.engine) if args.engine else None):
                print(path.relative_to(REAL.parent.parent.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
