"""Playwright driving Debian's Chromium (/usr/bin/chromium); never a downloaded browser."""

import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("VANPHONG_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(
    os.environ.get("VANPHONG_TEST_ARTIFACTS", Path(__file__).resolve().parents[4] / "var" / "test-artifacts")
)


@pytest.fixture
def browser(monkeypatch, settings, tmp_path):
    from playwright.sync_api import sync_playwright

    # Files on disk, as in production, for the live server. The test settings' InMemoryStorage hands out the same
    # file object at every open; once a FileResponse has streamed it through wsgi.file_wrapper, Django has replaced
    # its close() with the response's, so a later read of that file in another request fires request_finished in
    # the middle of that request and closes its database connection ("Cannot operate on a closed database").
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }

    # Playwright's sync API runs an event loop in this thread; the test's own database calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        # While Playwright's loop runs, Django keeps this test's database connection in that context; close it
        # here, or the test database could not be dropped at the end of the run.
        connections.close_all()
        browser.close()


@pytest.fixture
def screenshot(request):
    """screenshot(page, step) keeps a PNG of the step under var/test-artifacts/<test name>/."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, step: str) -> Path:
        path = folder / f"{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
