from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from vanphong.core.templatetags.core_tags import bootstrap, get
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


# the form filters, under this library's name too
register.filter("get", get)
register.filter("bootstrap", bootstrap)


@register.simple_tag
def due_badge(deadline, finished_at=None):
    status = due_status(deadline=deadline, finished_at=finished_at)
    if status not in DUE_BADGES:
        return ""
    css, label = DUE_BADGES[status]
    return format_html(
        '<span class="badge {}" data-due="{}">{} {}</span>', css, status, label, deadline.strftime("%d/%m/%Y")
    )
