"""Keep the calendar held in memory by workcalendar.selectors in step with the table."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import selectors
from .models import CalendarDay


@receiver(post_save, sender=CalendarDay, dispatch_uid="workcalendar_day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="workcalendar_day_deleted")
def forget_cached_days(sender, **kwargs):
    selectors.clear_cache()
    # Again once committed: until then other connections still read the old rows, and may have cached them.
    transaction.on_commit(selectors.clear_cache)
