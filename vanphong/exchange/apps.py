from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "vanphong.exchange"
    label = "exchange"
    verbose_name = _("Interconnection (liên thông)")

    def ready(self):
        from django.utils.text import format_lazy

        from vanphong.audit.actions import register_actions

        from . import receivers  # noqa: F401 (connects on import)
        from .edxml import STATUS_MEANINGS

        actions = {
            "exchange.rejected": _("Package from another agency rejected"),
            "exchange.peer.added": _("Exchange peer added"),
            "exchange.peer.changed": _("Exchange peer changed"),
            "exchange.route.added": _("Exchange route added"),
            "exchange.route.changed": _("Exchange route changed"),
        }
        for code, meaning in STATUS_MEANINGS.items():
            actions[f"exchange.status_{code}"] = format_lazy(_("Status from a recipient: {}"), meaning)
        register_actions(actions)
