"""Signing in, lockout, two-step sign-in. Each refusal raises a SignInError carrying the Vietnamese message."""

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import record
from vanphong.organizations.selectors import acting_roles

from .errors import AccountLocked, InvalidCode, InvalidCredentials
from .models import LoginLockout, TOTPDevice, TwoFactorRequirement, User
from .selectors import lockouts_administered_by, people_administered_by


def _lockout_key(username: str) -> str:
    return username.strip().lower()


def _locked_message() -> str:
    return _(
        "This account is locked after %(n)s failed sign-in attempts from this address. "
        "Ask an administrator to unlock it."
    ) % {"n": settings.VANPHONG_LOCKOUT_THRESHOLD}


def _locked_row(*, username: str, ip_address: str | None) -> LoginLockout:
    key = _lockout_key(username)
    try:
        with transaction.atomic():
            LoginLockout.objects.get_or_create(username=key, ip_address=ip_address)
    except IntegrityError:
        pass  # created by a parallel attempt
    return LoginLockout.objects.select_for_update().get(username=key, ip_address=ip_address)


def _count_failure(lockout: LoginLockout, *, username: str, ip_address: str | None, reason: str) -> None:
    lockout.failures += 1
    lockout.last_failure_at = timezone.now()
    record(
        "accounts.login_failed",
        object_type="accounts.user",
        object_label=username,
        after={"reason": reason, "failures": lockout.failures},
        ip_address=ip_address,
    )
    if lockout.failures >= settings.VANPHONG_LOCKOUT_THRESHOLD and not lockout.is_locked:
        lockout.locked_at = lockout.last_failure_at
        record("accounts.locked", obj=lockout, ip_address=ip_address, after={"failures": lockout.failures})
    lockout.save()


def check_password(*, request, username: str, password: str, ip_address: str | None) -> User:
    """First step of signing in. Returns the person; raises AccountLocked or InvalidCredentials. The account's
    failure row stays locked while the password is checked, so parallel guesses are counted one after another."""
    with transaction.atomic():
        lockout = _locked_row(username=username, ip_address=ip_address)
        if lockout.is_locked:
            raise AccountLocked(_locked_message())
        user = authenticate(request, username=username, password=password)
        if user is not None:
            return user
        _count_failure(lockout, username=username, ip_address=ip_address, reason="password")
    if lockout.is_locked:
        raise AccountLocked(_locked_message())
    raise InvalidCredentials(_("Wrong username or password."))


def check_second_step(*, user: User, code: str, ip_address: str | None) -> None:
    with transaction.atomic():
        lockout = _locked_row(username=user.username, ip_address=ip_address)
        if lockout.is_locked:
            raise AccountLocked(_locked_message())
        if verify_totp(user=user, code=code):
            return
        _count_failure(lockout, username=user.username, ip_address=ip_address, reason="totp")
    if lockout.is_locked:
        raise AccountLocked(_locked_message())
    raise InvalidCode(_("The code is wrong or has expired. Enter the code your authenticator app shows now."))


def signed_in(*, user: User, ip_address: str | None) -> None:
    """Called once both steps passed: clears the failure counter and writes the login to the log."""
    # A locked row stays: only an administrator's unlock removes it.
    LoginLockout.objects.filter(
        username=_lockout_key(user.username), ip_address=ip_address, locked_at__isnull=True
    ).delete()
    record("accounts.login", obj=user, actor=user, ip_address=ip_address)


def signed_out(*, user: User) -> None:
    record("accounts.logout", obj=user, actor=user)


@transaction.atomic
def unlock(*, lockout: LoginLockout, by: User) -> None:
    if (
        not by.has_perm("accounts.delete_loginlockout")
        or not lockouts_administered_by(by).filter(pk=lockout.pk).exists()
    ):
        raise PermissionError(_("You may not unlock accounts."))
    record(
        "accounts.unlocked",
        obj=lockout,
        actor=by,
        before={"failures": lockout.failures, "locked_at": lockout.locked_at},
    )
    lockout.delete()


# Two-step sign-in (TOTP, RFC 6238)


def requires_two_factor(user: User) -> bool:
    """True when a role the person holds or acts in by delegation today is one an administrator made two-step
    mandatory."""
    required = set(TwoFactorRequirement.objects.values_list("role", flat=True))
    if not required:
        return False
    roles = acting_roles(user)
    if user.is_superuser:
        roles.add("administrator")
    return bool(required & roles)


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """A fresh secret, not active until the person proves their app shows the right code."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    if device.confirmed_at is None:
        device.secret = pyotp.random_base32()
        device.save(update_fields=["secret"])
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.username, issuer_name=settings.VANPHONG_TOTP_ISSUER
    )


def _accept_code(device: TOTPDevice, code: str) -> bool:
    totp = pyotp.TOTP(device.secret)
    code = "".join(ch for ch in code if ch.isdigit())
    now = timezone.now()
    for drift in (-1, 0, 1):  # one step either side, for phones whose clock is a little off
        step = totp.timecode(now) + drift
        if step > device.last_used_step and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            return True
    return False


@transaction.atomic
def confirm_totp(*, user: User, code: str) -> TOTPDevice:
    device = TOTPDevice.objects.select_for_update().get(user=user)
    if not _accept_code(device, code):
        raise InvalidCode(_("The code is wrong or has expired. Enter the code your authenticator app shows now."))
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    record("accounts.two_factor_enabled", obj=user, actor=user)
    return device


@transaction.atomic
def verify_totp(*, user: User, code: str) -> bool:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    return device is not None and _accept_code(device, code)


@transaction.atomic
def reset_two_factor(*, user: User, by: User) -> None:
    """An administrator removes a lost authenticator; the person enrols again at the next sign-in."""
    if not by.has_perm("accounts.delete_totpdevice") or not people_administered_by(by).filter(pk=user.pk).exists():
        raise PermissionError(_("You may not reset two-step sign-in."))
    deleted, _details = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        record("accounts.two_factor_reset", obj=user, actor=by)


def record_policy_change(*, role: str, required: bool, by: User) -> None:
    record(
        "accounts.two_factor_policy_changed",
        object_type="accounts.twofactorrequirement",
        object_id=role,
        object_label=role,
        actor=by,
        after={"role": role, "required": required},
    )
