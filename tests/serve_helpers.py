"""Shared by the collection-service tests: a service over a temporary folder, workbooks, the CSRF token of a page."""

from __future__ import annotations

import io
import random
import re
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from xl_disclosure import api
from xl_disclosure.model.agency import Agency
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report
from xl_disclosure.serve import ServeConfig, Service, create_app

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
STATUS_RE = re.compile(r'id="verdict-status">([^<]+)<')
#: What the office logs in with in the tests.
PASSWORD = "office-test-password"


def csrf_of(html: str) -> str:
    m = CSRF_RE.search(html)
    assert m, "the page has no CSRF field"
    return m.group(1)


def verdict_of(html: str) -> str:
    m = STATUS_RE.search(html)
    assert m, "the page shows no verdict"
    return m.group(1)


def make_service(folder: Path, **options: Any) -> Service:
    options.setdefault("workers", 2)
    svc = Service(ServeConfig(data_dir=folder, **options))
    svc.set_password(PASSWORD)
    return svc


def add_agencies(svc: Service, names: list[str]) -> dict[str, str]:
    """Import agencies and issue their tokens: name -> token."""
    svc.store.import_agencies([Agency(n, "") for n in names])
    issued = {a.name: t for a, t in svc.store.issue_tokens()}
    assert set(names) <= set(issued), "every new agency gets a token"
    return issued


def report_for(name: str, seed: int = 1, *, broken: bool = False) -> Report:
    report = random_report(random.Random(seed), agency=name, year=2024)
    if broken:  # the 三 table no longer balances in the 自然人 column: s3.balance errors
        report.values["s3_new_natural"] = int(report.values["s3_new_natural"] or 0) + 3
    return report


def workbook(folder: Path, name: str, seed: int = 1, *, broken: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}{'-有错' if broken else ''}-{seed}.xlsx"
    return api.fill(report_for(name, seed, broken=broken), output=target).written


def with_comment(data: bytes, comment: str) -> bytes:
    """The same workbook with a different zip comment: other bytes (another version), the same content."""
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.comment = comment.encode()
    return buf.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(svc: Service) -> Iterator[str]:
    """The app under a real uvicorn on 127.0.0.1 in a background thread; its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(svc.config, service=svc), host="127.0.0.1", port=port,
                                           log_level="warning", limit_concurrency=200))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
