from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Passwords Vietnamese users pick that Django's English list misses.
VIETNAMESE_COMMON = {
    "matkhau",
    "matkhau123",
    "matkhau1234",
    "matkhaumoi",
    "vietnam",
    "vietnam123",
    "vietnam2024",
    "vietnam2025",
    "vietnam2026",
    "hanoi",
    "hanoi123",
    "saigon",
    "saigon123",
    "anhyeuem",
    "emyeuanh",
    "yeuemnhieu",
    "iloveyou123",
    "ubnd",
    "ubnd123",
    "ubndtinh",
    "vanthu",
    "vanthu123",
    "vanphong",
    "vanphong123",
    "quantri",
    "quantri123",
    "admin123",
    "administrator",
    "tinhuy",
    "chinhphu",
    "congvan",
    "123456789abc",
    "abc123456789",
    "qwertyuiop",
}


class VietnameseCommonPasswordValidator:
    """Refuses well-known Vietnamese passwords, also when a few digits or the year are appended."""

    def validate(self, password, user=None):
        folded = password.lower().replace(" ", "")
        stripped = folded.rstrip("0123456789!@#.")
        if folded in VIETNAMESE_COMMON or stripped in VIETNAMESE_COMMON:
            raise ValidationError(_("This password is too common."), code="password_too_common")

    def get_help_text(self):
        return _("Your password can't be a commonly used password.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with its message in our catalogue: Django 5.2 changed the message and its Vietnamese
    catalogue has not caught up."""

    def get_error_message(self):
        return _("This password is too short. It must contain at least %(min_length)d characters.")

    def get_help_text(self):
        return _("Your password must contain at least %(min_length)d characters.") % {"min_length": self.min_length}
