"""The collection service without the web: configuration, storage, the worker pools, and what the pages show."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import csv
import datetime as dt
import io
import json
import multiprocessing
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from xl_disclosure import api
from xl_disclosure.form import FORM
from xl_disclosure.model.agency import Identity
from xl_disclosure.model.report import Report
from xl_disclosure.model.summary import Totals
from xl_disclosure.serve import worker
from xl_disclosure.serve.blobs import BlobStore
from xl_disclosure.serve.security import hash_password, new_password, verify_password
from xl_disclosure.serve.store import (
    DASHBOARD_STATUSES,
    AgencyRow,
    AgencyStatus,
    Store,
    Submission,
    engine_for,
    sqlite_url,
    upgrade,
)
from xl_disclosure.writers.atomic import neutralize, write_text_atomic

MB = 1 << 20
PASSWORD_SETTING = "office_password_hash"
SECRET_SETTING = "session_secret"
#: The figures shown as regional totals on the dashboard (the summary workbook has them all).
KEY_FIGURES = ("s3_new_total", "s3_carried_total", "s3_results_total_total", "s3_next_total",
               "s4_reconsideration_total", "s4_direct_suit_total", "s4_suit_after_total")
SHORT_LABELS = {
    "s3_new_total": "本年新收申请", "s3_carried_total": "上年结转申请", "s3_results_total_total": "本年办结",
    "s3_next_total": "结转下年度", "s4_reconsideration_total": "行政复议",
    "s4_direct_suit_total": "未经复议直接起诉", "s4_suit_after_total": "复议后起诉",
}
#: Files a compile writes, as offered for download (name -> content type).
COMPILE_OUTPUTS = {
    "summary.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "summary.json": "application/json",
    "long.csv": "text/csv; charset=utf-8",
}


@dataclass
class ServeConfig:
    """Everything ``xl-disclosure serve`` is started with."""

    data_dir: Path
    db_url: str | None = None
    max_upload_bytes: int = 20 * MB
    workers: int = max(1, min(4, (os.cpu_count() or 2)))
    #: Address-space cap of a validation worker (0: none).
    worker_memory_bytes: int = 2048 * MB
    #: Seconds one validation may take before its worker is stopped.
    check_timeout: float = 120.0
    #: Uploads per agency token: burst, then per second.
    upload_burst: float = 10
    upload_rate: float = 0.2
    #: Office logins per client address: burst, then per second.
    login_burst: float = 5
    login_rate: float = 1 / 30
    #: Unknown-token requests per client address (guessing tokens): burst, then per second.
    probe_burst: float = 30
    probe_rate: float = 1.0
    #: Send the session cookie over HTTPS only (set when the service is behind TLS).
    https_only: bool = False
    #: The project file (rule selection) for validation and compile; default: xl-disclosure.toml in the data folder.
    project_file: Path | None = None

    @property
    def database_url(self) -> str:
        return self.db_url or sqlite_url(self.data_dir)


class CheckFailed(Exception):
    """The worker died or timed out on an upload."""


def safe_filename(name: str | None) -> str:
    """The clerk's file name for display and downloads: its last part, no control or path characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable() and ch not in '<>:"|?*')
    base = base.strip(" .")[:120]
    return base or "工作簿.xlsx"


def stored_suffix(filename: str) -> str:
    """The suffix a stored upload gets (the reader also looks at the content): .xlsm or .ods as sent, else .xlsx."""
    lower = filename.lower()
    return next((s for s in (".xlsm", ".ods") if lower.endswith(s)), ".xlsx")


def can_annotate(sub: Submission) -> bool:
    """Whether a 校验结果 copy can be made: a readable .xlsx/.xlsm (openpyxl writes no .ods)."""
    return sub.status != "无法读取" and stored_suffix(sub.filename) != ".ods"


def file_stem(name: str) -> str:
    """An agency name usable as a file name in the compile's scratch folder."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")[:80]
    return stem or "机关"


class Service:
    """The data folder, the database, the pools; one per running server."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        try:
            config.data_dir.mkdir(parents=True, exist_ok=True)
            self.blobs = BlobStore(config.data_dir / "files")
            self.compile_dir = config.data_dir / "compilations"
            self.compile_dir.mkdir(exist_ok=True)
        except OSError as exc:
            raise api.UsageError(f"数据文件夹 {config.data_dir} 无法创建或写入：{exc.strerror or exc}。") from exc
        self.engine = engine_for(config.database_url)
        try:
            upgrade(self.engine)
        except sa.exc.SQLAlchemyError as exc:
            self.engine.dispose()
            where = self.engine.url.render_as_string(hide_password=True)
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
            raise api.UsageError(f"无法打开数据库 {where}：{reason}。请检查 --db 地址、用户名和密码，"
                                 f"以及数据库服务是否已启动。") from exc
        self.store = Store(self.engine)
        self.store.abandon_running_compilations()
        self.secret = self.store.setting_or_create(SECRET_SETTING, lambda: secrets.token_urlsafe(48))
        self.rules = self._rules()
        self._pool_lock = threading.Lock()
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._compile_pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._compiling = asyncio.Lock()

    def _rules(self) -> api.RuleSelection:
        path = self.config.project_file or self.config.data_dir / api.PROJECT_FILE
        if self.config.project_file is None and not path.is_file():
            return api.RuleSelection()
        return api.load_project_file(path)

    # ------------------------------------------------------------------ password
    def ensure_password(self) -> str | None:
        """Set a random office password when none is set; the new password (to print once) or None."""
        if self.store.setting(PASSWORD_SETTING):
            return None
        password = new_password()
        self.set_password(password)
        return password

    def set_password(self, password: str) -> None:
        if len(password) < 8:
            raise api.UsageError("办公室密码至少要 8 个字符。")
        self.store.set_setting(PASSWORD_SETTING, hash_password(password))

    def check_password(self, password: str) -> bool:
        return verify_password(self.store.setting(PASSWORD_SETTING), password)

    # ------------------------------------------------------------------ pools
    def _new_pool(self, workers: int) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=worker.init_worker, initargs=(self.config.worker_memory_bytes,))

    def pool(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = self._new_pool(self.config.workers)
            return self._pool

    def _discard_pool(self, broken: concurrent.futures.ProcessPoolExecutor) -> None:
        """Stop a pool whose worker died or hung; the next upload gets a fresh one."""
        with self._pool_lock:
            if self._pool is broken:
                self._pool = None
        for proc in list(getattr(broken, "_processes", {}).values()):  # the pool has no public kill
            with contextlib.suppress(Exception):
                proc.kill()
        broken.shutdown(wait=False, cancel_futures=True)

    def warm_up(self) -> None:
        """Start the workers now (spawned processes import the library once), not on the first upload."""
        pool = self.pool()
        for f in [pool.submit(os.getpid) for _ in range(self.config.workers)]:
            f.result()

    def close(self) -> None:
        for p in (self._pool, self._compile_pool):
            if p is not None:
                p.shutdown(wait=True, cancel_futures=True)
        self._pool = self._compile_pool = None
        self.engine.dispose()

    # ------------------------------------------------------------------ uploads
    async def _in_pool(self, fn: Any, *args: Any) -> Any:
        """``fn(*args)`` in a worker; a worker that dies or overruns the time limit is stopped with its pool."""
        pool = self.pool()
        future = asyncio.get_running_loop().run_in_executor(pool, fn, *args)
        try:
            return await asyncio.wait_for(future, self.config.check_timeout)
        except (BrokenProcessPool, TimeoutError) as exc:
            self._discard_pool(pool)
            raise CheckFailed(type(exc).__name__) from exc

    async def submit(self, agency: AgencyRow, spooled: Path, filename: str) -> int:
        """Keep an uploaded file, validate it in a worker, record the version; the new submission's id."""
        suffix = stored_suffix(filename)
        sha, size, stored = await asyncio.to_thread(self.blobs.keep, spooled, suffix)
        try:
            out = await self._in_pool(worker.check_upload, str(stored), filename, self.rules)
        except CheckFailed:
            out = {"result": api.ValidationResult(
                file=filename, read_error=f"{filename}：校验时处理进程异常终止或超时，文件可能已损坏或过于复杂。"
                                          f"请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。").to_json(),
                   "report": None, "cover_agency": None}
        result = out["result"]
        cover = out.get("cover_agency")
        mismatch = cover if cover and not _same_agency(cover, out.get("report"), agency) else None
        return await asyncio.to_thread(
            self.store.add_submission, agency_id=agency.id, sha256=sha, size=size, filename=filename,
            status=result["status"], errors=result["counts"]["error"], warnings=result["counts"]["warning"],
            result_json=json.dumps(result, ensure_ascii=False),
            report_json=json.dumps(out["report"], ensure_ascii=False) if out["report"] is not None else None,
            cover_agency=mismatch)

    async def annotated(self, sub: Submission, agency: AgencyRow) -> Path | None:
        """The upload with its 校验结果 sheet, written the first time it is asked for; None when unreadable."""
        if not can_annotate(sub):
            return None
        path = self.stored_path(sub, annotated=True)
        if path is not None:
            return path
        original = self.stored_path(sub)
        if original is None:
            return None
        with self.blobs.spool() as (fh, target):
            fh.close()
            when = sub.uploaded_at.astimezone().replace(tzinfo=None).isoformat()
            source = f"报送系统上传：{agency.name}　文件指纹 {sub.sha256[:12]}"
            try:
                done = await self._in_pool(worker.annotate_upload, str(original), sub.result, when, source, str(target))
            except CheckFailed:
                return None
            if not done:
                return None
            sha, _size, path = await asyncio.to_thread(self.blobs.keep, target, original.suffix)
        await asyncio.to_thread(self.store.set_annotated, sub.id, sha)
        return path

    def stored_path(self, sub: Submission, *, annotated: bool = False) -> Path | None:
        suffix = stored_suffix(sub.filename)
        sha = sub.annotated_sha256 if annotated else sub.sha256
        if sha is None:
            return None
        path = self.blobs.path(sha, suffix)
        return path if path.is_file() else None

    # ------------------------------------------------------------------ dashboard
    def dashboard(self) -> dict[str, Any]:
        statuses = self.store.statuses()
        tally = dict.fromkeys(DASHBOARD_STATUSES, 0)
        totals = Totals()
        for st in statuses:
            tally[st.status] += 1
            if st.counted is not None and st.counted.report_json:
                with contextlib.suppress(Exception):  # a stored report always loads; never fail the page on one
                    totals.add(Report.from_json(json.loads(st.counted.report_json)))
        sums = totals.result()
        return {
            "agencies": [status_json(st) for st in statuses],
            "tally": tally,
            "total": len(statuses),
            "counted": totals.count,
            "totals": [{"id": fid, "label": SHORT_LABELS.get(fid, FORM.by_id[fid].label), "value": sums.get(fid, 0)}
                       for fid in KEY_FIGURES],
            "submissions": self.store.count_submissions(),
            "compilations": [compilation_json(c) for c in self.store.compilation_list()],
        }

    def attention_csv(self) -> str:
        """The agencies still missing or failing, as CSV text (utf-8-sig is added when written)."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["机关名称", "统一社会信用代码", "状态", "提交次数", "最近上传时间", "最近一次结果", "错误数", "首个问题"])
        for st in self.store.statuses():
            if st.status not in ("未报送", "不通过"):
                continue
            latest = st.latest
            first = ""
            if latest is not None:
                res = latest.result
                first = res.get("read_error") or next(
                    (f"{f.get('sheet') or ''}!{f.get('cell') or ''} {f['message']}" for f in res.get("findings", [])
                     if f.get("severity") == "error"), "")
            w.writerow([neutralize(str(v)) for v in (
                st.agency.name, st.agency.uscc, st.status, st.attempts,
                local_time(latest.uploaded_at) if latest else "", latest.status if latest else "",
                latest.errors if latest else "", first)])
        return buf.getvalue()

    def tokens_csv(self, issued: Iterable[tuple[AgencyRow, str]], base_url: str) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["机关名称", "统一社会信用代码", "上传地址"])
        for agency, token in issued:
            w.writerow([neutralize(agency.name), neutralize(agency.uscc), neutralize(f"{base_url.rstrip('/')}/u/{token}")])
        return buf.getvalue()

    # ------------------------------------------------------------------ compile
    def _compiler(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._pool_lock:
            if self._compile_pool is None:
                self._compile_pool = self._new_pool(1)
            return self._compile_pool

    def compile_outputs(self, compilation_id: int) -> Path:
        return self.compile_dir / f"{int(compilation_id):06d}"

    async def compile(self) -> int:
        """Start compiling the counted submissions; the compilation's id (its state says when it is done)."""
        counted = await asyncio.to_thread(lambda: list(self.store.counted()))
        if not counted:
            raise api.UsageError("还没有校验通过的报告，无法汇总。")
        cid = await asyncio.to_thread(self.store.start_compilation)
        asyncio.get_running_loop().create_task(self._run_compile(cid, counted))
        return cid

    async def _run_compile(self, cid: int, counted: Sequence[tuple[AgencyRow, Submission]]) -> None:
        async with self._compiling:
            files: list[tuple[str, str]] = []
            used: set[str] = set()
            for agency, sub in counted:
                path = self.stored_path(sub)
                if path is None:
                    continue
                name = file_stem(agency.name)
                while name.lower() in used:
                    name += f"_{agency.id}"
                used.add(name.lower())
                files.append((str(path), name + path.suffix))
            expected = [(a.name, a.uscc) for a in await asyncio.to_thread(self.store.agencies)]
            pool = self._compiler()
            loop = asyncio.get_running_loop()
            try:
                done = await loop.run_in_executor(pool, worker.compile_counted, files, expected,
                                                  str(self.compile_outputs(cid)), self.rules)
            except Exception as exc:  # noqa: BLE001 - the office sees why, the service goes on
                if isinstance(exc, BrokenProcessPool):
                    with self._pool_lock:
                        self._compile_pool = None
                message = str(exc) if isinstance(exc, api.XlDisclosureError) else f"汇总失败（{type(exc).__name__}）。"
                await asyncio.to_thread(self.store.finish_compilation, cid, state="失败", message=message)
                return
            missing = done["missing"]
            note = f"汇总 {done['counted']} 份报告" + (f"；名单中还有 {len(missing)} 个机关未纳入" if missing else "")
            await asyncio.to_thread(self.store.finish_compilation, cid, state="完成", counted=done["counted"],
                                    message=note)

    def write_tokens_file(self, target: Path, issued: Sequence[tuple[AgencyRow, str]], base_url: str) -> None:
        write_text_atomic(target, self.tokens_csv(issued, base_url), encoding="utf-8-sig")


def _same_agency(cover: str, report: dict[str, Any] | None, agency: AgencyRow) -> bool:
    """Whether the cover names the token's agency (the library's identity rule: by code when both have one)."""
    code = (report.get("cover") or {}).get("cover_uscc") if report is not None else None
    return Identity.of(cover, code).matches(agency.agency.identity)


def local_time(value: dt.datetime) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def submission_json(sub: Submission) -> dict[str, Any]:
    return {"id": sub.id, "uploaded_at": local_time(sub.uploaded_at), "status": sub.status, "errors": sub.errors,
            "warnings": sub.warnings, "filename": sub.filename, "counts": sub.counts}


def status_json(st: AgencyStatus) -> dict[str, Any]:
    latest = st.latest
    return {"id": st.agency.id, "name": st.agency.name, "uscc": st.agency.uscc, "status": st.status,
            "attempts": st.attempts, "last_upload": local_time(latest.uploaded_at) if latest else "",
            "latest_status": latest.status if latest else "",
            "latest_id": latest.id if latest else None,
            "counted_id": st.counted.id if st.counted else None,
            "cover_agency": latest.cover_agency if latest else None}


def compilation_json(row: dict[str, Any]) -> dict[str, Any]:
    started = row["started_at"]
    if started.tzinfo is None:
        started = started.replace(tzinfo=dt.UTC)
    return {"id": row["id"], "state": row["state"], "counted": row["counted"], "message": row["message"],
            "started_at": local_time(started)}
