from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "vanphong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from vanphong.audit.actions import register_actions

        from . import signals  # noqa: F401

        register_actions(
            {
                "accounts.login": _("Signed in"),
                "accounts.logout": _("Signed out"),
                "accounts.login_failed": _("Failed sign-in"),
                "accounts.locked": _("Account locked after failed sign-ins"),
                "accounts.unlocked": _("Account unlocked"),
                "accounts.user_created": _("Account created"),
                "accounts.access_changed": _("Account access changed"),
                "accounts.permissions_changed": _("Permissions changed"),
                "accounts.password_changed": _("Password changed"),
                "accounts.two_factor_enabled": _("Two-step sign-in turned on"),
                "accounts.two_factor_reset": _("Two-step sign-in reset"),
                "accounts.two_factor_policy_changed": _("Two-step sign-in requirement changed"),
            }
        )
