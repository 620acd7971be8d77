"""Helpers for browser tests (import as ``from browser_helpers import open_page, wait_idle``)."""

from __future__ import annotations

import time


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
