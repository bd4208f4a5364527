from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilesConfig(AppConfig):
    name = "vanphong.files"
    label = "files"
    verbose_name = _("Work files and archive")

    def ready(self):
        from vanphong.audit.actions import register_actions
        from vanphong.core.navigation import enable_module

        enable_module("files", "files:index")
        register_actions(
            {
                "files.plan_started": _("File plan started"),
                "files.plan_approved": _("File plan approved"),
                "files.plan_imported": _("File plan imported"),
                "files.opened": _("Work file opened"),
                "files.updated": _("Work file changed"),
                "files.document_added": _("Document added to a work file"),
                "files.closed": _("Work file closed"),
                "files.reopened": _("Work file reopened"),
                "files.submitted": _("Work file handed over to the archive"),
                "files.accepted": _("Work file accepted into the archive"),
                "files.returned": _("Work file returned by the archive"),
                "files.fixity_failed": _("Archived file damaged (checksum mismatch)"),
                "files.access_opened": _("Archived file opened"),
                "files.access_read": _("Archived document read"),
                "files.access_exported": _("Archived file exported"),
                "files.imported": _("Archived file imported from a package"),
                "files.destruction_proposed": _("Destruction proposed"),
                "files.destroyed": _("Archived file destroyed"),
                "files.held": _("Work file kept by its unit past its hand-over date"),
                "files.plannedfile.changed": _("Planned file corrected"),
            }
        )
