from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from vanphong.incoming.selectors import DueStatus, due_status

register = template.Library()

TAB_LABELS = {
    "to_register": _("Waiting to be registered"),
    "registered": _("Registered"),
    "to_handle": _("To handle"),
    "in_progress": _("Being handled"),
    "overdue": _("Overdue"),
    "done": _("Handled"),
    "for_information": _("For information"),
}

DUE_BADGES = {
    DueStatus.ON_TIME: ("text-bg-success", _("On time")),
    DueStatus.DUE_SOON: ("text-bg-warning", _("Due soon")),
    DueStatus.OVERDUE: ("text-bg-danger", _("Overdue")),
    DueStatus.DONE: ("text-bg-secondary", _("Done on time")),
    DueStatus.DONE_LATE: ("text-bg-dark", _("Done late")),
}


@register.filter
def tab_label(name):
    return TAB_LABELS.get(name, name)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def bootstrap(field, size=""):
    """Render a form field's widget with Bootstrap's classes, marked invalid when it has errors."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if size:
        css += f" {css}-{size}"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.simple_tag
def due_badge(deadline, finished_at=None):
    status = due_status(deadline=deadline, finished_at=finished_at)
    if status not in DUE_BADGES:
        return ""
    css, label = DUE_BADGES[status]
    return format_html(
        '<span class="badge {}" data-due="{}">{} {}</span>', css, status, label, deadline.strftime("%d/%m/%Y")
    )
