"""The state machines of outgoing documents (văn bản đi), in one place.

A document (DocumentState):

    DRAFT ──submit──► IN_REVIEW ──approve (last reviewer)──► TO_SIGN ──sign──► TO_NUMBER ──number──► TO_ISSUE
      ▲                  │                                      │                                       │
      └────return────────┴──────────────return──────────────────┘                                    issue
                                                                                                        ▼
                               REPLACED ◄──replace── ISSUED ──recall──► RECALLED
    A paper-only document (secret, or signed by hand) goes TO_SIGN ──approve_paper──► TO_NUMBER: the clerk numbers it
    and records its paper recipients.

A review step (StepState), one per reviewer of the route; consulted units' steps run in parallel:

    WAITING ──open──► PENDING ──approve──► APPROVED
                         └─────return────► RETURNED        (a step not reached when the draft is returned: SKIPPED)

A recipient's tracking (RecipientState) follows what the recipient does (trạng thái xử lý):

    QUEUED (chờ gửi) ──sent──► SENT ──arrived──► ARRIVED ──registered──► RECEIVED ──assigned──► ASSIGNED
         ──in_progress──► IN_PROGRESS ──done──► DONE;  ARRIVED ──refused──► REFUSED;  any ──recalled──► RECALLED

Who may fire a transition is decided by the predicates in permissions.py."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from vanphong.core.state_machine import StateMachine, Transition

from . import permissions


class DocumentState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("outgoing status", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("outgoing status", "In review")
    TO_SIGN = "to_sign", pgettext_lazy("outgoing status", "Waiting for signature")
    TO_NUMBER = "to_number", pgettext_lazy("outgoing status", "Waiting for a number")
    TO_ISSUE = "to_issue", pgettext_lazy("outgoing status", "Numbered, to issue")
    ISSUED = "issued", pgettext_lazy("outgoing status", "Issued")
    RECALLED = "recalled", pgettext_lazy("outgoing status", "Recalled")
    REPLACED = "replaced", pgettext_lazy("outgoing status", "Replaced")


class StepState(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("review step", "Not yet")
    PENDING = "pending", pgettext_lazy("review step", "To review")
    APPROVED = "approved", pgettext_lazy("review step", "Approved")
    RETURNED = "returned", pgettext_lazy("review step", "Returned")
    SKIPPED = "skipped", pgettext_lazy("review step", "Not reached")


class RecipientState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("recipient status", "Waiting to be sent")  # chờ gửi
    SENT = "sent", pgettext_lazy("recipient status", "Sent")  # đã gửi
    ARRIVED = "arrived", pgettext_lazy("recipient status", "Arrived")  # đã đến
    REFUSED = "refused", pgettext_lazy("recipient status", "Refused")  # từ chối
    RECEIVED = "received", pgettext_lazy("recipient status", "Received")  # đã tiếp nhận
    ASSIGNED = "assigned", pgettext_lazy("recipient status", "Assigned")  # phân công
    IN_PROGRESS = "in_progress", pgettext_lazy("recipient status", "Being handled")  # đang xử lý
    DONE = "done", pgettext_lazy("recipient status", "Completed")  # hoàn thành
    RECALLED = "recalled", pgettext_lazy("recipient status", "Recalled")
    ON_PAPER = "on_paper", pgettext_lazy("recipient status", "Sent on paper")


D, S, R = DocumentState, StepState, RecipientState

document = StateMachine(
    state_field="state",
    refusal=lambda: _("This step is not possible for this document now."),
    transitions=[
        Transition("submit", frozenset({D.DRAFT}), D.IN_REVIEW, permissions.drafts),
        Transition("return", frozenset({D.IN_REVIEW, D.TO_SIGN}), D.DRAFT, permissions.reviews_now),
        Transition("approve_paper", frozenset({D.TO_SIGN}), D.TO_NUMBER, permissions.signs),
        Transition("number", frozenset({D.TO_NUMBER}), D.TO_ISSUE, permissions.is_clerk_of_document),
        Transition("issue", frozenset({D.TO_ISSUE}), D.ISSUED, permissions.is_clerk_of_document),
        Transition("recall", frozenset({D.ISSUED}), D.RECALLED, permissions.may_recall),
        # fired by the system: the last reviewer approved; the signature was applied; a later document replaced it
        Transition("reviewed", frozenset({D.IN_REVIEW}), D.TO_SIGN),
        Transition("signed", frozenset({D.TO_SIGN}), D.TO_NUMBER),
        Transition("replaced", frozenset({D.ISSUED}), D.REPLACED),
    ],
)

step = StateMachine(
    state_field="state",
    refusal=lambda: _("This review step is not open to you now."),
    transitions=[
        Transition("approve", frozenset({S.PENDING}), S.APPROVED, permissions.acts_on_step),
        Transition("return", frozenset({S.PENDING}), S.RETURNED, permissions.acts_on_step),
        # fired by the system as the route advances or ends
        Transition("open", frozenset({S.WAITING}), S.PENDING),
        Transition("skip", frozenset({S.WAITING, S.PENDING}), S.SKIPPED),
    ],
)

_AFTER_ARRIVAL = frozenset({R.ARRIVED, R.RECEIVED, R.ASSIGNED, R.IN_PROGRESS})
recipient = StateMachine(
    state_field="state",
    refusal=lambda: _("This step is not possible for this recipient now."),
    transitions=[
        # all fired by the system, from the recipient's own steps (on this platform) or its status messages
        Transition("sent", frozenset({R.QUEUED}), R.SENT),
        Transition("arrived", frozenset({R.QUEUED, R.SENT}), R.ARRIVED),
        Transition("refused", frozenset({R.SENT, R.ARRIVED}), R.REFUSED),
        Transition("registered", frozenset({R.SENT, R.ARRIVED}), R.RECEIVED),
        Transition("assigned", frozenset({R.SENT, R.ARRIVED, R.RECEIVED}), R.ASSIGNED),
        Transition("in_progress", frozenset({R.SENT, *_AFTER_ARRIVAL}), R.IN_PROGRESS),
        Transition("done", frozenset({R.SENT, *_AFTER_ARRIVAL}), R.DONE),
        Transition("recalled", frozenset({R.QUEUED, R.SENT, R.DONE, R.ON_PAPER, *_AFTER_ARRIVAL}), R.RECALLED),
    ],
)
