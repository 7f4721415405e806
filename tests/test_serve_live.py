"""The collection service under a real server: 50 agencies uploading at once, PostgreSQL, the serve commands."""

from __future__ import annotations

import concurrent.futures
import csv
import hashlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx2
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from tests.serve_helpers import (
    PASSWORD,
    add_agencies,
    csrf_of,
    free_port,
    live_server,
    make_service,
    verdict_of,
    with_comment,
    workbook,
)

from xl_disclosure.cli.main import cli
from xl_disclosure.serve import create_app
from xl_disclosure.serve.service import Service

AGENCIES = 50


def upload_once(base: str, token: str, data: bytes, name: str) -> tuple[int, str]:
    """One clerk: open the page (session and CSRF token), upload, follow to the findings."""
    with httpx2.Client(base_url=base, timeout=180) as c:
        csrf = csrf_of(c.get(f"/u/{token}").text)
        r = c.post(f"/u/{token}", data={"csrf": csrf}, files={"file": (name, data)})
        if r.status_code != 303:
            return r.status_code, ""
        shown = c.get(r.headers["location"])
        return shown.status_code, verdict_of(shown.text)


def upload_all(svc: Service, base: str, tokens: dict[str, str], data: bytes) -> dict[str, bytes]:
    """Every agency uploads its own version at the same moment; what each sent."""
    sent = {name: with_comment(data, f"{name} {i}") for i, name in enumerate(tokens)}
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        futures = {name: pool.submit(upload_once, base, tokens[name], sent[name], f"{name}.xlsx") for name in tokens}
        results = {name: f.result(timeout=600) for name, f in futures.items()}
    assert {code for code, _ in results.values()} == {200}, results
    assert {verdict for _, verdict in results.values()} <= {"通过", "有警告"}
    return sent


def assert_every_version_kept(svc: Service, tokens: dict[str, str], sent: dict[str, bytes], versions: int) -> None:
    for name, token in tokens.items():
        agency = svc.store.agency_for_token(token)
        assert agency is not None
        subs = svc.store.submissions_of(agency.id)
        assert len(subs) == versions, name
        newest = subs[0]
        assert newest.sha256 == hashlib.sha256(sent[name]).hexdigest()
        stored = svc.stored_path(newest)
        assert stored is not None and stored.read_bytes() == sent[name]
    assert {a["status"] for a in svc.dashboard()["agencies"]} <= {"通过", "有警告"}


def test_fifty_agencies_upload_at_once(tmp_path):
    svc = make_service(tmp_path / "data")
    try:
        tokens = add_agencies(svc, [f"并发测试机关{i:02d}" for i in range(AGENCIES)])
        data = workbook(tmp_path, "并发测试机关00").read_bytes()
        with live_server(svc) as base:
            first = upload_all(svc, base, tokens, data)
            assert_every_version_kept(svc, tokens, first, 1)
            assert svc.store.count_submissions() == AGENCIES
            blobs = [p for p in (tmp_path / "data" / "files").rglob("*.xlsx")]
            # one stored file per version, nothing overwritten or lost (annotated copies are made when asked for)
            assert len(blobs) == AGENCIES
            assert list((tmp_path / "data" / "files" / "tmp").iterdir()) == []
    finally:
        svc.close()


# ---------------------------------------------------------------------------
# PostgreSQL: the same code path, a real server started for the test
# ---------------------------------------------------------------------------

PG_TOOLS = ("initdb", "pg_ctl", "postgres")


@pytest.fixture(scope="module")
def postgres_url():
    if not all(shutil.which(t) for t in PG_TOOLS):
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH")
    # PostgreSQL refuses to run as root: as root, run it as the unprivileged 'nobody'.
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "nobody", "--"]
    base = Path(tempfile.mkdtemp(prefix="xl-disclosure-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if as_user:
        nobody = pwd.getpwnam("nobody")
        os.chmod(base, 0o755)
        for p in (base, sock):
            os.chown(p, nobody.pw_uid, nobody.pw_gid)
    port = free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    run = dict(check=True, capture_output=True, text=True, timeout=120, env=env)
    subprocess.run([*as_user, "initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"], **run)
    subprocess.run([*as_user, "pg_ctl", "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "-o",
                    f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off", "start"], **run)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, "pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=120, env=env)
        shutil.rmtree(base, ignore_errors=True)


def test_postgresql(postgres_url, tmp_path):
    svc = make_service(tmp_path / "pg-files", db_url=postgres_url)
    try:
        assert svc.engine.dialect.name == "postgresql"
        tokens = add_agencies(svc, [f"库测试机关{i}" for i in range(10)])
        good = workbook(tmp_path, "库测试机关0").read_bytes()
        bad = workbook(tmp_path, "库测试机关0", broken=True).read_bytes()
        with TestClient(create_app(svc.config, service=svc)) as c:
            token = tokens["库测试机关0"]
            csrf = csrf_of(c.get(f"/u/{token}").text)
            r = c.post(f"/u/{token}", data={"csrf": csrf}, files={"file": ("a.xlsx", bad)}, follow_redirects=True)
            assert verdict_of(r.text) == "不通过"
            assert c.get("/u/unknown").status_code == 404
            csrf = csrf_of(c.get("/office/login").text)
            assert c.post("/office/login", data={"csrf": csrf, "password": PASSWORD},
                          follow_redirects=False).status_code == 303
            assert c.get("/office/status.json").json()["tally"]["不通过"] == 1
        with live_server(svc) as base:
            sent = upload_all(svc, base, tokens, good)
        assert_every_version_kept(svc, {n: t for n, t in tokens.items() if n != "库测试机关0"}, sent, 1)
        assert_every_version_kept(svc, {"库测试机关0": tokens["库测试机关0"]}, sent, 2)
    finally:
        svc.close()
    # a restart on the same database: migrations are already at head, nothing is lost
    again = make_service(tmp_path / "pg-files", db_url=postgres_url)
    try:
        assert again.store.count_submissions() == 11
    finally:
        again.close()


# ---------------------------------------------------------------------------
# The serve commands
# ---------------------------------------------------------------------------

def test_serve_tokens_command(tmp_path):
    names = tmp_path / "名单.csv"
    names.write_text("机关名称,统一社会信用代码\n甲局,\n乙局,\n=恶意,\n", encoding="utf-8")
    data = tmp_path / "data"
    out = tmp_path / "上传地址.csv"
    runner = CliRunner()
    args = ["serve", "tokens", "--data", str(data), "--agencies", str(names), "-o", str(out),
            "--base-url", "http://10.0.0.5:8000"]
    r = runner.invoke(cli, args)
    assert r.exit_code == 0, r.output
    assert "新增 3 个机关" in r.output and "已为 3 个机关生成上传地址" in r.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [row["机关名称"] for row in rows] == ["甲局", "乙局", "'=恶意"]
    svc = make_service(data, workers=1)
    try:
        for row in rows:
            token = row["上传地址"].removeprefix("http://10.0.0.5:8000/u/")
            agency = svc.store.agency_for_token(token)
            assert agency is not None and agency.name == row["机关名称"].lstrip("'")
    finally:
        svc.close()
    r = runner.invoke(cli, args)
    assert r.exit_code == 0 and "没有新生成" in r.output and "新增 0 个机关" in r.output
    r = runner.invoke(cli, ["serve", "tokens", "--data", str(data), "-o", str(out), "--agencies", str(tmp_path / "无.csv")])
    assert r.exit_code == 2 and "无法打开" in r.output


def test_serve_command_starts_and_stops(tmp_path):
    """``xl-disclosure serve`` on a fresh folder: prints the password, answers on its port, stops on Ctrl+C."""
    port = free_port()
    exe = Path(sys.executable).parent / "xl-disclosure"
    proc = subprocess.Popen([str(exe), "serve", "--data", str(tmp_path / "d"), "--port", str(port), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:  # bounded by the start line (or the process ending)
            lines.append(line)
            if "报送系统已启动" in line:
                break
        text = "".join(lines)
        assert "办公室密码：" in text and "还没有应报送机关" in text, text
        password = text.split("办公室密码：")[1].split("（")[0].strip()
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            csrf = csrf_of(c.get("/office/login").text)
            assert c.post("/office/login", data={"csrf": csrf, "password": password}).status_code == 303
    finally:
        proc.send_signal(2)  # Ctrl+C
        rest = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0 and "报送系统已停止" in rest and "Traceback" not in rest
    assert (tmp_path / "d" / "xl-disclosure.sqlite3").is_file()


def test_serve_help_lists_the_commands():
    r = CliRunner().invoke(cli, ["serve", "--help"], prog_name="xl-disclosure")
    assert r.exit_code == 0 and "tokens" in r.output and "password" in r.output and "--demo" in r.output
    assert "serve" in CliRunner().invoke(cli, ["--help"]).output
    for sub in ("tokens", "password"):  # the subcommands as every command: Chinese help with an example, -q/-v
        out = CliRunner().invoke(cli, ["serve", sub, "-h"], prog_name="xl-disclosure").output
        assert out.startswith(f"用法：xl-disclosure serve {sub} [选项]") and "\n选项：\n" in out, out
        assert f"例如：\n    xl-disclosure serve {sub}" in out and "-q, --quiet" in out and "[OPTIONS]" not in out



def test_serve_refuses_in_chinese(tmp_path):
    runner = CliRunner()
    r = runner.invoke(cli, ["serve", "--data", str(tmp_path / "d"), "--db", "mysql://x/y"])
    assert r.exit_code == 2 and "不支持的数据库地址" in r.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = runner.invoke(cli, ["serve", "--data", str(tmp_path / "d"), "--port", str(port)])
    assert r.exit_code == 2 and f"127.0.0.1:{port}" in r.output and "--port" in r.output
    blocked = tmp_path / "file"
    blocked.write_text("x")
    r = runner.invoke(cli, ["serve", "tokens", "--data", str(blocked / "sub"), "-o", str(tmp_path / "t.csv")])
    assert r.exit_code == 2 and "数据文件夹" in r.output and "Traceback" not in r.output


def test_serve_demo(tmp_path):
    """``serve --demo``: sample agencies with a few submissions, the links and the password printed; the links work."""
    port = free_port()
    exe = Path(sys.executable).parent / "xl-disclosure"
    proc = subprocess.Popen([str(exe), "serve", "--demo", "--data", str(tmp_path / "demo"), "--port", str(port),
                             "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "报送系统已启动" in line:
                break
        text = "".join(lines)
        links = re.findall(rf"(\S+)：(http://127\.0\.0\.1:{port}/u/\S+)", text)
        assert len(links) >= 7, text
        password = text.split("办公室密码：")[1].split("（")[0].strip()
        with httpx2.Client(timeout=30) as c:
            verdicts = set()
            for name, link in links:
                page = c.get(link)
                assert page.status_code == 200 and name in page.text
                verdicts |= set(re.findall(r'class="status status-([^"]+)"', page.text))
            assert {"通过", "不通过"} <= verdicts
            login = c.get(f"http://127.0.0.1:{port}/office/login")
            r = c.post(f"http://127.0.0.1:{port}/office/login",
                       data={"csrf": csrf_of(login.text), "password": password})
            assert r.status_code == 303
            tally = c.get(f"http://127.0.0.1:{port}/office/status.json").json()["tally"]
            assert tally["未报送"] >= 2 and tally["不通过"] >= 1 and tally["通过"] + tally["有警告"] >= 3
    finally:
        proc.send_signal(2)
        proc.communicate(timeout=60)
    assert proc.returncode == 0


def test_started_is_said_only_once_the_server_listens():
    """The “报送系统已启动” line comes from ``listen``'s on_ready: by then a connection to the port is accepted."""
    import os
    import signal
    import threading

    from starlette.applications import Starlette

    from xl_disclosure.serve.listen import listen

    port = free_port()
    seen: list[bool] = []

    def ready() -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            seen.append(True)  # accepted: the socket listens before the line is printed
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()  # then stop as Ctrl+C does

    assert listen(Starlette(), "127.0.0.1", port, ready) is True
    assert seen == [True]
