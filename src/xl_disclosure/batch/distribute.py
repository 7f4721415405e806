"""Batch distribution: one locked template per agency of a list, last year's carry-over prefilled.

:func:`distribute` reads the agency list (:func:`~.agencies.read_agency_list`),
matches each agency to last year's report (:func:`~.agencies.load_prior`, by the one
identity rule of :mod:`xl_disclosure.model.agency`), gives each a file name that is
valid on Windows, macOS and Linux (shortened, with a short hash, when too long), and
writes every template into a temporary folder before moving each into place.

No file is lost: a file already in the folder under an agency's name is replaced only when
it is an untouched template of ours (the same template version, nothing filled in but what
the batch prefills); a filled workbook, or anything else, is kept and the agency's row says
so — unless ``force``.  Each agency is written on its own: one that cannot be (a name the
file system refuses, a folder in the way) fails alone, with its reason.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xl_disclosure.batch.agencies import AgencyList, load_prior, read_agency_list
from xl_disclosure.errors import XlDisclosureError
from xl_disclosure.form import FORM, S3_COLUMNS, TEMPLATE_VERSION, s3_id
from xl_disclosure.model.agency import Agency, Prior
from xl_disclosure.model.report import Report
from xl_disclosure.readers.dispatch import validate_file
from xl_disclosure.writers.atomic import OutputError, ordinary_folder_permissions
from xl_disclosure.writers.template import DEFAULT_PASSWORD, TemplateFiller, cover_values

_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", *(f"COM{i}" for i in "123456789¹²³"),
             *(f"LPT{i}" for i in "123456789¹²³")}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f\ud800-\udfff]')
#: Longest stem in characters, and in UTF-8 bytes: with a "（12）" and ".xlsx" a name stays within 240 bytes
#: (most file systems allow 255), however many bytes each character takes.
MAX_STEM = 80
MAX_STEM_BYTES = 240 - len("（999）.xlsx".encode())
#: What a shortened stem ends with: "_" and the first hex digits of the SHA-256 of the whole name.
HASH_DIGITS = 8


def safe_stem(name: str) -> str:
    """A file-name stem that is valid on Windows, macOS and Linux: no reserved name (CON, NUL, COM1 …),
    none of <>:"/\\|?* or control characters, no trailing dot or space; a name too long (over MAX_STEM
    characters or MAX_STEM_BYTES in UTF-8) is cut and ends with a short hash of the whole name, so
    two long names that begin alike still get two files, the same ones every time."""
    whole = unicodedata.normalize("NFC", name)
    stem = _BAD_CHARS.sub("_", whole).strip().rstrip(". ")
    if len(stem) > MAX_STEM or len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        tag = "_" + hashlib.sha256(whole.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]
        keep = stem[:MAX_STEM - len(tag)]
        while len(keep.encode("utf-8")) > MAX_STEM_BYTES - len(tag):
            keep = keep[:-1]
        stem = keep.rstrip(". ") + tag
    if not stem:
        stem = "机关"
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    return stem


#: What a template of a batch has filled in before a clerk touches it.
PREFILLED = frozenset({"cover_year", "cover_agency_name", "cover_uscc", "cover_agency_type",
                       *(s3_id("carried", c) for c, _ in S3_COLUMNS)})

#: What became of each agency's file.
WRITTEN, REPLACED, KEPT, FAILED = "已生成", "已替换（原为未填写的模板）", "未替换（已有文件）", "失败"


@dataclass
class Planned:
    """One agency's template in a batch."""

    agency: Agency
    file_name: str = ""
    #: Values prefilled besides the cover (last year's carry-over).
    values: dict[str, Any] = field(default_factory=dict)
    #: How last year's report was found: "uscc", "name", or "" (not found).
    prior_matched: str = ""
    #: What became of its file (WRITTEN, REPLACED, KEPT, FAILED) and why, when not simply written.
    outcome: str = ""
    reason: str = ""


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

    def count(self, outcome: str) -> int:
        return sum(1 for p in self.planned if p.outcome == outcome)

    @property
    def failed(self) -> list[Planned]:
        return [p for p in self.planned if p.outcome == FAILED]


#: Suffixes a list's 文件名 may end with that the template's own “.xlsx” replaces.
_WORKBOOK_SUFFIX = re.compile(r"\.(?:xlsx|xlsm|xls|et|ods)$", re.IGNORECASE)


def listed_stem(file_name: str) -> str:
    """The stem a list's 文件名 gives an agency's template: its last part (after any “/” or “\\”), without
    a workbook suffix (“收到的报表/某局.xlsx” → “某局”); "" when it names no file."""
    last = re.split(r"[/\\]", file_name.strip())[-1].strip()
    return _WORKBOOK_SUFFIX.sub("", last).strip()


def assign_file_names(planned: list[Planned], year: int | None) -> None:
    """Each agency's file name: the list's 文件名 when it gives one (``listed_stem``), else “年度_机关名称”;
    made safe (``safe_stem``), “.xlsx” added, and “（2）”, “（3）” … when two would share one."""
    used: set[str] = set()
    prefix = f"{year}年度_" if year else ""
    for p in planned:
        listed = listed_stem(p.agency.file)
        stem = safe_stem(listed if listed else prefix + p.agency.name)
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


def existing_problem(path: Path) -> str | None:
    """Why the file at ``path`` must not be replaced by a new template, or None (an untouched template of ours).

    It is read as any submitted file is (in a child process, within limits): a workbook that is not
    our template, of another template version, or with anything filled in besides what a batch
    prefills, is kept.
    """
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if not stat.S_ISREG(mode):
        return "已存在同名的文件夹或特殊文件"
    result = validate_file(path)
    if result.read_error is not None or result.report is None:
        return "已存在同名文件，不是本工具的填报模板"
    if result.template_version != TEMPLATE_VERSION:
        return f"已存在同名文件，是另一版本（第 {result.template_version} 版）的模板"
    filled = sorted(k for k, v in result.report.values.items()
                    if v not in (None, "") and k not in PREFILLED and k in FORM.by_id and FORM.by_id[k].is_input)
    if filled:
        return f"已存在同名文件，且已填写（如“{FORM.by_id[filled[0]].label}”）"
    return None


def write_batch(planned: list[Planned], out_dir: Path, *, year: int | None, password: str,
                force: bool = False) -> float:
    """Write every agency's template into a temporary folder, then move each into ``out_dir``.

    Returns the seconds spent generating.  Each file is moved in alone (os.replace): a file already
    there is replaced only if it is an untouched template (or with ``force``); an agency that cannot be
    written is FAILED with its reason, the others are written all the same.
    """
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} 已存在且不是文件夹。")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=parent))
        ordinary_folder_permissions(tmp)  # it may become out_dir: not private (0700) but as mkdir would make it
    except OSError as exc:
        raise OutputError(f"无法在 {parent} 中写入（{exc.strerror or exc}）。") from exc
    try:
        start = time.perf_counter()
        filler = TemplateFiller(password)
        written: list[Planned] = []
        for p in planned:
            a = p.agency
            values = {**p.values, **cover_values(year=year, agency=a.name, code=a.uscc or None,
                                                 agency_type=a.agency_type or None)}
            try:
                (tmp / p.file_name).write_bytes(filler.fill(values))
            except (OSError, XlDisclosureError, ValueError) as exc:
                p.outcome, p.reason = FAILED, _why(exc)
                continue
            written.append(p)
        elapsed = time.perf_counter() - start
        if not out_dir.exists():
            try:
                os.replace(tmp, out_dir)
            except OSError as exc:
                raise OutputError(f"无法写入 {out_dir}：{exc.strerror or exc}") from exc
            for p in written:
                p.outcome = WRITTEN
            return elapsed
        for p in written:
            target = out_dir / p.file_name
            problem = existing_problem(target) if os.path.lexists(target) else None
            replaced = os.path.lexists(target)
            if problem is not None and not (force and os.path.isfile(target) and not os.path.islink(target)):
                p.outcome, p.reason = KEPT, problem + ("" if force else "；如确要替换，请加 --force")
                continue
            try:
                os.replace(tmp / p.file_name, target)
            except OSError as exc:
                p.outcome, p.reason = FAILED, _why(exc)
                continue
            p.outcome = REPLACED if replaced and problem is None else WRITTEN
            if problem is not None:
                p.outcome, p.reason = "已替换（--force）", problem
        return elapsed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"无法写出该文件（{exc.strerror or exc}）"
    return str(exc)


def distribute(agencies: str | Path | AgencyList, out_dir: str | Path, *, year: int | None = None,
               prior: str | Path | Prior | None = None, password: str = DEFAULT_PASSWORD,
               force: bool = False) -> Distribution:
    """One template per listed agency in ``out_dir``; the year defaults to last year's plus one.

    ``agencies`` is an agency list file (or one already read), ``prior`` last year's summary
    or report (or one already loaded).  UsageError for a bad list or prior file, OutputError
    when the folder cannot be written.  What became of each agency's file is its ``outcome``
    (a file in the way is kept unless ``force``; an agency that cannot be written is FAILED).
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
    seconds = write_batch(planned, out, year=year, password=password, force=force)
    return Distribution(listed, planned, out, year, password, last, seconds)
