"""The collection service, route by route (Starlette's TestClient over the real app, workers and database)."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import time
import tomllib
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from starlette.testclient import TestClient
from tests.conftest import soffice_convert
from tests.hostile.make_corpus import MARKER, make_corpus
from tests.serve_helpers import (
    PASSWORD,
    add_agencies,
    csrf_of,
    make_service,
    report_for,
    verdict_of,
    with_comment,
    workbook,
)

from xl_disclosure import api
from xl_disclosure.model.agency import Agency
from xl_disclosure.model.summary import SUMMARY_KIND
from xl_disclosure.serve import create_app
from xl_disclosure.serve.security import RateLimiter
from xl_disclosure.serve.store import metadata
from xl_disclosure.writers.results_sheet import RESULTS_HEADER_ROW, RESULTS_SHEET


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    service = make_service(tmp_path_factory.mktemp("serve-data"), max_upload_bytes=2 << 20, upload_burst=12)
    yield service
    service.close()


@pytest.fixture
def client(svc):
    with TestClient(create_app(svc.config, service=svc)) as c:
        yield c


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    return {"good": workbook(folder, "甲局"), "bad": workbook(folder, "甲局", broken=True)}


def upload(client: TestClient, token: str, path: Path | None = None, *, data: bytes | None = None,
           name: str | None = None, csrf: str | None = None, follow: bool = False):
    if csrf is None:
        csrf = csrf_of(client.get(f"/u/{token}").text)
    content = data if data is not None else path.read_bytes()  # type: ignore[union-attr]
    files = {"file": (name or (path.name if path else "报表.xlsx"), content, "application/octet-stream")}
    return client.post(f"/u/{token}", data={"csrf": csrf}, files=files, follow_redirects=follow)


def login(client: TestClient, password: str = PASSWORD):
    csrf = csrf_of(client.get("/office/login").text)
    return client.post("/office/login", data={"csrf": csrf, "password": password}, follow_redirects=False)


def page_findings(text: str) -> list[tuple[str, str, str, str, str]]:
    rows = re.findall(r'<tr class="sev-[a-z]+"><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>'
                      r'<td><code>([^<]*)</code></td></tr>', text)
    return [tuple(map(html.unescape, r)) for r in rows]  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Clerks
# ---------------------------------------------------------------------------

def test_failing_upload_shows_the_cli_findings_then_a_fix_passes(svc, client, books):
    token = add_agencies(svc, ["甲局"])["甲局"]
    page = client.get(f"/u/{token}")
    assert page.status_code == 200 and "甲局" in page.text and "尚未有校验通过的报送" in page.text

    sent = upload(client, token, books["bad"])
    assert sent.status_code == 303 and re.fullmatch(rf"/u/{re.escape(token)}/v/\d+", sent.headers["location"])
    shown = client.get(sent.headers["location"])
    assert verdict_of(shown.text) == "不通过"
    assert "封面填写的机关名称" not in shown.text  # the cover names this agency
    expected = api.validate_file(books["bad"]).findings
    assert any(f.is_error for f in expected)
    level = {True: "错误", False: "警告"}
    assert page_findings(shown.text) == [(level[f.is_error], f.sheet or "—", f.cell or "—", f.message, f.rule)
                                         for f in expected]

    fixed = upload(client, token, books["good"], follow=True)
    assert fixed.status_code == 200 and verdict_of(fixed.text) == api.validate_file(books["good"]).status
    assert verdict_of(fixed.text) in ("通过", "有警告")
    again = client.get(f"/u/{token}")
    assert "当前采用的报送" in again.text and again.text.count("/v/") >= 2  # both versions are listed


def test_annotated_workbook_has_the_results_sheet(svc, client, books):
    token = add_agencies(svc, ["乙局"])["乙局"]
    where = upload(client, token, books["bad"]).headers["location"]
    got = client.get(where + "/annotated")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in got.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(got.content))
    ws = wb[RESULTS_SHEET]
    assert ws["A1"].value == "校验结果：不通过"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=RESULTS_HEADER_ROW + 1, max_col=4)]
    expected = api.validate_file(books["bad"]).findings
    assert [(r[0], r[3]) for r in rows] == [(f.rule, f.message) for f in expected]
    assert all(str(r[2]).startswith("=HYPERLINK(") for r in rows)
    # the clerk's data is untouched: the copy reads back to the same report
    copy = books["bad"].parent / "annotated-copy.xlsx"
    copy.write_bytes(got.content)
    assert api.load_report(copy).values == api.load_report(books["bad"]).values


def test_unknown_revoked_and_other_agencies_tokens(svc, client, books):
    tokens = add_agencies(svc, ["丙局", "丁局"])
    sent = upload(client, tokens["丙局"], books["good"])
    own = sent.headers["location"]
    sid = own.rsplit("/", 1)[1]
    assert client.get("/u/not-a-token").status_code == 404
    assert client.get("/u/" + "A" * 500).status_code == 404
    assert upload_raw(client, "not-a-token").status_code == 404
    # another agency's token cannot see this agency's version or its workbook
    assert client.get(f"/u/{tokens['丁局']}/v/{sid}").status_code == 404
    assert client.get(f"/u/{tokens['丁局']}/v/{sid}/annotated").status_code == 404
    assert client.get(f"/u/{tokens['丁局']}/v/x").status_code == 404
    assert client.get(own).status_code == 200
    # tokens are never shown: not on the clerk's page, not on the dashboard
    other_page = client.get(f"/u/{tokens['丁局']}").text
    assert tokens["丙局"] not in other_page
    login(client)
    assert tokens["丙局"] not in client.get("/office").text
    assert tokens["丙局"] not in client.get("/office/status.json").text
    # stored only as hashes
    with svc.engine.connect() as conn:
        stored = "".join(conn.execute(sa.text("select token_hash from tokens")).scalars())
    assert tokens["丙局"] not in stored and hashlib.sha256(tokens["丙局"].encode()).hexdigest() in stored


def upload_raw(client: TestClient, token: str):
    return client.post(f"/u/{token}", data={"csrf": "x"}, files={"file": ("a.xlsx", b"x")})


def test_reissued_token_replaces_the_old_one(svc, client, tmp_path):
    old = add_agencies(svc, ["戊局"])["戊局"]
    issued = dict((a.name, t) for a, t in svc.store.issue_tokens(reissue=True))
    assert client.get(f"/u/{old}").status_code == 404
    assert client.get(f"/u/{issued['戊局']}").status_code == 200


def test_csrf_missing_or_wrong_is_refused(svc, client, books):
    token = add_agencies(svc, ["己局"])["己局"]
    client.get(f"/u/{token}")
    data = books["good"].read_bytes()
    missing = client.post(f"/u/{token}", files={"file": ("a.xlsx", data)})
    wrong = client.post(f"/u/{token}", data={"csrf": "forged"}, files={"file": ("a.xlsx", data)})
    for r in (missing, wrong):
        assert r.status_code == 403 and "CSRF" in r.text
    assert svc.store.submissions_of(svc.store.agency_for_token(token).id) == []
    # a token from another browser's session is no good either
    with TestClient(create_app(svc.config, service=svc)) as other:
        foreign = csrf_of(other.get(f"/u/{token}").text)
    assert upload(client, token, books["good"], csrf=foreign).status_code == 403
    # the office's POSTs too
    assert client.post("/office/login", data={"password": PASSWORD}).status_code == 403
    assert login(client).status_code == 303
    for path in ("/office/compile", "/office/tokens.csv", "/office/logout"):
        assert client.post(path, data={"csrf": "forged"}).status_code == 403, path


def test_oversized_uploads_are_refused(svc, client, books):
    token = add_agencies(svc, ["庚局"])["庚局"]
    csrf = csrf_of(client.get(f"/u/{token}").text)
    big = b"PK" + b"\0" * (3 << 20)  # over the 2 MB limit of this service
    r = upload(client, token, data=big, csrf=csrf, name="big.xlsx")
    assert r.status_code == 413 and "文件太大" in r.text

    def chunks():  # no Content-Length: the limit holds as the body streams in
        boundary = b"--b\r\n"
        yield boundary + b'Content-Disposition: form-data; name="csrf"\r\n\r\n' + csrf.encode() + b"\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="big.xlsx"\r\n\r\n'
        for _ in range(40):
            yield b"\0" * (100 << 10)
        yield b"\r\n--b--\r\n"

    r = client.post(f"/u/{token}", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413
    assert svc.store.submissions_of(svc.store.agency_for_token(token).id) == []
    assert list((svc.config.data_dir / "files" / "tmp").iterdir()) == []  # nothing spooled is left behind


def test_empty_or_missing_file(svc, client):
    token = add_agencies(svc, ["辛局"])["辛局"]
    csrf = csrf_of(client.get(f"/u/{token}").text)
    assert upload(client, token, data=b"", csrf=csrf, name="a.xlsx").status_code == 400
    assert client.post(f"/u/{token}", data={"csrf": csrf}).status_code == 400


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    return out, make_corpus(out)


HOSTILE = ("bomb-sheet.xlsx", "bomb-shared-strings-lying.xlsx", "far-cell.xlsx", "xxe-sheet.xlsx",
           "laughs-sheet.xlsx", "encrypted.xlsx", "not-a-zip.xlsx", "legacy.xls", "truncated.xlsx")


def test_hostile_files_are_read_errors_and_leak_nothing(svc, client, corpus):
    folder, cases = corpus
    token = add_agencies(svc, ["壬局"])["壬局"]
    csrf = csrf_of(client.get(f"/u/{token}").text)
    for name in HOSTILE:
        r = upload(client, token, folder / name, csrf=csrf, follow=True)
        assert r.status_code == 200, name
        assert verdict_of(r.text) == "无法读取", name
        for fragment in cases[name].reason:
            assert fragment in r.text, (name, fragment)
        assert MARKER not in r.text
        where = re.search(r'href="(/u/[^"]+/v/\d+)', r.text)
        assert where is not None
        assert client.get(where.group(1) + "/annotated").status_code == 404  # no copy of a file that cannot be read
    agency = svc.store.agency_for_token(token)
    subs = svc.store.submissions_of(agency.id)
    assert len(subs) == len(HOSTILE) and {s.status for s in subs} == {"无法读取"}
    assert all(MARKER not in s.result_json for s in subs)
    assert {s.filename for s in subs} == set(HOSTILE)


def test_html_and_formulas_from_a_workbook_stay_text(svc, client, tmp_path):
    token = add_agencies(svc, ["癸局"])["癸局"]
    report = report_for('<script>alert("x")</script>=HYPERLINK("http://evil")')
    path = api.fill(report, output=tmp_path / "evil.xlsx").written
    r = upload(client, token, path, name='<img src=x onerror=alert(1)>.xlsx', follow=True)
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;" in r.text  # shown, escaped: the cover names another agency


def test_same_file_twice_is_two_versions_one_stored_file(svc, client, books):
    token = add_agencies(svc, ["子局"])["子局"]
    csrf = csrf_of(client.get(f"/u/{token}").text)
    for _ in range(2):
        assert upload(client, token, books["good"], csrf=csrf).status_code == 303
    subs = svc.store.submissions_of(svc.store.agency_for_token(token).id)
    assert len(subs) == 2 and subs[0].sha256 == subs[1].sha256 != ""
    stored = svc.stored_path(subs[0])
    assert stored is not None and stored.read_bytes() == books["good"].read_bytes()
    assert stored.name == hashlib.sha256(books["good"].read_bytes()).hexdigest() + ".xlsx"


def test_upload_rate_limit(svc, client, books):
    token = add_agencies(svc, ["丑局"])["丑局"]
    csrf = csrf_of(client.get(f"/u/{token}").text)
    data = books["bad"].read_bytes()
    codes = [upload(client, token, data=with_comment(data, str(i)), csrf=csrf, name="a.xlsx").status_code
             for i in range(svc.config.upload_burst + 2)]
    assert codes[:svc.config.upload_burst] == [303] * svc.config.upload_burst
    assert codes[-1] == 429


def test_rate_limiter_refills():
    now = [0.0]
    limiter = RateLimiter(2, 0.5, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    assert limiter.allow("b")  # per key
    now[0] += 2.0
    assert limiter.allow("a") and not limiter.allow("a")


def test_a_hung_or_dead_worker_costs_only_that_upload(svc, client, books):
    token = add_agencies(svc, ["寅局"])["寅局"]
    csrf = csrf_of(client.get(f"/u/{token}").text)
    original = svc.config.check_timeout
    svc.config.check_timeout = 0.001
    try:
        lost = upload(client, token, books["good"], csrf=csrf, follow=True)
    finally:
        svc.config.check_timeout = original
    assert verdict_of(lost.text) == "无法读取" and "处理进程异常终止或超时" in lost.text
    after = upload(client, token, books["good"], csrf=csrf, follow=True)
    assert verdict_of(after.text) in ("通过", "有警告")  # a fresh pool took over


# ---------------------------------------------------------------------------
# Office
# ---------------------------------------------------------------------------

def test_office_pages_need_login(svc, client):
    assert client.get("/office", follow_redirects=False).headers["location"] == "/office/login"
    assert client.get("/", follow_redirects=False).status_code == 303
    r = client.get("/office/status.json")
    assert r.status_code == 401 and "error" in r.json()
    for path in ("/office/agency/1", "/office/attention.csv", "/office/compilations/1",
                 "/office/compilations/1/summary.xlsx", "/office/agency/1/v/1/original"):
        assert client.get(path, follow_redirects=False).status_code in (303, 401), path
    csrf = csrf_of(client.get("/office/login").text)
    for path in ("/office/compile", "/office/tokens.csv"):
        assert client.post(path, data={"csrf": csrf}).status_code == 401, path


def test_login_wrong_password_and_rate_limit(svc):
    with TestClient(create_app(svc.config, service=svc)) as c:
        codes = [login(c, "wrong-password").status_code for _ in range(int(svc.config.login_burst) + 1)]
        assert codes[:-1] == [401] * int(svc.config.login_burst) and codes[-1] == 429
        assert login(c).status_code == 429  # even the right password waits
        assert c.get("/office", follow_redirects=False).status_code == 303


def test_password_is_stored_hashed(svc):
    stored = svc.store.setting("office_password_hash") or ""
    assert stored.startswith("$argon2") and PASSWORD not in stored
    assert svc.check_password(PASSWORD) and not svc.check_password(PASSWORD + "x")


def test_dashboard_changes_as_agencies_report(svc, client, books):
    tokens = add_agencies(svc, ["卯局", "辰局"])
    assert login(client).status_code == 303
    before = client.get("/office/status.json").json()
    rows = {a["name"]: a for a in before["agencies"]}
    assert rows["卯局"]["status"] == rows["辰局"]["status"] == "未报送"
    upload(client, tokens["卯局"], books["bad"])
    upload(client, tokens["辰局"], books["good"])
    after = client.get("/office/status.json").json()
    rows = {a["name"]: a for a in after["agencies"]}
    assert rows["卯局"]["status"] == "不通过" and rows["卯局"]["attempts"] == 1
    assert rows["辰局"]["status"] in ("通过", "有警告") and rows["辰局"]["last_upload"]
    assert after["submissions"] == before["submissions"] + 2
    assert after["counted"] == before["counted"] + 1
    new = report_for("甲局").total("s3_new_total")
    old_total = next(t["value"] for t in before["totals"] if t["id"] == "s3_new_total")
    assert next(t["value"] for t in after["totals"] if t["id"] == "s3_new_total") == old_total + new

    page = client.get("/office", params={"status": "不通过", "q": "卯"})
    assert page.status_code == 200 and "卯局" in page.text and "辰局" not in page.text.split('id="agencies"')[1]
    agency = client.get(f"/office/agency/{rows['卯局']['id']}")
    assert agency.status_code == 200 and verdict_of(agency.text) == "不通过"
    assert page_findings(agency.text)  # the findings, as the clerk sees them
    sid = rows["卯局"]["latest_id"]
    original = client.get(f"/office/agency/{rows['卯局']['id']}/v/{sid}/original")
    assert original.status_code == 200 and original.content == books["bad"].read_bytes()
    assert client.get(f"/office/agency/{rows['辰局']['id']}/v/{sid}/original").status_code == 404
    assert client.get(f"/office/agency/{rows['卯局']['id']}/v/{sid}/other").status_code == 404
    assert client.get("/office/agency/999999").status_code == 404


def test_a_later_failure_does_not_replace_the_counted_version(svc, client, books):
    token = add_agencies(svc, ["巳局"])["巳局"]
    upload(client, token, books["good"])
    upload(client, token, books["bad"])
    login(client)
    row = next(a for a in client.get("/office/status.json").json()["agencies"] if a["name"] == "巳局")
    assert row["status"] in ("通过", "有警告") and row["latest_status"] == "不通过" and row["attempts"] == 2
    assert row["counted_id"] != row["latest_id"]


def test_compile_the_counted_submissions(svc, client, tmp_path):
    tokens = add_agencies(svc, ["午局", "未报局"])
    upload(client, tokens["午局"], workbook(tmp_path, "午局", 5))
    login(client)
    csrf = csrf_of(client.get("/office").text)
    r = client.post("/office/compile", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    where = r.headers["location"]
    state = wait_for_compile(client, where)
    assert state["state"] == "完成", state
    page = client.get(where)
    assert 'id="dl-xlsx"' in page.text
    counted = dict((a.name, s) for a, s in svc.store.counted())
    summary = client.get(where + "/summary.json")
    assert summary.status_code == 200
    data = summary.json()
    assert data["kind"] == SUMMARY_KIND
    names = [r["cover"]["cover_agency_name"] for r in data["reports"]]
    assert "午局" in names and len(names) == state["counted"]
    assert "未报局" in json.dumps(data["missing"], ensure_ascii=False)  # the agency list is the service's
    # the same engine as compile: the same totals as api.compile over the same files
    folder = tmp_path / "same"
    folder.mkdir()
    for name, sub in counted.items():
        (folder / f"{name}.xlsx").write_bytes(svc.stored_path(sub).read_bytes())
    direct = api.compile([folder], xlsx=tmp_path / "direct.xlsx", json_path=tmp_path / "direct.json", jobs=1)
    assert json.loads((tmp_path / "direct.json").read_text(encoding="utf-8"))["totals"] == data["totals"]
    assert direct.compilation.totals.count == state["counted"]
    xlsx = client.get(where + "/summary.xlsx")
    assert xlsx.status_code == 200 and openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    long_csv = client.get(where + "/long.csv")
    assert long_csv.status_code == 200 and long_csv.content
    assert client.get(where + "/../../secret").status_code == 404
    assert client.get(where + "/other.txt").status_code == 404


def wait_for_compile(client: TestClient, where: str) -> dict:
    for _ in range(600):  # bounded: 600 polls
        state = client.get(where + ".json").json()
        if state["state"] != "进行中":
            return state
        time.sleep(0.1)
    raise AssertionError("the compile did not finish")


def test_attention_csv_is_safe(svc, client, books):
    names = ["=HYPERLINK(\"http://x\",\"点我\")", "+cmd", "未局"]
    tokens = add_agencies(svc, names)
    upload(client, tokens["未局"], books["bad"])
    login(client)
    r = client.get("/office/attention.csv")
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["机关名称", "统一社会信用代码", "状态"]
    by_name = {row[0]: row for row in rows[1:]}
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in by_name and "'+cmd" in by_name
    assert by_name["未局"][2] == "不通过" and by_name["未局"][3] == "1" and by_name["未局"][7]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    passed = [a["name"] for a in client.get("/office/status.json").json()["agencies"] if a["status"] == "通过"]
    assert not set(passed) & set(by_name)


def test_tokens_csv_issues_new_links_once(svc, client):
    login(client)
    svc.store.import_agencies([Agency("申局", "")])
    csrf = csrf_of(client.get("/office").text)
    r = client.post("/office/tokens.csv", data={"csrf": csrf})
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["机关名称", "统一社会信用代码", "上传地址"]
    link = dict((row[0], row[2]) for row in rows[1:])["申局"]
    assert link.startswith("http://testserver/u/")
    assert client.get(link.replace("http://testserver", "")).status_code == 200
    again = client.post("/office/tokens.csv", data={"csrf": csrf})
    assert "申局" not in again.content.decode("utf-8-sig")  # issued once; only its hash is kept


def test_logout(svc, client):
    login(client)
    csrf = csrf_of(client.get("/office").text)
    assert client.post("/office/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/office/status.json").status_code == 401


# ---------------------------------------------------------------------------
# Headers, static files, pages without inline script
# ---------------------------------------------------------------------------

def test_security_headers_and_no_inline_script(svc, client, books):
    token = add_agencies(svc, ["酉局"])["酉局"]
    where = upload(client, token, books["bad"]).headers["location"]
    login(client)
    pages = [client.get(p) for p in (f"/u/{token}", where, "/office", "/office/login", "/u/nothing")]
    for r in pages:
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["cache-control"] == "no-store"
        assert re.findall(r"<script(?![^>]*\bsrc=\"/static/)", r.text) == []
        assert not re.search(r"<[^>]*\s(on[a-z]+|style)=|javascript:|(src|href|action)=\"(https?:)?//", r.text), r.url
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/../store.py").status_code == 404


# ---------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------

def test_migrations_match_the_tables(svc):
    with svc.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        version = conn.execute(sa.text("select version_num from alembic_version")).scalar()
    assert diff == [] and version == "0001"


def test_restart_on_the_same_folder_keeps_everything(svc, tmp_path, books):
    folder = tmp_path / "data"
    first = make_service(folder, workers=1)
    token = add_agencies(first, ["戌局"])["戌局"]
    with TestClient(create_app(first.config, service=first)) as c:
        upload(c, token, books["good"])
    first.close()
    second = make_service(folder, workers=1)
    try:
        agency = second.store.agency_for_token(token)
        assert agency is not None and agency.name == "戌局"
        assert len(second.store.submissions_of(agency.id)) == 1
        assert second.secret == first.secret  # sessions survive a restart
    finally:
        second.close()


def test_agency_import_uses_the_identity_rule(tmp_path):
    svc = make_service(tmp_path / "data", workers=1)
    try:
        assert svc.store.import_agencies([Agency("甲局", ""), Agency("乙局", "91110000MA00000001")]) == (2, 0)
        # the same agency again: by name when one side has no code, by code when both have one
        again = [Agency("甲局", "91110000MA00000002"), Agency("乙局（新名）", "91110000MA00000001"), Agency(" 甲 局 ", "")]
        assert svc.store.import_agencies(again) == (0, 3)
        assert svc.store.import_agencies([Agency("乙局", "91110000MA00000003")]) == (1, 0)  # another code
        assert [a.name for a in svc.store.agencies()] == ["甲局", "乙局", "乙局"]
    finally:
        svc.close()


def test_templates_static_files_and_migrations_are_shipped():
    """Every file the service reads at run time is package data (a wheel without them cannot start)."""
    root = Path(__file__).resolve().parents[1]
    patterns = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["xl_disclosure.serve"]
    package = root / "src" / "xl_disclosure" / "serve"
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    needed = {p for d in ("templates", "static", "migrations") for p in (package / d).rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    assert needed and needed <= shipped, sorted(str(p.relative_to(package)) for p in needed - shipped)


@pytest.mark.libreoffice
def test_an_ods_upload_is_read_as_the_cli_reads_it(svc, client, books, tmp_path):
    ods = soffice_convert(books["good"], tmp_path / "ods", "ods")
    token = add_agencies(svc, ["亥局"])["亥局"]
    shown = upload(client, token, ods, follow=True)
    assert verdict_of(shown.text) == api.validate_file(ods).status
    assert verdict_of(shown.text) in ("通过", "有警告")
    assert 'id="download-annotated"' not in shown.text  # openpyxl writes no .ods: no copy is offered
    where = re.search(r'href="(/u/[^"]+/v/\d+)"', shown.text)
    assert where is not None and client.get(where.group(1) + "/annotated").status_code == 404
    sub = svc.store.submissions_of(svc.store.agency_for_token(token).id)[0]
    assert svc.stored_path(sub).suffix == ".ods" and svc.stored_path(sub).read_bytes() == ods.read_bytes()
