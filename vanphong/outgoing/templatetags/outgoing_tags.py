from django import template
from django.utils.translation import pgettext_lazy

from vanphong.audit.actions import describe

register = template.Library()

TAB_LABELS = {
    "drafts": pgettext_lazy("outgoing tab", "Drafts"),
    "to_review": pgettext_lazy("outgoing tab", "To review"),
    "to_sign": pgettext_lazy("outgoing tab", "To sign"),
    "to_number": pgettext_lazy("outgoing tab", "To number and issue"),
    "issued": pgettext_lazy("outgoing tab", "Issued"),
    "awaiting_replies": pgettext_lazy("outgoing tab", "Awaiting reports"),
}
STATE_BADGES = {
    "draft": "text-bg-secondary",
    "in_review": "text-bg-info",
    "to_sign": "text-bg-warning",
    "to_number": "text-bg-warning",
    "to_issue": "text-bg-warning",
    "issued": "text-bg-success",
    "recalled": "text-bg-danger",
    "replaced": "text-bg-dark",
}
RECIPIENT_BADGES = {
    "queued": "text-bg-light border",
    "sent": "text-bg-info",
    "arrived": "text-bg-info",
    "refused": "text-bg-danger",
    "received": "text-bg-primary",
    "assigned": "text-bg-primary",
    "in_progress": "text-bg-primary",
    "done": "text-bg-success",
    "recalled": "text-bg-dark",
    "on_paper": "text-bg-secondary",
}
STEP_BADGES = {"approved": "text-success", "returned": "text-danger", "pending": "text-primary"}


@register.filter
def outgoing_tab(name):
    return TAB_LABELS.get(name, name)


@register.filter
def state_badge(state):
    return STATE_BADGES.get(state, "text-bg-secondary")


@register.filter
def recipient_badge(state):
    return RECIPIENT_BADGES.get(state, "text-bg-secondary")


@register.filter
def step_class(state):
    return STEP_BADGES.get(state, "text-body-secondary")


@register.filter
def audit_label(action):
    return describe(action)
