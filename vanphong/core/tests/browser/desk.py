"""A person at their own browser, signed in through the real sign-in page, for the flows' browser tests."""

from vanphong.accounts.tests.factories import STRONG_PASSWORD

SCREENS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 375, "height": 780}}


class Desk:
    """One person at their own browser. Every page must load without a Content Security Policy violation."""

    timeout_ms = 15000

    def __init__(self, browser, live_server, screenshot, screen, person):
        self.context = browser.new_context(viewport=SCREENS[screen], locale="vi-VN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(self.timeout_ms)
        self.violations = []
        self.page.on(
            "console",
            lambda message: self.violations.append(message.text) if "Content Security Policy" in message.text else None,
        )
        self.url, self.shot, self.screen, self.name = live_server.url, screenshot, screen, person.username
        self.page.goto(f"{self.url}/accounts/login/")
        self.page.get_by_label("Tên đăng nhập").fill(person.username)
        self.page.get_by_label("Mật khẩu").fill(STRONG_PASSWORD)
        self.page.get_by_role("button", name="Đăng nhập").click()
        self.page.wait_for_url(f"{self.url}/")

    def snap(self, step):
        self.shot(self.page, f"{self.screen}-{self.name}-{step}")

    def count(self, tab):
        return int(self.page.get_by_test_id(f"count-{tab}").inner_text())

    def close(self):
        assert self.violations == [], self.violations
        self.context.close()
