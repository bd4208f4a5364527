"""Gap-free number series (số đến, số văn bản đi): a counter row per series and year, locked while a number is
taken, so that numbers are consecutive, never repeated or skipped, also when several clerks take one at once."""

from django.db import IntegrityError, models, transaction


def take_next(counter_model: type[models.Model], **series) -> int:
    """The next number of the series identified by `series` (e.g. register=…, year=…) in `counter_model`, a model
    with those fields (unique together) and `last_number`. Call inside the transaction that uses the number: the
    counter stays locked until it ends, and a rollback gives the number back."""
    try:
        with transaction.atomic():
            counter_model.objects.get_or_create(**series)
    except IntegrityError:
        pass  # another clerk created this year's counter at the same moment
    counter = counter_model.objects.select_for_update().get(**series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
