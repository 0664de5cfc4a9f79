"""How the browser tests start Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
# Headless, as root, on a machine with no network: without the background-networking flags Chromium
# keeps trying to reach its update and sync hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HIGHLIGHT = "rgb(255, 224, 102)"  # --hl in report.css: what a :target citation looks like


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright; the caller skips first when either is missing."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
