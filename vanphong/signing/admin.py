"""Administration of the trust store (the roots the operator loads: Ban Cơ yếu Chính phủ, the National Root CA),
of the certificate registry (which certificate or token belongs to which person and agency) and, read only, of
the stored verification reports. A pasted PEM is parsed; anything but a certificate is refused. Each save is
written to the audit log."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vanphong.core.admin import AuditedAdmin, ReadOnlyAdmin
from vanphong.core.files import FileRefused, store

from .errors import SigningError
from .models import SigningCredential, TrustedRoot, VerificationReport
from .reports import parse_certificate
from .services import read_png


class CertificateForm(forms.ModelForm):
    """Parses certificate_pem into `self.parsed` (a ParsedCertificate) and stores it normalised."""

    parsed = None

    def clean_certificate_pem(self):
        self.parsed = parse_certificate(self.cleaned_data["certificate_pem"])
        return self.parsed.pem


class TrustedRootForm(CertificateForm):
    class Meta:
        model = TrustedRoot
        fields = ["name", "domain", "certificate_pem", "is_active"]

    def clean(self):
        cleaned = super().clean()
        if self.parsed is not None:
            duplicate = TrustedRoot.objects.filter(fingerprint_sha256=self.parsed.fingerprint_sha256)
            if self.instance.pk:
                duplicate = duplicate.exclude(pk=self.instance.pk)
            if duplicate.exists():
                self.add_error("certificate_pem", _("This root certificate is already in the trust store."))
            self.instance.fingerprint_sha256 = self.parsed.fingerprint_sha256
        return cleaned


class SigningCredentialForm(CertificateForm):
    image_upload = forms.FileField(
        label=_("Signature image or seal (transparent PNG)"),
        required=False,
        help_text=_("The person's handwritten signature in blue, or the agency's red seal at its real size."),
    )
    csc_service_url = forms.URLField(
        label=SigningCredential._meta.get_field("csc_service_url").verbose_name,
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = SigningCredential
        fields = [
            "label",
            "kind",
            "person",
            "agency",
            "certificate_pem",
            "file_path",
            "token_label",
            "key_label",
            "csc_service_url",
            "csc_credential_id",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not cleaned.get("agency"):
            raise forms.ValidationError(_("Choose the person or the agency the certificate belongs to."))
        kind = cleaned.get("kind")
        required = {
            SigningCredential.Kind.PKCS12: ["file_path"],
            SigningCredential.Kind.PKCS11: ["token_label", "key_label"],
            SigningCredential.Kind.CSC: ["csc_service_url", "csc_credential_id"],
        }.get(kind, [])
        for name in required:
            if not cleaned.get(name):
                self.add_error(name, _("Required for this kind of key."))
        upload = cleaned.get("image_upload")
        if upload is not None:
            try:
                read_png(upload.read())
                upload.seek(0)
                self.instance.image = store(upload=upload, filename=upload.name)
            except (SigningError, FileRefused) as error:
                self.add_error("image_upload", str(error))
        if self.parsed is not None:
            self.instance.subject_cn = self.parsed.subject_cn
            self.instance.serial_number = self.parsed.serial_number
            self.instance.valid_from = self.parsed.valid_from
            self.instance.valid_to = self.parsed.valid_to
        return cleaned


@admin.register(TrustedRoot)
class TrustedRootAdmin(AuditedAdmin):
    form = TrustedRootForm
    list_display = ["name", "domain", "fingerprint_sha256", "is_active", "added_at"]
    list_filter = ["domain", "is_active"]
    search_fields = ["name", "fingerprint_sha256"]
    readonly_fields = ["fingerprint_sha256", "added_at"]
    audit_fields = ["name", "domain", "fingerprint_sha256", "is_active"]


@admin.register(SigningCredential)
class SigningCredentialAdmin(AuditedAdmin):
    form = SigningCredentialForm
    list_display = ["label", "kind", "person", "agency", "subject_cn", "valid_to", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["label", "subject_cn", "serial_number", "person__full_name", "agency__name"]
    readonly_fields = ["subject_cn", "serial_number", "valid_from", "valid_to", "added_at"]
    audit_fields = ["label", "kind", "person_id", "agency_id", "serial_number", "subject_cn", "image_id", "is_active"]


@admin.register(VerificationReport)
class VerificationReportAdmin(ReadOnlyAdmin):
    list_display = ["stored_file", "verdict", "checked_at"]
    list_filter = ["verdict"]
    readonly_fields = ["stored_file", "checked_at", "verdict", "summary", "details"]
