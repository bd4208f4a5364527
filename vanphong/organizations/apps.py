from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "vanphong.organizations"
    label = "organizations"
    verbose_name = _("Agencies and people")

    def ready(self):
        from vanphong.audit.actions import register_actions
        from vanphong.core.navigation import DashboardCard, register_dashboard_card

        from . import selectors

        register_dashboard_card(
            DashboardCard(_("My positions"), "organizations/card_positions.html", selectors.positions_card)
        )
        register_dashboard_card(
            DashboardCard(_("Platform"), "organizations/card_platform.html", selectors.platform_card)
        )
        register_actions(
            {
                "organizations.agency_created": _("Agency created"),
                "organizations.agency_changed": _("Agency changed"),
                "organizations.agency_succeeded": _("Agency merged or dissolved into a successor"),
                "organizations.unit_created": _("Unit created"),
                "organizations.unit_changed": _("Unit changed"),
                "organizations.position_assigned": _("Position assigned"),
                "organizations.position_changed": _("Position changed"),
                "organizations.delegation_granted": _("Delegation granted"),
                "organizations.delegation_revoked": _("Delegation revoked"),
                "organizations.administrative_units_imported": _("Administrative units imported"),
                "organizations.peoples_committees_created": _("Commune People's Committees created"),
            }
        )
