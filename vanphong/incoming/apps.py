from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncomingConfig(AppConfig):
    name = "vanphong.incoming"
    label = "incoming"
    verbose_name = _("Incoming documents")

    def ready(self):
        from vanphong.audit.actions import register_actions
        from vanphong.core.navigation import enable_module

        from . import selectors

        enable_module("incoming", "incoming:work_list", badge=selectors.waiting_count)
        register_actions(
            {
                "incoming.received": _("Incoming document received"),
                "incoming.registered": _("Incoming document registered"),
                "incoming.rejected": _("Incoming document returned to the sender"),
                "incoming.presented": _("Incoming document presented for instructions"),
                "incoming.returned_to_clerk": _("Incoming document returned to the clerk"),
                "incoming.instructed": _("Instructions given"),
                "incoming.assigned": _("Assigned"),
                "incoming.forwarded": _("Passed on"),
                "incoming.started": _("Work started"),
                "incoming.note_added": _("Progress note added"),
                "incoming.completed": _("Work completed"),
                "incoming.document_completed": _("Incoming document completed"),
                "incoming.returned": _("Assignment returned"),
                "incoming.back_for_instructions": _("Back to the head for instructions"),
                "incoming.recalled": _("Assignment recalled"),
                "incoming.extension_requested": _("Extension requested"),
                "incoming.extension_granted": _("Extension granted"),
                "incoming.extension_refused": _("Extension refused"),
                "incoming.urged": _("Urged"),
            }
        )
