"""Headless Chromium for the browser tests: Debian's chromium driven by Playwright.

Never `playwright install` (it downloads a browser, which these machines cannot); a missing
chromium fails the test with the command that installs it, rather than skipping.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = (
    f"{CHROMIUM} is missing: run `make browser-deps` (installs Debian's chromium and fonts-nanum)"
)
# Without the networking flag Chromium keeps calling out to Google's hosts, which are closed here.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium() -> None:
    """Fail the calling test at once if Debian's chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)


def launch(playwright):
    """Return a headless Chromium browser."""
    require_chromium()
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)


def assert_no_horizontal_overflow(page: Page, where: str) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        pytest.fail(f"{where}: page is wider than the viewport {widths}")
