"""A package ready to publish: licence, the wheel's files, the sdist's tests, the pins explained, the README."""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    return zipfile.ZipFile(next(out.glob("xl_disclosure-*.whl")))


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sdist")
    subprocess.run([sys.executable, "-m", "build", "--sdist", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    archive = next(out.glob("xl_disclosure-*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(out / "x", filter="data")
    return next((out / "x").iterdir())


def test_licence_is_mit_as_declared():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_every_package_data_glob_matches_a_file_in_the_wheel(wheel):
    names = wheel.namelist()
    for package, globs in PYPROJECT["tool"]["setuptools"]["package-data"].items():
        base = package.replace(".", "/") + "/"
        for glob in globs:
            assert fnmatch.filter(names, base + glob), f"{package}: {glob} matches nothing in the wheel"
    assert "xl_disclosure/cli/locale/zh_CN/LC_MESSAGES/messages.mo" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.startswith(("tests/", "xl_disclosure/cli/locale/zh_CN/LC_MESSAGES/__init__")) for n in names)


def test_every_pin_is_explained():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = text[text.index("dependencies = ["):text.index("]", text.index("dependencies = ["))]
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if re.search(r'"[^"]*(==|<)[^"]*"', line):
            comment = "#" in line or any(ln.strip().startswith("#") for ln in lines[max(0, i - 3):i])
            assert comment, f"no comment says why: {line.strip()}"
    assert '"xlwings==0.37.8"' in block


def test_jsonschema_is_a_runtime_dependency_because_it_is_used_at_run_time():
    deps = " ".join(PYPROJECT["project"]["dependencies"])
    assert "jsonschema" in deps
    assert "import jsonschema" in (ROOT / "src/xl_disclosure/model/reportjson.py").read_text(encoding="utf-8")


def test_readme_installs_from_the_repository_or_a_wheel():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install xl-disclosure" not in readme.replace("pip install xl-disclosure[", "")  # not published yet
    assert "pip wheel --no-deps -w dist ." in readme and "pip install dist/xl_disclosure-" in readme
    version = PYPROJECT["project"]["version"]
    assert f"xl_disclosure-{version}-py3-none-any.whl" in readme


def test_the_sdist_holds_what_its_tests_need_and_they_collect(sdist):
    for need in ("LICENSE", "tests/conftest.py", "tests/data", "tests/hostile", "schema/report.schema.json",
                 "templates/report_template.xlsx", "docs/compile.md", "src/xl_disclosure/cli/locale"):
        assert (sdist / need).exists(), need
    env = {**os.environ, "PYTHONPATH": str(sdist / "src")}  # the sdist's own code, not this checkout's
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                               cwd=sdist, env=env, capture_output=True, text=True, timeout=600)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    here = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    count = re.compile(r"^(\d+) tests? collected", re.M)
    assert count.search(collected.stdout).group(1) == count.search(here.stdout).group(1)


def test_some_of_the_sdists_tests_pass(sdist):
    env = {**os.environ, "PYTHONPATH": str(sdist / "src")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_schema.py",
                          "tests/test_cli_conventions.py", "-k", "not soffice"], cwd=sdist, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "passed" in run.stdout and "failed" not in run.stdout
    assert str(sdist / "src") in subprocess.run(
        [sys.executable, "-c", "import xl_disclosure; print(xl_disclosure.__file__)"], cwd=sdist, env=env,
        capture_output=True, text=True).stdout
