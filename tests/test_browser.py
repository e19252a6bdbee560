"""A real browser against `streamlit run`: record a verdict by clicking, download the CSV."""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import DATA
from workbench.desk import Desk
from workbench.embed import Encoder
from workbench.settings import REPO, load_settings
from workbench.verdicts import verdict_history

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("WORKBENCH_SCREENSHOTS", REPO / "artifacts" / "screenshots"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path, encoder: Encoder) -> Iterator[tuple[str, Desk]]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: `make browser` installs it.")
        pytest.skip("Debian's chromium is not installed")
    desk = Desk(load_settings(environ={}, home=tmp_path), encoder=encoder)
    desk.ingest([DATA / "articles.jsonl"])
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "streamlit_app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        env={**os.environ, "WORKBENCH_HOME": str(tmp_path)},
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.5)
        yield url, desk
    finally:
        process.terminate()
        process.wait(timeout=20)


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the rerun that the last action started."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=30_000)


def test_verdict_by_clicking_then_download_the_csv(
    server: tuple[str, Desk], tmp_path: Path
) -> None:
    url, desk = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(url)
        expect(page.get_by_text("Review queue").first).to_be_visible(timeout=60_000)
        name = page.get_by_label("Your name (shown on your verdicts)")
        name.fill("Browser Reviewer")
        name.press("Enter")
        settle(page)
        page.locator("[class*=st-key-open-] button").first.click()
        expect(page.get_by_text("Your verdict", exact=True)).to_be_visible(timeout=30_000)
        settle(page)
        page.screenshot(path=str(SHOTS / "claim.png"), full_page=True)
        claim_id = page.evaluate("new URLSearchParams(location.search).get('claim')")
        page.get_by_label("Rationale").fill("Only one outlet carries it.")
        page.get_by_label("Rationale").blur()
        settle(page)
        page.get_by_role("button", name="Disputed").click()
        expect(page.get_by_text("Recorded: disputed")).to_be_visible(timeout=30_000)
        (verdict,) = verdict_history(desk.ledger, claim_id)
        assert verdict.reviewer == "Browser Reviewer" and verdict.note.startswith("Only one")

        page.get_by_role("link", name="Export").click()
        button = page.get_by_role("button", name="Download 1 verdicts (CSV)")
        expect(button).to_be_visible(timeout=30_000)
        page.screenshot(path=str(SHOTS / "export.png"))
        with page.expect_download() as download:
            button.click()
        saved = tmp_path / "verdicts.csv"
        download.value.save_as(saved)
        page.get_by_role("link", name="Overview").click()
        expect(page.get_by_text("Verdicts by outlet")).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)
        browser.close()
    (row,) = csv.DictReader(saved.read_text(encoding="utf-8-sig").splitlines())
    assert row["claim_id"] == claim_id
    assert (row["verdict"], row["reviewer"]) == ("disputed", "Browser Reviewer")
    shutil.copy(saved, SHOTS / "verdicts.csv")
