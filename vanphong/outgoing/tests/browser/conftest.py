import pytest

# The browser and screenshot fixtures are the platform's (Debian's Chromium through Playwright).
from vanphong.core.tests.browser.conftest import browser, screenshot  # noqa: F401


@pytest.fixture(autouse=True)
def files_on_disk(settings, tmp_path):
    """Files on disk, as in production, for the live server. The test settings' InMemoryStorage hands out the same
    file object at every open; once a FileResponse has streamed it through wsgi.file_wrapper, Django has replaced
    its close() with the response's, so the next read of that file (the signer's, after the viewer showed it)
    fires request_finished in the middle of the request and closes its database connection."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
