"""The two state machines of incoming documents, in one place.

Handling of a document (HandlingState):

    RECEIVED ──register──► REGISTERED ──present──► PRESENTED ──assign──► IN_PROGRESS ──complete──► DONE
       │                        ▲                      │   ▲                  │
       └─reject─► REJECTED      └──────return──────────┘   └──lead_returned───┘

An assignment (AssignmentState), for each unit or person the work was routed to:

    PENDING ──start──► IN_PROGRESS ──complete──► DONE
       │  └──────forward / complete──────┘ │
       ├──return──► RETURNED ◄──return─────┤
       └──recall──► RECALLED ◄──recall─────┘

Who may fire a transition is decided by the predicates in permissions.py."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.core.state_machine import StateMachine, Transition

from . import permissions


class HandlingState(models.TextChoices):
    RECEIVED = "received", gettext_lazy("Waiting to be registered")
    REGISTERED = "registered", gettext_lazy("Registered")
    PRESENTED = "presented", gettext_lazy("Waiting for instructions")
    IN_PROGRESS = "in_progress", gettext_lazy("Being handled")
    DONE = "done", gettext_lazy("Completed")
    REJECTED = "rejected", gettext_lazy("Returned to the sender")


class AssignmentState(models.TextChoices):
    PENDING = "pending", gettext_lazy("To handle")
    IN_PROGRESS = "in_progress", gettext_lazy("Being handled")
    DONE = "done", gettext_lazy("Done")
    RETURNED = "returned", gettext_lazy("Returned")
    RECALLED = "recalled", gettext_lazy("Recalled")


AssignmentState.OPEN = frozenset({AssignmentState.PENDING, AssignmentState.IN_PROGRESS})

H, A = HandlingState, AssignmentState

handling = StateMachine(
    state_field="state",
    refusal=lambda: _("This step is not possible for this document now."),
    transitions=[
        Transition("register", frozenset({H.RECEIVED}), H.REGISTERED, permissions.is_clerk_of_document),
        Transition("reject", frozenset({H.RECEIVED}), H.REJECTED, permissions.is_clerk_of_document),
        Transition("present", frozenset({H.REGISTERED}), H.PRESENTED, permissions.is_clerk_of_document),
        Transition("return", frozenset({H.PRESENTED}), H.REGISTERED, permissions.decides_document),
        Transition("assign", frozenset({H.PRESENTED}), H.IN_PROGRESS, permissions.decides_document),
        # fired by the system when the lead's work ends or comes back
        Transition("complete", frozenset({H.IN_PROGRESS}), H.DONE),
        Transition("lead_returned", frozenset({H.IN_PROGRESS}), H.PRESENTED),
    ],
)

assignment = StateMachine(
    state_field="state",
    refusal=lambda: _("This step is not possible for this assignment now."),
    transitions=[
        Transition("start", frozenset({A.PENDING}), A.IN_PROGRESS, permissions.acts_on_assignment),
        Transition("forward", frozenset(A.OPEN), A.IN_PROGRESS, permissions.may_forward),
        Transition("complete", frozenset(A.OPEN), A.DONE, permissions.acts_on_assignment),
        Transition("return", frozenset(A.OPEN), A.RETURNED, permissions.acts_on_assignment),
        Transition("recall", frozenset(A.OPEN), A.RECALLED, permissions.assigned_it),
        # fired by the system: a child's completion completes its parent; a child's return reopens it; the head's
        # presentation item closes when the head assigns (decided) or returns the document to the clerk (sent back)
        Transition("complete_from_child", frozenset(A.OPEN), A.DONE),
        Transition("reopen", frozenset({A.IN_PROGRESS}), A.PENDING),
        Transition("decided", frozenset(A.OPEN), A.DONE),
        Transition("sent_back", frozenset(A.OPEN), A.RETURNED),
    ],
)
