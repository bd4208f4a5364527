from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "vanphong.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from vanphong.core.navigation import enable_module

        from . import lookups, receivers  # noqa: F401 (lookups registers `any_of` on integer fields)

        receivers.connect()
        enable_module("search", "search:index")
