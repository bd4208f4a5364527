from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.filter
def hit_url(hit) -> str:
    return reverse(f"{hit.kind}:detail", args=[hit.pk])


@register.filter
def saved_query(saved) -> str:
    return urlencode(saved.params)
