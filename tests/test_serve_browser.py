"""End to end in a real browser: Debian's Chromium, headless, driven by Playwright (no browser download).

A clerk drops a failing workbook on the upload page, reads the findings, downloads the annotated
copy, uploads the fixed one and sees 通过; the office logs in, watches the dashboard change by
itself, filters it, compiles and downloads the summary workbook.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect, sync_playwright
from tests.serve_helpers import PASSWORD, add_agencies, live_server, make_service, workbook

from xl_disclosure import api
from xl_disclosure.writers.results_sheet import RESULTS_SHEET

CHROMIUM = "/usr/bin/chromium"
#: How long one expectation may wait for the page (the dashboard polls every 4 s).
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def browser():
    path = shutil.which("chromium") or CHROMIUM
    assert Path(path).exists(), "Chromium is required for this test: apt-get install chromium (.ci/run installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


def watch_console(page: Page) -> list[str]:
    """Console errors and page errors (a CSP violation or a script error shows up here)."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def drop_file(page: Page, selector: str, path: Path) -> None:
    """Drag a file from the desktop onto ``selector`` (a drop event carrying the file, as the browser makes it)."""
    data = base64.b64encode(path.read_bytes()).decode()
    transfer = page.evaluate_handle(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name, {type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}));
            return dt;
        }""", [path.name, data])
    page.dispatch_event(selector, "dragenter", {"dataTransfer": transfer})
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def test_clerk_and_office_in_chromium(browser, tmp_path):
    svc = make_service(tmp_path / "data")
    tokens = add_agencies(svc, ["东城区教育局", "东城区民政局", "东城区财政局"])
    bad = workbook(tmp_path, "东城区教育局", broken=True)
    good = workbook(tmp_path, "东城区教育局")
    other = workbook(tmp_path, "东城区民政局", 2, broken=True)
    expected = api.validate_file(bad).findings
    try:
        with live_server(svc) as base:
            office_ctx = browser.new_context(accept_downloads=True, locale="zh-CN")
            office = office_ctx.new_page()
            office_problems = watch_console(office)
            office.goto(f"{base}/office")
            expect(office).to_have_url(f"{base}/office/login")
            office.fill("#password", "wrong-password")
            office.click("#login")
            expect(office.locator("#login-error")).to_have_text("密码不对。")
            office.fill("#password", PASSWORD)
            office.click("#login")
            expect(office).to_have_url(f"{base}/office")
            expect(office.locator('[data-tally="未报送"]')).to_have_text("3")
            row = office.locator('#agencies tr', has_text="东城区教育局")
            expect(row).to_contain_text("未报送")

            clerk_ctx = browser.new_context(accept_downloads=True, locale="zh-CN")
            clerk = clerk_ctx.new_page()
            clerk_problems = watch_console(clerk)
            clerk.goto(f"{base}/u/{tokens['东城区教育局']}")
            expect(clerk.locator("h1")).to_have_text("东城区教育局")
            drop_file(clerk, "#drop", bad)  # drag and drop submits by itself
            expect(clerk.locator("#verdict-status")).to_have_text("不通过", timeout=WAIT_MS)
            rows = clerk.locator("#findings tbody tr")
            expect(rows).to_have_count(len(expected))
            first = expected[0]
            expect(rows.nth(0)).to_contain_text(first.message)
            expect(rows.nth(0).locator("td").nth(1)).to_have_text(first.sheet or "—")
            expect(rows.nth(0).locator("td").nth(2)).to_have_text(first.cell or "—")
            with clerk.expect_download() as dl:
                clerk.click("#download-annotated")
            saved = tmp_path / "annotated.xlsx"
            dl.value.save_as(saved)
            assert openpyxl.load_workbook(saved)[RESULTS_SHEET]["A1"].value == "校验结果：不通过"

            # the office's dashboard changes by itself (polling), without a reload
            expect(row).to_contain_text("不通过", timeout=WAIT_MS)
            expect(office.locator('[data-tally="不通过"]')).to_have_text("1", timeout=WAIT_MS)

            clerk.set_input_files("#file", str(good))
            clerk.click("#send")
            verdict = api.validate_file(good).status
            expect(clerk.locator("#verdict-status")).to_have_text(verdict, timeout=WAIT_MS)
            assert verdict in ("通过", "有警告")
            expect(clerk.locator("#history tbody tr")).to_have_count(2)
            expect(row).to_contain_text(verdict, timeout=WAIT_MS)
            expect(office.locator('[data-tally="不通过"]')).to_have_text("0", timeout=WAIT_MS)
            expect(office.locator('[data-field="counted"]')).to_have_text("1", timeout=WAIT_MS)

            # another agency reports badly; filter and search the dashboard
            clerk.goto(f"{base}/u/{tokens['东城区民政局']}")
            clerk.set_input_files("#file", str(other))
            clerk.click("#send")
            expect(clerk.locator("#verdict-status")).to_have_text("不通过", timeout=WAIT_MS)
            expect(office.locator("#agencies tr", has_text="东城区民政局")).to_contain_text("不通过", timeout=WAIT_MS)
            office.select_option("#filter-status", "不通过")
            expect(office.locator("#agencies tbody tr")).to_have_count(1)
            office.select_option("#filter-status", "")
            office.fill("#filter-q", "财政")
            expect(office.locator("#agencies tbody tr")).to_have_count(1)
            expect(office.locator("#agencies tbody tr")).to_contain_text("未报送")
            office.fill("#filter-q", "")

            # the findings behind the link, as the clerk saw them
            office.locator("#agencies tr", has_text="东城区民政局").get_by_text("查看问题").click()
            expect(office.locator("#verdict-status")).to_have_text("不通过")
            office.go_back()

            office.click("#compile")
            expect(office.locator("#dl-xlsx")).to_be_visible(timeout=60_000)  # the page reloads when done
            with office.expect_download() as dl:
                office.click("#dl-xlsx")
            summary = tmp_path / "summary.xlsx"
            dl.value.save_as(summary)
            assert openpyxl.load_workbook(summary).sheetnames
            assert dl.value.suggested_filename.endswith("summary.xlsx")

            assert clerk_problems == []
            # the wrong password above is answered 401, which the browser reports; nothing else may be
            assert [m for m in office_problems if "status of 401" not in m] == []
            clerk_ctx.close()
            office_ctx.close()
    finally:
        svc.close()
