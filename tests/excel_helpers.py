"""Helpers for the Excel-button tests: xlwings' remote engine, and LibreOffice as an oracle.

The remote engine (``xw.Book(json=...)``) lives in xlwings' ``pro`` folder, which
is licensed PolyForm Noncommercial 1.0.0; it is enabled with the licence key
``noncommercial``.  Only these tests use it — the button itself runs the
classic BSD-licensed RunPython path in Excel.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import subprocess
import tempfile
import textwrap
import uuid
from pathlib import Path
from typing import Any

import openpyxl

LICENSE_ENV = "XLWINGS_LICENSE_KEY"


def remote_engine() -> Any:
    """Import xlwings with its remote engine registered (noncommercial licence key)."""
    os.environ.setdefault(LICENSE_ENV, "noncommercial")
    import xlwings as xw

    if "remote" not in [e.name for e in xw.engines]:
        # xlwings was imported before the key was set: register the engine now.
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))
    return xw


def _json_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return f"{v.isoformat()}T00:00:00.000Z"
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return float(v)  # Excel sends every number as a double
    return v


def book_json(path: Path, name: str | None = None) -> dict[str, Any]:
    """The JSON an Excel client sends for ``path`` (cell values, as cached in the file)."""
    import xlwings as xw

    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = [[_json_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
        sheets.append({"name": ws.title, "values": rows or [[]], "pictures": [], "tables": [],
                       "shapes": [], "charts": [], "notes": [], "print_area": None})
    return {
        "client": "Microsoft Office Scripts",
        "version": xw.__version__,
        "book": {"name": name or path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def apply_actions(src: Path, actions: list[dict[str, Any]], dst: Path) -> Path:
    """Replay the remote engine's recorded write actions onto a copy of ``src`` (openpyxl).

    Only what a client would do with ``addSheet``/``setValues``/clearing and
    column widths; anything else fails loudly so new write-backs are noticed.
    """
    wb = openpyxl.load_workbook(src)
    order = [ws.title for ws in wb.worksheets]
    for a in actions:
        func = a["func"]
        if func == "addSheet":
            index, name = a["args"]
            wb.create_sheet(name, index)
            order.insert(index, name)
        elif func in ("setValues", "sheetClearContents", "setColumnWidth", "setWrapText", "activateSheet",
                      "alert", "setFontProperty", "setAutofit"):
            if func == "setValues":
                ws = wb[order[a["sheet_position"]]]
                for i, row in enumerate(a["values"]):
                    for j, v in enumerate(row):
                        ws.cell(a["start_row"] + 1 + i, a["start_column"] + 1 + j, None if v == "" else v)
            elif func == "sheetClearContents":
                ws = wb[order[a["sheet_position"]]]
                for row in ws.iter_rows():
                    for c in row:
                        c.value = None
            elif func == "setColumnWidth":
                ws = wb[order[a["sheet_position"]]]
                letter = openpyxl.utils.get_column_letter(a["start_column"] + 1)
                ws.column_dimensions[letter].width = a["args"][0]
            elif func == "setAutofit":
                ws = wb[order[a["sheet_position"]]]
                assert a["args"] == ["rows"], a
                _fit_rows(ws, a["start_row"] + 1, a["start_row"] + a["row_count"],
                          a["start_column"] + 1, a["start_column"] + a["column_count"])
            elif func in ("setWrapText", "setFontProperty"):
                ws = wb[order[a["sheet_position"]]]
                for r in range(a["start_row"] + 1, a["start_row"] + a["row_count"] + 1):
                    for c in range(a["start_column"] + 1, a["start_column"] + a["column_count"] + 1):
                        cell = ws.cell(r, c)
                        if func == "setWrapText":
                            cell.alignment = openpyxl.styles.Alignment(wrap_text=bool(a["args"][0]), vertical="top")
                        elif a["args"][0] == "bold":
                            cell.font = openpyxl.styles.Font(bold=bool(a["args"][1]), color=cell.font.color)
                        elif a["args"][0] == "color":
                            cell.font = openpyxl.styles.Font(bold=cell.font.bold, color=a["args"][1].lstrip("#"))
            elif func == "activateSheet":
                wb.active = wb.worksheets.index(wb[order[a["args"][0]]])
        else:
            raise AssertionError(f"unexpected write action {func}: {a}")
    wb.save(dst)
    return dst


def _fit_rows(ws: Any, r0: int, r1: int, c0: int, c1: int) -> None:
    """Row heights for wrapped text, as Excel's AutoFit would set them (LibreOffice keeps file heights)."""
    for r in range(r0, r1 + 1):
        lines = 1
        for c in range(c0, c1 + 1):
            v = ws.cell(r, c).value
            if v is None or (isinstance(v, str) and v.startswith("=")):
                continue
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width or 8.43
            used = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(v))
            lines = max(lines, math.ceil(used / max(width - 1, 1)))
        ws.row_dimensions[r].height = 15 * lines


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice (soffice) is required for this test"
    return exe


#: The start of every UNO script run under the system Python: ``prop`` and ``in_office``, which starts a headless
#: LibreOffice on a private profile, connects to it, calls ``body(desktop)`` and always shuts the office down.
UNO_SESSION = textwrap.dedent(
    r'''
    import json, sys, time, subprocess
    import uno
    from com.sun.star.beans import PropertyValue

    def prop(name, value):
        p = PropertyValue(); p.Name = name; p.Value = value; return p

    def in_office(soffice, profile, body, tries=480):
        pipe = "xld" + str(abs(hash(profile)))
        proc = subprocess.Popen([soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible",
                                 "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;"])
        ctx = None
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
            for _ in range(tries):
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:
                    time.sleep(0.25)
            body(ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx))
        finally:
            try:
                if ctx is not None:
                    ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).terminate()
            except Exception:
                pass
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    '''
)

UNO_INSPECT = UNO_SESSION + textwrap.dedent(
    r'''
    soffice, profile, path, out = sys.argv[1:5]
    filter_name = sys.argv[5] if len(sys.argv) > 5 else ""

    def inspect(desktop):
        args = [prop("Hidden", True), prop("MacroExecutionMode", 0)]
        if filter_name:
            args.append(prop("FilterName", filter_name))
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, tuple(args))
        result = {"modules": {}, "buttons": [], "sheets": list(doc.Sheets.ElementNames)}
        libs = doc.BasicLibraries
        result["libraries"] = list(libs.ElementNames)
        for lib_name in libs.ElementNames:
            if lib_name == "Standard":
                continue
            libs.loadLibrary(lib_name)
            lib = libs.getByName(lib_name)
            for name in lib.ElementNames:
                result["modules"][name] = lib.getByName(name)
        for sheet_name in doc.Sheets.ElementNames:
            forms = doc.Sheets.getByName(sheet_name).DrawPage.Forms
            for i in range(forms.Count):
                form = forms.getByIndex(i)
                for ci in range(form.Count):
                    control = form.getByIndex(ci)
                    events = [(e.ListenerType, e.EventMethod, e.ScriptType, e.ScriptCode)
                              for e in form.getScriptEvents(ci)]
                    label = getattr(control, "Label", None)
                    result["buttons"].append({"sheet": sheet_name, "label": label, "events": events})
        doc.close(True)
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(result, fh, ensure_ascii=False)

    in_office(soffice, profile, inspect, tries=240)
    '''
)


def uno_python() -> str:
    """A Python that can ``import uno`` (the system python3 with python3-uno)."""
    for exe in ("/usr/bin/python3", shutil.which("python3") or ""):
        if exe and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    raise AssertionError("python3-uno is required for this test (apt-get install python3-uno)")


def lo_inspect(path: Path, filter_name: str = "") -> dict[str, Any]:
    """Load ``path`` in headless LibreOffice; return its VBA modules and form buttons with their events."""
    with tempfile.TemporaryDirectory(prefix="lo-uno-") as tmp:
        script = Path(tmp) / "inspect.py"
        script.write_text(UNO_INSPECT, encoding="utf-8")
        out = Path(tmp) / "out.json"
        profile = f"file://{tmp}/profile-{uuid.uuid4().hex}"
        proc = subprocess.run([uno_python(), str(script), soffice(), profile, str(path.resolve()), str(out), filter_name],
                              capture_output=True, text=True, timeout=300)
        assert out.exists(), f"LibreOffice inspection failed: {proc.stdout}\n{proc.stderr}"
        return json.loads(out.read_text(encoding="utf-8"))


def soffice_to(src: Path, out_dir: Path, target: str) -> Path:
    """``src`` opened in headless LibreOffice and saved as ``target`` in ``out_dir``."""
    from conftest import soffice_convert

    return soffice_convert(src, out_dir, target)


def render_sheet_png(xlsx: Path, sheet: str, out_png: Path, marker: str,
                     crop: tuple[int, int, int, int] | None = None) -> Path:
    """Render one sheet of ``xlsx`` with LibreOffice (landscape, fit to width) to a PNG of its first page.

    ``marker`` is text on that sheet; it finds the right page of the PDF.
    """
    import openpyxl.worksheet.properties

    with tempfile.TemporaryDirectory(prefix="xld-render-") as tmp:
        wb = openpyxl.load_workbook(xlsx)
        ws = wb[sheet]
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = openpyxl.worksheet.properties.PageSetupProperties(fitToPage=True)
        staged = Path(tmp) / "render.xlsx"
        wb.save(staged)
        pdf = soffice_to(staged, Path(tmp), "pdf")
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        page = next(i for i, text in enumerate(pages, start=1) if marker in text)
        stem = Path(tmp) / "page"
        box = [] if crop is None else ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])]
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page), "-singlefile", *box,
                        str(pdf), str(stem)], check=True)
        out_png.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f"{stem}.png", out_png)
    return out_png


class _FormulaRange:
    """A desktop-engine-like range: ``.options(ndim=2).value`` and ``.formula`` as Excel's COM returns them."""

    def __init__(self, values_ws, formulas_ws, first, last):
        self.v, self.f, self.first, self.last = values_ws, formulas_ws, first, last

    def options(self, **_):
        return self

    def _grid(self, ws, convert):
        r0, c0 = self.first
        r1, c1 = self.last
        return tuple(tuple(convert(ws.cell(r, c).value) for c in range(c0, c1 + 1)) for r in range(r0, r1 + 1))

    @property
    def value(self):
        return [list(row) for row in self._grid(self.v, lambda x: x)]

    @property
    def formula(self):
        return self._grid(self.f, lambda x: "" if x is None else (x if isinstance(x, str) else str(x)))


class _DesktopSheet:
    def __init__(self, name, values_ws, formulas_ws):
        self.name, self.v, self.f = name, values_ws, formulas_ws

    def range(self, first, last=None):
        return _FormulaRange(self.v, self.f, first, last or first)

    @property
    def used_range(self):
        return _FormulaRange(self.v, self.f, (1, 1), (self.v.max_row, self.v.max_column))


class DesktopBook:
    """An open book as Excel's desktop engine shows it to the button: values and formulas (from the file)."""

    def __init__(self, path):
        values, formulas = openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(path)
        self._sheets = {n: _DesktopSheet(n, values[n], formulas[n]) for n in values.sheetnames}

    @property
    def sheets(self):
        book = self

        class _Sheets(dict):
            def __iter__(self):
                return iter(self.values())

        return _Sheets(book._sheets)
