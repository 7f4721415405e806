"""The web application: the clerks' upload pages and the office's dashboard (Starlette + Jinja2).

Routes (every POST needs the session's CSRF token):

* ``GET/POST /u/<token>`` — an agency's upload page; ``/u/<token>/v/<id>`` one version's findings,
  ``…/annotated`` that version with its 校验结果 sheet.  An unknown or revoked token is 404.
* ``/office/login``, ``/office/logout`` — the office password (argon2), a signed session cookie.
* ``/office`` — the dashboard; ``/office/status.json`` what it polls; ``/office/agency/<id>`` an
  agency's versions; ``/office/compile`` and ``/office/compilations/<id>/…`` the summary;
  ``/office/attention.csv`` the agencies missing or failing; ``/office/tokens.csv`` new upload links.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import jinja2
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from xl_disclosure import api
from xl_disclosure.serve.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    BodyLimit,
    RateLimiter,
    SecurityHeaders,
    csrf_ok,
    csrf_token,
)
from xl_disclosure.serve.service import (
    COMPILE_OUTPUTS,
    ServeConfig,
    Service,
    can_annotate,
    compilation_json,
    safe_filename,
    submission_json,
)
from xl_disclosure.serve.store import DASHBOARD_STATUSES, AgencyRow, Submission

PACKAGE = resources.files("xl_disclosure.serve")
templates = Jinja2Templates(env=jinja2.Environment(loader=jinja2.FileSystemLoader(str(PACKAGE / "templates")),
                                                   autoescape=True, undefined=jinja2.Undefined))
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSM_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.12"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
#: Multipart overhead allowed on top of the file itself.
FORM_OVERHEAD = 64 * 1024
SEVERITY_TEXT = {"error": "错误", "warning": "警告"}


class Limits:
    def __init__(self, config: ServeConfig) -> None:
        self.upload = RateLimiter(config.upload_burst, config.upload_rate)
        self.login = RateLimiter(config.login_burst, config.login_rate)
        self.probe = RateLimiter(config.probe_burst, config.probe_rate)


def service_of(request: Request) -> Service:
    svc = request.app.state.service
    assert isinstance(svc, Service)
    return svc


def client_key(request: Request) -> str:
    return request.client.host if request.client else "?"


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    context = {"csrf": csrf_token(request.session), "severity_text": SEVERITY_TEXT, **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status_code: int, title: str, message: str) -> Response:
    return page(request, "error.html", {"title": title, "message": message}, status_code=status_code)


async def check_csrf(request: Request, form: Any = None) -> None:
    sent = request.headers.get(CSRF_HEADER) or (form.get(CSRF_FIELD) if form is not None else None)
    if not csrf_ok(request.session, sent):
        raise HTTPException(403, "页面已过期或请求来源不对（CSRF 校验未通过）。请刷新页面后重试。")


# ---------------------------------------------------------------------------
# Clerks
# ---------------------------------------------------------------------------

async def agency_of(request: Request) -> AgencyRow:
    svc = service_of(request)
    token = request.path_params["token"]
    agency = await anyio.to_thread.run_sync(svc.store.agency_for_token, token)
    if agency is None:
        if not request.app.state.limits.probe.allow(client_key(request)):
            raise HTTPException(429, "请求过于频繁，请稍后再试。")
        raise HTTPException(404, "上传地址不存在或已作废。请使用汇总单位下发的最新上传地址。")
    return agency


def findings_view(sub: Submission) -> dict[str, Any]:
    result = sub.result
    findings = [
        {"severity": f["severity"], "level": SEVERITY_TEXT.get(f["severity"], f["severity"]),
         "sheet": f.get("sheet") or "", "cell": f.get("cell") or "", "rule": f["rule"], "message": f["message"]}
        for f in result.get("findings", [])
    ]
    return {"submission": submission_json(sub), "read_error": result.get("read_error"), "findings": findings,
            "annotated": can_annotate(sub), "cover_agency": sub.cover_agency}


async def clerk_page(request: Request) -> Response:
    agency = await agency_of(request)
    svc = service_of(request)
    if request.method == "POST":
        return await clerk_upload(request, agency)
    subs = await anyio.to_thread.run_sync(svc.store.submissions_of, agency.id)
    counted = next((s for s in subs if s.counts), None)
    return page(request, "clerk.html", {
        "agency": agency, "token": request.path_params["token"], "history": [submission_json(s) for s in subs],
        "counted": submission_json(counted) if counted else None, "view": None,
        "max_mb": svc.config.max_upload_bytes // (1 << 20)})


async def clerk_upload(request: Request, agency: AgencyRow) -> Response:
    svc = service_of(request)
    token = request.path_params["token"]
    limits: Limits = request.app.state.limits
    if not limits.upload.allow(f"token:{agency.id}"):
        return error_page(request, 429, "上传过于频繁", "上传过于频繁，请稍等一分钟再上传。")
    limit = svc.config.max_upload_bytes
    async with request.form(max_files=1, max_fields=4, max_part_size=64 * 1024) as form:
        await check_csrf(request, form)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return error_page(request, 400, "没有选择文件", "请先选择填好的模板文件（.xlsx）再上传。")
        filename = safe_filename(upload.filename)
        with svc.blobs.spool() as (fh, spooled):
            size = 0
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    return error_page(request, 413, "文件太大",
                                      f"上传的文件超过 {limit // (1 << 20)} MB。填报模板一般不到 1 MB，请确认选择的是填好的模板。")
                fh.write(chunk)
            fh.close()
            if size == 0:
                return error_page(request, 400, "文件是空的", f"“{filename}”是空文件，请重新选择填好的模板。")
            sid = await svc.submit(agency, spooled, filename)
    return RedirectResponse(f"/u/{quote(token)}/v/{sid}", status_code=303)


async def clerk_version(request: Request) -> Response:
    agency = await agency_of(request)
    svc = service_of(request)
    sub = await own_submission(request, agency)
    subs = await anyio.to_thread.run_sync(svc.store.submissions_of, agency.id)
    counted = next((s for s in subs if s.counts), None)
    return page(request, "clerk.html", {
        "agency": agency, "token": request.path_params["token"], "history": [submission_json(s) for s in subs],
        "counted": submission_json(counted) if counted else None, "view": findings_view(sub),
        "max_mb": svc.config.max_upload_bytes // (1 << 20)})


async def own_submission(request: Request, agency: AgencyRow) -> Submission:
    """The version in the path, only when it is this agency's (another agency's is as unknown as a missing one)."""
    try:
        sid = int(request.path_params["sid"])
    except ValueError:
        raise HTTPException(404, "没有这次提交。") from None
    sub = await anyio.to_thread.run_sync(service_of(request).store.submission, sid)
    if sub is None or sub.agency_id != agency.id:
        raise HTTPException(404, "没有这次提交。")
    return sub


def workbook_response(path: Path, sub: Submission, *, annotated: bool) -> Response:
    stem, dot, ext = sub.filename.rpartition(".")
    name = f"{stem or sub.filename}{'-校验结果' if annotated else ''}.{ext if dot else 'xlsx'}"
    media = {".xlsm": XLSM_TYPE, ".ods": ODS_TYPE}.get(path.suffix, XLSX_TYPE)
    return FileResponse(path, media_type=media, filename=name, content_disposition_type="attachment")


async def workbook_download(svc: Service, sub: Submission, *, annotated: bool) -> Response:
    if annotated:
        agency = await anyio.to_thread.run_sync(svc.store.agency, sub.agency_id)
        assert agency is not None
        path = await svc.annotated(sub, agency)
    else:
        path = svc.stored_path(sub)
    if path is None:
        raise HTTPException(404, "这次提交没有带校验结果的副本（文件无法读取）。")
    return workbook_response(path, sub, annotated=annotated)


async def clerk_annotated(request: Request) -> Response:
    agency = await agency_of(request)
    sub = await own_submission(request, agency)
    return await workbook_download(service_of(request), sub, annotated=True)


# ---------------------------------------------------------------------------
# Office
# ---------------------------------------------------------------------------

def is_office(request: Request) -> bool:
    return request.session.get("office") is True


def require_office(request: Request) -> None:
    if not is_office(request):
        raise HTTPException(401, "请先登录。")


async def login(request: Request) -> Response:
    svc = service_of(request)
    if request.method == "GET":
        return page(request, "login.html", {"error": None})
    limits: Limits = request.app.state.limits
    async with request.form(max_files=0, max_fields=4, max_part_size=4096) as form:
        await check_csrf(request, form)
        if not limits.login.allow(client_key(request)):
            return page(request, "login.html", {"error": "登录尝试过于频繁，请稍后再试。"}, status_code=429)
        password = str(form.get("password") or "")
    ok = await anyio.to_thread.run_sync(svc.check_password, password)
    if not ok:
        return page(request, "login.html", {"error": "密码不对。"}, status_code=401)
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session["office"] = True
    csrf_token(request.session)
    return RedirectResponse("/office", status_code=303)


async def logout(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=2, max_part_size=1024) as form:
        await check_csrf(request, form)
    request.session.clear()
    return RedirectResponse("/office/login", status_code=303)


async def dashboard(request: Request) -> Response:
    if not is_office(request):
        return RedirectResponse("/office/login", status_code=303)
    svc = service_of(request)
    data = await anyio.to_thread.run_sync(svc.dashboard)
    status = request.query_params.get("status", "")
    query = request.query_params.get("q", "")
    return page(request, "dashboard.html", {"data": data, "statuses": DASHBOARD_STATUSES,
                                            "status": status if status in DASHBOARD_STATUSES else "",
                                            "q": query[:100]})


async def status_json(request: Request) -> Response:
    require_office(request)
    data = await anyio.to_thread.run_sync(service_of(request).dashboard)
    return JSONResponse(data)


async def office_agency(request: Request) -> Response:
    require_office(request)
    svc = service_of(request)
    try:
        agency_id = int(request.path_params["aid"])
    except ValueError:
        raise HTTPException(404, "没有这个机关。") from None
    agency = await anyio.to_thread.run_sync(svc.store.agency, agency_id)
    if agency is None:
        raise HTTPException(404, "没有这个机关。")
    subs = await anyio.to_thread.run_sync(svc.store.submissions_of, agency.id)
    chosen = subs[0] if subs else None
    if "sid" in request.path_params:
        chosen = next((s for s in subs if str(s.id) == request.path_params["sid"]), None)
        if chosen is None:
            raise HTTPException(404, "没有这次提交。")
    return page(request, "agency.html", {"agency": agency, "history": [submission_json(s) for s in subs],
                                         "view": findings_view(chosen) if chosen else None})


async def office_download(request: Request) -> Response:
    require_office(request)
    svc = service_of(request)
    try:
        sid = int(request.path_params["sid"])
    except ValueError:
        raise HTTPException(404, "没有这次提交。") from None
    sub = await anyio.to_thread.run_sync(svc.store.submission, sid)
    kind = request.path_params["kind"]
    if sub is None or str(sub.agency_id) != request.path_params["aid"] or kind not in ("original", "annotated"):
        raise HTTPException(404, "没有这次提交。")
    return await workbook_download(svc, sub, annotated=kind == "annotated")


async def compile_now(request: Request) -> Response:
    require_office(request)
    async with request.form(max_files=0, max_fields=2, max_part_size=1024) as form:
        await check_csrf(request, form)
    svc = service_of(request)
    try:
        cid = await svc.compile()
    except api.UsageError as exc:
        return error_page(request, 409, "无法汇总", str(exc))
    return RedirectResponse(f"/office/compilations/{cid}", status_code=303)


async def compilation_page(request: Request) -> Response:
    require_office(request)
    svc = service_of(request)
    row = await anyio.to_thread.run_sync(svc.store.compilation, int(request.path_params["cid"]))
    if row is None:
        raise HTTPException(404, "没有这次汇总。")
    info = compilation_json(row)
    if request.url.path.endswith(".json"):
        return JSONResponse(info)
    return page(request, "compilation.html", {"c": info, "outputs": list(COMPILE_OUTPUTS)})


async def compilation_file(request: Request) -> Response:
    require_office(request)
    svc = service_of(request)
    name = request.path_params["name"]
    if name not in COMPILE_OUTPUTS:
        raise HTTPException(404, "没有这个文件。")
    row = await anyio.to_thread.run_sync(svc.store.compilation, int(request.path_params["cid"]))
    if row is None or row["state"] != "完成":
        raise HTTPException(404, "这次汇总还没有完成。")
    path = svc.compile_outputs(row["id"]) / name
    if not path.is_file():
        raise HTTPException(404, "没有这个文件。")
    download = f"汇总{row['id']}-{name}"
    return FileResponse(path, media_type=COMPILE_OUTPUTS[name], filename=download, content_disposition_type="attachment")


def csv_response(text: str, filename: str) -> Response:
    return Response(("\ufeff" + text).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


async def attention_csv(request: Request) -> Response:
    require_office(request)
    text = await anyio.to_thread.run_sync(service_of(request).attention_csv)
    return csv_response(text, "未报送或不通过的机关.csv")


async def tokens_csv(request: Request) -> Response:
    require_office(request)
    async with request.form(max_files=0, max_fields=3, max_part_size=1024) as form:
        await check_csrf(request, form)
        reissue = form.get("reissue") == "yes"
    svc = service_of(request)
    issued = await anyio.to_thread.run_sync(lambda: svc.store.issue_tokens(reissue=reissue))
    base = str(request.base_url).rstrip("/")
    return csv_response(svc.tokens_csv(issued, base), "上传地址.csv")


async def home(request: Request) -> Response:
    return RedirectResponse("/office", status_code=303)


# ---------------------------------------------------------------------------
# Errors and the application
# ---------------------------------------------------------------------------

TITLES = {400: "请求有误", 401: "请先登录", 403: "无法完成", 404: "找不到页面", 405: "不支持的请求", 409: "无法完成",
          413: "文件太大", 429: "请求过于频繁"}


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 401 and request.method == "GET" and not request.url.path.endswith(".json"):
        return RedirectResponse("/office/login", status_code=303)
    detail = exc.detail if exc.detail and exc.detail != "Not Found" else "找不到这个页面。"
    if request.url.path.endswith(".json") or request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"error": detail}, status_code=exc.status_code)
    return error_page(request, exc.status_code, TITLES.get(exc.status_code, "出错了"), detail)


def create_app(config: ServeConfig, *, service: Service | None = None) -> Starlette:
    svc = service or Service(config)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if service is None:
            svc.close()

    routes = [
        Route("/", home),
        Route("/u/{token}", clerk_page, methods=["GET", "POST"]),
        Route("/u/{token}/v/{sid}", clerk_version),
        Route("/u/{token}/v/{sid}/annotated", clerk_annotated),
        Route("/office", dashboard),
        Route("/office/login", login, methods=["GET", "POST"]),
        Route("/office/logout", logout, methods=["POST"]),
        Route("/office/status.json", status_json),
        Route("/office/agency/{aid}", office_agency),
        Route("/office/agency/{aid}/v/{sid}", office_agency),
        Route("/office/agency/{aid}/v/{sid}/{kind:str}", office_download),
        Route("/office/compile", compile_now, methods=["POST"]),
        Route("/office/compilations/{cid:int}", compilation_page),
        Route("/office/compilations/{cid:int}.json", compilation_page),
        Route("/office/compilations/{cid:int}/{name:str}", compilation_file),
        Route("/office/attention.csv", attention_csv),
        Route("/office/tokens.csv", tokens_csv, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(BodyLimit, limit=config.max_upload_bytes + FORM_OVERHEAD),
        Middleware(SessionMiddleware, secret_key=svc.secret, session_cookie="xl_disclosure_session",
                   max_age=8 * 3600, same_site="lax", https_only=config.https_only),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error})
    app.state.service = svc
    app.state.limits = Limits(config)
    app.state.instance = secrets.token_hex(4)
    return app
