"""A clerk signs in and sees the dashboard, on a laptop and on a 375 px wide phone."""

import pytest

from vanphong.accounts.tests.factories import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_and_open_the_dashboard(browser, live_server, screenshot, *, width, height, label):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    screenshot(page, f"{label}-1-login")

    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Xin chào, Nguyễn Thị Lan").is_visible()
    assert page.get_by_test_id("my-positions").inner_text().startswith("Văn thư")
    screenshot(page, f"{label}-2-dashboard")
    assert violations == []
    return context, page


def test_clerk_signs_in_and_sees_the_dashboard_on_a_laptop(browser, live_server, screenshot, clerk):
    context, page = sign_in_and_open_the_dashboard(
        browser, live_server, screenshot, width=1366, height=800, label="laptop"
    )
    assert page.get_by_role("link", name="Văn bản đến").is_visible()
    assert page.get_by_role("link", name="Hồ sơ công việc").is_visible()
    assert page.get_by_text("Lịch họp").is_visible()
    assert page.get_by_role("link", name="Lịch họp").count() == 0  # not built yet: shown, not a link
    context.close()


def test_clerk_signs_in_and_sees_the_dashboard_on_a_phone(browser, live_server, screenshot, clerk):
    context, page = sign_in_and_open_the_dashboard(
        browser, live_server, screenshot, width=375, height=740, label="phone"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "no sideways scrolling on a phone"
    assert not page.get_by_text("Hồ sơ công việc").is_visible(), "the menu is folded on a phone"
    page.get_by_role("button", name="Menu").click()
    page.locator("#main-nav.collapse.show").wait_for()  # the unfolding animation has finished
    assert page.get_by_text("Hồ sơ công việc").is_visible()
    screenshot(page, "phone-3-menu-open")
    context.close()
