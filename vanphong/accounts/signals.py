"""Permission changes reach the audit log whichever screen or command made them (admin, shell, import)."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from vanphong.audit.services import record

from .models import User

WATCHED_USER_FIELDS = ("is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=User)
def _remember_access_flags(sender, instance, **kwargs):
    if instance.pk:
        instance._access_before = User.objects.filter(pk=instance.pk).values(*WATCHED_USER_FIELDS).first() or {}


@receiver(post_save, sender=User)
def _record_access_flags(sender, instance, created, **kwargs):
    after = {field: getattr(instance, field) for field in WATCHED_USER_FIELDS}
    if created:
        record("accounts.user_created", obj=instance, after=after)
        return
    if instance._password is not None:  # set_password() was called: the person or an administrator changed it
        record("accounts.password_changed", obj=instance)
    before = getattr(instance, "_access_before", {})
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        record("accounts.access_changed", obj=instance, before={k: before.get(k) for k in changed}, after=changed)


def _names(model, pks):
    return sorted(str(obj) for obj in model.objects.filter(pk__in=pks or ()))


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def _record_permission_change(sender, instance, action, model, pk_set, reverse, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if action == "pre_clear":
        field = {
            User.groups.through: "groups",
            User.user_permissions.through: "user_permissions",
            Group.permissions.through: "permissions",
        }[sender]
        pk_set = set(getattr(instance, field).values_list("pk", flat=True)) if not reverse else pk_set
        if not pk_set:
            return
    key = "added" if action == "post_add" else "removed"
    record("accounts.permissions_changed", obj=instance, after={key: _names(model, pk_set)})
