"""The browser tests without a browser: skipped with the reason, a failure under CI (tests/e2e/browser.py)."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e import browser


@pytest.fixture
def no_browser(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)


def test_without_chromium_a_browser_test_skips_saying_what_to_install(no_browser, monkeypatch):
    monkeypatch.setattr(browser, "ON_CI", False)

    with pytest.raises(pytest.skip.Exception, match=r"apt-get install chromium chromium-driver"):
        browser.executables()


def test_under_ci_without_chromium_a_browser_test_fails(no_browser, monkeypatch):
    monkeypatch.setattr(browser, "ON_CI", True)

    with pytest.raises(pytest.fail.Exception, match=r"CI=true: the browser is required"):
        browser.executables()


def test_with_chromium_and_its_driver_their_paths_are_given(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}" if name in ("chromium", "chromedriver") else None)

    assert browser.executables() == ("/usr/bin/chromium", "/usr/bin/chromedriver")
