"""Headless Chromium driven by Selenium, from Debian's chromium and chromium-driver packages (`make tools`)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.services import ON_CI

# Headless, with as few of Chromium's own requests as its switches allow.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Tall enough that no element the tests click is under Swagger UI's modal or out of view.
    "--window-size=1280,4000",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-first-run",
    "--no-default-browser-check",
    # Autofill asks a Google server about the page's forms, on the page's behalf.
    "--disable-features=AutofillServerCommunication",
]

NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}


def executables() -> tuple[str, str]:
    """Chromium's and its driver's paths; skip the calling test when missing (fail under CI)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    message = "chromium and chromium-driver are not installed (make tools, or apt-get install chromium chromium-driver)"
    if ON_CI:
        pytest.fail(f"{message} (CI=true: the browser is required)", pytrace=False)
    pytest.skip(message)


@contextmanager
def chromium(folder: Path) -> Iterator:
    """A Selenium driver of a fresh headless Chromium, its profile in `folder`.

    The driver is the package's, never one Selenium downloads: the machine may have no way out.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = executables()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*FLAGS, f"--user-data-dir={folder / 'profile'}"):
        options.add_argument(flag)
    # The DevTools events of the pages, read by page_requests().
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    session = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    try:
        yield session
    finally:
        session.quit()


def page_requests(session) -> set[str]:
    """The network URLs the pages requested, to any host, since the last call.

    DevTools reports the pages' own requests only, not the browser's (update checks, accounts);
    those of its built-in pages (chrome://, data:) and those it blocked never reach the network.
    """
    messages = [json.loads(entry["message"])["message"] for entry in session.get_log("performance")]
    # Stopped in the browser before any byte was sent (the Redoc page's Content-Security-Policy).
    blocked = {
        message["params"]["requestId"]
        for message in messages
        if message["method"] == "Network.loadingFailed" and message["params"].get("blockedReason")
    }
    urls = {
        message["params"]["request"]["url"]
        for message in messages
        if message["method"] == "Network.requestWillBeSent" and message["params"]["requestId"] not in blocked
    }
    return {url for url in urls if urlsplit(url).scheme in NETWORK_SCHEMES}
