from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "vanphong.organizations"
    label = "organizations"
    verbose_name = _("Agencies and people")

    def ready(self):
        from vanphong.core.navigation import DashboardCard, register_dashboard_card

        from . import selectors

        register_dashboard_card(
            DashboardCard(_("My positions"), "organizations/card_positions.html", selectors.positions_card)
        )
        register_dashboard_card(
            DashboardCard(_("Platform"), "organizations/card_platform.html", selectors.platform_card)
        )
