from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutgoingConfig(AppConfig):
    name = "vanphong.outgoing"
    label = "outgoing"
    verbose_name = _("Outgoing documents")

    def ready(self):
        from vanphong.audit.actions import register_actions
        from vanphong.core.navigation import enable_module
        from vanphong.organizations.services import register_administrator_permissions

        from . import selectors

        enable_module("outgoing", "outgoing:work_list", badge=selectors.waiting_count)
        register_administrator_permissions(
            [
                ("outgoing", f"{action}_{model}")
                for model in ("outgoingregister", "reviewroute")
                for action in ("view", "add", "change")
            ]
        )
        register_actions(
            {
                "outgoing.drafted": _("Outgoing draft created"),
                "outgoing.version_uploaded": _("New version uploaded"),
                "outgoing.recipients_set": _("Recipients changed"),
                "outgoing.submitted": _("Draft submitted for review"),
                "outgoing.approved": _("Draft approved"),
                "outgoing.returned": _("Draft returned with comments"),
                "outgoing.signed": _("Document signed digitally"),
                "outgoing.signed_on_paper": _("Document signed on paper"),
                "outgoing.numbered": _("Document numbered and sealed"),
                "outgoing.issued": _("Document issued"),
                "outgoing.recalled": _("Issued document recalled"),
                "outgoing.replaced": _("Issued document replaced"),
                "incoming.withdrawn": _("Incoming document withdrawn by the sender"),
                "outgoing.outgoingregister.added": _("Outgoing register added"),
                "outgoing.outgoingregister.changed": _("Outgoing register changed"),
                "outgoing.reviewroute.added": _("Review route added"),
                "outgoing.reviewroute.changed": _("Review route changed"),
            }
        )
