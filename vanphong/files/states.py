"""The state machine of a work file (hồ sơ), in one place:

    OPEN ──close──► CLOSED ──submit──► SUBMITTED ──accept──► ARCHIVED ──destroy──► DESTROYED
      ▲               │ ▲                  │
      └────reopen─────┘ └─────return───────┘   (the archive sends it back with a reason)

Who may fire a transition is decided by the predicates in permissions.py."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanphong.core.state_machine import StateMachine, Transition

from . import permissions


class FileState(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    CLOSED = "closed", gettext_lazy("Closed")
    SUBMITTED = "submitted", gettext_lazy("Handed over to the archive")
    ARCHIVED = "archived", gettext_lazy("Archived")
    DESTROYED = "destroyed", gettext_lazy("Destroyed")


S = FileState

work_file = StateMachine(
    state_field="state",
    refusal=lambda: _("This step is not possible for this file now."),
    transitions=[
        Transition("close", frozenset({S.OPEN}), S.CLOSED, permissions.makes_file),
        Transition("reopen", frozenset({S.CLOSED}), S.OPEN, permissions.makes_file),
        Transition("submit", frozenset({S.CLOSED}), S.SUBMITTED, permissions.makes_file),
        Transition("accept", frozenset({S.SUBMITTED}), S.ARCHIVED, permissions.keeps_archive_of),
        Transition("return", frozenset({S.SUBMITTED}), S.CLOSED, permissions.keeps_archive_of),
        # fired by the system when the head approves a destruction, or when a package is imported
        Transition("destroy", frozenset({S.ARCHIVED}), S.DESTROYED),
    ],
)
