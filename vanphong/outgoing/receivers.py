"""Tracking follows the recipients on this platform: each step their clerk and staff take with the document that
arrived (incoming.states) moves its tracking line here, without the incoming app knowing about outgoing ones."""

from django.dispatch import receiver

from vanphong.core.state_machine import transitioned

# incoming handling transition → recipient transition
ON_DOCUMENT = {"register": "registered", "reject": "refused", "assign": "assigned", "complete": "done"}
ON_ASSIGNMENT = {"start": "in_progress", "forward": "in_progress"}


@receiver(transitioned, dispatch_uid="outgoing.track_recipients")
def track_recipients(sender, obj, transition, **_kwargs):
    from vanphong.incoming import states as incoming_states

    from .services import on_recipient_progress

    if sender is incoming_states.handling and transition in ON_DOCUMENT:
        on_recipient_progress(obj, ON_DOCUMENT[transition])
    elif sender is incoming_states.assignment and transition in ON_ASSIGNMENT:
        on_recipient_progress(obj.document, ON_ASSIGNMENT[transition])
