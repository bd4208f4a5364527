"""A person is told that something concerns them: the bell counts what they have not read, the list shows it, and
opening a notification marks it read and takes them to it. Nobody sees or touches another person's notifications."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import transaction
from django.test import RequestFactory

from vanphong.accounts.tests.factories import UserFactory
from vanphong.notifications.context_processors import unread
from vanphong.notifications.errors import NotificationNotFound
from vanphong.notifications.models import Notification
from vanphong.notifications.selectors import recent, unread_count
from vanphong.notifications.services import mark_all_read, mark_read, notify

pytestmark = pytest.mark.django_db


def states(html: str) -> list[str]:
    """The read/unread state of each notification on the list page, top to bottom."""
    return re.findall(r'data-testid="notification" data-state="(\w+)"', html)


def test_the_head_is_notified_and_sees_the_count_on_the_bell_of_the_dashboard(client, sign_in, head, bell):
    notify(recipient=head, title="Văn bản đến số 12 chờ phân công", url="/incoming/12/", kind="incoming.presented")
    notify(recipient=head, title="Văn bản đến số 13 chờ phân công", url="/incoming/13/", kind="incoming.presented")
    sign_in(head)
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert bell(dashboard.content.decode()) == 2
    assert 'href="/notifications/"' in dashboard.content.decode()


def test_the_clerk_does_not_see_the_heads_notifications(client, sign_in, clerk, head, bell):
    notify(recipient=head, title="Văn bản đến số 12 chờ phân công", url="/incoming/12/")
    sign_in(clerk)
    assert bell(client.get("/").content.decode()) == 0
    page = client.get("/notifications/").content.decode()
    assert "Văn bản đến số 12" not in page
    assert 'data-testid="no-notifications"' in page


def test_the_list_shows_the_newest_first_and_the_unread_ones_emphasised(client, sign_in, head):
    older = notify(recipient=head, title="Dự thảo bị trả lại", body="Đề nghị sửa trích yếu.", url="/outgoing/4/")
    notify(recipient=head, title="Văn bản đến số 12 chờ phân công", url="/incoming/12/")
    mark_read(notification=older, by=head)
    sign_in(head)
    page = client.get("/notifications/").content.decode()
    assert page.index("Văn bản đến số 12") < page.index("Dự thảo bị trả lại")
    assert states(page) == ["unread", "read"]
    assert "Đề nghị sửa trích yếu." in page
    assert 'data-testid="read-all"' in page


def test_opening_a_notification_marks_it_read_and_takes_the_head_to_it(client, sign_in, head, bell):
    first = notify(recipient=head, title="Văn bản đến số 12 chờ phân công", url="/incoming/12/")
    notify(recipient=head, title="Văn bản đến số 13 chờ phân công", url="/incoming/13/")
    sign_in(head)
    page = client.get("/notifications/").content.decode()
    assert f'formaction="/notifications/{first.pk}/open/"' in page

    opened = client.post(f"/notifications/{first.pk}/open/")
    assert opened.status_code == 302
    assert opened.url == "/incoming/12/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert bell(client.get("/").content.decode()) == 1
    assert states(client.get("/notifications/").content.decode()) == ["unread", "read"]


def test_a_notification_without_a_link_returns_to_the_list_when_opened(client, sign_in, head):
    notification = notify(recipient=head, title="Lịch họp giao ban tuần đã được cập nhật")
    sign_in(head)
    opened = client.post(f"/notifications/{notification.pk}/open/")
    assert opened.url == "/notifications/"
    notification.refresh_from_db()
    assert notification.is_read


def test_opening_it_again_keeps_the_time_it_was_first_read(head):
    notification = notify(recipient=head, title="Văn bản đến số 12 chờ phân công")
    first_read_at = mark_read(notification=notification, by=head).read_at
    notification.refresh_from_db()
    assert mark_read(notification=notification, by=head).read_at == first_read_at


def test_the_clerk_cannot_open_the_heads_notification(client, sign_in, clerk, head):
    notification = notify(recipient=head, title="Văn bản mật số 7", url="/incoming/7/")
    sign_in(clerk)
    assert client.post(f"/notifications/{notification.pk}/open/").status_code == 404
    assert client.post("/notifications/999999/open/").status_code == 404, "the same answer as for none at all"
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_service_refuses_anyone_but_the_recipient(clerk, head):
    notification = notify(recipient=head, title="Văn bản mật số 7")
    with pytest.raises(NotificationNotFound):
        mark_read(notification=notification, by=clerk)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_notification_is_opened_only_by_a_post(client, sign_in, head):
    notification = notify(recipient=head, title="Văn bản đến số 12 chờ phân công", url="/incoming/12/")
    sign_in(head)
    assert client.get(f"/notifications/{notification.pk}/open/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_all_read_touches_only_the_persons_own_notifications(client, sign_in, clerk, head, bell):
    for number in (12, 13, 14):
        notify(recipient=head, title=f"Văn bản đến số {number} chờ phân công")
    clerks = notify(recipient=clerk, title="Văn bản đến số 15 đã được phân công")
    sign_in(head)
    done = client.post("/notifications/read-all/", follow=True)
    html = done.content.decode()
    assert states(html) == ["read", "read", "read"]
    assert bell(html) == 0
    assert 'data-testid="read-all"' not in html
    clerks.refresh_from_db()
    assert clerks.read_at is None
    assert mark_all_read(by=head) == 0


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    page = client.get("/notifications/")
    assert page.status_code == 302
    assert page.url.startswith("/accounts/login/")


def test_the_bell_counts_with_one_query_and_only_for_a_signed_in_person(head, django_assert_num_queries):
    notify(recipient=head, title="Văn bản đến số 12 chờ phân công")
    notify(recipient=head, title="Văn bản đến số 13 chờ phân công")
    request = RequestFactory().get("/")
    request.user = head
    context = unread(request)
    with django_assert_num_queries(1):
        assert context["unread_notifications"] == 2
        assert context["unread_notifications"] > 1
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {}


def test_the_selectors_give_the_persons_own_notifications(clerk, head):
    for number in range(5):
        notify(recipient=head, title=f"Thông báo {number}")
    notify(recipient=clerk, title="Thông báo của văn thư")
    assert [n.title for n in recent(head, limit=3)] == ["Thông báo 4", "Thông báo 3", "Thông báo 2"]
    assert unread_count(head) == 5
    assert unread_count(clerk) == 1


def test_a_notification_links_only_inside_the_platform(head):
    for outside in ("https://example.com/phishing", "//example.com/x", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            notify(recipient=head, title="Liên kết ngoài", url=outside)
    assert not Notification.objects.exists()


def test_it_is_emailed_after_the_commit_when_asked_and_the_person_has_an_address(
    head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        emailed = notify(recipient=head, title="Văn bản đến số 12 chờ phân công", url="/incoming/12/")
        kept = notify(recipient=head, title="Chỉ trên màn hình", email=False)
        nobody = UserFactory(username="khongthu", email="")
        no_address = notify(recipient=nobody, title="Không có địa chỉ thư")
    assert [message.to for message in mail.outbox] == [[head.email]]
    emailed.refresh_from_db(), kept.refresh_from_db(), no_address.refresh_from_db()
    assert emailed.emailed_at is not None
    assert kept.emailed_at is None
    assert no_address.emailed_at is None


@pytest.mark.django_db(transaction=True)
def test_nothing_is_emailed_when_the_action_that_notified_is_rolled_back(head):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=head, title="Văn bản đến số 12 chờ phân công")
        raise RuntimeError("registering the document failed")
    assert mail.outbox == []
    assert not Notification.objects.exists()
