"""Fixtures of the tests/api browser tests: one headless Chromium per module, and a fresh
watched page (its own context, downloads accepted) for each test."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def browser():
    from helpers.browser import launched  # playwright, only where a browser test runs

    with launched() as b:
        yield b


@pytest.fixture
def watched(browser):
    from helpers.browser import Watched

    w = Watched(browser, accept_downloads=True)
    yield w
    w.context.close()
