from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "vanphong.workcalendar"
    label = "workcalendar"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from vanphong.audit.actions import register_actions

        from . import signals  # noqa: F401

        register_actions(
            {
                "workcalendar.holidays_loaded": _("Public holidays loaded into the working-day calendar"),
                "workcalendar.day_added": _("Holiday or make-up working day added"),
                "workcalendar.day_changed": _("Holiday or make-up working day changed"),
                "workcalendar.day_removed": _("Holiday or make-up working day removed"),
            }
        )
