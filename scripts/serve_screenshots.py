"""Take the pictures of the collection service in docs/ with headless Chromium (Debian's, through Playwright).

Run:  python scripts/serve_screenshots.py [docs]

Starts the service on 127.0.0.1 with the demo's agencies and submissions (``serve --demo``), logs in as
the office and saves serve-dashboard.png (the dashboard) and serve-findings.png (a clerk's findings page
for the demo's unbalanced report).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serve_helpers import PASSWORD, live_server, make_service  # noqa: E402

from xl_disclosure.cli.serve import seed_demo  # noqa: E402

BROKEN = "某某县交通运输局"


def main(out: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="serve-shots-") as tmp:
        svc = make_service(Path(tmp) / "data")
        try:
            seed_demo(svc, "http://127.0.0.1")
            svc.set_password(PASSWORD)
            broken = next(s for a, subs in ((a, svc.store.submissions_of(a.id)) for a in svc.store.agencies())
                          if a.name == BROKEN for s in subs)
            token = dict((a.name, t) for a, t in svc.store.issue_tokens(reissue=True))[BROKEN]
            with live_server(svc) as base, sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="zh-CN")
                page.goto(f"{base}/office/login")
                page.fill("#password", PASSWORD)
                page.click("#login")
                page.wait_for_selector("#updated:not(:empty)")
                page.screenshot(path=str(out / "serve-dashboard.png"), full_page=True)
                page.goto(f"{base}/u/{token}/v/{broken.id}")
                page.wait_for_selector("#findings")
                time.sleep(0.2)
                page.screenshot(path=str(out / "serve-findings.png"), full_page=True)
                browser.close()
        finally:
            svc.close()
    print(f"wrote {out / 'serve-dashboard.png'} and {out / 'serve-findings.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"))
