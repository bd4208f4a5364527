"""Five failed sign-ins of an account from one address lock it there until an administrator unlocks it."""

import pytest

from vanphong.accounts.models import LoginLockout
from vanphong.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

OFFICE = {"REMOTE_ADDR": "10.1.2.3"}
HOME = {"REMOTE_ADDR": "203.0.113.9"}


def fail_five_times(sign_in, person, address):
    for _attempt in range(5):
        page = sign_in(person, password="sai-mat-khau-roi", **address)
    return page


def test_a_wrong_password_says_so_in_vietnamese_and_keeps_the_username(sign_in, clerk):
    page = sign_in(clerk, password="sai-mat-khau-roi", **OFFICE)
    html = page.content.decode()
    assert "Sai tên đăng nhập hoặc mật khẩu" in html
    assert 'value="vanthu"' in html
    assert "_auth_user_id" not in page.wsgi_request.session


def test_five_failures_lock_the_account_from_that_address_even_for_the_right_password(client, sign_in, clerk):
    fifth = fail_five_times(sign_in, clerk, OFFICE)
    assert "bị tạm khóa" in fifth.content.decode()

    page = sign_in(clerk, **OFFICE)
    assert "bị tạm khóa" in page.content.decode()
    assert "_auth_user_id" not in client.session

    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    assert actions.count("accounts.login_failed") == 5
    assert "accounts.locked" in actions
    assert "accounts.login" not in actions


def test_the_lock_holds_only_for_the_address_the_failures_came_from(client, sign_in, clerk):
    fail_five_times(sign_in, clerk, OFFICE)
    page = sign_in(clerk, **HOME)
    assert page.status_code == 302
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_an_administrator_unlocks_the_account_and_the_person_signs_in_again(client, sign_in, clerk, platform_admin):
    fail_five_times(sign_in, clerk, OFFICE)
    lockout = LoginLockout.objects.get(username="vanthu")

    client.force_login(platform_admin)
    page = client.post(
        "/admin/accounts/loginlockout/", {"action": "unlock", "_selected_action": [lockout.pk]}, follow=True, **OFFICE
    )
    assert "1 tài khoản đã được mở khóa" in page.content.decode()
    client.logout()

    assert sign_in(clerk, **OFFICE).status_code == 302
    unlocked = AuditEntry.objects.get(action="accounts.unlocked")
    assert unlocked.actor == platform_admin
    assert AuditEntry.objects.filter(action="accounts.login", actor=clerk, ip_address="10.1.2.3").exists()


def test_a_successful_sign_in_clears_earlier_failures(sign_in, clerk):
    for _attempt in range(4):
        sign_in(clerk, password="sai-mat-khau-roi", **OFFICE)
    sign_in(clerk, **OFFICE)
    assert not LoginLockout.objects.filter(username="vanthu").exists()


def test_a_person_without_the_unlock_permission_cannot_unlock(client, sign_in, clerk, person_in, agency):
    from vanphong.organizations.models import Role

    fail_five_times(sign_in, clerk, OFFICE)
    specialist = person_in(agency, Role.SPECIALIST, is_staff=True)
    client.force_login(specialist)
    page = client.post(
        "/admin/accounts/loginlockout/", {"action": "unlock", "_selected_action": [LoginLockout.objects.get().pk]}
    )
    assert page.status_code == 403
    assert LoginLockout.objects.get().is_locked


def test_parallel_guesses_are_counted_one_after_another(sign_in, clerk, settings):
    """Each attempt holds the account's failure row while the password is checked: no guess slips past the lock."""
    from vanphong.accounts.errors import AccountLocked, InvalidCredentials
    from vanphong.accounts.services import check_password

    for attempt in range(7):
        with pytest.raises(AccountLocked if attempt >= 4 else InvalidCredentials):
            check_password(request=None, username="vanthu", password=f"sai-{attempt}", ip_address="10.1.2.3")
    lockout = LoginLockout.objects.get(username="vanthu")
    assert lockout.failures == 5, "attempts after the lock are refused without checking the password"
    with pytest.raises(AccountLocked):
        check_password(request=None, username="vanthu", password="x", ip_address="10.1.2.3")
