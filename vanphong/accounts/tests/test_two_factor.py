"""Two-step sign-in with an authenticator app (TOTP), mandatory for the roles an administrator chooses."""

import re
import time

import pyotp
import pytest

from vanphong.accounts.models import TOTPDevice, TwoFactorRequirement
from vanphong.audit.models import AuditEntry
from vanphong.organizations.models import Role

pytestmark = pytest.mark.django_db


def next_code(secret: str) -> str:
    """The code of the next 30-second step: the current one was used by the enrolment and cannot be replayed."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def enrol(client) -> str:
    page = client.get("/accounts/security/two-step/")
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    done = client.post("/accounts/security/two-step/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    return secret


def test_a_head_whose_role_requires_two_step_sign_in_must_enrol_before_anything_else(client, sign_in, head):
    TwoFactorRequirement.objects.create(role=Role.HEAD)
    sign_in(head)
    page = client.get("/")
    assert page.status_code == 302
    assert page.url == "/accounts/security/two-step/"

    enrol(client)
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.two_factor_enabled", actor=head).exists()


def test_a_clerk_whose_role_is_not_listed_is_not_forced(client, sign_in, clerk):
    TwoFactorRequirement.objects.create(role=Role.HEAD)
    sign_in(clerk)
    assert client.get("/").status_code == 200


def test_after_enrolment_signing_in_asks_for_the_code(client, sign_in, head):
    client.force_login(head)
    secret = enrol(client)
    client.logout()

    first = sign_in(head)
    assert first.url.startswith("/accounts/login/code/")
    assert client.get("/").status_code == 302, "the password alone does not sign in"

    wrong = client.post("/accounts/login/code/", {"code": "000000"})
    assert "Mã xác thực không đúng" in wrong.content.decode()

    right = client.post("/accounts/login/code/", {"code": next_code(secret)})
    assert right.status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_is_accepted_only_once(client, sign_in, head):
    client.force_login(head)
    secret = enrol(client)
    client.logout()
    code = pyotp.TOTP(secret).now()
    # enrolment already used the current code: it cannot be replayed to sign in
    sign_in(head)
    replay = client.post("/accounts/login/code/", {"code": code})
    assert replay.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_codes_count_towards_the_lockout(client, sign_in, head):
    client.force_login(head)
    enrol(client)
    client.logout()
    sign_in(head)
    for _attempt in range(5):
        page = client.post("/accounts/login/code/", {"code": "000000"})
    assert "bị tạm khóa" in page.content.decode()


def test_an_administrator_resets_a_lost_authenticator(client, head, platform_admin):
    client.force_login(head)
    enrol(client)
    client.force_login(platform_admin)
    client.post("/admin/accounts/user/", {"action": "reset_two_factor", "_selected_action": [head.pk]})
    assert not TOTPDevice.objects.filter(user=head).exists()
    assert AuditEntry.objects.filter(action="accounts.two_factor_reset", actor=platform_admin).exists()


def test_the_administrator_role_can_be_made_mandatory_from_the_admin(client, platform_admin):
    client.force_login(platform_admin)
    client.post("/admin/accounts/twofactorrequirement/add/", {"role": Role.ADMINISTRATOR})
    assert TwoFactorRequirement.objects.filter(role=Role.ADMINISTRATOR).exists()
    assert AuditEntry.objects.filter(action="accounts.two_factor_policy_changed").exists()
    # from the next sign-in, the superuser counts as an administrator and is sent to enrol
    client.logout()
    client.force_login(platform_admin)
    assert client.get("/").url == "/accounts/security/two-step/"
