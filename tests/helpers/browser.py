"""Headless Chromium for the tests: Debian's ``chromium`` (``KG_CHROMIUM`` names another
binary), driven by playwright; a page whose requests off loopback are refused and kept,
with its console errors."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from .paths import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def chromium() -> str | None:
    """The Chromium binary, or None when it is not installed."""
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    return shutil.which(CHROMIUM)


@contextmanager
def launched() -> Iterator:
    """Headless Chromium, closed on leaving."""
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page whose console errors and requests are kept; a request for anything but
    loopback (or data: and blob:, and file: for pages written to disk) is refused and
    kept apart."""

    def __init__(self, browser, **context):
        self.context = browser.new_context(viewport=VIEWPORT, service_workers="block", **context)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "file") or (parts.scheme in ("http", "https") and parts.hostname in LOOPBACK):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def check_clean(self):
        assert self.errors == []
        assert self.refused == []
        assert all(urlsplit(u).scheme in ("http", "data", "blob", "file") for u in self.requests)

    def screenshot(self, name: str) -> Path:
        return screenshot(self.page, name)


def screenshot(page, name: str) -> Path:
    """A screenshot of ``page`` kept in test-artifacts/ as ``name``.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
