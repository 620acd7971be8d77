"""Helpers for browser tests (import as ``from browser_helpers import open_page, wait_idle``)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# This machine refuses chromium's background connections; without these flags it
# stalls on them at every start.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(workdir: Path, **env_overrides: str):
    """Run ``streamlit run app.py`` on a free localhost port; yield its URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    port = _free_port()
    # wait_idle watches Streamlit's running/Stop status widget, which the shipped
    # toolbarMode "minimal" hides; tests keep it ("viewer") unless they ask otherwise
    env = {**os.environ, "STREAMLIT_CLIENT_TOOLBAR_MODE": "viewer", **env_overrides}
    log = open(workdir / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"streamlit did not start; see {log.name}")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def open_page(page, app_url: str, path: str = "") -> None:
    """Go to ``/path`` and wait until Streamlit has finished running the script."""
    page.goto(f"{app_url}/{path}")
    wait_idle(page)


def wait_idle(page, timeout: float = 60.0) -> None:
    """Wait for the app to render and stop running (the status widget disappears)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    page.wait_for_timeout(500)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            page.wait_for_timeout(300)
            if page.locator('[data-testid="stStatusWidget"]').count() == 0:
                return
        page.wait_for_timeout(200)


def wait_for(predicate, timeout: float = 120.0, what: str = "") -> None:
    """Poll ``predicate`` every half second until it holds; fail naming ``what`` after ``timeout``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def load_ready_preset(page, name: str = "resnet18"):
    """Architecture builder: pick the ready network ``name`` and press Load (English page);
    returns the builder tab's locator."""
    page.get_by_role("tab", name="Architecture builder").click()
    builder = page.locator('[data-testid="stTabPanel"]').nth(1)
    builder.locator('[data-testid="stSelectbox"]').filter(has_text="Start from a preset").click()
    page.get_by_role("option", name=re.compile(name)).click()
    wait_idle(page)
    page.get_by_role("button", name="Load preset").click()
    wait_idle(page)
    return builder
