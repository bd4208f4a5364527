"""The working-day calendar's administration screen: the public holidays loaded for each year, and the days the
government's yearly notice moves (Tết days, swapped working Saturdays). Saves and deletions go through services so
that each is audited."""

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CalendarDay


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(day.year), str(day.year)) for day in CalendarDay.objects.dates("date", "year", order="DESC")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name")
    list_filter = ("kind", YearFilter)
    search_fields = ("name",)
    ordering = ("date",)
    fields = ("date", "kind", "name")

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, day):
        return date_format(day.date, "l")

    def save_model(self, request, obj, form, change):
        services.save_calendar_day(day=obj, by=request.user)

    def delete_model(self, request, obj):
        services.remove_calendar_day(day=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            services.remove_calendar_day(day=day, by=request.user)
