from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """File intake safety and digitisation: virus scanning, content checks, quarantine, OCR of scans, text
    extraction and the metadata read off a document's first page."""

    name = "vanphong.intake"
    label = "intake"
    verbose_name = _("File intake")

    def ready(self):
        from vanphong.audit.actions import register_actions

        register_actions({"intake.infected": _("Virus found in a file (quarantined)")})
