# The browser and screenshot fixtures are the platform's (Debian's Chromium through Playwright).
from vanphong.core.tests.browser.conftest import browser, screenshot  # noqa: F401
from vanphong.incoming.tests.conftest import office  # noqa: F401 (the clerk's agency)
