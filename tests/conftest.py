"""Shared test helpers: filled workbooks, schemas, and LibreOffice headless conversion."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from xl_disclosure.model.report import Report

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = ROOT / "schema"


def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def schema_registry() -> Registry:
    """Every committed schema by its $id, so cross-references resolve offline."""
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def assert_schema_valid(instance: object, schema_name: str) -> None:
    schema = load_schema(schema_name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, registry=schema_registry(), format_checker=cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.fixture(scope="session")
def blank(tmp_path_factory) -> Path:
    """Our blank template, built once for the session (read it, never write to it)."""
    from xl_disclosure.writers.template import build_template

    path = tmp_path_factory.mktemp("tpl") / "blank.xlsx"
    build_template(path)
    return path


@pytest.fixture(scope="module")
def wb(blank):
    """The blank template loaded by openpyxl, one per test module."""
    import openpyxl

    return openpyxl.load_workbook(blank)


def fill_workbook(path: Path, report: Report, **kwargs: object) -> Path:
    """Write ``report``'s inputs into our template at ``path``."""
    from xl_disclosure.writers.template import build_template, fill_values

    build_template(path, values=fill_values(report), **kwargs)
    return path


def soffice_convert(src: Path, out_dir: Path, target: str = "xlsx", *, infilter: str | None = None) -> Path:
    """Open ``src`` in headless LibreOffice (recalculating formulas) and save it as ``target``.

    ``infilter`` is LibreOffice's import filter with its options (e.g. ``CSV:44,34,76,1``: comma, double
    quote, UTF-8, from line 1), for a CSV that headless LibreOffice would otherwise read in the system charset.
    """
    return soffice_convert_all([src], out_dir, target, infilter=infilter)[0]


def soffice_convert_all(srcs: list[Path], out_dir: Path, target: str, *, infilter: str | None = None) -> list[Path]:
    """Every file of ``srcs`` saved as ``target`` in ``out_dir`` by one headless LibreOffice run (its own profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is required for this test; scripts/test.sh installs it"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}/{uuid.uuid4().hex}", "--headless",
               "--norestore", *([f"--infilter={infilter}"] if infilter else []), "--convert-to", target,
               "--outdir", str(out_dir), *map(str, srcs)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    produced = [out_dir / (src.stem + "." + target.split(":")[0]) for src in srcs]
    missing = [p for p in produced if not p.exists()]
    assert not missing, f"LibreOffice did not convert to {missing}: {proc.stdout} {proc.stderr}"
    return produced


@pytest.fixture
def schema_check():
    return assert_schema_valid
