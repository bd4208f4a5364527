import re

import pytest


@pytest.fixture
def bell():
    """bell(html) -> the number shown on the bell of a page, 0 when it shows none."""

    def read(html: str) -> int:
        assert 'data-testid="notifications-bell"' in html
        badge = re.search(r'data-testid="unread-count">([0-9+]+)<', html)
        return int(badge.group(1)) if badge else 0

    return read
