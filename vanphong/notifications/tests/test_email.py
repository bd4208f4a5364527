"""The e-mail copy of a notification goes over real SMTP, to a local aiosmtpd server, through Django's SMTP backend."""

import email
import email.policy
import logging
import socket
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from vanphong.core.tasks import enqueue
from vanphong.notifications.models import Notification
from vanphong.notifications.services import notify
from vanphong.notifications.tasks import send_email

pytestmark = pytest.mark.django_db

SITE_URL = "https://vanphong.nghean.gov.vn"


class Mailbox:
    """An aiosmtpd handler that keeps every envelope it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [email.message_from_bytes(envelope.content, policy=email.policy.default) for envelope in self.envelopes]

    def subjects(self):
        """The subjects as a mail reader shows them: unfolded and RFC 2047-decoded. (Django folds a long encoded
        subject right after "Subject:", and Python's newer parser keeps that folding space; readers drop it.)"""
        return [
            str(make_header(decode_header(email.message_from_bytes(envelope.content)["Subject"])))
            for envelope in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "vanphong@stc.nghean.gov.vn"
    settings.VANPHONG_SITE_URL = SITE_URL


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 and a free port; Django sends to it through its SMTP backend."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield mailbox
    controller.stop()


def test_the_head_gets_the_notification_by_email_with_a_vietnamese_subject_and_the_link(
    smtp_server, head, django_capture_on_commit_callbacks
):
    head.email = "giamdoc@stc.nghean.gov.vn"
    head.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(
            recipient=head,
            title="Văn bản đến số 12 chờ ý kiến chỉ đạo của Giám đốc",
            body="Công văn số 345/UBND-KT về việc đôn đốc giải ngân vốn đầu tư công.",
            url="/incoming/12/",
            kind="incoming.presented",
        )
        assert smtp_server.envelopes == [], "sent only once the transaction commits"

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["giamdoc@stc.nghean.gov.vn"]
    assert envelope.mail_from == "vanphong@stc.nghean.gov.vn"
    headers = envelope.content.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii() and b"=?utf-8?" in headers.lower(), "the subject is RFC 2047-encoded, not raw 8-bit"
    assert smtp_server.subjects() == ["Văn bản đến số 12 chờ ý kiến chỉ đạo của Giám đốc"]

    [message] = smtp_server.messages()
    assert message["To"] == "giamdoc@stc.nghean.gov.vn"
    assert message.get_content_charset() == "utf-8"
    text = message.get_content()
    assert "https://vanphong.nghean.gov.vn/incoming/12/" in text
    assert "Công văn số 345/UBND-KT về việc đôn đốc giải ngân vốn đầu tư công." in text
    assert "Trần Văn Hùng" in text
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_notification_without_a_link_points_to_the_list_of_notifications(
    smtp_server, head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=head, title="Lịch họp giao ban tuần\nđã được cập nhật")
    assert smtp_server.subjects() == ["Lịch họp giao ban tuần đã được cập nhật"], "a title on two lines, one subject"
    [message] = smtp_server.messages()
    assert f"{SITE_URL}/notifications/" in message.get_content()


def test_when_the_mail_server_is_down_the_notification_stays_and_is_emailed_when_the_task_is_repeated(
    settings, head, django_capture_on_commit_callbacks, caplog
):
    use_smtp(settings, free_port())  # nothing listens there
    with caplog.at_level(logging.ERROR, logger="vanphong.core.tasks"), django_capture_on_commit_callbacks(execute=True):
        notification = notify(recipient=head, title="Văn bản đến số 12 chờ phân công", url="/incoming/12/")
    assert "vanphong.notifications.tasks.send_email" in caplog.text
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert Notification.objects.filter(pk=notification.pk, read_at__isnull=True).exists()

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(send_email, notification_id=notification.pk)
            enqueue(send_email, notification_id=notification.pk)
    finally:
        controller.stop()
    assert len(mailbox.envelopes) == 1, "sent once, however often the task is repeated"
    notification.refresh_from_db()
    assert notification.emailed_at is not None
