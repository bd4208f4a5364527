"""The sender of a document that came through the exchange hears what happens to it here (QĐ 28/2018 statuses):
each step the clerk and staff take with the arrival (incoming.states) sends a status package back, without the
incoming app knowing about the exchange."""

from django.dispatch import receiver

from vanphong.core.state_machine import transitioned

# incoming handling transition → status code; 01 is sent on arrival (services._deliver), 15 on a recall
ON_DOCUMENT = {"register": "03", "reject": "02", "assign": "04", "complete": "06"}
ON_ASSIGNMENT = {"start": "05", "forward": "05"}


@receiver(transitioned, dispatch_uid="exchange.report_progress")
def report_progress(sender, obj, transition, by=None, detail=None, **_kwargs):
    from vanphong.incoming import states as incoming_states

    from .services import report_status

    reason = (detail or {}).get("reason", "")
    if sender is incoming_states.handling and transition in ON_DOCUMENT:
        report_status(incoming_document=obj, code=ON_DOCUMENT[transition], description=reason, by=by)
    elif sender is incoming_states.assignment and transition in ON_ASSIGNMENT:
        report_status(incoming_document=obj.document, code=ON_ASSIGNMENT[transition], by=by)
