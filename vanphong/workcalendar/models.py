from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day that departs from the default week, where Monday to Friday are working days and Saturday and Sunday
    are not: a holiday (ngày nghỉ lễ, tết, nghỉ bù) or a working day on a weekend (ngày làm bù). Days without a row
    follow the default week. Deadlines counted in working days read these rows through workcalendar.selectors."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (day off)")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        help_text=_(
            "To cancel a public holiday loaded for a year, make it a working day rather than deleting it: loading "
            "the year's holidays again would put a deleted holiday back."
        ),
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("e.g. Lunar New Year, or the day whose work is made up")
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.name or self.get_kind_display()}"

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.WORKING_DAY
