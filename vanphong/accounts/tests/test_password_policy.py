"""The password policy a person meets when an administrator sets, or they change, their password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from vanphong.accounts.tests.factories import STRONG_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def refusal(password, user=None) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return " ".join(refused.value.messages)


def test_a_password_shorter_than_12_characters_is_refused_in_vietnamese():
    assert "12 ký tự" in refusal("Ng4n-qu4!")


@pytest.mark.parametrize(
    "password", ["password1234", "qwertyuiop123", "matkhau123456", "Vietnam2025!!", "ubndtinh2026"]
)
def test_common_passwords_are_refused(password):
    assert "phổ biến" in refusal(password)


def test_a_password_like_the_persons_own_name_is_refused():
    person = UserFactory.build(username="nguyenvanthanh", full_name="Nguyễn Văn Thành")
    assert "quá giống" in refusal("nguyenvanthanh1", person)


def test_a_long_uncommon_password_is_accepted_and_stored_with_argon2(client):
    person = UserFactory(username="tranthimai", full_name="Trần Thị Mai")
    validate_password(STRONG_PASSWORD, person)
    person.refresh_from_db()
    assert person.password.startswith("argon2$")
    assert person.check_password(STRONG_PASSWORD)


def test_changing_the_password_on_the_security_page_applies_the_policy_and_keeps_what_was_typed(client, clerk):
    client.force_login(clerk)
    page = client.post(
        "/accounts/security/",
        {
            "old_password": STRONG_PASSWORD,
            "new_password1": "ngan",
            "new_password2": "ngan",
        },
    )
    assert page.status_code == 200
    assert "12 ký tự" in page.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(STRONG_PASSWORD), "the old password still works after a refused change"


def test_a_password_set_by_an_administrator_is_audited_without_the_password(client, clerk, platform_admin):
    from vanphong.audit.models import AuditEntry

    client.force_login(platform_admin)
    new_password = "M0t-mat-khau-hoan-toan-moi"
    client.post(f"/admin/accounts/user/{clerk.pk}/password/", {"password1": new_password, "password2": new_password})
    clerk.refresh_from_db()
    assert clerk.check_password(new_password)
    entry = AuditEntry.objects.get(action="accounts.password_changed", object_id=str(clerk.pk))
    assert entry.actor == platform_admin
    assert new_password not in str(entry.before) + str(entry.after)
