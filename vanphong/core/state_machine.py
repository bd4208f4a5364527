"""A small explicit state machine: each document kind declares its states and transitions in one place (its
app's states.py) and fires transitions through it, so that no code changes a state field by hand."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.dispatch import Signal

# Sent after every transition (sender: the StateMachine; obj, transition, before, after, by, detail), before obj
# is saved and inside the caller's transaction: another app follows a document's progress without the owning app
# knowing it.
transitioned = Signal()


class TransitionNotAllowed(Exception):
    """The object is not in a state the transition starts from, or the person may not fire it. The message is
    what the user sees."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    # Who may fire it: a predicate (person, obj) -> bool. None: fired by the system only (e.g. a cascade).
    allowed: Callable | None = field(default=None, compare=False)


class StateMachine:
    def __init__(self, *, state_field: str, transitions: list[Transition], refusal: Callable[[], str]):
        self.state_field = state_field
        self.transitions = {transition.name: transition for transition in transitions}
        self.refusal = refusal  # the (translated) message when a transition is not possible

    def available(self, obj, person) -> list[str]:
        """The transitions this person can fire on obj now: what the page offers as buttons."""
        state = getattr(obj, self.state_field)
        return [
            name
            for name, transition in self.transitions.items()
            if state in transition.sources and transition.allowed is not None and transition.allowed(person, obj)
        ]

    def fire(self, obj, name: str, *, by=None, **detail) -> tuple[str, str]:
        """Move obj along `name`; returns (before, after). `by=None` is the system. Does not save. `detail` (e.g.
        a reason) goes to the listeners of `transitioned`."""
        transition = self.transitions[name]
        before = getattr(obj, self.state_field)
        if before not in transition.sources:
            raise TransitionNotAllowed(self.refusal())
        if by is not None and (transition.allowed is None or not transition.allowed(by, obj)):
            raise TransitionNotAllowed(self.refusal())
        setattr(obj, self.state_field, transition.target)
        transitioned.send(
            sender=self, obj=obj, transition=name, before=before, after=transition.target, by=by, detail=detail
        )
        return before, transition.target
