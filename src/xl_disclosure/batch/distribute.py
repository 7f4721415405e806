"""Batch distribution: one locked template per agency of a list, last year's carry-over prefilled.

:func:`distribute` reads the agency list (:func:`~.agencies.read_agency_list`),
matches each agency to last year's report (:func:`~.agencies.load_prior`, by the one
identity rule of :mod:`xl_disclosure.model.agency`), gives each a file name that is
valid on Windows, macOS and Linux, and writes every template into a temporary
folder before moving them all into place: nothing is left behind if any fails.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xl_disclosure.batch.agencies import AgencyList, load_prior, read_agency_list
from xl_disclosure.form import S3_COLUMNS, s3_id
from xl_disclosure.model.agency import Agency, Prior
from xl_disclosure.model.report import Report
from xl_disclosure.writers.atomic import OutputError, ordinary_folder_permissions
from xl_disclosure.writers.template import DEFAULT_PASSWORD, TemplateFiller, cover_values

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MAX_STEM = 80


def safe_stem(name: str) -> str:
    """A file-name stem that is valid on Windows, macOS and Linux."""
    stem = _BAD_CHARS.sub("_", unicodedata.normalize("NFC", name)).strip().rstrip(". ")
    stem = stem[:MAX_STEM].rstrip(". ")
    if not stem:
        stem = "机关"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return stem


@dataclass
class Planned:
    """One agency's template in a batch."""

    agency: Agency
    file_name: str = ""
    #: Values prefilled besides the cover (last year's carry-over).
    values: dict[str, Any] = field(default_factory=dict)
    #: How last year's report was found: "uscc", "name", or "" (not found).
    prior_matched: str = ""


@dataclass
class Distribution:
    """A finished batch: the list as read, every template written, and how long writing took."""

    agencies: AgencyList
    planned: list[Planned]
    out_dir: Path
    year: int | None
    password: str
    prior: Prior | None = None
    seconds: float = 0.0

    @property
    def matched(self) -> int:
        """How many agencies last year's data was found for."""
        return sum(1 for p in self.planned if p.prior_matched)


def assign_file_names(planned: list[Planned], year: int | None) -> None:
    used: set[str] = set()
    prefix = f"{year}年度_" if year else ""
    for p in planned:
        stem = safe_stem(prefix + p.agency.name)
        candidate, n = stem, 1
        while candidate.casefold() in used:
            n += 1
            candidate = f"{stem}（{n}）"
        used.add(candidate.casefold())
        p.file_name = candidate + ".xlsx"


def carryover_values(prior: Report) -> dict[str, Any]:
    """This year's 上年结转 from last year's 结转下年度继续办理, per applicant column."""
    out: dict[str, Any] = {}
    for ckey, _ in S3_COLUMNS:
        v = prior.number(s3_id("next", ckey))
        if v is not None:
            out[s3_id("carried", ckey)] = v
    return out


def apply_prior(planned: list[Planned], prior: Prior) -> None:
    """Prefill each agency's carry-over from its report last year, found by code or name."""
    for p in planned:
        hit = prior.find(p.agency.name, p.agency.uscc)
        if hit is not None:
            p.prior_matched, data = hit
            p.values.update(carryover_values(Report.from_json(data)))


def write_batch(planned: list[Planned], out_dir: Path, *, year: int | None, password: str) -> float:
    """Write every agency's template into a temporary folder, then move them all into ``out_dir``.

    Returns the seconds spent generating.  Nothing is left in ``out_dir`` if any file fails.
    """
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=parent))
        ordinary_folder_permissions(tmp)  # it becomes out_dir: not private (0700) but as mkdir would make it
    except OSError as exc:
        raise OutputError(f"无法在 {parent} 中写入（{exc.strerror or exc}）。") from exc
    try:
        start = time.perf_counter()
        filler = TemplateFiller(password)
        for p in planned:
            a = p.agency
            values = {**p.values, **cover_values(year=year, agency=a.name, code=a.uscc or None,
                                                 agency_type=a.agency_type or None)}
            (tmp / p.file_name).write_bytes(filler.fill(values))
        elapsed = time.perf_counter() - start
        if not out_dir.exists():
            os.replace(tmp, out_dir)
        else:
            if not out_dir.is_dir():
                raise OutputError(f"{out_dir} 已存在且不是文件夹。")
            for p in planned:
                os.replace(tmp / p.file_name, out_dir / p.file_name)
        return elapsed
    except OSError as exc:
        raise OutputError(f"无法写入 {out_dir}：{exc.strerror or exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def distribute(agencies: str | Path | AgencyList, out_dir: str | Path, *, year: int | None = None,
               prior: str | Path | Prior | None = None, password: str = DEFAULT_PASSWORD) -> Distribution:
    """One template per listed agency in ``out_dir``; the year defaults to last year's plus one.

    ``agencies`` is an agency list file (or one already read), ``prior`` last year's summary
    or report (or one already loaded).  UsageError for a bad list or prior file, OutputError
    when the folder cannot be written, TemplateValueError for a value the template refuses.
    """
    listed = agencies if isinstance(agencies, AgencyList) else read_agency_list(agencies, templates=True)
    last = prior if isinstance(prior, Prior) or prior is None else load_prior(prior)
    if year is None and last is not None and last.year is not None:
        year = last.year + 1
    planned = [Planned(a) for a in listed]
    if last is not None:
        apply_prior(planned, last)
    assign_file_names(planned, year)
    out = Path(out_dir)
    seconds = write_batch(planned, out, year=year, password=password)
    return Distribution(listed, planned, out, year, password, last, seconds)
