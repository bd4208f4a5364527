"""The module navigation and the dashboard cards. Each capability registers its own entry in its AppConfig.ready(),
so the shell never imports the apps that fill it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    key: str
    label: str
    icon: str
    url_name: str | None = None  # None until the capability is built: shown, but not clickable
    staff_only: bool = False
    badge: Callable | None = None  # (user) -> int shown beside the entry, e.g. work waiting


MODULES: list[Module] = [
    Module("incoming", _("Incoming documents"), "inbox"),
    Module("outgoing", _("Outgoing documents"), "send"),
    Module("files", _("Work files"), "folder2-open"),
    Module("meetings", _("Meetings"), "calendar-event"),
    Module("search", _("Search"), "search"),
    Module("reports", _("Statistics"), "bar-chart"),
    Module("admin", _("Administration"), "gear", url_name="admin:index", staff_only=True),
]


def enable_module(key: str, url_name: str, *, badge: Callable | None = None) -> None:
    """Called by a capability when it is installed: its navigation entry becomes a link, with a counter."""
    for index, module in enumerate(MODULES):
        if module.key == key:
            MODULES[index] = Module(module.key, module.label, module.icon, url_name, module.staff_only, badge)
            return
    raise KeyError(key)


@dataclass(frozen=True)
class DashboardCard:
    title: str
    template: str
    context: Callable  # (user) -> dict, or None when the card does not apply to this user


DASHBOARD_CARDS: list[DashboardCard] = []


def register_dashboard_card(card: DashboardCard) -> None:
    DASHBOARD_CARDS.append(card)
