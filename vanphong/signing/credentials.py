"""From a registered credential (SigningCredential) to a key that signs: the workflow names a person or an agency,
this finds their credential in use and opens its key with the secret the person types at signing time (a PKCS#12
passphrase or a token PIN), which is never stored."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core.files import read_stored

from .errors import SigningError
from .models import SigningCredential
from .providers.base import Signer
from .providers.pkcs11 import Pkcs11Signer
from .providers.pkcs12 import Pkcs12Signer


def credential_of(*, person=None, agency=None) -> SigningCredential:
    """The credential in use, valid today, of a person (their own signature) or an agency (its seal)."""
    now = timezone.now()
    found = (
        SigningCredential.objects.filter(is_active=True, person=person, agency=agency)
        .exclude(valid_to__lt=now)
        .order_by("-added_at")
        .first()
    )
    if found is None:
        if agency is not None:
            raise SigningError(
                _("The agency has no signing certificate in use. Ask the administrator to register one.")
            )
        raise SigningError(_("You have no signing certificate in use. Ask the administrator to register yours."))
    return found


def image_of(credential: SigningCredential) -> bytes:
    if credential.image is None:
        raise SigningError(
            _("No signature image (or seal) is registered with the certificate «%(label)s».")
            % {"label": credential.label}
        )
    return read_stored(credential.image)


def open_signer(credential: SigningCredential, *, secret: str) -> Signer:
    """The key of a PKCS#12 file or a PKCS#11 token. Deferred and remote (CSC) credentials sign through their own
    pages, not here."""
    if credential.kind == SigningCredential.Kind.PKCS12:
        return Pkcs12Signer(path=credential.file_path, passphrase=secret.encode() if secret else None)
    if credential.kind == SigningCredential.Kind.PKCS11:
        return Pkcs11Signer(
            module_path=settings.VANPHONG_PKCS11_MODULE,
            token_label=credential.token_label,
            pin=secret,
            key_label=credential.key_label,
        )
    raise SigningError(_("This certificate signs through the signing plugin or a remote service, not here."))
