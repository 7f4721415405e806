"""The library: one function per command, returning result objects and never printing.

The command line (:mod:`xl_disclosure.cli`) is a thin layer over these
functions; other programs call them directly.  See docs/api.md for an example
of each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xl_disclosure.batch.agencies import load_prior, read_expected
from xl_disclosure.batch.compile import compile_reports, default_jobs, write_outputs
from xl_disclosure.batch.merge import expand_summaries, merge_summaries
from xl_disclosure.errors import UsageError, XlDisclosureError
from xl_disclosure.model.schema import schema_texts, stale_files
from xl_disclosure.model.summary import Compilation
from xl_disclosure.readers.dispatch import (
    JSON_SUFFIXES,
    PUBLISHED_SUFFIXES,
    SUPPORTED_SUFFIXES,
    WORKBOOK_SUFFIXES,
    ReadError,
    load_report,
    validate_file,
)
from xl_disclosure.writers.atomic import write_text_atomic

__all__ = [
    "CompileResult",
    "UsageError",
    "XlDisclosureError",
    "compile",
    "default_jobs",
    "load_prior",
    "merge",
    "read_expected",
    "stale_schemas",
    "write_schemas",
    "JSON_SUFFIXES",
    "PUBLISHED_SUFFIXES",
    "SUPPORTED_SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "ReadError",
    "load_report",
    "validate_file",
]


@dataclass
class CompileResult:
    """A finished compile or merge: the status of every file, the totals, and the outputs written."""

    compilation: Compilation
    written: list[str]
    strict: bool = False

    @property
    def exit_code(self) -> int:
        """0 when every file was read and passed (with --strict: without warnings), else 1."""
        return self.compilation.exit_code_for(strict=self.strict)


def _distinct_outputs(xlsx: str | Path, json_path: str | Path | None, csv_path: str | Path | None,
                      inputs: Sequence[Path] = ()) -> None:
    seen: dict[Path, str] = {p.resolve(): "输入" for p in inputs}
    for option, value in (("-o", xlsx), ("--json", json_path), ("--csv", csv_path)):
        if value is None:
            continue
        path = Path(value)
        if path.is_dir():
            raise UsageError(f"{option} {value} 是一个文件夹，请给出文件名。")
        other = seen.get(path.resolve())
        if other == "输入":
            raise UsageError(f"{option} {value} 也是要合并的汇总之一，请换一个输出文件名，以免覆盖它。")
        seen[path.resolve()] = option


def compile(inputs: Sequence[str | Path], *, xlsx: str | Path, json_path: str | Path | None = None,
            csv_path: str | Path | None = None, strict: bool = False, **options: Any) -> CompileResult:
    """Validate and aggregate every input (files, folders, patterns) and write the summary outputs.

    ``options`` are those of :func:`xl_disclosure.batch.compile.compile_reports`:
    ``year``, ``expected`` (from :func:`read_expected`), ``prior`` (from
    :func:`load_prior`), ``include_invalid``, ``jobs``, ``progress``.
    """
    _distinct_outputs(xlsx, json_path, csv_path)
    with compile_reports(inputs, **options) as comp:
        written = write_outputs(comp, xlsx=xlsx, json_path=json_path, csv_path=csv_path)
    return CompileResult(comp, written, strict)


def merge(summaries: Sequence[str | Path], *, xlsx: str | Path, json_path: str | Path | None = None,
          csv_path: str | Path | None = None, strict: bool = False, year: int | None = None,
          expected: Any = None) -> CompileResult:
    """Combine compile summaries (summary JSON files or patterns) into the same outputs as compile."""
    paths = expand_summaries([str(s) for s in summaries])
    _distinct_outputs(xlsx, json_path, csv_path, paths)
    with merge_summaries(paths, year=year, expected=expected) as comp:
        written = write_outputs(comp, xlsx=xlsx, json_path=json_path, csv_path=csv_path)
    return CompileResult(comp, written, strict)


def stale_schemas(out_dir: str | Path) -> list[str]:
    """Names of the published JSON Schemas in ``out_dir`` that are missing or differ from the form definition."""
    return stale_files(Path(out_dir))


def write_schemas(out_dir: str | Path) -> list[Path]:
    """Write every JSON Schema derived from the form definition into ``out_dir``; returns the paths."""
    written = []
    for name, text in schema_texts().items():
        target = Path(out_dir) / name
        write_text_atomic(target, text)
        written.append(target)
    return written
