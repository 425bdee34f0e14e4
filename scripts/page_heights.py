"""Measure how tall the worker's busiest pages are (issue 10, item 8).

Run against a server with the demo loaded (`make run`, or `manage.py runserver`):

    .venv/bin/python scripts/page_heights.py http://127.0.0.1:8000

Chromium at 1366×768 (the common office laptop) signs in as `consultant`, opens the case
of 山田 太郎 (the demo's worked case) and its plan, and prints each page's height in CSS
pixels, where the progress notes start, and whether the page scrolls sideways."""

import sys
from urllib.parse import quote

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PASSWORD = "tsunagu-demo-2026"


def main(base: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
        page.goto(base + "/accounts/login/")
        page.get_by_label("ユーザー名").fill("consultant")
        page.get_by_label("パスワード").fill(PASSWORD)
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_load_state()
        page.wait_for_url("**/my/")
        page.goto(base + "/people/?q=" + quote("ヤマダタロウ"))
        page.get_by_role("link", name="山田 太郎").first.click()
        href = page.locator("main a[href^='/cases/']:not([href*='new'])").first.get_attribute("href")
        case = base + str(href)
        for name, url in (("case", case), ("plan", case + "plan/")):
            page.goto(url)
            height = page.evaluate("document.documentElement.scrollHeight")
            wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            notes = page.evaluate(
                "(() => { const h = document.getElementById('notes-title');"
                " return h ? Math.round(h.getBoundingClientRect().top + scrollY) : null })()"
            )
            print(f"{name}: {url}  height={height}px  notes_at={notes}  sideways_scroll={wide}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
