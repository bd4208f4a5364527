from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.organizations.models import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **fields):
        user = self.model(username=username, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(username, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person (cán bộ, công chức) with an account. What they do is given by their positions
    (organizations.Position), not by this row."""

    username = models.CharField(_("username"), max_length=150, unique=True, validators=[UnicodeUsernameValidator()])
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("administration access"), default=False, help_text=_("May open the administration screens.")
    )
    date_joined = models.DateTimeField(_("created"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username


class TOTPDevice(models.Model):
    """The person's authenticator app (two-step sign-in, xác thực hai bước)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last accepted time step: a code is accepted once only.
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self):
        return str(self.user)


class TwoFactorRequirement(models.Model):
    """A role whose holders must use two-step sign-in. Administrators add or remove roles here."""

    role = models.CharField(_("role"), max_length=30, unique=True, choices=Role.choices)

    class Meta:
        verbose_name = _("two-step sign-in requirement")
        verbose_name_plural = _("two-step sign-in requirements")

    def __str__(self):
        return self.get_role_display()


class LoginLockout(models.Model):
    """Failed sign-ins of one account from one address. At the threshold the pair is locked until an
    administrator unlocks it."""

    username = models.CharField(_("username"), max_length=150)
    ip_address = models.GenericIPAddressField(_("address"), null=True)
    failures = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in lockout")
        verbose_name_plural = _("sign-in lockouts")
        constraints = [models.UniqueConstraint(fields=["username", "ip_address"], name="lockout_per_account_address")]

    def __str__(self):
        return f"{self.username} @ {self.ip_address}"

    @property
    def is_locked(self):
        return self.locked_at is not None
